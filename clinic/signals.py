from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from clinic.middleware import SESSION_STARTED_KEY


@receiver(user_logged_in)
def stamp_session_start(sender: Any, request: HttpRequest, **kwargs: Any) -> None:
    request.session[SESSION_STARTED_KEY] = time.time()
