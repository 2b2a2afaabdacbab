"""Cron job: holds not taken in time go to the next in line, and slots freed without a cancellation (a closure
that ended early) are offered. Idempotent and safe with parallel runs: each hold is released once (skip_locked,
then a locked second look), and offers are made with the room locked."""

from django.core.management.base import BaseCommand

from rooms import waitlist


class Command(BaseCommand):
    help = "Release waiting-list holds that were not taken in time and offer free slots to the next in line."

    def handle(self, *args, **options):
        lapsed = 0
        while waitlist.expire_one() is not None:
            lapsed += 1
        offered = waitlist.offer_free_times()
        self.stdout.write(f"{lapsed} hold(s) lapsed, {offered} new offer(s).")
