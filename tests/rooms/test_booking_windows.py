"""Booking windows per group: private use may book less far ahead than initiatives and non-profit use, in the
one rule (Room.booking_window), shown on the room page."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from rooms import services
from rooms.models import Room

from ..factories import make_user
from .factories import days_ahead, local, make_room

pytestmark = pytest.mark.django_db


def _book(room, user, day, private_use):
    return services.book_room(
        room=room,
        booked_by=user,
        starts_at=local(day, 18),
        ends_at=local(day, 20),
        title="Feier",
        attendees=5,
        private_use=private_use,
    )


def test_private_use_books_60_days_ahead_non_profit_180(office):
    room = make_room(max_advance_days=180, max_advance_days_private=60)
    person = make_user()
    now = timezone.now()
    assert room.booking_window(now, private_use=True)[1] == now + timedelta(days=60)
    assert room.booking_window(now)[1] == now + timedelta(days=180)
    with pytest.raises(ValidationError, match="privat"):
        _book(room, person, days_ahead(90), private_use=True)
    assert _book(room, person, days_ahead(90), private_use=False).pk
    assert _book(room, person, days_ahead(50), private_use=True).pk


def test_without_a_private_window_everyone_has_the_same(office):
    room = make_room(max_advance_days=180)
    assert room.advance_days(True) == room.advance_days(False) == 180
    assert _book(room, make_user(), days_ahead(150), private_use=True).pk


def test_a_business_initiative_counts_as_private_use(office):
    room = make_room(max_advance_days=180, max_advance_days_private=60)
    problems = services.rule_problems(
        room=room,
        starts_at=local(days_ahead(90), 18),
        ends_at=local(days_ahead(90), 20),
        attendees=5,
        private_use=True,
    )
    assert any("60" in problem for problem in problems)
    assert Room.is_private_use(False, None) is False


def test_the_room_page_shows_both_windows(client, office):
    room = make_room(max_advance_days=180, max_advance_days_private=60)
    page = client.get(reverse("rooms:detail", args=[room.slug])).content.decode()
    assert "Private Nutzung: bis 60 Tage im Voraus" in page
    plain = make_room()
    assert "Private Nutzung" not in client.get(reverse("rooms:detail", args=[plain.slug])).content.decode()


def test_the_room_page_names_the_window_of_each_kind_of_booker(client, office):
    room = make_room(max_advance_days=180, max_advance_days_private=60)
    page = client.get(reverse("rooms:detail", args=[room.slug])).content.decode()
    assert "Initiativen und gemeinnützige Nutzung: bis 180 Tage im Voraus" in page
    assert "höchstens 180 Tage im Voraus" in page


def _api_room(client, room) -> dict:
    items = client.get(reverse("api:rooms")).json()["items"]
    return next(item for item in items if item["slug"] == room.slug)["booking_rules"]


def test_the_open_data_api_gives_the_private_window(client, office):
    room = make_room(max_advance_days=180, max_advance_days_private=60)
    rules = _api_room(client, room)
    assert (rules["max_advance_days"], rules["max_advance_days_private"]) == (180, 60)
    plain = make_room(max_advance_days=120)
    rules = _api_room(client, plain)
    assert (rules["max_advance_days"], rules["max_advance_days_private"]) == (120, 120)  # no window of its own
