# Office staff become a group with permissions (quartier.staff): accounts that acted for the office through
# their staff status alone join the office group, so that nobody loses what they did before.

from django.db import migrations

OFFICE_GROUP = "Quartiersbüro"


def staff_join_the_office_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    User = apps.get_model("quartier", "User")
    content_type, _ = ContentType.objects.get_or_create(app_label="quartier", model="office")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename="act_for_office",
        defaults={"name": "Can act for the office (staff pages, every booking, event and initiative)"},
    )
    group, _ = Group.objects.get_or_create(name=OFFICE_GROUP)
    group.permissions.add(permission)  # the other permissions follow after migrate (quartier.staff.sync_office_group)
    for user in User.objects.filter(is_staff=True, is_superuser=False):
        user.groups.add(group)


class Migration(migrations.Migration):

    dependencies = [
        ("quartier", "0002_user_deleted_at"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="office",
            options={
                "ordering": ["pk"],
                "permissions": [
                    ("act_for_office", "Can act for the office (staff pages, every booking, event and initiative)")
                ],
                "verbose_name": "office",
                "verbose_name_plural": "office",
            },
        ),
        migrations.RunPython(staff_join_the_office_group, migrations.RunPython.noop),
    ]
