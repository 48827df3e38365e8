"""Checklist row 7: the workflow runs in order whatever order people try things in. A hypothesis
state machine drives the services (submit, the four decisions, resubmit, book, cancel, the day's
arrival, procedure and no-show, the desk's closing, the GP's withdrawal and deletion of a draft)
in random order on one referral and checks, after every
step, what each service did against a small model of the workflow, and that nothing was ever
booked without an acceptance in force."""

from __future__ import annotations

from collections.abc import Callable
from itertools import count
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from hypothesis import HealthCheck, settings
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from clinic.errors import DomainError
from referrals.models import Referral
from referrals.services import decisions
from referrals.services.closing import referral_close
from referrals.services.editing import NotEditable
from referrals.services.submission import referral_resubmit, referral_submit
from referrals.services.withdrawal import referral_discard_draft, referral_withdraw
from scheduling.errors import SchedulingError
from scheduling.models import ACTIVE_BOOKING_STATUSES, Booking
from scheduling.services.bookings import (
    booking_cancel,
    booking_create,
    booking_mark_arrived,
    booking_mark_no_show,
)
from tests.factories import (
    FractureLevelFactory,
    GPFactory,
    RadiologistFactory,
    ReferralFactory,
    SecretaryFactory,
)
from tests.procedures.helpers import done_after_checklist
from tests.security.world import FROZEN_NOW, SESSION_DAY, TODAY, session

# The workflow as the clinical rules describe it: from which statuses each step is allowed.
DECIDE_FROM = {
    "accept": {"submitted", "info_requested", "accepted", "declined", "surgery"},
    "decline": {"submitted", "info_requested", "accepted", "surgery"},
    "request_information": {"submitted", "info_requested", "accepted"},
    "redirect_to_surgery": {"submitted", "info_requested", "accepted", "declined"},
}
DECIDED = {
    "accept": "accepted",
    "decline": "declined",
    "request_information": "info_requested",
    "redirect_to_surgery": "surgery",
}
# The GP calls it off: withdrawn once sent and until booked (the secretariat cancels a booking
# first); deleted while a draft.
WITHDRAWABLE = {"submitted", "info_requested", "accepted"}
# Decisions taken on the referral's status; every step the workflow table refuses with its message.
DECISION_EVENTS = {
    "referral.accepted",
    "referral.declined",
    "referral.information_requested",
    "referral.redirected_to_surgery",
}
REFUSALS = (DomainError, NotEditable, PermissionDenied, SchedulingError)
_rooms = count(1)


class Workflow(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.gp = GPFactory()
        self.radiologist = RadiologistFactory()
        self.secretary = SecretaryFactory()
        self.referral = ReferralFactory(gp=self.gp)
        FractureLevelFactory(referral=self.referral, fracture_date=TODAY.replace(day=1))
        self.session = session(self.radiologist, SESSION_DAY, room=f"Salle {next(_rooms)}")
        self.status = "draft"  # the model

    # --- one step: the service's answer must be the model's ---------------------------------

    def _step(self, allowed: bool, then: str, action: Callable[[], Any]) -> None:
        try:
            action()
        except REFUSALS:
            assert not allowed, f"refused from {self.status}"
        else:
            assert allowed, f"allowed from {self.status}"
            self.status = then
        self.referral.refresh_from_db()
        assert self.referral.status == self.status

    def _decide(self, kind: str) -> None:
        fields: dict[str, Any] = {
            "accept": {"levels_to_treat": ["L1"], "stay": "day_hospital", "anaesthesia": "local"},
            "decline": {"reason": "Motif"},
            "request_information": {"message_to_gp": "Question"},
            "redirect_to_surgery": {"reason": "Motif"},
        }[kind]
        if kind != "request_information":
            fields["justification"] = "Relu par le radiologue"
        service = getattr(decisions, f"{kind}_referral" if kind in ("accept", "decline") else kind)
        self._step(
            self.status in DECIDE_FROM[kind],
            DECIDED[kind],
            lambda: service(referral=self.referral, by=self.radiologist, notify_gp=False, **fields),
        )

    @rule()
    def submit(self) -> None:
        self._step(
            self.status == "draft",
            "submitted",
            lambda: referral_submit(referral=self.referral, by=self.gp),
        )

    @rule()
    def accept(self) -> None:
        self._decide("accept")

    @rule()
    def decline(self) -> None:
        self._decide("decline")

    @rule()
    def request_information(self) -> None:
        self._decide("request_information")

    @rule()
    def redirect_to_surgery(self) -> None:
        self._decide("redirect_to_surgery")

    @rule()
    def resubmit(self) -> None:
        self._step(
            self.status == "info_requested",
            "submitted",
            lambda: referral_resubmit(referral=self.referral, by=self.gp, message="Réponse"),
        )

    @rule()
    def book(self) -> None:
        self._step(
            self.status == "accepted",
            "scheduled",
            lambda: booking_create(
                referral=self.referral,
                session=self.session,
                by=self.secretary,
                confirm_outside_ideal=True,
            ),
        )

    @rule()
    def cancel(self) -> None:
        active = self.referral.bookings.filter(status__in=ACTIVE_BOOKING_STATUSES).first()
        if active is None:
            return
        self._step(
            True,
            "accepted",
            lambda: booking_cancel(
                booking=active,
                by=self.secretary,
                reason_kind="patient",
                reason="Demande du patient",
            ),
        )

    def _active_booking(self) -> Booking | None:
        return self.referral.bookings.filter(status__in=ACTIVE_BOOKING_STATUSES).first()

    @rule()
    def arrive(self) -> None:
        booking = self._active_booking()
        if booking is None:
            return
        self._step(
            self.status == "scheduled" and booking.status == "booked",
            "arrived",
            lambda: booking_mark_arrived(booking=booking, by=self.secretary, today=SESSION_DAY),
        )

    @rule()
    def done(self) -> None:
        booking = self._active_booking()
        if booking is None:
            return
        self._step(
            self.status == "arrived",
            "done",
            lambda: done_after_checklist(booking=booking, by=self.secretary, today=SESSION_DAY),
        )

    @rule()
    def no_show(self) -> None:
        booking = self._active_booking()
        if booking is None:
            return
        self._step(
            self.status == "scheduled" and booking.status == "booked",
            "accepted",
            lambda: booking_mark_no_show(booking=booking, by=self.secretary, today=SESSION_DAY),
        )

    @rule()
    def close(self) -> None:
        self._step(
            self.status == "accepted",
            "closed",
            lambda: referral_close(referral=self.referral, by=self.secretary, reason="Renonce"),
        )

    @rule()
    def withdraw(self) -> None:
        self._step(
            self.status in WITHDRAWABLE,
            "cancelled",
            lambda: referral_withdraw(referral=self.referral, by=self.gp, reason="Renonce"),
        )

    @rule()
    def discard(self) -> None:
        self._step(
            self.status == "draft",
            "discarded",
            lambda: referral_discard_draft(referral=self.referral, by=self.gp),
        )

    # --- after every step -------------------------------------------------------------------

    @invariant()
    def booked_only_under_an_acceptance(self) -> None:
        referral = Referral.objects.select_related("current_decision").get(pk=self.referral.pk)
        active = Booking.objects.filter(referral=referral, status__in=ACTIVE_BOOKING_STATUSES)
        if active.exists():
            assert referral.status in ("scheduled", "arrived")
            assert referral.current_decision.kind == "accept"
        else:
            assert referral.status not in ("scheduled", "arrived")

    @invariant()
    def every_booking_followed_an_acceptance(self) -> None:
        # In the timeline, the last decision before each booking is an acceptance.
        last_decision = None
        for action in self.referral.events.order_by("id").values_list("action", flat=True):
            if action in DECISION_EVENTS:
                last_decision = action
            if action == "booking.created":
                assert last_decision == "referral.accepted", last_decision


@pytest.mark.django_db
def test_nothing_is_booked_before_acceptance_and_a_refusal_is_never_scheduled() -> None:
    with time_machine.travel(FROZEN_NOW, tick=False):
        run_state_machine_as_test(
            Workflow,
            settings=settings(
                max_examples=50,
                stateful_step_count=20,
                deadline=None,
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )


@pytest.mark.django_db
def test_a_declined_referral_cannot_be_scheduled() -> None:
    with time_machine.travel(FROZEN_NOW, tick=False):
        machine = Workflow()
        machine.submit()
        machine.decline()
        machine.book()  # refused: the model says so and the step checks it
        assert machine.referral.status == "declined"
        assert not machine.referral.bookings.exists()
