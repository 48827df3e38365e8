from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from scheduling.views import booking as views_booking
from scheduling.views import desk as views
from scheduling.views import documents as views_documents
from scheduling.views import imaging as views_imaging

app_name = "scheduling"

# The secretary's home is routed as "home_secretary" in config/urls.py (scheduling.views.desk.home).
urlpatterns: list[URLPattern | URLResolver] = [
    path("secretariat/seances/", views.sessions, name="sessions"),
    path("secretariat/seances/nouvelle/", views.session_new, name="session_new"),
    path("secretariat/seances/modele/", views.session_template, name="session_template"),
    path("secretariat/seances/<int:pk>/modifier/", views.session_edit, name="session_edit"),
    path("secretariat/seances/<int:pk>/deplacer/", views.session_move, name="session_move"),
    path("secretariat/journee/", views.day, name="day"),
    path("secretariat/journee/venue/", views.day_record, name="day_record"),
    path("secretariat/demandes/<int:pk>/", views_booking.referral, name="referral"),
    path("secretariat/demandes/<int:pk>/programmer/", views_booking.book, name="book"),
    path("secretariat/demandes/<int:pk>/imagerie/", views_imaging.imaging, name="imaging"),
    path(
        "secretariat/imagerie/<int:pk>/modifier/",
        views_imaging.imaging_change,
        name="imaging_change",
    ),
    path(
        "secretariat/imagerie/<int:pk>/annuler/",
        views_imaging.imaging_cancel,
        name="imaging_cancel",
    ),
    path(
        "secretariat/rendez-vous/<int:pk>/deplacer/",
        views_booking.reschedule,
        name="reschedule",
    ),
    path("secretariat/rendez-vous/<int:pk>/annuler/", views_booking.cancel, name="cancel"),
    path("secretariat/rendez-vous/<int:pk>/arrivee/", views_booking.arrived, name="arrived"),
    path("secretariat/rendez-vous/<int:pk>/realise/", views_booking.done, name="done"),
    path("secretariat/rendez-vous/<int:pk>/absent/", views_booking.no_show, name="no_show"),
    path("secretariat/demandes/<int:pk>/clore/", views_booking.close, name="close"),
    path(
        "rendez-vous/<int:pk>/convocation.pdf",
        views_documents.convocation,
        name="convocation",
    ),
    path(
        "secretariat/convocations/<int:pk>/renvoyee/",
        views_documents.convocation_resend,
        name="convocation_resend",
    ),
    path(
        "rendez-vous/<int:pk>/rendez-vous.ics",
        views_documents.convocation_calendar,
        name="convocation_ics",
    ),
    path(
        "imagerie/<int:pk>/lettre.pdf",
        views_documents.imaging_letter,
        name="imaging_letter",
    ),
    path(
        "imagerie/<int:pk>/rendez-vous.ics",
        views_documents.imaging_calendar,
        name="imaging_ics",
    ),
]
