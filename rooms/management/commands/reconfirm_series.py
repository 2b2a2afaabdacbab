"""Cron job: series bookers are asked to reconfirm, reminded, and unanswered dates released; idempotent and safe
with parallel runs (each series' row is locked with skip_locked and every step checks its condition again)."""

from django.core.management.base import BaseCommand

from rooms import reconfirm


class Command(BaseCommand):
    help = "Ask series bookers to reconfirm their dates, remind them, and release unconfirmed dates."

    def handle(self, *args, **options):
        done = reconfirm.run()
        self.stdout.write("{asked} asked, {reminded} reminded, {released} released.".format(**done))
