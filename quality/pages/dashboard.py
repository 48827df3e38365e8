"""The quality dashboard's tables (and so its charts, CSV files and the monthly PDF)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import dateformat, timezone
from django.utils.formats import date_format, get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from procedures.choices import CirseGrade
from quality import selectors
from quality.months import period_tally
from quality.pages.figures import Table, bars, count, days, percent
from quality.periods import Period
from quality.stats import share
from referrals.choices import DecisionKind, Verdict

DELAY_LABELS = {
    "fracture_referral": gettext_lazy("Fracture → demande"),
    "referral_decision": gettext_lazy("Demande → décision"),
    "decision_procedure": gettext_lazy("Décision → geste"),
    "fracture_procedure": gettext_lazy("Fracture → geste"),
}
# The decision that agrees with each verdict; G-level review verdicts have none.
AGREES = {
    Verdict.ELIGIBLE_IDEAL: DecisionKind.ACCEPT,
    Verdict.ELIGIBLE: DecisionKind.ACCEPT,
    Verdict.NOT_ELIGIBLE: DecisionKind.DECLINE,
    Verdict.SURGICAL_REFERRAL: DecisionKind.REDIRECT_SURGERY,
    Verdict.INCOMPLETE: DecisionKind.REQUEST_INFORMATION,
}
MAJOR_GRADES = ("3", "4", "5")


def cause_labels() -> dict[str, str]:
    return {
        "imaging": _("Imagerie manquante"),
        "information": _("Informations demandées au médecin"),
        "drug_holds": _("Arrêts de traitement (antithrombotiques)"),
        "anaesthesia": _("Consultation d’anesthésie"),
        "no_room": _("Pas de séance avec de la place dans le délai"),
        "patient": _("Demande du patient (date tardive, déplacement, annulation)"),
        "clinic_change": _("Rendez-vous déplacé ou annulé par la clinique"),
        "medical_change": _("Rendez-vous déplacé ou annulé pour raison médicale"),
        "no_show": _("Patient absent"),
        "other": _("Autre raison notée à la programmation"),
        "unrecorded": _("Raison non enregistrée"),
    }


@dataclass(frozen=True)
class Dashboard:
    period: Period
    tables: tuple[Table, ...]

    def table(self, key: str) -> Table | None:
        return next((t for t in self.tables if t.key == key), None)


def _target_row(label: str, value: float | None, key: str) -> tuple[str, ...]:
    target = settings.QUALITY_TARGETS[key]
    at_most = key.endswith("_max")
    if value is None:
        met = "—"
    else:
        met = _("oui") if (value <= target if at_most else value >= target) else _("non")
    bound = _("au plus %(t)s") if at_most else _("au moins %(t)s")
    return (label, percent(value), bound % {"t": percent(target)}, met)


def delay_tables(data: selectors.Delays) -> list[Table]:
    rows = [
        (str(DELAY_LABELS[d.key]), str(d.count), days(d.median), days(d.p90)) for d in data.delays
    ]
    return [
        Table(
            "delays",
            _("Délais jusqu’au traitement"),
            _("Médiane et 90e centile en jours, patients traités dans la période."),
            (_("Délai"), _("Patients"), _("Médiane (jours)"), _("90e centile (jours)")),
            tuple(rows),
            bars([(str(DELAY_LABELS[d.key]), d.median, days(d.median)) for d in data.delays]),
        )
    ]


def target_table(
    data: selectors.Delays,
    cap: selectors.Capacity,
    outcomes: tuple[selectors.Outcome, ...],
    grades: dict[str, int],
    agreement: float | None,
) -> Table:
    by_kind = {o.kind: o for o in outcomes}
    m1, m3 = by_kind["m1"], by_kind["m3"]
    treated = sum(grades.values())
    values = [
        (_("Traités dans les 21 jours"), share(data.within_ideal, data.dated), "within_ideal"),
        (
            _("Traités dans les 6 mois"),
            share(data.within_six_months, data.dated),
            "within_six_months",
        ),
        (
            _("Places des séances utilisées"),
            share(cap.places_used, cap.places_offered),
            "session_use",
        ),
        (
            _("Douleur diminuée de moitié à M1"),
            share(m1.halved or 0, m1.with_baseline or 0),
            "pain_halved_m1",
        ),
        (_("Morphiniques à M3"), share(m3.opioids or 0, m3.answers), "opioids_m3_max"),
        (
            _("Complications CIRSE 3 à 5"),
            share(sum(grades.get(g, 0) for g in MAJOR_GRADES), treated),
            "major_complications_max",
        ),
        (
            _("Nouvelle fracture à M3"),
            share(m3.new_fractures or 0, m3.answers),
            "new_fractures_m3_max",
        ),
        (_("Décisions conformes au moteur"), agreement, "engine_agreement"),
    ]
    return Table(
        "targets",
        _("Indicateurs et cibles de la clinique"),
        _("Chaque indicateur de la période face à la cible fixée par la clinique."),
        (_("Indicateur"), _("Valeur"), _("Cible"), _("Atteinte")),
        tuple(_target_row(str(label), value, key) for label, value, key in values),
        bars([(str(label), value, percent(value)) for label, value, _k in values], scale=1),
    )


def cause_table(causes: dict[str, int]) -> Table:
    labels = cause_labels()
    rows = [(labels[key], causes[key]) for key in labels]
    return Table(
        "missed",
        _("Pourquoi le délai idéal a été dépassé"),
        _(
            "%(n)s patients traités après le délai idéal ; un patient peut compter pour plusieurs "
            "raisons."
        )
        % {"n": causes["missed"]},
        (_("Raison"), _("Patients")),
        tuple((label, str(n)) for label, n in rows),
        bars([(label, n, str(n)) for label, n in rows]),
    )


def capacity_tables(cap: selectors.Capacity) -> list[Table]:
    usage = [
        (_("Minutes de geste"), cap.minutes_offered, cap.minutes_used),
        (_("Places"), cap.places_offered, cap.places_used),
    ]
    weeks = tuple(
        (
            _("semaine du %(d)s") % {"d": date_format(monday, "j F")},
            date_format(first, "l j F") if first else _("aucune place libre"),
        )
        for monday, first in cap.first_free
    )
    return [
        Table(
            "capacity",
            _("Utilisation des séances"),
            _("%(n)s séances ; places perdues : %(c)s annulations, %(s)s absences.")
            % {"n": cap.sessions, "c": cap.cancelled, "s": cap.no_shows},
            (_("Capacité"), _("Offert"), _("Utilisé"), _("Taux")),
            (
                *(
                    (str(label), str(offered), str(used), percent(share(used, offered)))
                    for label, offered, used in usage
                ),
                (_("Places perdues (annulations)"), "—", str(cap.cancelled), "—"),
                (_("Places perdues (absences)"), "—", str(cap.no_shows), "—"),
            ),
            bars(
                [(str(lb), share(u, o), percent(share(u, o))) for lb, o, u in usage],
                scale=1,
                target=settings.QUALITY_TARGETS["session_use"],
            ),
        ),
        Table(
            "first_free",
            _("Première place libre des prochaines semaines"),
            _("À partir d’aujourd’hui, une séance qui a encore une place."),
            (_("Semaine"), _("Première place libre")),
            weeks,
        ),
    ]


def outcome_tables(outcomes: tuple[selectors.Outcome, ...], grades: dict[str, int]) -> list[Table]:
    labels = {"before": _("Avant le geste"), "d1": _("J1"), "m1": _("M1"), "m3": _("M3")}
    rows = tuple(
        (
            str(labels[o.kind]),
            str(o.answers),
            days(o.median_pain),
            "—" if o.halved is None else percent(share(o.halved, o.with_baseline or 0)),
            "—" if o.opioids is None else percent(share(o.opioids, o.answers)),
            count(o.new_fractures),
            count(o.complications),
        )
        for o in outcomes
    )
    grade_rows = tuple(
        (str(label), str(grades.get(value, 0))) for value, label in CirseGrade.choices
    )
    return [
        Table(
            "outcomes",
            _("Douleur et suivi"),
            _("Douleur (EN 0–10) avant le geste et aux suivis recueillis dans la période."),
            (
                _("Moment"),
                _("Réponses"),
                _("Douleur médiane"),
                _("Douleur diminuée de moitié"),
                _("Morphiniques"),
                _("Nouvelles fractures"),
                _("Complications"),
            ),
            rows,
            bars(
                [(str(labels[o.kind]), o.median_pain, days(o.median_pain)) for o in outcomes],
                scale=10,
            ),
        ),
        Table(
            "complications",
            _("Complications du geste (CIRSE)"),
            _("Grade noté au compte rendu opératoire, gestes de la période."),
            (_("Grade"), _("Gestes")),
            grade_rows,
            bars([(label, int(n), n) for label, n in grade_rows]),
        ),
    ]


def engine_tables(
    pairs: list[tuple[str, str, int]], overrides: tuple[int, list[dict[str, Any]]]
) -> tuple[list[Table], float | None]:
    # Labels translated once, not once a row (200 overrides).
    verdicts = {value: str(label) for value, label in Verdict.choices}
    kinds = {value: str(label) for value, label in DecisionKind.choices}
    short_date = get_format("SHORT_DATE_FORMAT")
    total: Counter[str] = Counter()
    agreeing: Counter[str] = Counter()
    for verdict, kind, n in pairs:
        total[verdict] += n
        if AGREES.get(verdict) == kind:  # type: ignore[call-overload]
            agreeing[verdict] += n
    judged = sum(n for v, n in total.items() if v in AGREES)
    overall = share(sum(agreeing.values()), judged)
    rows = [
        (str(verdicts.get(v, v)), total[v], agreeing[v] if v in AGREES else None)
        for v in Verdict.values
        if total[v]
    ]
    count_overrides, latest = overrides
    by_rule: Counter[str] = Counter()
    for row in latest:
        by_rule.update(row["rules"])
    return [
        Table(
            "engine",
            _("Le moteur et les radiologues"),
            _(
                "Décisions de la période par verdict du moteur ; « avis requis » n’a pas de "
                "décision conforme."
            ),
            (_("Verdict du moteur"), _("Décisions"), _("Conformes"), _("Accord")),
            tuple(
                (label, str(n), count(a), "—" if a is None else percent(share(a, n)))
                for label, n, a in rows
            ),
            bars(
                [
                    (
                        label,
                        share(a, n) if a is not None else None,
                        "—" if a is None else percent(share(a, n)),
                    )
                    for label, n, a in rows
                ],
                scale=1,
            ),
        ),
        Table(
            "overrides_by_rule",
            _("Écarts au moteur par règle"),
            _(
                "%(n)s décisions justifiées contre le verdict du moteur ; règles qui l’ont "
                "donné (les %(m)s dernières décisions)."
            )
            % {"n": count_overrides, "m": len(latest)},
            (_("Règle"), _("Écarts")),
            tuple((rule, str(n)) for rule, n in by_rule.most_common()),
            bars([(rule, n, str(n)) for rule, n in by_rule.most_common(12)]),
        ),
        Table(
            "overrides",
            _("Justifications des écarts"),
            _("Les plus récentes d’abord."),
            (_("Date"), _("Demande"), _("Verdict du moteur"), _("Décision"), _("Justification")),
            tuple(
                (
                    # The clinic's day, not UTC's (a decision at 00:30 is of that day).
                    dateformat.format(timezone.localdate(row["decided_at"]), short_date),
                    str(row["referral_id"]),
                    verdicts.get(row["engine_verdict"], row["engine_verdict"]),
                    kinds.get(row["kind"], row["kind"]),
                    row["justification"],
                )
                for row in latest
            ),
        ),
    ], overall


def cds_table(rules: list[selectors.CdsRule]) -> Table:
    return Table(
        "cds_cards",
        _("Cartes CDS Hooks par règle"),
        _(
            "Cartes affichées dans le logiciel des médecins pendant la période, et ce que le "
            "logiciel en a rapporté (acceptée, passée outre avec son motif)."
        ),
        (_("Règle"), _("Cartes"), _("Acceptées"), _("Passées outre"), _("Motif le plus fréquent")),
        tuple((r.rule, str(r.issued), str(r.accepted), str(r.overridden), r.reason) for r in rules),
        bars([(r.rule, r.overridden, str(r.overridden)) for r in rules[:12] if r.overridden]),
    )


def dashboard(period: Period, *, today: date) -> Dashboard:
    # The treated patients, the answers and the decisions: the period's closed months as kept,
    # the others counted from the rows.
    tally = period_tally(period, today=today)
    treated = selectors.treated_from(tally)
    delay_data, grades = treated.delays, treated.grades
    cap = selectors.capacity(period, today=today, weeks=settings.QUALITY_WEEKS_AHEAD)
    outcomes = (treated.before, *selectors.answered_from(tally))
    engine, agreement = engine_tables(
        selectors.verdicts_from(tally), selectors.overrides(selectors.decisions_in(period))
    )
    tables = [
        target_table(delay_data, cap, outcomes, grades, agreement),
        *delay_tables(delay_data),
        cause_table(treated.causes),
        *capacity_tables(cap),
        *outcome_tables(outcomes, grades),
        *engine,
        cds_table(selectors.cds_cards_by_rule(period)),
    ]
    return Dashboard(period, tuple(tables))
