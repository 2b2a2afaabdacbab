"""The mail worker: sends the queued mails (quartier.OutgoingMail) until stopped; `--once` sends what is due."""

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection

from quartier import mail


class Command(BaseCommand):
    help = "Send the queued mails: claim due rows, send them, retry failures with back-off (quartier/mail.py)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Send what is due now, then exit.")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds to wait when nothing is due.")
        parser.add_argument("--batch", type=int, default=20, help="Rows claimed at a time.")

    def handle(self, *args, once=False, interval=2.0, batch=20, **options):
        stopping = []
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))  # finish the current mail, then stop
        worker = mail.worker_name()
        next_prune = 0.0
        self.stdout.write(f"Mail worker {worker} started.")
        while not stopping:
            if time.monotonic() >= next_prune:
                mail.prune()
                next_prune = time.monotonic() + 3600
            taken = mail.deliver_due(worker=worker, limit=batch)
            if not connection.in_atomic_block:  # (called from a test's transaction, keep its connection)
                close_old_connections()  # a restarted database or an aged connection does not stop the worker
            if once and not taken:
                break
            if not taken:
                time.sleep(interval)
        self.stdout.write(f"Mail worker {worker} stopped.")
