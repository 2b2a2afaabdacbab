"""Cron job: remind bookers two days before; each booking is reminded once, even with parallel runs."""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from rooms import mails
from rooms.models import Booking


class Command(BaseCommand):
    help = "Send the reminder mail (with a one-click cancel link) for confirmed bookings starting within 2 days."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=48, help="Remind bookings starting within this many hours.")

    def handle(self, *args, hours, **options):
        now = timezone.now()
        sent = 0
        while True:
            with transaction.atomic():
                # skip_locked: a second cron run at the same time takes other rows, never the same one.
                booking = (
                    Booking.objects.select_for_update(skip_locked=True, of=("self",))
                    .select_related("room__location", "booked_by")
                    .filter(
                        status=Booking.Status.CONFIRMED,
                        reminder_sent_at__isnull=True,
                        starts_at__gt=now,
                        starts_at__lte=now + timedelta(hours=hours),
                    )
                    .order_by("starts_at")
                    .first()
                )
                if booking is None:
                    break
                booking.reminder_sent_at = timezone.now()
                booking.save(update_fields=["reminder_sent_at"])
                mails.booking_reminder(booking)
            sent += 1
        self.stdout.write(f"{sent} reminder(s) sent.")
