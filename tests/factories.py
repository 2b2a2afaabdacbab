"""Plain factory functions for tests: `make_<thing>(**fields)` with sensible defaults."""

import itertools
import time
from datetime import timedelta

from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from allauth.account.internal.userkit import user_id_to_str
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from quartier.models import Office, User
from quartier.staff import office_group

PASSWORD = "Sicheres-Passwort-2026"
# The authenticator-app secret of every staff account made here (base32), so tests can type its codes.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
_counter = itertools.count(1)


def make_user(*, verified: bool = True, password: str = PASSWORD, **fields) -> User:
    """A user with a verified e-mail address (allauth's login requires one). Confirming the address at sign-up
    logs in, so a verified account has logged in before (`last_login`): its next login is not its first, which
    would lead to the welcome page."""
    n = next(_counter)
    fields.setdefault("email", f"person{n}@example.org")
    fields.setdefault("display_name", f"Person {n}")
    if verified:
        fields.setdefault("last_login", timezone.now() - timedelta(days=1))
    user = User.objects.create_user(password=password, **fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    return user


def make_staff(*, mfa: bool = True, **fields) -> User:
    """Office staff: a member of the office group (every permission of the portal's apps) with staff status for
    the admin, not a superuser; with `mfa` (the default) they have set up the authenticator app they must use."""
    fields.setdefault("is_staff", True)
    user = make_user(**fields)
    user.groups.add(office_group())
    if mfa:
        TOTP.activate(user, TOTP_SECRET)
    return user


def make_superuser(**fields) -> User:
    """A superuser (every permission, also Django's own), with the authenticator app; only where a test needs it."""
    return make_staff(is_superuser=True, **fields)


def make_permission_holder(*permissions: str, mfa: bool = False, **fields) -> User:
    """An account without staff status that holds some office permissions through a group (a treasurer)."""
    user = make_user(**fields)
    group, _created = Group.objects.get_or_create(name="Kasse " + "+".join(sorted(permissions)))
    for dotted in permissions:
        app_label, codename = dotted.split(".")
        group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    user.groups.add(group)
    if mfa:
        TOTP.activate(user, TOTP_SECRET)
    return user


def pass_second_factor(client, user) -> None:
    """What typing the authenticator code at log-in leaves in the session (allauth's authentication records)."""
    session = client.session
    now = time.time()
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": now, "email": user.email},
        {"method": "mfa", "at": now, "type": Authenticator.Type.TOTP},
    ]
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
    session.save()


def totp_code(secret: str = TOTP_SECRET) -> str:
    """The code an authenticator app with this secret shows now (30-second periods)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def make_office(**fields) -> Office:
    office = Office.objects.filter(pk=1).first() or Office()
    fields.setdefault("name", "Quartiersmanagement")
    fields.setdefault("district", "Nordstadt")
    fields.setdefault("street", "Bornstraße 12")
    fields.setdefault("postcode", "44145")
    fields.setdefault("phone", "0231 123 456 0")
    fields.setdefault("email", "info@quartier.example")
    fields.setdefault("opening_hours", "Mo–Do 10:00–16:00")
    for name, value in fields.items():
        setattr(office, name, value)
    office.save()
    return office
