"""The authentication backends: Django's and allauth's, with a cheaper `get_user`.

Every request of a logged-in visitor loads the account, and the two-factor rule (quartier.staff) asks whether
it has any permission. Django compiled the account's query anew on each request and the permission question
cost a second query. Here one query (compiled once per process, quartier.sql.plain_rows) brings the account and
whether it holds any permission (directly or through a group): an account without one (every resident) needs no
second query (`staff.load_permissions`), and one with them loads its permissions as before.
"""

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, OuterRef

from .sql import plain_rows
from .staff import permissions_of


def _account_rows(user_id):
    """The account's columns and whether it holds any permission (compiled once per process:
    quartier.sql.plain_rows)."""
    fields = [field.attname for field in get_user_model()._meta.concrete_fields]
    holds = Exists(permissions_of(OuterRef("pk")))
    query = get_user_model()._default_manager.filter(pk=user_id).annotate(holds_permissions=holds).order_by()
    return query.values_list(*fields, "holds_permissions")


def load_account(user_id):
    """The account with this id (None if there is none), `holds_permissions` set."""
    user_model = get_user_model()
    try:
        user_id = user_model._meta.pk.to_python(user_id)
    except Exception:  # noqa: BLE001 - a malformed id in a session is no account, as in Django's backend
        return None
    rows = plain_rows("quartier.account", _account_rows, user_id)
    if not rows:
        return None
    fields = [field.attname for field in user_model._meta.concrete_fields]
    user = user_model.from_db(user_model._default_manager.db, fields, rows[0][: len(fields)])
    user.holds_permissions = bool(rows[0][len(fields)])
    return user


class _CheaperGetUser:
    def get_user(self, user_id):
        user = load_account(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class PortalModelBackend(_CheaperGetUser, ModelBackend):
    """Django's ModelBackend (log-in by e-mail and password in tests and the admin's machinery)."""


class PortalAuthenticationBackend(_CheaperGetUser, AllauthBackend):
    """allauth's backend (the portal's log-in)."""
