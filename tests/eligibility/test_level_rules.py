"""Per-level rules, one test (or table) per rule id, both sides of every boundary.

Ages are at the earliest procedure date E (``at_e``) unless a test is about ``fracture_age_days``
(``level(age=…)``, the age today).
"""

from __future__ import annotations

import pytest

from eligibility.engine import Antithrombotic, Cause, ImagingFacts, SacralPattern, evaluate
from tests.eligibility import at_e, level, level_verdict, pain, referral, rule_ids

FAILED = pain(analgesics_failed=True)
OPIOIDS = pain(opioids_failed=True)
CLOPIDOGREL = (Antithrombotic.CLOPIDOGREL,)  # last dose J−6: E is 6 days after as_of


@pytest.mark.parametrize("name", ["T1", "T7", "T12", "L1", "L5"])
def test_B_LEVEL_SPINE_thoracic_and_lumbar_levels_are_in_scope(name: str) -> None:
    d = evaluate(referral(level(name)))
    assert "B-LEVEL-SPINE" in rule_ids(d, name)
    assert d.verdict == "eligible_ideal"


@pytest.mark.parametrize("name", ["C1", "C7", "S"])
def test_B_LEVEL_SPINE_not_cited_outside_the_thoracolumbar_spine(name: str) -> None:
    assert "B-LEVEL-SPINE" not in rule_ids(evaluate(referral(level(name))))


@pytest.mark.parametrize("name", ["C1", "C4", "C7"])
def test_B_LEVEL_CERVICAL_needs_review(name: str) -> None:
    d = evaluate(referral(level(name)))
    assert "B-LEVEL-CERVICAL" in rule_ids(d, name)
    assert level_verdict(d, name) == "needs_review"


@pytest.mark.parametrize(("a", "recent"), [(10, True), (42, True), (43, False), (None, True)])
def test_B_SACRUM_H_while_recent_and_B_SACRUM_LATE_after_42_days_at_E(
    a: int | None, recent: bool
) -> None:
    lv = at_e(a, "S", sacral_pattern=SacralPattern.H) if a else level("S", None, sacral_pattern="H")
    d = evaluate(referral(lv, pain=OPIOIDS))
    assert ("B-SACRUM-H" in rule_ids(d, "S")) is recent
    assert ("B-SACRUM-LATE" in rule_ids(d, "S")) is not recent
    if a == 10:
        assert rule_ids(d, "S") == ["B-SACRUM-H", "B-AGE-IDEAL"]
        assert d.verdict == "eligible_ideal"
    if a == 43:  # age rules still apply beside it: semi-recent with opioids failed
        assert rule_ids(d, "S") == ["B-SACRUM-LATE", "B-SEMI-RECENT"]
        assert level_verdict(d, "S") == "needs_review"


@pytest.mark.parametrize(
    "pattern", [SacralPattern.U, SacralPattern.UNILATERAL, SacralPattern.OTHER, None]
)
def test_B_SACRUM_OTHER_needs_review_for_any_other_or_no_pattern(
    pattern: SacralPattern | None,
) -> None:
    d = evaluate(referral(level("S", 10, sacral_pattern=pattern)))
    assert "B-SACRUM-OTHER" in rule_ids(d, "S")
    assert not {"B-SACRUM-H", "B-SACRUM-LATE"} & set(rule_ids(d, "S"))
    assert d.verdict == "needs_review"


def test_B_ARCH_sends_to_the_surgeon() -> None:
    d = evaluate(referral(level(posterior_arch_involved=True)))
    assert "B-ARCH" in rule_ids(d, "L1")
    assert level_verdict(d, "L1") == "surgical_referral"
    assert d.verdict == "surgical_referral"
    assert "surgical_opinion" in d.actions


@pytest.mark.parametrize(
    ("lv", "healed"),
    [
        (at_e(184, posterior_arch_involved=True, mri_oedema=None), True),
        (at_e(184, posterior_arch_involved=True, mri_oedema=False), True),
        (at_e(183, posterior_arch_involved=True, mri_oedema=None), False),
        (at_e(300, posterior_arch_involved=True, mri_oedema=True), False),
        (at_e(300, posterior_arch_involved=True, mri_oedema=None,
              cause=Cause.TUMOUR_SUSPECTED), False),
        (level(age=None, posterior_arch_involved=True, mri_oedema=None), False),
    ],
)  # fmt: skip
def test_B_ARCH_HEALED_an_old_healed_arch_fracture_needs_no_surgeon(
    lv: object, healed: bool
) -> None:
    d = evaluate(referral(lv))  # type: ignore[arg-type]
    assert ("B-ARCH-HEALED" in rule_ids(d, "L1")) is healed
    assert ("B-ARCH" in rule_ids(d, "L1")) is not healed
    assert (level_verdict(d, "L1") == "surgical_referral") is not healed
    if healed:
        assert next(f for f in d.findings if f.rule == "B-ARCH-HEALED").effect == "info"


@pytest.mark.parametrize("oedema", [None, False])
def test_B_AGE_UNKNOWN_makes_the_file_incomplete(oedema: bool | None) -> None:
    d = evaluate(referral(level(age=None, mri_oedema=oedema)))
    assert "B-AGE-UNKNOWN" in rule_ids(d, "L1")
    assert d.verdict == "incomplete"
    assert "date_fracture" in d.actions
    assert (d.levels[0].fracture_age_days, d.levels[0].age_at_earliest_days) == (None, None)


def test_B_AGE_UNKNOWN_OEDEMA_the_radiologist_dates_it_on_the_mri() -> None:
    d = evaluate(referral(level(age=None, mri_oedema=True)))
    assert rule_ids(d, "L1") == ["B-LEVEL-SPINE", "B-AGE-UNKNOWN-OEDEMA"]
    assert d.verdict == "needs_review"
    assert "date_fracture" not in d.actions


@pytest.mark.parametrize(("a", "applies"), [(0, True), (20, True), (21, True), (22, False)])
def test_B_AGE_IDEAL_up_to_21_days_at_E_without_treatment_failure(a: int, applies: bool) -> None:
    d = evaluate(referral(at_e(a)))  # no treatment failure recorded
    assert d.levels[0].age_at_earliest_days == a
    assert ("B-AGE-IDEAL" in rule_ids(d)) is applies
    assert (d.verdict == "eligible_ideal") is applies


@pytest.mark.parametrize(("age", "missed"), [(14, False), (15, False), (16, True), (21, True),
                                             (22, False)])  # fmt: skip
def test_B_IDEAL_MISSED_the_ideal_window_closes_before_E(age: int, missed: bool) -> None:
    # Clopidogrel moves E 6 days on: a fracture 16 to 21 days old today is past 21 days at E.
    d = evaluate(referral(level(age=age), pain=FAILED, antithrombotics=CLOPIDOGREL))
    assert d.levels[0].age_at_earliest_days == age + 6
    assert ("B-IDEAL-MISSED" in rule_ids(d, "L1")) is missed
    if missed:
        assert "B-AGE-WINDOW" in rule_ids(d, "L1")
        assert level_verdict(d, "L1") == "eligible"


@pytest.mark.parametrize(("a", "applies"), [(21, False), (22, True), (42, True), (43, False)])
def test_B_AGE_WINDOW_22_to_42_days_at_E_after_analgesics_failed(a: int, applies: bool) -> None:
    d = evaluate(referral(at_e(a), pain=FAILED))
    assert ("B-AGE-WINDOW" in rule_ids(d)) is applies
    assert (d.verdict == "eligible") is applies


def test_B_AGE_WINDOW_also_after_opioids_failed() -> None:
    d = evaluate(referral(at_e(30), pain=OPIOIDS))
    assert "B-AGE-WINDOW" in rule_ids(d)
    assert "B-SEMI-RECENT" not in rule_ids(d)  # récente, not semi-récente
    assert d.verdict == "eligible"


@pytest.mark.parametrize(("a", "applies"), [(21, False), (22, True), (42, True), (43, False)])
def test_B_AGE_NO_FAILURE_needs_review(a: int, applies: bool) -> None:
    d = evaluate(referral(at_e(a)))
    assert ("B-AGE-NO-FAILURE" in rule_ids(d)) is applies
    if applies:
        assert d.verdict == "needs_review"


@pytest.mark.parametrize(("a", "applies"), [(42, False), (43, True), (183, True), (184, False)])
def test_B_SEMI_RECENT_43_to_183_days_at_E_after_opioids_failed(a: int, applies: bool) -> None:
    d = evaluate(referral(at_e(a), pain=OPIOIDS))
    assert ("B-SEMI-RECENT" in rule_ids(d)) is applies
    if applies:
        assert d.verdict == "eligible"


@pytest.mark.parametrize(("a", "applies"), [(42, False), (43, True), (183, True), (184, False)])
def test_B_SEMI_RECENT_NO_OPIOID_analgesics_are_not_enough(a: int, applies: bool) -> None:
    d = evaluate(referral(at_e(a), pain=FAILED))
    assert ("B-SEMI-RECENT-NO-OPIOID" in rule_ids(d)) is applies
    assert "B-SEMI-RECENT" not in rule_ids(d)
    assert (d.verdict == "needs_review") is applies or a == 184


@pytest.mark.parametrize(("age", "closes"), [(177, False), (178, True), (183, True),
                                             (184, False)])  # fmt: skip
def test_G_WINDOW_CLOSES_the_six_month_window_closes_before_E(age: int, closes: bool) -> None:
    d = evaluate(referral(level(age=age), pain=OPIOIDS, antithrombotics=CLOPIDOGREL))
    assert ("G-WINDOW-CLOSES" in rule_ids(d, "L1")) is closes
    if closes:
        assert level_verdict(d, "L1") == "needs_review"
    if age == 177:  # 183 days at E: still semi-recent
        assert "B-SEMI-RECENT" in rule_ids(d, "L1")


@pytest.mark.parametrize(("age", "applies"), [(183, False), (184, True), (400, True)])
def test_B_AGE_OVER_OEDEMA_persisting_oedema_goes_to_the_radiologist(
    age: int, applies: bool
) -> None:
    d = evaluate(referral(level(age=age, mri_oedema=True), pain=OPIOIDS))
    assert ("B-AGE-OVER-OEDEMA" in rule_ids(d)) is applies
    assert "B-AGE-OVER" not in rule_ids(d)
    assert d.verdict == "needs_review"  # at 183 today: G-WINDOW-CLOSES


@pytest.mark.parametrize(("age", "oedema", "applies"),
                         [(183, None, False), (184, None, True), (184, False, True),
                          (400, None, True), (184, True, False)])  # fmt: skip
def test_B_AGE_OVER_is_not_eligible(age: int, oedema: bool | None, applies: bool) -> None:
    d = evaluate(referral(level(age=age, mri_oedema=oedema), pain=OPIOIDS))
    assert ("B-AGE-OVER" in rule_ids(d)) is applies
    assert (d.verdict == "not_eligible") is applies


@pytest.mark.parametrize("age", [5, 60, 300, None])
def test_B_CAUSE_TUMOUR_needs_review_and_no_age_rule_applies(age: int | None) -> None:
    d = evaluate(referral(level(age=age, cause=Cause.TUMOUR_SUSPECTED)))
    assert rule_ids(d, "L1") == ["B-LEVEL-SPINE", "B-CAUSE-TUMOUR"]
    assert d.verdict == "needs_review"
    assert "oncology_pathway" in d.actions


@pytest.mark.parametrize("cause", [Cause.TRAUMA, Cause.OSTEOPOROTIC, Cause.UNKNOWN])
def test_B_CAUSE_TUMOUR_not_cited_for_other_causes(cause: Cause) -> None:
    d = evaluate(referral(level(cause=cause)))
    assert "B-CAUSE-TUMOUR" not in rule_ids(d)
    assert d.verdict == "eligible_ideal"


def test_G_WALL_needs_review_when_the_arch_is_intact() -> None:
    d = evaluate(referral(level(posterior_wall_involved=True)))
    assert "G-WALL" in rule_ids(d, "L1")
    assert d.verdict == "needs_review"


def test_G_WALL_yields_to_B_ARCH_when_the_arch_is_involved() -> None:
    d = evaluate(referral(level(posterior_wall_involved=True, posterior_arch_involved=True)))
    assert "G-WALL" not in rule_ids(d)
    assert d.verdict == "surgical_referral"


def test_G_RETROPULSION_needs_review() -> None:
    d = evaluate(referral(level(retropulsion=True)))
    assert "G-RETROPULSION" in rule_ids(d, "L1")
    assert d.verdict == "needs_review"


@pytest.mark.parametrize(("oedema", "applies"), [(False, True), (None, False), (True, False)])
def test_G_NO_OEDEMA_only_when_the_mri_says_no_oedema(oedema: bool | None, applies: bool) -> None:
    d = evaluate(referral(level(mri_oedema=oedema)))
    assert ("G-NO-OEDEMA" in rule_ids(d)) is applies
    assert d.verdict == ("needs_review" if applies else "eligible_ideal")


@pytest.mark.parametrize(("a", "applies"), [(21, False), (22, True), (183, True), (184, False)])
def test_G_OEDEMA_UNSTATED_past_three_weeks_the_mri_must_say(a: int, applies: bool) -> None:
    d = evaluate(referral(at_e(a, mri_oedema=None), pain=OPIOIDS))
    assert ("G-OEDEMA-UNSTATED" in rule_ids(d, "L1")) is applies
    if applies:
        assert d.verdict == "needs_review"
    if a == 21:
        assert d.verdict == "eligible_ideal"


def test_G_OEDEMA_UNSTATED_not_without_an_mri_nor_when_stated() -> None:
    no_mri = referral(at_e(30, mri_oedema=None), pain=OPIOIDS, imaging=ImagingFacts(ct=True))
    assert "G-OEDEMA-UNSTATED" not in rule_ids(evaluate(no_mri))
    assert "G-OEDEMA-UNSTATED" not in rule_ids(evaluate(referral(at_e(30), pain=OPIOIDS)))


@pytest.mark.parametrize(("tender", "applies"), [(False, True), (None, False), (True, False)])
def test_G_NO_CONCORDANCE_no_pain_on_percussion(tender: bool | None, applies: bool) -> None:
    d = evaluate(referral(level(tender_on_percussion=tender)))
    assert ("G-NO-CONCORDANCE" in rule_ids(d, "L1")) is applies
    assert d.verdict == ("needs_review" if applies else "eligible_ideal")
