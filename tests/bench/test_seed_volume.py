"""manage.py seed_volume: fictional referrals in bulk, with the mix the bench relies on."""

from __future__ import annotations

from collections import Counter
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from stdnum.fr import nir as stdnum_nir

from bench.volume import STATUS_MIX, quotas
from clinic.models import Role, User
from followups.models import FollowUp, FollowUpAnswer
from followups.selectors import followups_due
from referrals.choices import DecisionKind, Status
from referrals.models import Decision, EligibilitySnapshot, Patient, Referral
from scheduling.models import Booking, BookingStatus, DaySession
from tests.factories import ReferralFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("bench_app")]


def _seed(count: int, *extra: str) -> str:
    out = StringIO()
    call_command("seed_volume", "--referrals", str(count), *extra, stdout=out)
    return out.getvalue()


def test_fifty_referrals_follow_the_status_mix_with_every_status_present(settings: object) -> None:
    settings.DEBUG = True  # type: ignore[attr-defined]
    _seed(50)

    by_status = Counter(Referral.objects.values_list("status", flat=True))
    assert by_status == Counter(quotas(50, STATUS_MIX))
    assert set(by_status) == {status for status, _ in STATUS_MIX}
    assert by_status[Status.DONE] > by_status[Status.SUBMITTED]  # a history, mostly closed


def test_referrals_carry_what_their_status_implies(settings: object) -> None:
    settings.DEBUG = True  # type: ignore[attr-defined]
    _seed(50)

    for referral in Referral.objects.select_related("current_decision", "patient"):
        sent = referral.status != Status.DRAFT
        assert (referral.submitted_at is not None) == sent, referral.status
        assert bool(referral.verdict) == sent
        assert referral.snapshots.count() == (1 if sent else 0)
        decided = referral.status not in (Status.DRAFT, Status.SUBMITTED)
        assert (referral.current_decision is not None) == decided, referral.status
        assert referral.levels.exists()
        assert referral.identity_as_entered["birth_name"] == referral.patient.birth_name
    kinds = {
        Status.INFO_REQUESTED: DecisionKind.REQUEST_INFORMATION,
        Status.ACCEPTED: DecisionKind.ACCEPT,
        Status.SCHEDULED: DecisionKind.ACCEPT,
        Status.DONE: DecisionKind.ACCEPT,
        Status.DECLINED: DecisionKind.DECLINE,
        Status.SURGERY: DecisionKind.REDIRECT_SURGERY,
    }
    for status, kind in kinds.items():
        decisions = Referral.objects.filter(status=status).values_list(
            "current_decision__kind", flat=True
        )
        assert set(decisions) == {kind}, status
    scheduled = Referral.objects.filter(status=Status.SCHEDULED)
    assert Booking.objects.filter(referral__in=scheduled, status=BookingStatus.BOOKED).count() == (
        scheduled.count()
    )
    done = Referral.objects.filter(status=Status.DONE)
    assert Booking.objects.filter(referral__in=done, status=BookingStatus.DONE).count() == (
        done.count()
    )


def test_the_engine_gives_a_mix_of_verdicts_and_snapshots_hold_its_output(settings: object) -> None:
    settings.DEBUG = True  # type: ignore[attr-defined]
    _seed(200)

    verdicts = Counter(Referral.objects.exclude(verdict="").values_list("verdict", flat=True))
    assert len(verdicts) >= 5, verdicts
    snapshot = EligibilitySnapshot.objects.select_related("referral").first()
    assert snapshot is not None
    assert snapshot.output["verdict"] == snapshot.verdict == snapshot.referral.verdict
    assert Decision.objects.filter(supersedes__isnull=False).exists()  # info asked, then accepted


def test_patients_have_fictional_nirs_with_a_valid_key(settings: object) -> None:
    settings.DEBUG = True  # type: ignore[attr-defined]
    _seed(50)

    for patient in Patient.objects.all():
        assert patient.nir[5:10] == "99999"  # born "abroad", in a country that does not exist
        assert stdnum_nir.is_valid(patient.nir), patient.nir
        assert patient.nir[0] == ("1" if patient.sex == "M" else "2")
        assert patient.nir[1:3] == f"{patient.birth_date.year % 100:02d}"


def test_sessions_are_never_overbooked(settings: object) -> None:
    settings.DEBUG = True  # type: ignore[attr-defined]
    _seed(300)

    sessions = DaySession.objects.annotate(n=Count("bookings"))
    assert sessions.exists()
    for session in sessions:
        minutes = sum(b.minutes for b in session.bookings.all())
        assert minutes <= session.procedure_minutes
        assert session.n <= session.day_places + session.overnight_beds


def test_the_follow_ups_answered_are_off_the_worklist_and_the_others_on_it(
    settings: object,
) -> None:
    settings.DEBUG = True  # type: ignore[attr-defined]
    _seed(300)

    answer = FollowUpAnswer.objects.filter(followup=OuterRef("pk"))
    followups = FollowUp.objects.annotate(has_answer=Exists(answer))
    flags = Counter(followups.values_list("answered", "has_answer"))
    assert set(flags) == {(True, True), (False, False)}  # some of each, flagged as answered
    assert flags[(False, False)] == followups_due(on=timezone.localdate()).count()


def test_accounts_are_prefixed_and_spread_over_two_hundred_gps(settings: object) -> None:
    settings.DEBUG = True  # type: ignore[attr-defined]
    _seed(300)

    gps = User.objects.filter(role=Role.GP)
    assert gps.count() == 200
    assert all(u.username.startswith("vol-") and not u.has_usable_password() for u in gps)
    per_gp = sorted(gps.annotate(n=Count("referrals")).values_list("n", flat=True))
    assert per_gp[-1] > 5 * max(1, per_gp[len(per_gp) // 2])  # a few large practices


def test_a_second_run_adds_and_reset_starts_again(settings: object) -> None:
    settings.DEBUG = True  # type: ignore[attr-defined]
    other = ReferralFactory()  # someone else's referral: never touched
    _seed(30)
    _seed(20, "--seed", "1")
    assert Referral.objects.filter(gp__username__startswith="vol-").count() == 50

    out = _seed(10, "--reset")

    assert "Deleted 50 volume referrals." in out
    assert Referral.objects.filter(gp__username__startswith="vol-").count() == 10
    assert Referral.objects.filter(pk=other.pk).exists()


def test_refused_without_debug_unless_forced(settings: object) -> None:
    settings.DEBUG = False  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="DEBUG=true"):
        _seed(5)
    assert not Referral.objects.exists()

    _seed(5, "--force")
    assert Referral.objects.count() == 5


@pytest.mark.postgres
def test_every_table_it_fills_has_planner_statistics(settings: object) -> None:
    # Without them PostgreSQL guesses: the procedure page's follow-ups, on tables never
    # analysed, were joined to every answer ever given (16-46 ms at 100,000 referrals, 0.2 ms
    # once analysed), where a production server's autovacuum would have left statistics.
    settings.DEBUG = True  # type: ignore[attr-defined]
    models = apps.get_models()
    before = {model: model._default_manager.count() for model in models}
    _seed(50)

    filled = [m._meta.db_table for m in models if m._default_manager.count() > before[m]]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname FROM pg_class WHERE relname = ANY(%s) AND reltuples < 0", [filled]
        )
        never_analysed = sorted(row[0] for row in cursor.fetchall())
    assert "followups_followupanswer" in filled
    assert never_analysed == []


def test_a_kept_day_keeps_its_schedule_while_the_history_grows(settings: object) -> None:
    # The bench times the day view's step on the small database's day, as it left it.
    settings.DEBUG = True  # type: ignore[attr-defined]
    _seed(200)
    days = Counter(
        Booking.objects.filter(status=BookingStatus.BOOKED).values_list("session__date", flat=True)
    )
    kept = max(days, key=lambda day: days[day])
    before = set(Booking.objects.filter(session__date=kept).values_list("pk", flat=True))

    _seed(400, "--seed", "1", "--keep-day", kept.isoformat())

    assert set(Booking.objects.filter(session__date=kept).values_list("pk", flat=True)) == before
    grown = Counter(
        Booking.objects.filter(status=BookingStatus.BOOKED).values_list("session__date", flat=True)
    )
    assert sum(grown.values()) > sum(days.values())  # the other days took the new bookings


def test_a_kept_day_that_is_not_a_date_is_refused(settings: object) -> None:
    settings.DEBUG = True  # type: ignore[attr-defined]
    with pytest.raises(CommandError, match="keep"):
        _seed(10, "--keep-day", "18/12/2026")
