"""The rooms demo: the Nordstadt as the issue describes it, whatever day it is seeded on, and only once."""

import io
from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from rooms.demo import seed_demo
from rooms.models import Booking, BookingSeries, Closure, Room

from ..factories import make_staff, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_accounts(db):
    make_staff(email="buero@quartier.example", display_name="Aylin Demir")
    make_user(email="initiative@quartier.example", display_name="Jonas Becker")
    make_user(email="bewohnerin@quartier.example", display_name="Maria Kowalski")


def test_demo_has_the_rooms_bookings_series_request_and_closure(demo_accounts):
    seed_demo(io.StringIO())
    assert {(room.name, room.capacity) for room in Room.objects.all()} >= {
        ("Besprechungsraum", 12),
        ("Gemeinschaftsraum mit Küche", 40),
        ("Saal", 80),
    }
    assert Room.objects.filter(name="Werkstatt").exists()
    series = BookingSeries.objects.get()
    assert series.bookings.count() >= 8 and series.bookings.first().title == "Schreibwerkstatt"
    assert Booking.objects.filter(status="requested").exists()
    assert Closure.objects.filter(reason__icontains="Betriebsferien").exists()
    bookers = set(Booking.objects.values_list("booked_by__email", flat=True))
    assert {"initiative@quartier.example", "bewohnerin@quartier.example"} <= bookers


def test_demo_is_idempotent(demo_accounts):
    seed_demo(io.StringIO())
    counts = (Room.objects.count(), Booking.objects.count())
    seed_demo(io.StringIO())
    assert (Room.objects.count(), Booking.objects.count()) == counts


@pytest.mark.parametrize("today", [(12, 2), (12, 10), (12, 20), (12, 27), (3, 26), (10, 22)])
def test_demo_can_be_seeded_on_any_day_of_the_year(demo_accounts, today):
    month, day = today
    moment = datetime(2026, month, day, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    with mock.patch("django.utils.timezone.now", return_value=moment):
        seed_demo(io.StringIO())
    assert Booking.objects.filter(status="requested").count() == 1
    assert BookingSeries.objects.get().bookings.count() >= 8


def test_demo_has_a_waiting_list_on_tuesday_and_a_series_due_for_reconfirmation(demo_accounts):
    from django.core.management import call_command

    from quartier.models import OutgoingMail
    from rooms.models import WaitlistEntry

    seed_demo(io.StringIO())
    entry = WaitlistEntry.objects.get()
    assert entry.user.email == "bewohnerin@quartier.example" and entry.state == "waiting"
    assert entry.starts_at.astimezone(ZoneInfo("Europe/Berlin")).weekday() == 1  # a Tuesday
    out = io.StringIO()
    call_command("reconfirm_series", stdout=out)
    assert "1 asked" in out.getvalue()
    assert OutgoingMail.objects.filter(to="initiative@quartier.example", subject__contains="noch").exists()
