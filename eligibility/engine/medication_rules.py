"""Medication and anaesthesia rules (``docs/clinical-rules.md``, "Medication and anaesthesia").

Their effect is ``action``: they never change a verdict by themselves (G-RENAL and
G-ANTITHROMBOTIC-OTHER, per patient, do). A drug rule's ``plan`` gives its medication-plan entries
(last dose J−n, resume J+n); the largest n, with the anaesthesia lead, sets the earliest procedure
date, and so the age at which every level is judged.
"""

from __future__ import annotations

from .facts import ACTION, ANTIPLATELETS, XABANS, Anaesthesia, Antithrombotic, ReferralFacts
from .results import PlanEntry
from .rulebase import ASRA, BROCHURE, GIHP, PAUSE, SIR_2019, Applies, Scope, rule
from .settings import EngineSettings

MEDICATION = Scope.MEDICATION
F = ReferralFacts
S = EngineSettings
Plan = tuple[PlanEntry, ...]
# Bound once: looking a member up on the enum class costs more than the rule itself.
_VKA, _ASPIRIN, _CLOPIDOGREL, _PRASUGREL, _TICAGRELOR, _DABIGATRAN, _DOAC, _LMWH = (
    Antithrombotic.VKA,
    Antithrombotic.ASPIRIN,
    Antithrombotic.CLOPIDOGREL,
    Antithrombotic.PRASUGREL,
    Antithrombotic.TICAGRELOR,
    Antithrombotic.DABIGATRAN,
    Antithrombotic.DOAC,
    Antithrombotic.LMWH,
)
_LOCAL = Anaesthesia.LOCAL
MORNING, EVENING = "morning", "evening"
_HOLD = ("doac_hold",)
_HOLD_AND_CLEARANCE = ("doac_hold", "creatinine_clearance_needed")


def _stop(drug: str, rule_id: str, days: int, resume: int, optional: bool) -> PlanEntry:
    return PlanEntry(drug, rule_id, -days, None, resume, None, optional)


def _vka_plan(f: F, s: S, dapt: bool) -> Plan:
    vka = PlanEntry("vka", "B-VKA", -s.vka_hold_days, None, s.vka_resume_day, EVENING, False,
                    -s.vka_inr_check_day, s.max_inr)  # fmt: skip
    if f.vka_bridging is not True:
        return (vka,)
    bridging = PlanEntry("lmwh_bridging", "B-VKA", -s.lmwh_bridging_hold_days, MORNING,
                         s.lmwh_resume_day, None, False)  # fmt: skip
    return (vka, bridging)


@rule("B-VKA", MEDICATION, ACTION, drugs=(_VKA,),
      actions=("vka_stop_bridging",), hold="vka_hold_days",
      plan=_vka_plan,
      when=("AVK", "Vitamin K antagonist"),
      says=("AVK : dernière prise à J−{vka_hold_days}, relais héparine organisé par le médecin "
            "traitant si le risque thrombotique l'exige, INR à J−{vka_inr_check_day} ≤ "
            "{max_inr_fr} ; reprise à J+{vka_resume_day} au soir.",
            "VKA: last dose on D−{vka_hold_days}, heparin bridging arranged by the GP when the "
            "thrombotic risk requires it, INR on D−{vka_inr_check_day} ≤ {max_inr}; resume on "
            "D+{vka_resume_day} in the evening."),
      source=f"{BROCHURE} : « Les anticoagulants Antivitamine K doivent être arrêtés. […] relai "
             "héparine et baisse modérée de l'anticoagulation […] souvent organisé en ville par "
             "votre médecin traitant quelques jours avant l'intervention. » ; délai : HAS 2008 ; "
             + SIR_2019)  # fmt: skip
def b_vka(f: F, s: S, treatable: int) -> bool:
    return _VKA in f.antithrombotics


@rule("B-ASPIRIN", MEDICATION, ACTION, drugs=(_ASPIRIN,),
      actions=("aspirin_continue",), hold="aspirin_hold_days",
      when=("Aspirine", "Aspirin"),
      says=("Aspirine (Kardégic) : ne pas l'arrêter.", "Aspirin (Kardegic): do not stop it."),
      source=f"{BROCHURE} : « Les antiagrégants plaquettaires (Kardegic 75 ou 150 mg) n'ont pas "
             "besoin d'être arrêtés. »")  # fmt: skip
def b_aspirin(f: F, s: S, treatable: int) -> bool:
    return _ASPIRIN in f.antithrombotics


def _clopidogrel_plan(f: F, s: S, dapt: bool) -> Plan:
    return (_stop("clopidogrel", "B-CLOPIDOGREL", s.clopidogrel_hold_days,
                  s.antiplatelet_resume_day, True),)  # fmt: skip


@rule("B-CLOPIDOGREL", MEDICATION, ACTION, drugs=(_CLOPIDOGREL,),
      actions=("clopidogrel_stop",),
      hold="clopidogrel_hold_days", plan=_clopidogrel_plan,
      when=("Clopidogrel", "Clopidogrel"),
      says=("Clopidogrel (Plavix) : de préférence dernière prise à J−{clopidogrel_hold_days}, "
            "quand c'est possible (il peut être poursuivi) ; reprise à "
            "J+{antiplatelet_resume_day}.",
            "Clopidogrel (Plavix): preferably last dose on D−{clopidogrel_hold_days}, when "
            "possible (it may be continued); resume on D+{antiplatelet_resume_day}."),
      source=f"{BROCHURE} : « Le Plavix (75 mg) peut ne pas être arrêté, mais il est préférable "
             "de l'arrêter 5 jours avant quand cela est possible. »")  # fmt: skip
def b_clopidogrel(f: F, s: S, treatable: int) -> bool:
    return _CLOPIDOGREL in f.antithrombotics


def _prasugrel_plan(f: F, s: S, dapt: bool) -> Plan:
    return (_stop("prasugrel", "G-PRASUGREL", s.prasugrel_hold_days, s.antiplatelet_resume_day,
                  dapt),)  # fmt: skip


@rule("G-PRASUGREL", MEDICATION, ACTION, drugs=(_PRASUGREL,),
      actions=("prasugrel_stop",), hold="prasugrel_hold_days",
      plan=_prasugrel_plan,
      when=("Prasugrel", "Prasugrel"),
      says=("Prasugrel (Efient) : dernière prise à J−{prasugrel_hold_days} ; reprise à "
            "J+{antiplatelet_resume_day}.",
            "Prasugrel (Efient): last dose on D−{prasugrel_hold_days}; resume on "
            "D+{antiplatelet_resume_day}."),
      source=SIR_2019)  # fmt: skip
def g_prasugrel(f: F, s: S, treatable: int) -> bool:
    return _PRASUGREL in f.antithrombotics


def _ticagrelor_plan(f: F, s: S, dapt: bool) -> Plan:
    return (_stop("ticagrelor", "G-TICAGRELOR", s.ticagrelor_hold_days,
                  s.antiplatelet_resume_day, dapt),)  # fmt: skip


@rule("G-TICAGRELOR", MEDICATION, ACTION, drugs=(_TICAGRELOR,),
      actions=("ticagrelor_stop",),
      hold="ticagrelor_hold_days", plan=_ticagrelor_plan,
      when=("Ticagrélor", "Ticagrelor"),
      says=("Ticagrélor (Brilique) : dernière prise à J−{ticagrelor_hold_days} ; reprise à "
            "J+{antiplatelet_resume_day}.",
            "Ticagrelor (Brilique): last dose on D−{ticagrelor_hold_days}; resume on "
            "D+{antiplatelet_resume_day}."),
      source=SIR_2019)  # fmt: skip
def g_ticagrelor(f: F, s: S, treatable: int) -> bool:
    return _TICAGRELOR in f.antithrombotics


def _xaban_plan(f: F, s: S, dapt: bool) -> Plan:
    clearance = f.labs.creatinine_clearance
    normal = clearance is not None and clearance >= s.xaban_clearance_threshold
    days = s.xaban_hold_days if normal else s.xaban_renal_hold_days
    return tuple(
        _stop(drug.value, "G-DOAC-XABAN", days, s.doac_resume_day, False)
        for drug in XABANS
        if drug in f.antithrombotics
    )


@rule("G-DOAC-XABAN", MEDICATION, ACTION, drugs=XABANS,
      actions=_HOLD_AND_CLEARANCE, hold="xaban_hold_days",
      plan=_xaban_plan,
      when=("Apixaban, rivaroxaban ou édoxaban", "Apixaban, rivaroxaban or edoxaban"),
      says=("Apixaban, rivaroxaban, édoxaban : dernière prise à J−{xaban_hold_days} si la "
            "clairance de la créatinine est d'au moins {xaban_clearance_threshold} mL/min, à "
            "J−{xaban_renal_hold_days} si elle est inférieure ou inconnue ; reprise à "
            "J+{doac_resume_day}.",
            "Apixaban, rivaroxaban, edoxaban: last dose on D−{xaban_hold_days} with a creatinine "
            "clearance of at least {xaban_clearance_threshold} mL/min, on "
            "D−{xaban_renal_hold_days} when it is lower or unknown; resume on "
            "D+{doac_resume_day}."),
      source=f"{GIHP}; {PAUSE}")  # fmt: skip
def g_doac_xaban(f: F, s: S, treatable: int) -> Applies:
    drugs = f.antithrombotics
    if not drugs or not any(x in drugs for x in XABANS):
        return ()
    return _HOLD_AND_CLEARANCE if f.labs.creatinine_clearance is None else _HOLD


def _dabigatran_plan(f: F, s: S, dapt: bool) -> Plan:
    clearance = f.labs.creatinine_clearance
    normal = clearance is not None and clearance >= s.dabigatran_clearance_threshold
    days = s.dabigatran_hold_days if normal else s.dabigatran_renal_hold_days
    return (_stop("dabigatran", "G-DOAC-DABIGATRAN", days, s.doac_resume_day, False),)


@rule("G-DOAC-DABIGATRAN", MEDICATION, ACTION, drugs=(_DABIGATRAN,),
      actions=_HOLD_AND_CLEARANCE,
      hold="dabigatran_hold_days", plan=_dabigatran_plan,
      when=("Dabigatran", "Dabigatran"),
      says=("Dabigatran (Pradaxa) : dernière prise à J−{dabigatran_hold_days} si la clairance de "
            "la créatinine est d'au moins {dabigatran_clearance_threshold} mL/min, à "
            "J−{dabigatran_renal_hold_days} si elle est inférieure ou inconnue ; reprise à "
            "J+{doac_resume_day}.",
            "Dabigatran (Pradaxa): last dose on D−{dabigatran_hold_days} with a creatinine "
            "clearance of at least {dabigatran_clearance_threshold} mL/min, on "
            "D−{dabigatran_renal_hold_days} when it is lower or unknown; resume on "
            "D+{doac_resume_day}."),
      source=f"{GIHP}; {PAUSE}")  # fmt: skip
def g_doac_dabigatran(f: F, s: S, treatable: int) -> Applies:
    if _DABIGATRAN not in f.antithrombotics:
        return ()
    return _HOLD_AND_CLEARANCE if f.labs.creatinine_clearance is None else _HOLD


def _doac_plan(f: F, s: S, dapt: bool) -> Plan:
    return (_stop("doac", "G-DOAC", s.doac_hold_days, s.doac_resume_day, False),)


@rule("G-DOAC", MEDICATION, ACTION, drugs=(_DOAC,),
      actions=("doac_hold", "doac_name_needed"),
      hold="doac_hold_days", plan=_doac_plan,
      when=("AOD, nom à préciser", "DOAC, name not known"),
      says=("AOD, nom à préciser : dernière prise à J−{doac_hold_days} (le plus long des délais "
            "des AOD) ; reprise à J+{doac_resume_day} ; demander le nom au médecin traitant.",
            "DOAC, name not known: last dose on D−{doac_hold_days} (the longest of the DOAC "
            "holds); resume on D+{doac_resume_day}; ask the GP for the name."),
      source=GIHP)  # fmt: skip
def g_doac(f: F, s: S, treatable: int) -> bool:
    return _DOAC in f.antithrombotics


def _lmwh_plan(f: F, s: S, dapt: bool) -> Plan:
    return (PlanEntry("lmwh", "G-LMWH", -s.lmwh_hold_days, MORNING, s.lmwh_resume_day, None,
                      False),)  # fmt: skip


@rule("G-LMWH", MEDICATION, ACTION, drugs=(_LMWH,),
      actions=("lmwh_hold",), hold="lmwh_hold_days",
      plan=_lmwh_plan,
      when=("Héparine de bas poids moléculaire à dose curative",
            "Therapeutic low-molecular-weight heparin"),
      says=("HBPM à dose curative : dernière injection à J−{lmwh_hold_days} au matin (au moins "
            "24 h avant le geste) ; reprise à J+{lmwh_resume_day}.",
            "Therapeutic LMWH: last injection on D−{lmwh_hold_days} in the morning (at least "
            "24 h before the procedure); resume on D+{lmwh_resume_day}."),
      source=ASRA)  # fmt: skip
def g_lmwh(f: F, s: S, treatable: int) -> bool:
    return _LMWH in f.antithrombotics


def dual_antiplatelet(f: F) -> bool:
    drugs = f.antithrombotics
    return len(drugs) > 1 and len(ANTIPLATELETS.intersection(drugs)) >= 2


@rule("G-DAPT", MEDICATION, ACTION, drugs=tuple(ANTIPLATELETS),
      actions=("cardiology_advice",),
      when=("Deux antiagrégants plaquettaires", "Two antiplatelet drugs"),
      says=("Double antiagrégation plaquettaire : avis du cardiologue ; ne jamais arrêter un "
            "antiagrégant sans son accord (chaque arrêt devient facultatif).",
            "Dual antiplatelet therapy: ask the cardiologist; never stop an antiplatelet without "
            "their agreement (every stop becomes optional)."),
      source=SIR_2019)  # fmt: skip
def g_dapt(f: F, s: S, treatable: int) -> bool:
    return dual_antiplatelet(f)


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
def b_anaesthesia(f: F, s: S, treatable: int) -> bool:
    return f.anaesthesia != _LOCAL
