"""A GP's own quality page: their referrals' delays and outcomes against the clinic's median.

Only two kinds of figure reach it: this GP's own (read through `referral__gp_id`), and the
clinic-wide median and shares over every patient treated (theirs included). Nothing about another
GP's patients is ever listed; the patients named are those this GP referred, as they typed them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.utils.translation import gettext as _

from eligibility.adapter import engine_settings
from quality import selectors
from quality.months import period_tally
from quality.pages.dashboard import DELAY_LABELS
from quality.pages.figures import Table, days, paired_bars, percent
from quality.periods import Period, period_from
from quality.stats import share
from quality.tally import live_tally
from referrals.models import patient_full_name

# The patients listed under the figures, most recent procedure first.
PATIENTS_SHOWN = 100
# A GP refers a few patients a month: a year by default, so that a median means something.
DEFAULT_MONTHS = 12
FOLLOWUPS = ("d1", "m1", "m3")


def default_period(today: date) -> Period:
    """The twelve months up to and including this one."""
    first = date(today.year, today.month, 1)
    for _month in range(DEFAULT_MONTHS - 1):
        first = (first - timedelta(days=1)).replace(day=1)
    return period_from(f"{first:%Y-%m}", f"{today:%Y-%m}", today=today)


@dataclass(frozen=True)
class TreatedPatient:
    referral_id: int
    patient: str
    performed_on: date
    fracture_to_procedure: int | None  # days, None when the fracture date is not known
    within_ideal: bool | None
    pain: dict[str, int | None]  # "before", "d1", "m1", "m3" → NRS 0–10


@dataclass(frozen=True)
class GpQuality:
    period: Period
    treated: int
    tables: tuple[Table, ...]
    patients: tuple[TreatedPatient, ...]


def _typed_name(identity: dict[str, Any] | None) -> str:
    typed = identity or {}
    return patient_full_name(
        **{k: typed.get(k) or "" for k in ("birth_name", "used_name", "first_names", "sex")}
    )


def _delay_table(mine: selectors.Delays, clinic: selectors.Delays) -> Table:
    theirs = {d.key: d for d in clinic.delays}
    mine_label, clinic_label = _("vos patients"), _("clinique")
    rows: list[tuple[str, str, str, str, str]] = []
    chart: list[tuple[str, float | None, str, float | None, str]] = []
    for delay in mine.delays:
        other = theirs[delay.key]
        label = str(DELAY_LABELS[delay.key])
        rows.append(
            (label, str(delay.count), days(delay.median), days(other.median), days(other.p90))
        )
        chart.append((label, delay.median, days(delay.median), other.median, days(other.median)))
    return Table(
        "gp_delays",
        _("Délais jusqu’au traitement"),
        _(
            "Médiane en jours pour vos patients traités dans la période, face à la médiane de "
            "tous les patients traités à la clinique (les vôtres compris)."
        ),
        (
            _("Délai"),
            _("Vos patients"),
            _("Votre médiane (jours)"),
            _("Médiane de la clinique (jours)"),
            _("90e centile de la clinique (jours)"),
        ),
        tuple(rows),
        paired_bars(chart, mine=mine_label, theirs=clinic_label),
    )


def _share_table(mine: selectors.Delays, clinic: selectors.Delays) -> Table:
    shares = [
        (_("Traités dans les 21 jours"), mine.within_ideal, clinic.within_ideal),
        (_("Traités dans les 6 mois"), mine.within_six_months, clinic.within_six_months),
    ]
    return Table(
        "gp_shares",
        _("Traités à temps"),
        _(
            "Part de vos patients traités dans les 21 jours et dans les 6 mois après leur "
            "fracture, face à celle de tous les patients traités à la clinique."
        ),
        (_("Délai"), _("Vos patients"), _("Votre part"), _("Part de la clinique")),
        tuple(
            (
                str(label),
                str(mine.dated),
                percent(share(own, mine.dated)),
                percent(share(all_, clinic.dated)),
            )
            for label, own, all_ in shares
        ),
        paired_bars(
            [
                (
                    str(label),
                    share(own, mine.dated),
                    percent(share(own, mine.dated)),
                    share(all_, clinic.dated),
                    percent(share(all_, clinic.dated)),
                )
                for label, own, all_ in shares
            ],
            mine=_("vos patients"),
            theirs=_("clinique"),
            scale=1,
        ),
    )


def _outcome_table(
    mine: tuple[selectors.Outcome, ...], clinic: tuple[selectors.Outcome, ...]
) -> Table:
    labels = {"before": _("Avant le geste"), "d1": _("J1"), "m1": _("M1"), "m3": _("M3")}
    theirs = {o.kind: o for o in clinic}

    def halved(o: selectors.Outcome) -> str:
        return "—" if o.halved is None else percent(share(o.halved, o.with_baseline or 0))

    rows = tuple(
        (
            str(labels[o.kind]),
            str(o.answers),
            days(o.median_pain),
            days(theirs[o.kind].median_pain),
            halved(o),
            halved(theirs[o.kind]),
        )
        for o in mine
    )
    chart = [
        (
            str(labels[o.kind]),
            o.median_pain,
            days(o.median_pain),
            theirs[o.kind].median_pain,
            days(theirs[o.kind].median_pain),
        )
        for o in mine
    ]
    return Table(
        "gp_outcomes",
        _("Douleur avant et après le geste"),
        _(
            "Douleur médiane (EN 0–10) de vos patients avant le geste et aux suivis recueillis "
            "dans la période, face à celle de tous les patients de la clinique."
        ),
        (
            _("Moment"),
            _("Réponses de vos patients"),
            _("Votre médiane"),
            _("Médiane de la clinique"),
            _("Douleur diminuée de moitié, vos patients"),
            _("Douleur diminuée de moitié, clinique"),
        ),
        rows,
        paired_bars(chart, mine=_("vos patients"), theirs=_("clinique"), scale=10),
    )


def _patients(period: Period, *, gp_id: int) -> tuple[TreatedPatient, ...]:
    values = selectors.treated_in(period, gp_id=gp_id).order_by("-performed_on", "-pk")
    window = engine_settings().ideal_window_days
    return tuple(
        TreatedPatient(
            referral_id=v["referral_id"],
            patient=_typed_name(v["referral__identity_as_entered"]),
            performed_on=v["performed_on"],
            fracture_to_procedure=(
                None if v["fracture_procedure"] is None else v["fracture_procedure"] + window
            ),
            within_ideal=v["within_ideal"],
            pain={"before": v["pain_before"], **{k: v[f"{k}_pain"] for k in FOLLOWUPS}},
        )
        for v in values.values(
            "referral_id",
            "performed_on",
            "referral__identity_as_entered",
            "fracture_procedure",
            "within_ideal",
            "pain_before",
            *(f"{k}_pain" for k in FOLLOWUPS),
        )[:PATIENTS_SHOWN]
    )


def gp_quality(period: Period, *, gp_id: int, today: date) -> GpQuality:
    # The GP's own patients counted from their rows; the clinic's from its kept months.
    own = live_tally([(period.start, period.end)], gp_id=gp_id)
    everyone = period_tally(period, today=today)
    mine, clinic = selectors.treated_from(own), selectors.treated_from(everyone)
    tables = (
        _delay_table(mine.delays, clinic.delays),
        _share_table(mine.delays, clinic.delays),
        _outcome_table(
            (mine.before, *selectors.answered_from(own)),
            (clinic.before, *selectors.answered_from(everyone)),
        ),
    )
    return GpQuality(period, mine.delays.treated, tables, _patients(period, gp_id=gp_id))
