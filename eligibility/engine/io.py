"""The JSON interchange format: facts in (strictly validated), facts and decisions out.

This format is for developers and machines (``manage.py evaluate_referral``, later the API), so
its error messages are in English. Every fault is reported, keyed by a path such as
``levels[1].fracture_date``; the root itself is ``$``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from .facts import (
    LEVEL_INDEX,
    SACRUM,
    Allergy,
    AlternativeImaging,
    Anaesthesia,
    Antithrombotic,
    Cause,
    ImagingFacts,
    LabFacts,
    LevelFacts,
    PainFacts,
    PatientFacts,
    RedFlags,
    ReferralFacts,
    SacralPattern,
    Sex,
)
from .serialise import RED_FLAG_KEYS, decision_to_dict, facts_to_dict

__all__ = ["FactsError", "decision_to_dict", "facts_from_dict", "facts_to_dict"]

E = TypeVar("E", bound=StrEnum)
_MISSING: Any = object()
MAX_AGE_YEARS = 130  # an older birth date is a typo (1041 for 1941), not a patient

LEVEL_KEYS = (
    "level",
    "fracture_date",
    "cause",
    "posterior_arch_involved",
    "posterior_wall_involved",
    "sacral_pattern",
    "mri_oedema",
    "retropulsion",
    "tender_on_percussion",
)
TOP_KEYS = ("as_of", "patient", "levels", "imaging", "pain", "red_flags", "allergies", "labs",
            "antithrombotics", "vka_bridging", "anaesthesia")  # fmt: skip
PATIENT_KEYS = ("birth_date", "sex", "pregnant", "osteoporosis_treatment")
IMAGING_KEYS = ("ct", "mri", "mri_contraindicated", "alternative")
PAIN_KEYS = ("nrs", "analgesics_failed", "opioids_failed")
# Laboratory values: (key, lowest, highest, unit) — the spec's plausible ranges.
LAB_RANGES: tuple[tuple[str, float, float, str], ...] = (
    ("platelets", 0, 2000, "G/L"),
    ("inr", 0.5, 15, ""),
    ("creatinine_clearance", 0, 250, "mL/min"),
)
LAB_KEYS = tuple(key for key, *_ in LAB_RANGES)


class FactsError(ValueError):
    """Invalid referral facts; ``errors`` maps each faulty path to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{path}: {', '.join(msgs)}" for path, msgs in errors.items()))


def _kind(value: object) -> str:
    return "null" if value is None else type(value).__name__


class _Reader:
    """Collects every fault instead of stopping at the first."""

    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def fail(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)

    def obj(self, value: Any, path: str, keys: tuple[str, ...]) -> dict[str, Any]:
        """An object with only ``keys``; a wrong type reads as empty so its fields default."""
        if value is _MISSING:
            return {}
        if not isinstance(value, dict):
            self.fail(path, f"must be an object, not {_kind(value)}")
            return {}
        prefix = "" if path == "$" else f"{path}."
        for key in value:
            if key not in keys:
                self.fail(f"{prefix}{key}", "unknown key")
        return value

    def field(
        self,
        data: dict[str, Any],
        key: str,
        path: str,
        parse: Callable[[Any, str], Any],
        default: Any,
        nullable: bool = False,
    ) -> Any:
        value = data.get(key, _MISSING)
        if value is _MISSING:
            return default
        if value is None:
            if nullable:
                return None
            self.fail(path, "must not be null")
            return default
        return parse(value, path)

    def boolean(self, value: Any, path: str) -> bool:
        if type(value) is not bool:
            self.fail(path, f"must be true or false, not {_kind(value)}")
            return False
        return value

    def day(self, value: Any, path: str) -> date | None:
        if not isinstance(value, str):
            self.fail(path, f"must be a date string YYYY-MM-DD, not {_kind(value)}")
            return None
        # fromisoformat alone also takes "20261128" and week dates; the format says YYYY-MM-DD.
        if len(value) != 10 or value[4] != "-" or value[7] != "-":
            self.fail(path, f"must be a date YYYY-MM-DD, not {value!r}")
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            self.fail(path, f"is not a real date: {value!r}")
            return None

    def choice(self, enum: type[E]) -> Callable[[Any, str], E | None]:
        def parse(value: Any, path: str) -> E | None:
            if not isinstance(value, str):
                self.fail(path, f"must be a string, not {_kind(value)}")
                return None
            try:
                return enum(value)
            except ValueError:
                allowed = ", ".join(member.value for member in enum)
                self.fail(path, f"unknown value {value!r}; expected one of {allowed}")
                return None

        return parse

    def nrs(self, value: Any, path: str) -> int | None:
        if type(value) is not int:  # bool is an int to Python, not to this format
            self.fail(path, f"must be an integer 0–10, not {_kind(value)}")
            return None
        if not 0 <= value <= 10:
            self.fail(path, f"must be between 0 and 10, not {value}")
            return None
        return value

    def number(self, low: float, high: float, unit: str) -> Callable[[Any, str], float | None]:
        def parse(value: Any, path: str) -> float | None:
            if type(value) not in (int, float):  # bool is an int to Python, not to this format
                self.fail(path, f"must be a number, not {_kind(value)}")
                return None
            if not low <= value <= high:  # NaN fails this too
                self.fail(path, f"must be between {low:g} and {high:g} {unit}".rstrip()
                          + f", not {value!r}")  # fmt: skip
                return None
            return value

        return parse

    def choices(self, data: dict[str, Any], key: str, enum: type[E]) -> tuple[E, ...]:
        """A list of distinct enum values (``[]`` when absent)."""
        raw = data.get(key, _MISSING)
        if raw is _MISSING:
            return ()
        if not isinstance(raw, list):
            self.fail(key, f"must be a list, not {_kind(raw)}")
            return ()
        parse = self.choice(enum)
        values: list[E] = []
        for i, value in enumerate(raw):
            member = parse(value, f"{key}[{i}]")
            if member is None:
                continue
            if member in values:
                self.fail(f"{key}[{i}]", f"repeats {member.value}")
            else:
                values.append(member)
        return tuple(values)

    def bools(self, data: dict[str, Any], path: str, keys: tuple[str, ...]) -> dict[str, bool]:
        return {key: self.field(data, key, f"{path}.{key}", self.boolean, False) for key in keys}


def facts_from_dict(data: Any, *, today: date) -> ReferralFacts:
    """Validate and convert the JSON form of the facts; raise ``FactsError`` naming every fault.

    ``today`` is the caller's local date: no date may lie after it, and ``as_of`` defaults to it.
    """
    if isinstance(today, datetime):  # comparing a datetime with a date raises later, obscurely
        raise TypeError("today must be a date, not a datetime")
    if not isinstance(data, dict):  # nothing else can be checked
        raise FactsError({"$": [f"must be an object, not {_kind(data)}"]})
    r = _Reader()
    root = r.obj(data, "$", TOP_KEYS)

    as_of = r.field(root, "as_of", "as_of", r.day, today)
    if as_of is not None and as_of > today:
        r.fail("as_of", f"is after today ({today.isoformat()})")
        as_of = None
    # Later checks compare with as_of; when it is unusable they compare with today only.
    horizon = as_of or today

    p = r.obj(root.get("patient", _MISSING), "patient", PATIENT_KEYS)
    birth_date = r.field(p, "birth_date", "patient.birth_date", r.day, None, nullable=True)
    if birth_date is not None:
        if birth_date > today:
            r.fail("patient.birth_date", f"is after today ({today.isoformat()})")
        elif as_of is not None and birth_date > as_of:
            r.fail("patient.birth_date", f"is after as_of ({as_of.isoformat()})")
        elif horizon.year - birth_date.year > MAX_AGE_YEARS:
            r.fail("patient.birth_date", f"is more than {MAX_AGE_YEARS} years ago")
    patient = PatientFacts(
        birth_date,
        r.field(p, "sex", "patient.sex", r.choice(Sex), None, nullable=True),
        r.field(p, "pregnant", "patient.pregnant", r.boolean, False),
        r.field(p, "osteoporosis_treatment", "patient.osteoporosis_treatment", r.boolean, None,
                nullable=True),
    )  # fmt: skip

    # A birth date that is itself at fault would only add noise to the fracture-date checks.
    born = None if "patient.birth_date" in r.errors else birth_date
    levels = _levels(r, root, as_of, today, born)

    im = r.obj(root.get("imaging", _MISSING), "imaging", IMAGING_KEYS)
    imaging = ImagingFacts(
        **r.bools(im, "imaging", IMAGING_KEYS[:3]),
        alternative=r.field(im, "alternative", "imaging.alternative",
                            r.choice(AlternativeImaging), None, nullable=True),
    )  # fmt: skip
    pn = r.obj(root.get("pain", _MISSING), "pain", PAIN_KEYS)
    pain = PainFacts(
        r.field(pn, "nrs", "pain.nrs", r.nrs, None, nullable=True),
        **r.bools(pn, "pain", PAIN_KEYS[1:]),
    )
    flags = r.obj(root.get("red_flags", _MISSING), "red_flags", RED_FLAG_KEYS)
    red_flags = RedFlags(**r.bools(flags, "red_flags", RED_FLAG_KEYS))
    allergies = r.choices(root, "allergies", Allergy)
    lb = r.obj(root.get("labs", _MISSING), "labs", LAB_KEYS)
    labs = LabFacts(*(r.field(lb, key, f"labs.{key}", r.number(low, high, unit), None,
                              nullable=True) for key, low, high, unit in LAB_RANGES))  # fmt: skip
    antithrombotics = r.choices(root, "antithrombotics", Antithrombotic)
    vka_bridging = r.field(root, "vka_bridging", "vka_bridging", r.boolean, None, nullable=True)
    anaesthesia = r.field(root, "anaesthesia", "anaesthesia", r.choice(Anaesthesia),
                          Anaesthesia.LOCAL)  # fmt: skip

    if r.errors:
        raise FactsError(r.errors)
    return ReferralFacts(as_of, levels, patient, imaging, pain, red_flags, antithrombotics,
                         anaesthesia, labs, allergies, vka_bridging)  # fmt: skip


def _levels(
    r: _Reader, root: dict[str, Any], as_of: date | None, today: date, birth_date: date | None
) -> tuple[LevelFacts, ...]:
    raw = root.get("levels", _MISSING)
    if raw is _MISSING:
        r.fail("levels", "is required")
        return ()
    if not isinstance(raw, list):
        r.fail("levels", f"must be a list, not {_kind(raw)}")
        return ()
    if not raw:
        r.fail("levels", "must name at least one level")
    seen: dict[str, int] = {}
    levels = []
    for i, item in enumerate(raw):
        path = f"levels[{i}]"
        d = r.obj(item, path, LEVEL_KEYS)
        if isinstance(item, dict) and "level" not in item:
            r.fail(f"{path}.level", "is required")
        level = r.field(d, "level", f"{path}.level", _level_parser(r), None)
        if level is not None:
            if level in seen:
                r.fail(f"{path}.level", f"repeats {level} (also levels[{seen[level]}])")
            seen.setdefault(level, i)
        fracture_date = r.field(d, "fracture_date", f"{path}.fracture_date", r.day, None,
                                nullable=True)  # fmt: skip
        if fracture_date is not None:
            where = f"{path}.fracture_date"
            if fracture_date > today:
                r.fail(where, f"is after today ({today.isoformat()})")
            elif as_of is not None and fracture_date > as_of:
                r.fail(where, f"is after as_of ({as_of.isoformat()})")
            if birth_date is not None and fracture_date < birth_date:
                r.fail(where, "is before the patient's birth date")
        pattern = r.field(d, "sacral_pattern", f"{path}.sacral_pattern",
                          r.choice(SacralPattern), None, nullable=True)  # fmt: skip
        if pattern is not None and level is not None and level != SACRUM:
            r.fail(f"{path}.sacral_pattern", f"applies to level S only, not {level}")
        flags = r.bools(d, path, ("posterior_arch_involved", "posterior_wall_involved",
                                  "retropulsion"))  # fmt: skip
        cause = r.field(d, "cause", f"{path}.cause", r.choice(Cause), Cause.UNKNOWN)
        oedema = r.field(d, "mri_oedema", f"{path}.mri_oedema", r.boolean, None, nullable=True)
        tender = r.field(d, "tender_on_percussion", f"{path}.tender_on_percussion", r.boolean,
                         None, nullable=True)  # fmt: skip
        if level is not None and not r.errors:  # facts with errors are never returned
            levels.append(LevelFacts(level, fracture_date, cause, sacral_pattern=pattern,
                                     mri_oedema=oedema, tender_on_percussion=tender,
                                     **flags))  # fmt: skip
    return tuple(levels)


def _level_parser(r: _Reader) -> Callable[[Any, str], str | None]:
    def parse(value: Any, path: str) -> str | None:
        if not isinstance(value, str):
            r.fail(path, f"must be a string, not {_kind(value)}")
            return None
        if value not in LEVEL_INDEX:
            r.fail(path, f"unknown level {value!r}; expected C1–C7, T1–T12, L1–L5 or S")
            return None
        return value

    return parse
