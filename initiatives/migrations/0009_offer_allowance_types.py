"""Offers store the volunteers' allowance types (quartier/allowances.py) instead of values of their own."""

from django.db import migrations, models

# The offers' former values and the allowance types they meant.
OLD_TO_NEW = {"uebungsleiter": "trainer", "ehrenamt": "honorary"}


def to_allowance_types(apps, schema_editor):
    Offer = apps.get_model("initiatives", "Offer")
    for old, new in OLD_TO_NEW.items():
        Offer.objects.filter(allowance=old).update(allowance=new)


def to_old_values(apps, schema_editor):
    Offer = apps.get_model("initiatives", "Offer")
    for old, new in OLD_TO_NEW.items():
        Offer.objects.filter(allowance=new).update(allowance=old)


class Migration(migrations.Migration):

    dependencies = [
        ('initiatives', '0008_receipt_document_names'),
    ]

    operations = [
        migrations.AlterField(
            model_name='offer',
            name='allowance',
            field=models.CharField(choices=[('none', 'no allowance'), ('trainer', 'Übungsleiterpauschale possible'), ('honorary', 'Ehrenamtspauschale possible')], default='none', max_length=15, verbose_name='allowance'),
        ),
        migrations.RunPython(to_allowance_types, to_old_values),
    ]
