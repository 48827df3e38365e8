"""The clinic's tunable numbers. Defaults are those of ``docs/clinical-rules.md``.

Drug holds are stated as the day of the last dose: ``clopidogrel_hold_days = 6`` means the last
dose is on J−6 (no dose on J−5 … J−1), so the procedure can be at the earliest 6 days after a dose
taken on ``as_of``. Resume days count after J: 1 is J+1.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

# Settings that may be fractional; every other setting is a non-negative int.
FRACTIONAL = frozenset({"max_inr"})


@dataclass(frozen=True, slots=True)
class EngineSettings:
    ideal_window_days: int = 21  # brochure: « dans les 3 premières semaines »
    latest_window_days: int = 183  # brochure: « dans les 6 mois »
    max_levels: int = 3  # CIRSE 2017: more levels in one session is a relative contraindication
    # Last dose on J−n. The names keep 2026.1's (scheduling reads them), the values are 2027.1's.
    vka_hold_days: int = 6
    aspirin_hold_days: int = 0  # continued
    clopidogrel_hold_days: int = 6
    prasugrel_hold_days: int = 8
    ticagrelor_hold_days: int = 6
    doac_hold_days: int = 5  # name not known: the longest of the two DOAC rules
    lmwh_hold_days: int = 1
    anaesthesia_consultation_days: int = 2
    recent_window_days: int = 42  # récente up to 6 weeks (VERTOS II), semi-récente after
    xaban_hold_days: int = 3  # apixaban, rivaroxaban, edoxaban, clearance at or above the threshold
    xaban_renal_hold_days: int = 4  # clearance below the threshold, or unknown
    xaban_clearance_threshold: int = 30
    dabigatran_hold_days: int = 4
    dabigatran_renal_hold_days: int = 5
    dabigatran_clearance_threshold: int = 50
    lmwh_bridging_hold_days: int = 1  # last bridging injection J−1 in the morning
    antiplatelet_resume_day: int = 1
    vka_resume_day: int = 1  # in the evening
    doac_resume_day: int = 2
    lmwh_resume_day: int = 1
    vka_inr_check_day: int = 1  # INR on J−1
    max_inr: float = 1.5  # SIR 2019: INR ≤ 1.5 for a high bleeding-risk procedure
    min_platelets: int = 50  # G/L, SIR 2019
    renal_min_clearance: int = 30  # G-RENAL, dabigatran or unnamed DOAC (GIHP 2018)
    xaban_renal_min_clearance: int = 15  # G-RENAL, apixaban, rivaroxaban, edoxaban
    fragility_age_years: int = 50  # G-YOUNG below, G-FLS from (GRIO 2018)

    def __post_init__(self) -> None:
        # Bad numbers would leave ages that no age rule covers, so refuse them up front.
        for name, value in self.as_dict().items():
            allowed = (int, float) if name in FRACTIONAL else (int,)
            if type(value) not in allowed or value < 0:
                raise ValueError(f"{name} must be a non-negative number, not {value!r}")
        if not 0 < self.ideal_window_days < self.latest_window_days:
            raise ValueError("need 0 < ideal_window_days < latest_window_days")
        if not self.ideal_window_days <= self.recent_window_days <= self.latest_window_days:
            raise ValueError("need ideal_window_days ≤ recent_window_days ≤ latest_window_days")
        if self.max_levels < 1:
            raise ValueError("max_levels must be at least 1")

    def as_dict(self) -> dict[str, float]:
        return asdict(self)

    def text_values(self) -> dict[str, float | str]:
        """Values the rule texts may name as ``{placeholders}``."""
        values: dict[str, float | str] = {**self.as_dict()}
        values["window_start_days"] = self.ideal_window_days + 1
        values["semi_recent_start_days"] = self.recent_window_days + 1
        values["max_inr_fr"] = f"{self.max_inr:g}".replace(".", ",")  # French decimal comma
        return values


DEFAULT_SETTINGS = EngineSettings()
