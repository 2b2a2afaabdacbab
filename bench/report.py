"""Annual report benchmark: the report's assembly (quartier/report.py) on the load database of bench/load.py.

Run:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/quartier_load .venv/bin/python bench/report.py
The database is created, migrated and seeded by bench/load.py's `seed()` if it is not yet (200 rooms, 100 000
bookings, 2 000 events, 400 initiatives, 20 conferences with 400 decisions; seeding takes minutes), then reused.
Assembles the report for this year, last year and the last 90 days RUNS times each and prints the rows counted,
the number of queries (the same whatever the data size: aggregate queries only) and the median and worst seconds.
Target: every median < 1 s.
"""

import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/quartier_load")

import load  # noqa: E402  (bench/load.py: its settings, its database and its data)

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
TARGET_SECONDS = 1.0


def main() -> int:
    if not load.DATABASE_URL.startswith("postgres"):
        print("Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/quartier_load")
        return 2
    load.ensure_database(load.DATABASE_URL)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone, translation

    from events.models import Event
    from quartier.report import Period, report
    from rooms.models import Booking

    call_command("migrate", verbosity=0)
    load.seed()
    print(f"{Booking.objects.count()} bookings, {Event.objects.count()} events", flush=True)
    today = timezone.localdate()
    periods = [
        Period.year(today.year),
        Period.year(today.year - 1),
        Period(today - timedelta(days=90), today),
    ]
    failed = False
    translation.activate("de")
    for period in periods:
        seconds, queries = [], 0
        for _run in range(RUNS):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                sections = report(period)
                seconds.append(time.perf_counter() - started)
            queries = len(captured.captured_queries)
        bookings = next(f.value for s in sections for f in s.figures if s.key == "rooms")
        median = statistics.median(seconds)
        failed |= median >= TARGET_SECONDS
        print(
            f"{period.start} – {period.end}: {bookings} bookings counted, {queries} queries, "
            f"median {median:.3f} s, worst {max(seconds):.3f} s {'OK' if median < TARGET_SECONDS else 'TOO SLOW'}",
            flush=True,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
