"""The rooms' part of the open-data API (quartier/api.py): the bookable rooms and their busy times.

Public is what the room pages show: `Room.objects.active()`. Busy times come from `availability.busy_intervals`
(the room finder's): start and end only, never who booked or why. The locations' contact phone and e-mail
are left out: an API is no place for addresses to call or mail.
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from quartier import opendata

from . import availability
from .models import Room

router = Router(tags=["rooms"])

MAX_BUSY_DAYS = 62


class Named(Schema):
    slug: str = Field(description="Short name.")
    name: str = Field(description="Name.")


class Location(Schema):
    slug: str = Field(description="Short name of the building.")
    name: str = Field(description="Name of the building.")
    street: str = Field(description="Street and number.")
    postcode: str = Field(description="Postcode.")
    city: str = Field(description="City.")
    description: str = Field(description="Description of the building (plain text).")
    opening_hours: str = Field(description="Opening hours of the building, as the office writes them (plain text).")


class Accessibility(Schema):
    step_free: bool = Field(description="Step-free access to the room.")
    accessible_toilet: bool = Field(description="An accessible toilet.")
    hearing_loop: bool = Field(description="A hearing loop (induction loop) in the room.")


class Hours(Schema):
    weekday: int = Field(description="Day of the week: 0 Monday … 6 Sunday.")
    opens: time = Field(description="Bookable from (HH:MM:SS, local time Europe/Berlin).")
    closes: time = Field(description="Bookable until (HH:MM:SS, local time Europe/Berlin).")


class Photo(Schema):
    url: str = Field(description="Address of the photo.")
    alt_text: str = Field(description="Description of the photo for people who cannot see it.")

    @staticmethod
    def resolve_url(photo) -> str:
        return opendata.absolute(photo.image.url)


class BookingRules(Schema):
    bookable_by: str = Field(description="Who may book: `residents` (and initiatives) or `initiatives` only.")
    requires_approval: bool = Field(description="Requests wait for the office's approval.")
    min_duration_minutes: int = Field(description="Shortest booking (minutes).")
    max_duration_minutes: int = Field(description="Longest booking (minutes).")
    min_notice_hours: int = Field(description="Book at least this long before the start (hours).")
    max_advance_days: int = Field(
        description="Book at most this far ahead (days): initiatives and non-profit use (everyone without a window "
        "of their own)."
    )
    max_advance_days_private: int = Field(
        description="Private use (also a business's) books at most this far ahead (days); the same as "
        "`max_advance_days` unless the room sets a shorter window."
    )
    cancellation_deadline_hours: int = Field(description="Cancel free of charge until this long before (hours).")
    fee_per_hour: Decimal = Field(
        description="Fee per hour for private use (EUR, decimal string); non-profit use is free."
    )
    deposit: Decimal = Field(description="Deposit for private use (EUR, decimal string).")

    @staticmethod
    def resolve_max_advance_days(room) -> int:
        return room.advance_days(private_use=False)

    @staticmethod
    def resolve_max_advance_days_private(room) -> int:
        return room.advance_days(private_use=True)


class RoomOut(Schema):
    slug: str = Field(description="Short name of the room, unique; part of its address.")
    name: str = Field(description="Name of the room.")
    url: str = Field(description="The room's page on the portal (with its week calendar).")
    busy_url: str = Field(description="Its busy times in the API.")
    description: str = Field(description="Description (plain text).")
    location: Location = Field(description="The building the room is in.")
    capacity: int = Field(description="How many people the room holds (people).")
    area_m2: Decimal | None = Field(description="Floor area (square metres, decimal string), null if unknown.")
    equipment: list[Named] = Field(description="What the room offers (kitchen, projector …).")
    purposes: list[Named] = Field(description="What the room suits (meetings, celebrations …).")
    accessibility: Accessibility = Field(description="Accessibility facts.")
    bookable_hours: list[Hours] = Field(description="When the room can be booked, per weekday.")
    photos: list[Photo] = Field(description="Photos, in the order the office chose.")
    booking_rules: BookingRules = Field(description="The rules for booking (Nutzungsordnung).")
    house_rules: str = Field(description="House rules (plain text).")

    @staticmethod
    def resolve_url(room) -> str:
        return opendata.absolute(room.get_absolute_url())

    @staticmethod
    def resolve_busy_url(room) -> str:
        from django.urls import reverse

        return opendata.absolute(reverse("api:room_busy", args=[room.slug]))

    @staticmethod
    def resolve_equipment(room) -> list:
        return list(room.equipment.all())

    @staticmethod
    def resolve_purposes(room) -> list:
        return list(room.purposes.all())

    @staticmethod
    def resolve_accessibility(room):
        return room

    @staticmethod
    def resolve_booking_rules(room):
        return room

    @staticmethod
    def resolve_bookable_hours(room) -> list:
        return sorted(room.bookable_hours.all(), key=lambda hours: (hours.weekday, hours.opens))

    @staticmethod
    def resolve_photos(room) -> list:
        return list(room.photos.all())


class RoomPage(opendata.Page):
    items: list[RoomOut] = Field(description="The rooms of this page.")


class Interval(Schema):
    starts_at: datetime = Field(description="Busy from (ISO 8601, Europe/Berlin with its UTC offset).")
    ends_at: datetime = Field(description="Busy until (ISO 8601, Europe/Berlin with its UTC offset).")


class BusyOut(Schema):
    room: str = Field(description="Short name of the room.")
    date_from: date = Field(description="First day asked for (YYYY-MM-DD, local).")
    date_to: date = Field(description="Last day asked for (YYYY-MM-DD, local).")
    busy: list[Interval] = Field(
        description="Times the room is booked, requested or closed, overlapping the days asked for, in order. "
        "Only start and end: no purpose, no person."
    )
    licence: opendata.Licence = Field(description="The licence of the data.")


class BusyOutBody(Schema):
    """`BusyOut` without the licence, which `item_answer` adds."""

    room: str
    date_from: date
    date_to: date
    busy: list[Interval]


class BusyQuery(Schema):
    date_from: date | None = Field(None, description="First day (YYYY-MM-DD, local); default today.")
    date_to: date | None = Field(
        None,
        description=f"Last day (YYYY-MM-DD, local); default a week after `date_from`, at most {MAX_BUSY_DAYS} days.",
    )


def _rooms():
    return Room.objects.active().with_listing_data().order_by("location__name", "name", "pk")


@router.get("/rooms/", response={200: RoomPage}, url_name="rooms", summary="Rooms", operation_id="list_rooms")
def rooms(request: HttpRequest, paging: Query[opendata.PageQuery]):
    """The rooms that can be booked, with their facts, hours, photos and rules."""
    return opendata.page_answer(request, apps=["rooms"], queryset=_rooms, schema=RoomOut, paging=paging)


@router.get(
    "/rooms/{slug}/",
    response={200: RoomOut, 404: opendata.NotFound},
    url_name="room",
    summary="One room",
    operation_id="get_room",
)
def room(request: HttpRequest, slug: str):
    """One room by its short name."""
    return opendata.item_answer(request, apps=["rooms"], get=lambda: _rooms().filter(slug=slug).first(), schema=RoomOut)


@router.get(
    "/rooms/{slug}/busy/",
    response={200: BusyOut, 400: opendata.NotFound, 404: opendata.NotFound},
    url_name="room_busy",
    summary="Busy times of a room",
    operation_id="room_busy",
)
def room_busy(request: HttpRequest, slug: str, query: Query[BusyQuery]):
    """When the room is not free in a range of days (at most 62): bookings, requests and closures."""
    first = query.date_from or timezone.localdate()
    last = query.date_to or first + timedelta(days=7)
    if last < first or (last - first).days > MAX_BUSY_DAYS:
        raise HttpError(400, f"date_to must be on or after date_from and at most {MAX_BUSY_DAYS} days later.")

    def get():
        room = Room.objects.active().filter(slug=slug).first()
        if room is None:
            return None
        tz = timezone.get_current_timezone()
        starts_at = timezone.make_aware(datetime.combine(first, time.min), tz)
        ends_at = timezone.make_aware(datetime.combine(last + timedelta(days=1), time.min), tz)
        intervals = availability.busy_intervals([room], starts_at, ends_at)[room.pk]
        busy = [{"starts_at": opendata.local(start), "ends_at": opendata.local(end)} for start, end in intervals]
        return {"room": room.slug, "date_from": first, "date_to": last, "busy": busy}

    return opendata.item_answer(request, apps=["rooms"], get=get, schema=BusyOutBody, clock=True)
