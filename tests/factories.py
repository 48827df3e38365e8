"""Model factories. Every value is fictional (checklist row 27)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import factory
from django.forms.models import model_to_dict
from django.utils import timezone
from factory.django import DjangoModelFactory

from clinic.models import Role, User
from referrals.choices import Cause, Status
from referrals.fictional import fictional_nir
from referrals.models import FractureLevel, Patient, Referral
from referrals.services.patients import identity_as_entered

TEST_PASSWORD = "correct-horse-battery-staple"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.invalid")
    role = Role.GP
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.save()


class GPFactory(UserFactory):
    role = Role.GP
    rpps = factory.Sequence(lambda n: f"{10000000000 + n}")
    practice_address = "1 rue de la Fiction, 75000 Paris"
    phone = "01 23 45 67 89"


class RadiologistFactory(UserFactory):
    role = Role.RADIOLOGIST


class SecretaryFactory(UserFactory):
    role = Role.SECRETARY


class AdminFactory(UserFactory):
    role = Role.ADMIN
    is_staff = True
    is_superuser = True


class PatientFactory(DjangoModelFactory):
    class Meta:
        model = Patient

    birth_name = factory.Faker("last_name", locale="fr_FR")
    first_names = factory.Faker("first_name_female", locale="fr_FR")
    birth_date = factory.Faker("date_of_birth", minimum_age=60, maximum_age=95)
    sex = "F"
    nir = factory.LazyAttributeSequence(
        lambda p, n: fictional_nir(p.sex, p.birth_date.year, p.birth_date.month, n)
    )
    phone = "06 00 00 00 00"
    email = factory.LazyAttributeSequence(lambda p, n: f"patient{n}@example.invalid")
    address = "10 rue Imaginaire, 75005 Paris"
    # A record the clinic holds and staff confirmed; one made by a GP's form is not.
    confirmed_at = factory.LazyFunction(timezone.now)


class ReferralFactory(DjangoModelFactory):
    """A complete, submitted-ready referral (facts only; use services to submit)."""

    class Meta:
        model = Referral

    gp = factory.SubFactory(GPFactory)
    patient = factory.SubFactory(PatientFactory)
    status = Status.DRAFT
    ct_available = True
    mri_available = True
    pain_nrs = 8
    analgesics_failed = True
    antithrombotics = factory.LazyFunction(list)
    # What the GP typed, as the referral services keep it: all a GP ever reads of the patient.
    identity_as_entered = factory.LazyAttribute(
        lambda referral: (
            identity_as_entered(model_to_dict(referral.patient)) if referral.patient else {}
        )
    )
    # Sent once and for good (a database constraint): a referral past the draft has its date.
    submitted_at = factory.LazyAttribute(
        lambda referral: (
            None if referral.status in (Status.DRAFT, Status.DISCARDED) else timezone.now()
        )
    )


class FractureLevelFactory(DjangoModelFactory):
    class Meta:
        model = FractureLevel

    referral = factory.SubFactory(ReferralFactory)
    level = "L1"
    fracture_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    cause = Cause.TRAUMA
    mri_oedema = True

    @classmethod
    def _after_postgeneration(cls, instance: FractureLevel, create: bool, results: Any) -> None:
        # The referral's copy of its level codes, as the referral services keep it.
        super()._after_postgeneration(instance, create, results)
        if create:
            instance.referral.sync_level_codes()
