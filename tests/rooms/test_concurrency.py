"""No double booking, ever: many people try to book the same slot at the same moment, over real HTTP."""

import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from rooms import availability, services
from rooms.models import Booking

from ..factories import make_user
from .factories import booking_data, days_ahead, form_data, local, make_room

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 32
CSRF = "a" * 32  # an unmasked CSRF secret: the same value in cookie and form


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def _post(url: str, session: str, data: dict) -> tuple[int, str]:
    body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": CSRF}, doseq=True).encode()
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Cookie": f"sessionid={session}; csrftoken={CSRF}; django_language=de",
            "Referer": url,
            "Content-Type": "application/x-www-form-urlencoded",
        },
    )
    opener = urllib.request.build_opener(NoRedirect)
    for attempt in range(10):
        try:
            with opener.open(request, timeout=60) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()
        except (ConnectionResetError, urllib.error.URLError):
            # The test server's listen queue is short: a refused connection never reached the app, retry.
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("the live server did not accept the connection")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _race(requests: list[tuple[str, str, dict]]) -> list[tuple[int, str]]:
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def run(index, url, session, data):
        barrier.wait()
        results[index] = _post(url, session, data)

    threads = [threading.Thread(target=run, args=(i, *request)) for i, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return results


def test_32_clients_race_for_one_slot_and_exactly_one_wins(postgres, live_server, office):
    room = make_room(capacity=50)
    other = make_room(name="Nachbarsaal", capacity=50)
    day = days_ahead(6)
    users = [make_user() for _ in range(CLIENTS)]
    url = live_server.url + reverse("rooms:book", args=[room.slug])
    data = {**form_data(day, "18:00", "20:00", title="Unser Treffen"), "shown_at": availability.shown_at_now()}
    results = _race([(url, _session_cookie(user), data) for user in users])
    statuses = [status for status, _body in results]
    assert 500 not in statuses
    assert statuses.count(302) == 1, statuses
    refused = [body for status, body in results if status == 200]
    assert len(refused) == CLIENTS - 1
    assert all("bereits gebucht" in body for body in refused)
    # Each loser is told what happened, keeps the input and is offered other times and the other room.
    other_link = f"{reverse('rooms:book', args=[other.slug])}?date={day.isoformat()}&amp;start=18:00&amp;end=20:00"
    for body in refused:
        assert "Dieser Zeitraum wurde gerade von jemand anderem gebucht." in body
        assert "Bitte prüfen Sie Ihre Eingaben" not in body
        assert 'value="Unser Treffen"' in body
        assert other_link in body
        assert "Freie Zeiten gleicher Länge" in body
    assert Booking.objects.holding().count() == 1


def test_a_series_and_single_bookings_race_for_overlapping_dates(postgres, live_server, office):
    room = make_room(capacity=50)
    first = days_ahead(7)
    series_user = make_user()
    singles = [make_user() for _ in range(CLIENTS - 1)]
    url = live_server.url + reverse("rooms:book", args=[room.slug])
    dates = [local(first + timedelta(weeks=n), 18).strftime("%Y-%m-%dT%H:%M") for n in range(4)]
    series_data = {**form_data(first, "18:00", "20:00", repeat="weekly", count="4"), "step": "confirm", "dates": dates}
    requests = [(url, _session_cookie(series_user), series_data)]
    for index, user in enumerate(singles):
        day = first + timedelta(weeks=index % 4)
        requests.append((url, _session_cookie(user), form_data(day, "19:00", "21:00")))
    results = _race(requests)
    assert 500 not in [status for status, _body in results]
    # Whoever won, no two holding bookings of the room overlap.
    held = list(Booking.objects.holding().filter(room=room).order_by("starts_at"))
    for earlier, later in zip(held, held[1:], strict=False):
        assert earlier.ends_at <= later.starts_at
    series_won = results[0][0] == 302
    assert len(held) == (4 if series_won else len({b.starts_at.date() for b in held}))
    assert 1 <= len(held) <= 4


def test_service_level_race_books_once(postgres):
    room = make_room()
    day = days_ahead(6)
    users = [make_user() for _ in range(8)]
    outcomes = []

    def attempt(user):
        from django.core.exceptions import ValidationError
        from django.db import connection

        try:
            services.book_room(
                room=room, booked_by=user, starts_at=local(day, 10), ends_at=local(day, 12), **booking_data()
            )
            outcomes.append("booked")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(outcomes) == ["booked"] + ["refused"] * 7
    assert get_user_model().objects.count() == 8


def _in_threads(functions) -> None:
    """Run the functions at the same moment, each thread on its own database connection."""
    from django.db import connection

    barrier = threading.Barrier(len(functions))

    def run(function):
        try:
            barrier.wait()
            function()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(function,)) for function in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)


def test_service_level_series_and_singles_never_overlap(postgres):
    from django.core.exceptions import ValidationError

    from rooms.models import BookingSeries

    room = make_room()
    first = days_ahead(7)
    dates = [(local(first + timedelta(weeks=n), 18), local(first + timedelta(weeks=n), 20)) for n in range(4)]
    series_user, singles = make_user(), [make_user() for _ in range(7)]
    outcomes = []

    def series():
        try:
            services.book_series(
                room=room,
                booked_by=series_user,
                frequency=BookingSeries.Frequency.WEEKLY,
                dates=dates,
                **booking_data(),
            )
            outcomes.append("series")
        except ValidationError:
            outcomes.append("series refused")

    def single(user, n):
        day = first + timedelta(weeks=n % 4)
        try:
            services.book_room(
                room=room, booked_by=user, starts_at=local(day, 19), ends_at=local(day, 21), **booking_data()
            )
            outcomes.append("single")
        except ValidationError:
            outcomes.append("single refused")

    _in_threads([series] + [lambda user=user, n=n: single(user, n) for n, user in enumerate(singles)])
    held = list(Booking.objects.holding().filter(room=room).order_by("starts_at"))
    for earlier, later in zip(held, held[1:], strict=False):
        assert earlier.ends_at <= later.starts_at
    assert len(outcomes) == 8
    if "series" in outcomes:  # all four dates or none
        assert outcomes.count("single") == 0 and len(held) == 4
    else:
        assert Booking.objects.filter(series__isnull=False).count() == 0
        assert outcomes.count("single") == len(held) == 4


def test_parallel_reminder_runs_send_each_reminder_once(postgres, mailoutbox):
    from django.core.management import call_command
    from django.utils import timezone

    room = make_room()
    now = timezone.now()
    bookings = [
        Booking.objects.create(
            room=room,
            booked_by=make_user(),
            starts_at=now + timedelta(hours=30 + 2 * n),
            ends_at=now + timedelta(hours=31 + 2 * n),
            title="Treffen",
            attendees=5,
            responsible_name="M",
            responsible_phone="1",
            responsible_email="m@example.org",
            status="confirmed",
        )
        for n in range(6)
    ]
    _in_threads([lambda: call_command("send_booking_reminders")] * 4)
    assert len(mailoutbox) == 6
    assert sorted(tuple(m.to) for m in mailoutbox) == sorted((b.booked_by.email,) for b in bookings)
    assert not Booking.objects.filter(reminder_sent_at__isnull=True).exists()
