"""Referral documents as PDF. A view checks access, then streams what reports.pdf renders.

Who gets what: the radiologist gets every document; the referring GP gets the letters of their
own referral (decision letter, surgical referral letter) but not the indication report, which is
the radiologist's working file. Another GP's document is a 404 (referrals.access)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone

from clinic.audit import log_access
from clinic.models import Role
from clinic.roles import role_required
from referrals.access import get_referral_for
from referrals.choices import DecisionKind
from referrals.models import Decision, Referral
from referrals.selectors import decision_of
from reports.documents import letter_context, report_context, surgical_letter_context
from reports.pdf import in_french, pdf_response, render_pdf


def _decision_for(request: HttpRequest, pk: int, *, what: str, kind: str | None = None) -> Decision:
    """Decision `pk` if the user may see its referral and it is of `kind` (when given), else
    404; logged either way, as refused when no document is handed out."""
    found = Decision.objects.filter(pk=pk).values_list("referral_id", "kind").first()
    if found is None or (kind is not None and found[1] != kind):
        referral = Referral.objects.filter(pk=found[0]).first() if found else None
        log_access(request, what=what, referral=referral, object_id=pk, granted=False)
        raise Http404
    referral_id = found[0]
    referral = get_referral_for(request, referral_id, what=what)
    decision = decision_of(referral, pk)
    if decision is None:  # pragma: no cover - the id came from this referral
        raise Http404
    decision.referral = referral
    return decision


@role_required(Role.RADIOLOGIST)
@in_french
def indication_report(request: HttpRequest, pk: int) -> HttpResponse:
    referral = get_referral_for(request, pk, what="pdf.report")
    content = render_pdf(
        "reports/indication_report.html", report_context(referral, today=timezone.localdate())
    )
    return pdf_response(content, filename=f"rapport-indication-demande-{referral.pk}")


@role_required(Role.RADIOLOGIST, Role.GP)
@in_french
def decision_letter(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision_for(request, pk, what="pdf.decision_letter")
    content = render_pdf(
        "reports/decision_letter.html", letter_context(decision, today=timezone.localdate())
    )
    return pdf_response(
        content, filename=f"courrier-decision-demande-{decision.referral_id}-{decision.pk}"
    )


@role_required(Role.RADIOLOGIST, Role.GP)
@in_french
def surgical_letter(request: HttpRequest, pk: int) -> HttpResponse:
    decision = _decision_for(
        request, pk, what="pdf.surgical_letter", kind=DecisionKind.REDIRECT_SURGERY
    )
    content = render_pdf(
        "reports/surgical_letter.html",
        surgical_letter_context(decision, today=timezone.localdate()),
    )
    return pdf_response(
        content, filename=f"orientation-chirurgicale-demande-{decision.referral_id}"
    )
