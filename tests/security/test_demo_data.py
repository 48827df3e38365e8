"""Checklist row 27: everything seed_demo creates is fictional: every NIR has a valid key (the
forms accept it) but the birthplace 99 999 (born abroad, in a country code that does not exist),
so it cannot be anyone's; every e-mail address is on a reserved domain that cannot receive mail."""

from __future__ import annotations

from django.core.management import call_command
from stdnum.fr import nir

from clinic.models import User
from referrals.models import Patient
from tests.factories import PatientFactory

RESERVED_DOMAINS = (".invalid", ".example", "example.com", "example.org", "example.net")


def _is_fictional_nir(number: str) -> bool:
    return nir.is_valid(number) and number[5:10] == "99999"


def test_every_patient_of_the_demo_has_a_fictional_nir_and_address(
    db: None, settings: object
) -> None:
    settings.DEBUG = True  # type: ignore[attr-defined]

    call_command("seed_demo", quiet_logins=True)

    patients = list(Patient.objects.all())
    assert len(patients) >= 6  # one per engine verdict at least
    for patient in patients:
        assert _is_fictional_nir(patient.nir), (patient.pk, patient.nir)
        assert patient.birth_place_insee in ("", "99999"), patient.pk
        assert patient.email == "" or patient.email.endswith(RESERVED_DOMAINS), patient.email
    for user in User.objects.all():
        assert user.email.endswith(RESERVED_DOMAINS), user.email


def test_test_factories_make_fictional_patients_too(db: None) -> None:
    for patient in PatientFactory.create_batch(25):
        assert _is_fictional_nir(patient.nir), patient.nir
        assert patient.email.endswith(RESERVED_DOMAINS)


def test_a_real_looking_birthplace_is_not_fictional() -> None:
    # The check itself can fail: a valid NIR born in Paris (75 056) is not fictional.
    body = "2410375056123"
    real_looking = f"{body}{97 - int(body) % 97:02d}"
    assert nir.is_valid(real_looking)
    assert not _is_fictional_nir(real_looking)
