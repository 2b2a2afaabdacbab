"""iCalendar files: one booking (with REQUEST or CANCEL), a room's busy slots, a user's private feed."""

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

PRODID = "-//Quartier//Raumbuchung//DE"
FEED_PAST_DAYS = 90


def _calendar(name: str, method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    if method:
        calendar.add("method", method)
    return calendar


def _event(
    uid: str,
    summary: str,
    starts_at: datetime,
    ends_at: datetime,
    *,
    location: str = "",
    description: str = "",
    status: str = "CONFIRMED",
    sequence: int = 0,
) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", starts_at)
    event.add("dtend", ends_at)
    event.add("summary", summary)
    event.add("status", status)
    event.add("sequence", sequence)
    if location:
        event.add("location", location)
    if description:
        event.add("description", description)
    return event


def _uid(booking) -> str:
    return f"booking-{booking.pk}@{settings.SITE_URL.split('://', 1)[-1].split('/')[0]}"


def booking_ics(booking, method: str = "REQUEST") -> bytes:
    """The booking for the booker's calendar; METHOD:CANCEL removes it again."""
    cancelled = method == "CANCEL"
    calendar = _calendar(booking.room.name, method="CANCEL" if cancelled else "PUBLISH")
    status = "CANCELLED" if cancelled else ("CONFIRMED" if booking.status == "confirmed" else "TENTATIVE")
    calendar.add_component(
        _event(
            _uid(booking),
            f"{booking.title} ({booking.room.name})",
            booking.starts_at,
            booking.ends_at,
            location=f"{booking.room.name}, {booking.room.location.address}",
            description=settings.SITE_URL + booking.get_absolute_url(),
            status=status,
            sequence=1 if cancelled else 0,
        )
    )
    return calendar.to_ical()


def room_feed_bookings(room):
    """What a room's feed shows: bookings holding the slot, from FEED_PAST_DAYS ago on."""
    from .models import Booking

    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    return (
        Booking.objects.holding()
        .for_room(room)
        .filter(ends_at__gte=since)
        .only("pk", "room_id", "starts_at", "ends_at", "title", "show_title", "status")
    )


def user_feed_bookings(user):
    """What a user's private feed shows: their bookings holding a slot, from FEED_PAST_DAYS ago on."""
    from .models import Booking

    since = timezone.now() - timedelta(days=FEED_PAST_DAYS)
    return Booking.objects.holding().of_user(user).filter(ends_at__gte=since).select_related("room__location")


def room_feed(room, bookings=None) -> bytes:
    """Busy slots of a room: no personal data, the purpose only where the booker chose to show it."""
    calendar = _calendar(room.name)
    for booking in room_feed_bookings(room) if bookings is None else bookings:
        calendar.add_component(
            _event(
                _uid(booking),
                str(booking.public_label),
                booking.starts_at,
                booking.ends_at,
                location=room.location.address,
                status="CONFIRMED" if booking.status == "confirmed" else "TENTATIVE",
            )
        )
    return calendar.to_ical()


def user_feed(user, bookings=None) -> bytes:
    """A user's own bookings, for a private subscription URL."""
    calendar = _calendar(_("My room bookings"))
    for booking in user_feed_bookings(user) if bookings is None else bookings:
        calendar.add_component(
            _event(
                _uid(booking),
                f"{booking.title} ({booking.room.name})",
                booking.starts_at,
                booking.ends_at,
                location=f"{booking.room.name}, {booking.room.location.address}",
                status="CONFIRMED" if booking.status == "confirmed" else "TENTATIVE",
            )
        )
    return calendar.to_ical()
