"""List pages run a bounded number of queries, whatever the number of rooms and bookings."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rooms.models import Booking, Equipment

from .factories import days_ahead, local, make_room

pytestmark = pytest.mark.django_db


def _district(user, rooms: int, bookings_per_room: int):
    kitchen, _ = Equipment.objects.get_or_create(slug="kueche", defaults={"name": "Küche"})
    made = []
    for _n in range(rooms):
        room = make_room()
        room.equipment.add(kitchen)
        made.append(room)
        Booking.objects.bulk_create(
            Booking(
                room=room,
                booked_by=user,
                starts_at=local(days_ahead(1 + n // 6), 8 + 2 * (n % 6)),
                ends_at=local(days_ahead(1 + n // 6), 9 + 2 * (n % 6)),
                title="Treffen",
                attendees=3,
                responsible_name="M",
                responsible_phone="0231 1",
                responsible_email="m@example.org",
                status="confirmed",
            )
            for n in range(bookings_per_room)
        )
    return made


def _count(client, django_assert_max_num_queries, url, params=None, limit=20):
    with django_assert_max_num_queries(limit) as context:
        assert client.get(url, params or {}).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("scale", [1, 10])
@pytest.mark.parametrize("clock", ["12:30", "22:30"])
def test_room_list_queries_do_not_grow(
    client, office, resident, django_assert_max_num_queries, scale, clock, monkeypatch
):
    """At noon the next three days hold each room's three free slots; late in the evening the notice period
    reaches past the wanted day's bookable hours, so add_free_slots looks over two weeks too: one more query of
    busy times (13 in all), and no more at ten times the data. Both moments are pinned: the count must not
    depend on when the suite runs."""
    hour, minute = map(int, clock.split(":"))
    moment = timezone.make_aware(datetime.combine(timezone.localdate(), time(hour, minute)))
    monkeypatch.setattr(timezone, "now", lambda: moment)
    _district(resident, rooms=3 * scale, bookings_per_room=5 * scale)
    params = {
        "date": days_ahead(2).isoformat(),
        "start": "18:00",
        "end": "20:00",
        "attendees": "5",
        "equipment": "kueche",
    }
    client.force_login(resident)
    _count(client, django_assert_max_num_queries, reverse("rooms:list"), params, limit=13)


@pytest.mark.parametrize("scale", [1, 10])
def test_room_page_with_week_grid_queries_do_not_grow(client, office, resident, django_assert_max_num_queries, scale):
    rooms = _district(resident, rooms=2, bookings_per_room=6 * scale)
    client.force_login(resident)
    _count(
        client,
        django_assert_max_num_queries,
        reverse("rooms:detail", args=[rooms[0].slug]),
        {"week": (days_ahead(1) - timedelta(days=days_ahead(1).weekday())).isoformat()},
        limit=16,
    )


@pytest.mark.parametrize("scale", [1, 10])
def test_my_bookings_queries_do_not_grow(client, office, resident, django_assert_max_num_queries, scale):
    _district(resident, rooms=3, bookings_per_room=5 * scale)
    client.force_login(resident)
    _count(client, django_assert_max_num_queries, reverse("rooms:my_bookings"), limit=14)


def test_query_counts_are_equal_at_one_and_ten_times_the_data(client, office, resident, django_assert_max_num_queries):
    """The strongest form: the exact count does not change when the data grows tenfold."""
    small = _district(resident, rooms=3, bookings_per_room=4)
    client.force_login(resident)
    urls = [
        (reverse("rooms:list"), {"date": days_ahead(2).isoformat(), "start": "18:00", "end": "20:00"}),
        (reverse("rooms:detail", args=[small[0].slug]), {}),
        (reverse("rooms:my_bookings"), {}),
    ]
    client.get("/")  # warm the cached office record, as on any running site
    before = [_count(client, django_assert_max_num_queries, url, params) for url, params in urls]
    _district(resident, rooms=27, bookings_per_room=40)
    after = [_count(client, django_assert_max_num_queries, url, params) for url, params in urls]
    assert before == after
