"""Mail survives killed processes and a mail server that is down (PostgreSQL, real processes, real SMTP).

The portal's code runs in subprocesses against the test database (this test is transactional, so its data is
committed and visible to them) and sends to `SmtpSink` on a port the OS chose. Each process is killed with
SIGKILL at one point: the app before and after its commit, the mail worker after its claim (before sending),
mid-DATA, and after the server accepted the mail. Every mail then arrives exactly once, except in the one case
no protocol can save (killed after the server's 250, before the worker noted it): there it arrives twice with
the same Message-ID, which is what the stable Message-ID is for.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.parse

import pytest
from django.conf import settings
from django.db import connection

from quartier.models import OutgoingMail
from rooms import services
from rooms.models import BookingSeries

from ..factories import make_staff, make_user
from ..rooms.factories import booking_data, days_ahead, local, make_room
from ..smtp_sink import SmtpSink

pytestmark = pytest.mark.django_db(transaction=True)
Status = OutgoingMail.Status

# Books a 24-date series in a process of its own; says where it is and waits there to be killed.
APP = """
import sys, time
from datetime import timedelta
import django
django.setup()
from django.db import transaction
from quartier.models import User
from rooms import services
from rooms.models import Room
from tests.rooms.factories import booking_data, days_ahead, local

start = local(days_ahead(3), 18)
dates = [(start + timedelta(weeks=n), start + timedelta(weeks=n, hours=2)) for n in range(24)]
with transaction.atomic():
    services.book_series(room=Room.objects.get(pk=int(sys.argv[2])), booked_by=User.objects.get(pk=int(sys.argv[3])),
                         frequency="weekly", dates=dates, **booking_data())
    if sys.argv[1] == "before":
        print("booked", flush=True)
        time.sleep(120)
print("committed", flush=True)
time.sleep(120)
"""


def _database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (":" + urllib.parse.quote(db["PASSWORD"]) if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def sink():
    server = SmtpSink()
    yield server
    server.close()


@pytest.fixture
def environment(postgres, sink, settings):
    settings.MAIL_DELIVERY = "worker"  # mails made by the test itself wait for the worker too
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "0",
        "DJANGO_SETTINGS_MODULE": "quartier.settings",
        "MAIL_DELIVERY": "worker",
        "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}?starttls=0",
        "EMAIL_TIMEOUT": "30",
        "MAIL_LEASE_SECONDS": "2",
        "MAIL_RETRY_DELAYS": "1,1,1,1,1,1,1,1",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return env


@pytest.fixture
def processes():
    started = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def _start_worker(environment, processes) -> subprocess.Popen:
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "send_mails", "--interval", "0.2", "--batch", "1"],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    processes.append(worker)
    return worker


def _wait_for(condition, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def _kill(process) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


def _expected_ids() -> set[str]:
    return {f"<{uid}@quartier.example>" for uid in OutgoingMail.objects.values_list("uid", flat=True)}


def _all_sent() -> bool:
    return OutgoingMail.objects.exists() and not OutgoingMail.objects.exclude(status=Status.SENT).exists()


def _one_mail(resident) -> OutgoingMail:
    services.book_room(
        room=make_room(),
        booked_by=resident,
        starts_at=local(days_ahead(5), 18),
        ends_at=local(days_ahead(5), 20),
        **booking_data(),
    )
    return OutgoingMail.objects.get()


@pytest.mark.parametrize("moment", ["before", "after"])
def test_the_app_killed_before_or_after_its_commit_keeps_the_series_and_its_mails_together(
    moment, environment, processes, sink
):
    room, user = make_room(requires_approval=True), make_user(email="maria@example.org")
    make_staff(email="buero@example.org")
    app = subprocess.Popen(
        [sys.executable, "-c", APP, moment, str(room.pk), str(user.pk)],
        cwd=settings.BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    processes.append(app)
    line = app.stdout.readline().strip()
    assert line == {"before": "booked", "after": "committed"}[moment], app.stderr.read()
    _kill(app)

    if moment == "before":  # neither the series nor a mail row
        assert not BookingSeries.objects.exists() and not OutgoingMail.objects.exists()
        return
    series = BookingSeries.objects.get()
    assert series.bookings.count() == 24
    assert sorted(OutgoingMail.objects.values_list("to", flat=True)) == ["buero@example.org", "maria@example.org"]
    _start_worker(environment, processes)
    _wait_for(_all_sent, "the worker to send both mails")
    assert sorted(sink.message_ids) == sorted(_expected_ids())  # each exactly once


@pytest.mark.parametrize("point", ["greeting", "data"])
def test_a_worker_killed_before_or_while_sending_leaves_the_mail_to_the_next_one(point, environment, processes, sink):
    """ "greeting": claimed (committed) but not sent yet. "data": killed mid-DATA, before the server's 250,
    so the server did not accept it. Both: the next worker takes the row up after the lease and sends it once."""
    row = _one_mail(make_user())
    sink.hold = point
    first = _start_worker(environment, processes)
    _wait_for(sink.held.is_set, f"the worker to reach {point}")
    row.refresh_from_db()
    assert row.status == Status.SENDING and row.attempts == 1
    _kill(first)
    assert sink.accepted == []

    _start_worker(environment, processes)
    _wait_for(_all_sent, "a second worker to take the mail up after the lease")
    row.refresh_from_db()
    assert row.attempts == 2
    assert sink.message_ids == [f"<{row.uid}@quartier.example>"]  # exactly once


def test_a_worker_killed_after_the_server_accepted_sends_again_with_the_same_message_id(environment, processes, sink):
    """Killed between the server's 250 and noting "sent": no protocol can tell, so the mail goes again, with the
    same Message-ID (mail clients and servers that deduplicate treat it as one). Counted by Message-ID, it is one."""
    row = _one_mail(make_user())
    sink.hold = "quit"
    first = _start_worker(environment, processes)
    _wait_for(sink.held.is_set, "the server to accept the mail")
    _kill(first)
    _start_worker(environment, processes)
    _wait_for(_all_sent, "a second worker to send it again")
    expected = f"<{row.uid}@quartier.example>"
    assert sink.message_ids == [expected, expected]
    assert set(sink.message_ids) == _expected_ids()


def test_a_mail_server_that_refuses_for_a_while_gets_the_mail_once_it_is_back(environment, processes, sink):
    row = _one_mail(make_user())
    sink.refuse = True
    _start_worker(environment, processes)
    _wait_for(lambda: sink.refusals >= 3, "three refused attempts")
    row.refresh_from_db()
    assert row.status in (Status.PENDING, Status.SENDING) and row.attempts >= 3 and "421" in row.last_error
    sink.refuse = False
    _wait_for(_all_sent, "the retry after the server is back")
    assert sink.message_ids == [f"<{row.uid}@quartier.example>"]


def test_two_workers_never_send_the_same_mail(environment, processes, sink):
    user = make_user()
    for day in range(3, 13):
        services.book_room(
            room=make_room(),
            booked_by=user,
            starts_at=local(days_ahead(day), 18),
            ends_at=local(days_ahead(day), 20),
            **booking_data(),
        )
    _start_worker(environment, processes)
    _start_worker(environment, processes)
    _wait_for(_all_sent, "two workers to send ten mails")
    assert sorted(sink.message_ids) == sorted(_expected_ids()) and len(sink.message_ids) == 10
