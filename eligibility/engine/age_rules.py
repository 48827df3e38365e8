"""The age rules (``docs/clinical-rules.md``, "Per level").

They read ``a``, the fracture's age at the earliest procedure date (``age_at_earliest_days``),
except where the spec names ``fracture_age_days`` (``age``, at ``as_of``). None of them fires on a
``tumour_suspected`` level; every other level falls under exactly one of B-AGE-UNKNOWN /
B-AGE-UNKNOWN-OEDEMA, B-AGE-IDEAL, B-AGE-WINDOW / B-AGE-NO-FAILURE, B-SEMI-RECENT /
B-SEMI-RECENT-NO-OPIOID, G-WINDOW-CLOSES, B-AGE-OVER-OEDEMA / B-AGE-OVER (B-IDEAL-MISSED is
information beside one of them).
"""

from __future__ import annotations

from .facts import INFO, Cause, LevelFacts, ReferralFacts, Verdict
from .rulebase import (
    BROCHURE,
    CIRSE,
    Q_IDEAL,
    Q_INTRO,
    Q_SEMI_RECENT,
    Q_WINDOW,
    VERTOS,
    Scope,
    dated_not_tumour,
    rule,
    undated_not_tumour,
)
from .settings import EngineSettings

LEVEL = Scope.LEVEL
V = Verdict
Lv = LevelFacts
F = ReferralFacts
S = EngineSettings
Age = int | None
_TUMOUR = Cause.TUMOUR_SUSPECTED


@rule("B-AGE-UNKNOWN", LEVEL, V.INCOMPLETE, actions=("date_fracture",), kinds=undated_not_tumour,
      when=("Date de fracture inconnue, pas d'œdème indiqué", "Fracture date unknown, no oedema "
            "stated"),
      says=("Date de la fracture inconnue : le délai décide de l'indication ; préciser la date "
            "du traumatisme ou du début des douleurs.",
            "Fracture date unknown: timing decides the indication; give the date of the trauma "
            "or of pain onset."),
      source=f"{BROCHURE} : {Q_IDEAL} {Q_WINDOW}")  # fmt: skip
def b_age_unknown(lv: Lv, a: Age, age: Age, f: F, s: S) -> bool:
    return a is None and lv.mri_oedema is not True and lv.cause is not _TUMOUR


@rule("B-AGE-UNKNOWN-OEDEMA", LEVEL, V.NEEDS_REVIEW, kinds=undated_not_tumour,
      when=("Date de fracture inconnue, œdème osseux à l'IRM",
            "Fracture date unknown, bone-marrow oedema on MRI"),
      says=("Date de la fracture inconnue mais œdème osseux à l'IRM : fracture récente ; le "
            "radiologue la date sur l'IRM.",
            "Fracture date unknown but bone-marrow oedema on MRI: a recent fracture; the "
            "radiologist dates it on the MRI."),
      source=f"{BROCHURE} : {Q_IDEAL} {Q_WINDOW} ; {VERTOS}: oedema marks a recent "
             "fracture")  # fmt: skip
def b_age_unknown_oedema(lv: Lv, a: Age, age: Age, f: F, s: S) -> bool:
    return a is None and lv.mri_oedema is True and lv.cause is not _TUMOUR


@rule("B-AGE-IDEAL", LEVEL, V.ELIGIBLE_IDEAL, kinds=dated_not_tumour,
      when=("Âge au plus tôt ≤ {ideal_window_days} jours",
            "Age at the earliest date ≤ {ideal_window_days} days"),
      says=("Fracture de {ideal_window_days} jours ou moins à la première date possible du "
            "geste : délai idéal ; alternative au traitement antalgique, sans échec préalable "
            "requis.",
            "Fracture {ideal_window_days} days old or less on the earliest procedure date: ideal "
            "window; an alternative to analgesics, no prior treatment failure needed."),
      source=f"{BROCHURE} : {Q_IDEAL}")  # fmt: skip
def b_age_ideal(lv: Lv, a: Age, age: Age, f: F, s: S) -> bool:
    return a is not None and a <= s.ideal_window_days and lv.cause is not _TUMOUR


@rule("B-IDEAL-MISSED", LEVEL, INFO, kinds=dated_not_tumour,
      when=("Âge ≤ {ideal_window_days} jours aujourd'hui, > {ideal_window_days} jours à la "
            "première date possible",
            "Age ≤ {ideal_window_days} days today, > {ideal_window_days} days on the earliest "
            "date"),
      says=("Le délai idéal de {ideal_window_days} jours se ferme avant la première date "
            "possible du geste (arrêts de traitement, consultation) : la fracture est jugée à "
            "cette date.",
            "The ideal {ideal_window_days}-day window closes before the earliest procedure date "
            "(drug holds, consultation): the fracture is judged at that date."),
      source=f"{BROCHURE} : {Q_IDEAL}")  # fmt: skip
def b_ideal_missed(lv: Lv, a: Age, age: Age, f: F, s: S) -> bool:
    ideal = s.ideal_window_days
    return a is not None and age is not None and age <= ideal < a and lv.cause is not _TUMOUR


@rule("B-AGE-WINDOW", LEVEL, V.ELIGIBLE, kinds=dated_not_tumour,
      when=("{window_start_days} ≤ âge au plus tôt ≤ {recent_window_days} jours, échec des "
            "antalgiques ou des morphiniques",
            "{window_start_days} ≤ age at the earliest date ≤ {recent_window_days} days, "
            "analgesics or opioids failed"),
      says=("Fracture récente ({window_start_days} à {recent_window_days} jours), en échec du "
            "traitement antalgique : dans le délai de traitement.",
            "Recent fracture ({window_start_days} to {recent_window_days} days), analgesic "
            "treatment failed: inside the treatment window."),
      source=f"{BROCHURE} : {Q_WINDOW} ; introduction : {Q_INTRO}")  # fmt: skip
def b_age_window(lv: Lv, a: Age, age: Age, f: F, s: S) -> bool:
    pain = f.pain
    return (
        (pain.analgesics_failed or pain.opioids_failed)
        and a is not None
        and s.ideal_window_days < a <= s.recent_window_days
        and lv.cause is not _TUMOUR
    )


@rule("B-AGE-NO-FAILURE", LEVEL, V.NEEDS_REVIEW, kinds=dated_not_tumour,
      when=("{window_start_days} ≤ âge au plus tôt ≤ {recent_window_days} jours, aucun échec de "
            "traitement noté",
            "{window_start_days} ≤ age at the earliest date ≤ {recent_window_days} days, no "
            "treatment failure recorded"),
      says=("Fracture de plus de {ideal_window_days} jours sans échec documenté du traitement "
            "antalgique : avis du radiologue requis.",
            "Fracture older than {ideal_window_days} days with no documented failure of "
            "analgesics: the radiologist must review."),
      source=f"{BROCHURE}, introduction : {Q_INTRO}")  # fmt: skip
def b_age_no_failure(lv: Lv, a: Age, age: Age, f: F, s: S) -> bool:
    pain = f.pain
    return (
        not (pain.analgesics_failed or pain.opioids_failed)
        and a is not None
        and s.ideal_window_days < a <= s.recent_window_days
        and lv.cause is not _TUMOUR
    )


@rule("B-SEMI-RECENT", LEVEL, V.ELIGIBLE, kinds=dated_not_tumour,
      when=("{semi_recent_start_days} ≤ âge au plus tôt ≤ {latest_window_days} jours, échec des "
            "morphiniques",
            "{semi_recent_start_days} ≤ age at the earliest date ≤ {latest_window_days} days, "
            "opioids failed"),
      says=("Fracture semi-récente ({semi_recent_start_days} à {latest_window_days} jours) en "
            "échec du traitement morphinique : indication de la brochure.",
            "Semi-recent fracture ({semi_recent_start_days} to {latest_window_days} days), opioid "
            "treatment failed: a brochure indication."),
      source=f"{BROCHURE} : {Q_SEMI_RECENT}")  # fmt: skip
def b_semi_recent(lv: Lv, a: Age, age: Age, f: F, s: S) -> bool:
    return (
        f.pain.opioids_failed
        and a is not None
        and s.recent_window_days < a <= s.latest_window_days
        and lv.cause is not _TUMOUR
    )


@rule("B-SEMI-RECENT-NO-OPIOID", LEVEL, V.NEEDS_REVIEW, kinds=dated_not_tumour,
      when=("{semi_recent_start_days} ≤ âge au plus tôt ≤ {latest_window_days} jours, pas "
            "d'échec des morphiniques noté",
            "{semi_recent_start_days} ≤ age at the earliest date ≤ {latest_window_days} days, no "
            "opioid failure recorded"),
      says=("Fracture semi-récente ({semi_recent_start_days} à {latest_window_days} jours) sans "
            "échec documenté du traitement morphinique : avis du radiologue requis.",
            "Semi-recent fracture ({semi_recent_start_days} to {latest_window_days} days) with no "
            "documented failure of opioids: the radiologist must review."),
      source=f"{BROCHURE} : {Q_SEMI_RECENT}")  # fmt: skip
def b_semi_recent_no_opioid(lv: Lv, a: Age, age: Age, f: F, s: S) -> bool:
    return (
        not f.pain.opioids_failed
        and a is not None
        and s.recent_window_days < a <= s.latest_window_days
        and lv.cause is not _TUMOUR
    )


@rule("G-WINDOW-CLOSES", LEVEL, V.NEEDS_REVIEW, kinds=dated_not_tumour,
      when=("Âge ≤ {latest_window_days} jours aujourd'hui, > {latest_window_days} jours à la "
            "première date possible",
            "Age ≤ {latest_window_days} days today, > {latest_window_days} days on the earliest "
            "date"),
      says=("Le délai de 6 mois ({latest_window_days} jours) se ferme avant la première date "
            "possible du geste : le radiologue décide.",
            "The 6-month window ({latest_window_days} days) closes before the earliest procedure "
            "date: the radiologist decides."),
      source=f"{BROCHURE} : {Q_WINDOW}")  # fmt: skip
def g_window_closes(lv: Lv, a: Age, age: Age, f: F, s: S) -> bool:
    latest = s.latest_window_days
    return a is not None and age is not None and age <= latest < a and lv.cause is not _TUMOUR


@rule("B-AGE-OVER-OEDEMA", LEVEL, V.NEEDS_REVIEW, kinds=dated_not_tumour,
      when=("Âge > {latest_window_days} jours, œdème osseux à l'IRM",
            "Age > {latest_window_days} days, bone-marrow oedema on MRI"),
      says=("Fracture de plus de {latest_window_days} jours avec un œdème osseux persistant "
            "(pseudarthrose, maladie de Kümmell) : avis du radiologue requis.",
            "Fracture older than {latest_window_days} days with persisting bone-marrow oedema "
            "(non-union, Kümmell disease): the radiologist must review."),
      source=f"{BROCHURE} : {Q_WINDOW} ; {CIRSE} (persisting oedema)")  # fmt: skip
def b_age_over_oedema(lv: Lv, a: Age, age: Age, f: F, s: S) -> bool:
    return (
        age is not None
        and age > s.latest_window_days
        and lv.mri_oedema is True
        and lv.cause is not _TUMOUR
    )


@rule("B-AGE-OVER", LEVEL, V.NOT_ELIGIBLE, kinds=dated_not_tumour,
      when=("Âge > {latest_window_days} jours, pas d'œdème osseux indiqué",
            "Age > {latest_window_days} days, no bone-marrow oedema stated"),
      says=("Fracture de plus de {latest_window_days} jours : hors délai ; le radiologue peut "
            "passer outre.",
            "Fracture older than {latest_window_days} days: outside the window; the radiologist "
            "may override."),
      source=f"{BROCHURE} : {Q_WINDOW}")  # fmt: skip
def b_age_over(lv: Lv, a: Age, age: Age, f: F, s: S) -> bool:
    return (
        age is not None
        and age > s.latest_window_days
        and lv.mri_oedema is not True
        and lv.cause is not _TUMOUR
    )
