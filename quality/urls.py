from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from quality import views

app_name = "quality"

urlpatterns: list[URLPattern | URLResolver] = [
    path("qualite/", views.dashboard, name="dashboard"),
    path("qualite/tableau.csv", views.table_csv, name="table_csv"),
    path("qualite/rapport.pdf", views.report_pdf, name="report_pdf"),
    path("qualite/rapports/<int:pk>.pdf", views.kept_report, name="kept_report"),
    path("medecin/indicateurs/", views.gp_page, name="gp"),
]
