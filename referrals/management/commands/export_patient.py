"""manage.py export_patient PATIENT_ID: everything Cimento holds on one patient, as JSON
(GDPR art. 15 right of access). Attachments are listed with their metadata; --files DIR copies the
files too. Nothing is changed; the export itself is written to the access log."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from django.core import serializers
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import models
from django.utils import timezone

from clinic.models import AccessLog
from referrals.models import Attachment, Patient, Referral


def _rows(queryset: models.QuerySet[Any]) -> list[dict[str, Any]]:
    return [
        {"model": row["model"], "id": row["pk"], **row["fields"]}
        for row in json.loads(serializers.serialize("json", queryset))
    ]


def held_on(patient: Patient) -> dict[type[models.Model], models.QuerySet[Any]]:
    """Every row that belongs to the patient, found from the schema: the patient, their referrals,
    and whatever points at those rows, at any depth (levels, decisions, bookings, the procedure
    report and its levels, follow-ups and their answers, messages…), so that a model added later
    is exported without touching this command."""
    found: dict[type[models.Model], models.QuerySet[Any]] = {
        Patient: Patient.objects.filter(pk=patient.pk),
        Referral: Referral.objects.filter(patient=patient),
    }
    queue: list[type[models.Model]] = [Referral, Patient]
    while queue:
        parent = queue.pop(0)
        for rel in parent._meta.related_objects:
            model = rel.related_model
            if rel.many_to_many or not isinstance(model, type) or model in found:
                continue
            found[model] = model._default_manager.filter(**{f"{rel.field.name}__in": found[parent]})
            queue.append(model)
    return found


def export_patient(patient: Patient) -> dict[str, Any]:
    found = held_on(patient)
    related: dict[str, list[dict[str, Any]]] = {}
    for model, queryset in found.items():
        if model in (Patient, Referral):
            continue
        rows = _rows(queryset.order_by("pk"))
        if rows:
            related[model._meta.label] = rows
    return {
        "exported_at": timezone.now().isoformat(),
        "patient": _rows(found[Patient])[0],
        "referrals": _rows(found[Referral].order_by("pk")),
        "related": related,
        "access_log": _rows(AccessLog.objects.filter(patient_id=patient.pk).order_by("pk")),
    }


class Command(BaseCommand):
    help = "Export everything held on one patient as JSON (right of access)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("patient_id", type=int)
        parser.add_argument("--output", "-o", help="write the JSON here instead of stdout")
        parser.add_argument("--files", help="also copy the patient's attachments into this folder")

    def handle(self, *args: Any, **options: Any) -> None:
        patient = Patient.objects.filter(pk=options["patient_id"]).first()
        if patient is None:
            raise CommandError(f"No patient with id {options['patient_id']}.")
        data = export_patient(patient)
        text = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        if options["output"]:
            Path(options["output"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text)
        if options["files"]:
            folder = Path(options["files"])
            folder.mkdir(parents=True, exist_ok=True)
            for attachment in Attachment.objects.filter(referral__patient=patient):
                target = folder / f"{attachment.pk}-{Path(attachment.original_name).name}"
                with attachment.file.open("rb") as source, target.open("wb") as out:
                    shutil.copyfileobj(source, out)
        AccessLog.objects.create(
            at=timezone.now(),
            patient_id=patient.pk,
            what="export",
            outcome=AccessLog.Outcome.GRANTED,
        )
