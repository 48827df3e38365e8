from __future__ import annotations

from django.urls import URLPattern, path

from notifications import views

app_name = "notifications"

urlpatterns: list[URLPattern] = [
    path("secretariat/messages/<int:pk>/renvoyer/", views.retry, name="retry"),
]
