"""Per-patient, medication and anaesthesia rules (``docs/clinical-rules.md``), in the spec's order.

Medication rules never change the verdict: their effect is ``action``, and their hold days (read
from the settings named by ``hold``) move the earliest procedure date.
"""

from __future__ import annotations

from .facts import (
    ACTION,
    ANTIPLATELETS,
    INFO,
    Anaesthesia,
    Antithrombotic,
    ReferralFacts,
    Verdict,
)
from .rulebase import ASRA, BROCHURE, CIRSE, SIR_2003, SIR_2019, Applies, Scope, rule
from .settings import EngineSettings

PATIENT, MEDICATION = Scope.PATIENT, Scope.MEDICATION
V = Verdict
_BOOK_CT = ("book_ct",)
_BOOK_MRI = ("book_mri",)
_BOOK_BOTH = ("book_ct", "book_mri")


@rule("B-IMAGING", PATIENT, V.INCOMPLETE, actions=_BOOK_BOTH,
      when=("Scanner ou IRM du rachis manquant", "CT or MRI of the spine missing"),
      says=("Scanner et IRM du rachis nécessaires avant de valider l'indication ; le centre "
            "peut les réaliser.",
            "CT and MRI of the spine are needed before the indication can be validated; the "
            "centre can do them."),
      source=f"{BROCHURE} : « Pour évaluer une fracture vertébrale ostéoporotique "
             "post-traumatique, il faut effectuer un scanner et une IRM du rachis. Si besoin, le "
             "centre d'Imagerie Médicale Paris 5 vous accueille pour les réaliser. »")  # fmt: skip
def b_imaging(f: ReferralFacts, s: EngineSettings, treatable: int) -> Applies:
    imaging = f.imaging
    if imaging.ct:
        return () if imaging.mri else _BOOK_MRI
    return _BOOK_CT if imaging.mri else _BOOK_BOTH


@rule("G-INFECTION", PATIENT, V.NOT_ELIGIBLE,
      when=("Infection active", "Active infection"),
      says=("Infection active : contre-indication absolue.",
            "Active infection: absolute contraindication."),
      source=f"{CIRSE}, absolute contraindications; {SIR_2003}")  # fmt: skip
def g_infection(f: ReferralFacts, s: EngineSettings, treatable: int) -> bool:
    return f.red_flags.active_infection


@rule("G-COAGULOPATHY", PATIENT, V.NOT_ELIGIBLE,
      when=("Trouble de la coagulation non corrigible", "Uncorrectable coagulopathy"),
      says=("Trouble de la coagulation non corrigible : contre-indication absolue.",
            "Uncorrectable coagulopathy: absolute contraindication."),
      source=f"{CIRSE}, absolute contraindications")  # fmt: skip
def g_coagulopathy(f: ReferralFacts, s: EngineSettings, treatable: int) -> bool:
    return f.red_flags.uncorrectable_coagulopathy


@rule("G-ALLERGY", PATIENT, V.NOT_ELIGIBLE,
      when=("Allergie au ciment", "Allergy to bone cement"),
      says=("Allergie au ciment : contre-indication absolue.",
            "Allergy to bone cement: absolute contraindication."),
      source=f"{CIRSE}, absolute contraindications")  # fmt: skip
def g_allergy(f: ReferralFacts, s: EngineSettings, treatable: int) -> bool:
    return f.red_flags.cement_allergy


@rule("G-PAIN-ABSENT", PATIENT, V.NOT_ELIGIBLE,
      when=("EN = 0", "NRS = 0"),
      says=("Fracture non douloureuse (EN 0) : pas d'indication.",
            "Painless fracture (NRS 0): no indication."),
      source=f"{CIRSE}: asymptomatic fracture is a contraindication")  # fmt: skip
def g_pain_absent(f: ReferralFacts, s: EngineSettings, treatable: int) -> bool:
    return f.pain.nrs == 0


@rule("G-PAIN-LOW", PATIENT, V.NEEDS_REVIEW,
      when=("1 ≤ EN ≤ 4", "1 ≤ NRS ≤ 4"),
      says=("Douleur faible (EN 1 à 4), sous le seuil des essais (EN ≥ 5) : avis du radiologue "
            "requis.",
            "Mild pain (NRS 1 to 4), below the trial threshold (NRS ≥ 5): the radiologist must "
            "review."),
      source="VERTOS II inclusion VAS ≥ 5 (Klazen et al., Lancet 2010); VAPOUR inclusion "
             "NRS ≥ 7 (Clark et al., Lancet 2016)")  # fmt: skip
def g_pain_low(f: ReferralFacts, s: EngineSettings, treatable: int) -> bool:
    nrs = f.pain.nrs
    return nrs is not None and 1 <= nrs <= 4


@rule("G-PAIN-UNRECORDED", PATIENT, INFO,
      when=("EN non renseignée", "NRS not recorded"),
      says=("Intensité de la douleur (EN) non renseignée.",
            "Pain intensity (NRS) not recorded."),
      source="— (data-quality notice: the pain rules above need the NRS)")  # fmt: skip
def g_pain_unrecorded(f: ReferralFacts, s: EngineSettings, treatable: int) -> bool:
    return f.pain.nrs is None


@rule("G-NEURO", PATIENT, V.SURGICAL_REFERRAL, actions=("urgent_surgical_opinion",),
      when=("Déficit neurologique", "Neurological deficit"),
      says=("Déficit neurologique : avis chirurgical urgent.",
            "Neurological deficit: urgent surgical opinion."),
      source=f"{CIRSE}; AO Spine classification, neurology modifier")  # fmt: skip
def g_neuro(f: ReferralFacts, s: EngineSettings, treatable: int) -> bool:
    return f.red_flags.neurological_deficit


@rule("G-HIGH-ENERGY", PATIENT, V.NEEDS_REVIEW,
      when=("Traumatisme à haute énergie", "High-energy trauma"),
      says=("Traumatisme à haute énergie : évaluation chirurgicale à envisager ; avis du "
            "radiologue requis.",
            "High-energy trauma: consider a surgical assessment; the radiologist must review."),
      source="RAND/UCLA appropriateness pathway (Hirsch et al., Spine J 2018)")  # fmt: skip
def g_high_energy(f: ReferralFacts, s: EngineSettings, treatable: int) -> bool:
    return f.red_flags.high_energy_trauma


@rule("G-PREGNANCY", PATIENT, V.NEEDS_REVIEW,
      when=("Grossesse", "Pregnancy"),
      says=("Grossesse : contre-indication relative ; avis du radiologue requis.",
            "Pregnancy: relative contraindication; the radiologist must review."),
      source=f"{CIRSE}, relative contraindications")  # fmt: skip
def g_pregnancy(f: ReferralFacts, s: EngineSettings, treatable: int) -> bool:
    return f.patient.pregnant


@rule("G-LEVELS-MAX", PATIENT, V.NEEDS_REVIEW,
      when=("Plus de {max_levels} niveaux traitables", "More than {max_levels} treatable levels"),
      says=("Plus de {max_levels} niveaux à traiter : prévoir plusieurs séances ; avis du "
            "radiologue requis.",
            "More than {max_levels} levels to treat: split into sessions; the radiologist must "
            "review."),
      source=f"{CIRSE}, relative contraindications")  # fmt: skip
def g_levels_max(f: ReferralFacts, s: EngineSettings, treatable: int) -> bool:
    return treatable > s.max_levels


# ---- Medication and anaesthesia --------------------------------------------------------------


# Bound once: looking a member up on the enum class costs more than the rule itself.
_VKA, _ASPIRIN, _CLOPIDOGREL, _PRASUGREL, _TICAGRELOR, _DOAC, _LMWH = (
    Antithrombotic.VKA,
    Antithrombotic.ASPIRIN,
    Antithrombotic.CLOPIDOGREL,
    Antithrombotic.PRASUGREL,
    Antithrombotic.TICAGRELOR,
    Antithrombotic.DOAC,
    Antithrombotic.LMWH,
)
_LOCAL = Anaesthesia.LOCAL


@rule("B-VKA", MEDICATION, ACTION, actions=("vka_stop_bridging",), hold="vka_hold_days",
      when=("AVK", "Vitamin K antagonist"),
      says=("AVK : arrêt {vka_hold_days} jours avant le geste, relais héparine organisé par le "
            "médecin traitant, contrôle de l'INR.",
            "VKA: stop {vka_hold_days} days before the procedure, heparin bridging arranged by "
            "the GP, INR check."),
      source=f"{BROCHURE} : « Les anticoagulants Antivitamine K doivent être arrêtés. […] relai "
             "héparine et baisse modérée de l'anticoagulation […] souvent organisé en ville par "
             "votre médecin traitant quelques jours avant l'intervention. » ; délai : "
             + SIR_2019)  # fmt: skip
def b_vka(f: ReferralFacts, s: EngineSettings, treatable: int) -> bool:
    return _VKA in f.antithrombotics


@rule("B-ASPIRIN", MEDICATION, ACTION, actions=("aspirin_continue",), hold="aspirin_hold_days",
      when=("Aspirine", "Aspirin"),
      says=("Aspirine (Kardégic) : ne pas l'arrêter.", "Aspirin (Kardegic): do not stop it."),
      source=f"{BROCHURE} : « Les antiagrégants plaquettaires (Kardegic 75 ou 150 mg) n'ont pas "
             "besoin d'être arrêtés. »")  # fmt: skip
def b_aspirin(f: ReferralFacts, s: EngineSettings, treatable: int) -> bool:
    return _ASPIRIN in f.antithrombotics


@rule("B-CLOPIDOGREL", MEDICATION, ACTION, actions=("clopidogrel_stop",),
      hold="clopidogrel_hold_days",
      when=("Clopidogrel", "Clopidogrel"),
      says=("Clopidogrel (Plavix) : de préférence l'arrêter {clopidogrel_hold_days} jours avant "
            "le geste, quand c'est possible.",
            "Clopidogrel (Plavix): preferably stop it {clopidogrel_hold_days} days before the "
            "procedure, when possible."),
      source=f"{BROCHURE} : « Le Plavix (75 mg) peut ne pas être arrêté, mais il est préférable "
             "de l'arrêter 5 jours avant quand cela est possible. »")  # fmt: skip
def b_clopidogrel(f: ReferralFacts, s: EngineSettings, treatable: int) -> bool:
    return _CLOPIDOGREL in f.antithrombotics


@rule("G-PRASUGREL", MEDICATION, ACTION, actions=("prasugrel_stop",), hold="prasugrel_hold_days",
      when=("Prasugrel", "Prasugrel"),
      says=("Prasugrel (Efient) : arrêt {prasugrel_hold_days} jours avant le geste.",
            "Prasugrel (Efient): stop {prasugrel_hold_days} days before the procedure."),
      source=SIR_2019)  # fmt: skip
def g_prasugrel(f: ReferralFacts, s: EngineSettings, treatable: int) -> bool:
    return _PRASUGREL in f.antithrombotics


@rule("G-TICAGRELOR", MEDICATION, ACTION, actions=("ticagrelor_stop",),
      hold="ticagrelor_hold_days",
      when=("Ticagrélor", "Ticagrelor"),
      says=("Ticagrélor (Brilique) : arrêt {ticagrelor_hold_days} jours avant le geste.",
            "Ticagrelor (Brilique): stop {ticagrelor_hold_days} days before the procedure."),
      source=SIR_2019)  # fmt: skip
def g_ticagrelor(f: ReferralFacts, s: EngineSettings, treatable: int) -> bool:
    return _TICAGRELOR in f.antithrombotics


@rule("G-DOAC", MEDICATION, ACTION, actions=("doac_hold",), hold="doac_hold_days",
      when=("Anticoagulant oral direct", "Direct oral anticoagulant"),
      says=("AOD : dernière prise {doac_hold_days} jours avant le geste "
            "({doac_dabigatran_renal_hold_days} jours pour le dabigatran si la clairance de la "
            "créatinine est de 30 à 50 mL/min : à vérifier).",
            "DOAC: last dose {doac_hold_days} days before the procedure "
            "({doac_dabigatran_renal_hold_days} days for dabigatran with a creatinine clearance "
            "of 30–50 mL/min: check)."),
      source=f"{SIR_2019}; PAUSE trial (Douketis et al., JAMA Intern Med 2019)")  # fmt: skip
def g_doac(f: ReferralFacts, s: EngineSettings, treatable: int) -> bool:
    return _DOAC in f.antithrombotics


@rule("G-LMWH", MEDICATION, ACTION, actions=("lmwh_hold",), hold="lmwh_hold_days",
      when=("Héparine de bas poids moléculaire", "Low-molecular-weight heparin"),
      says=("HBPM : dernière injection à dose curative 24 h avant le geste.",
            "LMWH: last therapeutic dose 24 h before the procedure."),
      source=ASRA)  # fmt: skip
def g_lmwh(f: ReferralFacts, s: EngineSettings, treatable: int) -> bool:
    return _LMWH in f.antithrombotics


@rule("G-DAPT", MEDICATION, ACTION, actions=("cardiology_advice",),
      when=("Deux antiagrégants plaquettaires", "Two antiplatelet drugs"),
      says=("Double antiagrégation plaquettaire : avis du cardiologue ; ne jamais arrêter un "
            "antiagrégant sans son accord.",
            "Dual antiplatelet therapy: ask the cardiologist; never stop an antiplatelet without "
            "their agreement."),
      source=SIR_2019)  # fmt: skip
def g_dapt(f: ReferralFacts, s: EngineSettings, treatable: int) -> bool:
    drugs = f.antithrombotics
    return len(drugs) > 1 and len(ANTIPLATELETS.intersection(drugs)) >= 2


@rule("B-ANAESTHESIA", MEDICATION, ACTION, actions=("anaesthesia_consultation",),
      hold="anaesthesia_consultation_days",
      when=("Anesthésie générale ou sédation", "General anaesthesia or sedation"),
      says=("Anesthésie générale ou sédation demandée : consultation d'anesthésie au moins "
            "{anaesthesia_consultation_days} jours avant le geste.",
            "General anaesthesia or sedation requested: anaesthesia consultation at least "
            "{anaesthesia_consultation_days} days before the procedure."),
      source=f"{BROCHURE} : « Elle peut selon les désirs du patient être pratiquée sous "
             "anesthésie générale ou sédation. » ; « Sur demande, il est également possible de "
             "réaliser l'intervention sous anesthésie générale (l'anesthésiste vous en "
             "expliquera les éventuels risques). »")  # fmt: skip
def b_anaesthesia(f: ReferralFacts, s: EngineSettings, treatable: int) -> bool:
    return f.anaesthesia != _LOCAL
