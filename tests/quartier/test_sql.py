"""quartier/sql.py: `field__any_of` (the same rows as `__in`, with the list as one parameter); timestamps read by
psycopg's C loader (the same values as Django's loader gives)."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections
from django.db.models import F, Subquery
from django.db.models.functions import Coalesce
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rooms.models import Booking, Room

from ..factories import make_user
from ..rooms.factories import make_booking, make_room

pytestmark = pytest.mark.django_db


def test_any_of_finds_the_same_rows_as_in():
    rooms = [make_room() for _ in range(4)]
    wanted = [rooms[0].pk, rooms[2].pk, 999_999]
    assert (
        set(Room.objects.filter(pk__any_of=wanted))
        == set(Room.objects.filter(pk__in=wanted))
        == {
            rooms[0],
            rooms[2],
        }
    )
    assert set(Room.objects.filter(location_id__any_of=[rooms[1].location_id])) == {rooms[1]}
    assert list(Room.objects.filter(pk__any_of=[])) == []
    assert set(Room.objects.exclude(pk__any_of=wanted)) == {rooms[1], rooms[3]}


def test_any_of_sends_a_list_of_any_length_as_one_parameter_on_postgresql():
    make_room()
    with CaptureQueriesContext(connection) as queries:
        list(Room.objects.filter(pk__any_of=list(range(1, 301))))
    sql = queries.captured_queries[0]["sql"]
    if connection.vendor == "postgresql":
        assert "= ANY(" in sql and " IN (" not in sql
    else:
        assert " IN (" in sql


# --- timestamptz values read by psycopg's C loader (read_timestamps_in_c) ---------------------------------------

TIMESTAMPS = st.datetimes(
    min_value=datetime(1, 1, 2),
    max_value=datetime(9999, 12, 30),
    timezones=st.sampled_from([UTC, ZoneInfo("Europe/Berlin"), ZoneInfo("Asia/Kolkata"), ZoneInfo("America/St_Johns")]),
)


def _djangos_own_reading(value):
    """The value as Django's own loader reads it back (registered on a cursor of its own)."""
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    with connection.cursor() as cursor:
        register_tzloader(connection.timezone, cursor.cursor)
        cursor.execute("SELECT %s::timestamptz", [value])
        return cursor.fetchone()[0]


@given(value=TIMESTAMPS)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_timestamps_read_back_as_written_and_as_djangos_loader_reads_them(postgres, value):
    value = value.astimezone(UTC)  # sent as UTC: how psycopg writes an offset of 1945 is not the question here
    with connection.cursor() as cursor:
        cursor.execute("SELECT %s::timestamptz", [value])
        read = cursor.fetchone()[0]
    assert read == value
    assert read.tzinfo is UTC
    assert read == _djangos_own_reading(value) and read.tzinfo is _djangos_own_reading(value).tzinfo


def test_the_orm_reads_a_bookings_times_through_the_c_loader(postgres):
    """What the pages read: a booking's times come back equal and in UTC; psycopg's C loader read them (the
    portal's stand-in is what the connection has for timestamptz, so Django registers no Python loader)."""
    from psycopg.pq import Format

    from quartier.sql import UtcTimestampLoader

    starts_at = datetime(2026, 12, 3, 17, 0, 0, 123456, tzinfo=UTC)
    booking = make_booking(booked_by=make_user(), starts_at=starts_at, ends_at=starts_at + timedelta(hours=2))
    starts_at, ends_at = Booking.objects.values_list("starts_at", "ends_at").get(pk=booking.pk)
    assert (starts_at, ends_at) == (booking.starts_at, booking.ends_at)
    assert starts_at.tzinfo is UTC
    assert connection.connection.adapters.get_loader(1184, Format.TEXT) is UtcTimestampLoader  # timestamptz
    with connection.cursor() as cursor:
        cursor.execute("SELECT starts_at FROM rooms_booking WHERE id = %s", [booking.pk])
        loader = cursor.cursor.adapters.get_loader(1184, Format.TEXT)
        assert loader is UtcTimestampLoader
        assert type(UtcTimestampLoader(1184, cursor.cursor)).__module__.startswith("psycopg_binary")


def test_a_connection_not_read_as_utc_keeps_djangos_loader(postgres, settings):
    """Where Django reads the database's times otherwise (USE_TZ off: naive values), its own loader stays: the
    C loader gives the session's zone only. (A connection of its own, opened with that setting.)"""
    from psycopg.pq import Format

    from quartier.sql import UtcTimestampLoader

    settings.USE_TZ = False
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            assert other.connection.adapters.get_loader(1184, Format.TEXT) is not UtcTimestampLoader
            cursor.execute("SELECT '2026-12-03 18:00:00+00'::timestamptz")
            assert cursor.fetchone()[0] == datetime(2026, 12, 3, 19, 0)  # naive, in Berlin time, as Django gives it
    finally:
        other.close()


# --- plain_rows: a query of plain values compiled once ----------------------------------------------------------


def _bookings_query(room_ids, attendees, since):
    return (
        # 7001: a constant of the query equal to the first stand-in of `attendees` (not where the value goes)
        Booking.objects.filter(room_id__any_of=room_ids, attendees__gte=attendees, starts_at__gte=since)
        .exclude(attendees=7001)
        .order_by("pk")
        .values_list("pk", "attendees", "starts_at")
    )


def test_plain_rows_gives_the_orms_rows_for_every_call(postgres):
    """Compiled once (the first call's SQL), run with each call's values: the same rows as the ORM each time."""
    from quartier import sql

    resident, since = make_user(), datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
    bookings = [
        make_booking(
            booked_by=resident,
            starts_at=since + timedelta(days=n),
            ends_at=since + timedelta(days=n, hours=1),
            attendees=attendees,
        )
        for n, attendees in enumerate((4, 12, 30, 7000, 7001))  # 7000, 7001: the values of stand-ins
    ]
    rooms = [booking.room_id for booking in bookings]
    sql._COMPILED.pop("test.bookings", None)
    for ids, attendees, after in (
        (rooms[:2], 5, since),
        (rooms, 0, since + timedelta(days=1)),
        ([], 1, since),
        (rooms, 7000, since),
        (rooms, 7001, since),
    ):
        with CaptureQueriesContext(connection) as queries:
            rows = sql.plain_rows("test.bookings", _bookings_query, ids, attendees, after)
        assert rows == list(_bookings_query(ids, attendees, after))
        assert len(queries) == 1
    assert sql._COMPILED["test.bookings"] is not None  # on PostgreSQL: compiled, not the ORM each time
    assert sql.plain_rows("test.bookings", _bookings_query, rooms, 7000, since) == [
        (bookings[3].pk, 7000, bookings[3].starts_at)
    ]


def test_plain_rows_refuses_a_query_whose_shape_depends_on_its_values(postgres):
    from django.core.exceptions import ImproperlyConfigured

    from quartier import sql

    def branching(capacity):
        rooms = Room.objects.filter(capacity__gte=capacity)
        return (rooms.filter(is_active=True) if capacity % 2 else rooms).values_list("pk")

    def ignoring(capacity):
        return Room.objects.filter(capacity__gte=10).values_list("pk")

    for key, build in (("test.branching", branching), ("test.ignoring", ignoring)):
        sql._COMPILED.pop(key, None)
        with pytest.raises(ImproperlyConfigured):
            sql.plain_rows(key, build, 3)


def _bookings_with_rooms(since, attendees):
    return (
        Booking.objects.filter(starts_at__gte=since, attendees__gte=attendees)
        .select_related("room__location", "booked_by")
        .only("pk", "title", "starts_at", "attendees", "room__name", "room__location__name", "booked_by__email")
        .annotate(minutes=(F("ends_at") - F("starts_at")))
        .order_by("starts_at", "pk")
    )


def _fields(booking) -> tuple:
    return (
        type(booking),
        booking.pk,
        booking.title,
        booking.starts_at,
        booking.attendees,
        booking.minutes,
        booking.get_deferred_fields(),
        booking._state.db,
        booking._state.adding,
        (booking.room.pk, booking.room.name, booking.room.get_deferred_fields()),
        (booking.room.location.pk, booking.room.location.name),
        (booking.booked_by.pk, booking.booked_by.email),
    )


def test_plain_objects_are_the_instances_the_orm_makes(postgres):
    """Compiled once, run with each call's values: instances of the same model with the same values, deferred
    fields, related objects (select_related) and annotations as the ORM's, in one query, on every call."""
    from quartier import sql

    resident, since = make_user(), datetime(2026, 12, 3, 17, 0, tzinfo=UTC)
    for n, attendees in enumerate((3, 12, 30)):
        make_booking(
            booked_by=resident,
            starts_at=since + timedelta(days=n),
            ends_at=since + timedelta(days=n, hours=n + 1),
            attendees=attendees,
            title=f"Treffen {n} <&>",
        )
    sql._COMPILED.pop(("objects", "test.with_rooms"), None)
    for after, attendees in ((since, 0), (since + timedelta(days=1), 0), (since, 20), (since, 100)):
        with CaptureQueriesContext(connection) as queries:
            ours = sql.plain_objects("test.with_rooms", _bookings_with_rooms, after, attendees)
        theirs = list(_bookings_with_rooms(after, attendees))
        assert [_fields(booking) for booking in ours] == [_fields(booking) for booking in theirs]
        assert len(queries) == 1
    assert sql._COMPILED[("objects", "test.with_rooms")] is not None  # compiled, not the ORM each time
    with CaptureQueriesContext(connection) as queries:
        booking = sql.plain_objects("test.with_rooms", _bookings_with_rooms, since, 0)[0]
        booking.room.location.name, booking.booked_by.email  # noqa: B018 - loaded with the booking
    assert len(queries) == 1
    booking.refresh_from_db()  # a whole instance of the database it came from
    assert booking.responsible_name


def test_plain_objects_refuses_what_it_does_not_follow(postgres):
    from django.core.exceptions import ImproperlyConfigured

    from quartier import sql

    for key, build in (
        ("test.prefetching", lambda: Room.objects.prefetch_related("equipment")),
        ("test.values", lambda: Room.objects.values("pk")),
    ):
        sql._COMPILED.pop(("objects", key), None)
        with pytest.raises(ImproperlyConfigured):
            sql.plain_objects(key, build)


def _rooms_by_capacity(capacity):
    return (
        Room.objects.filter(capacity__gte=capacity)
        .annotate(seats=Coalesce(F("capacity"), 0) + 1, booked=Subquery(_booking_count()))
        .order_by("capacity", "pk")
    )


def _booking_count():
    from django.db.models import Count, OuterRef

    return Booking.objects.filter(room=OuterRef("pk")).order_by().values("room").annotate(n=Count("pk")).values("n")


def test_plain_pages_are_the_pages_the_orm_gives(postgres):
    """A Paginator over PlainPages: the same count, the same objects on every page (the last one short, one
    beyond the compiled pages, one out of range), annotations converted to the same types, two queries a page."""
    from django.core.paginator import Paginator

    from quartier import sql

    for capacity in (5, 8, 8, 12, 20, 20, 20, 35, 40, 60, 80):
        make_room(capacity=capacity)
    start = datetime(2026, 12, 10, 17, 0, tzinfo=UTC)
    make_booking(
        room=Room.objects.get(capacity=35), booked_by=make_user(), starts_at=start, ends_at=start + timedelta(hours=1)
    )
    for key in list(sql._COMPILED):
        if "test.rooms" in str(key):
            del sql._COMPILED[key]
    for minimum in (0, 10, 100):
        for number in (1, 2, 3, 4, 5, "last", 99, "x"):
            theirs = Paginator(_rooms_by_capacity(minimum), 3).get_page(number)
            with CaptureQueriesContext(connection) as queries:
                pages = sql.PlainPages("test.rooms", _rooms_by_capacity, minimum, per_page=3)
                ours = Paginator(pages, 3).get_page(number)
                shown = [(room.pk, room.capacity, room.seats, room.booked) for room in ours]
            assert (ours.number, ours.paginator.count, ours.paginator.num_pages) == (
                theirs.number,
                theirs.paginator.count,
                theirs.paginator.num_pages,
            )
            assert shown == [(room.pk, room.capacity, room.seats, room.booked) for room in theirs]
            assert [type(room.seats) for room in ours] == [int] * len(shown)
            assert len(queries) <= 2
    pages = sql.PlainPages("test.rooms", _rooms_by_capacity, 0, per_page=3)
    pages.COMPILED_PAGES = 2
    assert [room.capacity for room in Paginator(pages, 3).page(3)] == [20, 35, 40]  # the ORM's query
    assert sql._COMPILED[("count", "test.rooms")] is not None
    assert sql._COMPILED[("objects", "test.rooms.page0")] is not None


def test_plain_count_refuses_what_it_would_count_wrong(postgres):
    from django.core.exceptions import ImproperlyConfigured

    from quartier import sql

    sql._COMPILED.pop(("count", "test.distinct"), None)
    with pytest.raises(ImproperlyConfigured):
        sql.plain_count("test.distinct", lambda: Room.objects.filter(bookings__isnull=False).distinct())


def test_the_home_page_highlights_read_as_before(client, office, postgres, django_assert_max_num_queries):
    """The highlights of the home page (plain_objects): the rooms, upcoming events, the newest initiatives
    and open calls of the fund, each from one query."""
    from django.utils import timezone

    from ..events.factories import make_event
    from ..fund.factories import make_call, make_fund
    from ..initiatives.factories import make_initiative

    now = timezone.now()
    room = make_room(name="Saal im Stadtteilbüro")
    make_event(title="Straßenfest <Nord>", starts_at=now + timedelta(days=2))
    make_event(title="Vorbei", starts_at=now - timedelta(days=2))
    make_initiative(name="Kiezküche", short_description="Wir kochen zusammen.")
    fund = make_fund()
    make_call(fund=fund, title="Sommeraktionen")
    make_call(fund=fund, title="Abgelaufen", opens_at=now - timedelta(days=9), deadline=now - timedelta(days=1))
    client.get("/")
    with django_assert_max_num_queries(6):
        html = client.get("/").content.decode()
    for shown in (room.name, "Straßenfest &lt;Nord&gt;", "Kiezküche", "Wir kochen zusammen.", "Sommeraktionen"):
        assert shown in html
    assert "Vorbei" not in html and "Abgelaufen" not in html


def test_busy_intervals_are_the_bookings_and_closures_the_orm_finds(postgres):
    """The room finder's busy times (compiled once): holding bookings of the rooms asked about, closures of
    those rooms and of their houses, in the period, the same as the query the ORM builds each time."""
    from django.db.models import Q

    from rooms import availability
    from rooms.models import Closure

    from ..rooms.factories import days_ahead, local, make_closure, make_location

    house = make_location()
    first, second, elsewhere = make_room(location=house), make_room(location=house), make_room()
    resident, day = make_user(), days_ahead(5)
    make_booking(room=first, booked_by=resident, starts_at=local(day, 9), ends_at=local(day, 11))
    make_booking(room=second, booked_by=resident, starts_at=local(day, 10), ends_at=local(day, 12))
    make_booking(room=second, booked_by=resident, starts_at=local(day, 14), ends_at=local(day, 15), status="cancelled")
    make_booking(room=elsewhere, booked_by=resident, starts_at=local(day, 9), ends_at=local(day, 10))
    make_closure(location=house, starts_at=local(day, 16), ends_at=local(day, 18))
    make_closure(room=elsewhere, starts_at=local(day, 12), ends_at=local(day, 13))
    for rooms, start, end in (
        ([first, second, elsewhere], local(day, 0), local(day, 23)),
        ([first], local(day, 10), local(day, 17)),
        ([second, elsewhere], local(day, 11), local(day, 12, 30)),
        ([elsewhere], local(day, 13), local(day, 14)),
    ):
        ids, houses = [room.pk for room in rooms], list({room.location_id for room in rooms})
        expected = {room.pk: [] for room in rooms}
        bookings = Booking.objects.holding().filter(room__in=ids, starts_at__lt=end, ends_at__gt=start)
        for room_id, starts_at, ends_at in bookings.values_list("room_id", "starts_at", "ends_at"):
            expected[room_id].append((starts_at, ends_at))
        closures = Closure.objects.filter(
            Q(room__in=ids) | Q(location__in=houses), starts_at__lt=end, ends_at__gt=start
        )
        columns = ("room_id", "location_id", "starts_at", "ends_at")
        for room_id, location_id, starts_at, ends_at in closures.values_list(*columns):
            for room in rooms:
                if room_id == room.pk or location_id == room.location_id:
                    expected[room.pk].append((starts_at, ends_at))
        assert availability.busy_intervals(rooms, start, end) == {key: sorted(value) for key, value in expected.items()}
