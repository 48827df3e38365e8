"""The documents a transaction Bundle carries (the CT and MRI reports, a letter) read as the files
the referral page uploads: each DocumentReference becomes a file of its field (`files-ct_report`…)
and goes through the page's own checks (`referrals.validators.attachment_content_type`: size,
then the type read from the content), then the form's (`AttachmentsForm`) and the service's
(`attachment_add`: the quotas). A fault names its entry.

The bytes are in `content[0].attachment.data` (base64), or in a Binary entry of the same Bundle
that `attachment.url` references by its fullUrl (IHE MHD's layout, which the French « partage de
documents » profiles follow). Cimento downloads nothing: any other url is refused.

A CT or MRI report is the proof that the exam was done: it ticks the form's « scanner réalisé » /
« IRM réalisée » (and its date, from `context.period.start`) as the GP would have."""

from __future__ import annotations

import base64
import binascii
import hashlib
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.translation import gettext as _

from fhir_api import codes
from referrals.choices import AttachmentKind
from referrals.validators import attachment_content_type

if TYPE_CHECKING:
    from fhir_api.intake import FormPost

DOCUMENTS_AT = "Bundle.entry.resource.ofType(DocumentReference)"


def read_documents(post: FormPost, entries: list[dict[str, Any]]) -> None:
    """Every DocumentReference of `entries` as a file of `post` (intake.FormPost), every fault
    as an issue; Binary entries are read through the DocumentReference that points at them."""
    binaries: dict[str, tuple[str, dict[str, Any]]] = {}
    for index, entry in enumerate(entries):
        resource = entry.get("resource") or {}
        if resource.get("resourceType") == "Binary":
            binaries[str(entry.get("fullUrl", ""))] = (f"Bundle.entry[{index}].resource", resource)
    used: set[str] = set()
    for index, entry in enumerate(entries):
        resource = entry.get("resource") or {}
        if resource.get("resourceType") == "DocumentReference":
            _read_document(post, index, resource, binaries, used)
    for url, (at, _binary) in binaries.items():
        if url not in used:
            post.refuse(
                _(
                    "Cette ressource Binary n’est le contenu d’aucun DocumentReference : "
                    "référencez-la dans content.attachment.url, par son fullUrl."
                ),
                at,
                code="structure",
            )


def _read_document(
    post: FormPost,
    index: int,
    document: dict[str, Any],
    binaries: dict[str, tuple[str, dict[str, Any]]],
    used: set[str],
) -> None:
    at = f"Bundle.entry[{index}].resource"
    kind = document_kind(post, at, document)
    contents = document.get("content") or []
    if len(contents) != 1:
        post.refuse(
            _("Un DocumentReference porte un seul fichier (content) : envoyez-en un par document."),
            f"{at}.content",
            code="structure",
        )
        return
    attachment = contents[0].get("attachment") or {}
    attachment_at = f"{at}.content[0].attachment"
    data, data_at = attachment.get("data"), f"{attachment_at}.data"
    url = str(attachment.get("url") or "")
    if data is None and url:
        if url not in binaries:
            post.refuse(
                _(
                    "Cimento ne télécharge aucun document : joignez le fichier en base64 (data) "
                    "ou dans une entrée Binary du Bundle, référencée par son fullUrl."
                ),
                f"{attachment_at}.url",
                code="not-supported",
            )
            return
        used.add(url)
        binary_at, binary = binaries[url]
        data, data_at = binary.get("data"), f"{binary_at}.data"
    if not data:
        post.refuse(
            _("Le document est vide : joignez son contenu en base64 (attachment.data)."),
            data_at,
            code="required",
        )
        return
    content = _decode(post, str(data), data_at)
    if content is None or not _matches(post, content, attachment, attachment_at):
        return
    label = str(AttachmentKind(kind).label) if kind else ""
    upload = SimpleUploadedFile(
        str(attachment.get("title") or label or _("document")),
        content,
        content_type=str(attachment.get("contentType") or ""),
    )
    try:
        attachment_content_type(upload)  # the web upload's checks: size, then the real type
    except ValidationError as error:
        post.refuse(" ".join(error.messages), data_at)
        return
    if not kind:
        return
    field = f"files-{kind}"
    post.files.appendlist(field, upload)
    post.where.setdefault(field, DOCUMENTS_AT)
    post.documents.append((index, kind))
    if kind in codes.IMAGING_FACT:
        _imaging_done(post, at, document, kind)


def document_kind(post: FormPost, at: str, document: dict[str, Any]) -> str:
    """The form's file field for the DocumentReference's type ("" after a refusal): LOINC, or
    Cimento's own document-kind codes (those the API writes back); any other type is « other »."""
    concept = document.get("type") or {}
    for i, coding in enumerate(concept.get("coding") or []):
        system, code = coding.get("system"), str(coding.get("code", ""))
        if system == codes.DOCUMENT_KIND_SYSTEM and code in AttachmentKind.values:
            return code
        if system == codes.LOINC and code in codes.DOCUMENT_LOINC:
            return codes.DOCUMENT_LOINC[code]
        if system == codes.LOINC and code == codes.IMAGING_REPORT_LOINC:
            return _modality_kind(post, at, document, f"{at}.type.coding[{i}]")
    return str(AttachmentKind.OTHER)


def _modality_kind(post: FormPost, at: str, document: dict[str, Any], type_at: str) -> str:
    events = (document.get("context") or {}).get("event") or []
    for event in events:
        for coding in event.get("coding") or []:
            code = str(coding.get("code", ""))
            if coding.get("system") == codes.DICOM_DCM and code in codes.MODALITY_KIND:
                return codes.MODALITY_KIND[code]
    post.refuse(
        _(
            "Compte rendu d’imagerie (LOINC 18748-4) sans modalité : indiquez CT ou MR dans "
            "context.event (système %(system)s), ou codez le type 25045-6 (scanner) ou 25056-3 "
            "(IRM)."
        )
        % {"system": codes.DICOM_DCM},
        f"{at}.context.event",
        code="required",
    )
    return ""


def _decode(post: FormPost, data: str, at: str) -> bytes | None:
    try:
        return base64.b64decode("".join(data.split()), validate=True)
    except (binascii.Error, ValueError):
        post.refuse(base64_message(), at)
        return None


def base64_message() -> str:
    return _("Contenu base64 illisible : encodez le fichier en base64 (RFC 4648) sans le modifier.")


def _matches(post: FormPost, content: bytes, attachment: dict[str, Any], at: str) -> bool:
    """The declared size and SHA-1 (Attachment.size, .hash), when sent, are those of the bytes:
    a file cut short on its way is refused, not stored."""
    size = attachment.get("size")
    if isinstance(size, int) and size != len(content):
        post.refuse(
            _(
                "Le fichier reçu fait %(got)d octets alors que size en annonce %(size)d : il a "
                "été tronqué ou modifié en route, renvoyez-le."
            )
            % {"got": len(content), "size": size},
            f"{at}.size",
        )
        return False
    declared = attachment.get("hash")
    if declared and base64.b64encode(hashlib.sha1(content).digest()).decode() != declared:  # noqa: S324 - FHIR's hash is SHA-1
        post.refuse(
            _("L’empreinte SHA-1 du fichier reçu ne correspond pas à hash : renvoyez-le."),
            f"{at}.hash",
        )
        return False
    return True


def _imaging_done(post: FormPost, at: str, document: dict[str, Any], kind: str) -> None:
    available, date_field = codes.IMAGING_FACT[kind]
    key = f"facts-{available}"
    if post.data.get(key) == "false":
        post.refuse(
            _(
                "Un compte rendu de cet examen est joint alors qu’une Observation %(fact)s dit "
                "qu’il n’a pas été fait : corrigez l’une ou l’autre."
            )
            % {"fact": available},
            f"{at}.type",
            code="business-rule",
        )
        return
    if key not in post.data:
        post.put(key, "true", f"{at}.type")
    start = str(((document.get("context") or {}).get("period") or {}).get("start", ""))[:10]
    if start and f"facts-{date_field}" not in post.data:
        post.put(f"facts-{date_field}", start, f"{at}.context.period.start")
