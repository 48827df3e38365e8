from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from referrals.views import gp as views
from referrals.views import withdrawal as views_withdrawal

# The GP's home is "home_gp" in config/urls.py. URLs carry ids only, never names.
urlpatterns: list[URLPattern | URLResolver] = [
    path("medecin/demandes/nouvelle/", views.referral_new, name="gp_referral_new"),
    path("medecin/demandes/apercu/", views.referral_preview, name="gp_referral_preview"),
    path("medecin/demandes/niveau/", views.level_row, name="gp_level_row"),
    path("medecin/demandes/<int:pk>/", views.referral_detail, name="gp_referral_detail"),
    path("medecin/demandes/<int:pk>/modifier/", views.referral_edit, name="gp_referral_edit"),
    path(
        "medecin/demandes/<int:pk>/supprimer/",
        views_withdrawal.referral_discard,
        name="gp_referral_discard",
    ),
    path(
        "medecin/demandes/<int:pk>/annuler/",
        views_withdrawal.referral_withdrawal,
        name="gp_referral_withdraw",
    ),
    path(
        "medecin/pieces-jointes/<int:pk>/retirer/",
        views.gp_attachment_remove,
        name="gp_attachment_remove",
    ),
    path("pieces-jointes/<int:pk>/", views.attachment_download, name="attachment_download"),
]
