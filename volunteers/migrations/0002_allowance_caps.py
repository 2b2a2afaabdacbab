"""The tax-free caps of § 3 Nr. 26 and Nr. 26a EStG since 2007, as data (staff add rows when the law changes).

The rows themselves are defined once, in volunteers/caps.py.
"""

from django.db import migrations

from volunteers.caps import STATUTORY_CAPS, add_statutory_caps


def add_caps(apps, schema_editor):
    add_statutory_caps(apps.get_model("volunteers", "Cap"))


def remove_caps(apps, schema_editor):
    apps.get_model("volunteers", "Cap").objects.filter(from_year__in=[row[0] for row in STATUTORY_CAPS]).delete()


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0001_initial")]

    operations = [migrations.RunPython(add_caps, remove_caps)]
