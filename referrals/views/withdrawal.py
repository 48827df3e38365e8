"""The GP deletes a draft or withdraws a referral sent to the clinic
(referrals.services.withdrawal): a page that says what will happen, then a POST."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from clinic.errors import DomainError, show
from clinic.models import Role, User
from clinic.roles import role_required
from referrals.access import get_referral_for, may
from referrals.forms.withdrawal import WithdrawForm
from referrals.services.patients import patient_for_gp
from referrals.services.withdrawal import (
    not_discardable_message,
    referral_discard_draft,
    referral_withdraw,
    withdrawal_refusal,
)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@role_required(Role.GP)
def referral_discard(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for(request, pk, what="referral.discard")
    if not may(_user(request), "referrals.discard", referral):
        messages.info(request, not_discardable_message(referral))
        return redirect("referrals:gp_referral_detail", pk=referral.pk)
    if request.method == "POST":
        try:
            referral_discard_draft(referral=referral, by=_user(request))
        except DomainError as error:
            show(request, error)
            return redirect("referrals:gp_referral_detail", pk=referral.pk)
        messages.success(
            request,
            _("Brouillon n° %(number)s supprimé.") % {"number": pk},
        )
        return redirect("home_gp")
    return render(
        request,
        "referrals/gp_referral_discard.html",
        {
            "referral": referral,
            "patient": patient_for_gp(referral),
            "attachments": referral.attachments.count(),
        },
    )


@role_required(Role.GP)
def referral_withdrawal(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for(request, pk, what="referral.withdraw")
    refusal = withdrawal_refusal(referral)
    if refusal:
        messages.info(request, refusal)
        return redirect("referrals:gp_referral_detail", pk=referral.pk)
    if not may(_user(request), "referrals.withdraw", referral):
        raise PermissionDenied  # the GP's own, withdrawable referral: never, but asked anyway
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral_withdraw(
                referral=referral, by=_user(request), reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            # No reason, or its status changed since the page was opened (a date was booked).
            show(request, error, form)
        else:
            messages.success(
                request,
                _("Demande n° %(number)s annulée : la clinique en est informée.") % {"number": pk},
            )
            return redirect("referrals:gp_referral_detail", pk=referral.pk)
    return render(
        request,
        "referrals/gp_referral_withdraw.html",
        {"referral": referral, "patient": patient_for_gp(referral), "form": form},
    )
