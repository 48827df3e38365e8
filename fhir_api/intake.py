"""A transaction Bundle read as the referral form's fields: each resource fills the fields a GP
would have typed, keyed as the page posts them (`patient-nir`, `facts-inr`, `levels-0-level`), so
that the same forms (referrals/forms/bundle.py) validate it with the same messages. Each field
remembers the FHIRPath expression it came from, for the OperationOutcome that names it.

What has no field on the form (the structure of the Bundle, an unknown code, a reference outside
the Bundle) is refused here, before any form runs. docs/api.md lists every mapping."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from clinic.models import User
from fhir_api import codes
from fhir_api.http import FhirRefused, Issue
from fhir_api.intake_documents import base64_message, read_documents

MAX_ENTRIES = 100


@dataclass
class FormPost:
    """The referral page's POST, built from a Bundle, with where each value came from."""

    data: QueryDict = field(default_factory=lambda: QueryDict(mutable=True))
    where: dict[str, str] = field(default_factory=dict)
    # The documents as the page's file fields, and (entry index, kind) of each, in entry order.
    files: MultiValueDict[str, Any] = field(default_factory=MultiValueDict)
    documents: list[tuple[int, str]] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    # Fallback expressions: the resource a form's other errors belong to.
    patient_at: str = "Bundle"
    request_at: str = "Bundle"
    level_at: list[str] = field(default_factory=list)
    confirm_new: bool = False

    def put(self, key: str, value: Any, at: str) -> None:
        self.data[key] = "" if value is None else str(value)
        self.where[key] = at

    def add(self, key: str, value: str, at: str) -> None:
        self.data.appendlist(key, value)
        self.where.setdefault(key, at)

    def refuse(self, message: str, at: str, code: str = "invalid") -> None:
        self.issues.append(Issue(message, at, code=code))


def validate_structure(payload: Any) -> Any:
    """The Bundle as fhir.resources' R4B model, or FhirRefused naming each element at fault."""
    # Both load here, with the first Bundle a worker reads: not at boot (docs/performance.md).
    from fhir.resources.R4B.bundle import Bundle
    from pydantic import ValidationError

    if not isinstance(payload, dict) or payload.get("resourceType") != "Bundle":
        raise FhirRefused(
            [Issue(_("Envoyez une ressource Bundle de type « transaction »."), "Bundle")],
            status=400,
        )
    try:
        bundle = Bundle.model_validate(payload)
    except ValidationError as error:
        raise FhirRefused(
            [
                Issue(
                    base64_message() if e["type"] == "base64_decode" else str(e["msg"]),
                    _fhirpath("Bundle", e["loc"]),
                )
                for e in error.errors()
            ],
            status=400,
        ) from None
    except KeyError:  # fhir.resources on an entry with a blank resourceType
        raise FhirRefused(
            [Issue(_("Chaque entrée doit avoir un resourceType."), "Bundle.entry")], status=400
        ) from None
    if bundle.type != "transaction":
        raise FhirRefused([Issue(_("Le Bundle doit être de type « transaction »."), "Bundle.type")])
    if not bundle.entry or len(bundle.entry) > MAX_ENTRIES:
        raise FhirRefused(
            [
                Issue(
                    _("Le Bundle doit contenir de 1 à %(n)d entrées.") % {"n": MAX_ENTRIES},
                    "Bundle",
                )
            ]
        )
    return bundle


def _fhirpath(root: str, loc: tuple[Any, ...]) -> str:
    path = root
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def read_bundle(payload: dict[str, Any], *, gp: User) -> FormPost:
    """The form's POST for the Bundle `payload` sent by `gp`'s client; problems the forms cannot
    see are in `issues`."""
    validate_structure(payload)
    post = FormPost()
    entries = payload["entry"]
    by_type: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    urls: dict[str, str] = {}
    for index, entry in enumerate(entries):
        resource = entry.get("resource") or {}
        at = f"Bundle.entry[{index}].resource"
        by_type.setdefault(resource.get("resourceType", ""), []).append((at, resource))
        if entry.get("fullUrl"):
            urls[entry["fullUrl"]] = resource.get("resourceType", "")
    handled = {
        "Patient",
        "Practitioner",
        "ServiceRequest",
        "Condition",
        "Observation",
        "MedicationStatement",
        "AllergyIntolerance",
        "Task",
        "DocumentReference",
        "Binary",
    }
    for kind, found in by_type.items():
        if kind not in handled:
            for at, _resource in found:
                post.refuse(
                    _("Ressource %(kind)s non prise en charge dans une demande.") % {"kind": kind},
                    at,
                    code="not-supported",
                )
    _refuse_other_subjects(post, by_type, urls)
    patient_url = _one(post, by_type, "Patient", _read_patient)
    practitioner_url = _one(
        post, by_type, "Practitioner", lambda p, at, r: _read_practitioner(p, at, r, gp)
    )
    _one(
        post,
        by_type,
        "ServiceRequest",
        lambda p, at, r: _read_request(p, at, r, urls, patient_url, practitioner_url),
    )
    for number, (at, resource) in enumerate(by_type.get("Condition", [])):
        _read_level(post, at, resource, number)
    post.put("levels-TOTAL_FORMS", len(by_type.get("Condition", [])), "Bundle")
    post.put("levels-INITIAL_FORMS", 0, "Bundle")
    for at, resource in by_type.get("Observation", []):
        _read_observation(post, at, resource)
    for at, resource in by_type.get("MedicationStatement", []):
        _read_medication(post, at, resource)
    for at, resource in by_type.get("AllergyIntolerance", []):
        _read_allergy(post, at, resource)
    _one(post, by_type, "Task", lambda p, at, r: _read_task(p, at, r, urls))
    # After the Observations: a CT or MRI report ticks its exam only if they left it unsaid.
    read_documents(post, entries)
    return post


# Resources about the patient, and the element that names them (ServiceRequest's own check in
# `_read_request` also requires it).
SUBJECT_ELEMENTS = {
    "Condition": "subject",
    "Observation": "subject",
    "MedicationStatement": "subject",
    "AllergyIntolerance": "patient",
    "DocumentReference": "subject",
}


def _refuse_other_subjects(
    post: FormPost, by_type: dict[str, list[tuple[str, dict[str, Any]]]], urls: dict[str, str]
) -> None:
    """A resource that names its patient names the Bundle's Patient entry: a report or a
    diagnosis of another patient, sent by mistake with this one, is refused, never filed."""
    for kind, element in SUBJECT_ELEMENTS.items():
        for at, resource in by_type.get(kind, []):
            subject = _reference(resource, element)
            if subject and urls.get(subject) != "Patient":
                post.refuse(
                    _(
                        "Cette ressource %(kind)s concerne un autre patient que celui du Bundle "
                        "(%(element)s) : elle doit référencer l’entrée Patient du Bundle par son "
                        "fullUrl, ou ne pas être envoyée avec cette demande."
                    )
                    % {"kind": kind, "element": element},
                    f"{at}.{element}",
                    code="business-rule",
                )


def _one(post: FormPost, by_type: dict[str, Any], kind: str, read: Any) -> str:
    found = by_type.get(kind, [])
    if len(found) != 1:
        post.refuse(
            _("Le Bundle doit contenir exactement une ressource %(kind)s (%(n)d trouvée(s)).")
            % {"kind": kind, "n": len(found)},
            "Bundle.entry",
            code="required",
        )
        return ""
    at, resource = found[0]
    return str(read(post, at, resource) or "")


def _read_patient(post: FormPost, at: str, patient: dict[str, Any]) -> str:
    post.patient_at = at
    names = patient.get("name") or []
    official = next((n for n in names if n.get("use") == "official"), names[0] if names else {})
    usual: dict[str, Any] = next((n for n in names if n.get("use") == "usual"), {})
    index = names.index(official) if official in names else 0
    post.put("patient-birth_name", official.get("family", ""), f"{at}.name[{index}].family")
    post.put(
        "patient-first_names",
        " ".join(official.get("given") or []),
        f"{at}.name[{index}].given",
    )
    if usual:
        post.put(
            "patient-used_name", usual.get("family", ""), f"{at}.name[{names.index(usual)}].family"
        )
    post.put("patient-birth_date", patient.get("birthDate", ""), f"{at}.birthDate")
    gender = {"female": "F", "male": "M", "other": "I"}.get(patient.get("gender", ""), "")
    post.put("patient-sex", gender, f"{at}.gender")
    for i, identifier in enumerate(patient.get("identifier") or []):
        if identifier.get("system") == codes.NIR_SYSTEM:
            post.put("patient-nir", identifier.get("value", ""), f"{at}.identifier[{i}].value")
    for i, telecom in enumerate(patient.get("telecom") or []):
        key = {"phone": "patient-phone", "email": "patient-email"}.get(telecom.get("system", ""))
        if key and key not in post.data:
            post.put(key, telecom.get("value", ""), f"{at}.telecom[{i}].value")
    addresses = patient.get("address") or []
    if addresses:
        text = addresses[0].get("text") or ", ".join(
            [
                *addresses[0].get("line", []),
                " ".join(filter(None, [addresses[0].get("postalCode"), addresses[0].get("city")])),
            ]
        )
        post.put("patient-address", text, f"{at}.address[0]")
    for i, extension in enumerate(patient.get("extension") or []):
        if extension.get("url") == codes.BIRTH_PLACE_URL:
            place = extension.get("valueAddress") or {}
            for j, sub in enumerate(place.get("extension") or []):
                if sub.get("url") == codes.INSEE_CODE_URL:
                    post.put(
                        "patient-birth_place_insee",
                        (sub.get("valueCoding") or {}).get("code", ""),
                        f"{at}.extension[{i}].valueAddress.extension[{j}].valueCoding.code",
                    )
        elif extension.get("url") == codes.IDENTITY_RELIABILITY_URL:
            _check_reliability(post, f"{at}.extension[{i}]", extension)
    return ""


def _check_reliability(post: FormPost, at: str, extension: dict[str, Any]) -> None:
    for j, sub in enumerate(extension.get("extension") or []):
        if sub.get("url") == "identityStatus":
            code = (sub.get("valueCoding") or {}).get("code", "")
            if code not in codes.IDENTITY_RELIABILITY_CODES:
                post.refuse(
                    _("Statut d’identité inconnu : utilisez VIDE, PROV, VALI ou QUAL."),
                    f"{at}.extension[{j}].valueCoding.code",
                )


def _read_practitioner(post: FormPost, at: str, practitioner: dict[str, Any], gp: User) -> str:
    rpps = [
        (i, str(ident.get("value", "")))
        for i, ident in enumerate(practitioner.get("identifier") or [])
        if ident.get("system") == codes.RPPS_SYSTEM
    ]
    if not rpps:
        post.refuse(
            _("Indiquez le RPPS du médecin (identifiant %(system)s).")
            % {"system": codes.RPPS_SYSTEM},
            f"{at}.identifier",
            code="required",
        )
    elif gp.rpps and rpps[0][1].removeprefix("8") != gp.rpps:
        # The client acts for one GP: it cannot refer in another doctor's name.
        post.refuse(
            _("Ce RPPS n’est pas celui du médecin pour qui agit ce client."),
            f"{at}.identifier[{rpps[0][0]}].value",
            code="forbidden",
        )
    return ""


def _reference(resource: dict[str, Any], name: str) -> str:
    return str((resource.get(name) or {}).get("reference", ""))


def _read_request(
    post: FormPost,
    at: str,
    request: dict[str, Any],
    urls: dict[str, str],
    patient_url: str,
    practitioner_url: str,
) -> str:
    post.request_at = at
    subject = _reference(request, "subject")
    if urls.get(subject) != "Patient":
        # Cimento shares no patient record: a reference to one (another GP's patient, maybe) is
        # refused with the same words whether it exists or not.
        post.refuse(
            _(
                "Le patient doit être décrit dans le Bundle (référence à son entrée, "
                "urn:uuid:…) : l’API ne donne accès à aucun dossier patient existant."
            ),
            f"{at}.subject",
            code="forbidden" if subject else "required",
        )
    requester = _reference(request, "requester")
    if requester and urls.get(requester) != "Practitioner":
        post.refuse(
            _("Le demandeur doit être le Practitioner décrit dans le Bundle."),
            f"{at}.requester",
            code="forbidden",
        )
    notes = [str(n.get("text", "")) for n in request.get("note") or []]
    post.put("facts-clinical_note", "\n\n".join(n for n in notes if n), f"{at}.note")
    for i, extension in enumerate(request.get("extension") or []):
        if extension.get("url") == codes.CONFIRM_NEW_EXTENSION and extension.get("valueBoolean"):
            post.put("facts-confirm_new_referral", "on", f"{at}.extension[{i}]")
            post.confirm_new = True
    return ""


def _coding(concept: dict[str, Any] | None, system: str) -> tuple[int, str] | None:
    for i, coding in enumerate((concept or {}).get("coding") or []):
        if coding.get("system") == system:
            return i, str(coding.get("code", ""))
    return None


def _read_level(post: FormPost, at: str, condition: dict[str, Any], number: int) -> None:
    prefix = f"levels-{number}-"
    post.level_at.append(at)
    level, level_at = "", f"{at}.bodySite"
    for i, site in enumerate(condition.get("bodySite") or []):
        found = _coding(site, codes.SNOMED)
        if found is not None:
            # An unknown code is posted as typed: the form answers « Niveau inconnu ».
            level = codes.SNOMED_LEVEL.get(found[1], found[1] or "?")
            level_at = f"{at}.bodySite[{i}].coding[{found[0]}].code"
            break
    post.put(prefix + "level", level, level_at)
    onset = str(condition.get("onsetDateTime", ""))[:10]
    post.put(prefix + "fracture_date", onset, f"{at}.onsetDateTime")
    for i, extension in enumerate(condition.get("extension") or []):
        url = str(extension.get("url", ""))
        name = url.removeprefix(codes.LEVEL_EXTENSION)
        ext_at = f"{at}.extension[{i}]"
        if name in codes.LEVEL_BOOLEAN_EXTENSIONS:
            value = extension.get("valueBoolean")
            post.put(prefix + codes.LEVEL_BOOLEAN_EXTENSIONS[name], _tristate(value), ext_at)
        elif name in codes.LEVEL_CODED_EXTENSIONS:
            code = (extension.get("valueCoding") or {}).get("code", "")
            post.put(prefix + codes.LEVEL_CODED_EXTENSIONS[name], code, f"{ext_at}.valueCoding")
        else:
            post.refuse(_("Extension inconnue sur un niveau fracturé."), f"{ext_at}.url")


def _tristate(value: Any) -> str:
    return "true" if value is True else "false" if value is False else "unknown"


def _read_observation(post: FormPost, at: str, observation: dict[str, Any]) -> None:
    code = observation.get("code") or {}
    loinc = _coding(code, codes.LOINC)
    fact = _coding(code, codes.FACT_SYSTEM)
    quantity = (observation.get("valueQuantity") or {}).get("value")
    if loinc is not None and loinc[1] == codes.PAIN_NRS:
        value = observation.get("valueInteger", quantity)
        post.put("facts-pain_nrs", value, f"{at}.value")
    elif loinc is not None and loinc[1] in codes.LAB_LOINC:
        post.put(f"facts-{codes.LAB_LOINC[loinc[1]]}", quantity, f"{at}.valueQuantity.value")
    elif fact is not None and fact[1] in codes.BOOLEAN_FACTS:
        value = observation.get("valueBoolean")
        nullable = fact[1] in ("osteoporosis_treatment", "vka_bridging")
        shown = _tristate(value) if nullable else ("true" if value else "false")
        post.put(f"facts-{fact[1]}", shown, f"{at}.valueBoolean")
    elif fact is not None and fact[1] in codes.DATE_FACTS:
        post.put(
            f"facts-{fact[1]}",
            str(observation.get("valueDateTime", ""))[:10],
            f"{at}.valueDateTime",
        )
    elif fact is not None and fact[1] in codes.CODED_FACTS:
        value = ((observation.get("valueCodeableConcept") or {}).get("coding") or [{}])[0]
        post.put(f"facts-{fact[1]}", value.get("code", ""), f"{at}.valueCodeableConcept")
    else:
        post.refuse(
            _(
                "Observation non reconnue : utilisez LOINC 72514-3 (douleur), 777-3, 6301-6, "
                "35591-7 (biologie) ou le système %(system)s."
            )
            % {"system": codes.FACT_SYSTEM},
            f"{at}.code",
            code="code-invalid",
        )


def _read_medication(post: FormPost, at: str, statement: dict[str, Any]) -> None:
    found = _coding(statement.get("medicationCodeableConcept"), codes.ATC)
    if found is None:
        post.refuse(
            _("Codez le traitement en ATC (%(system)s).") % {"system": codes.ATC},
            f"{at}.medicationCodeableConcept",
            code="required",
        )
        return
    index, code = found
    drug = codes.ATC_ANTITHROMBOTIC.get(code)
    where = f"{at}.medicationCodeableConcept.coding[{index}].code"
    if drug is None:
        post.refuse(
            _(
                "Code ATC %(code)s inconnu ou non antithrombotique : n’envoyez que les "
                "antithrombotiques (ATC B01A…), codés par substance."
            )
            % {"code": code},
            where,
            code="code-invalid",
        )
    elif drug not in post.data.getlist("facts-antithrombotics"):
        post.add("facts-antithrombotics", drug, where)


def _read_allergy(post: FormPost, at: str, allergy: dict[str, Any]) -> None:
    found = _coding(allergy.get("code"), codes.ALLERGY_SYSTEM)
    if found is None:
        post.refuse(
            _("Codez l’allergie avec le système %(system)s.") % {"system": codes.ALLERGY_SYSTEM},
            f"{at}.code",
            code="code-invalid",
        )
    elif found[1] == "cement":
        post.put("facts-cement_allergy", "true", f"{at}.code")
    else:
        post.add("facts-allergies", found[1], f"{at}.code.coding[{found[0]}].code")


def _read_task(post: FormPost, at: str, task: dict[str, Any], urls: dict[str, str]) -> str:
    if task.get("status") != "requested":
        post.refuse(_("La Task envoyée doit avoir le statut « requested »."), f"{at}.status")
    if urls.get(_reference(task, "focus")) != "ServiceRequest":
        post.refuse(_("La Task doit avoir pour focus le ServiceRequest du Bundle."), f"{at}.focus")
    return ""


def read_clinical(post: FormPost, at: str, resource: dict[str, Any], *, level_number: int) -> bool:
    """One clinical resource read into `post` as the Bundle's would be (the CDS Hooks service
    reuses this mapping on a hook's resources); False for a kind that fills no field."""
    kind = resource.get("resourceType")
    if kind == "Patient":
        _read_patient(post, at, resource)
    elif kind == "Condition":
        _read_level(post, at, resource, level_number)
    elif kind == "Observation":
        _read_observation(post, at, resource)
    elif kind == "MedicationStatement":
        _read_medication(post, at, resource)
    elif kind == "AllergyIntolerance":
        _read_allergy(post, at, resource)
    else:
        return False
    return True
