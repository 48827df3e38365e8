from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from procedures.views import day as views
from procedures.views import documents as views_documents

app_name = "procedures"

urlpatterns: list[URLPattern | URLResolver] = [
    path("geste/demandes/<int:pk>/", views.procedure, name="procedure"),
    path("geste/demandes/<int:pk>/check-list/", views.checklist, name="checklist"),
    path("geste/demandes/<int:pk>/derogation/", views.override, name="override"),
    path("geste/demandes/<int:pk>/compte-rendu/", views.report, name="report"),
    path("geste/demandes/<int:pk>/addendum/", views.addendum, name="addendum"),
    path(
        "documents/demandes/<int:pk>/compte-rendu-operatoire/",
        views_documents.procedure_report,
        name="report_pdf",
    ),
    path(
        "documents/demandes/<int:pk>/lettre-de-liaison/",
        views_documents.discharge_letter,
        name="discharge_pdf",
    ),
]
