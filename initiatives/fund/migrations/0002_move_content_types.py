"""The fund's content types move from `initiatives` to `fund`, and with them their permissions: groups and
accounts that held `initiatives.change_fundapplication` hold `fund.change_fundapplication` afterwards, and
the audit history and admin log, which point to content types, keep pointing to the same records.

Moving the rows (instead of letting `migrate` create new ones) keeps their ids. Should a `fund` content type
already exist (the new app was migrated once before its data moved), the groups and accounts get its
permissions and the old content type stays behind for `remove_stale_contenttypes`.
"""

from django.db import migrations

MODELS = ["fund", "call", "jurymember", "fundapplication", "costline", "vote", "fundentry", "receipt",
          "reportphoto", "fundauditentry"]


def _move(apps, schema_editor, old_label, new_label):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    for model in MODELS:
        old = ContentType.objects.using(db).filter(app_label=old_label, model=model).first()
        if old is None:
            continue  # a fresh database: migrate creates the content types afterwards
        new = ContentType.objects.using(db).filter(app_label=new_label, model=model).first()
        if new is None:
            old.app_label = new_label
            old.save(update_fields=["app_label"])
            continue
        for permission in Permission.objects.using(db).filter(content_type=old):
            target = Permission.objects.using(db).filter(content_type=new, codename=permission.codename).first()
            if target is not None:
                target.group_set.add(*permission.group_set.all())
                target.user_set.add(*permission.user_set.all())


def forwards(apps, schema_editor):
    _move(apps, schema_editor, "initiatives", "fund")


def backwards(apps, schema_editor):
    _move(apps, schema_editor, "fund", "initiatives")


class Migration(migrations.Migration):

    dependencies = [
        ("fund", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
