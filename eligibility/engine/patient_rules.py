"""Per-patient rules (``docs/clinical-rules.md``, "Per patient"), B-IMAGING to G-LEVELS-MAX.

The rules added in 2027.1 after G-LEVELS-MAX are in ``checks_rules.py``; the table's order is
``rules.RULE_ORDER``.
"""

from __future__ import annotations

from datetime import date

from .facts import INFO, Cause, ReferralFacts, Verdict
from .rulebase import BROCHURE, CIRSE, GRIO, SIR_2003, Applies, Scope, rule
from .settings import EngineSettings

PATIENT = Scope.PATIENT
V = Verdict
F = ReferralFacts
S = EngineSettings
_TUMOUR = Cause.TUMOUR_SUSPECTED
# B-IMAGING's actions: (CT missing?, what the missing MRI asks for) → actions.
_IMAGING_ACTIONS: dict[tuple[bool, str | None], tuple[str, ...]] = {
    (False, None): (),
    (True, None): ("book_ct",),
    (False, "book_mri"): ("book_mri",),
    (True, "book_mri"): ("book_ct", "book_mri"),
    (False, "book_bone_scan"): ("book_bone_scan",),
    (True, "book_bone_scan"): ("book_ct", "book_bone_scan"),
}


@rule("B-IMAGING", PATIENT, V.INCOMPLETE, actions=("book_ct", "book_mri", "book_bone_scan"),
      when=("Scanner manquant, ou IRM manquante sans examen de remplacement quand elle est "
            "contre-indiquée",
            "CT missing, or MRI missing without a replacement examination when it is "
            "contraindicated"),
      says=("Scanner et IRM du rachis nécessaires avant de valider l'indication (scintigraphie "
            "osseuse si l'IRM est contre-indiquée) ; le centre peut les réaliser.",
            "CT and MRI of the spine are needed before the indication can be validated (a bone "
            "scan when MRI is contraindicated); the centre can do them."),
      source=f"{BROCHURE} : « Pour évaluer une fracture vertébrale ostéoporotique "
             "post-traumatique, il faut effectuer un scanner et une IRM du rachis. Si besoin, le "
             "centre d'Imagerie Médicale Paris 5 vous accueille pour les réaliser. »")  # fmt: skip
def b_imaging(f: F, s: S, treatable: int) -> Applies:
    imaging = f.imaging
    if imaging.mri:
        mri = None
    elif not imaging.mri_contraindicated:
        mri = "book_mri"
    else:
        mri = None if imaging.alternative is not None else "book_bone_scan"
    return _IMAGING_ACTIONS[not imaging.ct, mri]


@rule("G-IMAGING-ALTERNATIVE", PATIENT, V.NEEDS_REVIEW,
      when=("IRM contre-indiquée, examen de remplacement fait",
            "MRI contraindicated, replacement examination done"),
      says=("IRM contre-indiquée : le radiologue juge l'âge de la fracture sur l'examen fait à "
            "la place (scintigraphie, TEMP-TDM ou scanner double énergie).",
            "MRI contraindicated: the radiologist judges the fracture's age on the examination "
            "done instead (bone scan, SPECT-CT or dual-energy CT)."),
      source=f"ACR Appropriateness Criteria, Management of Vertebral Compression Fractures; "
             f"{CIRSE}")  # fmt: skip
def g_imaging_alternative(f: F, s: S, treatable: int) -> bool:
    imaging = f.imaging
    return imaging.alternative is not None and imaging.mri_contraindicated and not imaging.mri


@rule("G-INFECTION", PATIENT, V.NOT_ELIGIBLE,
      when=("Infection active", "Active infection"),
      says=("Infection active : contre-indication absolue.",
            "Active infection: absolute contraindication."),
      source=f"{CIRSE}, absolute contraindications; {SIR_2003}")  # fmt: skip
def g_infection(f: F, s: S, treatable: int) -> bool:
    return f.red_flags.active_infection


@rule("G-COAGULOPATHY", PATIENT, V.NOT_ELIGIBLE,
      when=("Trouble de la coagulation non corrigible", "Uncorrectable coagulopathy"),
      says=("Trouble de la coagulation non corrigible : contre-indication absolue.",
            "Uncorrectable coagulopathy: absolute contraindication."),
      source=f"{CIRSE}, absolute contraindications")  # fmt: skip
def g_coagulopathy(f: F, s: S, treatable: int) -> bool:
    return f.red_flags.uncorrectable_coagulopathy


@rule("G-ALLERGY", PATIENT, V.NOT_ELIGIBLE,
      when=("Allergie au ciment", "Allergy to bone cement"),
      says=("Allergie au ciment : contre-indication absolue.",
            "Allergy to bone cement: absolute contraindication."),
      source=f"{CIRSE}, absolute contraindications")  # fmt: skip
def g_allergy(f: F, s: S, treatable: int) -> bool:
    return f.red_flags.cement_allergy


@rule("G-PAIN-ABSENT", PATIENT, V.NOT_ELIGIBLE,
      when=("EN = 0", "NRS = 0"),
      says=("Fracture non douloureuse (EN 0) : pas d'indication.",
            "Painless fracture (NRS 0): no indication."),
      source=f"{CIRSE}: asymptomatic fracture is a contraindication")  # fmt: skip
def g_pain_absent(f: F, s: S, treatable: int) -> bool:
    return f.pain.nrs == 0


@rule("G-PAIN-LOW", PATIENT, V.NEEDS_REVIEW,
      when=("1 ≤ EN ≤ 4", "1 ≤ NRS ≤ 4"),
      says=("Douleur faible (EN 1 à 4), sous le seuil des essais (EN ≥ 5) : avis du radiologue "
            "requis.",
            "Mild pain (NRS 1 to 4), below the trial threshold (NRS ≥ 5): the radiologist must "
            "review."),
      source="VERTOS II inclusion VAS ≥ 5 (Klazen et al., Lancet 2010); VAPOUR inclusion "
             "NRS ≥ 7 (Clark et al., Lancet 2016)")  # fmt: skip
def g_pain_low(f: F, s: S, treatable: int) -> bool:
    nrs = f.pain.nrs
    return nrs is not None and 1 <= nrs <= 4


@rule("G-PAIN-UNRECORDED", PATIENT, INFO,
      when=("EN non renseignée", "NRS not recorded"),
      says=("Intensité de la douleur (EN) non renseignée.",
            "Pain intensity (NRS) not recorded."),
      source="— (data-quality notice: the pain rules above need the NRS)")  # fmt: skip
def g_pain_unrecorded(f: F, s: S, treatable: int) -> bool:
    return f.pain.nrs is None


@rule("G-NEURO", PATIENT, V.SURGICAL_REFERRAL, actions=("urgent_surgical_opinion",), urgent=True,
      when=("Déficit neurologique", "Neurological deficit"),
      says=("Déficit neurologique : avis chirurgical urgent, quoi qu'il y ait d'autre (avec "
            "une infection, penser à l'abcès épidural).",
            "Neurological deficit: urgent surgical opinion, whatever else is found (with an "
            "infection, think of an epidural abscess)."),
      source=f"{CIRSE}; AO Spine classification, neurology modifier")  # fmt: skip
def g_neuro(f: F, s: S, treatable: int) -> bool:
    return f.red_flags.neurological_deficit


@rule("G-HIGH-ENERGY", PATIENT, V.NEEDS_REVIEW,
      when=("Traumatisme à haute énergie", "High-energy trauma"),
      says=("Traumatisme à haute énergie : évaluation chirurgicale à envisager ; avis du "
            "radiologue requis.",
            "High-energy trauma: consider a surgical assessment; the radiologist must review."),
      source="RAND/UCLA appropriateness pathway (Hirsch et al., Spine J 2018)")  # fmt: skip
def g_high_energy(f: F, s: S, treatable: int) -> bool:
    return f.red_flags.high_energy_trauma


def age_years(born: date, on: date) -> int:
    """Whole years from ``born`` to ``on`` (a 29 February birthday comes on 1 March)."""
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def a_level_not_tumour(f: F) -> bool:
    for lv in f.levels:  # noqa: SIM110 - a generator costs more than this rule on one level
        if lv.cause is not _TUMOUR:
            return True
    return False


@rule("G-YOUNG", PATIENT, V.NEEDS_REVIEW,
      when=("Patient de moins de {fragility_age_years} ans, un niveau sans suspicion tumorale",
            "Patient under {fragility_age_years}, a level without a suspected tumour"),
      says=("Patient de moins de {fragility_age_years} ans : les fractures de la brochure sont "
            "« favorisées par l'ostéoporose » ; rechercher une autre cause ; avis du radiologue "
            "requis.",
            "Patient under {fragility_age_years}: the brochure's fractures are those « favoured "
            "by osteoporosis »; look for another cause; the radiologist must review."),
      source=f"{BROCHURE} : « … favorisées par l'ostéoporose … » ; {GRIO} (fractures de "
             "fragilité à partir de 50 ans)")  # fmt: skip
def g_young(f: F, s: S, treatable: int) -> bool:
    born = f.patient.birth_date
    return (
        born is not None
        and age_years(born, f.as_of) < s.fragility_age_years
        and a_level_not_tumour(f)
    )


@rule("G-PREGNANCY", PATIENT, V.NEEDS_REVIEW,
      when=("Grossesse", "Pregnancy"),
      says=("Grossesse : contre-indication relative ; avis du radiologue requis.",
            "Pregnancy: relative contraindication; the radiologist must review."),
      source=f"{CIRSE}, relative contraindications")  # fmt: skip
def g_pregnancy(f: F, s: S, treatable: int) -> bool:
    return f.patient.pregnant


@rule("G-LEVELS-MAX", PATIENT, V.NEEDS_REVIEW,
      when=("Plus de {max_levels} niveaux traitables", "More than {max_levels} treatable levels"),
      says=("Plus de {max_levels} niveaux à traiter : prévoir plusieurs séances ; avis du "
            "radiologue requis.",
            "More than {max_levels} levels to treat: split into sessions; the radiologist must "
            "review."),
      source=f"{CIRSE}, relative contraindications")  # fmt: skip
def g_levels_max(f: F, s: S, treatable: int) -> bool:
    return treatable > s.max_levels
