"""What the convocation tells this patient to do, in plain French.

Built from the accepted decision: the antithrombotics the decision was made on, their hold days
(the engine's, see scheduling.windows.decision_holds), the anaesthesia and the stay. Wording follows
the clinic's brochure (docs: clinical-rules.md, « The procedure, for letters and scheduling »).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from clinic.dates import long_date
from referrals.choices import Anaesthesia, Stay

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


def _stop_day(procedure_day: date, days: int) -> str:
    return long_day(procedure_day - timedelta(days=days))


def medication_instructions(
    *,
    antithrombotics: tuple[str, ...] | list[str],
    holds: dict[str, int],
    procedure_day: date,
    procedure_time: time,
) -> list[Instruction]:
    """One instruction per antithrombotic the patient takes, with its date."""
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
    if "vka" in drugs:
        found.append(
            Instruction(
                _("Anticoagulant AVK (Coumadine, Préviscan, Sintrom…)"),
                _(
                    "Ne prenez plus votre AVK à partir du %(day)s. Votre médecin traitant organise "
                    "le relais par une héparine (piqûres) et vous prescrit une prise de sang pour "
                    "contrôler l'INR avant le geste. Appelez-le dès réception de cette convocation."
                )
                % {"day": _stop_day(procedure_day, holds.get("vka_stop_bridging", 5))},
                important=True,
            )
        )
    if "aspirin" in drugs:
        found.append(
            Instruction(
                _("Aspirine (Kardégic)"),
                _("Continuez à prendre votre aspirine (Kardégic) normalement : ne l'arrêtez pas."),
            )
        )
    if "clopidogrel" in drugs:
        found.append(
            Instruction(
                _("Clopidogrel (Plavix)"),
                capfirst(
                    only_if
                    + _(
                        "si c'est possible, ne prenez plus de clopidogrel (Plavix) à partir du "
                        "%(day)s. Demandez à votre médecin si vous pouvez l'arrêter."
                    )
                    % {"day": _stop_day(procedure_day, holds.get("clopidogrel_stop", 5))}
                ),
            )
        )
    for drug, action, name, default in (
        ("prasugrel", "prasugrel_stop", _("prasugrel (Efient)"), 7),
        ("ticagrelor", "ticagrelor_stop", _("ticagrélor (Brilique)"), 5),
    ):
        if drug in drugs:
            stop = _stop_day(procedure_day, holds.get(action, default))
            found.append(
                Instruction(
                    capfirst(name),
                    capfirst(
                        only_if
                        + _("ne prenez plus de %(drug)s à partir du %(day)s.")
                        % {"drug": name, "day": stop}
                    ),
                    important=True,
                )
            )
    if "doac" in drugs:
        found.append(
            Instruction(
                _("Anticoagulant oral direct (Eliquis, Xarelto, Pradaxa…)"),
                _(
                    "Prenez votre dernière dose le %(day)s, puis plus rien jusqu'au geste. Si vous "
                    "prenez du dabigatran (Pradaxa), demandez à votre médecin : le délai peut être "
                    "plus long selon l'état de vos reins."
                )
                % {"day": _stop_day(procedure_day, holds.get("doac_hold", 2))},
                important=True,
            )
        )
    if "lmwh" in drugs:
        found.append(
            Instruction(
                _("Héparine en piqûres (Lovenox, Innohep…)"),
                _(
                    "Faites votre dernière piqûre le %(day)s, au plus tard à %(time)s (24 heures "
                    "avant le geste)."
                )
                % {
                    "day": _stop_day(procedure_day, holds.get("lmwh_hold", 1)),
                    "time": clock(procedure_time),
                },
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
    *, anaesthesia: str, holds: dict[str, int], procedure_day: date, arrival: time
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
    days = holds.get("anaesthesia_consultation", 2)
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
                "day": _stop_day(procedure_day, days),
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
