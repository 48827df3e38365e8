"""The code systems and identifiers the FHIR API reads and writes (docs/api.md explains each
choice). One table per concept, read both ways: Bundle → referral facts and referral → resources.

There is no French national implementation guide for referrals: FR Core 2.1.0 gives the patient
(INS) and practitioner (RPPS) identifiers; the clinical codes are SNOMED CT, LOINC and ATC; what no
standard codes (the facts of the form without one, the referral's status) is in Cimento's own
code systems under CIMENTO."""

from __future__ import annotations

from typing import Final

from referrals.choices import IMAGING_REPORT_FACT

# Canonical base of Cimento's own code systems and extensions (docs/api.md).
CIMENTO: Final = "https://cimento.invalid/fhir"

NIR_SYSTEM: Final = "urn:oid:1.2.250.1.213.1.4.8"  # INS-NIR (FR Core)
RPPS_SYSTEM: Final = "urn:oid:1.2.250.1.71.4.2.1"  # idNatPs (FR Core): "8" + the RPPS number
FINESS_SYSTEM: Final = "urn:oid:1.2.250.1.71.4.2.2"  # the clinic (Task.owner)
SNOMED: Final = "http://snomed.info/sct"
LOINC: Final = "http://loinc.org"
ATC: Final = "http://www.whocc.no/atc"
UCUM: Final = "http://unitsofmeasure.org"

# FR Core: how far the patient's identity was checked (TRE_R245 « statut de l'identité »).
IDENTITY_RELIABILITY_URL: Final = (
    "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-identity-reliability"
)
IDENTITY_RELIABILITY_CODES: Final = frozenset({"VIDE", "PROV", "VALI", "QUAL"})
BIRTH_PLACE_URL: Final = "http://hl7.org/fhir/StructureDefinition/patient-birthPlace"
INSEE_CODE_URL: Final = "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-address-insee-code"

# The procedure asked for (ServiceRequest.code).
VERTEBROPLASTY: Final = ("392010000", "Percutaneous vertebroplasty")

# Condition.bodySite: one SNOMED CT body structure per level (DICOM CID 7603 « Vertebra »; the
# sacrum from CID 4031).
LEVEL_SNOMED: Final[dict[str, str]] = {
    "C1": "14806007",
    "C2": "39976000",
    "C3": "113205007",
    "C4": "5329002",
    "C5": "36978003",
    "C6": "36054005",
    "C7": "87391001",
    "T1": "64864005",
    "T2": "53733008",
    "T3": "1626008",
    "T4": "73071006",
    "T5": "56401006",
    "T6": "45296009",
    "T7": "62487009",
    "T8": "11068009",
    "T9": "82687006",
    "T10": "7610001",
    "T11": "12989004",
    "T12": "23215003",
    "L1": "66794005",
    "L2": "14293000",
    "L3": "36470004",
    "L4": "11994002",
    "L5": "49668003",
    "S": "54735007",
}
SNOMED_LEVEL: Final = {code: level for level, code in LEVEL_SNOMED.items()}

# Observations with a LOINC code: the form field each fills.
PAIN_NRS: Final = "72514-3"  # Pain severity - 0-10 verbal numeric rating [Score] - Reported
LAB_LOINC: Final[dict[str, str]] = {
    "777-3": "platelets",  # Platelets [#/volume] in Blood by Automated count (10*3/uL = G/L)
    "6301-6": "inr",  # INR in Platelet poor plasma by Coagulation assay
    "35591-7": "creatinine_clearance",  # Creatinine renal clearance predicted by Cockcroft-Gault
}
LOINC_OF_LAB: Final = {field: code for code, field in LAB_LOINC.items()}
LAB_UNITS: Final = {"platelets": "10*9/L", "inr": "{INR}", "creatinine_clearance": "mL/min"}

# MedicationStatement.medicationCodeableConcept: ATC substance codes → the form's antithrombotics.
ATC_ANTITHROMBOTIC: Final[dict[str, str]] = {
    "B01AC06": "aspirin",
    "N02BA01": "aspirin",  # acetylsalicylic acid filed as an analgesic: the same hold
    "B01AC04": "clopidogrel",
    "B01AC22": "prasugrel",
    "B01AC24": "ticagrelor",
    "B01AA03": "vka",  # warfarin
    "B01AA07": "vka",  # acenocoumarol
    "B01AA12": "vka",  # fluindione
    "B01AF02": "apixaban",
    "B01AF01": "rivaroxaban",
    "B01AF03": "edoxaban",
    "B01AE07": "dabigatran",
    "B01AF": "doac",  # the group « direct factor Xa inhibitors » when the substance is unknown
    "B01AB": "lmwh",  # the heparin group: a therapeutic-dose heparin
    "B01AB05": "lmwh",  # enoxaparin
    "B01AB04": "lmwh",  # dalteparin
    "B01AB06": "lmwh",  # nadroparin
    "B01AB10": "lmwh",  # tinzaparin
    "B01AX05": "fondaparinux",
    "B01A": "other",  # an antithrombotic agent not listed: the radiologist reads the note
}
ATC_OF_ANTITHROMBOTIC: Final = {
    "aspirin": "B01AC06",
    "clopidogrel": "B01AC04",
    "prasugrel": "B01AC22",
    "ticagrelor": "B01AC24",
    "vka": "B01AA",
    "apixaban": "B01AF02",
    "rivaroxaban": "B01AF01",
    "edoxaban": "B01AF03",
    "dabigatran": "B01AE07",
    "doac": "B01AF",
    "lmwh": "B01AB",
    "fondaparinux": "B01AX05",
    "other": "B01A",
}

# Facts of the form that no standard code fits: Observations coded in Cimento's « referral-fact »
# code system, the code being the form's field name; valueBoolean, valueDateTime (an exam's date)
# or valueCodeableConcept (the alternative to MRI, the anaesthesia wished for).
FACT_SYSTEM: Final = f"{CIMENTO}/CodeSystem/referral-fact"
BOOLEAN_FACTS: Final = (
    "ct_available",
    "mri_available",
    "mri_contraindicated",
    "analgesics_failed",
    "opioids_failed",
    "osteoporosis_treatment",
    "pregnant",
    "active_infection",
    "uncorrectable_coagulopathy",
    "cement_allergy",
    "neurological_deficit",
    "high_energy_trauma",
    "cannot_lie_prone",
    "vka_bridging",
)
DATE_FACTS: Final = {"ct_date": "ct_available", "mri_date": "mri_available"}
CODED_FACTS: Final = ("mri_alternative", "anaesthesia")
ALLERGY_SYSTEM: Final = f"{CIMENTO}/CodeSystem/allergy"

# Condition (one per fractured level): the facts of the level as extensions of Cimento.
LEVEL_EXTENSION: Final = f"{CIMENTO}/StructureDefinition/fracture-"
LEVEL_BOOLEAN_EXTENSIONS: Final = {
    "posterior-arch-involved": "posterior_arch_involved",
    "posterior-wall-involved": "posterior_wall_involved",
    "retropulsion": "retropulsion",
    "mri-oedema": "mri_oedema",
    "tender-on-percussion": "tender_on_percussion",
}
LEVEL_CODED_EXTENSIONS: Final = {"cause": "cause", "sacral-pattern": "sacral_pattern"}
CAUSE_SYSTEM: Final = f"{CIMENTO}/CodeSystem/fracture-cause"
SACRAL_PATTERN_SYSTEM: Final = f"{CIMENTO}/CodeSystem/sacral-pattern"
CONFIRM_NEW_EXTENSION: Final = f"{CIMENTO}/StructureDefinition/confirm-new-referral"

# The referral's status, as Task.businessStatus (and the Task status it maps to).
REFERRAL_STATUS_SYSTEM: Final = f"{CIMENTO}/CodeSystem/referral-status"
DOCUMENT_KIND_SYSTEM: Final = f"{CIMENTO}/CodeSystem/document-kind"

# FR Core 2.1.0: the profiles the Patient and Practitioner reads claim, and their identifier types.
FR_CORE_PATIENT: Final = "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-patient"
FR_CORE_PRACTITIONER: Final = "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-practitioner"
FR_IDENTIFIER_TYPE: Final = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0203"
FR_IDENTITY_STATUS: Final = "https://hl7.fr/ig/fhir/core/CodeSystem/fr-core-cs-v2-0445"

# DocumentReference.type of a document sent with a referral → the web form's file field
# (referrals.choices.AttachmentKind). LOINC document codes of DICOM CID 7000 « Diagnostic Imaging
# Report Document Title » and the referral note; docs/api.md explains the choice.
DOCUMENT_LOINC: Final[dict[str, str]] = {
    "25045-6": "ct_report",  # CT Unspecified body region (CID 7000 « CT Report »)
    "25056-3": "mri_report",  # MR Unspecified body region (CID 7000 « MRI Report »)
    "57133-1": "letter",  # Referral note
}
# « Diagnostic imaging study », the DMP's « CR d'imagerie médicale »: its modality says which exam
# (context.event, DICOM modality codes, as an XDS eventCodeList carries it).
IMAGING_REPORT_LOINC: Final = "18748-4"
DICOM_DCM: Final = "http://dicom.nema.org/resources/ontology/DCM"
MODALITY_KIND: Final[dict[str, str]] = {"CT": "ct_report", "MR": "mri_report"}
# The imaging fact a CT or MRI report proves, and its exam date's field.
IMAGING_FACT: Final = IMAGING_REPORT_FACT
