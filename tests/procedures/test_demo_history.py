"""seed_demo gives a first-day user something to see: today's session with patients at
different steps, past procedures with their follow-ups answered (the follow-up worklist and the
quality dashboard show data), an imaging appointment; all through the services, idempotent."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import strip_tags

from followups.models import FollowUpAnswer
from procedures.models import ProcedureReport
from referrals.models import Referral
from scheduling.models import Booking, ImagingAppointment
from tests.conftest import client_for

TODAY = date(2026, 12, 3)  # a Thursday


@pytest.fixture
def seeded(db: None, settings: object) -> Iterator[None]:
    settings.DEBUG = True  # type: ignore[attr-defined]
    with time_machine.travel("2026-12-03 08:00 +01:00", tick=False):
        call_command("seed_demo", "--quiet-logins")
        yield


def test_today_has_a_session_with_patients_at_each_step(seeded: None) -> None:
    today = Booking.objects.filter(session__date=TODAY).select_related("referral__patient")
    assert sorted(b.status for b in today) == ["arrived", "booked", "done"]
    done = today.get(status="done")
    assert ProcedureReport.objects.get(referral=done.referral).signed_by.username == "radiologue"


def test_past_procedures_have_their_due_follow_ups_answered(seeded: None) -> None:
    performed = sorted(ProcedureReport.objects.values_list("performed_on", flat=True))
    assert len(performed) == 5 and performed[0] < date(2026, 9, 3)  # one three months back
    answered = set(FollowUpAnswer.objects.values_list("followup__kind", flat=True))
    assert answered == {"d1", "m1", "m3"}
    for answer in FollowUpAnswer.objects.select_related("followup"):
        assert answer.answered_at.date() == answer.followup.due_on  # answered when due


def test_the_follow_up_list_quality_dashboard_and_desk_show_the_demo(seeded: None) -> None:
    from clinic.models import User

    radiologist = client_for(User.objects.get(username="radiologue"))
    secretary = client_for(User.objects.get(username="secretaire"))
    quality = strip_tags(radiologist.get(reverse("quality:dashboard")).content.decode())
    assert "Traités dans les 21 jours100 %" in quality.replace("\n", "")
    followups = strip_tags(secretary.get(reverse("followups:worklist")).content.decode())
    assert "ROUX Madeleine" in followups  # her M1 is late: someone to call
    assert "1 suivi à faire." in followups  # the others answered when due
    day = strip_tags(secretary.get(reverse("scheduling:day")).content.decode())
    for name in ("DUMAS Colette", "BLANC Raymond", "GAUTHIER Irène"):
        assert name in day
    assert ImagingAppointment.objects.filter(referral__patient__birth_name="Chevalier").exists()


def test_seeding_twice_adds_nothing(seeded: None) -> None:
    counts = (Referral.objects.count(), Booking.objects.count(), FollowUpAnswer.objects.count())
    with time_machine.travel("2026-12-03 08:00 +01:00", tick=False):
        call_command("seed_demo", "--quiet-logins")
    assert (
        Referral.objects.count(),
        Booking.objects.count(),
        FollowUpAnswer.objects.count(),
    ) == counts
