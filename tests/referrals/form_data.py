"""POST data for the GP's referral form, as a browser would send it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import fictional_nir

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def pdf(name: str = "compte-rendu.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def level(index: int, name: str = "L1", days_ago: int | None = 10, **extra: Any) -> dict[str, Any]:
    today = timezone.localdate()
    row: dict[str, Any] = {
        "level": name,
        "fracture_date": (today - timedelta(days=days_ago)).isoformat() if days_ago else "",
        "cause": "trauma",
        "mri_oedema": "true",
        **extra,
    }
    return {f"levels-{index}-{key}": value for key, value in row.items() if value is not False}


def referral_data(
    *,
    levels: list[dict[str, Any]] | None = None,
    initial_levels: int = 0,
    action: str = "submit",
    **overrides: Any,
) -> dict[str, Any]:
    """A complete referral for an eligible, ideal-window L1 fracture; `overrides` replace keys
    (a value of None removes the key, as an unticked box or an empty field would)."""
    rows = [level(0)] if levels is None else levels
    data: dict[str, Any] = {
        "action": action,
        "patient-birth_name": "Rousseau",
        "patient-first_names": "Jeanne Marie",
        "patient-birth_date": "1941-03-02",
        "patient-sex": "F",
        "patient-nir": fictional_nir("F", 1941, 3, 1),
        "patient-phone": "06 12 34 56 78",
        "patient-email": "jeanne@example.invalid",
        "patient-address": "10 rue Imaginaire, 75005 Paris",
        "levels-TOTAL_FORMS": str(len(rows)),
        "levels-INITIAL_FORMS": str(initial_levels),
        "levels-MIN_NUM_FORMS": "0",
        "levels-MAX_NUM_FORMS": "25",
        "facts-ct_available": "on",
        "facts-mri_available": "on",
        "facts-pain_nrs": "8",
        "facts-analgesics_failed": "on",
        "facts-anaesthesia": "local",
        "facts-clinical_note": "Chute dans sa cuisine.",
    }
    for row in rows:
        data.update(row)
    for key, value in overrides.items():
        key = key.replace("__", "-")
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def birth(year: int, month: int, day: int) -> str:
    return date(year, month, day).isoformat()
