from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from reports import views

app_name = "reports"

urlpatterns: list[URLPattern | URLResolver] = [
    path(
        "documents/demandes/<int:pk>/rapport-indication/",
        views.indication_report,
        name="indication_report",
    ),
    path("documents/decisions/<int:pk>/courrier/", views.decision_letter, name="decision_letter"),
    path(
        "documents/decisions/<int:pk>/orientation-chirurgicale/",
        views.surgical_letter,
        name="surgical_letter",
    ),
]
