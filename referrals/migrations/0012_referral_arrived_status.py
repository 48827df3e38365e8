from django.db import migrations, models


def arrived_and_sent_dates(apps, schema_editor):
    """Referrals whose patient the desk marked arrived read « arrived » (the new status); a
    referral sent before `submitted_at` was always set gets its creation date."""
    Referral = apps.get_model("referrals", "Referral")
    Booking = apps.get_model("scheduling", "Booking")
    arrived = Booking.objects.filter(status="arrived").values("referral_id")
    Referral.objects.filter(status="scheduled", pk__in=arrived).update(status="arrived")
    for referral in Referral.objects.exclude(status__in=("draft", "discarded")).filter(
        submitted_at__isnull=True
    ):
        referral.submitted_at = referral.created_at
        referral.save(update_fields=["submitted_at"])
    Referral.objects.filter(status="draft").update(submitted_at=None)



class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0011_discarded_drafts"),
        ("scheduling", "0002_imaging_cancellation"),
    ]

    operations = [
        migrations.AlterField(
            model_name='referral',
            name='status',
            field=models.CharField(choices=[('draft', 'Brouillon'), ('submitted', "Adressée, en attente d'avis"), ('info_requested', 'Informations demandées'), ('accepted', 'Indication acceptée'), ('declined', 'Indication refusée'), ('surgery', 'Orientée vers la chirurgie'), ('scheduled', 'Programmée'), ('arrived', 'Patient arrivé'), ('done', 'Geste réalisé'), ('cancelled', 'Annulée'), ('closed', 'Close par la clinique'), ('discarded', 'Brouillon supprimé')], db_index=True, default='draft', max_length=20, verbose_name='statut'),
        ),
        migrations.RunPython(arrived_and_sent_dates, migrations.RunPython.noop),
    ]
