"""FollowUp.answered: the follow-ups still open, read from a partial index instead of an
anti-join over every answer (docs/performance.md). The flag is filled here for the follow-ups
already answered; from now on the answer services write it with the answer."""

from django.apps.registry import Apps
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def flag_answered(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    FollowUp = apps.get_model("followups", "FollowUp")
    FollowUp.objects.using(schema_editor.connection.alias).filter(
        answer__isnull=False, answered=False
    ).update(answered=True)


class Migration(migrations.Migration):
    dependencies = [
        ("followups", "0002_typographic_apostrophes"),
    ]

    operations = [
        migrations.AddField(
            model_name="followup",
            name="answered",
            field=models.BooleanField(default=False, verbose_name="recueilli"),
        ),
        migrations.RunPython(flag_answered, migrations.RunPython.noop, elidable=False),
        # Every read of follow-ups by due date is of the open ones: the partial index replaces
        # the full one (after the update, so that it is built once on the final flags).
        migrations.RemoveIndex(model_name="followup", name="followup_due"),
        migrations.AddIndex(
            model_name="followup",
            index=models.Index(
                condition=models.Q(("answered", False)),
                fields=["due_on", "id"],
                name="followup_open",
            ),
        ),
    ]
