from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from followups.views import public, staff

app_name = "followups"

urlpatterns: list[URLPattern | URLResolver] = [
    path("suivi/", staff.worklist, name="worklist"),
    path("suivi/demandes/<int:pk>/", staff.record, name="record"),
    path("suivi/demandes/<int:pk>/lien/", staff.send_link, name="send_link"),
    # The patient's personal link: a random token, no personal data (followups/links.py).
    path("questionnaire/<str:token>/", public.answer, name="answer"),
]
