"""The tax-free caps of § 3 Nr. 26 and Nr. 26a EStG since 2007, as data (staff add rows when the law changes)."""

from decimal import Decimal

from django.db import migrations

# (from year, Übungsleiterpauschale, Ehrenamtspauschale): each row holds until the next one.
CAPS = [
    (2007, "2100.00", "500.00"),
    (2013, "2400.00", "720.00"),
    (2021, "3000.00", "840.00"),
    (2026, "3300.00", "960.00"),
]


def add_caps(apps, schema_editor):
    Cap = apps.get_model("volunteers", "Cap")
    for year, trainer, honorary in CAPS:
        Cap.objects.get_or_create(
            from_year=year, defaults={"trainer_amount": Decimal(trainer), "honorary_amount": Decimal(honorary)}
        )


def remove_caps(apps, schema_editor):
    apps.get_model("volunteers", "Cap").objects.filter(from_year__in=[row[0] for row in CAPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0001_initial")]

    operations = [migrations.RunPython(add_caps, remove_caps)]
