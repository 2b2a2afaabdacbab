"""Models and QuerySets of the rooms app: query vocabulary, money, constraints, booking properties."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.utils import timezone

from rooms.models import Booking, Closure, Equipment, Room

from .factories import days_ahead, local, make_booking, make_closure, make_location, make_room

pytestmark = pytest.mark.django_db


def _at(day, start, end, **fields):
    return {"starts_at": local(day, start), "ends_at": local(day, end), **fields}


# --- Rooms ------------------------------------------------------------------------------------------


def test_a_new_room_from_the_factory_is_bookable_every_day_8_to_22():
    room = make_room()
    assert [room.bookable_hours_for(day) for day in range(7)] == [[(time(8), time(22))]] * 7


def test_bookable_hours_for_a_day_without_hours_is_empty():
    room = make_room(hours=())
    assert room.bookable_hours_for(2) == []


def test_bookable_hours_come_sorted_with_several_windows():
    room = make_room(hours=((14, 22), (8, 12)))
    assert room.bookable_hours_for(0) == [(time(8), time(12)), (time(14), time(22))]


def test_active_leaves_out_rooms_that_are_not_bookable():
    active, inactive = make_room(), make_room(is_active=False)
    assert list(Room.objects.active()) == [active]
    assert inactive not in Room.objects.active()


def test_fitting_keeps_rooms_that_hold_the_attendees():
    small, large = make_room(capacity=12), make_room(capacity=40)
    assert list(Room.objects.fitting(12).order_by("capacity")) == [small, large]
    assert list(Room.objects.fitting(13)) == [large]


def test_with_equipment_needs_every_listed_item():
    kitchen = Equipment.objects.create(name="Küche", slug="kueche")
    projector = Equipment.objects.create(name="Beamer", slug="beamer")
    both, only_kitchen = make_room(), make_room()
    both.equipment.set([kitchen, projector])
    only_kitchen.equipment.set([kitchen])
    assert list(Room.objects.with_equipment(["kueche", "beamer"])) == [both]
    assert set(Room.objects.with_equipment(["kueche"])) == {both, only_kitchen}
    assert Room.objects.with_equipment([]).count() == 2


def test_step_free_keeps_step_free_rooms():
    step_free, _stairs = make_room(step_free=True), make_room(step_free=False)
    assert list(Room.objects.step_free()) == [step_free]


def test_with_listing_data_loads_a_page_of_rooms_in_a_fixed_number_of_queries(django_assert_num_queries):
    kitchen = Equipment.objects.create(name="Küche", slug="kueche")
    for _ in range(5):
        make_room().equipment.add(kitchen)
    with django_assert_num_queries(5):  # rooms+location, equipment, purposes, photos, bookable hours
        rooms = list(Room.objects.with_listing_data())
        for room in rooms:
            _ = (room.location.name, list(room.equipment.all()), list(room.photos.all()), room.bookable_hours_for(0))


def test_room_page_url_uses_the_slug():
    assert make_room(slug="saal").get_absolute_url().endswith("/saal/")


def test_fee_is_per_hour_for_private_use_as_decimal():
    room = make_room(fee_per_hour=Decimal("20.00"))
    day = days_ahead(5)
    fee = room.fee_for(local(day, 18), local(day, 20, 30), private_use=True)
    assert fee == Decimal("50.00") and isinstance(fee, Decimal)


def test_non_profit_use_is_free():
    room = make_room(fee_per_hour=Decimal("20.00"), deposit=Decimal("150.00"))
    day = days_ahead(5)
    assert room.fee_for(local(day, 18), local(day, 20), private_use=False) == Decimal("0.00")
    assert room.deposit_for(False) == Decimal("0.00") and room.deposit_for(True) == Decimal("150.00")
    assert room.is_free_of_charge_for(False) and not room.is_free_of_charge_for(True)
    assert room.is_free_of_charge_for({"private_use": False})


def test_private_use_of_a_room_without_fee_and_deposit_is_free():
    assert make_room().is_free_of_charge_for(True)


def test_fee_counts_real_hours_in_the_night_clocks_go_back():
    room = make_room(fee_per_hour=Decimal("10.00"))
    # 25 October 2026: 03:00 CEST becomes 02:00 CET, so 00:00–06:00 local lasts seven hours.
    fee = room.fee_for(local(date(2026, 10, 25), 0), local(date(2026, 10, 25), 6), private_use=True)
    assert fee == Decimal("70.00")


def test_max_length_below_min_length_is_refused_by_the_database():
    with pytest.raises(IntegrityError):
        make_room(min_duration_minutes=120, max_duration_minutes=60)


# --- Closures -----------------------------------------------------------------------------------------


def test_closure_of_the_location_affects_each_of_its_rooms():
    location = make_location()
    room, neighbour, elsewhere = make_room(location=location), make_room(location=location), make_room()
    day = days_ahead(3)
    closure = make_closure(location=location, **_at(day, 0, 23))
    assert list(Closure.objects.affecting(room)) == [closure]
    assert list(Closure.objects.affecting(neighbour)) == [closure]
    assert not Closure.objects.affecting(elsewhere).exists()


def test_closure_of_one_room_leaves_its_neighbours_free():
    location = make_location()
    room, neighbour = make_room(location=location), make_room(location=location)
    make_closure(room=room, **_at(days_ahead(3), 8, 12))
    assert Closure.objects.affecting(room).exists()
    assert not Closure.objects.affecting(neighbour).exists()


def test_closures_overlap_strictly():
    room = make_room()
    day = days_ahead(3)
    make_closure(room=room, **_at(day, 10, 12))
    assert Closure.objects.overlapping(local(day, 11), local(day, 13)).exists()
    assert not Closure.objects.overlapping(local(day, 12), local(day, 14)).exists()
    assert not Closure.objects.overlapping(local(day, 8), local(day, 10)).exists()


def test_closure_needs_exactly_one_of_room_and_location():
    room = make_room()
    day = days_ahead(3)
    with pytest.raises(IntegrityError):
        make_closure(room=room, location=room.location, **_at(day, 8, 12))


def test_closure_without_room_or_location_is_refused():
    day = days_ahead(3)
    with pytest.raises(IntegrityError):
        make_closure(**_at(day, 8, 12))


def test_closure_form_validation_names_the_end():
    room = make_room()
    day = days_ahead(3)
    closure = Closure(room=room, reason="Renovierung", **_at(day, 12, 10))
    with pytest.raises(ValidationError) as error:
        closure.full_clean()
    assert "ends_at" in error.value.message_dict


# --- Bookings: QuerySets --------------------------------------------------------------------------------


def test_holding_means_requested_or_confirmed(resident):
    room = make_room()
    day = days_ahead(5)
    held = {
        make_booking(room=room, booked_by=resident, status=status, **_at(day, hour, hour + 1))
        for hour, status in [(8, "requested"), (10, "confirmed")]
    }
    for hour, status in [(12, "declined"), (14, "cancelled")]:
        make_booking(room=room, booked_by=resident, status=status, **_at(day, hour, hour + 1))
    assert set(Booking.objects.holding()) == held


@pytest.mark.parametrize(
    ("start", "end", "overlaps"),
    [
        (12, 14, False),  # back to back after
        (8, 10, False),  # back to back before
        (11, 13, True),
        (9, 11, True),
        (10, 12, True),  # the same slot
        (9, 13, True),  # around it
        (10, 11, True),  # inside it
    ],
)
def test_overlapping_is_strict(resident, start, end, overlaps):
    room = make_room()
    day = days_ahead(5)
    make_booking(room=room, booked_by=resident, **_at(day, 10, 12))
    assert Booking.objects.overlapping(local(day, start), local(day, end)).exists() is overlaps


def test_for_room_and_of_user_narrow_down(resident, initiative_lead):
    room, other_room = make_room(), make_room()
    day = days_ahead(5)
    mine = make_booking(room=room, booked_by=resident, **_at(day, 10, 12))
    make_booking(room=other_room, booked_by=resident, **_at(day, 10, 12))
    make_booking(room=room, booked_by=initiative_lead, **_at(day, 14, 16))
    assert list(Booking.objects.for_room(room).of_user(resident)) == [mine]


def test_upcoming_and_past_split_at_the_end_of_a_booking(resident):
    room = make_room()
    now = timezone.now()
    running = make_booking(
        room=room, booked_by=resident, starts_at=now - timedelta(hours=1), ends_at=now + timedelta(hours=1)
    )
    over = make_booking(
        room=room, booked_by=resident, starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=2)
    )
    assert list(Booking.objects.upcoming()) == [running]
    assert list(Booking.objects.past()) == [over]
    assert list(Booking.objects.upcoming(now=now + timedelta(hours=2))) == []


def test_with_related_loads_room_location_and_booker_in_one_query(resident, django_assert_num_queries):
    room = make_room()
    for hour in (8, 10, 12):
        make_booking(room=room, booked_by=resident, **_at(days_ahead(5), hour, hour + 1))
    with django_assert_num_queries(1):
        for booking in Booking.objects.with_related():
            _ = (booking.room.location.name, booking.booked_by.email)


# --- Bookings: constraints ------------------------------------------------------------------------------


def test_a_booking_that_ends_before_it_starts_is_refused_by_the_database(resident):
    day = days_ahead(5)
    with pytest.raises(IntegrityError):
        make_booking(booked_by=resident, **_at(day, 12, 10))


def test_the_database_refuses_a_withheld_deposit_without_a_reason(resident):
    with pytest.raises(IntegrityError):
        make_booking(booked_by=resident, deposit_state="withheld", **_at(days_ahead(5), 10, 12))


def test_cancelled_bookings_may_overlap_in_the_database(resident):
    room = make_room()
    day = days_ahead(5)
    make_booking(room=room, booked_by=resident, status="cancelled", **_at(day, 10, 12))
    make_booking(room=room, booked_by=resident, status="declined", **_at(day, 10, 12))
    make_booking(room=room, booked_by=resident, **_at(day, 10, 12))
    assert Booking.objects.count() == 3


def test_other_rooms_may_be_booked_at_the_same_time(resident):
    day = days_ahead(5)
    make_booking(booked_by=resident, **_at(day, 10, 12))
    make_booking(booked_by=resident, **_at(day, 10, 12))
    assert Booking.objects.holding().count() == 2


def test_the_exclusion_constraint_exists_only_on_postgresql(db):
    with connection.cursor() as cursor:
        names = connection.introspection.get_constraints(cursor, Booking._meta.db_table)
    assert ("rooms_booking_no_overlap" in names) is (connection.vendor == "postgresql")


def test_the_exclusion_constraint_uses_a_gist_index(postgres):
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'rooms_booking_no_overlap'")
        (definition,) = cursor.fetchone()
    assert "USING gist" in definition


def test_key_returned_without_being_issued_is_refused(resident):
    booking = Booking(
        booked_by=resident,
        room=make_room(),
        title="Treffen",
        attendees=5,
        responsible_name="M",
        responsible_phone="1",
        responsible_email="m@example.org",
        key_returned_at=timezone.now(),
        **_at(days_ahead(5), 10, 12),
    )
    with pytest.raises(ValidationError) as error:
        booking.full_clean()
    assert "key_issued_at" in error.value.message_dict


def test_key_returned_before_it_was_issued_is_refused(resident):
    now = timezone.now()
    booking = make_booking(booked_by=resident, **_at(days_ahead(5), 10, 12))
    booking.key_issued_at, booking.key_returned_at = now, now - timedelta(hours=1)
    with pytest.raises(ValidationError) as error:
        booking.full_clean()
    assert "key_returned_at" in error.value.message_dict


def test_damage_on_return_needs_a_description(resident):
    booking = make_booking(booked_by=resident, **_at(days_ahead(5), 10, 12))
    booking.return_inspection = Booking.Inspection.DAMAGE
    with pytest.raises(ValidationError) as error:
        booking.full_clean()
    assert "damage_notes" in error.value.message_dict
    booking.damage_notes = "Fleck auf dem Teppich"
    booking.full_clean()


# --- Bookings: properties --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "holds"), [("requested", True), ("confirmed", True), ("declined", False), ("cancelled", False)]
)
def test_holds_slot_by_status(resident, status, holds):
    assert make_booking(booked_by=resident, status=status, **_at(days_ahead(5), 10, 12)).holds_slot is holds


def test_public_label_hides_the_title_unless_shown(resident):
    hidden = make_booking(booked_by=resident, title="Geburtstag", **_at(days_ahead(5), 10, 12))
    shown = make_booking(booked_by=resident, title="Offenes Singen", show_title=True, **_at(days_ahead(5), 14, 16))
    assert str(hidden.public_label) == "belegt"
    assert shown.public_label == "Offenes Singen"


def test_public_label_in_english(resident):
    from django.utils import translation

    booking = make_booking(booked_by=resident, title="Geburtstag", **_at(days_ahead(5), 10, 12))
    with translation.override("en"):
        assert str(booking.public_label) == "booked"


def test_cancel_deadline_is_the_rooms_hours_before_the_start(resident):
    room = make_room(cancellation_deadline_hours=24)
    booking = make_booking(room=room, booked_by=resident, **_at(days_ahead(5), 10, 12))
    assert booking.cancel_deadline == booking.starts_at - timedelta(hours=24)


def test_the_booker_can_cancel_before_the_deadline_others_cannot(resident, initiative_lead):
    booking = make_booking(booked_by=resident, **_at(days_ahead(5), 10, 12))
    assert booking.can_be_cancelled_by(resident)
    assert not booking.can_be_cancelled_by(initiative_lead)


def test_after_the_deadline_only_staff_can_cancel(resident, staff):
    room = make_room(cancellation_deadline_hours=72)
    booking = make_booking(room=room, booked_by=resident, **_at(days_ahead(2), 10, 12))
    assert not booking.can_be_cancelled_by(resident)
    assert booking.can_be_cancelled_by(staff)


def test_nobody_cancels_a_past_or_cancelled_booking(resident, staff):
    now = timezone.now()
    past = make_booking(booked_by=resident, starts_at=now - timedelta(days=1, hours=2), ends_at=now - timedelta(days=1))
    cancelled = make_booking(booked_by=resident, status="cancelled", **_at(days_ahead(5), 10, 12))
    for booking in (past, cancelled):
        assert not booking.can_be_cancelled_by(staff)
        assert not booking.can_be_cancelled_by(resident)


def test_booking_page_url_uses_the_pk(resident):
    booking = make_booking(booked_by=resident, **_at(days_ahead(5), 10, 12))
    assert str(booking.pk) in booking.get_absolute_url()


def test_str_shows_room_local_time_and_title(resident):
    room = make_room(name="Saal")
    booking = make_booking(
        room=room,
        booked_by=resident,
        title="Chor",
        starts_at=local(date(2026, 7, 1), 18),
        ends_at=local(date(2026, 7, 1), 20),
    )
    assert str(booking) == "Saal, 01.07.2026 18:00: Chor"


def test_the_booking_window_starts_after_the_notice_except_for_staff():
    room = Room(min_notice_hours=48, max_advance_days=180)
    now = local(days_ahead(1), 9)
    assert room.booking_window(now) == (now + timedelta(hours=48), now + timedelta(days=180))
    assert room.booking_window(now, staff=True) == (now, now + timedelta(days=180))
