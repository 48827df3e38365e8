"""The procedure report and the discharge letter as PDF: the radiologist, the desk and the
referring GP (from their referral page). No report yet is a 404, logged as refused."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse

from clinic.audit import log_access
from clinic.models import Role
from clinic.roles import role_required
from procedures.documents import discharge_pdf, report_pdf
from procedures.models import ProcedureReport
from referrals.access import get_referral_for
from referrals.models import Referral
from reports.pdf import in_french, pdf_response

READERS = (Role.RADIOLOGIST, Role.SECRETARY, Role.GP)


def _signed_referral(request: HttpRequest, pk: int, *, what: str) -> Referral:
    if not ProcedureReport.objects.filter(referral_id=pk).exists():
        referral = Referral.objects.filter(pk=pk).first()
        log_access(request, what=what, referral=referral, object_id=pk, granted=False)
        raise Http404
    return get_referral_for(request, pk, what=what)


@role_required(*READERS)
@in_french
def procedure_report(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _signed_referral(request, pk, what="pdf.procedure_report")
    return pdf_response(report_pdf(referral), filename=f"compte-rendu-operatoire-{referral.pk}")


@role_required(*READERS)
@in_french
def discharge_letter(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _signed_referral(request, pk, what="pdf.discharge_letter")
    return pdf_response(discharge_pdf(referral), filename=f"lettre-de-liaison-{referral.pk}")
