"""Plain factory functions for tests: `make_<thing>(**fields)` with sensible defaults."""

import itertools
import time

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

from quartier.models import Office, User

PASSWORD = "Sicheres-Passwort-2026"
# The authenticator-app secret of every staff account made here (base32), so tests can type its codes.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
_counter = itertools.count(1)


def make_user(*, verified: bool = True, password: str = PASSWORD, **fields) -> User:
    """A user with a verified e-mail address (allauth's login requires one)."""
    n = next(_counter)
    fields.setdefault("email", f"person{n}@example.org")
    fields.setdefault("display_name", f"Person {n}")
    user = User.objects.create_user(password=password, **fields)
    EmailAddress.objects.create(user=user, email=user.email, verified=verified, primary=True)
    return user


def make_staff(*, mfa: bool = True, **fields) -> User:
    """A staff member; with `mfa` (the default) they have set up the authenticator app staff must use."""
    fields.setdefault("is_staff", True)
    fields.setdefault("is_superuser", True)
    user = make_user(**fields)
    if mfa:
        TOTP.activate(user, TOTP_SECRET)
    return user


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
