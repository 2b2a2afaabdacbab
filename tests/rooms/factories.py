"""Rooms test data: explicit local times in Europe/Berlin, rooms with the default rules."""

import itertools
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from rooms.models import BookableHours, Booking, Closure, Location, Room

_counter = itertools.count(1)


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def days_ahead(n: int) -> date:
    return timezone.localdate() + timedelta(days=n)


def make_location(**fields) -> Location:
    n = next(_counter)
    fields.setdefault("name", f"Haus {n}")
    fields.setdefault("slug", f"haus-{n}")
    fields.setdefault("street", "Bornstraße 12")
    fields.setdefault("postcode", "44145")
    return Location.objects.create(**fields)


def make_room(*, hours=((8, 22),), **fields) -> Room:
    """A room with the default rules, bookable every day in `hours`."""
    n = next(_counter)
    fields.setdefault("location", make_location())
    fields.setdefault("name", f"Raum {n}")
    fields.setdefault("slug", f"raum-{n}")
    fields.setdefault("capacity", 20)
    fields.setdefault("requires_approval", False)
    room = Room.objects.create(**fields)
    BookableHours.objects.bulk_create(
        BookableHours(room=room, weekday=day, opens=time(opens), closes=time(closes))
        for day in range(7)
        for opens, closes in hours
    )
    return room


def make_booking(*, room=None, booked_by, starts_at, ends_at, **fields) -> Booking:
    """A booking saved directly (no rule checks): for setting up a situation."""
    fields.setdefault("title", "Treffen")
    fields.setdefault("attendees", 5)
    fields.setdefault("responsible_name", "Maria Kowalski")
    fields.setdefault("responsible_phone", "0231 123456")
    fields.setdefault("responsible_email", "maria@example.org")
    fields.setdefault("status", Booking.Status.CONFIRMED)
    return Booking.objects.create(
        room=room or make_room(), booked_by=booked_by, starts_at=starts_at, ends_at=ends_at, **fields
    )


def make_closure(*, room=None, location=None, starts_at, ends_at, reason="Renovierung") -> Closure:
    return Closure.objects.create(room=room, location=location, starts_at=starts_at, ends_at=ends_at, reason=reason)


def booking_data(**overrides) -> dict:
    """Keyword arguments for services.book_room besides room, user and times."""
    data = {
        "title": "Mieterversammlung",
        "attendees": 10,
        "responsible_name": "Maria Kowalski",
        "responsible_phone": "0231 123456",
        "responsible_email": "maria@example.org",
    }
    data.update(overrides)
    return data


def form_data(day: date, start: str, end: str, **overrides) -> dict:
    """POST data of the booking form."""
    data = {
        "date": day.isoformat(),
        "start": start,
        "end": end,
        "title": "Mieterversammlung",
        "attendees": "10",
        "responsible_name": "Maria Kowalski",
        "responsible_phone": "0231 123456",
        "responsible_email": "maria@example.org",
        "repeat": "none",
        "accept_rules": "on",
    }
    data.update(overrides)
    return data
