"""Fictional referrals by the hundred thousand, for `manage.py seed_volume` and `make bench`.

Everything here is made up: names from Faker's French lists, NIRs with a valid key but the
birthplace 99 999 (abroad, a country code that does not exist), addresses and phone numbers that
reach no one. The clinical facts follow profiles chosen so that the real engine returns a
realistic mix of verdicts; the status decides the rest (a decision for every referral past
« adressée », a booking for the scheduled and done ones).

This module builds unsaved rows; seed_volume inserts them in bulk.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from eligibility.adapter import evaluate_facts, facts_for_referral
from eligibility.engine import decision_to_dict, facts_to_dict
from referrals.choices import Anaesthesia, Cause, DecisionKind, Status, Stay, level_position
from referrals.fictional import fictional_nir
from referrals.models import FractureLevel, Patient, Referral, level_codes_of
from referrals.services.patients import PATIENT_FIELDS, identity_as_entered

VOLUME_PREFIX = "vol-"  # usernames of the accounts seed_volume creates; --reset goes by it
VOLUME_ROOM_PREFIX = "Salle V"  # rooms of the sessions it creates

# Share of each status in a network's history: most referrals are closed, a few wait.
STATUS_MIX: tuple[tuple[str, float], ...] = (
    (Status.DRAFT, 0.02),
    (Status.SUBMITTED, 0.03),
    (Status.INFO_REQUESTED, 0.01),
    (Status.ACCEPTED, 0.02),
    (Status.SCHEDULED, 0.03),
    (Status.DECLINED, 0.10),
    (Status.SURGERY, 0.05),
    (Status.DONE, 0.68),
    (Status.CANCELLED, 0.06),
)
ACTIVE = frozenset({Status.DRAFT, Status.SUBMITTED, Status.INFO_REQUESTED, Status.ACCEPTED})
ACCEPTED_BEFORE = frozenset({Status.ACCEPTED, Status.SCHEDULED, Status.DONE, Status.CANCELLED})

# Facts profiles (what the engine will say) and how likely each is for a status.
NATURAL = (
    ("ideal", 0.35),
    ("window", 0.25),
    ("review", 0.15),
    ("incomplete", 0.10),
    ("surgical", 0.05),
    ("not_eligible", 0.10),
)
TREATED = (("ideal", 0.55), ("window", 0.35), ("review", 0.10))
PROFILES_BY_STATUS: dict[str, tuple[tuple[str, float], ...]] = {
    Status.DRAFT: NATURAL,
    Status.SUBMITTED: NATURAL,
    Status.INFO_REQUESTED: (("incomplete", 0.5), ("review", 0.3), ("ideal", 0.1), ("window", 0.1)),
    Status.ACCEPTED: TREATED,
    Status.SCHEDULED: TREATED,
    Status.DONE: TREATED,
    Status.CANCELLED: TREATED,
    Status.DECLINED: (("not_eligible", 0.65), ("review", 0.25), ("window", 0.10)),
    Status.SURGERY: (("surgical", 0.85), ("review", 0.15)),
}

SPINE = ("T6", "T7", "T8", "T9", "T10", "T11", "T12", "L1", "L2", "L3", "L4", "L5")
SPINE_WEIGHTS = (1, 2, 3, 4, 6, 9, 14, 14, 8, 5, 3, 2)
DRUGS = (("aspirin", 0.20), ("clopidogrel", 0.07), ("vka", 0.06), ("doac", 0.08), ("lmwh", 0.02))
NOTES = (
    "Chute de sa hauteur à domicile.",
    "Douleur rachidienne brutale en se relevant.",
    "Ostéoporose connue, sous traitement.",
    "Chute dans l'escalier, pas de perte de connaissance.",
    "Douleur mal calmée malgré le palier 2.",
    "",
)
REASONS = {
    DecisionKind.DECLINE: "Indication non retenue en staff : fracture ancienne, sans œdème.",
    DecisionKind.REDIRECT_SURGERY: "Atteinte de l'arc postérieur : avis chirurgical d'abord.",
}
INFO_MESSAGE = "Merci de joindre le compte rendu de l'IRM (séquence STIR)."
AGAINST = "Vu en staff : bénéfice attendu malgré l'avis du moteur."


def quotas(total: int, mix: Sequence[tuple[str, float]]) -> dict[str, int]:
    """How many referrals of each status: shares rounded by largest remainder, so they add up to
    `total`; every status gets at least one when there are enough referrals."""
    weight = sum(share for _, share in mix)
    exact = {key: total * share / weight for key, share in mix}
    counts = {key: int(value) for key, value in exact.items()}
    if total >= len(mix):
        counts = {key: max(1, n) for key, n in counts.items()}
    by_remainder = sorted(mix, key=lambda item: exact[item[0]] - int(exact[item[0]]), reverse=True)
    index = 0
    while sum(counts.values()) < total:
        counts[by_remainder[index % len(mix)][0]] += 1
        index += 1
    while sum(counts.values()) > total:  # the minimum of one overshot: take from the largest
        largest = max(counts, key=lambda key: counts[key])
        counts[largest] -= 1
    return counts


class NirAllocator:
    """Hands out fictional NIRs that no patient row holds yet."""

    def __init__(self, taken: Iterable[str]) -> None:
        self.taken = set(taken)
        self.next_serial: dict[tuple[str, int, int], int] = {}

    def allocate(self, sex: str, birth: date) -> str | None:
        key = (sex, birth.year % 100, birth.month)
        serial = self.next_serial.get(key, 1)
        while serial < 1000:
            nir = fictional_nir(sex, birth.year, birth.month, serial)
            serial += 1
            if nir not in self.taken:
                self.taken.add(nir)
                self.next_serial[key] = serial
                return nir
        self.next_serial[key] = serial
        return None  # every serial of that sex, year and month is used: draw another birth date


@dataclass
class Names:
    last: list[str]
    female: list[str]
    male: list[str]

    @classmethod
    def fictional(cls, seed: int) -> Names:
        from faker import Faker

        faker = Faker("fr_FR")
        faker.seed_instance(seed)
        return cls(
            last=sorted({faker.last_name() for _ in range(1500)}),
            female=sorted({faker.first_name_female() for _ in range(600)}),
            male=sorted({faker.first_name_male() for _ in range(600)}),
        )


@dataclass
class Built:
    """One referral and what goes with it, unsaved, in insertion order."""

    referral: Referral
    levels: list[FractureLevel]
    patient: Patient  # new (pk None) or reused
    status: str
    created_at: datetime
    submitted_at: datetime | None = None
    facts: dict[str, Any] = field(default_factory=dict)
    output: dict[str, Any] = field(default_factory=dict)
    decisions: list[dict[str, Any]] = field(default_factory=list)  # Decision fields, oldest first
    booking_day: date | None = None


class Generator:
    """Draws referrals one by one from a seeded random stream (same seed, same data)."""

    def __init__(
        self,
        *,
        rng: random.Random,
        names: Names,
        nirs: NirAllocator,
        now: datetime,
        span: int,
        keep_day: date | None = None,
    ) -> None:
        self.rng = rng
        # A day whose schedule this load leaves as it is (its bookings are drawn on other days).
        self.keep_day = keep_day
        self.names = names
        self.nirs = nirs
        self.now = now
        self.today = timezone.localdate(now)
        self.span = span  # days of history the closed referrals spread over
        self.known: list[Patient] = []  # closed referrals' patients, a few come back

    def pick(self, choices: Sequence[tuple[str, float]]) -> str:
        return self.rng.choices([c for c, _ in choices], [w for _, w in choices])[0]

    def _ago(self, low_days: float, high_days: float) -> datetime:
        return self.now - timedelta(days=self.rng.uniform(low_days, high_days))

    def timeline(self, status: str) -> tuple[datetime, datetime | None, datetime | None]:
        """created, submitted and (first) decided instants for a referral of `status`."""
        if status == Status.DRAFT:
            return self._ago(0.1, 30), None, None
        recent: dict[str, tuple[float, float]] = {
            Status.SUBMITTED: (0.05, 10),
            Status.INFO_REQUESTED: (2, 20),
            Status.ACCEPTED: (2, 14),
            Status.SCHEDULED: (3, 20),
        }
        low, high = recent.get(status, (30, max(31, self.span)))
        submitted = self._ago(low, high)
        created = submitted - timedelta(hours=self.rng.uniform(0.1, 72))
        if status == Status.SUBMITTED:
            return created, submitted, None
        decided = min(
            submitted + timedelta(hours=self.rng.uniform(3, 60)), self.now - timedelta(hours=1)
        )
        return created, submitted, decided

    def patient(self, status: str, on: date) -> Patient:
        returning = status not in ACTIVE and status != Status.SCHEDULED and self.known
        if returning and self.rng.random() < 0.08:
            return self.rng.choice(self.known)  # a patient with an earlier referral
        sex = "F" if self.rng.random() < 0.75 else "M"
        nir = None
        while nir is None:
            birth = on - timedelta(days=self.rng.randint(58 * 365, 96 * 365))
            nir = self.nirs.allocate(sex, birth)
        first = self.rng.choice(self.names.female if sex == "F" else self.names.male)
        second = self.rng.choice(self.names.female if sex == "F" else self.names.male)
        patient = Patient(
            birth_name=self.rng.choice(self.names.last),
            first_names=first if self.rng.random() < 0.6 else f"{first} {second}",
            birth_date=birth,
            sex=sex,
            birth_place_insee="99999",
            nir=nir,
            phone=f"06 00 {self.rng.randint(0, 99):02d} {self.rng.randint(0, 99):02d} 00",
            email="",
            address=f"{self.rng.randint(1, 120)} rue Imaginaire, 75005 Paris",
        )
        patient.refresh_search_name()  # bulk_create does not call save()
        if status not in ACTIVE and status != Status.SCHEDULED:
            self.known.append(patient)
        return patient

    def _levels(self, count: int) -> list[str]:
        start = self.rng.choices(range(len(SPINE)), SPINE_WEIGHTS)[0]
        start = min(start, len(SPINE) - count)
        return list(SPINE[start : start + count])

    def facts(self, profile: str, on: date) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        """Referral fields and level rows that make the engine return `profile`'s verdict."""
        rng = self.rng
        count = rng.choices((1, 2, 3), (0.70, 0.22, 0.08))[0]
        fields: dict[str, Any] = {
            "ct_available": True,
            "mri_available": True,
            "ct_date": on - timedelta(days=rng.randint(1, 6)),
            "mri_date": on - timedelta(days=rng.randint(1, 6)),
            "pain_nrs": rng.randint(6, 9),
            "analgesics_failed": rng.random() < 0.85,
            "opioids_failed": rng.random() < 0.2,
            "antithrombotics": [d for d, share in DRUGS if rng.random() < share],
            "anaesthesia": self.pick(
                (
                    (Anaesthesia.LOCAL, 0.8),
                    (Anaesthesia.SEDATION, 0.12),
                    (Anaesthesia.GENERAL, 0.08),
                )
            ),
            "clinical_note": rng.choice(NOTES),
        }
        ages = {"ideal": (1, 20), "window": (23, 175), "not_eligible": (200, 420)}
        low, high = ages.get(profile, (2, 150))
        rows = []
        for name in self._levels(count):
            age = rng.randint(low, high)
            rows.append(
                {
                    "level": name,
                    "fracture_date": on - timedelta(days=age),
                    "cause": Cause.TRAUMA if rng.random() < 0.6 else Cause.OSTEOPOROTIC,
                    "mri_oedema": True,
                }
            )
        if profile == "window":
            fields["analgesics_failed"] = True
        elif profile == "review":
            twist = rng.choice(("tumour", "wall", "oedema", "pain", "cervical", "energy"))
            if twist == "tumour":
                rows[0]["cause"] = Cause.TUMOUR_SUSPECTED
            elif twist == "wall":
                rows[0]["posterior_wall_involved"] = True
            elif twist == "oedema":
                rows[0]["mri_oedema"] = False
            elif twist == "pain":
                fields["pain_nrs"] = rng.randint(2, 4)
            elif twist == "cervical":
                rows = [{**rows[0], "level": "C6"}]
            else:
                fields["high_energy_trauma"] = True
        elif profile == "incomplete":
            twist = rng.choice(("mri", "ct", "date"))
            if twist == "date":
                rows[0]["fracture_date"] = None
            else:
                fields[f"{twist}_available"] = False
                fields[f"{twist}_date"] = None
        elif profile == "surgical":
            if rng.random() < 0.7:
                rows[0]["posterior_arch_involved"] = True
            else:
                fields["neurological_deficit"] = True
        elif profile == "not_eligible" and rng.random() < 0.3:
            twist = rng.choice(("active_infection", "cement_allergy", "pain"))
            if twist == "pain":
                fields["pain_nrs"] = 0
            else:
                fields[twist] = True
        return fields, rows

    def build(self, status: str, gp_id: int) -> Built:
        created, submitted, decided = self.timeline(status)
        on = timezone.localdate(submitted or created)
        patient = self.patient(status, on)
        fields, rows = self.facts(self.pick(PROFILES_BY_STATUS[status]), on)
        referral = Referral(gp_id=gp_id, status=status, submitted_at=submitted, **fields)
        # What the GP typed: GP pages show it rather than the (possibly shared) patient record.
        typed = {name: getattr(patient, name) for name in PATIENT_FIELDS}
        referral.identity_as_entered = identity_as_entered(typed)
        referral.created_at = created
        referral.updated_at = decided or submitted or created
        levels = [FractureLevel(**row) for row in rows]
        for level in levels:
            level.position = level_position(level.level)
        referral.level_codes = level_codes_of(level.level for level in levels)
        built = Built(referral, levels, patient, status, created, submitted)
        if submitted is not None:
            self.evaluate(built, on)
        if decided is not None:
            self.decide(built, decided)
        return built

    def evaluate(self, built: Built, on: date) -> None:
        """The engine's verdict on the day of submission, copied onto the referral as
        referrals.services.referral_evaluate does."""
        referral = built.referral
        facts = facts_for_referral(referral, as_of=on, levels=built.levels, patient=built.patient)
        decision = evaluate_facts(facts)
        assert decision is not None  # every profile has a level
        built.facts = facts_to_dict(facts)
        built.output = decision_to_dict(decision, lang="fr")
        treat = decision.procedure.levels_to_treat
        candidates = [lv for lv in decision.levels if lv.level in treat] or list(decision.levels)
        ideal = [lv.ideal_until for lv in candidates if lv.ideal_until]
        latest = [lv.latest_until for lv in candidates if lv.latest_until]
        referral.verdict = str(decision.verdict)
        referral.ideal_until = min(ideal) if ideal else None
        referral.latest_until = min(latest) if latest else None
        referral.target_before = decision.target_before
        referral.earliest_procedure_date = decision.earliest_procedure_date

    def decide(self, built: Built, decided: datetime) -> None:
        status, verdict = built.status, built.referral.verdict
        proceed = verdict in ("eligible", "eligible_ideal")
        if status == Status.INFO_REQUESTED or (
            status in ACCEPTED_BEFORE and self.rng.random() < 0.08
        ):
            built.decisions.append(
                {"kind": DecisionKind.REQUEST_INFORMATION, "message_to_gp": INFO_MESSAGE}
            )
        if status in ACCEPTED_BEFORE:
            engine_levels = list(built.output["procedure"]["levels_to_treat"])
            levels = engine_levels or [lv.level for lv in built.levels][:3]
            built.decisions.append(
                {
                    "kind": DecisionKind.ACCEPT,
                    "levels_to_treat": levels,
                    "stay": Stay.OVERNIGHT if self.rng.random() < 0.1 else Stay.DAY_HOSPITAL,
                    "anaesthesia": built.referral.anaesthesia,
                    "message_to_gp": "Indication retenue, convocation à suivre.",
                    "justification": "" if proceed and engine_levels else AGAINST,
                }
            )
        elif status == Status.DECLINED:
            built.decisions.append(
                {
                    "kind": DecisionKind.DECLINE,
                    "reason": REASONS[DecisionKind.DECLINE],
                    "justification": AGAINST if proceed else "",
                }
            )
        elif status == Status.SURGERY:
            built.decisions.append(
                {
                    "kind": DecisionKind.REDIRECT_SURGERY,
                    "reason": REASONS[DecisionKind.REDIRECT_SURGERY],
                    "justification": "" if verdict == "surgical_referral" else AGAINST,
                }
            )
        step = timedelta(hours=self.rng.uniform(20, 70))
        for index, fields in enumerate(built.decisions):
            later = decided + step * index
            fields["decided_at"] = min(later, self.now - timedelta(minutes=30))
        if status == Status.SCHEDULED:
            built.booking_day = self.weekday(self.today + timedelta(days=self.rng.randint(3, 28)))
            while built.booking_day == self.keep_day:  # drawn again: no other day gets its share
                built.booking_day = self.weekday(
                    self.today + timedelta(days=self.rng.randint(3, 28))
                )
        elif status == Status.DONE or (status == Status.CANCELLED and self.rng.random() < 0.5):
            last = timezone.localdate(built.decisions[-1]["decided_at"])
            day = self.weekday(last + timedelta(days=self.rng.randint(5, 30)))
            while day >= self.today:
                day -= timedelta(days=1)
            built.booking_day = self.weekday(day, backwards=True)

    @staticmethod
    def weekday(day: date, *, backwards: bool = False) -> date:
        step = timedelta(days=-1 if backwards else 1)
        while day.weekday() >= 5:
            day += step
        return day


@dataclass
class _Slot:
    session: Any  # scheduling.models.DaySession
    used_minutes: int = 0
    day: int = 0
    overnight: int = 0
    cursor: int = 8 * 60


class SessionPacker:
    """Fills day-hospital sessions in order, opening another room when one is full, so that the
    seeded bookings never exceed a session's minutes, places or beds."""

    MINUTES, DAY_PLACES, BEDS = 480, 10, 2

    def __init__(self, *, taken: set[tuple[date, str]], radiologist_ids: list[int], by: int):
        self.taken = taken
        self.radiologist_ids = radiologist_ids
        self.by = by
        self.open: dict[date, list[_Slot]] = {}
        self.new: list[Any] = []

    def place(self, day: date, *, minutes: int, stay: str) -> tuple[Any, time]:
        from scheduling.models import DaySession, time_of

        for slot in self.open.setdefault(day, []):
            if self._fits(slot, minutes, stay):
                return slot.session, self._take(slot, minutes, stay, time_of)
        room = 1
        while (day, f"{VOLUME_ROOM_PREFIX}{room}") in self.taken:
            room += 1
        name = f"{VOLUME_ROOM_PREFIX}{room}"
        self.taken.add((day, name))
        session = DaySession(
            date=day,
            room=name,
            radiologist_id=self.radiologist_ids[room % len(self.radiologist_ids)],
            start_time=time(8, 0),
            end_time=time(17, 0),
            procedure_minutes=self.MINUTES,
            day_places=self.DAY_PLACES,
            overnight_beds=self.BEDS,
            created_by_id=self.by,
        )
        self.new.append(session)
        slot = _Slot(session)
        self.open[day].append(slot)
        return session, self._take(slot, minutes, stay, time_of)

    def _fits(self, slot: _Slot, minutes: int, stay: str) -> bool:
        if slot.used_minutes + minutes > self.MINUTES:
            return False
        return slot.overnight < self.BEDS if stay == Stay.OVERNIGHT else slot.day < self.DAY_PLACES

    @staticmethod
    def _take(slot: _Slot, minutes: int, stay: str, time_of: Any) -> time:
        start = time_of(slot.cursor)
        slot.cursor += minutes
        slot.used_minutes += minutes
        if stay == Stay.OVERNIGHT:
            slot.overnight += 1
        else:
            slot.day += 1
        return start
