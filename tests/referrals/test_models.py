from __future__ import annotations

import pytest
from stdnum.fr import nir

from clinic.append_only import AppendOnlyError
from referrals.models import TimelineEvent
from referrals.services.evaluation import referral_evaluate
from referrals.services.timeline import log_event
from tests.factories import FractureLevelFactory, PatientFactory, ReferralFactory, fictional_nir


def test_fictional_nirs_have_a_valid_key_and_an_impossible_birthplace() -> None:
    number = fictional_nir("F", 1941, 3, 12)
    assert nir.is_valid(number)
    assert number[5:10] == "99999"


def test_timeline_events_cannot_be_changed_or_deleted(db: None, gp: object) -> None:
    referral = ReferralFactory(gp=gp)
    event = log_event(referral=referral, action="referral.created", actor=gp)
    event.data = {"forged": True}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    assert TimelineEvent.objects.get(pk=event.pk).data == {}


def test_levels_sort_in_spine_order(db: None) -> None:
    referral = ReferralFactory()
    for level in ("S", "L1", "T12", "C7"):
        FractureLevelFactory(referral=referral, level=level)
    assert [lv.level for lv in referral.levels.all()] == ["C7", "T12", "L1", "S"]


def test_evaluation_stores_a_snapshot_and_copies_the_verdict(db: None) -> None:
    referral = ReferralFactory(patient=PatientFactory())
    FractureLevelFactory(referral=referral, level="L1")
    snapshot = referral_evaluate(referral=referral, reason="submitted")
    assert snapshot is not None
    referral.refresh_from_db()
    assert referral.verdict == "eligible_ideal" == snapshot.verdict
    assert snapshot.facts["levels"][0]["level"] == "L1"
    assert snapshot.output["ruleset"] == snapshot.ruleset_version
    assert referral.ideal_until is not None and referral.target_before is not None
