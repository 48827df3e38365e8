"""The patients' search column (referrals.models.patient.search_text), filled for the patients
already there; on PostgreSQL a trigram index makes « contains » searches on it, and a pattern index
NIR prefixes, read an index rather than the table (SQLite scans: a laptop's few rows)."""

from django.db import migrations, models

BATCH = 2000


def fill(apps, schema_editor):  # type: ignore[no-untyped-def]
    from referrals.models.patient import search_text

    Patient = apps.get_model("referrals", "Patient")
    batch = []
    for patient in Patient.objects.only("pk", "birth_name", "used_name", "first_names").iterator(
        chunk_size=BATCH
    ):
        patient.search_name = search_text(
            f"{patient.birth_name} {patient.used_name} {patient.first_names}"
        )
        batch.append(patient)
        if len(batch) >= BATCH:
            Patient.objects.bulk_update(batch, ["search_name"])
            batch = []
    if batch:
        Patient.objects.bulk_update(batch, ["search_name"])


def create_indexes(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS patient_search_trgm ON referrals_patient "
        "USING gin (search_name gin_trgm_ops)"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS patient_nir_prefix ON referrals_patient "
        "(nir varchar_pattern_ops)"
    )


def drop_indexes(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS patient_search_trgm")
    schema_editor.execute("DROP INDEX IF EXISTS patient_nir_prefix")


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0022_missing_imaging_until_procedure"),
    ]

    operations = [
        migrations.AddField(
            model_name="patient",
            name="search_name",
            field=models.CharField(blank=True, default="", editable=False, max_length=360),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
