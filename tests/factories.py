"""Model factories. Every value is fictional (checklist row 27)."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from clinic.models import Role, User

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
