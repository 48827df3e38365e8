"""Per-patient rules added in 2027.1 (``docs/clinical-rules.md``, "Per patient", G-PRONE to
G-FLS): position, laboratory values, drugs without a hold rule, allergies, osteoporosis care."""

from __future__ import annotations

from .facts import ACTION, XABANS, Antithrombotic, Cause, ReferralFacts, Verdict
from .patient_rules import a_level_not_tumour, age_years
from .rulebase import BROCHURE, CIRSE, GIHP, GRIO, Q_PRONE, Scope, rule
from .settings import EngineSettings

PATIENT = Scope.PATIENT
V = Verdict
F = ReferralFacts
S = EngineSettings
_TUMOUR = Cause.TUMOUR_SUSPECTED
_VKA, _DABIGATRAN, _DOAC = Antithrombotic.VKA, Antithrombotic.DABIGATRAN, Antithrombotic.DOAC
_NO_HOLD_RULE = (Antithrombotic.FONDAPARINUX, Antithrombotic.OTHER)
SIR_2019_LABS = "SIR 2019 consensus (Patel et al., JVIR 2019), high bleeding-risk procedures"


@rule("G-PRONE", PATIENT, V.NEEDS_REVIEW, actions=("anaesthesia_consultation",),
      hold="anaesthesia_consultation_days",
      when=("Ne peut pas rester à plat ventre", "Cannot lie prone"),
      says=("Le patient ne peut pas rester à plat ventre (procubitus) : consultation "
            "d'anesthésie au moins {anaesthesia_consultation_days} jours avant le geste ; avis du "
            "radiologue requis.",
            "The patient cannot lie prone: anaesthesia consultation at least "
            "{anaesthesia_consultation_days} days before the procedure; the radiologist must "
            "review."),
      source=f"{BROCHURE} : {Q_PRONE}")  # fmt: skip
def g_prone(f: F, s: S, treatable: int) -> bool:
    return f.red_flags.cannot_lie_prone


@rule("G-PLATELETS", PATIENT, V.NEEDS_REVIEW,
      when=("Plaquettes < {min_platelets} G/L", "Platelets < {min_platelets} G/L"),
      says=("Plaquettes sous {min_platelets} G/L : risque hémorragique ; avis du radiologue "
            "requis.",
            "Platelets below {min_platelets} G/L: bleeding risk; the radiologist must review."),
      source=f"{SIR_2019_LABS}: platelets > 50 G/L")  # fmt: skip
def g_platelets(f: F, s: S, treatable: int) -> bool:
    platelets = f.labs.platelets
    return platelets is not None and platelets < s.min_platelets


@rule("G-INR", PATIENT, V.NEEDS_REVIEW,
      when=("INR > {max_inr_fr} sans AVK", "INR > {max_inr} without a VKA"),
      says=("INR au-dessus de {max_inr_fr} sans AVK : trouble de la coagulation inexpliqué ; avis "
            "du radiologue requis.",
            "INR above {max_inr} without a VKA: unexplained coagulopathy; the radiologist must "
            "review."),
      source=f"{SIR_2019_LABS}: INR ≤ 1.5")  # fmt: skip
def g_inr(f: F, s: S, treatable: int) -> bool:
    inr = f.labs.inr
    return inr is not None and inr > s.max_inr and _VKA not in f.antithrombotics


@rule("G-RENAL", PATIENT, V.NEEDS_REVIEW, drugs=(_DABIGATRAN, _DOAC, *XABANS),
      when=("Clairance < {renal_min_clearance} mL/min avec dabigatran ou AOD non nommé, ou "
            "< {xaban_renal_min_clearance} mL/min avec apixaban, rivaroxaban ou édoxaban",
            "Clearance < {renal_min_clearance} mL/min with dabigatran or an unnamed DOAC, or "
            "< {xaban_renal_min_clearance} mL/min with apixaban, rivaroxaban or edoxaban"),
      says=("Insuffisance rénale sévère sous AOD : pas de délai d'arrêt validé ; le plan garde "
            "le délai le plus long de la règle du médicament et le radiologue le fixe ; avis "
            "du radiologue requis.",
            "Severe renal failure on a DOAC: no validated hold; the plan keeps the drug rule's "
            "longest hold and the radiologist sets it; the radiologist must review."),
      source=GIHP)  # fmt: skip
def g_renal(f: F, s: S, treatable: int) -> bool:
    clearance = f.labs.creatinine_clearance
    if clearance is None or not f.antithrombotics:
        return False
    drugs = f.antithrombotics
    if clearance < s.renal_min_clearance and (_DABIGATRAN in drugs or _DOAC in drugs):
        return True
    return clearance < s.xaban_renal_min_clearance and any(x in drugs for x in XABANS)


@rule("G-ANTITHROMBOTIC-OTHER", PATIENT, V.NEEDS_REVIEW, drugs=_NO_HOLD_RULE,
      when=("Fondaparinux ou autre antithrombotique", "Fondaparinux or another antithrombotic"),
      says=("Fondaparinux ou autre antithrombotique : pas de règle d'arrêt ; le radiologue fixe "
            "le délai ; avis du radiologue requis.",
            "Fondaparinux or another antithrombotic: no hold rule; the radiologist sets the "
            "hold; the radiologist must review."),
      source="— (no hold rule in the sources: the radiologist sets it)")  # fmt: skip
def g_antithrombotic_other(f: F, s: S, treatable: int) -> bool:
    drugs = f.antithrombotics
    return bool(drugs) and any(d in drugs for d in _NO_HOLD_RULE)


@rule("G-ALLERGY-OTHER", PATIENT, ACTION, actions=("allergy_precautions",),
      when=("Allergie (iode, anesthésique local, latex, antibiotique)",
            "Allergy (iodine, local anaesthetic, latex, antibiotic)"),
      says=("Allergie signalée : précautions à prévoir pour le geste (sans effet sur "
            "l'indication).",
            "Allergy reported: precautions to plan for the procedure (no effect on the "
            "indication)."),
      source=f"{CIRSE}")  # fmt: skip
def g_allergy_other(f: F, s: S, treatable: int) -> bool:
    return bool(f.allergies)


@rule("G-FLS", PATIENT, ACTION, actions=("osteoporosis_care",),
      when=("Fracture non tumorale, patient de {fragility_age_years} ans ou plus (ou âge "
            "inconnu), pas de traitement de l'ostéoporose",
            "Non-tumour fracture, patient {fragility_age_years} or over (or age unknown), no "
            "osteoporosis treatment"),
      says=("Fracture vertébrale : fracture ostéoporotique sévère ; ostéodensitométrie, "
            "vitamine D, traitement de l'ostéoporose et suivi par une filière fracture.",
            "Vertebral fracture: a severe osteoporotic fracture; DXA, vitamin D, osteoporosis "
            "treatment and fracture-liaison follow-up."),
      source=f"{GRIO}; HAS 2019, « Les médicaments de l'ostéoporose »")  # fmt: skip
def g_fls(f: F, s: S, treatable: int) -> bool:
    patient = f.patient
    if patient.osteoporosis_treatment is True:
        return False
    born = patient.birth_date
    if born is not None and age_years(born, f.as_of) < s.fragility_age_years:
        return False
    return a_level_not_tumour(f)
