"""Staff confirm a patient identity flagged for a check, and confirm the clinic's patient record
(secretary's and radiologist's pages)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clinic.errors import DomainError, show
from clinic.models import Role, User
from clinic.roles import role_required
from referrals.access import get_referral_for
from referrals.models import Referral
from referrals.services.identity import patient_confirm, referral_identity_checked

STAFF_PAGES = {
    Role.SECRETARY: "scheduling:referral",
    Role.RADIOLOGIST: "referrals:radiology_referral",
}


def _back(request: HttpRequest, referral: Referral) -> HttpResponse:
    """The staff page the form was on, or the role's page of this referral."""
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    user: User = request.user  # type: ignore[assignment]
    return redirect(STAFF_PAGES[Role(user.role)], pk=referral.pk)


@require_POST
@role_required(Role.SECRETARY, Role.RADIOLOGIST)
def identity_checked(request: HttpRequest, pk: int) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    referral = get_referral_for(
        request, pk, perm="referrals.check_identity", what="referral.identity"
    )
    try:
        referral_identity_checked(referral=referral, by=user)
    except DomainError as error:
        show(request, error)
    else:
        messages.success(
            request,
            _("Identité vérifiée : l’alerte est levée, la vérification figure dans l’historique."),
        )
    return _back(request, referral)


@require_POST
@role_required(Role.SECRETARY, Role.RADIOLOGIST)
def patient_confirmed(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm the referral's patient record, copying the typed contact details ticked."""
    user: User = request.user  # type: ignore[assignment]
    referral = get_referral_for(
        request, pk, perm="referrals.check_identity", what="referral.identity"
    )
    try:
        patient_confirm(referral=referral, by=user, copy=request.POST.getlist("copy"))
    except DomainError as error:
        show(request, error)
    else:
        messages.success(
            request, _("Dossier patient confirmé : la confirmation figure dans l’historique.")
        )
    return _back(request, referral)
