"""Help texts of the referral form: each clinical term in plain French, for a busy GP."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

PATIENT_HELP: dict[str, StrPromise] = {
    "birth_name": _(
        "Nom de famille à la naissance, comme sur la pièce d’identité (pour une femme mariée, "
        "son nom de jeune fille)."
    ),
    "used_name": _("Nom utilisé au quotidien s’il diffère (nom d’époux, par exemple)."),
    "first_names": _("Tous les prénoms de l’état civil, dans l’ordre, séparés par une espace."),
    "sex": _("Sexe à l’état civil."),
    "birth_place_insee": _(
        "Code INSEE de la commune de naissance (5 caractères ; 99XXX pour une naissance à "
        "l’étranger). Facultatif."
    ),
    "nir": _(
        "Numéro de sécurité sociale (15 chiffres, clé comprise), sur la carte Vitale. Facultatif, "
        "mais il évite de créer le patient deux fois."
    ),
    "phone": _("Pour que le secrétariat puisse joindre le patient et le convoquer."),
    "email": _("Facultatif : la convocation peut aussi être envoyée par e-mail."),
    "address": _("Adresse postale du patient."),
}

REFERRAL_HELP: dict[str, StrPromise] = {
    "ct_available": _(
        "Scanner du rachis déjà fait. Il montre l’os : forme de la fracture, atteinte du mur ou "
        "de l’arc postérieur."
    ),
    "ct_date": _(
        "Date de l’examen. Une date ou son compte rendu joint suffit : la case se coche "
        "d’elle-même."
    ),
    "mri_available": _(
        "IRM du rachis déjà faite. Elle montre si la fracture est récente (œdème osseux). "
        "S’il en manque une, le centre peut la réaliser."
    ),
    "mri_date": _(
        "Date de l’examen. Une date ou son compte rendu joint suffit : la case se coche "
        "d’elle-même."
    ),
    "mri_contraindicated": _(
        "IRM impossible : stimulateur cardiaque, claustrophobie, métal dans le corps."
    ),
    "mri_alternative": _(
        "L’examen fait à la place de l’IRM pour dater la fracture : le radiologue le lira."
    ),
    "osteoporosis_treatment": _(
        "Bisphosphonate, dénosumab (Prolia), tériparatide, romosozumab ou raloxifène déjà pris. "
        "Sinon, la clinique proposera une prise en charge de l’ostéoporose."
    ),
    "cannot_lie_prone": _(
        "Le geste se fait à plat ventre 30 minutes à 1 h 30. S’il ne le peut pas (souffle, "
        "douleur), une consultation d’anesthésie est prévue."
    ),
    "allergies": _(
        "Cochez les allergies connues : la clinique prend ses précautions. L’allergie au ciment "
        "se note plus haut."
    ),
    "platelets": _("Dernier résultat, en G/L (ex. 250). Vide si inconnu."),
    "inr": _("Dernier résultat (ex. 1,1). Vide si inconnu."),
    "creatinine_clearance": _(
        "Selon Cockcroft–Gault, en mL/min. Elle fixe l’arrêt des anticoagulants oraux directs. "
        "Vide si inconnue."
    ),
    "vka_bridging": _(
        "Pour un patient sous AVK à haut risque de thrombose (valve mécanique, thrombose "
        "récente) : relais par une héparine que vous organisez."
    ),
    "pain_nrs": _(
        "Telle que le patient la décrit : 0 = aucune douleur, 10 = douleur maximale imaginable."
    ),
    "analgesics_failed": _(
        "Douleur mal soulagée par les antalgiques habituels (paracétamol, AINS, tramadol, "
        "codéine) bien conduits."
    ),
    "opioids_failed": _(
        "Douleur mal soulagée par la morphine ou un autre opioïde fort, ou opioïdes mal tolérés."
    ),
    "pregnant": _("Grossesse en cours ou possible : le geste se fait sous rayons X."),
    "active_infection": _(
        "Fièvre ou infection en cours (urinaire, pulmonaire, cutanée, de la colonne…) : "
        "le geste attend la guérison."
    ),
    "uncorrectable_coagulopathy": _(
        "Trouble de la coagulation qui ne peut pas être corrigé avant le geste (hémophilie, "
        "plaquettes très basses…). Les anticoagulants se notent plus bas."
    ),
    "cement_allergy": _(
        "Allergie connue au ciment orthopédique (polyméthacrylate de méthyle, PMMA)."
    ),
    "neurological_deficit": _(
        "Faiblesse ou engourdissement des jambes, troubles urinaires apparus avec la fracture : "
        "un avis chirurgical urgent passe avant tout."
    ),
    "high_energy_trauma": _(
        "Accident de la route, chute d’une hauteur (et non une chute de sa hauteur) : un "
        "chirurgien doit juger de la stabilité du rachis."
    ),
    "antithrombotics": _(
        "Cochez tout traitement en cours qui fluidifie le sang, par son nom : l’arrêt d’un "
        "anticoagulant oral direct dépend de la molécule et des reins. La clinique dira quand "
        "prendre la dernière dose. Aucune case si aucun."
    ),
    "anaesthesia": _(
        "Le geste se fait d’habitude sous anesthésie locale. Une sédation ou une anesthésie "
        "générale est possible sur demande, après une consultation d’anesthésie."
    ),
    "clinical_note": _(
        "Antécédents utiles, circonstances de la chute, traitement de l’ostéoporose, autonomie, "
        "questions pour le radiologue…"
    ),
}

LEVEL_HELP: dict[str, StrPromise] = {
    "level": _("Vertèbre fracturée : C cervicale, T thoracique (dorsale), L lombaire, S sacrum."),
    "sacral_pattern": _(
        "Forme de la fracture sur le scanner. La fracture « en H » (deux traits verticaux reliés "
        "par un trait horizontal) est celle que le centre traite."
    ),
    "fracture_date": _(
        "Date de la chute ou, sans chute connue, du début des douleurs. Idéal : dans les "
        "3 semaines ; au plus tard : 6 mois."
    ),
    "cause": _(
        "Traumatisme : toute chute, même banale. Ostéoporotique : tassement sans chute connue. "
        "Tumeur : métastase ou myélome possible."
    ),
    "mri_oedema": _(
        "Œdème de l’os sur l’IRM (hypersignal STIR ou T2 saturé) : la fracture est récente. "
        "« Non précisé » si le compte rendu n’en parle pas."
    ),
    "posterior_arch_involved": _(
        "Fracture de l’arrière de la vertèbre (pédicules, lames, articulaires) : une "
        "stabilisation chirurgicale passe d’abord."
    ),
    "posterior_wall_involved": _(
        "Fracture de la face arrière du corps vertébral, contre le canal de la moelle : risque de "
        "fuite du ciment, le radiologue jugera."
    ),
    "retropulsion": _("Un fragment d’os recule dans le canal rachidien."),
    "tender_on_percussion": _(
        "Tapoter l’épineuse de cette vertèbre réveille-t-il la douleur habituelle ? Si non, la "
        "douleur vient peut-être d’ailleurs."
    ),
}
