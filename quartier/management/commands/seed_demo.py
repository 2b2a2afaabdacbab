"""Demo district: the office of a district like the Dortmund Nordstadt and three demo accounts.

Idempotent: running it twice changes nothing. Each domain app adds its own demo data through a
function `seed_demo(stdout)` in `<app>/demo.py`, called here in app order.
"""

from importlib import import_module

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from quartier.models import Office, User
from quartier.staff import office_group

DEMO_PASSWORD = "quartier-demo-2026"
# The demo staff account's authenticator-app secret (staff must use two-factor authentication). Demo only:
# `python manage.py demo_code` prints the current code, or add the secret to any authenticator app.
DEMO_TOTP_SECRET = "QUARTIERDEMOSTAFFZWEIFAKTORABCDE"

DEMO_ACCOUNTS = [
    # (e-mail, display name, is_staff, is_superuser)
    ("buero@quartier.example", "Aylin Demir (Stadtteilbüro)", True, False),
    ("initiative@quartier.example", "Jonas Becker (Nordstadtliga)", False, False),
    ("bewohnerin@quartier.example", "Maria Kowalski", False, False),
]

OFFICE = {
    "name": "Quartiersmanagement",
    "district": "Nordstadt",
    "city": "Dortmund",
    "street": "Bornstraße 12",
    "postcode": "44145",
    "phone": "0231 123 456 0",
    "email": "info@quartier.example",
    "operator": "Stadt Dortmund, Amt für Stadterneuerung",
    "representative": "Aylin Demir, Quartiersmanagerin",
    "opening_hours": "Mo–Do 10:00–16:00\nFr 10:00–13:00\nOffene Sprechstunde: Di 16:00–18:00",
    "about": (
        "Die Nordstadt ist bunt, jung und voller Ideen. Hier gibt es die Nordstadtliga, Schreibwerkstätten, "
        "Street-Art an Hausfassaden und preisgekrönte Projekte in der Nordstadt. Das Stadtteilbüro hilft "
        "Ihnen, mitzumachen, Räume zu finden und eigene Ideen umzusetzen."
    ),
}


def ensure_user(email: str, display_name: str, *, is_staff: bool, is_superuser: bool) -> User:
    user, created = User.objects.get_or_create(
        email=email,
        defaults={"display_name": display_name, "is_staff": is_staff, "is_superuser": is_superuser},
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    EmailAddress.objects.get_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


class Command(BaseCommand):
    help = "Create (or complete) the demo district: office, demo accounts and each app's demo data."

    @transaction.atomic
    def handle(self, *args, **options):
        office = Office.objects.filter(pk=1).first() or Office()
        for field, value in OFFICE.items():
            if not getattr(office, field):
                setattr(office, field, value)
        office.save()
        for email, name, is_staff, is_superuser in DEMO_ACCOUNTS:
            user = ensure_user(email, name, is_staff=is_staff, is_superuser=is_superuser)
            if is_staff:
                user.groups.add(office_group())  # office staff: the office group's permissions, no superuser
            if is_staff and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                TOTP.activate(user, DEMO_TOTP_SECRET)

        for app in ("initiatives", "initiatives.fund", "rooms", "events", "volunteers"):
            try:
                demo = import_module(f"{app}.demo")
            except ModuleNotFoundError as error:
                if error.name != f"{app}.demo":
                    raise
                continue
            demo.seed_demo(self.stdout)

        self.stdout.write(self.style.SUCCESS("Demo district ready. Demo logins (password for all three):"))
        for email, name, _staff, _superuser in DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:32} {name}")
        self.stdout.write(f"  password: {DEMO_PASSWORD}")
        self.stdout.write(f"  Office staff log in to {settings.SITE_URL}/admin/ too; they also type the code of their")
        self.stdout.write(f"  authenticator app (secret {DEMO_TOTP_SECRET}), or the one `make demo-code` prints.")
