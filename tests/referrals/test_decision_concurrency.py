"""Two radiologists deciding on the same referral at the same moment: one decision is recorded,
the other is told a colleague decided meanwhile; nothing is superseded silently. PostgreSQL only:
SQLite serialises every writer anyway."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from clinic.errors import DomainError
from clinic.models import User
from referrals.choices import Status
from referrals.models import Decision, Referral
from referrals.services.decisions import accept_referral, decline_referral
from tests.factories import RadiologistFactory
from tests.referrals.radiology import submitted_referral


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_decisions_record_one(radiologist: User) -> None:
    referral = submitted_referral()
    colleague = RadiologistFactory(username="dr-collegue")
    barrier = threading.Barrier(2)
    recorded: list[Decision] = []
    refused: list[DomainError] = []
    crashed: list[BaseException] = []
    lock = threading.Lock()

    def decide(action: str) -> None:
        try:
            barrier.wait(timeout=10)
            fresh = Referral.objects.get(pk=referral.pk)
            if action == "accept":
                result = accept_referral(
                    referral=fresh, by=radiologist, levels_to_treat=["L1"],
                    stay="day_hospital", anaesthesia="local", based_on=None,
                )  # fmt: skip
            else:
                result = decline_referral(
                    referral=fresh, by=colleague, reason="Non", justification="Avis contraire",
                    based_on=None,
                )  # fmt: skip
            with lock:
                recorded.append(result)
        except DomainError as error:
            with lock:
                refused.append(error)
        except BaseException as error:  # any crash fails the test below
            with lock:
                crashed.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(a,)) for a in ("accept", "decline")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert crashed == []
    assert len(recorded) == 1 and len(refused) == 1
    assert "Une autre décision a été enregistrée" in refused[0].message
    referral.refresh_from_db()
    assert referral.decisions.count() == 1
    assert referral.current_decision == recorded[0]
    assert referral.status in (Status.ACCEPTED, Status.DECLINED)
