from __future__ import annotations

from django.urls import URLPattern, path

from fhir_api import views_cds

app_name = "cds_hooks"

# CDS Hooks 2.0 paths (no trailing slash: the spec's).
urlpatterns: list[URLPattern] = [
    path("", views_cds.discovery, name="discovery"),
    path("/<slug:service_id>", views_cds.service, name="service"),
    path("/<slug:service_id>/feedback", views_cds.feedback, name="feedback"),
]
