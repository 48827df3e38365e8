from __future__ import annotations

from django.urls import include, path

from referrals.views import identity as views_identity
from referrals.views import search as views_search

app_name = "referrals"

# GP pages (intake) and radiologist pages (validation) live in their own modules.
urlpatterns = [
    path("", include("referrals.urls_gp")),
    path("", include("referrals.urls_radiology")),
    # The patient search of the GP's list, the worklist and the desk.
    path("recherche/", views_search.search, name="search"),
    # Staff (secretary or radiologist) confirm an identity flagged for a check.
    path(
        "demandes/<int:pk>/identite-verifiee/",
        views_identity.identity_checked,
        name="identity_checked",
    ),
    # Staff confirm the clinic's patient record (with contact details the GP typed, if ticked).
    path(
        "demandes/<int:pk>/dossier-patient-confirme/",
        views_identity.patient_confirmed,
        name="patient_confirmed",
    ),
]
