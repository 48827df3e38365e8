"""French and English labels for verdicts, effects and actions.

The engine imports nothing from Django, so its user-facing words live here as plain data in both
languages; the web layer picks one with the active language.
"""

from __future__ import annotations

from .facts import ACTION, INFO, Verdict

Label = dict[str, str]  # {"fr": ..., "en": ...}

VERDICT_LABELS: dict[str, Label] = {
    Verdict.ELIGIBLE_IDEAL: {
        "fr": "Indication retenue — délai idéal",
        "en": "Indicated — ideal window",
    },
    Verdict.ELIGIBLE: {"fr": "Indication retenue", "en": "Indicated"},
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
}

# The national health insurance names the acts in French; the clinic sets the codes.
ACT_ONE_OR_TWO = "Spondyloplastie unique ou de 2 vertèbres"
ACT_THREE_OR_MORE = "Spondyloplastie de 3 vertèbres ou plus"
ACT_LABELS: dict[str, Label] = {
    ACT_ONE_OR_TWO: {"fr": ACT_ONE_OR_TWO, "en": "Vertebroplasty of one or two vertebrae"},
    ACT_THREE_OR_MORE: {"fr": ACT_THREE_OR_MORE, "en": "Vertebroplasty of three or more vertebrae"},
}
