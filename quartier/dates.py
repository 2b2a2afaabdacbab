"""Dates and times of the whole portal: native date/time inputs, local times that exist, the one plausible-date rule
and the one "ends after it starts" rule.

Plausible: a date within `PLAUSIBLE_YEARS` calendar years before or after today's year. Anything else is a typing
mistake (2062 for 2026), and year 1 or 9999 would overflow time-zone arithmetic. Only wall-clock dates are compared,
so that the check never converts such a value. Booking horizons of a room (notice, advance) are a rule of the room
(`Room.booking_window`), not of plausibility.

Ends after it starts: a span of times ends strictly after its start; a span of dates may end on the day it starts.
Forms ask `check_form_span`, models' `clean()` `check_span`, and the database holds the same rule as a
`span_constraint` with the same message.
"""

from datetime import UTC, date, datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy

PLAUSIBLE_YEARS = 10
END_BEFORE_START = gettext_lazy("The end must be after the start.")


# --- Plausible dates ---------------------------------------------------------------------------------------


def plausible_range(today: date | None = None) -> tuple[date, date]:
    """The first and last plausible day."""
    year = (today or timezone.localdate()).year
    return date(year - PLAUSIBLE_YEARS, 1, 1), date(year + PLAUSIBLE_YEARS, 12, 31)


def plausible_year(year: int, today: date | None = None) -> bool:
    first, last = plausible_range(today)
    return first.year <= year <= last.year


def implausible(*moments, today: date | None = None) -> str:
    """The message if one of the dates or datetimes (None ignored) is not plausible, else ""."""
    first, last = plausible_range(today)
    days = [m.date() if isinstance(m, datetime) else m for m in moments if m is not None]
    if all(first <= day <= last for day in days):
        return ""
    return gettext("Please choose a date between %(start)s and %(end)s.") % {
        "start": date_format(first, "SHORT_DATE_FORMAT"),
        "end": date_format(last, "SHORT_DATE_FORMAT"),
    }


def validate_plausible(value) -> None:
    """Validator for date and datetime fields of forms and models."""
    if problem := implausible(value):
        raise ValidationError(problem, code="implausible")


def implausible_fields(instance, *names) -> dict:
    """Errors by field name for a model's `clean()`: each named date/datetime field that is not plausible."""
    return {name: problem for name in names if (problem := implausible(getattr(instance, name)))}


# --- Ends after it starts -----------------------------------------------------------------------------------


def ends_before_start(start, end) -> bool:
    """True if a span ends before it starts (times: also if it ends when it starts; dates: the same day is fine)."""
    if start is None or end is None:
        return False
    if isinstance(end, datetime) or not isinstance(end, date):  # datetimes and times of day
        return end <= start
    return end < start


def check_span(instance, start: str = "starts_at", end: str = "ends_at") -> dict:
    """Errors by field name for a model's `clean()` if the span named by the two fields ends before it starts."""
    if ends_before_start(getattr(instance, start), getattr(instance, end)):
        return {end: END_BEFORE_START}
    return {}


def check_form_span(form, data: dict, start: str = "start", end: str = "end") -> bool:
    """Adds the error to the form's end field if its span ends before it starts; True if it does not."""
    if ends_before_start(data.get(start), data.get(end)):
        form.add_error(end, END_BEFORE_START)
        return False
    return True


def span_constraint(name: str, start: str, end: str, *, days: bool = False, may_be_empty=()) -> models.CheckConstraint:
    """The database check of the rule for a model's `Meta.constraints`, with the rule's one message.

    `days`: the fields are dates (the span may end on the day it starts); `may_be_empty`: the fields that may be
    NULL, in which case there is nothing to check.
    """
    condition = models.Q(**{f"{end}__gte" if days else f"{end}__gt": models.F(start)})
    for field in reversed(may_be_empty):
        condition = models.Q(**{f"{field}__isnull": True}) | condition
    return models.CheckConstraint(
        condition=condition,
        name=name,
        violation_error_message=END_BEFORE_START,
        violation_error_code="end_before_start",
    )


# --- Local times ----------------------------------------------------------------------------------------------


def aware(day, moment):
    """A local date and time as an aware datetime in the portal's time zone (Europe/Berlin)."""
    return timezone.make_aware(datetime.combine(day, moment), timezone.get_current_timezone())


def clock_change_problem(day, moment) -> str:
    """Why a local time cannot name one moment on a daylight-saving day ("" if it can): in spring 02:30
    does not exist, in autumn 02:30 happens twice. make_aware() would silently pick one; we ask instead."""
    zone = timezone.get_current_timezone()
    naive = datetime.combine(day, moment)
    first, second = naive.replace(tzinfo=zone), naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return ""
    values = {"date": date_format(day, "SHORT_DATE_FORMAT"), "time": moment.strftime("%H:%M")}
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        return (
            gettext("The clocks go forward on %(date)s: %(time)s does not exist that day. Please choose another time.")
            % values
        )
    return (
        gettext("The clocks go back on %(date)s: %(time)s happens twice that day. Please choose another time.") % values
    )


def check_clock_change(form, data) -> None:
    """Adds a form error to start or end if it falls into a daylight-saving gap or overlap."""
    for name in ("start", "end"):
        if data.get("date") and data.get(name) and name not in form.errors:
            problem = clock_change_problem(data["date"], data[name])
            if problem:
                form.add_error(name, problem)


# --- Widgets --------------------------------------------------------------------------------------------------


class _NativeInputMixin:
    """A native date/time input: a typed value it cannot hold is not echoed back (invalid HTML, and the
    browser would drop it anyway); the error message says what was wrong."""

    def format_value(self, value):
        if isinstance(value, str):
            try:
                datetime.strptime(value.strip(), self.format)
            except ValueError:
                return None
        return super().format_value(value)


class DateInput(_NativeInputMixin, forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(_NativeInputMixin, forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")


def plausible_date_field(**kwargs) -> forms.DateField:
    """A form field for a date with the native input and the plausible-date rule."""
    kwargs.setdefault("widget", DateInput)
    kwargs["validators"] = [*kwargs.get("validators", ()), validate_plausible]
    return forms.DateField(**kwargs)
