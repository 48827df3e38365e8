"""A double click (or two tabs) submitting the same draft at the same moment submits it once:
one snapshot, one timeline event. PostgreSQL only: SQLite serialises every writer anyway."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from clinic.errors import DomainError
from clinic.models import User
from referrals.models import Referral
from referrals.services.submission import referral_submit
from tests.factories import FractureLevelFactory, ReferralFactory

TABS = 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_of_one_draft_submit_it_once(gp: User) -> None:
    draft = ReferralFactory(gp=gp)
    FractureLevelFactory(referral=draft)
    barrier = threading.Barrier(TABS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def tab() -> None:
        try:
            barrier.wait(timeout=10)
            referral_submit(referral=Referral.objects.get(pk=draft.pk), by=gp)
            outcome = "submitted"
        except DomainError:  # the second submission: « déjà adressée »
            outcome = "refused"
        except BaseException as error:  # any crash fails the test below
            outcome = repr(error)
        finally:
            connection.close()
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=tab) for _ in range(TABS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(outcomes) == ["refused"] * (TABS - 1) + ["submitted"]
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert draft.snapshots.count() == 1
    assert draft.events.filter(action="referral.submitted").count() == 1
