from __future__ import annotations

from django.urls import URLPattern, path

from fhir_api import views_cds

app_name = "cds_hooks"

# CDS Hooks 2.0 paths (no trailing slash: the spec's); any id reaches the view, which answers
# an unknown one in JSON.
urlpatterns: list[URLPattern] = [
    path("cds-services", views_cds.discovery, name="discovery"),
    path("cds-services/<str:service_id>", views_cds.service, name="service"),
    path("cds-services/<str:service_id>/feedback", views_cds.feedback, name="feedback"),
]
