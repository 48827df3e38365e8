"""The CT and MRI reports and the letter sent inside the Bundle: DocumentReference entries (data in
base64, or a Binary entry of the Bundle) stored as the web page's attachments, through the same
checks; a bad one is an OperationOutcome naming its entry, and nothing is kept, files included."""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path
from typing import Any

from django.conf import settings
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.documentreference import DocumentReference
from fhir.resources.R4B.operationoutcome import OperationOutcome

from clinic.models import User
from fhir_api import codes
from referrals.models import Attachment, Referral, TimelineEvent
from tests.fhir_api.bundles import PATIENT, fact, referral_bundle
from tests.fhir_api.conftest import Api
from tests.referrals.form_data import PDF_BYTES, PNG_BYTES

BINARY = "urn:uuid:0d1d0b8e-0000-4000-8000-0000000000b1"


def document(
    code: str, content: bytes = PDF_BYTES, *, system: str = codes.LOINC, **attachment: Any
) -> dict[str, Any]:
    return {
        "resourceType": "DocumentReference",
        "status": "current",
        "type": {"coding": [{"system": system, "code": code}]},
        "subject": {"reference": PATIENT},
        "content": [
            {
                "attachment": {
                    "contentType": "application/pdf",
                    "data": base64.b64encode(content).decode(),
                    **attachment,
                }
            }
        ],
    }


def _without_imaging(gp: User, *documents: dict[str, Any]) -> dict[str, Any]:
    """`gp`'s referral Bundle whose CT and MRI are said by their reports only."""
    bundle = referral_bundle(rpps=gp.rpps, extra=list(documents))
    bundle["entry"] = [
        e
        for e in bundle["entry"]
        if not any(
            c.get("code") in ("ct_date", "mri_date")
            for c in (e["resource"].get("code") or {}).get("coding", [])
        )
    ]
    return bundle


def _index(bundle: dict[str, Any], kind: str, n: int = 0) -> int:
    return [i for i, e in enumerate(bundle["entry"]) if e["resource"]["resourceType"] == kind][n]


def _stored_files() -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def _refused(api: Api, bundle: dict[str, Any]) -> OperationOutcome:
    before = (Referral.objects.count(), Attachment.objects.count(), TimelineEvent.objects.count())
    response = api.post("/fhir/", bundle)
    assert response.status_code in (400, 422), response.content
    after = (Referral.objects.count(), Attachment.objects.count(), TimelineEvent.objects.count())
    assert after == before, "a refused Bundle created something"
    assert _stored_files() == [], "a refused Bundle left a file in storage"
    return OperationOutcome.model_validate(response.json())


def test_the_reports_become_the_referrals_attachments_and_prove_the_exams(
    api: Api, gp: User
) -> None:
    ct = document("25045-6", title="Scanner rachis 2026-11-20.pdf")
    ct["context"] = {"period": {"start": "2026-11-20"}}
    mri = document("18748-4", PNG_BYTES, contentType="image/png", title="IRM")
    mri["context"] = {"event": [{"coding": [{"system": codes.DICOM_DCM, "code": "MR"}]}]}
    letter = document("57133-1")
    bundle = _without_imaging(gp, ct, mri, letter)

    response = api.post("/fhir/", bundle)

    assert response.status_code == 200, response.json()
    referral = Referral.objects.get()
    kinds = {a.kind: a for a in referral.attachments.all()}
    assert sorted(kinds) == ["ct_report", "letter", "mri_report"]
    assert kinds["ct_report"].original_name == "Scanner rachis 2026-11-20.pdf"
    assert kinds["mri_report"].content_type == "image/png"
    assert kinds["mri_report"].original_name == "IRM.png"  # the real type's extension, as the web
    assert kinds["mri_report"].file.read() == PNG_BYTES
    # Proved by their reports: the engine sees a CT and an MRI, as when the GP ticks the boxes.
    assert referral.ct_available and referral.mri_available
    assert str(referral.ct_date) == "2026-11-20"
    assert referral.verdict == "eligible_ideal"
    events = list(referral.events.values_list("action", flat=True))
    assert events.count("referral.attachment_added") == 3
    # Each DocumentReference entry answers where it is now.
    answer = Bundle.model_validate(response.json())
    for kind in ("ct_report", "mri_report", "letter"):
        index = next(
            i
            for i, e in enumerate(bundle["entry"])
            if e["resource"]["resourceType"] == "DocumentReference"
            and (e["resource"]["type"]["coding"][0]["code"], kind)
            in (("25045-6", "ct_report"), ("18748-4", "mri_report"), ("57133-1", "letter"))
        )
        location = answer.entry[index].response.location
        assert location == f"DocumentReference/attachment-{kinds[kind].pk}"
        read = DocumentReference.model_validate(api.get(f"/fhir/{location}").json())
        assert read.type.coding[0].code == kind
        assert read.content[0].attachment.url == f"Binary/attachment-{kinds[kind].pk}"


def test_a_report_in_a_binary_entry_is_read_through_its_url(api: Api, gp: User) -> None:
    ct = document("25045-6")
    del ct["content"][0]["attachment"]["data"]
    ct["content"][0]["attachment"]["url"] = BINARY
    bundle = _without_imaging(gp, ct)
    bundle["entry"].append(
        {
            "fullUrl": BINARY,
            "resource": {
                "resourceType": "Binary",
                "contentType": "application/pdf",
                "data": base64.b64encode(PDF_BYTES).decode(),
            },
            "request": {"method": "POST", "url": "Binary"},
        }
    )

    response = api.post("/fhir/", bundle)

    assert response.status_code == 200, response.json()
    attachment = Attachment.objects.get()
    assert attachment.kind == "ct_report"
    assert attachment.file.read() == PDF_BYTES
    referral = attachment.referral
    assert referral.ct_available and not referral.mri_available


def test_a_file_that_is_not_a_pdf_or_an_image_is_refused_at_its_entry(api: Api, gp: User) -> None:
    bundle = _without_imaging(gp, document("25045-6", b"MZ\x90\x00 an executable", title="cr.pdf"))
    at = _index(bundle, "DocumentReference")

    outcome = _refused(api, bundle)

    assert [(i.code, i.expression) for i in outcome.issue] == [
        ("invalid", [f"Bundle.entry[{at}].resource.content[0].attachment.data"])
    ]
    assert "« cr.pdf » n’est ni un PDF, ni une image JPEG ou PNG" in outcome.issue[0].diagnostics


def test_a_file_over_the_size_limit_is_refused_with_the_web_message(
    api: Api, gp: User, settings: Any
) -> None:
    settings.ATTACHMENT_MAX_BYTES = 1024
    big = PDF_BYTES + b"0" * 2048
    bundle = _without_imaging(gp, document("25056-3", big, title="IRM.pdf"))
    at = _index(bundle, "DocumentReference")

    outcome = _refused(api, bundle)

    (issue,) = outcome.issue
    assert issue.expression == [f"Bundle.entry[{at}].resource.content[0].attachment.data"]
    assert issue.diagnostics.startswith(
        "« IRM.pdf » pèse 2 Ko : la limite est de 1 Ko par fichier."
    )


def test_invalid_base64_is_refused_in_french_at_its_element(api: Api, gp: User) -> None:
    bad = document("25045-6")
    bad["content"][0]["attachment"]["data"] = "JVBERi0x%%%"
    bundle = _without_imaging(gp, bad)
    at = _index(bundle, "DocumentReference")

    outcome = _refused(api, bundle)

    assert [(i.diagnostics[:26], i.expression) for i in outcome.issue] == [
        (
            "Contenu base64 illisible :",
            [f"Bundle.entry[{at}].resource.content[0].attachment.data"],
        )
    ]


def test_a_file_cut_short_is_refused_by_its_size_and_hash(api: Api, gp: User) -> None:
    sha1 = base64.b64encode(hashlib.sha1(PDF_BYTES + b"rest").digest()).decode()
    cut = document("25045-6", hash=sha1)
    sized = document("57133-1", size=len(PDF_BYTES) + 10)
    bundle = _without_imaging(gp, cut, sized)

    outcome = _refused(api, bundle)

    first, second = _index(bundle, "DocumentReference"), _index(bundle, "DocumentReference", 1)
    assert [i.expression for i in outcome.issue] == [
        [f"Bundle.entry[{first}].resource.content[0].attachment.hash"],
        [f"Bundle.entry[{second}].resource.content[0].attachment.size"],
    ]


def test_a_url_outside_the_bundle_is_not_fetched_and_a_loose_binary_is_refused(
    api: Api, gp: User
) -> None:
    remote = document("25045-6")
    del remote["content"][0]["attachment"]["data"]
    remote["content"][0]["attachment"]["url"] = "https://pacs.example/cr/1.pdf"
    bundle = _without_imaging(gp, remote)
    bundle["entry"].append(
        {
            "fullUrl": BINARY,
            "resource": {
                "resourceType": "Binary",
                "contentType": "application/pdf",
                "data": "JQ==",
            },
        }
    )

    outcome = _refused(api, bundle)

    at, binary = _index(bundle, "DocumentReference"), _index(bundle, "Binary")
    assert [(i.code, i.expression) for i in outcome.issue] == [
        ("not-supported", [f"Bundle.entry[{at}].resource.content[0].attachment.url"]),
        ("structure", [f"Bundle.entry[{binary}].resource"]),
    ]


def test_an_imaging_report_without_its_modality_is_refused(api: Api, gp: User) -> None:
    bundle = _without_imaging(gp, document("18748-4"))

    outcome = _refused(api, bundle)

    at = _index(bundle, "DocumentReference")
    assert [(i.code, i.expression) for i in outcome.issue] == [
        ("required", [f"Bundle.entry[{at}].resource.context.event"])
    ]


def test_a_report_contradicting_an_observation_is_refused(api: Api, gp: User) -> None:
    bundle = _without_imaging(gp, document("25045-6"))
    bundle["entry"].insert(
        3,
        {
            "resource": fact("ct_available", valueBoolean=False),
            "request": {"method": "POST", "url": "Observation"},
        },
    )

    outcome = _refused(api, bundle)

    at = _index(bundle, "DocumentReference")
    assert [(i.code, i.expression) for i in outcome.issue] == [
        ("business-rule", [f"Bundle.entry[{at}].resource.type"])
    ]


def test_the_quota_refuses_the_whole_referral_and_keeps_no_file(
    api: Api, gp: User, settings: Any
) -> None:
    settings.ATTACHMENT_MAX_FILES_PER_REFERRAL = 1
    bundle = _without_imaging(gp, document("25045-6"), document("25056-3"))

    outcome = _refused(api, bundle)

    assert [(i.code, i.expression) for i in outcome.issue] == [
        ("business-rule", ["Bundle.entry.resource.ofType(DocumentReference)"])
    ]
    assert "au plus 1 pièces jointes" in outcome.issue[0].diagnostics


def test_a_refusal_after_the_files_were_stored_removes_them(api: Api, gp: User) -> None:
    """The second referral of the same patient is refused by referral_submit (to confirm), after
    referral_save_draft stored its report: the file goes with the rolled-back rows."""
    assert api.post("/fhir/", referral_bundle(rpps=gp.rpps)).status_code == 200
    kept = _stored_files()
    before = (Referral.objects.count(), Attachment.objects.count())

    response = api.post("/fhir/", referral_bundle(rpps=gp.rpps, extra=[document("25045-6")]))

    assert response.status_code == 422
    assert OperationOutcome.model_validate(response.json()).issue[0].code == "duplicate"
    assert (Referral.objects.count(), Attachment.objects.count()) == before
    assert _stored_files() == kept


def test_a_report_of_another_patient_is_refused_and_nothing_is_filed(api: Api, gp: User) -> None:
    other = document("18748-4") | {"subject": {"reference": "Patient/4711"}}
    other["context"] = {"event": [{"coding": [{"system": codes.DICOM_DCM, "code": "CT"}]}]}
    bundle = referral_bundle(rpps=gp.rpps, extra=[other])
    at = _index(bundle, "DocumentReference")

    outcome = _refused(api, bundle)

    assert [(i.code, i.expression) for i in outcome.issue] == [
        ("business-rule", [f"Bundle.entry[{at}].resource.subject"])
    ]
    assert "concerne un autre patient" in outcome.issue[0].diagnostics
    assert not Referral.objects.exists() and not Attachment.objects.exists()


def test_a_diagnosis_of_another_patient_is_refused(api: Api, gp: User) -> None:
    bundle = referral_bundle(rpps=gp.rpps)
    at = _index(bundle, "Condition")
    bundle["entry"][at]["resource"]["subject"] = {"reference": "urn:uuid:another-patient"}

    outcome = _refused(api, bundle)

    assert [i.expression for i in outcome.issue] == [[f"Bundle.entry[{at}].resource.subject"]]
    assert not Referral.objects.exists()
