"""The clinic's tunable numbers. Defaults are those of ``docs/clinical-rules.md``."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, slots=True)
class EngineSettings:
    ideal_window_days: int = 21  # brochure: « dans les 3 premières semaines »
    latest_window_days: int = 183  # brochure: « dans les 6 mois »
    max_levels: int = 3  # CIRSE 2017: more levels in one session is a relative contraindication
    vka_hold_days: int = 5
    aspirin_hold_days: int = 0
    clopidogrel_hold_days: int = 5
    prasugrel_hold_days: int = 7
    ticagrelor_hold_days: int = 5
    doac_hold_days: int = 2
    # No input fact says "dabigatran" or gives the creatinine clearance, so this only appears in
    # the G-DOAC message for the reader to apply; it never moves a date.
    doac_dabigatran_renal_hold_days: int = 4
    lmwh_hold_days: int = 1
    anaesthesia_consultation_days: int = 2

    def __post_init__(self) -> None:
        # Bad numbers would leave ages that no age rule covers, so refuse them up front.
        for name, value in self.as_dict().items():
            if type(value) is not int or value < 0:
                raise ValueError(f"{name} must be a non-negative int, not {value!r}")
        if not 0 < self.ideal_window_days < self.latest_window_days:
            raise ValueError("need 0 < ideal_window_days < latest_window_days")
        if self.max_levels < 1:
            raise ValueError("max_levels must be at least 1")

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    def text_values(self) -> dict[str, int]:
        """Values the rule texts may name as ``{placeholders}``."""
        values = self.as_dict()
        values["window_start_days"] = self.ideal_window_days + 1
        return values


DEFAULT_SETTINGS = EngineSettings()
