"""The desk sends a failed message again (the card on the secretary's home)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clinic.audit import log_access
from clinic.errors import DomainError, show
from clinic.models import Role
from clinic.roles import role_required
from notifications.models import Message
from notifications.services.sending import message_retry


@require_POST
@role_required(Role.SECRETARY)
def retry(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(Message.objects.select_related("referral"), pk=pk)
    log_access(request, what="notification.retry", referral=message.referral, object_id=pk)
    try:
        message_retry(message=message, by=request.user)  # type: ignore[arg-type]
    except DomainError as error:
        show(request, error)
    else:
        messages.success(request, _("Message renvoyé : il part dans quelques instants."))
    return redirect("home_secretary")
