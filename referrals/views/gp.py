"""The GP's pages: home (their referrals), the referral form with its live eligibility panel, the
referral page (timeline, findings, attachments) and attachment downloads."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from clinic.errors import DomainError
from clinic.models import Role, User
from clinic.ratelimit import rate_limit
from clinic.roles import role_required
from referrals.access import get_attachment_for, get_referral_for, may
from referrals.choices import SPINE_LEVELS, Antithrombotic, DecisionKind, Status, TimelineAction
from referrals.forms.bundle import ReferralFormBundle
from referrals.forms.levels import LevelForm
from referrals.models import Decision, Referral
from referrals.pages.gp_home import NEXT_STEPS, STATUS_BADGES, gp_home_page
from referrals.pages.presentation import verdict_label
from referrals.pages.rows import page_number
from referrals.pages.timeline import event_details, event_label
from referrals.pages.verdict_panel import evaluate_stored, evaluate_unsaved, verdict_panel
from referrals.selectors import attachments_of, latest_snapshot, timeline_of
from referrals.services.attachments import attachment_remove
from referrals.services.drafts import keep_uploads, referral_save_draft
from referrals.services.evaluation import referral_follow_ruleset
from referrals.services.patients import patient_for_gp
from referrals.services.submission import referral_resubmit, referral_submit
from referrals.services.withdrawal import withdrawal_refusal


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


@role_required(Role.GP)
def home(request: HttpRequest) -> HttpResponse:
    page = gp_home_page(
        _user(request), number=page_number(request.GET.get("page")), today=timezone.localdate()
    )
    return render(request, "clinic/home_gp.html", {"page": page})


# --- The referral form ------------------------------------------------------------------------


# Saving and submitting store files and run the engine: a burst is a script, not a doctor.
SAVE_LIMIT, SAVE_WINDOW_SECONDS = 30, 600
# The live panel answers each pause in the GP's typing: two a second for a minute is far more
# than a person types, and bounds what one account can make the engine do.
PREVIEW_LIMIT, PREVIEW_WINDOW_SECONDS = 120, 60
# Timeline reasons the GP reads on their referral's page.
REASONS_SHOWN_TO_GP = frozenset(
    {TimelineAction.WITHDRAWN, TimelineAction.CLOSED, TimelineAction.PLAN_CHANGED}
)


@role_required(Role.GP)
@rate_limit("referral-save", limit=SAVE_LIMIT, window_seconds=SAVE_WINDOW_SECONDS)
def referral_new(request: HttpRequest) -> HttpResponse:
    return _referral_form(request, referral=None)


@role_required(Role.GP)
@rate_limit("referral-save", limit=SAVE_LIMIT, window_seconds=SAVE_WINDOW_SECONDS)
def referral_edit(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for(request, pk, what="referral.edit")
    if not may(_user(request), "referrals.change_referral", referral):
        messages.info(
            request,
            _(
                "Cette demande a été adressée à la clinique : elle n’est plus modifiable. Si le "
                "radiologue a besoin d’informations, il vous le demandera ici."
            ),
        )
        return redirect("referrals:gp_referral_detail", pk=referral.pk)
    if request.method != "POST" and referral_follow_ruleset(referral=referral) is not None:
        referral.refresh_from_db()
    return _referral_form(request, referral=referral)


def _referral_form(request: HttpRequest, *, referral: Referral | None) -> HttpResponse:
    today = timezone.localdate()
    if request.method != "POST":
        bundle = ReferralFormBundle.for_referral(referral, today=today)
        # Bound only when the draft keeps values to correct: their errors show again.
        return _render_form(request, bundle, referral, saved="draft" if bundle.is_bound else "")
    resubmitting = referral is not None and referral.status == Status.INFO_REQUESTED
    submitting = resubmitting or request.POST.get("action") == "submit"
    bundle = ReferralFormBundle(
        request.POST, request.FILES, referral=referral, today=today, submitting=submitting
    )
    if bundle.is_valid():
        try:
            with transaction.atomic():
                if resubmitting:
                    assert referral is not None
                    saved = referral_resubmit(
                        referral=referral,
                        by=_user(request),
                        message=bundle.reply_text,
                        data=bundle.service_input(),
                    )
                else:
                    saved = referral_save_draft(
                        referral=referral, by=_user(request), data=bundle.service_input()
                    )
                    if submitting:
                        referral_submit(
                            referral=saved,
                            by=_user(request),
                            confirm_new=bundle.confirms_new_referral,
                        )
        except DomainError as error:
            bundle.add_domain_error(error)
        else:
            if resubmitting:
                messages.success(request, _("Demande complétée et renvoyée au radiologue."))
            elif submitting:
                messages.success(
                    request,
                    _(
                        "Demande adressée à la clinique. Le radiologue vous répondra sur cette "
                        "page ; vous serez prévenu par e-mail."
                    ),
                )
            else:
                messages.success(
                    request, _("Brouillon enregistré. Vous pourrez le compléter plus tard.")
                )
            target = "gp_referral_detail" if submitting else "gp_referral_edit"
            return redirect(f"referrals:{target}", pk=saved.pk)
        return _render_form(request, bundle, referral)
    if resubmitting:
        return _keep_uploads(request, bundle, referral)
    if (submitting and not bundle.uploads()) or not bundle.levels.management_form.is_valid():
        return _render_form(request, bundle, referral)  # nothing saved, the page says so
    # A draft keeps what was typed, errors and all (forms/draft_values.py). A refused
    # submission carrying valid files is saved as a draft too, so that the files are not
    # chosen twice, and with them what was typed: never an empty draft beside a banner saying
    # nothing was saved.
    draft = bundle
    if submitting:
        draft = ReferralFormBundle(request.POST, request.FILES, referral=referral, today=today)
    data, lost = draft.draft_input()
    try:
        referral = referral_save_draft(referral=referral, by=_user(request), data=data)
    except DomainError as error:
        bundle.add_domain_error(error)
        return _render_form(request, bundle, referral)
    return _render_form(
        request,
        bundle,
        referral,
        saved="draft_not_sent" if submitting else "draft",
        lost=lost,
        kept_uploads=len(data.uploads),
    )


def _keep_uploads(
    request: HttpRequest, bundle: ReferralFormBundle, referral: Referral | None
) -> HttpResponse:
    """A refused resubmission: the valid files join the referral being completed."""
    uploads = bundle.uploads()
    kept = 0
    if uploads:
        referral, refusal = keep_uploads(referral=referral, by=_user(request), uploads=uploads)
        if refusal is None:
            kept = len(uploads)
        elif refusal not in bundle.patient.non_field_errors():
            messages.error(request, refusal)
    return _render_form(request, bundle, referral, kept_uploads=kept)


def _information_request(referral: Referral | None) -> Decision | None:
    if referral is None or referral.status != Status.INFO_REQUESTED:
        return None
    return (
        Decision.objects.filter(referral=referral, kind=DecisionKind.REQUEST_INFORMATION)
        .select_related("radiologist")
        .order_by("-decided_at", "-id")
        .first()
    )


def _render_form(
    request: HttpRequest,
    bundle: ReferralFormBundle,
    referral: Referral | None,
    *,
    kept_uploads: int = 0,
    saved: str = "",
    lost: set[str] | frozenset[str] = frozenset(),
) -> HttpResponse:
    """`saved`: "draft" when the draft was saved with values to correct, "draft_not_sent" when
    a refused submission was saved as a draft; `lost`: ids of fields whose value was not kept."""
    today = timezone.localdate()
    if bundle.is_bound:
        output = _live_output(bundle, today)
    else:
        output = evaluate_stored(referral, as_of=today) if referral is not None else None
    action = (
        reverse("referrals:gp_referral_edit", args=[referral.pk])
        if referral is not None
        else reverse("referrals:gp_referral_new")
    )
    context = {
        "bundle": bundle,
        "referral": referral,
        "form_action": action,
        "attachments": attachments_of(referral) if referral is not None else [],
        "question": _information_request(referral),
        "errors": [
            {**error, "lost": bool(saved) and error["id"] in lost}
            for error in (bundle.error_summary() if bundle.is_bound else [])
        ],
        "kept_uploads": kept_uploads,
        "saved": saved,
        # Errors are listed above the form; the panel need not repeat them.
        "panel": verdict_panel(
            output,
            live=True,
            refused_dates=bundle.refused_fracture_dates() if bundle.is_bound else {},
        ),
        "max_levels": len(SPINE_LEVELS),
    }
    return render(request, "referrals/gp_referral_form.html", context)


def _live_output(bundle: ReferralFormBundle, today: Any) -> dict[str, Any] | None:
    referral, levels, patient = bundle.preview_objects()
    return evaluate_unsaved(referral, levels=levels, patient=patient, as_of=today)


@role_required(Role.GP)
@require_POST
@rate_limit("referral-preview", limit=PREVIEW_LIMIT, window_seconds=PREVIEW_WINDOW_SECONDS)
def referral_preview(request: HttpRequest) -> HttpResponse:
    """The live eligibility panel for the form as typed (htmx; nothing is saved)."""
    today = timezone.localdate()
    bundle = ReferralFormBundle(request.POST, referral=None, today=today)
    invalid = bundle.has_invalid_values()
    panel = verdict_panel(
        _live_output(bundle, today),
        live=True,
        errors=bundle.error_summary() if invalid else [],
        refused_dates=bundle.refused_fracture_dates() if invalid else {},
    )
    changed = panel.get("verdict", "") != request.POST.get("shown_verdict", "")
    announce = panel.get("verdict_label", "") if changed else ""
    context = {"panel": panel, "announce": announce}
    return render(request, "referrals/_verdict_preview.html", context)


@role_required(Role.GP)
@require_GET
def level_row(request: HttpRequest) -> HttpResponse:
    """One more empty level row (htmx), numbered after the rows already on the page."""
    try:
        index = int(request.GET.get("levels-TOTAL_FORMS", "0"))
    except ValueError:
        index = 0
    if not 0 <= index < len(SPINE_LEVELS):
        return HttpResponse(status=204)
    form = LevelForm(
        prefix=f"levels-{index}",
        today=timezone.localdate(),
        empty_permitted=True,
        use_required_attribute=False,
    )
    context = {"form": form, "number": index + 1, "total": index + 1, "added": True}
    return render(request, "referrals/_level_row_added.html", context)


# --- Attachments ------------------------------------------------------------------------------


def attachment_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Anyone who may see the referral may download its documents; others get a 404."""
    attachment = get_attachment_for(request, pk)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@role_required(Role.GP)
@require_POST
def gp_attachment_remove(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = get_attachment_for(
        request, pk, perm="referrals.change_referral", what="attachment.remove"
    )
    referral = attachment.referral
    name = attachment.original_name
    attachment_remove(attachment=attachment, by=_user(request))
    if getattr(request, "htmx", False):
        return render(request, "referrals/_attachment_removed.html", {"name": name})
    messages.success(request, _("Pièce jointe « %(name)s » retirée.") % {"name": name})
    return redirect("referrals:gp_referral_edit", pk=referral.pk)


# --- The referral page ------------------------------------------------------------------------


def _event_verdict(data: dict[str, Any]) -> str:
    # A change of ruleset names the rulesets in from/to and the verdict in verdict_after.
    return str(data.get("verdict") or data.get("verdict_after") or data.get("to") or "")


@role_required(Role.GP)
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for(request, pk)
    # Last evaluated under an older ruleset: evaluated again now, and the timeline says so.
    if referral_follow_ruleset(referral=referral) is not None:
        referral.refresh_from_db()
    today = timezone.localdate()
    snapshot = latest_snapshot(referral)
    if snapshot is not None:
        panel = verdict_panel(snapshot.output)
    else:
        panel = verdict_panel(evaluate_stored(referral, as_of=today), live=True)
    events = [
        {
            "label": event_label(event.action),
            "details": event_details(event.action, event.data),
            "action": event.action,
            "at": event.at,
            "actor": event.actor.display_name if event.actor else "",
            "verdict": verdict_label(verdict) if (verdict := _event_verdict(event.data)) else "",
            # The GP's own words (an answer to the radiologist, why they withdrew), or why the
            # clinic closed the referral.
            "message": event.data.get("message")
            or (event.data.get("reason", "") if event.action in REASONS_SHOWN_TO_GP else ""),
        }
        for event in timeline_of(referral)
    ]
    refusal = withdrawal_refusal(referral) if referral.is_active else ""
    context = {
        "referral": referral,
        "patient": patient_for_gp(referral),
        "levels": referral.levels_in_order(),
        "antithrombotics": [
            Antithrombotic(a).label for a in referral.antithrombotics if a in Antithrombotic
        ],
        "attachments": attachments_of(referral),
        # The procedure report and discharge letter, once signed (procedures/).
        "procedure_report": getattr(referral, "procedure_report", None),
        "events": events,
        "panel": panel,
        "snapshot": snapshot,
        "question": _information_request(referral),
        "next_step": NEXT_STEPS.get(referral.status, ""),
        "status_badge": STATUS_BADGES.get(referral.status, "text-bg-secondary"),
        "can_edit": may(_user(request), "referrals.change_referral", referral),
        "can_discard": may(_user(request), "referrals.discard", referral),
        "can_withdraw": may(_user(request), "referrals.withdraw", referral) and not refusal,
        # Booked, or an examination booked at the centre: the secretariat cancels it first (the
        # GP is told whom to call).
        "cancel_hint": refusal,
        "withdrawal": next(
            (e for e in reversed(events) if e["action"] == "referral.withdrawn"), None
        ),
    }
    return render(request, "referrals/gp_referral_detail.html", context)
