"""Per-level rules (``docs/clinical-rules.md``, "Per level"), in the spec's order."""

from __future__ import annotations

from .facts import INFO, SACRUM, Cause, LevelFacts, ReferralFacts, SacralPattern, Verdict
from .rulebase import BROCHURE, CIRSE, Q_IDEAL, Q_INTRO, Q_SACRUM, Q_SPINE, Q_WINDOW, Scope, rule
from .settings import EngineSettings

LEVEL = Scope.LEVEL
V = Verdict
# Bound once: looking a member up on the enum class costs more than the rule itself.
_H = SacralPattern.H
_TUMOUR = Cause.TUMOUR_SUSPECTED


@rule("B-LEVEL-SPINE", LEVEL, INFO,
      when=("Niveau T1–T12 ou L1–L5", "Level is T1–T12 or L1–L5"),
      says=("Rachis dorsal ou lombaire : dans le champ du protocole.",
            "Thoracic or lumbar spine: within the protocol."),
      source=f"{BROCHURE} : {Q_SPINE}")  # fmt: skip
def b_level_spine(lv: LevelFacts, age: int | None, f: ReferralFacts, s: EngineSettings) -> bool:
    return lv.level[0] in "TL"


@rule("B-LEVEL-CERVICAL", LEVEL, V.NEEDS_REVIEW,
      when=("Niveau C1–C7", "Level is C1–C7"),
      says=("Rachis cervical : hors du protocole du centre (dorsal, lombaire, sacrum) ; "
            "avis du radiologue requis.",
            "Cervical spine: outside the clinic's protocol (thoracic, lumbar, sacrum); "
            "the radiologist must review."),
      source=f"{BROCHURE} : {Q_SPINE} ; « La cimentoplastie peut également s'appliquer aux "
             "fractures du sacrum. » (le rachis cervical n'est pas cité)")  # fmt: skip
def b_level_cervical(lv: LevelFacts, age: int | None, f: ReferralFacts, s: EngineSettings) -> bool:
    return lv.level[0] == "C"


@rule("B-SACRUM-H", LEVEL, INFO,
      when=("Niveau S, fracture « en H »", "Level S with an H pattern"),
      says=("Fracture du sacrum « en H » : dans le champ du protocole ; les délais s'appliquent.",
            "Sacral H fracture: within the protocol; the time windows apply."),
      source=f"{BROCHURE} : {Q_SACRUM}")  # fmt: skip
def b_sacrum_h(lv: LevelFacts, age: int | None, f: ReferralFacts, s: EngineSettings) -> bool:
    return lv.level == SACRUM and lv.sacral_pattern == _H


@rule("B-SACRUM-OTHER", LEVEL, V.NEEDS_REVIEW,
      when=("Niveau S, fracture non « en H » ou type non précisé",
            "Level S with any other pattern, or none given"),
      says=("Fracture du sacrum non « en H » ou type non précisé : seule la fracture « en H » "
            "est citée ; avis du radiologue requis.",
            "Sacral fracture not H-shaped, or pattern not given: only H fractures are listed; "
            "the radiologist must review."),
      source=f"{BROCHURE} : {Q_SACRUM} (seules les fractures « en H » sont citées)")  # fmt: skip
def b_sacrum_other(lv: LevelFacts, age: int | None, f: ReferralFacts, s: EngineSettings) -> bool:
    return lv.level == SACRUM and lv.sacral_pattern != _H


@rule("B-ARCH", LEVEL, V.SURGICAL_REFERRAL, actions=("surgical_opinion",),
      when=("Atteinte de l'arc postérieur", "Posterior arch involved"),
      says=("Atteinte de l'arc postérieur : contre-indication ; stabilisation chirurgicale "
            "du rachis d'abord.",
            "Posterior arch involved: contraindicated; surgical stabilisation first."),
      source=f"{BROCHURE}, contre-indications : « Les fractures vertébrales avec retentissement "
             "mécanique à risque (atteinte de l'arc postérieur). Une stabilisation du rachis "
             "est indispensable, et sera réalisée par voie chirurgicale. »")  # fmt: skip
def b_arch(lv: LevelFacts, age: int | None, f: ReferralFacts, s: EngineSettings) -> bool:
    return lv.posterior_arch_involved


@rule("B-AGE-UNKNOWN", LEVEL, V.INCOMPLETE, actions=("date_fracture",),
      when=("Date de fracture inconnue", "Fracture date unknown"),
      says=("Date de la fracture inconnue : le délai décide de l'indication ; préciser la date "
            "du traumatisme ou du début des douleurs.",
            "Fracture date unknown: timing decides the indication; give the date of the trauma "
            "or of pain onset."),
      source=f"{BROCHURE} : {Q_IDEAL} {Q_WINDOW}")  # fmt: skip
def b_age_unknown(lv: LevelFacts, age: int | None, f: ReferralFacts, s: EngineSettings) -> bool:
    return age is None


@rule("B-AGE-IDEAL", LEVEL, V.ELIGIBLE_IDEAL,
      when=("Âge ≤ {ideal_window_days} jours", "Age ≤ {ideal_window_days} days"),
      says=("Fracture de {ideal_window_days} jours ou moins : délai idéal ; alternative au "
            "traitement antalgique, sans échec préalable requis.",
            "Fracture {ideal_window_days} days old or less: ideal window; an alternative to "
            "analgesics, no prior treatment failure needed."),
      source=f"{BROCHURE} : {Q_IDEAL}")  # fmt: skip
def b_age_ideal(lv: LevelFacts, age: int | None, f: ReferralFacts, s: EngineSettings) -> bool:
    return age is not None and age <= s.ideal_window_days


def _in_window(age: int | None, s: EngineSettings) -> bool:
    return age is not None and s.ideal_window_days < age <= s.latest_window_days


@rule("B-AGE-WINDOW", LEVEL, V.ELIGIBLE,
      when=("{window_start_days} ≤ âge ≤ {latest_window_days} jours, échec des antalgiques ou "
            "des morphiniques",
            "{window_start_days} ≤ age ≤ {latest_window_days} days, analgesics or opioids "
            "failed"),
      says=("Fracture de {window_start_days} à {latest_window_days} jours, en échec du "
            "traitement antalgique : dans le délai de traitement.",
            "Fracture {window_start_days} to {latest_window_days} days old, analgesic treatment "
            "failed: inside the treatment window."),
      source=f"{BROCHURE} : {Q_WINDOW} ; introduction : {Q_INTRO}")  # fmt: skip
def b_age_window(lv: LevelFacts, age: int | None, f: ReferralFacts, s: EngineSettings) -> bool:
    pain = f.pain
    return (pain.analgesics_failed or pain.opioids_failed) and _in_window(age, s)


@rule("B-SEMI-RECENT", LEVEL, V.ELIGIBLE,
      when=("{window_start_days} ≤ âge ≤ {latest_window_days} jours, échec des morphiniques",
            "{window_start_days} ≤ age ≤ {latest_window_days} days, opioids failed"),
      says=("Fracture semi-récente en échec du traitement morphinique : indication de la "
            "brochure.",
            "Semi-recent fracture, opioid treatment failed: a brochure indication."),
      source=f"{BROCHURE} : « Les fractures semi-récentes confinées au corps vertébral, en échec "
             "de traitement médicamenteux morphinique. »")  # fmt: skip
def b_semi_recent(lv: LevelFacts, age: int | None, f: ReferralFacts, s: EngineSettings) -> bool:
    return f.pain.opioids_failed and _in_window(age, s)


@rule("B-AGE-NO-FAILURE", LEVEL, V.NEEDS_REVIEW,
      when=("{window_start_days} ≤ âge ≤ {latest_window_days} jours, aucun échec de "
            "traitement noté",
            "{window_start_days} ≤ age ≤ {latest_window_days} days, no treatment failure "
            "recorded"),
      says=("Fracture de plus de {ideal_window_days} jours sans échec documenté du traitement "
            "antalgique : avis du radiologue requis.",
            "Fracture older than {ideal_window_days} days with no documented failure of "
            "analgesics: the radiologist must review."),
      source=f"{BROCHURE}, introduction : {Q_INTRO}")  # fmt: skip
def b_age_no_failure(lv: LevelFacts, age: int | None, f: ReferralFacts, s: EngineSettings) -> bool:
    pain = f.pain
    return not (pain.analgesics_failed or pain.opioids_failed) and _in_window(age, s)


@rule("B-AGE-OVER", LEVEL, V.NOT_ELIGIBLE,
      when=("Âge > {latest_window_days} jours", "Age > {latest_window_days} days"),
      says=("Fracture de plus de {latest_window_days} jours : hors délai ; le radiologue peut "
            "passer outre (p. ex. œdème osseux persistant).",
            "Fracture older than {latest_window_days} days: outside the window; the radiologist "
            "may override (e.g. persisting oedema)."),
      source=f"{BROCHURE} : {Q_WINDOW}")  # fmt: skip
def b_age_over(lv: LevelFacts, age: int | None, f: ReferralFacts, s: EngineSettings) -> bool:
    return age is not None and age > s.latest_window_days


@rule("B-CAUSE-TUMOUR", LEVEL, V.NEEDS_REVIEW, actions=("oncology_pathway",),
      when=("Origine tumorale suspectée", "Tumour suspected"),
      says=("Origine tumorale suspectée : hors du protocole (fractures post-traumatiques ou "
            "ostéoporotiques) ; avis du radiologue, filière oncologique.",
            "Suspected tumour: outside the protocol (post-traumatic or osteoporotic "
            "fractures); radiologist review, oncology pathway."),
      source=f"{BROCHURE} : « … soulager les douleurs vertébrales invalidantes liées à une "
             f"fracture post-traumatique récente du rachis » ; {Q_SPINE}")  # fmt: skip
def b_cause_tumour(lv: LevelFacts, age: int | None, f: ReferralFacts, s: EngineSettings) -> bool:
    return lv.cause == _TUMOUR


@rule("G-WALL", LEVEL, V.NEEDS_REVIEW,
      when=("Mur postérieur atteint, arc postérieur intact",
            "Posterior wall involved, posterior arch intact"),
      says=("Atteinte du mur postérieur : risque de fuite de ciment vers le canal ; avis du "
            "radiologue requis.",
            "Posterior wall involved: risk of cement leaking into the canal; the radiologist "
            "must review."),
      source=f"{CIRSE}, standards of practice; DGOU OF classification, OF 3 (Schnake et al., "
             "Global Spine J 2018)")  # fmt: skip
def g_wall(lv: LevelFacts, age: int | None, f: ReferralFacts, s: EngineSettings) -> bool:
    # With the arch involved B-ARCH already sends the patient to the surgeon.
    return lv.posterior_wall_involved and not lv.posterior_arch_involved


@rule("G-RETROPULSION", LEVEL, V.NEEDS_REVIEW,
      when=("Recul du mur postérieur (rétropulsion)", "Retropulsion"),
      says=("Rétropulsion d'un fragment : compromission du canal rachidien ; avis du "
            "radiologue requis.",
            "Retropulsed fragment: canal compromise; the radiologist must review."),
      source=f"{CIRSE}; VAPOUR exclusion criteria (Clark et al., Lancet 2016)")  # fmt: skip
def g_retropulsion(lv: LevelFacts, age: int | None, f: ReferralFacts, s: EngineSettings) -> bool:
    return lv.retropulsion


@rule("G-NO-OEDEMA", LEVEL, V.NEEDS_REVIEW,
      when=("Pas d'œdème osseux à l'IRM (indiqué « non »)", "No bone-marrow oedema on MRI"),
      says=("Pas d'œdème osseux à l'IRM : la fracture est peut-être consolidée ; avis du "
            "radiologue requis.",
            "No bone-marrow oedema on MRI: the fracture may have healed; the radiologist must "
            "review."),
      source="VERTOS II (Klazen et al., Lancet 2010), VERTOS IV (Firanescu et al., BMJ 2018), "
             "Buchbinder et al., NEJM 2009: inclusion criteria")  # fmt: skip
def g_no_oedema(lv: LevelFacts, age: int | None, f: ReferralFacts, s: EngineSettings) -> bool:
    return lv.mri_oedema is False  # None means "not stated", which is not "no oedema"
