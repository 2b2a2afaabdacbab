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
from django.contrib.auth.models import Permission
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import Exists, OuterRef, Q

MARKER = -7_654_321


def _account_query(user_id):
    holds = Permission.objects.filter(Q(user=OuterRef("pk")) | Q(group__user=OuterRef("pk")))
    manager = get_user_model()._default_manager
    return manager.filter(pk=user_id).annotate(holds_permissions=Exists(holds)).order_by()


@functools.cache
def _account_sql() -> tuple[str, tuple, list[str], str] | None:
    """(SQL, its parameters with MARKER where the account's id goes, the model's field names in the row's order,
    database alias), or None where the database's values need converting to Python's (SQLite's dates and
    booleans): there the ORM loads the account, in the same one query."""
    query = _account_query(MARKER)
    compiler = query.query.get_compiler(using=query.db)
    sql, params = compiler.as_sql()
    if compiler.get_converters([column for column, _sql, _alias in compiler.select]):
        return None
    if MARKER not in params:  # Django compiled it differently: not to be reused
        raise ImproperlyConfigured(f"Unexpected parameters of the account query: {params!r}")
    fields = [field.attname for field in get_user_model()._meta.concrete_fields]
    return sql, params, fields, query.db


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
        cursor.execute(sql, [user_id if param == MARKER else param for param in params])
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
