"""Who acts for the office, in one place: the office group, office powers and the two-factor rule.

- **Office staff** are the members of the office group (`OFFICE_GROUP`). The group holds every permission
  of the portal's apps, among them `quartier.act_for_office`, which the apps ask through
  `is_office_staff(user)` wherever the office may do more than a resident (book outside the booking
  window, see every initiative, edit every event, open the staff dashboard). Narrower roles, such as a
  treasurer who books allowances, are further groups with just the permissions they need; the apps check
  those permissions (`volunteers.add_payment`, `fund.change_fundapplication`, …) where they apply.
- **Office powers** are staff status, superuser status or any permission at all (direct or through a
  group). Whoever has them must have passed the second factor *in this session* before any page opens
  (`quartier.middleware.OfficeTwoFactorMiddleware`): a password alone never reaches a page, whichever
  login it came through.
"""

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from .sql import plain_rows

OFFICE_GROUP = "Quartiersbüro"
OFFICE_PERMISSION = "quartier.act_for_office"
# The apps whose permissions the office group holds (the portal's own; not Django's or allauth's internals).
PORTAL_APPS = ("quartier", "initiatives", "fund", "rooms", "events", "volunteers")
# Besides the portal's own permissions, the office manages accounts and groups in the admin.
EXTRA_PERMISSIONS = [("auth", "view_group"), ("account", "view_emailaddress"), ("account", "change_emailaddress")]


def is_office_staff(user) -> bool:
    """The one definition: an active account with the office's permission (the office group grants it)."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or OFFICE_PERMISSION in load_permissions(user)


def has_office_powers(user) -> bool:
    """Staff status, superuser status or any permission: such an account needs the second factor."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return bool(load_permissions(user))


def load_permissions(user) -> set[str]:
    """The user's permissions (direct and through groups) in one query, kept where Django's ModelBackend keeps
    them (`_perm_cache`), so that every has_perm() of the request after this costs no query. An account loaded
    by the portal's backends (quartier.backends) knows whether it holds any: without one, no query at all."""
    if not hasattr(user, "_perm_cache") and getattr(user, "holds_permissions", None) is False:
        user._perm_cache = set()  # the account's own query said it holds none (quartier.backends)
    if not hasattr(user, "_perm_cache"):
        rows = plain_rows("quartier.permissions", _permission_rows, user.pk)
        # (DISTINCT adds the columns of Permission's ordering after the two asked for, in the SQL's rows.)
        user._perm_cache = {f"{app_label}.{codename}" for app_label, codename, *_order in rows}
    return user._perm_cache


def permissions_of(user):
    """The permissions an account holds directly or through a group (`user`: an id, an account or an OuterRef)."""
    return Permission.objects.filter(Q(user=user) | Q(group__user=user))


def _permission_rows(user_id):
    """The permission query, compiled once per process (quartier.sql.plain_rows): it runs on every request of a
    logged-in account with permissions (the two-factor rule), and compiling it cost more than it."""
    return permissions_of(user_id).values_list("content_type__app_label", "codename").distinct()


def passed_second_factor(request) -> bool:
    """This session was authenticated with the authenticator app or a recovery code (not only a password)."""
    return any(record.get("method") == "mfa" for record in get_authentication_records(request, request.user))


def has_authenticator(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def office_group() -> Group:
    """The office group with every permission of the portal's apps (kept complete after each migration)."""
    group, _created = Group.objects.get_or_create(name=OFFICE_GROUP)
    wanted = Q(content_type__app_label__in=PORTAL_APPS)
    for app_label, codename in EXTRA_PERMISSIONS:
        wanted |= Q(content_type__app_label=app_label, codename=codename)
    missing = Permission.objects.filter(wanted).exclude(group=group)
    if missing.exists():
        group.permissions.add(*missing)
    return group


def sync_office_group(sender=None, **kwargs) -> None:
    """post_migrate: the group exists and holds the permissions of models added since (see QuartierConfig)."""
    if Permission.objects.filter(content_type__app_label="quartier", codename="act_for_office").exists():
        office_group()


def record_second_factor(request) -> None:
    """The authenticator app was just set up in this session with a valid code: that counts as its second factor."""
    record_authentication(request, request.user, "mfa", type=Authenticator.Type.TOTP, activated=True)


def office_staff_users():
    """The active accounts that act for the office (for the office's notifications)."""
    from django.contrib.auth import get_user_model

    permission = Q(content_type__app_label="quartier", codename="act_for_office")
    return (
        get_user_model()
        .objects.filter(
            Q(is_superuser=True)
            | Q(groups__permissions__in=Permission.objects.filter(permission))
            | Q(user_permissions__in=Permission.objects.filter(permission)),
            is_active=True,
        )
        .distinct()
    )
