from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from .seed_demo import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo staff account (development only)."

    def handle(self, *args, **options):
        import time

        if not settings.DEBUG:
            raise CommandError("Only in development (DEBUG=1): production accounts have their own authenticator.")
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30))
        self.stdout.write(f"{code}  (valid for {30 - int(time.time()) % 30} more seconds)")
