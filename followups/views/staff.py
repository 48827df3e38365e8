"""The staff's follow-up pages: the worklist of follow-ups due, recording a call, sending the
patient their link."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from clinic.errors import DomainError, show
from clinic.models import Role, User
from clinic.roles import role_required
from followups.forms import StaffFollowUpForm
from followups.models import FollowUp, FollowUpKind
from followups.pages.worklist import followups_page
from followups.selectors import followups_of, lost_since
from followups.services.answers import followup_record
from followups.services.invitations import followup_invite
from notifications.choices import Channel
from referrals.access import get_referral_for
from referrals.models import Referral
from referrals.pages.rows import page_number
from referrals.selectors import count_label

STAFF = (Role.SECRETARY, Role.RADIOLOGIST)
KIND_LABELS = dict(FollowUpKind.choices)


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@role_required(*STAFF)
def worklist(request: HttpRequest) -> HttpResponse:
    """The follow-ups to call, 50 a page; `?perdus=1` those lost to follow-up."""
    today = timezone.localdate()
    lost = request.GET.get("perdus") == "1"
    page = followups_page(lost=lost, number=page_number(request.GET.get("page")), today=today)
    return render(
        request,
        "followups/worklist.html",
        {
            "page": page,
            "to_call_count": count_label(page.to_call),
            "lost_count": count_label(page.lost_count),
            "lost_after_days": settings.FOLLOWUP_LOST_AFTER_DAYS,
        },
    )


def _pending(referral: Referral, kind: str) -> FollowUp | None:
    followups = [f for f in followups_of(referral.pk) if not f.answered]
    return next((f for f in followups if f.kind == kind), followups[0] if followups else None)


def _back_to(followup: FollowUp) -> str:
    """The worklist's tab this follow-up is on: back there after a call or a link."""
    url = reverse("followups:worklist")
    if followup.due_on < lost_since(timezone.localdate()):
        return f"{url}?perdus=1"
    return url


@role_required(*STAFF)
def record(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for(request, pk, what="followup")
    followup = _pending(referral, request.GET.get("echeance", ""))
    if followup is None:
        messages.info(request, _("Aucun suivi à recueillir pour cette demande."))
        return redirect("followups:worklist")
    form = StaffFollowUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            followup_record(
                followup=followup,
                by=_user(request),
                data=form.to_input(),
                channel=form.cleaned_data["channel"],
            )
        except DomainError as error:
            show(request, error, form)
        else:
            messages.success(
                request,
                _("Suivi %(kind)s de %(patient)s enregistré.")
                % {"kind": KIND_LABELS[followup.kind], "patient": referral.patient},
            )
            return redirect(_back_to(followup))
    return render(
        request,
        "followups/record.html",
        {
            "referral": referral,
            "followup": followup,
            "form": form,
            "followups": list(followups_of(referral.pk)),
            "report": getattr(referral, "procedure_report", None),
        },
    )


@require_POST
@role_required(*STAFF)
def send_link(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for(request, pk, what="followup")
    followup = _pending(referral, request.POST.get("echeance", ""))
    if followup is None:
        messages.info(request, _("Aucun suivi à recueillir pour cette demande."))
        return redirect("followups:worklist")
    try:
        message = followup_invite(followup_id=followup.pk, by=_user(request))
    except DomainError as error:
        show(request, error)
    else:
        how = _("par SMS") if message.channel == Channel.SMS else _("par e-mail")
        messages.success(
            request, _("Lien du questionnaire envoyé au patient %(how)s.") % {"how": how}
        )
    return redirect(_back_to(followup))
