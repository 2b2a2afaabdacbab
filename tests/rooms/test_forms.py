"""The rooms forms: input format, clock changes and what the booking would cost (no rules of the service)."""

from datetime import date, time, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from quartier.dates import DateInput, clock_change_problem
from rooms.forms import BookingForm, RoomSearchForm

from .factories import days_ahead, form_data, local, make_room

pytestmark = pytest.mark.django_db


def next_clock_change(month: int) -> date:
    """The next last Sunday of March (clocks forward) or October (back) in Europe/Berlin, at 02:00–03:00."""
    today = timezone.localdate()
    for year in (today.year, today.year + 1):
        last = date(year, month, 31)
        sunday = last - timedelta(days=(last.weekday() - 6) % 7)
        if sunday > today:
            return sunday
    raise AssertionError("unreachable")


SPRING_FORWARD, FALL_BACK = next_clock_change(3), next_clock_change(10)


@pytest.fixture(autouse=True)
def _english():
    """Messages compared in their msgid form, whatever the German catalogue says."""
    with translation.override("en"):
        yield


def _booking_form(day=None, start="18:00", end="20:00", user=None, **overrides):
    return BookingForm(form_data(day or days_ahead(10), start, end, **overrides), user=user)


def test_a_complete_booking_form_gives_aware_berlin_times(resident):
    form = _booking_form(days_ahead(10), "18:00", "20:00", user=resident)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_at"] == local(days_ahead(10), 18)
    assert timezone.localtime(form.cleaned_data["ends_at"]).hour == 20


def test_end_before_start_is_an_error_at_the_end_field(resident):
    form = _booking_form(start="20:00", end="18:00", user=resident)
    assert not form.is_valid()
    assert form.errors["end"] == ["The end must be after the start."]


def test_house_rules_must_be_accepted(resident):
    form = _booking_form(user=resident, accept_rules="")
    assert not form.is_valid()
    assert form.errors["accept_rules"] == ["Please accept the house rules."]


@pytest.mark.parametrize("phone", ["", "abc", "123", "0231 12345 <b>"])
def test_phone_needs_digits_and_phone_characters_only(resident, phone):
    assert "responsible_phone" in _booking_form(user=resident, responsible_phone=phone).errors


def test_whitespace_in_purpose_and_name_is_tidied(resident):
    form = _booking_form(user=resident, title="  Treffen   der  Gruppe ", responsible_name=" Maria   K. ")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["title"] == "Treffen der Gruppe"
    assert form.cleaned_data["responsible_name"] == "Maria K."


def test_a_series_needs_an_end_date_or_a_number_of_dates(resident):
    form = _booking_form(user=resident, repeat="weekly")
    assert not form.is_valid()
    assert "until" in form.errors
    assert _booking_form(user=resident, repeat="weekly", count="4").is_valid()


def test_a_series_ends_after_its_first_date_and_within_a_year(resident):
    day = days_ahead(10)
    assert "until" in _booking_form(day, user=resident, repeat="weekly", until=day.isoformat()).errors
    too_late = (day + timedelta(days=400)).isoformat()
    assert "until" in _booking_form(day, user=resident, repeat="biweekly", until=too_late).errors


def test_dates_far_outside_any_horizon_are_refused_as_typing_mistakes(resident):
    form = _booking_form(date(9999, 1, 1), user=resident)
    assert not form.is_valid()
    assert "date" in form.errors


def test_a_time_skipped_by_the_spring_clock_change_is_a_clear_error(resident):
    form = _booking_form(SPRING_FORWARD, "02:30", "04:00", user=resident)
    assert not form.is_valid()
    assert form.errors["start"] == [
        f"The clocks go forward on {SPRING_FORWARD:%d/%m/%Y}: 02:30 does not exist that day. "
        "Please choose another time."
    ]


def test_a_time_that_happens_twice_in_autumn_is_a_clear_error(resident):
    form = _booking_form(FALL_BACK, "01:00", "02:30", user=resident)
    assert not form.is_valid()
    assert "happens twice" in form.errors["end"][0]
    assert "start" not in form.errors


def test_ordinary_times_on_clock_change_days_are_fine():
    assert clock_change_problem(SPRING_FORWARD, time(18)) == ""
    assert clock_change_problem(FALL_BACK, time(3)) == ""
    assert clock_change_problem(FALL_BACK, time(1, 59)) == ""


def test_room_search_refuses_a_skipped_time_without_a_span():
    form = RoomSearchForm({"date": SPRING_FORWARD.isoformat(), "start": "02:15", "end": "05:00"})
    assert not form.is_valid()
    assert "start" in form.errors
    assert form.span() is None


def test_room_search_needs_a_date_for_times_and_both_times():
    assert "date" in RoomSearchForm({"start": "18:00", "end": "20:00"}).errors
    assert "end" in RoomSearchForm({"date": days_ahead(3).isoformat(), "start": "18:00"}).errors
    assert RoomSearchForm({"date": days_ahead(3).isoformat()}).is_valid()


def test_room_search_span_is_aware_berlin_time():
    form = RoomSearchForm({"date": days_ahead(3).isoformat(), "start": "18:00", "end": "20:00"})
    assert form.is_valid()
    assert form.span() == (local(days_ahead(3), 18), local(days_ahead(3), 20))


def test_native_date_input_does_not_echo_a_value_it_cannot_hold():
    widget = DateInput()
    assert widget.format_value("kein Datum") is None
    assert widget.format_value("2026-05-04") == "2026-05-04"
    assert 'type="date"' in widget.render("date", "nix")


def test_initiative_field_only_for_members(resident):
    assert "initiative" not in BookingForm(user=resident).fields


def test_costs_for_private_use_follow_the_room_price(resident):
    room = make_room(fee_per_hour=Decimal("20.00"), deposit=Decimal("150.00"))
    form = _booking_form(days_ahead(10), "18:00", "20:30", user=resident, private_use="on")
    assert form.is_valid(), form.errors
    assert form.costs(room) == (Decimal("50.00"), Decimal("150.00"))


def test_costs_are_none_when_the_booking_is_free(resident):
    priced, free = make_room(fee_per_hour=Decimal("20.00"), deposit=Decimal("150.00")), make_room()
    form = _booking_form(user=resident)
    assert form.is_valid()
    assert form.costs(priced) is None
    private = _booking_form(user=resident, private_use="on")
    assert private.is_valid()
    assert private.costs(free) is None
