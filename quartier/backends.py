"""The authentication backends: Django's and allauth's, with a cheaper `get_user`.

Every request of a logged-in visitor loads the account, and the two-factor rule (quartier.staff) asks whether
it has any permission. Django compiled the account's query anew on each request and the permission question
cost a second query. Here one query (on PostgreSQL compiled once per process) brings the account and whether it
holds any permission (directly or through a group): an account without one (every resident) needs no second query
(`staff.load_permissions`), and one with them loads its permissions as before.
"""

import functools

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.db import connections
from django.db.models import Exists, OuterRef

from .sql import MARKER, compile_once, with_value
from .staff import permissions_of


def _account_query(user_id):
    holds = Exists(permissions_of(OuterRef("pk")))
    return get_user_model()._default_manager.filter(pk=user_id).annotate(holds_permissions=holds).order_by()


@functools.cache
def _account_sql() -> tuple[str, tuple, list[str], str] | None:
    """(SQL, its parameters, the model's field names in the row's order, database alias), or None where the
    database's values need converting to Python's (SQLite's dates and booleans): there the ORM loads the
    account, in the same one query."""
    query = _account_query(MARKER)
    sql, params, converts = compile_once(query)
    if converts:
        return None
    return sql, params, [field.attname for field in get_user_model()._meta.concrete_fields], query.db


def load_account(user_id):
    """The account with this id (None if there is none), `holds_permissions` set."""
    user_model = get_user_model()
    try:
        user_id = user_model._meta.pk.to_python(user_id)
    except Exception:  # noqa: BLE001 - a malformed id in a session is no account, as in Django's backend
        return None
    compiled = _account_sql()
    if compiled is None:
        return _account_query(user_id).first()
    sql, params, fields, alias = compiled
    with connections[alias].cursor() as cursor:
        cursor.execute(sql, with_value(params, user_id))
        row = cursor.fetchone()
    if row is None:
        return None
    user = user_model.from_db(alias, fields, row[: len(fields)])
    user.holds_permissions = bool(row[len(fields)])
    return user


class _CheaperGetUser:
    def get_user(self, user_id):
        user = load_account(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class PortalModelBackend(_CheaperGetUser, ModelBackend):
    """Django's ModelBackend (log-in by e-mail and password in tests and the admin's machinery)."""


class PortalAuthenticationBackend(_CheaperGetUser, AllauthBackend):
    """allauth's backend (the portal's log-in)."""
