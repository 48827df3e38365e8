"""A referral posted as a FHIR transaction Bundle: read into the referral form's fields
(fhir/intake.py), validated by the same forms, saved and submitted by the same services as the
GP's page (referral_save_draft then referral_submit), in one transaction. A refusal names each
element at fault and leaves nothing behind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction
from django.forms import BaseForm

from clinic.errors import DomainError
from clinic.models import User
from fhir_api.http import FhirRefused, Issue
from fhir_api.intake import FormPost, read_bundle
from fhir_api.intake_documents import DOCUMENTS_AT
from referrals.forms.bundle import ReferralFormBundle
from referrals.models import Referral
from referrals.services.attachments import QuotaExceeded, files_removed_on_failure
from referrals.services.drafts import referral_save_draft
from referrals.services.submission import referral_submit


@dataclass(frozen=True)
class Referred:
    referral: Referral
    # The Bundle's DocumentReference entries (by index) → the attachment each became.
    attachments: dict[int, int]


def referral_from_bundle(*, payload: dict[str, Any], by: User, today: date) -> Referred:
    """The submitted referral the Bundle describes, or FhirRefused naming every element at
    fault (nothing is written, no file is kept)."""
    post = read_bundle(payload, gp=by)
    if post.issues:
        raise FhirRefused(post.issues)
    forms = ReferralFormBundle(post.data, post.files, referral=None, today=today, submitting=True)
    if not forms.is_valid():
        raise FhirRefused(form_issues(forms, post))
    try:
        # The documents' files go with the rows when anything refuses the referral.
        with files_removed_on_failure(), transaction.atomic():
            draft = referral_save_draft(referral=None, by=by, data=forms.service_input())
            referral = referral_submit(referral=draft, by=by, confirm_new=post.confirm_new)
            return Referred(referral, _attachments_of_entries(referral, post))
    except QuotaExceeded as error:
        raise FhirRefused([Issue(error.message, DOCUMENTS_AT, code="business-rule")]) from None
    except DomainError as error:
        at = post.where.get(f"facts-{error.field}", post.request_at)
        code = "duplicate" if error.field == "confirm_new_referral" else "business-rule"
        raise FhirRefused([Issue(error.message, at, code=code)], status=422) from None


def _attachments_of_entries(referral: Referral, post: FormPost) -> dict[int, int]:
    """Files of one kind are stored in the order of their entries (the form's file field keeps
    it), so the n-th attachment of a kind is the n-th DocumentReference of that kind."""
    stored: dict[str, list[int]] = {}
    for pk, kind in referral.attachments.order_by("pk").values_list("pk", "kind"):
        stored.setdefault(kind, []).append(pk)
    found: dict[int, int] = {}
    for index, kind in post.documents:
        if stored.get(kind):
            found[index] = stored[kind].pop(0)
    return found


def form_issues(forms: ReferralFormBundle, post: FormPost) -> list[Issue]:
    """Each form error as an issue at the element the field came from."""
    issues: list[Issue] = []
    fallbacks: list[tuple[BaseForm, str]] = [
        (forms.patient, post.patient_at),
        (forms.facts, post.request_at),
        (forms.attachments, DOCUMENTS_AT),
        *zip(forms.levels.forms, post.level_at, strict=False),
    ]
    for form, fallback in fallbacks:
        for name, errors in form.errors.items():
            key = form.add_prefix(name) if name != "__all__" else ""
            at = post.where.get(key, fallback)
            issues.extend(Issue(str(message), at) for message in errors)
    for message in forms.levels.non_form_errors():
        issues.append(
            Issue(str(message), "Bundle.entry.resource.ofType(Condition)", code="required")
        )
    return issues
