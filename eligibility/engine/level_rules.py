"""Per-level rules other than the age rules (``docs/clinical-rules.md``, "Per level").

Every level rule takes ``(level, a, age, facts, settings)``: ``a`` is the fracture's age at the
earliest procedure date (``age_at_earliest_days``, what age rules read), ``age`` its age at
``as_of``; both ``None`` when the date is unknown. The table's order is ``rules.RULE_ORDER``.
"""

from __future__ import annotations

from .facts import INFO, SACRUM, Cause, LevelFacts, ReferralFacts, SacralPattern, Verdict
from .rulebase import BROCHURE, CIRSE, Q_ARCH, Q_SACRUM, Q_SPINE, VERTOS, Scope, rule, sacrum
from .settings import EngineSettings

LEVEL = Scope.LEVEL
V = Verdict
Lv = LevelFacts
F = ReferralFacts
S = EngineSettings
Age = int | None
# Bound once: looking a member up on the enum class costs more than the rule itself.
_H = SacralPattern.H
_TUMOUR = Cause.TUMOUR_SUSPECTED


def _cervical(region: str, dated: bool, tumour: bool) -> bool:
    return region == "C"


def _tumour(region: str, dated: bool, tumour: bool) -> bool:
    return tumour


def _dated(region: str, dated: bool, tumour: bool) -> bool:
    return dated


@rule("B-LEVEL-SPINE", LEVEL, INFO,
      when=("Niveau T1–T12 ou L1–L5", "Level is T1–T12 or L1–L5"),
      says=("Rachis dorsal ou lombaire : dans le champ du protocole.",
            "Thoracic or lumbar spine: within the protocol."),
      source=f"{BROCHURE} : {Q_SPINE}")  # fmt: skip
def b_level_spine(lv: Lv, a: Age, age: Age, f: F, s: S) -> bool:
    return lv.level[0] in "TL"


@rule("B-LEVEL-CERVICAL", LEVEL, V.NEEDS_REVIEW, kinds=_cervical,
      when=("Niveau C1–C7", "Level is C1–C7"),
      says=("Rachis cervical : hors du protocole du centre (dorsal, lombaire, sacrum) ; "
            "avis du radiologue requis.",
            "Cervical spine: outside the clinic's protocol (thoracic, lumbar, sacrum); "
            "the radiologist must review."),
      source=f"{BROCHURE} : {Q_SPINE} ; « La cimentoplastie peut également s'appliquer aux "
             "fractures du sacrum. » (le rachis cervical n'est pas cité)")  # fmt: skip
def b_level_cervical(lv: Lv, a: Age, age: Age, f: F, s: S) -> bool:
    return lv.level[0] == "C"


@rule("B-SACRUM-H", LEVEL, INFO, kinds=sacrum,
      when=("Niveau S, fracture « en H », âge au plus tôt ≤ {recent_window_days} jours ou date "
            "inconnue",
            "Level S with an H pattern, age at the earliest date ≤ {recent_window_days} days or "
            "date unknown"),
      says=("Fracture récente du sacrum « en H » : dans le champ du protocole ; les délais "
            "s'appliquent.",
            "Recent sacral H fracture: within the protocol; the time windows apply."),
      source=f"{BROCHURE} : {Q_SACRUM}")  # fmt: skip
def b_sacrum_h(lv: Lv, a: Age, age: Age, f: F, s: S) -> bool:
    return (
        lv.sacral_pattern == _H and lv.level == SACRUM and (a is None or a <= s.recent_window_days)
    )


@rule("B-SACRUM-LATE", LEVEL, V.NEEDS_REVIEW, kinds=sacrum,
      when=("Niveau S, fracture « en H », âge au plus tôt > {recent_window_days} jours",
            "Level S with an H pattern, age at the earliest date > {recent_window_days} days"),
      says=("Fracture du sacrum « en H » de plus de {recent_window_days} jours au plus tôt : "
            "seules les fractures récentes du sacrum sont citées ; avis du radiologue requis.",
            "Sacral H fracture older than {recent_window_days} days at the earliest date: only "
            "recent sacral fractures are listed; the radiologist must review."),
      source=f"{BROCHURE} : {Q_SACRUM}")  # fmt: skip
def b_sacrum_late(lv: Lv, a: Age, age: Age, f: F, s: S) -> bool:
    return (
        lv.sacral_pattern == _H
        and lv.level == SACRUM
        and a is not None
        and a > s.recent_window_days
    )


@rule("B-SACRUM-OTHER", LEVEL, V.NEEDS_REVIEW, kinds=sacrum,
      when=("Niveau S, fracture non « en H » ou type non précisé",
            "Level S with any other pattern, or none given"),
      says=("Fracture du sacrum non « en H » ou type non précisé : seule la fracture « en H » "
            "est citée ; avis du radiologue requis.",
            "Sacral fracture not H-shaped, or pattern not given: only H fractures are listed; "
            "the radiologist must review."),
      source=f"{BROCHURE} : {Q_SACRUM} (seules les fractures « en H » sont citées)")  # fmt: skip
def b_sacrum_other(lv: Lv, a: Age, age: Age, f: F, s: S) -> bool:
    return lv.level == SACRUM and lv.sacral_pattern != _H


def healed_old(lv: Lv, a: Age, s: S) -> bool:
    """A known date, not a suspected tumour, older than the 6-month window at the earliest date
    and no oedema stated: an old, healed fracture."""
    return (
        a is not None
        and a > s.latest_window_days
        and lv.cause is not _TUMOUR
        and lv.mri_oedema is not True
    )


@rule("B-ARCH", LEVEL, V.SURGICAL_REFERRAL, actions=("surgical_opinion",),
      when=("Atteinte de l'arc postérieur (sauf fracture ancienne consolidée)",
            "Posterior arch involved (unless an old, healed fracture)"),
      says=("Atteinte de l'arc postérieur : contre-indication ; stabilisation chirurgicale "
            "du rachis d'abord.",
            "Posterior arch involved: contraindicated; surgical stabilisation first."),
      source=f"{BROCHURE}, {Q_ARCH}")  # fmt: skip
def b_arch(lv: Lv, a: Age, age: Age, f: F, s: S) -> bool:
    return lv.posterior_arch_involved and not healed_old(lv, a, s)


@rule("B-ARCH-HEALED", LEVEL, INFO,
      when=("Atteinte de l'arc postérieur, fracture datée de plus de {latest_window_days} jours "
            "au plus tôt, sans œdème, origine non tumorale",
            "Posterior arch involved, dated fracture older than {latest_window_days} days at the "
            "earliest date, no oedema, no suspected tumour"),
      says=("Atteinte ancienne et consolidée de l'arc postérieur : pas de stabilisation "
            "chirurgicale à prévoir pour cette demande.",
            "Old, healed posterior-arch fracture: no surgical stabilisation needed for this "
            "referral."),
      source=f"{BROCHURE}, {Q_ARCH} (fracture récente : retentissement mécanique)")  # fmt: skip
def b_arch_healed(lv: Lv, a: Age, age: Age, f: F, s: S) -> bool:
    return lv.posterior_arch_involved and healed_old(lv, a, s)


@rule("B-CAUSE-TUMOUR", LEVEL, V.NEEDS_REVIEW, actions=("oncology_pathway",), kinds=_tumour,
      when=("Origine tumorale suspectée", "Tumour suspected"),
      says=("Origine tumorale suspectée : hors du protocole (fractures post-traumatiques ou "
            "ostéoporotiques) ; la douleur et la stabilité décident, pas l'âge de la fracture ; "
            "avis du radiologue, filière oncologique.",
            "Suspected tumour: outside the protocol (post-traumatic or osteoporotic "
            "fractures); pain and stability decide, not the fracture's age; radiologist review, "
            "oncology pathway."),
      source=f"{BROCHURE} : « … soulager les douleurs vertébrales invalidantes liées à une "
             f"fracture post-traumatique récente du rachis » ; {Q_SPINE} ; {CIRSE}")  # fmt: skip
def b_cause_tumour(lv: Lv, a: Age, age: Age, f: F, s: S) -> bool:
    return lv.cause is _TUMOUR


@rule("G-WALL", LEVEL, V.NEEDS_REVIEW,
      when=("Mur postérieur atteint, arc postérieur intact",
            "Posterior wall involved, posterior arch intact"),
      says=("Atteinte du mur postérieur : risque de fuite de ciment vers le canal ; avis du "
            "radiologue requis.",
            "Posterior wall involved: risk of cement leaking into the canal; the radiologist "
            "must review."),
      source=f"{CIRSE}, standards of practice; DGOU OF classification, OF 3 (Schnake et al., "
             "Global Spine J 2018)")  # fmt: skip
def g_wall(lv: Lv, a: Age, age: Age, f: F, s: S) -> bool:
    # With the arch involved B-ARCH already sends the patient to the surgeon.
    return lv.posterior_wall_involved and not lv.posterior_arch_involved


@rule("G-RETROPULSION", LEVEL, V.NEEDS_REVIEW,
      when=("Recul du mur postérieur (rétropulsion)", "Retropulsion"),
      says=("Rétropulsion d'un fragment : compromission du canal rachidien ; avis du "
            "radiologue requis.",
            "Retropulsed fragment: canal compromise; the radiologist must review."),
      source=f"{CIRSE}; VAPOUR exclusion criteria (Clark et al., Lancet 2016)")  # fmt: skip
def g_retropulsion(lv: Lv, a: Age, age: Age, f: F, s: S) -> bool:
    return lv.retropulsion


@rule("G-NO-OEDEMA", LEVEL, V.NEEDS_REVIEW,
      when=("Pas d'œdème osseux à l'IRM (indiqué « non »)", "No bone-marrow oedema on MRI"),
      says=("Pas d'œdème osseux à l'IRM : la fracture est peut-être consolidée ; avis du "
            "radiologue requis.",
            "No bone-marrow oedema on MRI: the fracture may have healed; the radiologist must "
            "review."),
      source=f"{VERTOS}, Buchbinder et al., NEJM 2009: inclusion criteria")  # fmt: skip
def g_no_oedema(lv: Lv, a: Age, age: Age, f: F, s: S) -> bool:
    return lv.mri_oedema is False  # None means "not stated", which is not "no oedema"


@rule("G-OEDEMA-UNSTATED", LEVEL, V.NEEDS_REVIEW, kinds=_dated,
      when=("IRM faite, œdème non précisé, {window_start_days} ≤ âge au plus tôt ≤ "
            "{latest_window_days} jours",
            "MRI done, oedema not stated, {window_start_days} ≤ age at the earliest date ≤ "
            "{latest_window_days} days"),
      says=("Au-delà de {ideal_window_days} jours, l'œdème osseux décide et le compte rendu "
            "d'IRM ne le précise pas : avis du radiologue requis.",
            "Past {ideal_window_days} days the bone-marrow oedema decides, and the MRI report "
            "does not say: the radiologist must review."),
      source=f"{VERTOS}: inclusion criteria")  # fmt: skip
def g_oedema_unstated(lv: Lv, a: Age, age: Age, f: F, s: S) -> bool:
    return (
        lv.mri_oedema is None
        and a is not None
        and s.ideal_window_days < a <= s.latest_window_days
        and f.imaging.mri
    )


@rule("G-NO-CONCORDANCE", LEVEL, V.NEEDS_REVIEW,
      when=("Pas de douleur à la percussion de l'épineuse", "No pain on percussion of the level"),
      says=("Pas de douleur à la percussion de l'épineuse : la douleur ne vient peut-être pas de "
            "ce niveau ; avis du radiologue requis.",
            "No pain on percussion of the spinous process: the pain may not come from this "
            "level; the radiologist must review."),
      source=f"{CIRSE} (clinical–radiological concordance)")  # fmt: skip
def g_no_concordance(lv: Lv, a: Age, age: Age, f: F, s: S) -> bool:
    return lv.tender_on_percussion is False  # None: not examined
