from __future__ import annotations

from django.urls import include, path

app_name = "referrals"

# GP pages (intake) and radiologist pages (validation) live in their own modules.
urlpatterns = [
    path("", include("referrals.urls_gp")),
    path("", include("referrals.urls_radiology")),
]
