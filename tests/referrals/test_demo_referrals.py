"""Demo referrals: every verdict for the demo GP, a draft, fictional NIRs, idempotent."""

from __future__ import annotations

from django.core.management import call_command
from stdnum.fr import nir

from referrals.models import Patient, Referral


def test_demo_covers_every_verdict_with_fictional_patients_and_is_idempotent(
    db: None, settings: object
) -> None:
    settings.DEBUG = True  # type: ignore[attr-defined]
    call_command("seed_demo", quiet_logins=True)
    referrals = Referral.objects.filter(gp__username="medecin")
    submitted = referrals.exclude(status="draft")  # the decisions seeder accepts one
    assert set(submitted.values_list("verdict", flat=True)) == {
        "eligible_ideal",
        "eligible",
        "needs_review",
        "incomplete",
        "surgical_referral",
        "not_eligible",
    }
    assert referrals.filter(status="draft").count() == 1
    assert Referral.objects.filter(gp__username="medecin2").exclude(status="draft").exists()
    assert all(r.snapshots.exists() for r in submitted)
    for patient in Patient.objects.all():
        assert nir.is_valid(patient.nir)
        assert patient.nir[5:10] == "99999"  # a birthplace that does not exist
    counts = (Referral.objects.count(), Patient.objects.count())
    call_command("seed_demo", quiet_logins=True)
    assert (Referral.objects.count(), Patient.objects.count()) == counts
