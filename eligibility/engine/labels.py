"""French and English labels for verdicts, effects, actions, drugs and options.

The engine imports nothing from Django, so its user-facing words live here as plain data in both
languages; the web layer picks one with the active language. Verdict labels are the engine's
advice: « Indication probable » until a radiologist decides (only their decision reads
« Indication retenue »).
"""

from __future__ import annotations

from .facts import ACTION, INFO, Verdict

Label = dict[str, str]  # {"fr": ..., "en": ...}

VERDICT_LABELS: dict[str, Label] = {
    Verdict.ELIGIBLE_IDEAL: {
        "fr": "Indication probable — délai idéal",
        "en": "Probable indication — ideal window",
    },
    Verdict.ELIGIBLE: {"fr": "Indication probable", "en": "Probable indication"},
    Verdict.NEEDS_REVIEW: {"fr": "Avis du radiologue requis", "en": "Radiologist review needed"},
    Verdict.INCOMPLETE: {"fr": "Dossier incomplet", "en": "Incomplete file"},
    Verdict.SURGICAL_REFERRAL: {"fr": "Orientation chirurgicale", "en": "Surgical referral"},
    Verdict.NOT_ELIGIBLE: {"fr": "Non indiqué", "en": "Not indicated"},
}

EFFECT_LABELS: dict[str, Label] = {
    **VERDICT_LABELS,
    INFO: {"fr": "Information", "en": "Information"},
    ACTION: {"fr": "Action", "en": "Action"},
}

ACTION_LABELS: dict[str, Label] = {
    "book_ct": {
        "fr": "Scanner manquant : le centre peut le réaliser",
        "en": "CT missing: the centre can do it",
    },
    "book_mri": {
        "fr": "IRM manquante : le centre peut la réaliser",
        "en": "MRI missing: the centre can do it",
    },
    "book_bone_scan": {
        "fr": "IRM contre-indiquée : prévoir une scintigraphie osseuse",
        "en": "MRI contraindicated: book a bone scan",
    },
    "date_fracture": {
        "fr": "Préciser la date de la fracture (traumatisme ou début des douleurs)",
        "en": "Give the fracture date (trauma or pain onset)",
    },
    "surgical_opinion": {
        "fr": "Avis chirurgical : stabilisation du rachis",
        "en": "Surgical opinion: spinal stabilisation",
    },
    "urgent_surgical_opinion": {
        "fr": "Avis chirurgical urgent (déficit neurologique)",
        "en": "Urgent surgical opinion (neurological deficit)",
    },
    "oncology_pathway": {
        "fr": "Orienter vers la filière oncologique",
        "en": "Refer to the oncology pathway",
    },
    "vka_stop_bridging": {
        "fr": "Arrêter l'AVK ; relais héparine par le médecin traitant ; contrôle de l'INR",
        "en": "Stop the VKA; heparin bridging by the GP; INR check",
    },
    "aspirin_continue": {
        "fr": "Poursuivre l'aspirine (Kardégic)",
        "en": "Continue aspirin (Kardegic)",
    },
    "clopidogrel_stop": {
        "fr": "Arrêter le clopidogrel (Plavix) si possible",
        "en": "Stop clopidogrel (Plavix) when possible",
    },
    "prasugrel_stop": {"fr": "Arrêter le prasugrel (Efient)", "en": "Stop prasugrel (Efient)"},
    "ticagrelor_stop": {
        "fr": "Arrêter le ticagrélor (Brilique)",
        "en": "Stop ticagrelor (Brilique)",
    },
    "doac_hold": {
        "fr": "Suspendre l'anticoagulant oral direct (AOD)",
        "en": "Hold the direct oral anticoagulant (DOAC)",
    },
    "doac_name_needed": {
        "fr": "AOD, nom à préciser : demander le nom au médecin traitant",
        "en": "DOAC, name not given: ask the GP for the name",
    },
    "creatinine_clearance_needed": {
        "fr": "Clairance de la créatinine à fournir (elle fixe l'arrêt de l'AOD)",
        "en": "Creatinine clearance needed (it sets the DOAC hold)",
    },
    "lmwh_hold": {
        "fr": "Dernière injection d'HBPM à dose curative 24 h avant le geste",
        "en": "Last therapeutic LMWH dose 24 h before the procedure",
    },
    "cardiology_advice": {
        "fr": "Avis du cardiologue avant tout arrêt d'antiagrégant",
        "en": "Cardiology advice before stopping any antiplatelet",
    },
    "anaesthesia_consultation": {
        "fr": "Consultation d'anesthésie",
        "en": "Anaesthesia consultation",
    },
    "allergy_precautions": {
        "fr": "Allergie : précautions pour le geste",
        "en": "Allergy: precautions for the procedure",
    },
    "osteoporosis_care": {
        "fr": "Prise en charge de l'ostéoporose : ostéodensitométrie, vitamine D, traitement, "
        "filière fracture",
        "en": "Osteoporosis care: DXA, vitamin D, treatment, fracture-liaison service",
    },
}

# Drugs of the medication plan (and of the referral form's antithrombotic choices).
DRUG_LABELS: dict[str, Label] = {
    "aspirin": {"fr": "Aspirine (Kardégic)", "en": "Aspirin (Kardegic)"},
    "clopidogrel": {"fr": "Clopidogrel (Plavix)", "en": "Clopidogrel (Plavix)"},
    "prasugrel": {"fr": "Prasugrel (Efient)", "en": "Prasugrel (Efient)"},
    "ticagrelor": {"fr": "Ticagrélor (Brilique)", "en": "Ticagrelor (Brilique)"},
    "vka": {"fr": "Antivitamine K (AVK)", "en": "Vitamin K antagonist (VKA)"},
    "apixaban": {"fr": "Apixaban (Eliquis)", "en": "Apixaban (Eliquis)"},
    "rivaroxaban": {"fr": "Rivaroxaban (Xarelto)", "en": "Rivaroxaban (Xarelto)"},
    "edoxaban": {"fr": "Édoxaban (Lixiana)", "en": "Edoxaban (Lixiana)"},
    "dabigatran": {"fr": "Dabigatran (Pradaxa)", "en": "Dabigatran (Pradaxa)"},
    "doac": {"fr": "AOD, nom à préciser", "en": "DOAC, name to be given"},
    "lmwh": {"fr": "HBPM à dose curative", "en": "Therapeutic-dose LMWH"},
    "lmwh_bridging": {"fr": "Relais par HBPM", "en": "LMWH bridging"},
    "fondaparinux": {"fr": "Fondaparinux (Arixtra)", "en": "Fondaparinux (Arixtra)"},
    "other": {"fr": "Autre antithrombotique", "en": "Other antithrombotic"},
}

PREPARATION_LABELS: dict[str, Label] = {
    "anaesthesia_consultation": {
        "fr": "Consultation d'anesthésie",
        "en": "Anaesthesia consultation",
    },
}

OPTION_LABELS: dict[str, Label] = {
    "continue_clopidogrel": {
        "fr": "Poursuivre le clopidogrel (Plavix) pour traiter plus tôt",
        "en": "Continue clopidogrel (Plavix) to treat sooner",
    },
}

# The national health insurance names the acts in French; the clinic sets the codes.
ACT_ONE_OR_TWO = "Spondyloplastie unique ou de 2 vertèbres"
ACT_THREE_OR_MORE = "Spondyloplastie de 3 vertèbres ou plus"
ACT_LABELS: dict[str, Label] = {
    ACT_ONE_OR_TWO: {"fr": ACT_ONE_OR_TWO, "en": "Vertebroplasty of one or two vertebrae"},
    ACT_THREE_OR_MORE: {"fr": ACT_THREE_OR_MORE, "en": "Vertebroplasty of three or more vertebrae"},
}
