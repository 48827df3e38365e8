"""What the convocation tells this patient about their medication, in plain French, and the
dates they must keep before the procedure.

Built from the accepted decision: the antithrombotics the decision was made on and the dated
medication plan and preparation (scheduling.plan: no date here is computed any other way). The
day itself (anaesthesia, fasting, before and after, what to bring) is scheduling.care. Wording
follows the clinic's brochure (docs: clinical-rules.md, « The procedure, for letters, scheduling
and the patient's documents »).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from clinic.dates import long_date
from scheduling.plan import (
    ANAESTHESIA_CONSULTATION,
    DatedEntry,
    DatedPreparation,
    drug_label,
)

ANTIPLATELETS = frozenset({"aspirin", "clopidogrel", "prasugrel", "ticagrelor"})


@dataclass(frozen=True)
class Instruction:
    title: str
    text: str
    important: bool = False


def long_day(day: date) -> str:
    """« mardi 8 décembre 2026 » (« mardi 1er décembre 2026 »)."""
    return long_date(day, weekday=True)


def clock(value: time) -> str:
    """« 7 h 30 », as French letters write times."""
    return f"{value.hour} h {value.minute:02d}"


def reader_clock(value: time) -> str:
    """A time for the reader's language on a page: « 7 h 30 » in French (kept on one line),
    "7:30" in English."""
    if (get_language() or "fr").startswith("fr"):
        return f"{value.hour}\u00a0h\u00a0{value.minute:02d}"
    return f"{value.hour}:{value.minute:02d}"


TIME_WORDS = {"morning": gettext_lazy("au matin"), "evening": gettext_lazy("au soir")}
KEEP_TAKING = frozenset({"aspirin", "clopidogrel", "prasugrel", "ticagrelor"})


def _on(day: date, time_of_day: str | None) -> str:
    """« le vendredi 4 décembre 2026 », « … au soir »."""
    words = TIME_WORDS.get(time_of_day or "")
    text = _("le %(day)s") % {"day": long_day(day)}
    return f"{text} {words}" if words else text


def _resume(entry: DatedEntry) -> str:
    return _("reprise %(on)s (J+%(n)d), sauf avis contraire du radiologue.") % {
        "on": _on(entry.resume, entry.resume_time),
        "n": entry.resume_day,
    }


def _inr_max(entry: DatedEntry) -> str:
    return f"{entry.inr_max or 1.5:g}".replace(".", ",")


def _inr_moved(due: date | None) -> str:
    """Why the INR check is not on the day before the procedure (« (la veille du geste, le
    lundi 17 mai 2027, est un jour férié) »), or nothing."""
    if due is None:
        return ""
    if due.weekday() == 6:
        return " " + _("(la veille du geste, le %(day)s, est un dimanche)") % {"day": long_day(due)}
    return " " + _("(la veille du geste, le %(day)s, est un jour férié)") % {"day": long_day(due)}


def _entry_instruction(entry: DatedEntry, *, only_if: str, bridging: bool) -> Instruction:
    last = _("dernière prise %(on)s, puis plus rien jusqu’au geste ;") % {
        "on": _on(entry.last_dose, entry.last_dose_time)
    }
    if entry.drug == "vka":
        inr = _(
            "Faites une prise de sang pour contrôler l’INR %(on)s%(why)s : il doit être inférieur "
            "ou égal à %(max)s. Apportez le résultat le jour du geste."
        ) % {
            "on": _on(entry.inr_check, None) if entry.inr_check else "",
            "why": _inr_moved(entry.inr_moved_from),
            "max": _inr_max(entry),
        }
        relay = (
            _("Votre médecin traitant organise le relais par une héparine (piqûres).")
            if bridging
            else _(
                "Votre médecin traitant vous dit si un relais par une héparine (piqûres) est "
                "nécessaire ; appelez-le dès réception de cette convocation."
            )
        )
        text = f"{capfirst(last)} {_resume(entry)} {inr} {relay}"
        return Instruction(_("Anticoagulant AVK (Coumadine, Préviscan, Sintrom…)"), text, True)
    if entry.drug == "lmwh_bridging":
        text = _(
            "Faites votre dernière piqûre d’héparine du relais %(on)s ; reprise %(resume)s "
            "(J+%(n)d), selon les consignes de votre médecin."
        ) % {
            "on": _on(entry.last_dose, entry.last_dose_time),
            "resume": _on(entry.resume, entry.resume_time),
            "n": entry.resume_day,
        }
        return Instruction(_("Relais par héparine (piqûres)"), text, True)
    if entry.optional:
        text = capfirst(
            only_if
            + _(
                "si c’est possible, %(last)s %(resume)s Demandez à votre médecin si vous pouvez "
                "l’arrêter."
            )
            % {"last": last, "resume": _resume(entry)}
        )
        return Instruction(entry.label, text)
    return Instruction(entry.label, capfirst(only_if + f"{last} {_resume(entry)}"), True)


def medication_instructions(
    *,
    antithrombotics: tuple[str, ...] | list[str],
    plan: list[DatedEntry],
) -> list[Instruction]:
    """One instruction per antithrombotic the patient takes, with the dates of the plan (the
    radiologist's, the option they chose or the engine's: scheduling.plan)."""
    drugs = set(antithrombotics)
    dual = len(drugs & ANTIPLATELETS) >= 2
    found: list[Instruction] = []
    if dual:
        found.append(
            Instruction(
                _("Deux médicaments antiagrégants"),
                _(
                    "Vous prenez deux médicaments qui fluidifient le sang (antiagrégants). "
                    "N’arrêtez aucun d’eux sans l’accord de votre cardiologue : demandez-lui son "
                    "avis dès maintenant, avant toute autre consigne ci-dessous."
                ),
                important=True,
            )
        )
    only_if = _("Seulement si votre cardiologue est d’accord : ") if dual else ""
    planned = {entry.drug for entry in plan}
    bridging = "lmwh_bridging" in planned
    for entry in plan:
        found.append(
            _entry_instruction(
                entry, only_if=only_if if entry.drug in ANTIPLATELETS else "", bridging=bridging
            )
        )
    for drug in sorted(drugs - planned):
        if drug == "aspirin":
            found.append(
                Instruction(
                    _("Aspirine (Kardégic)"),
                    _(
                        "Continuez à prendre votre aspirine (Kardégic) normalement : ne l’arrêtez "
                        "pas."
                    ),
                )
            )
        elif drug in KEEP_TAKING:
            found.append(
                Instruction(
                    drug_label(drug),
                    _(
                        "Le radiologue a choisi de faire le geste sans l’arrêter : continuez à le "
                        "prendre normalement."
                    ),
                )
            )
        else:
            found.append(
                Instruction(
                    drug_label(drug),
                    _(
                        "Le radiologue vous précisera quand prendre la dernière dose avant le "
                        "geste. Sans nouvelles de sa part, appelez le secrétariat au %(phone)s."
                    )
                    % {"phone": settings.CLINIC_PHONE},
                    important=True,
                )
            )
    if drugs:
        found.append(
            Instruction(
                _("Vos autres médicaments"),
                _("Continuez vos autres traitements habituels, sauf consigne contraire ci-dessus."),
            )
        )
    return found


@dataclass(frozen=True)
class KeyDate:
    """One line of « Vos dates » on the convocation: a day and what happens on it."""

    day: date
    what: str
    important: bool = False


def key_dates(
    *,
    plan: list[DatedEntry],
    preparation: list[DatedPreparation],
    imaging: list[tuple[datetime, str]],
    procedure_day: date,
    arrival: time,
) -> list[KeyDate]:
    """Every date the patient must keep, in order: last doses, the last heparin injection, the INR
    check, the anaesthesia consultation deadline, imaging at the centre, then the procedure. All
    dates come from the dated plan (scheduling.plan)."""
    found: list[tuple[date, int, KeyDate]] = []

    def add(day: date, order: int, what: str, important: bool = True) -> None:
        found.append((day, order, KeyDate(day, what, important)))

    for entry in plan:
        words = TIME_WORDS.get(entry.last_dose_time or "")
        when = f" {words}" if words else ""
        if entry.drug == "lmwh_bridging":
            add(
                entry.last_dose,
                1,
                _("dernière piqûre d’héparine du relais%(when)s") % {"when": when},
            )
        elif entry.optional:
            add(
                entry.last_dose,
                0,
                _("%(drug)s : dernière prise%(when)s, si possible (voir plus bas)")
                % {"drug": entry.label, "when": when},
                important=False,
            )
        else:
            add(
                entry.last_dose,
                0,
                _("%(drug)s : dernière prise%(when)s") % {"drug": entry.label, "when": when},
            )
        if entry.inr_check is not None:
            add(
                entry.inr_check,
                2,
                _("prise de sang pour l’INR (au plus %(max)s) ; apportez le résultat")
                % {"max": _inr_max(entry)},
            )
    for prep in preparation:
        if prep.kind == ANAESTHESIA_CONSULTATION:
            add(prep.latest, 3, _("consultation d’anesthésie faite au plus tard ce jour-là"))
    for at, exam in imaging:
        add(
            at.date(),
            4,
            _("%(exam)s au centre à %(time)s (lettre de rendez-vous à part)")
            % {"exam": exam, "time": clock(at.time())},
        )
    add(
        procedure_day,
        5,
        _("cimentoplastie : arrivée à %(time)s") % {"time": clock(arrival)},
    )
    return [item for _day, _order, item in sorted(found, key=lambda f: (f[0], f[1]))]
