"""Rooms benchmark: 50 rooms and 100 000 bookings on PostgreSQL; server time of the hot pages.

Run:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/quartier_bench .venv/bin/python bench/rooms.py
(the database is created if missing; the data is seeded once and reused). Reports median and p95 of
the room list with a date/time filter, the room week page and the booking check, and the query plan
of the overlap check, which must use the GiST index of the exclusion constraint. Target: medians < 20 ms.
"""

import os
import statistics
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartier.settings")
os.environ.setdefault("SECRET_KEY", "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("SECURE_COOKIES", "0")
os.environ.setdefault("STATIC_PLAIN", "1")
os.environ.setdefault("EMAIL_URL", "console:")

ROOMS, BOOKINGS, RUNS = 50, 100_000, 60


def ensure_database(url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


def seed() -> None:
    from django.utils import timezone

    from quartier.models import User
    from rooms.models import BookableHours, Booking, Location, Room

    if Room.objects.filter(slug="bench-room-0").exists():
        return
    print(f"seeding {ROOMS} rooms and {BOOKINGS} bookings …", flush=True)
    user, _ = User.objects.get_or_create(email="bench@example.org")
    location = Location.objects.create(name="Bench", slug="bench", street="Bornstraße 1", postcode="44145")
    per_room = BOOKINGS // ROOMS
    today = timezone.localdate()
    for index in range(ROOMS):
        room = Room.objects.create(
            location=location,
            name=f"Raum {index}",
            slug=f"bench-room-{index}",
            capacity=10 + index,
            requires_approval=False,
        )
        BookableHours.objects.bulk_create(BookableHours(room=room, weekday=day) for day in range(7))
        batch = []
        for n in range(per_room):
            day = today + timedelta(days=n // 11 - 90)
            start = timezone.make_aware(datetime(day.year, day.month, day.day, 8 + n % 11))
            batch.append(
                Booking(
                    room=room,
                    booked_by=user,
                    starts_at=start,
                    ends_at=start + timedelta(hours=1),
                    title="Treffen",
                    attendees=5,
                    responsible_name="B",
                    responsible_phone="0231 1",
                    responsible_email="b@example.org",
                    status="confirmed",
                    show_title=n % 2 == 0,
                )
            )
        Booking.objects.bulk_create(batch, batch_size=1000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE rooms_booking")


def measure(label: str, function) -> tuple[float, float]:
    function()  # warm up
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        function()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    median, p95 = statistics.median(samples), samples[int(len(samples) * 0.95) - 1]
    print(f"{label:42} median {median:7.2f} ms   p95 {p95:7.2f} ms")
    return median, p95


def main() -> int:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/quartier_bench")
        return 2
    ensure_database(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from rooms import services
    from rooms.models import Booking, Room

    call_command("migrate", verbosity=0)
    seed()
    client = Client()
    day = timezone.localdate() + timedelta(days=10)
    room = Room.objects.get(slug="bench-room-7")
    start = timezone.make_aware(datetime(day.year, day.month, day.day, 18))
    print(f"{Room.objects.count()} rooms, {Booking.objects.count()} bookings")

    def page(path, query):
        def get():
            response = client.get(path, query)
            assert response.status_code == 200, f"{path} answered {response.status_code}, not 200"

        return get

    print(
        f"load average before measuring: {' '.join(f'{load:.2f}' for load in os.getloadavg())} "
        f"(on {os.cpu_count()} cores; other work on the machine inflates the figures)"
    )
    results = {
        "room list (date/time filter)": measure(
            "room list (date/time filter)",
            page("/raeume/", {"date": day.isoformat(), "start": "18:00", "end": "20:00", "attendees": "12"}),
        ),
        "room week page": measure("room week page", page(f"/raeume/{room.slug}/", {"week": day.isoformat()})),
        "booking check": measure(
            "booking check (services.check_booking)",
            lambda: services.check_booking(
                room=room, starts_at=start, ends_at=start + timedelta(hours=2), attendees=10
            ),
        ),
    }
    query = Booking.objects.holding().for_room(room).overlapping(start, start + timedelta(hours=2))
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    print("\nquery plan of the overlap check (as the app runs it):\n" + plan)
    uses_gist = "rooms_booking_no_overlap" in plan
    print(f"\nGiST index (rooms_booking_no_overlap) used by the overlap check: {'yes' if uses_gist else 'NO'}")
    slow = [label for label, (median, _p95) in results.items() if median >= 20]
    print("all medians below 20 ms" if not slow else f"above target: {', '.join(slow)}")
    return 0 if uses_gist and not slow else 1


if __name__ == "__main__":
    sys.exit(main())
