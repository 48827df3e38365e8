"""What the convocation tells the patient about the day itself: anaesthesia and fasting, how long
they lie prone, what to watch for before and after, and what to bring.

Wording follows the clinic's brochure and the clinic's settings (docs/clinical-rules.md, « The
procedure, for letters, scheduling and the patient's documents »). Dates come from scheduling.plan;
sentences that would agree with the patient's sex are written so that they need not, or agree
through reports.words.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from referrals.choices import Anaesthesia, MriAlternative, Stay
from reports.words import HasSex, agree, duration
from scheduling.instructions import Instruction, clock, long_day
from scheduling.plan import ANAESTHESIA_CONSULTATION, DatedPreparation, last_working_day

UNDER_CARE = (Anaesthesia.GENERAL, Anaesthesia.SEDATION)


def under_care(anaesthesia: str) -> bool:
    """Sedation or general anaesthesia: consultation, fasting, someone at home, no driving."""
    return anaesthesia in UNDER_CARE


def position(*, levels: int, minutes: int) -> Instruction:
    """How long the patient lies prone for the number of levels treated (the booking's minutes:
    scheduling.windows.procedure_minutes, « procubitus pendant 30 minutes … jusqu'à 1h30 »)."""
    said = duration(minutes)
    if levels <= 1:
        text = _(
            "Le geste se fait à plat ventre, pendant environ %(minutes)s pour une vertèbre."
        ) % {"minutes": said}
    else:
        text = _(
            "Le geste se fait à plat ventre, pendant environ %(minutes)s pour %(levels)s vertèbres."
        ) % {"minutes": said, "levels": levels}
    return Instruction(_("Position pendant le geste"), text)


def anaesthesia_instructions(
    *,
    anaesthesia: str,
    preparation: list[DatedPreparation],
    procedure_day: date,
    arrival: time,
    patient: HasSex | None,
) -> list[Instruction]:
    """Local anaesthesia: awake, a light breakfast. Sedation or general anaesthesia: the
    consultation by its working-day deadline and the fasting times of the clinic's settings."""
    if not under_care(anaesthesia):
        return [
            Instruction(
                _("Anesthésie locale"),
                agree(
                    patient,
                    m=_(
                        "Le geste se fait sous anesthésie locale : il est indolore et vous restez "
                        "éveillé."
                    ),
                    f=_(
                        "Le geste se fait sous anesthésie locale : il est indolore et vous restez "
                        "éveillée."
                    ),
                    n=_(
                        "Le geste se fait sous anesthésie locale, sans vous endormir : il est "
                        "indolore."
                    ),
                ),
            ),
            Instruction(
                _("Repas"),
                _(
                    "Vous n’avez pas besoin de venir à jeun : un repas léger est possible avant "
                    "de venir (par exemple un petit-déjeuner léger)."
                ),
            ),
        ]
    kind = _("anesthésie générale") if anaesthesia == Anaesthesia.GENERAL else _("sédation")
    consultation = next(
        (p.latest for p in preparation if p.kind == ANAESTHESIA_CONSULTATION),
        last_working_day(procedure_day - timedelta(days=2)),
    )
    arrival_at = datetime.combine(procedure_day, arrival)  # wall-clock arithmetic, no zone
    last_meal = arrival_at - timedelta(hours=settings.FASTING_FOOD_HOURS)
    last_drink = arrival_at - timedelta(hours=settings.FASTING_CLEAR_DRINKS_HOURS)
    if last_meal.date() < procedure_day or last_meal.hour < 6:
        # A morning arrival: « from midnight » is what a patient can follow.
        meal = _("Ne mangez plus rien à partir de minuit, la veille au soir.")
    else:
        meal = _("Le jour du geste, ne mangez plus rien après %(time)s.") % {
            "time": clock(last_meal.time())
        }
    return [
        Instruction(
            _("Consultation d’anesthésie"),
            _(
                "Le geste se fait sous %(kind)s. Une consultation avec l’anesthésiste est "
                "obligatoire, au plus tard le %(day)s. Si vous n’avez pas encore ce rendez-vous, "
                "appelez le secrétariat au %(phone)s."
            )
            % {"kind": kind, "day": long_day(consultation), "phone": settings.CLINIC_PHONE},
            important=True,
        ),
        Instruction(
            _("Venir à jeun"),
            _(
                "%(meal)s Vous pouvez boire de l’eau, du thé ou du café sans lait jusqu’à "
                "%(drink)s le jour du geste, puis plus rien. Ne fumez pas. L’anesthésiste vous "
                "confirmera ces consignes."
            )
            % {"meal": meal, "drink": clock(last_drink.time())},
            important=True,
        ),
    ]


def before_care() -> str:
    """When to call the clinic before the day (the procedure may have to wait)."""
    return _(
        "Avant le geste, appelez le secrétariat au %(phone)s si vous avez de la fièvre ou une "
        "infection (urinaire, dentaire, de la peau…), ou si une faiblesse ou un engourdissement "
        "nouveau apparaît dans les jambes : le geste devra peut-être être reporté."
    ) % {"phone": settings.CLINIC_PHONE}


def after_care(*, stay: str, anaesthesia: str) -> list[str]:
    """The days after: walking, going home, who stays with the patient, nursing, recovery."""
    items = [_("Vous pourrez remarcher 2 heures après le geste.")]
    if stay == Stay.OVERNIGHT:
        items.append(
            _(
                "Vous passerez une nuit à la clinique et rentrerez chez vous le lendemain. "
                "Prévoyez quelqu’un pour vous raccompagner."
            )
        )
    else:
        items.append(
            _(
                "Vous rentrerez chez vous le jour même. Prévoyez quelqu’un pour vous raccompagner "
                "en voiture : ne conduisez pas ce jour-là."
            )
        )
    if under_care(anaesthesia):
        if stay == Stay.OVERNIGHT:
            items.append(
                _(
                    "Après une sédation ou une anesthésie générale, ne conduisez pas pendant les "
                    "24 heures qui suivent le geste."
                )
            )
        else:
            items.append(
                _(
                    "Après une sédation ou une anesthésie générale, une personne doit rester avec "
                    "vous la première nuit, et vous ne devez pas conduire pendant les 24 heures "
                    "qui suivent le geste."
                )
            )
    items += [
        _(
            "Les premiers jours, une infirmière passera chez vous 2 fois par jour pour les soins "
            "et la douleur. Quelques douleurs légères sont possibles : les antalgiques habituels "
            "les soulagent."
        ),
        _(
            "Vous retrouverez toute votre autonomie en 2 à 4 semaines, avec l’aide de séances de "
            "kinésithérapie."
        ),
    ]
    return items


def warning_signs() -> list[str]:
    """After the procedure: when to call the clinic's 24-hour number, or the 15."""
    return [
        _("de la fièvre"),
        _("une faiblesse, un engourdissement ou des fourmillements nouveaux dans les jambes"),
        _("une douleur dans la poitrine ou un essoufflement"),
        _("une douleur intense que les antalgiques ne calment pas"),
    ]


def what_to_bring(
    *,
    stay: str,
    anaesthesia: str,
    inr_check: date | None,
    mri_alternative: str,
) -> list[str]:
    """The complete list (« The procedure »): imaging, the INR result, the anaesthesia papers,
    the consent, the personne de confiance, the Carte Vitale and prescriptions."""
    if mri_alternative:
        exam = str(dict(MriAlternative.choices).get(mri_alternative, mri_alternative))
        imaging = _(
            "les images (CD ou clé USB) et les comptes rendus de votre scanner et de l’examen "
            "fait à la place de l’IRM (%(exam)s)"
        ) % {"exam": exam[:1].lower() + exam[1:]}
    else:
        imaging = _(
            "les images (CD ou clé USB) et les comptes rendus de votre scanner et de votre IRM"
        )
    items = [imaging]
    if inr_check is not None:
        items.append(
            _("le résultat de votre prise de sang (INR) du %(day)s") % {"day": long_day(inr_check)}
        )
    if under_care(anaesthesia):
        items.append(_("les documents remis lors de la consultation d’anesthésie"))
    items += [
        _("le formulaire de consentement, signé"),
        _("le formulaire de désignation de votre personne de confiance, rempli et signé"),
        _("votre carte Vitale et votre carte de mutuelle"),
        _("une pièce d’identité (carte d’identité ou passeport)"),
        _("vos ordonnances en cours et la liste de vos médicaments"),
        _("cette convocation"),
    ]
    if stay == Stay.OVERNIGHT:
        items.append(_("des affaires pour la nuit (vêtements, nécessaire de toilette)"))
    return items
