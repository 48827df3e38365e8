"""What the convocation tells this patient to do, in plain French.

Built from the accepted decision: the antithrombotics the decision was made on, the dated
medication plan and preparation (scheduling.plan: no date here is computed any other way), the
anaesthesia and the stay. Wording follows
the clinic's brochure (docs: clinical-rules.md, « The procedure, for letters and scheduling »).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from clinic.dates import long_date
from referrals.choices import Anaesthesia, Stay
from scheduling.plan import (
    ANAESTHESIA_CONSULTATION,
    DatedEntry,
    DatedPreparation,
    drug_label,
    last_working_day,
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


def _entry_instruction(entry: DatedEntry, *, only_if: str, bridging: bool) -> Instruction:
    last = _("dernière prise %(on)s, puis plus rien jusqu'au geste ;") % {
        "on": _on(entry.last_dose, entry.last_dose_time)
    }
    if entry.drug == "vka":
        inr = _(
            "Faites une prise de sang pour contrôler l'INR %(on)s : il doit être inférieur ou égal "
            "à %(max)s. Apportez le résultat le jour du geste."
        ) % {"on": _on(entry.inr_check, None) if entry.inr_check else "", "max": _inr_max(entry)}
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
            "Faites votre dernière piqûre d'héparine du relais %(on)s ; reprise %(resume)s "
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
                "si c'est possible, %(last)s %(resume)s Demandez à votre médecin si vous pouvez "
                "l'arrêter."
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
                    "N'arrêtez aucun d'eux sans l'accord de votre cardiologue : demandez-lui son "
                    "avis dès maintenant, avant toute autre consigne ci-dessous."
                ),
                important=True,
            )
        )
    only_if = _("Seulement si votre cardiologue est d'accord : ") if dual else ""
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
                        "Continuez à prendre votre aspirine (Kardégic) normalement : ne l'arrêtez "
                        "pas."
                    ),
                )
            )
        elif drug in KEEP_TAKING:
            found.append(
                Instruction(
                    drug_label(drug),
                    _(
                        "Le radiologue a choisi de faire le geste sans l'arrêter : continuez à le "
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


def anaesthesia_instructions(
    *,
    anaesthesia: str,
    preparation: list[DatedPreparation],
    procedure_day: date,
    arrival: time,
) -> list[Instruction]:
    """Consultation and fasting for general anaesthesia or sedation; nothing more for local."""
    if anaesthesia not in (Anaesthesia.GENERAL, Anaesthesia.SEDATION):
        return [
            Instruction(
                _("Anesthésie locale"),
                _(
                    "Le geste se fait sous anesthésie locale : il est indolore et vous restez "
                    "éveillé(e)."
                ),
            )
        ]
    kind = _("une anesthésie générale") if anaesthesia == Anaesthesia.GENERAL else _("une sédation")
    consultation = next(
        (p.latest for p in preparation if p.kind == ANAESTHESIA_CONSULTATION),
        last_working_day(procedure_day - timedelta(days=2)),
    )
    arrival_at = datetime.combine(procedure_day, arrival)  # wall-clock arithmetic, no zone
    last_meal = arrival_at - timedelta(hours=6)
    last_drink = arrival_at - timedelta(hours=2)
    if last_meal.date() < procedure_day or last_meal.hour < 6:
        # A morning arrival: « from midnight » is what a patient can follow.
        meal = _("Ne mangez plus rien à partir de minuit, la veille au soir.")
    else:
        meal = _("Le jour du geste, ne mangez plus rien après %(time)s.") % {
            "time": clock(last_meal.time())
        }
    return [
        Instruction(
            _("Consultation d'anesthésie"),
            _(
                "Le geste se fait sous %(kind)s. Une consultation avec l'anesthésiste est "
                "obligatoire, au plus tard le %(day)s. Si vous n'avez pas encore ce rendez-vous, "
                "appelez le secrétariat au %(phone)s."
            )
            % {
                "kind": kind,
                "day": long_day(consultation),
                "phone": settings.CLINIC_PHONE,
            },
            important=True,
        ),
        Instruction(
            _("Venir à jeun"),
            _(
                "%(meal)s Vous pouvez boire de l'eau, du thé ou du café sans lait jusqu'à "
                "%(drink)s le jour du geste, puis plus rien. Ne fumez pas. L'anesthésiste vous "
                "confirmera ces consignes."
            )
            % {"meal": meal, "drink": clock(last_drink.time())},
            important=True,
        ),
    ]


def what_to_bring(stay: str) -> list[str]:
    items = [
        _("les images (CD ou clé USB) et les comptes rendus de votre scanner et de votre IRM"),
        _("votre carte Vitale et votre carte de mutuelle"),
        _("une pièce d'identité (carte d'identité ou passeport)"),
        _("la liste de vos médicaments (vos dernières ordonnances)"),
        _("cette convocation"),
    ]
    if stay == Stay.OVERNIGHT:
        items.append(_("des affaires pour la nuit (vêtements, nécessaire de toilette)"))
    return items


def after_care(stay: str) -> list[str]:
    home = (
        _("Vous passerez une nuit à la clinique et rentrerez chez vous le lendemain.")
        if stay == Stay.OVERNIGHT
        else _(
            "Vous rentrerez chez vous le jour même (parfois le lendemain). Prévoyez quelqu'un "
            "pour vous raccompagner : ne conduisez pas ce jour-là."
        )
    )
    return [
        _("Vous pourrez remarcher 2 heures après le geste."),
        home,
        _(
            "Les premiers jours, une infirmière passera chez vous 2 fois par jour pour les soins "
            "et la douleur. Quelques douleurs légères sont possibles : les antalgiques habituels "
            "les soulagent."
        ),
        _(
            "Vous retrouverez toute votre autonomie en 2 à 4 semaines, avec l'aide de séances de "
            "kinésithérapie."
        ),
    ]
