"""Cron job: remind registered people the day before; each registration is reminded once."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from events import mails
from events.models import Registration


class Command(BaseCommand):
    help = "Send the reminder (with a one-click cancel link) to everyone registered for an event within 36 hours."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=36)

    def handle(self, *args, hours, **options):
        now = timezone.now()
        sent = 0
        while True:
            with transaction.atomic():
                registration = (
                    Registration.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("event__room__location", "user")
                    .filter(
                        status=Registration.Status.REGISTERED,
                        reminder_sent_at__isnull=True,
                        event__is_cancelled=False,
                        event__starts_at__gt=now,
                        event__starts_at__lte=now + timedelta(hours=hours),
                    )
                    .order_by("event__starts_at", "pk")
                    .first()
                )
                if registration is None:
                    break
                registration.reminder_sent_at = timezone.now()
                registration.save(update_fields=["reminder_sent_at"])
                mails.reminder(registration)
            sent += 1
        self.stdout.write(f"{sent} reminder(s) sent.")
