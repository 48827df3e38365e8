"""Issue 16, « Done when »: no document or page shows a last-dose date later than the plan's.
For any facts (the engine's hypothesis strategy), any procedure day and any radiologist's change
of a last dose, the convocation's instructions name exactly the plan's last-dose day of each
drug, always before the procedure day."""

from __future__ import annotations

import re
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from eligibility.engine import decision_to_dict, evaluate
from scheduling.instructions import long_day, medication_instructions
from scheduling.plan import dated_entries
from tests.eligibility.test_properties import referrals

LAST_DOSE = re.compile(
    r"dernière (?:prise|piqûre d’héparine du relais) le (\w+ \d+(?:er)? \w+ \d{4})",
    re.IGNORECASE,
)


@settings(max_examples=150, deadline=None)
@given(
    referrals(),
    st.dates(date(2026, 1, 1), date(2030, 12, 31)),
    st.one_of(st.none(), st.integers(1, 30)),
)
def test_no_convocation_gives_a_last_dose_later_than_the_plan(
    facts: object, procedure_day: date, changed_last_dose: int | None
) -> None:
    plan = decision_to_dict(evaluate(facts), lang="fr")["medication_plan"]  # type: ignore[arg-type]
    if changed_last_dose is not None and plan:
        plan[0] = {**plan[0], "last_dose_day": -changed_last_dose}  # the radiologist's plan
    entries = dated_entries(plan, procedure_day)
    days = {long_day(procedure_day - timedelta(days=n)): n for n in range(0, 40)}
    drugs = [d.value for d in facts.antithrombotics]  # type: ignore[attr-defined]
    text = " ".join(i.text for i in medication_instructions(antithrombotics=drugs, plan=entries))
    for entry in entries:
        assert entry.last_dose == procedure_day + timedelta(days=entry.last_dose_day)
        assert entry.last_dose < procedure_day
    # Every last dose the convocation names is one of the plan's, and each of the plan's is named.
    named = sorted(days[m] for m in LAST_DOSE.findall(text))
    assert named == sorted(-entry.last_dose_day for entry in entries), text
