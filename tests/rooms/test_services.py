"""The booking rules and workflows, through the services."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from rooms import availability, services
from rooms.models import Booking, BookingSeries

from .factories import booking_data, days_ahead, local, make_booking, make_closure, make_room

pytestmark = pytest.mark.django_db


def book(room, user, start, end, **extra):
    return services.book_room(room=room, booked_by=user, starts_at=start, ends_at=end, **booking_data(**extra))


def refusal(room, user, start, end, **extra) -> str:
    with pytest.raises(ValidationError) as error:
        book(room, user, start, end, **extra)
    return " ".join(error.value.messages)


def test_a_free_slot_is_booked_and_confirmed_when_no_approval_is_needed(resident):
    room = make_room()
    booking = book(room, resident, local(days_ahead(5), 18), local(days_ahead(5), 20))
    assert booking.status == Booking.Status.CONFIRMED


def test_a_room_that_needs_approval_holds_the_slot_as_requested(resident):
    room = make_room(requires_approval=True)
    booking = book(room, resident, local(days_ahead(5), 18), local(days_ahead(5), 20))
    assert booking.status == Booking.Status.REQUESTED
    assert "bereits gebucht" in refusal(room, resident, local(days_ahead(5), 19), local(days_ahead(5), 21))


def test_overlap_is_refused_naming_the_conflicting_time(resident):
    room = make_room()
    day = days_ahead(5)
    book(room, resident, local(day, 18), local(day, 20))
    message = refusal(room, resident, local(day, 19), local(day, 21))
    assert "18:00–20:00" in message


def test_back_to_back_bookings_are_allowed(resident):
    room = make_room()
    day = days_ahead(5)
    book(room, resident, local(day, 10), local(day, 12))
    assert book(room, resident, local(day, 12), local(day, 14)).pk


def test_cancelled_and_declined_bookings_free_the_slot(resident):
    room = make_room()
    day = days_ahead(5)
    make_booking(
        room=room, booked_by=resident, starts_at=local(day, 10), ends_at=local(day, 12), status=Booking.Status.CANCELLED
    )
    make_booking(
        room=room, booked_by=resident, starts_at=local(day, 10), ends_at=local(day, 12), status=Booking.Status.DECLINED
    )
    assert book(room, resident, local(day, 10), local(day, 12)).pk


def test_a_closure_of_the_room_is_refused_with_its_reason(resident):
    room = make_room()
    day = days_ahead(5)
    make_closure(room=room, starts_at=local(day, 0), ends_at=local(day + timedelta(days=1), 0), reason="Malerarbeiten")
    assert "Malerarbeiten" in refusal(room, resident, local(day, 18), local(day, 20))


def test_a_closure_of_the_whole_location_blocks_its_rooms(resident):
    room = make_room()
    day = days_ahead(5)
    make_closure(location=room.location, starts_at=local(day, 0), ends_at=local(day, 23), reason="Betriebsferien")
    assert "Betriebsferien" in refusal(room, resident, local(day, 18), local(day, 20))


def test_end_before_start_is_refused(resident):
    room = make_room()
    assert "Ende" in refusal(room, resident, local(days_ahead(5), 20), local(days_ahead(5), 18))


def test_a_start_in_the_past_is_refused(resident):
    room = make_room()
    assert "Vergangenheit" in refusal(room, resident, local(days_ahead(-2), 10), local(days_ahead(-2), 12))


def test_outside_bookable_hours_is_refused_naming_the_hours(resident):
    room = make_room()
    message = refusal(room, resident, local(days_ahead(5), 21), local(days_ahead(5), 23))
    assert "08:00–22:00" in message


def test_a_day_without_bookable_hours_is_refused(resident):
    room = make_room()
    day = days_ahead(5)
    room.bookable_hours.filter(weekday=day.weekday()).delete()
    assert "nicht gebucht werden" in refusal(room, resident, local(day, 10), local(day, 12))


def test_too_short_notice_is_refused(resident):
    room = make_room(min_notice_hours=48)
    start = timezone.localtime(timezone.now() + timedelta(hours=30)).replace(minute=0, second=0, microsecond=0)
    if not 9 <= start.hour <= 19:
        start = start.replace(hour=12)
        if start < timezone.now() + timedelta(hours=1):
            start += timedelta(days=1)
    assert "48 Stunden" in refusal(room, resident, start, start + timedelta(hours=1))


def test_too_far_ahead_is_refused(resident):
    room = make_room(max_advance_days=180)
    day = days_ahead(200)
    assert "180 Tage" in refusal(room, resident, local(day, 10), local(day, 12))


def test_too_long_and_too_short_are_refused(resident):
    room = make_room(min_duration_minutes=30, max_duration_minutes=360)
    day = days_ahead(5)
    assert "höchstens 6 Stunden" in refusal(room, resident, local(day, 8), local(day, 15))
    assert "mindestens 30 Minuten" in refusal(room, resident, local(day, 8), local(day, 8, 15))


def test_more_attendees_than_capacity_is_refused(resident):
    room = make_room(capacity=12)
    assert "höchstens 12" in refusal(room, resident, local(days_ahead(5), 10), local(days_ahead(5), 12), attendees=13)


def test_staff_ignore_notice_and_lead_time(resident, staff):
    room = make_room(min_notice_hours=48, max_advance_days=30)
    soon = timezone.localtime(timezone.now() + timedelta(hours=2)).replace(minute=0, second=0, microsecond=0)
    if not 8 <= soon.hour <= 20:
        soon = local(days_ahead(1), 10)
    booking = services.book_room(
        room=room,
        booked_by=resident,
        starts_at=soon,
        ends_at=soon + timedelta(hours=1),
        created_by=staff,
        **booking_data(),
    )
    assert booking.status == Booking.Status.CONFIRMED
    far = local(days_ahead(60), 10)
    assert services.book_room(
        room=room,
        booked_by=resident,
        starts_at=far,
        ends_at=far + timedelta(hours=1),
        created_by=staff,
        **booking_data(),
    ).pk


def test_initiatives_only_room_is_refused_to_a_resident_without_initiative(resident):
    room = make_room(bookable_by="initiatives")
    assert "Initiativen" in refusal(room, resident, local(days_ahead(5), 10), local(days_ahead(5), 12))


def test_private_use_pays_fee_per_hour_and_deposit(resident):
    room = make_room(fee_per_hour=Decimal("20.00"), deposit=Decimal("150.00"))
    booking = book(room, resident, local(days_ahead(5), 15), local(days_ahead(5), 17, 30), private_use=True)
    assert booking.fee == Decimal("50.00")
    assert booking.deposit == Decimal("150.00")
    assert booking.deposit_state == Booking.DepositState.DUE
    free = book(room, resident, local(days_ahead(6), 15), local(days_ahead(6), 17))
    assert (free.fee, free.deposit) == (Decimal("0.00"), Decimal("0.00"))


def test_database_refuses_an_overlap_that_skips_the_check(postgres, resident):
    room = make_room()
    day = days_ahead(5)
    make_booking(room=room, booked_by=resident, starts_at=local(day, 10), ends_at=local(day, 12))
    with pytest.raises(IntegrityError):
        make_booking(room=room, booked_by=resident, starts_at=local(day, 11), ends_at=local(day, 13))


def test_a_constraint_violation_in_the_race_window_becomes_the_conflict_message(resident):
    """If another transaction slips in between check and insert, the user still gets the message."""
    room = make_room()
    day = days_ahead(5)
    with (
        mock.patch.object(services, "conflict_problems", return_value=[]),
        mock.patch.object(Booking, "save", side_effect=IntegrityError("rooms_booking_no_overlap")),
    ):
        message = refusal(room, resident, local(day, 10), local(day, 12))
    assert "bereits gebucht" in message


def test_booking_on_the_day_clocks_go_forward_keeps_local_times(resident):
    room = make_room()
    year = timezone.localdate().year + 1
    day = max(date(year, 3, d) for d in range(25, 32) if date(year, 3, d).weekday() == 6)  # last Sunday of March
    with mock.patch("django.utils.timezone.now", return_value=local(day - timedelta(days=10), 12)):
        booking = book(room, resident, local(day, 10), local(day, 12))
    assert booking.ends_at.timestamp() - booking.starts_at.timestamp() == 2 * 3600
    assert timezone.localtime(booking.starts_at).utcoffset() == timedelta(hours=2)


def test_a_booking_in_the_night_clocks_go_back_lasts_an_hour_longer(resident):
    room = make_room(hours=((0, 23),))
    year = timezone.localdate().year + 1
    day = max(date(year, 10, d) for d in range(25, 32) if date(year, 10, d).weekday() == 6)
    with mock.patch("django.utils.timezone.now", return_value=local(day - timedelta(days=10), 12)):
        booking = book(room, resident, local(day, 1), local(day, 4))
    assert booking.ends_at.timestamp() - booking.starts_at.timestamp() == 4 * 3600  # the night has an extra hour


def test_a_weekly_series_across_the_dst_change_keeps_its_local_time(resident):
    room = make_room()
    year = timezone.localdate().year + 1
    first = date(year, 3, 3)
    while first.weekday() != 1:
        first += timedelta(days=1)
    with mock.patch("django.utils.timezone.now", return_value=local(first - timedelta(days=5), 12)):
        dates = services.preview_series(
            room=room,
            booked_by=resident,
            starts_at=local(first, 18),
            ends_at=local(first, 20),
            frequency="weekly",
            count=6,
        )
    assert [timezone.localtime(d.starts_at).hour for d in dates] == [18] * 6
    offsets = {timezone.localtime(d.starts_at).utcoffset() for d in dates}
    assert offsets == {timedelta(hours=1), timedelta(hours=2)}


def test_series_preview_marks_conflicting_dates_and_booking_takes_the_free_ones(resident, initiative_lead):
    room = make_room()
    first = days_ahead(7)
    make_booking(
        room=room,
        booked_by=initiative_lead,
        starts_at=local(first + timedelta(days=14), 18),
        ends_at=local(first + timedelta(days=14), 19),
    )
    dates = services.preview_series(
        room=room, booked_by=resident, starts_at=local(first, 18), ends_at=local(first, 20), frequency="weekly", count=4
    )
    assert [d.is_free for d in dates] == [True, True, False, True]
    series = services.book_series(
        room=room,
        booked_by=resident,
        frequency="weekly",
        dates=[(d.starts_at, d.ends_at) for d in dates if d.is_free],
        **booking_data(),
    )
    assert series.bookings.count() == 3


def test_a_series_with_a_taken_date_books_nothing(resident, initiative_lead):
    room = make_room()
    first = days_ahead(7)
    dates = [(local(first + timedelta(weeks=n), 18), local(first + timedelta(weeks=n), 20)) for n in range(3)]
    make_booking(room=room, booked_by=initiative_lead, starts_at=dates[1][0], ends_at=dates[1][1])
    with pytest.raises(ValidationError):
        services.book_series(room=room, booked_by=resident, frequency="weekly", dates=dates, **booking_data())
    assert not BookingSeries.objects.exists()
    assert Booking.objects.count() == 1


def test_biweekly_until_a_date():
    first = days_ahead(7)
    dates = services.series_dates(
        starts_at=local(first, 18), ends_at=local(first, 20), frequency="biweekly", until=first + timedelta(days=43)
    )
    assert len(dates) == 4
    assert dates[1][0] - dates[0][0] == timedelta(days=14)


def test_user_cancels_before_the_deadline_and_frees_the_slot(resident, initiative_lead):
    room = make_room(cancellation_deadline_hours=24)
    booking = book(room, resident, local(days_ahead(5), 18), local(days_ahead(5), 20))
    services.cancel_booking(booking=booking, by=resident)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert book(room, initiative_lead, local(days_ahead(5), 18), local(days_ahead(5), 20)).pk


def test_user_cannot_cancel_after_the_deadline_but_staff_can(resident, staff):
    room = make_room(cancellation_deadline_hours=72)
    day = days_ahead(2)
    booking = make_booking(room=room, booked_by=resident, starts_at=local(day, 18), ends_at=local(day, 20))
    with pytest.raises(ValidationError) as error:
        services.cancel_booking(booking=booking, by=resident)
    assert "Frist" in " ".join(error.value.messages)
    services.cancel_booking(booking=booking, by=staff)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED


def test_another_user_cannot_cancel(resident, initiative_lead):
    room = make_room()
    booking = book(room, resident, local(days_ahead(5), 18), local(days_ahead(5), 20))
    with pytest.raises(ValidationError):
        services.cancel_booking(booking=booking, by=initiative_lead)


def test_cancel_rest_of_series_from_a_date(resident):
    room = make_room()
    first = days_ahead(7)
    dates = [(local(first + timedelta(weeks=n), 18), local(first + timedelta(weeks=n), 20)) for n in range(4)]
    series = services.book_series(room=room, booked_by=resident, frequency="weekly", dates=dates, **booking_data())
    count = services.cancel_series(series=series, by=resident, from_date=first + timedelta(weeks=2))
    assert count == 2
    assert list(series.bookings.order_by("starts_at").values_list("status", flat=True)) == [
        "confirmed",
        "confirmed",
        "cancelled",
        "cancelled",
    ]


def test_decline_needs_a_reason_and_frees_the_slot(resident, staff):
    room = make_room(requires_approval=True)
    booking = book(room, resident, local(days_ahead(5), 18), local(days_ahead(5), 20))
    with pytest.raises(ValidationError):
        services.decline_booking(booking=booking, by=staff, reason="  ")
    services.decline_booking(booking=booking, by=staff, reason="Raum wird renoviert")
    booking.refresh_from_db()
    assert (booking.status, booking.decline_reason) == ("declined", "Raum wird renoviert")
    assert book(room, staff, local(days_ahead(5), 18), local(days_ahead(5), 20)).pk


def test_confirm_only_requested_bookings(resident, staff):
    room = make_room(requires_approval=True)
    booking = book(room, resident, local(days_ahead(5), 18), local(days_ahead(5), 20))
    services.confirm_booking(booking=booking, by=staff)
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CONFIRMED
    with pytest.raises(ValidationError):
        services.confirm_booking(booking=booking, by=staff)


def test_free_slots_skip_busy_times_and_respect_notice(resident):
    room = make_room(min_notice_hours=0)
    day = days_ahead(3)
    make_booking(room=room, booked_by=resident, starts_at=local(day, 8), ends_at=local(day, 12))
    slots = availability.free_slots(room=room, after=local(day, 8), duration=timedelta(hours=2), count=2)
    assert slots[0] == (local(day, 12), local(day, 14))
    assert all(start >= timezone.now() for start, _end in slots)


def test_free_slots_for_many_rooms_need_no_query_per_room(django_assert_max_num_queries, resident):
    rooms = [make_room() for _ in range(8)]
    from rooms.models import Room

    rooms = list(Room.objects.filter(pk__in=[r.pk for r in rooms]).with_listing_data())
    after = timezone.now()
    with django_assert_max_num_queries(1):
        busy = availability.busy_intervals(rooms, after, after + timedelta(days=14))
        for room in rooms:
            availability.free_slots(room=room, after=after, busy=busy[room.pk])


def test_messages_name_times_in_berlin_time():
    moment = timezone.make_aware(datetime(2026, 7, 1, 18, 0))
    assert "18:00" in services.when(moment)


@pytest.mark.parametrize("moment", [datetime(1, 1, 1, 0, 30), datetime(9999, 12, 31, 23, 0)])
def test_times_near_year_1_or_9999_are_refused_with_a_message(resident, moment):
    start = timezone.make_aware(moment)
    end = start.replace(minute=45) if moment.year == 1 else start.replace(minute=30)
    message = refusal(make_room(), resident, start, end)
    assert "Datum zwischen" in message


def test_series_preview_near_year_9999_shows_one_refused_date(resident):
    start = timezone.make_aware(datetime(9999, 12, 20, 18))
    dates = services.preview_series(
        room=make_room(),
        booked_by=resident,
        starts_at=start,
        ends_at=start.replace(hour=20),
        frequency="weekly",
        count=10,
    )
    assert len(dates) == 1 and dates[0].problems


def test_naive_times_are_read_as_berlin_time(resident):
    day = days_ahead(5)
    booking = book(
        make_room(),
        resident,
        datetime.combine(day, datetime.min.time()).replace(hour=18),
        datetime.combine(day, datetime.min.time()).replace(hour=20),
    )
    assert timezone.localtime(booking.starts_at).hour == 18


def test_free_slots_skip_a_closure_of_the_location(resident):
    room = make_room(min_notice_hours=0)
    day = days_ahead(3)
    make_closure(location=room.location, starts_at=local(day, 0), ends_at=local(day + timedelta(days=1), 0))
    slots = availability.free_slots(room=room, after=local(day, 8), count=1)
    assert slots == [(local(day + timedelta(days=1), 8), local(day + timedelta(days=1), 10))]


def test_free_slots_stay_inside_the_bookable_hours(resident):
    room = make_room(min_notice_hours=0, hours=((9, 12), (14, 17)))
    day = days_ahead(3)
    slots = availability.free_slots(room=room, after=local(day, 11), duration=timedelta(hours=3), count=3)
    assert slots[0] == (local(day, 14), local(day, 17))
    for start, end in slots:
        assert timezone.localtime(start).hour in (9, 14) and timezone.localtime(end).hour in (12, 17)


def test_free_slots_never_offer_a_busy_time(resident):
    room = make_room(min_notice_hours=0)
    day = days_ahead(3)
    for hour in (8, 11, 15):
        make_booking(room=room, booked_by=resident, starts_at=local(day, hour), ends_at=local(day, hour + 2))
    slots = availability.free_slots(room=room, after=local(day, 8), duration=timedelta(hours=1), count=5)
    for start, end in slots:
        assert services.check_booking(room=room, starts_at=start, ends_at=end, attendees=1) == []


def test_free_slots_on_the_day_clocks_go_forward_keep_local_hours(resident):
    room = make_room(min_notice_hours=0, max_advance_days=3650)
    day = _next_spring_forward()  # 02:00 CET becomes 03:00 CEST
    slots = availability.free_slots(room=room, after=local(day, 0), count=1)
    assert [timezone.localtime(moment).hour for moment in slots[0]] == [8, 10]


def _next_spring_forward() -> date:
    """The next last Sunday of March (Europe/Berlin switches to summer time), at least a week ahead."""
    year = timezone.localdate().year
    while True:
        day = date(year, 3, 31)
        day -= timedelta(days=(day.weekday() - 6) % 7)
        if day > timezone.localdate() + timedelta(days=7):
            return day
        year += 1


def test_a_biweekly_series_across_the_autumn_change_keeps_its_local_time(resident):
    room = make_room()
    year = timezone.localdate().year + 1
    first = date(year, 10, 1)
    while first.weekday() != 3:
        first += timedelta(days=1)
    with mock.patch("django.utils.timezone.now", return_value=local(first - timedelta(days=5), 12)):
        series = services.book_series(
            room=room,
            booked_by=resident,
            frequency="biweekly",
            dates=[
                (d.starts_at, d.ends_at)
                for d in services.preview_series(
                    room=room,
                    booked_by=resident,
                    starts_at=local(first, 9, 30),
                    ends_at=local(first, 11),
                    frequency="biweekly",
                    count=4,
                )
            ],
            **booking_data(),
        )
    bookings = list(series.bookings.order_by("starts_at"))
    assert [timezone.localtime(b.starts_at).strftime("%H:%M") for b in bookings] == ["09:30"] * 4
    assert [(b.starts_at - bookings[0].starts_at).days for b in bookings][1:] == [14, 28, 42]
    assert {timezone.localtime(b.starts_at).utcoffset() for b in bookings} == {timedelta(hours=1), timedelta(hours=2)}


def test_booking_on_the_day_clocks_go_back_keeps_local_times(resident):
    room = make_room()
    year = timezone.localdate().year + 1
    day = max(date(year, 10, d) for d in range(25, 32) if date(year, 10, d).weekday() == 6)
    with mock.patch("django.utils.timezone.now", return_value=local(day - timedelta(days=10), 12)):
        booking = book(room, resident, local(day, 10), local(day, 12))
    assert timezone.localtime(booking.starts_at).strftime("%H:%M") == "10:00"
    assert timezone.localtime(booking.starts_at).utcoffset() == timedelta(hours=1)


def _fill(room, user, day, first_hour, last_hour):
    make_booking(room=room, booked_by=user, starts_at=local(day, first_hour), ends_at=local(day, last_hour))


def test_free_slots_see_bookings_on_days_beyond_after_plus_days_reached_through_the_notice(resident):
    """With 48 hours' notice the search runs over days 2–4 from today: bookings on day 4 (after
    `after + days`) must be fetched too, or a booked time on day 4 would be offered as free."""
    room = make_room(min_notice_hours=48)
    for day in (days_ahead(2), days_ahead(3)):
        _fill(room, resident, day, 8, 22)
    _fill(room, resident, days_ahead(4), 8, 20)
    slots = availability.free_slots(room=room, after=timezone.now(), days=3)
    assert slots == [(local(days_ahead(4), 20), local(days_ahead(4), 22))]


def test_room_list_offers_no_booked_time_beyond_the_first_days(client, resident):
    """Three windows a day: had the list's first look (three days) missed day 4's bookings, it would have
    found three "free" slots there and never looked again."""
    room = make_room(min_notice_hours=48, hours=((8, 12), (13, 17), (18, 22)))
    for day in (days_ahead(2), days_ahead(3)):
        _fill(room, resident, day, 8, 22)
    _fill(room, resident, days_ahead(4), 8, 12)
    _fill(room, resident, days_ahead(4), 13, 17)
    page = client.get("/raeume/").content.decode()
    assert f"date={days_ahead(4).isoformat()}&amp;start=08:00" not in page
    assert f"date={days_ahead(4).isoformat()}&amp;start=13:00" not in page
    assert f"date={days_ahead(4).isoformat()}&amp;start=18:00&amp;end=20:00" in page


def test_charges_are_the_fee_rule_of_booking_and_price_check():
    room = make_room(fee_per_hour=Decimal("20.00"), deposit=Decimal("150.00"))
    day = days_ahead(5)
    start, end = local(day, 18), local(day, 19, 30)
    assert room.charges(start, end, private_use=True) == (True, Decimal("30.00"), Decimal("150.00"))
    assert room.charges(start, end, private_use=False) == (False, Decimal("0.00"), Decimal("0.00"))
