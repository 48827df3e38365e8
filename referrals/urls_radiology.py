from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from referrals.views import radiology as views

# The worklist itself is the radiologist's home: "home_radiologist" in config/urls.py.
urlpatterns: list[URLPattern | URLResolver] = [
    path("radiologie/demandes/<int:pk>/", views.referral_detail, name="radiology_referral"),
    path("radiologie/demandes/<int:pk>/accepter/", views.accept, name="accept"),
    path("radiologie/demandes/<int:pk>/refuser/", views.decline, name="decline"),
    path(
        "radiologie/demandes/<int:pk>/demander-informations/",
        views.request_information,
        name="request_information",
    ),
    path(
        "radiologie/demandes/<int:pk>/orienter-chirurgie/",
        views.redirect_to_surgery,
        name="redirect_to_surgery",
    ),
]
