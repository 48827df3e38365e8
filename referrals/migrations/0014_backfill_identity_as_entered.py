"""Referrals made before migration 0005 have no copy of the identity their GP typed: give each the
patient record it points at, as its GP saw it until now. A record that another GP's referral also
uses is not copied (what this GP typed is unknown, and the other GP's entries are not theirs to
read): such a referral keeps an empty copy, as its GP's pages already showed it. After this, the
typed copy is the only identity a GP ever reads (referrals.services.patients.identity_for_gp)."""

from django.db import migrations

PATIENT_FIELDS = (
    "birth_name",
    "used_name",
    "first_names",
    "birth_date",
    "sex",
    "birth_place_insee",
    "nir",
    "phone",
    "email",
    "address",
)


def backfill(apps, schema_editor):
    Referral = apps.get_model("referrals", "Referral")
    legacy = Referral.objects.filter(identity_as_entered={}, patient__isnull=False).select_related(
        "patient"
    )
    for referral in legacy.iterator():
        shared = (
            Referral.objects.filter(patient_id=referral.patient_id)
            .exclude(gp_id=referral.gp_id)
            .exists()
        )
        if shared:
            continue
        patient = referral.patient
        stored = {name: getattr(patient, name, "") or "" for name in PATIENT_FIELDS}
        stored["birth_date"] = patient.birth_date.isoformat() if patient.birth_date else ""
        Referral.objects.filter(pk=referral.pk).update(identity_as_entered=stored)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0013_workflow_constraints")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
