from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.i18n import set_language

from clinic import otp, views, views_audit
from clinic.forms import LoginForm
from clinic.ratelimit import rate_limit
from fhir_api import oauth_views
from referrals.views import gp as views_gp
from referrals.views import radiology as views_radiology
from scheduling.views import desk as scheduling_views

account_patterns = [
    path(
        "connexion/",
        # django-axes locks one account after repeated failures; this caps one address trying
        # many accounts.
        rate_limit("login", limit=50, window_seconds=600)(
            auth_views.LoginView.as_view(
                authentication_form=LoginForm, redirect_authenticated_user=True
            )
        ),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "compte/mot-de-passe/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "compte/mot-de-passe/modifie/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "mot-de-passe-oublie/",
        # Each request sends an e-mail: a few per address and hour are enough.
        rate_limit("password-reset", limit=10, window_seconds=3600)(
            auth_views.PasswordResetView.as_view()
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe-oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reinitialisation/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reinitialisation/terminee/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

oauth_patterns = [
    path("token/", oauth_views.token, name="token"),
    path("revoke_token/", oauth_views.revoke_token, name="revoke-token"),
]

urlpatterns = [
    path("", views.home, name="home"),
    # Each role's home belongs to the app that does that role's work.
    path("medecin/", views_gp.home, name="home_gp"),
    path("radiologie/", views_radiology.worklist, name="home_radiologist"),
    path("secretariat/", scheduling_views.home, name="home_secretary"),
    path("administration/", views.home_admin, name="home_admin"),
    path("administration/journal-des-acces/", views_audit.access_log, name="access_log"),
    path("healthz", views.healthz, name="healthz"),
    # Pages without the icon's <link> (the Django admin, a PDF viewer's tab) ask for this path.
    path("favicon.ico", views.favicon, name="favicon"),
    path("compte/double-authentification/", otp.enrol, name="otp_enrol"),
    path("compte/code/", otp.verify, name="otp_verify"),
    path("langue/", login_not_required(set_language), name="set_language"),
    path("admin/", admin.site.urls),
    *account_patterns,
    path("", include("referrals.urls")),
    path("", include("eligibility.urls")),
    path("", include("scheduling.urls")),
    path("", include("reports.urls")),
    path("", include("procedures.urls")),
    path("", include("followups.urls")),
    path("", include("quality.urls")),
    # The API: OAuth 2 tokens (client credentials only) and FHIR R4 (docs/api.md).
    path("o/", include((oauth_patterns, "oauth2_provider"))),
    path("fhir/", include("fhir_api.urls")),
    path("", include("fhir_api.cds_urls")),
    path("", include("notifications.urls")),
]

handler403 = "clinic.error_pages.permission_denied"
handler404 = "clinic.error_pages.page_not_found"
handler500 = "clinic.error_pages.server_error"
