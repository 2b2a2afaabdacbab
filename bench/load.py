"""Load benchmark: the demo data scaled up, gunicorn with 2 workers on PostgreSQL (+ Redis), measured with wrk.

Run:  make bench-load
  or  DATABASE_URL=postgres://postgres@127.0.0.1:5432/quartier_load .venv/bin/python bench/load.py
(needs `wrk`: apt-get install -y wrk). The database is created if missing and seeded once (200 rooms,
100 000 bookings, 2 000 events, 5 000 users, 400 initiatives, 20 conferences with 400 decisions), then
reused. REDIS_URL (default redis://127.0.0.1:6379/5; "none" for none) gives the server a shared cache and
sessions, as in production. Every page is measured ROUNDS times in turn, DURATION seconds each with
CONNECTIONS connections: median requests/s and p50, worst p99, and the throughput as a ratio to the bare
page (base template only) measured in the same rounds; and each page's server time without the fragment
cache (quartier/caching.py) is measured as server CPU, below. Then 64 clients
post bookings at the same moment for a few slots, several rounds: no slot may be booked twice and no
request may fail with 5xx.

Server CPU per request: at the demo size (a second database beside the load database, `<name>_demo`, seeded
with seed_demo) and at the load size, each page is requested one request after another until the two gunicorn
workers have spent BENCH_CPU_SECONDS on it; their utime + stime (/proc/<pid>/stat) divided by the requests is
the page's CPU ms per request, which a busy machine disturbs far less than requests per second. Once with the
fragment cache off (FRAGMENT_CACHE_SECONDS=0: a first visit, a visit after a change, a rare filter) and once
with it; BENCH_CPU_ROUNDS rounds, the median counts. The floor is a bare HttpResponse through the full
middleware (/ping/bare/); every page's ratio to it and to /ping/ is printed, with the query counts and the
workers' RSS. The targets of issue 18 are checked (public pages <= 5 ms uncached and <= 2.5 ms cached,
/ping/ <= 1.2 ms, being logged in adds <= 0.5 ms, resident pages <= 8 ms, demo and load size within 2 ms,
RSS <= 90 MB): a missed one is printed and the exit status is 1.
BENCH_QUICK=1: the CPU table only, with fewer requests (a couple of minutes).
Targets: every page >= 0.5 of the bare page's throughput, p99 < 250 ms.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/quartier_load")
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/5")
SERVER_ENV = {
    "DJANGO_SETTINGS_MODULE": "quartier.settings",
    "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "EMAIL_URL": "console:",
    "MAIL_DELIVERY": "worker",  # as in production: the requests queue mails, no worker runs here
    "LOG_LEVEL": "WARNING",
    "CACHE_KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "bench-load"),
}
if REDIS_URL and REDIS_URL != "none":
    SERVER_ENV["REDIS_URL"] = REDIS_URL
os.environ.update(SERVER_ENV)  # this process creates the sessions and checks the result with the same settings

PORT = int(os.environ.get("BENCH_PORT", "8033"))
WORKERS = 2
DURATION = int(os.environ.get("BENCH_DURATION", "5"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))  # pages measured in turn, so that a busy moment hits all alike
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "4"))
ROOMS, BOOKINGS, EVENTS, USERS, INITIATIVES, CONFERENCES, DECISIONS_EACH = 200, 100_000, 2_000, 5_000, 400, 20, 20
# The tenfold check (`--tenfold`) seeds a third database with BOOKING_SCALE=10: ten times the bookings, the
# added ones further in the past (a portal's bookings grow with its history, the weeks ahead stay as full).
BOOKINGS *= int(os.environ.get("BENCH_BOOKING_SCALE", "1"))
BOOKING_DAYS_AHEAD = 35
BOOKING_CLIENTS, BOOKING_ROUNDS, SLOTS = 64, 5, 4
CSRF = "b" * 32  # an unmasked CSRF secret: the same value in cookie and form
VAR = ROOT / "var" / "bench-load"


def ensure_database(url: str) -> None:
    import psycopg

    name = urlsplit(url).path.lstrip("/")
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin.replace("postgres://", "postgresql://", 1), autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


# --- Data ------------------------------------------------------------------------------------------------


def seed() -> None:
    """The demo data (office, categories, topics, demo accounts), then everything scaled up with bulk_create."""
    from django.core.management import call_command

    from rooms.models import Room

    if Room.objects.filter(slug="load-room-0").exists():
        return
    started = time.monotonic()
    call_command("seed_demo", stdout=open(os.devnull, "w"))
    users = seed_users()
    rooms = seed_rooms(users)
    initiatives = seed_initiatives(users)
    seed_events(users, rooms, initiatives)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seeded in {time.monotonic() - started:.0f} s", flush=True)


def seed_users():
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password

    from quartier.models import User

    print(f"seeding {USERS} users …", flush=True)
    password = make_password("bench-password-2026")  # hashed once, shared: hashing 5 000 times takes minutes
    users = User.objects.bulk_create(
        [User(email=f"load{n}@example.org", display_name=f"Nachbar {n}", password=password) for n in range(USERS)],
        batch_size=1000,
    )
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in users], batch_size=1000
    )
    return users


def seed_rooms(users):
    from django.utils import timezone

    from rooms.models import BookableHours, Booking, Location, Room

    print(f"seeding {ROOMS} rooms and {BOOKINGS} bookings …", flush=True)
    locations = Location.objects.bulk_create(
        [
            Location(name=f"Haus {n}", slug=f"load-haus-{n}", street=f"Bornstraße {n + 1}", postcode="44145")
            for n in range(20)
        ]
    )
    rooms = Room.objects.bulk_create(
        [
            Room(
                location=locations[n % len(locations)],
                name=f"Raum {n}",
                slug=f"load-room-{n}",
                capacity=8 + n % 60,
                requires_approval=n % 5 == 0,
            )
            for n in range(ROOMS)
        ]
    )
    BookableHours.objects.bulk_create(
        [BookableHours(room=room, weekday=day, opens=clock(8), closes=clock(22)) for room in rooms for day in range(7)]
    )
    today = timezone.localdate()
    per_room = BOOKINGS // ROOMS
    batch = []
    for index, room in enumerate(rooms):
        for n in range(per_room):
            # 500 bookings per room (at scale 1): four two-hour bookings a day (8, 11, 14 and 17 h), 90 days back
            # and 35 ahead; more bookings reach further back
            day = today + timedelta(days=n // 4 - (per_room // 4 - BOOKING_DAYS_AHEAD))
            start = timezone.make_aware(datetime.combine(day, clock(8 + (n * 3 + index) % 4 * 3)))
            batch.append(
                Booking(
                    room=room,
                    booked_by=users[(index * per_room + n) % len(users)],
                    starts_at=start,
                    ends_at=start + timedelta(hours=2),
                    title="Treffen",
                    attendees=5,
                    responsible_name="B",
                    responsible_phone="0231 1",
                    responsible_email="b@example.org",
                    status="confirmed",
                    show_title=n % 2 == 0,
                )
            )
        if len(batch) >= 10_000:
            Booking.objects.bulk_create(batch, batch_size=2000)
            batch = []
    Booking.objects.bulk_create(batch, batch_size=2000)
    return rooms


def seed_initiatives(users):
    from initiatives.models import Initiative, Membership, Topic

    print(f"seeding {INITIATIVES} initiatives …", flush=True)
    kinds = [choice for choice, _label in Initiative.Kind.choices]
    initiatives = Initiative.objects.bulk_create(
        [
            Initiative(
                name=f"Initiative {n:03d} Nordstadt",
                slug=f"load-initiative-{n}",
                kind=kinds[n % len(kinds)],
                short_description="Nachbarinnen und Nachbarn, die sich für ihre Straße einsetzen.",
                description="Wir treffen uns jede Woche.",
                languages="Deutsch, Türkçe",
                meets_where="Nachbarschaftstreff",
                meets_when="Dienstags 18 Uhr",
                contact_email=f"initiative{n}@example.org",
                is_nonprofit=n % 2 == 0,
                is_verified=True,
            )
            for n in range(INITIATIVES)
        ]
    )
    topics = list(Topic.objects.all())
    if topics:
        through = Initiative.topics.through
        through.objects.bulk_create(
            [through(initiative=initiative, topic=topics[n % len(topics)]) for n, initiative in enumerate(initiatives)]
            + [
                through(initiative=initiative, topic=topics[(n + 3) % len(topics)])
                for n, initiative in enumerate(initiatives)
                if len(topics) > 3
            ]
        )
    Membership.objects.bulk_create(
        [
            Membership(initiative=initiative, user=users[n * 7 % len(users)], role="lead")
            for n, initiative in enumerate(initiatives)
        ]
    )
    return initiatives


def seed_events(users, rooms, initiatives):
    from django.utils import timezone

    from events.models import Category, Conference, Decision, DecisionUpdate, Event, Registration

    print(f"seeding {EVENTS} events, {CONFERENCES} conferences with decisions and registrations …", flush=True)
    categories = list(Category.objects.all()) or [None]
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    events = Event.objects.bulk_create(
        [
            Event(
                title=f"Nachbarschaftsfest {n}",
                slug=f"load-event-{n}",
                description="Mit Musik und Essen.",
                category=categories[n % len(categories)],
                initiative=initiatives[n % len(initiatives)] if n % 3 else None,
                starts_at=now + timedelta(hours=n * 9 - 6000),
                ends_at=now + timedelta(hours=n * 9 - 5998),
                place="address",
                address="Nordmarkt 1",
                capacity=30 + n % 50,
                is_published=True,
            )
            for n in range(EVENTS)
        ],
        batch_size=1000,
    )
    Registration.objects.bulk_create(
        [
            Registration(event=event, user=users[(n * 13 + k) % len(users)])
            for n, event in enumerate(events)
            for k in range(10)
        ],
        batch_size=2000,
    )
    conference_events = Event.objects.bulk_create(
        [
            Event(
                title=f"Stadtteilkonferenz {n + 1}",
                slug=f"load-konferenz-{n}",
                description="Die Konferenz.",
                starts_at=now + timedelta(days=(n - CONFERENCES + 2) * 60),
                ends_at=now + timedelta(days=(n - CONFERENCES + 2) * 60, hours=3),
                place="address",
                address="Nordmarkt 1",
            )
            for n in range(CONFERENCES)
        ]
    )
    conferences = Conference.objects.bulk_create(
        [Conference(event=event, proposal_deadline=event.starts_at - timedelta(days=7)) for event in conference_events]
    )
    statuses = ["open", "in_progress", "done", "dropped"]
    decisions = Decision.objects.bulk_create(
        [
            Decision(
                conference=conference,
                number=k + 1,
                wording=f"Die Konferenz beschließt Maßnahme {k + 1}.",
                votes_for=20 + k,
                votes_against=k % 7,
                votes_abstaining=k % 3,
                responsible="Quartiersbüro",
                status=statuses[k % 4],
            )
            for conference in conferences
            for k in range(DECISIONS_EACH)
        ]
    )
    DecisionUpdate.objects.bulk_create(
        [
            DecisionUpdate(decision=decision, status=decision.status, note="Das Büro hat nachgefragt.")
            for decision in decisions
            if decision.status != "open"
        ]
    )


# --- Server ----------------------------------------------------------------------------------------------


class Server:
    """gunicorn with WORKERS sync workers, stopped by the PID it writes."""

    def __init__(self, env: dict | None = None):
        VAR.mkdir(parents=True, exist_ok=True)
        self.pid_file, self.log = VAR / "gunicorn.pid", VAR / "gunicorn.log"
        self.url = f"http://127.0.0.1:{PORT}"
        self.env = {**os.environ, **SERVER_ENV, **(env or {})}

    def __enter__(self):
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "quartier.wsgi",
                    "--bind",
                    f"127.0.0.1:{PORT}",
                    "--workers",
                    str(WORKERS),
                    "--pid",
                    str(self.pid_file),
                    "--graceful-timeout",
                    "5",
                    "--backlog",
                    "256",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("gunicorn exited:\n" + self.log.read_text()[-3000:])
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2):
                    return self
            except OSError:
                time.sleep(0.2)
        self.__exit__()
        raise SystemExit("gunicorn did not answer:\n" + self.log.read_text()[-3000:])

    def workers(self) -> list[int]:
        """The PIDs of the gunicorn workers (the master's children)."""
        master = int(self.pid_file.read_text().strip())
        children = Path(f"/proc/{master}/task/{master}/children")
        if children.exists():
            return [int(pid) for pid in children.read_text().split()]
        return [  # a kernel without the children file: every process whose parent is the master
            int(stat.parent.name)
            for stat in Path("/proc").glob("[0-9]*/stat")
            if _read(stat) and int(_read(stat).rsplit(")", 1)[1].split()[1]) == master
        ]

    def cpu_seconds(self) -> float:
        """utime + stime of all workers, in seconds (/proc/<pid>/stat, fields 14 and 15)."""
        total = 0
        for pid in self.workers():
            fields = _read(Path(f"/proc/{pid}/stat")).rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # after the command: state is field 3, utime 14, stime 15
        return total / os.sysconf("SC_CLK_TCK")

    def rss_megabytes(self) -> list[float]:
        """Each worker's resident set size (VmRSS) in MB."""
        sizes = []
        for pid in self.workers():
            found = re.search(r"^VmRSS:\s+(\d+) kB", _read(Path(f"/proc/{pid}/status")), re.M)
            sizes.append(int(found.group(1)) / 1024 if found else 0.0)
        return sizes

    def __exit__(self, *exc):
        if self.pid_file.exists():
            os.kill(int(self.pid_file.read_text().strip()), signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:  # the process ended in between
        return ""


# --- Measuring -------------------------------------------------------------------------------------------

UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def _milliseconds(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()
    return float(value) * UNITS[unit]


def wrk(url: str) -> dict:
    """requests/s, p50 and p99 in ms and the count of failed responses, from one bounded wrk run."""
    result = subprocess.run(
        [
            "wrk",
            "-t",
            "1",
            "-c",
            str(CONNECTIONS),
            "-d",
            f"{DURATION}s",
            "--timeout",
            "5s",
            "--latency",
            "-H",
            "Accept-Language: de",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=DURATION + 60,
        check=True,
    )
    out = result.stdout
    percentiles = dict(re.findall(r"^\s+(\d+)%\s+([\d.]+(?:us|ms|s))\s*$", out, re.M))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _milliseconds(percentiles["50"]),
        "p99": _milliseconds(percentiles["99"]),
        "errors": (int(errors.group(1)) if errors else 0)
        + (sum(int(n) for n in socket_errors.groups()) if socket_errors else 0),
    }


def combine(results: list[dict]) -> dict:
    """The rounds of one page: median throughput and p50, the worst p99, all failures."""
    import statistics

    return {
        "rps": statistics.median(r["rps"] for r in results),
        "p50": statistics.median(r["p50"] for r in results),
        "p99": max(r["p99"] for r in results),
        "errors": sum(r["errors"] for r in results),
    }


def check_status(url: str) -> None:
    with urllib.request.urlopen(url, timeout=30) as response:
        assert response.status == 200, f"{url}: {response.status}"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _post(url: str, session: str, data: dict) -> tuple[int, float]:
    body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": CSRF}).encode()
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Cookie": f"sessionid={session}; csrftoken={CSRF}; django_language=de",
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    started = time.perf_counter()
    try:
        with urllib.request.build_opener(_NoRedirect).open(request, timeout=60) as response:
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except OSError:
        status = 599  # no answer at all counts as a server failure
    return status, (time.perf_counter() - started) * 1000


def booking_race(server_url: str) -> dict:
    """BOOKING_ROUNDS rounds: 64 logged-in clients post at once, spread over SLOTS slots of one room."""
    from django.test import Client
    from django.utils import timezone

    from quartier.models import User
    from rooms.models import Booking, Room

    room = Room.objects.get(slug="load-room-1")
    clients = list(User.objects.filter(email__startswith="load").order_by("pk")[:BOOKING_CLIENTS])
    sessions = []
    for user in clients:
        client = Client()
        client.force_login(user)
        sessions.append(client.cookies["sessionid"].value)
    url = f"{server_url}/raeume/{room.slug}/buchen/"
    statuses, latencies = [], []
    Booking.objects.filter(room=room, title="Lasttest").delete()  # an earlier run's winners
    run_day = timezone.localdate() + timedelta(days=60)  # after the seeded bookings, within the booking horizon
    for round_number in range(BOOKING_ROUNDS):
        day = run_day + timedelta(days=round_number)
        barrier = threading.Barrier(BOOKING_CLIENTS)
        results: list = [None] * BOOKING_CLIENTS

        def post(index, day=day, barrier=barrier, results=results):
            hour = 9 + (index % SLOTS) * 3
            data = booking_post(day, f"{hour:02d}:00", f"{hour + 2:02d}:00", "Lasttest")
            barrier.wait()
            results[index] = _post(url, sessions[index], data)

        threads = [threading.Thread(target=post, args=(index,)) for index in range(BOOKING_CLIENTS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
        statuses += [status for status, _ms in results]
        latencies += [ms for _status, ms in results]
    first = timezone.make_aware(datetime.combine(run_day, clock(0)))
    held = list(
        Booking.objects.holding()
        .filter(room=room, starts_at__gte=first, starts_at__lt=first + timedelta(days=BOOKING_ROUNDS))
        .order_by("starts_at")
    )
    double = sum(1 for earlier, later in zip(held, held[1:], strict=False) if later.starts_at < earlier.ends_at)
    latencies.sort()
    return {
        "requests": len(statuses),
        "booked": statuses.count(302),
        "refused": statuses.count(200),
        "server_errors": sum(1 for status in statuses if status >= 500),
        "held": len(held),
        "double": double,
        "expected": BOOKING_ROUNDS * SLOTS,
        "p50": latencies[len(latencies) // 2],
        "p99": latencies[int(len(latencies) * 0.99) - 1],
    }


def pages() -> list[tuple[str, str]]:
    from django.utils import timezone

    day = timezone.localdate() + timedelta(days=10)
    return [
        ("bare page (base template)", "/ping/"),
        ("home page", "/"),
        ("room list with filter", f"/raeume/?date={day.isoformat()}&start=18:00&end=20:00&attendees=12"),
        ("room week page", f"/raeume/load-room-7/?week={day.isoformat()}"),
        ("event list", "/veranstaltungen/"),
        ("initiative directory", "/initiativen/"),
        ("Beschlüsse (decisions)", "/veranstaltungen/stadtteilkonferenz/beschluesse/"),
    ]


# --- Server CPU per request -------------------------------------------------------------------------------

QUICK = os.environ.get("BENCH_QUICK", "") not in ("", "0")
CPU_ROUNDS = int(os.environ.get("BENCH_CPU_ROUNDS", "1" if QUICK else "3"))  # the median of the rounds counts
CPU_SECONDS = float(os.environ.get("BENCH_CPU_SECONDS", "0.5" if QUICK else "1.5"))  # worker CPU per page, round
CPU_MIN_REQUESTS, CPU_MAX_REQUESTS, WARM_UP = 20, 5000, 5
# The targets (issue 18), in ms of server CPU per request at the load database's size.
PUBLIC_UNCACHED, PUBLIC_CACHED, PING_MAX, LOGIN_EXTRA, RESIDENT_UNCACHED = 5.0, 2.5, 1.2, 0.5, 8.0
DEMO_DIFFERENCE, RSS_MAX = 2.0, 90.0
PUBLIC = ["home", "rooms", "week", "events", "initiatives", "decisions", "fund"]
RESIDENT = ["my_bookings", "my_registrations", "my_allowances", "booking_form"]
LABELS = {
    "bare": "bare HttpResponse (floor, /ping/bare/)",
    "ping": "/ping/ (base template)",
    "home": "home",
    "rooms": "room list with a date/time filter",
    "week": "room week page",
    "events": "event list",
    "initiatives": "initiative directory",
    "decisions": "Beschlüsse",
    "fund": "Quartiersfonds",
    "bare_in": "logged in: bare response",
    "ping_in": "logged in: /ping/",
    "my_bookings": "logged in: my bookings",
    "my_registrations": "logged in: my registrations",
    "my_allowances": "logged in: my allowances",
    "booking_form": "logged in: booking form",
}


def cpu_pages(room_slug: str) -> list[tuple[str, str, bool]]:
    """(key, path, logged in) of every page whose CPU per request is measured."""
    from django.utils import timezone

    day = timezone.localdate() + timedelta(days=10)
    return [
        ("bare", "/ping/bare/", False),
        ("ping", "/ping/", False),
        ("home", "/", False),
        ("rooms", f"/raeume/?date={day.isoformat()}&start=18:00&end=20:00&attendees=12", False),
        ("week", f"/raeume/{room_slug}/?week={day.isoformat()}", False),
        ("events", "/veranstaltungen/", False),
        ("initiatives", "/initiativen/", False),
        ("decisions", "/veranstaltungen/stadtteilkonferenz/beschluesse/", False),
        ("fund", "/quartiersfonds/", False),
        ("bare_in", "/ping/bare/", True),
        ("ping_in", "/ping/", True),
        ("my_bookings", "/raeume/meine-buchungen/", True),
        ("my_registrations", "/veranstaltungen/meine-anmeldungen/", True),
        ("my_allowances", "/ehrenamt/", True),
        ("booking_form", f"/raeume/{room_slug}/buchen/", True),
        ("booking_check", f"/raeume/{room_slug}/buchen/", True),  # a POST (BODIES): the --tenfold check only
    ]


def cpu_bodies() -> dict[str, dict]:
    """The form a page posts, by key: the booking check asks for a time that is booked (every seeded room is
    booked 11–13 h on the days ahead): the rules, the conflict check under the room's lock and the
    alternatives, the form shown again (200) and nothing written."""
    from django.utils import timezone

    day = timezone.localdate() + timedelta(days=10)
    return {"booking_check": {**booking_post(day, "11:00", "13:00", "Prüfung"), "csrfmiddlewaretoken": CSRF}}


def booking_post(day, start: str, end: str, title: str) -> dict:
    """The booking form as a resident sends it (one date, the rules accepted)."""
    return {
        "date": day.isoformat(),
        "start": start,
        "end": end,
        "title": title,
        "attendees": "5",
        "responsible_name": "Last Test",
        "responsible_phone": "0231 1",
        "responsible_email": "last@example.org",
        "repeat": "none",
        "accept_rules": "on",
    }


def _get(url: str, cookie: str, data: dict | None = None) -> int:
    """One GET (a POST of `data`) on a new connection (gunicorn's sync workers close each one), the body read;
    the status."""
    import http.client

    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    try:
        headers = {"Accept-Language": "de", **({"Cookie": cookie} if cookie else {})}
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        if data is None:
            connection.request("GET", target, headers=headers)
        else:
            headers["Cookie"] = f"{cookie}; csrftoken={CSRF}"
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request("POST", target, body=urllib.parse.urlencode(data), headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def cpu_per_request(server: "Server", url: str, cookie: str, data: dict | None = None) -> tuple[float, int, float]:
    """The workers' CPU ms per request for one page (posting `data` if given), and how many requests the window
    held: requests one after another until the workers have spent CPU_SECONDS on them (the clock ticks of /proc
    are 10 ms); and the wall-clock ms per request (the database's time included)."""
    for _ in range(WARM_UP):
        status = _get(url, cookie, data)
        if status != 200:
            raise SystemExit(f"{url}: {status}")
    before, requests, started = server.cpu_seconds(), 0, time.perf_counter()
    wall_deadline = time.monotonic() + 120
    while requests < CPU_MAX_REQUESTS and time.monotonic() < wall_deadline:
        for _ in range(10):
            _get(url, cookie, data)
        requests += 10
        if requests >= CPU_MIN_REQUESTS and server.cpu_seconds() - before >= CPU_SECONDS:
            break
    wall = (time.perf_counter() - started) * 1000 / requests
    return (server.cpu_seconds() - before) * 1000 / requests, requests, wall


def query_counts(path: str, cookie: str, data: dict | None = None) -> tuple[int, int]:
    """Queries of one request rendered in this process, with the fragment cache off and on (the second
    request of each: the office record and the fragment are cached by then)."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    counts = []
    for seconds in (0, 60):
        client = Client(HTTP_ACCEPT_LANGUAGE="de")
        if cookie:
            client.cookies.load(cookie)
        with override_settings(FRAGMENT_CACHE_SECONDS=seconds):
            for _warm_up in range(2):  # the second request is counted
                with CaptureQueriesContext(connection) as captured:
                    client.get(path) if data is None else client.post(path, data)
        counts.append(len(captured.captured_queries))
    return counts[0], counts[1]


def measure_database() -> dict:
    """In a process of its own (`bench/load.py --cpu`, DATABASE_URL set): seed if needed, then each page's
    server CPU per request, without and with the fragment cache, and the workers' RSS after each run."""
    import statistics

    ensure_database(DATABASE_URL)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from quartier.models import User
    from rooms.models import Booking, Room

    call_command("migrate", verbosity=0)
    if os.environ.get("BENCH_PREPARE"):
        call_command("compile_catalogues", stdout=open(os.devnull, "w"))
        call_command("collectstatic", "--noinput", verbosity=0)
    demo = os.environ.get("BENCH_SIZE") == "demo"
    wanted = os.environ.get("BENCH_PAGES", "").split(",") if os.environ.get("BENCH_PAGES") else None
    modes = os.environ.get("BENCH_MODES", "uncached,cached").split(",")
    if demo:
        if not Room.objects.exists():
            call_command("seed_demo", stdout=open(os.devnull, "w"))
        resident = User.objects.get(email="bewohnerin@quartier.example")
        room_slug = Room.objects.filter(is_active=True).order_by("pk").values_list("slug", flat=True).first()
    else:
        seed()
        resident = User.objects.get(email="load7@example.org")
        room_slug = "load-room-7"
    client = Client()
    client.force_login(resident)
    cookie = f"sessionid={client.cookies['sessionid'].value}; django_language=de"
    pages = [page for page in cpu_pages(room_slug) if page[0] in (wanted or LABELS)]
    bodies = cpu_bodies()
    result = {
        "size": f"{Room.objects.count()} rooms, {Booking.objects.count()} bookings, {User.objects.count()} users",
        "queries": {
            key: query_counts(path, cookie if logged_in else "", bodies.get(key)) for key, path, logged_in in pages
        },
    }
    for mode, env in (("uncached", {"FRAGMENT_CACHE_SECONDS": "0"}), ("cached", {})):
        if mode not in modes:
            continue
        samples = {key: [] for key, _path, _logged_in in pages}
        walls = {key: [] for key in samples}
        requests = dict.fromkeys(samples, 0)
        with Server(env) as server:
            for _round in range(CPU_ROUNDS):
                for key, path, logged_in in pages:
                    ms, count, wall = cpu_per_request(
                        server, server.url + path, cookie if logged_in else "", bodies.get(key)
                    )
                    samples[key].append(ms)
                    walls[key].append(wall)
                    requests[key] += count
            result[f"rss_{mode}"] = server.rss_megabytes()
        result[mode] = {key: statistics.median(values) for key, values in samples.items()}
        result[f"{mode}_spread"] = {key: (min(values), max(values)) for key, values in samples.items()}
        result[f"{mode}_requests"] = requests
        result[f"{mode}_wall"] = {key: statistics.median(values) for key, values in walls.items()}
        print(f"  {os.environ.get('BENCH_SIZE', 'load')} size, {mode}: measured", file=sys.stderr, flush=True)
    return result


def demo_database_url() -> str:
    """The second, small database beside the load database: the demo data only (seed_demo)."""
    return DATABASE_URL.rsplit("/", 1)[0] + "/" + urlsplit(DATABASE_URL).path.lstrip("/") + "_demo"


def measure_sizes() -> dict:
    """measure_database() at the demo size and at the load size, each in a child process."""

    return {size: measure_in_child(size, url) for size, url in (("load", DATABASE_URL), ("demo", demo_database_url()))}


def measure_in_child(size: str, url: str, **env) -> dict:
    """measure_database() on the database at `url` in a process of its own (`bench/load.py --cpu`)."""
    import json

    env = {**os.environ, "DATABASE_URL": url, "BENCH_SIZE": size, **env}
    env["CACHE_KEY_PREFIX"] = f"bench-{size}"  # the same paths, other data: fragments and sessions apart
    if size == "load":
        env["BENCH_PREPARE"] = "1"  # catalogues and static files, once
    done = subprocess.run(
        [sys.executable, __file__, "--cpu"], env=env, capture_output=True, text=True, check=False, cwd=ROOT
    )
    sys.stderr.write(done.stderr)
    if done.returncode:
        raise SystemExit(f"measuring at the {size} size failed:\n{done.stdout[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


TENFOLD_PAGES = {"rooms": LABELS["rooms"], "booking_check": "logged in: booking check (a booked time posted)"}
TENFOLD_MAX = 2.0  # at ten times the bookings, at most twice the CPU of the load size


def tenfold_database_url() -> str:
    """The third database beside the load database: the load data with ten times the bookings (1 million)."""
    return DATABASE_URL.rsplit("/", 1)[0] + "/" + urlsplit(DATABASE_URL).path.lstrip("/") + "_10x"


def tenfold() -> int:
    """`bench/load.py --tenfold`: the room list and the booking check, uncached, at the load size and at ten
    times its bookings (seeded once, a few minutes); exit status 1 when one costs more than TENFOLD_MAX times
    its load-size figure."""
    only = {"BENCH_PAGES": ",".join(TENFOLD_PAGES), "BENCH_MODES": "uncached"}
    load = measure_in_child("load", DATABASE_URL, BENCH_BOOKING_SCALE="1", **only)
    big = measure_in_child("10x", tenfold_database_url(), BENCH_BOOKING_SCALE="10", **only)
    print(f"Server CPU ms per request, uncached, median of {CPU_ROUNDS} rounds")
    print(f"load size: {load['size']}; ten times the bookings: {big['size']}")
    print("| page | CPU load size | CPU 10× bookings | ratio | wall ms load / 10× (database included) | queries |")
    print("|---|---:|---:|---:|---:|---:|")
    missed = []
    for key, label in TENFOLD_PAGES.items():
        ratio = big["uncached"][key] / load["uncached"][key]
        print(
            f"| {label} | {load['uncached'][key]:.2f} | {big['uncached'][key]:.2f} | {ratio:.2f} "
            f"| {load['uncached_wall'][key]:.1f} / {big['uncached_wall'][key]:.1f} "
            f"| {load['queries'][key][0]} / {big['queries'][key][0]} |"
        )
        if ratio > TENFOLD_MAX:
            missed.append(f"{label}: {ratio:.2f} × the load size's CPU at ten times the bookings > {TENFOLD_MAX}")
    for line in missed:
        print(f"MISSED: {line}")
    if not missed:
        print(f"at ten times the bookings both stay within {TENFOLD_MAX} × their load-size CPU")
    return 1 if missed else 0


def print_cpu_table(results: dict) -> list[str]:
    """The CPU table (demo and load size side by side, ratios at the load size) and the missed targets."""
    demo, load = results["demo"], results["load"]
    print()
    print(f"Server CPU ms per request (gunicorn workers' utime+stime from /proc, median of {CPU_ROUNDS} rounds)")
    print(f"demo size: {demo['size']}; load size: {load['size']}")
    print(
        "| page | uncached demo | uncached load | × floor | × /ping/ | cached demo | cached load | × floor "
        "| × /ping/ | queries uncached / cached |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for key, label in LABELS.items():
        cells = [label]
        for mode in ("uncached", "cached"):
            floor, ping = load[mode]["bare"], load[mode]["ping"]
            value = load[mode][key]
            cells += [f"{demo[mode][key]:.2f}", f"{value:.2f}", f"{value / floor:.1f}", f"{value / ping:.1f}"]
        cells.append("{} / {}".format(*load["queries"][key]))
        print("| " + " | ".join(cells) + " |")
    print(
        "(spread of the rounds at the load size, uncached: "
        + ", ".join(f"{key} {a:.2f}–{b:.2f}" for key, (a, b) in load["uncached_spread"].items())
        + ")"
    )
    for size in ("demo", "load"):
        rss = results[size]
        print(
            f"worker RSS after the run, {size} size: uncached "
            + " / ".join(f"{mb:.0f}" for mb in rss["rss_uncached"])
            + " MB, cached "
            + " / ".join(f"{mb:.0f}" for mb in rss["rss_cached"])
            + " MB"
        )
    missed = []
    for key in PUBLIC:
        if load["uncached"][key] > PUBLIC_UNCACHED:
            missed.append(f"{LABELS[key]}: {load['uncached'][key]:.2f} ms uncached > {PUBLIC_UNCACHED}")
        if load["cached"][key] > PUBLIC_CACHED:
            missed.append(f"{LABELS[key]}: {load['cached'][key]:.2f} ms cached > {PUBLIC_CACHED}")
    for mode in ("uncached", "cached"):
        if load[mode]["ping"] > PING_MAX:
            missed.append(f"/ping/: {load[mode]['ping']:.2f} ms {mode} > {PING_MAX}")
    for public, logged_in in (("bare", "bare_in"), ("ping", "ping_in")):
        extra = load["uncached"][logged_in] - load["uncached"][public]
        if extra > LOGIN_EXTRA:
            missed.append(f"being logged in adds {extra:.2f} ms to {LABELS[public]} > {LOGIN_EXTRA}")
    for key in RESIDENT:
        if load["uncached"][key] > RESIDENT_UNCACHED:
            missed.append(f"{LABELS[key]}: {load['uncached'][key]:.2f} ms uncached > {RESIDENT_UNCACHED}")
    for key in LABELS:
        difference = load["uncached"][key] - demo["uncached"][key]
        if difference >= DEMO_DIFFERENCE:
            missed.append(f"{LABELS[key]}: {difference:.2f} ms more at the load size than at the demo size")
    rss = max(load["rss_uncached"] + load["rss_cached"])
    if rss > RSS_MAX:
        missed.append(f"worker RSS {rss:.0f} MB > {RSS_MAX:.0f} MB")
    print(
        f"targets (load size): public pages ≤ {PUBLIC_UNCACHED} ms uncached, ≤ {PUBLIC_CACHED} ms cached; /ping/ ≤ "
        f"{PING_MAX} ms; logged in adds ≤ {LOGIN_EXTRA} ms; resident pages ≤ {RESIDENT_UNCACHED} ms uncached; "
        f"load size − demo size < {DEMO_DIFFERENCE} ms; worker RSS ≤ {RSS_MAX:.0f} MB"
    )
    for line in missed:
        print(f"MISSED: {line}")
    if not missed:
        print("every CPU target met")
    return missed


def main() -> int:
    if not DATABASE_URL.startswith("postgres"):
        print("Set DATABASE_URL to a PostgreSQL database, e.g. postgres://postgres@127.0.0.1:5432/quartier_load")
        return 2
    if not QUICK and not shutil.which("wrk"):
        print("wrk is missing: apt-get install -y wrk")
        return 2
    print(
        f"load average before: {' '.join(f'{load:.2f}' for load in os.getloadavg())} on {os.cpu_count()} cores "
        "(CPU per request is disturbed far less by other work than requests per second)",
        flush=True,
    )
    cpu = measure_sizes()
    if QUICK:
        return 1 if print_cpu_table(cpu) else 0
    ensure_database(DATABASE_URL)
    import django

    django.setup()
    from events.models import Event
    from quartier.models import User
    from rooms.models import Booking, Room

    print(
        f"{Room.objects.count()} rooms, {Booking.objects.count()} bookings, {Event.objects.count()} events, "
        f"{User.objects.count()} users; gunicorn {WORKERS} workers, wrk {CONNECTIONS} connections, "
        f"{ROUNDS} rounds × {DURATION} s per page, "
        f"cache: {'Redis' if 'REDIS_URL' in SERVER_ENV else 'per process'}",
        flush=True,
    )
    runs = {path: [] for _label, path in pages()}
    with Server() as server:
        for _label, path in pages():
            check_status(server.url + path)  # a page that fails is not measured as fast; also warms up
        for round_number in range(ROUNDS):
            for _label, path in pages():
                runs[path].append(wrk(server.url + path))
            print(f"  round {round_number + 1} of {ROUNDS} measured", flush=True)
        race = booking_race(server.url)
        rss = server.rss_megabytes()
    rows = [(label, path, combine(runs[path])) for label, path in pages()]
    print_table(rows, race, rss)
    missed_cpu = print_cpu_table(cpu)
    bare = rows[0][2]["rps"]
    missed = [label for label, _path, row in rows[1:] if row["rps"] / bare < 0.5 or row["p99"] >= 250]
    race_ok = race["double"] == 0 and race["server_errors"] == 0 and race["held"] == race["expected"]
    errors = [label for label, _path, row in rows if row["errors"]]
    if missed:
        print(f"below target: {', '.join(missed)}")
    if errors:
        print(f"failed responses on: {', '.join(errors)}")
    return 0 if not missed and race_ok and not errors and not missed_cpu else 1


def print_table(rows, race, rss) -> None:
    bare = rows[0][2]["rps"]
    print()
    print("| page | requests/s | ratio to bare | p50 ms | p99 ms | failed |")
    print("|---|---:|---:|---:|---:|---:|")
    for label, _path, row in rows:
        print(
            f"| {label} | {row['rps']:.0f} | {row['rps'] / bare:.2f} | {row['p50']:.1f} | {row['p99']:.1f} "
            f"| {row['errors']} |"
        )
    print(f"worker RSS after wrk and the booking race: {' / '.join(f'{mb:.0f}' for mb in rss)} MB")
    print()
    print(
        f"booking race: {race['requests']} POSTs by {BOOKING_CLIENTS} concurrent clients on {SLOTS} slots × "
        f"{BOOKING_ROUNDS} rounds: {race['booked']} booked (expected {race['expected']}), {race['refused']} refused, "
        f"{race['server_errors']} 5xx, {race['double']} double bookings; p50 {race['p50']:.0f} ms, "
        f"p99 {race['p99']:.0f} ms"
    )


if __name__ == "__main__":
    if sys.argv[1:] == ["--cpu"]:
        import json

        print(json.dumps(measure_database()))
        sys.exit(0)
    if sys.argv[1:] == ["--tenfold"]:
        sys.exit(tenfold())
    sys.exit(main())
