"""iCalendar files: one booking (with REQUEST or CANCEL), a room's busy slots, a user's private feed."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from quartier import ics

PRODID = "-//Quartier//Raumbuchung//DE"
FEED_PAST_DAYS = 90


def _uid(booking) -> str:
    return ics.uid("booking", booking.pk)


def _status(booking, cancelled: bool = False) -> str:
    if cancelled:
        return "CANCELLED"
    return "CONFIRMED" if booking.status == "confirmed" else "TENTATIVE"


def _booking_event(booking, *, cancelled: bool = False):
    return ics.event(
        _uid(booking),
        f"{booking.title} ({booking.room.name})",
        booking.starts_at,
        booking.ends_at,
        location=f"{booking.room.name}, {booking.room.location.address}",
        description=settings.SITE_URL + booking.get_absolute_url(),
        status=_status(booking, cancelled),
        sequence=1 if cancelled else 0,
    )


def booking_ics(booking, method: str = "REQUEST") -> bytes:
    """The booking for the booker's calendar; METHOD:CANCEL removes it again."""
    return bookings_ics([booking], method)


def bookings_ics(bookings, method: str = "REQUEST") -> bytes:
    """One calendar file with several bookings (the dates of a series, for its one mail)."""
    cancelled = method == "CANCEL"
    calendar = ics.calendar(PRODID, name=bookings[0].room.name, method="CANCEL" if cancelled else "PUBLISH")
    for booking in bookings:
        calendar.add_component(_booking_event(booking, cancelled=cancelled))
    return ics.to_ical(calendar)


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
    calendar = ics.calendar(PRODID, name=room.name)
    for booking in room_feed_bookings(room) if bookings is None else bookings:
        calendar.add_component(
            ics.event(
                _uid(booking),
                str(booking.public_label),
                booking.starts_at,
                booking.ends_at,
                location=room.location.address,
                status=_status(booking),
            )
        )
    return ics.to_ical(calendar)


def user_feed(user, bookings=None) -> bytes:
    """A user's own bookings, for a private subscription URL."""
    calendar = ics.calendar(PRODID, name=_("My room bookings"))
    for booking in user_feed_bookings(user) if bookings is None else bookings:
        calendar.add_component(_booking_event(booking))
    return ics.to_ical(calendar)
