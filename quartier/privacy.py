"""Privacy self-service (DSGVO Art. 15, 17, 20): one JSON file of everything about a person, and account deletion.

The export walks every model that points to the user, so a new app's data is exported without code here;
apps add what reaches the person another way (a volunteer's payments) through `export(user, rows)` in the
privacy module their apps.py declares (`privacy = "<app>.privacy"`, quartier/contributions.py).
Deleting an account keeps the user row as a pseudonym ("former member"), because bookings, payments and
contributions must stay consistent; each app cancels, erases or pseudonymises its own rows in that module's
`erase(user)`. A hook that fails (or does not import) fails the whole deletion, which then changes nothing.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers
from django.db import transaction
from django.utils import timezone

from . import contributions, mail

# Rows that are the account's machinery, not information about the person: left out of the export.
# Outgoing mails are left out as well: a staff member's would carry other residents' bookings.
NOT_EXPORTED = {"mfa.authenticator", "sessions.session", "quartier.outgoingmail"}
ACCOUNT_FIELDS = ["email", "display_name", "language", "date_joined", "last_login", "is_staff"]
# Relations that name who *handled* a row about someone else (staff entering a payment, deciding a booking, the
# admin's log): the export says how many and which ids, never the other people's data in them.
HANDLED_BY = {
    "admin.logentry.user",
    "events.event.created_by",
    "fund.fundauditentry.by",
    "fund.fundentry.entered_by",
    "initiatives.invitation.invited_by",
    "rooms.booking.cancelled_by",
    "rooms.booking.created_by",
    "rooms.booking.decided_by",
    "rooms.booking.key_issued_by",
    "rooms.booking.key_returned_by",
    "volunteers.auditentry.by",
    "volunteers.declaration.submitted_by",
    "volunteers.payment.entered_by",
}


def _hooks(name: str):
    """The apps' `name` functions (export or erase), in INSTALLED_APPS order."""
    for module in contributions.privacy_modules():
        if hasattr(module, name):
            yield getattr(module, name)


def user_relations():
    """(model, field name) of every foreign key to the user model, in a stable order."""
    user_model = get_user_model()
    found = []
    for model in apps.get_models():
        if model is user_model or model._meta.label_lower in NOT_EXPORTED:
            continue
        for field in model._meta.get_fields():
            if field.concrete and (field.many_to_one or field.one_to_one) and field.related_model is user_model:
                found.append((model, field.name))
    return sorted(found, key=lambda item: (item[0]._meta.label_lower, item[1]))


def _rows(queryset) -> list[dict]:
    return [{"id": row["pk"], **row["fields"]} for row in serializers.serialize("python", queryset)]


def export_data(user) -> dict:
    """Everything the portal holds about `user`, grouped by record type; values as JSON-ready Python."""
    data = {
        "exported_at": timezone.now(),
        "site": settings.SITE_URL,
        "account": {name: getattr(user, name) for name in ACCOUNT_FIELDS},
        "records": {},
    }
    for model, field in user_relations():
        rows = model._default_manager.filter(**{field: user}).order_by("pk")
        if f"{model._meta.label_lower}.{field}" in HANDLED_BY:
            ids = list(rows.values_list("pk", flat=True))
            if ids:
                data["records"][f"{model._meta.label_lower} ({field})"] = {"count": len(ids), "ids": ids}
        elif rows := _rows(rows):
            data["records"][f"{model._meta.label_lower} ({field})"] = rows
    for export in _hooks("export"):
        data["records"].update(export(user, _rows))
    return data


@transaction.atomic
def delete_account(user) -> None:
    """Erase the person's data; cancel what lies ahead; keep what the law or other people need, pseudonymised."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    for erase in _hooks("erase"):
        erase(user)
    mail.erase_for(user)  # the rendered mails to the person, sent or waiting (the hooks' own included)
    apps.get_model("account", "EmailAddress").objects.filter(user=user).delete()
    apps.get_model("mfa", "Authenticator").objects.filter(user=user).delete()
    user.email = f"deleted-{user.pk}@deleted.invalid"
    user.display_name = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.deleted_at = timezone.now()
    user.set_unusable_password()  # also ends every other session: their hash no longer matches
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
