"""Referral facts: the engine's input, as frozen dataclasses, and the vocabulary they use.

The JSON interchange format (see ``io.py``) maps one to one onto these classes; field names are the
JSON keys of ``docs/clinical-rules.md``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

# Spine order (C → T → L → S) is the order of every per-level output.
LEVELS: tuple[str, ...] = (
    *(f"C{n}" for n in range(1, 8)),
    *(f"T{n}" for n in range(1, 13)),
    *(f"L{n}" for n in range(1, 6)),
    "S",
)
LEVEL_INDEX: dict[str, int] = {name: i for i, name in enumerate(LEVELS)}
SACRUM = "S"


class Verdict(StrEnum):
    ELIGIBLE_IDEAL = "eligible_ideal"
    ELIGIBLE = "eligible"
    NEEDS_REVIEW = "needs_review"
    INCOMPLETE = "incomplete"
    SURGICAL_REFERRAL = "surgical_referral"
    NOT_ELIGIBLE = "not_eligible"


VERDICTS: tuple[str, ...] = tuple(Verdict)

# Effects a finding may have besides a verdict.
INFO = "info"
ACTION = "action"
EFFECTS: tuple[str, ...] = (*VERDICTS, INFO, ACTION)


class Sex(StrEnum):
    FEMALE = "F"
    MALE = "M"


class Cause(StrEnum):
    TRAUMA = "trauma"  # including low-energy falls on osteoporotic bone
    OSTEOPOROTIC = "osteoporotic"  # no known trauma
    TUMOUR_SUSPECTED = "tumour_suspected"
    UNKNOWN = "unknown"


class SacralPattern(StrEnum):
    H = "H"
    U = "U"
    UNILATERAL = "unilateral"
    OTHER = "other"


class Antithrombotic(StrEnum):
    ASPIRIN = "aspirin"
    CLOPIDOGREL = "clopidogrel"
    PRASUGREL = "prasugrel"
    TICAGRELOR = "ticagrelor"
    VKA = "vka"
    APIXABAN = "apixaban"
    RIVAROXABAN = "rivaroxaban"
    EDOXABAN = "edoxaban"
    DABIGATRAN = "dabigatran"
    DOAC = "doac"  # a direct oral anticoagulant whose name is not known (2026.1 inputs)
    LMWH = "lmwh"  # therapeutic dose
    FONDAPARINUX = "fondaparinux"
    OTHER = "other"


ANTIPLATELETS: frozenset[str] = frozenset(
    {
        Antithrombotic.ASPIRIN,
        Antithrombotic.CLOPIDOGREL,
        Antithrombotic.PRASUGREL,
        Antithrombotic.TICAGRELOR,
    }
)

# Anti-Xa direct oral anticoagulants: one hold rule (G-DOAC-XABAN).
XABANS: tuple[Antithrombotic, ...] = (
    Antithrombotic.APIXABAN,
    Antithrombotic.RIVAROXABAN,
    Antithrombotic.EDOXABAN,
)


class Anaesthesia(StrEnum):
    LOCAL = "local"
    SEDATION = "sedation"
    GENERAL = "general"


class AlternativeImaging(StrEnum):
    """The examination done instead of an MRI to show a recent fracture."""

    BONE_SCAN = "bone_scan"
    SPECT_CT = "spect_ct"
    DUAL_ENERGY_CT = "dual_energy_ct"


class Allergy(StrEnum):
    """Allergies other than to the cement itself (that one is ``RedFlags.cement_allergy``)."""

    IODINE = "iodine"
    LOCAL_ANAESTHETIC = "local_anaesthetic"
    LATEX = "latex"
    ANTIBIOTIC = "antibiotic"


@dataclass(frozen=True, slots=True)
class LevelFacts:
    level: str
    fracture_date: date | None = None  # trauma or pain onset
    cause: Cause = Cause.UNKNOWN
    posterior_arch_involved: bool = False
    posterior_wall_involved: bool = False
    sacral_pattern: SacralPattern | None = None  # only meaningful for "S"
    mri_oedema: bool | None = None  # None: not stated
    retropulsion: bool = False
    tender_on_percussion: bool | None = None  # None: not examined

    def __post_init__(self) -> None:
        # A misspelt level ("l1") would otherwise match no scope rule and pass silently.
        if self.level not in LEVEL_INDEX:
            raise ValueError(f"unknown level {self.level!r}; expected one of {', '.join(LEVELS)}")


@dataclass(frozen=True, slots=True)
class PatientFacts:
    birth_date: date | None = None
    sex: Sex | None = None
    pregnant: bool = False
    osteoporosis_treatment: bool | None = None  # already treated; None: not stated


@dataclass(frozen=True, slots=True)
class ImagingFacts:
    ct: bool = False
    mri: bool = False
    mri_contraindicated: bool = False
    alternative: AlternativeImaging | None = None


@dataclass(frozen=True, slots=True)
class PainFacts:
    nrs: int | None = None  # 0–10, None when not recorded
    analgesics_failed: bool = False
    opioids_failed: bool = False


@dataclass(frozen=True, slots=True)
class RedFlags:
    active_infection: bool = False
    uncorrectable_coagulopathy: bool = False
    cement_allergy: bool = False
    neurological_deficit: bool = False
    high_energy_trauma: bool = False
    cannot_lie_prone: bool = False


@dataclass(frozen=True, slots=True)
class LabFacts:
    """Latest values, ``None`` when unknown."""

    platelets: float | None = None  # G/L
    inr: float | None = None
    creatinine_clearance: float | None = None  # mL/min, Cockcroft–Gault


@dataclass(frozen=True, slots=True)
class ReferralFacts:
    """Everything the engine knows about one referral, as of ``as_of`` (the evaluation date).

    ``levels`` keeps the order it was given in; the engine reports in spine order.
    """

    as_of: date
    levels: tuple[LevelFacts, ...]
    patient: PatientFacts = field(default_factory=PatientFacts)
    imaging: ImagingFacts = field(default_factory=ImagingFacts)
    pain: PainFacts = field(default_factory=PainFacts)
    red_flags: RedFlags = field(default_factory=RedFlags)
    antithrombotics: tuple[Antithrombotic, ...] = ()
    anaesthesia: Anaesthesia = Anaesthesia.LOCAL
    labs: LabFacts = field(default_factory=LabFacts)
    allergies: tuple[Allergy, ...] = ()
    vka_bridging: bool | None = None  # heparin bridging planned by the GP; None: not stated
