"""A room's door sign, the house's entrance screen and the week's notice sheet (Aushang).

Public pages without login and without personal data: a booking shows only its public label (its title when the
booker chose to show it, else "booked"), a request that awaits the office as held, a closure with its reason. The
screens reload themselves every minute with `<meta http-equiv="refresh">`, no JavaScript (see REFRESH_SECONDS).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_safe

from quartier.dates import aware
from quartier.exports import as_download, pdf_from_html, stylesheet

from .calendar import iso_week, iso_week_start
from .models import Booking, Closure, Location, Room

# Once a minute: a booking that starts, ends or is entered at the office shows within a minute, which is as
# exact as a sign read in passing needs; a screen costs one small request (four queries) a minute. A meta
# refresh works on old tablets and kiosk browsers and needs no script under the Content-Security-Policy.
REFRESH_SECONDS = 60
# Only the screen at the door reloads (?bildschirm=1, the address set up on the tablet): a page that reloads by
# itself throws a screen-reader user back to its top (WCAG 2.2.1), so the same page opened from the room's page
# does not, and the screen offers a link that turns the reloading off.
SCREEN_PARAMETER = "bildschirm"


@dataclass(frozen=True)
class Entry:
    """Something that takes a room in a period: a booking (busy or held) or a closure, with its public label."""

    starts_at: datetime
    ends_at: datetime
    state: str  # busy, held, offered (for the waiting list), closed
    label: str

    def within(self, day: date) -> "Entry":
        """The part of the entry on one day (a closure over the holidays covers the whole day)."""
        begin, end = aware(day, time.min), aware(day + timedelta(days=1), time.min)
        return Entry(max(self.starts_at, begin), min(self.ends_at, end), self.state, self.label)

    @property
    def all_day(self) -> bool:
        start, end = timezone.localtime(self.starts_at), timezone.localtime(self.ends_at)
        return start.time() == time.min and (end - start) >= timedelta(hours=23)

    @property
    def span(self) -> str:
        if self.all_day:
            return _("all day")
        end = timezone.localtime(self.ends_at)
        end_text = "24:00" if end.time() == time.min else f"{end:%H:%M}"
        return f"{timezone.localtime(self.starts_at):%H:%M}–{end_text}"


def entries_by_room(rooms, begin: datetime, end: datetime) -> dict[int, list[Entry]]:
    """What takes each room between `begin` and `end`, sorted: in two queries whatever the number of bookings
    (the public label needs title and status, which `services.busy_intervals` does not load)."""
    rooms = list(rooms)
    entries: dict[int, list[Entry]] = {room.pk: [] for room in rooms}
    booked, held = pgettext("room calendar", "booked"), pgettext("room calendar", "held")
    offered = pgettext("room calendar", "reserved for the waiting list")
    bookings = (
        Booking.objects.holding()
        .filter(room__in=rooms)
        .overlapping(begin, end)
        .order_by()
        .values_list("room_id", "starts_at", "ends_at", "status", "title", "show_title")
    )
    for room_id, starts_at, ends_at, status, title, show_title in bookings:
        label = title if show_title else booked  # the one public label, as Booking.public_label
        if status == Booking.Status.OFFERED:  # as Booking.is_offered: held for the waiting list, not "vorgemerkt"
            entries[room_id].append(Entry(starts_at, ends_at, "offered", offered))
        elif status == Booking.Status.REQUESTED:  # as Booking.is_held
            entries[room_id].append(Entry(starts_at, ends_at, "held", f"{label} ({held})" if show_title else held))
        else:
            entries[room_id].append(Entry(starts_at, ends_at, "busy", label))
    by_location: dict[int, list[int]] = {}
    for room in rooms:
        by_location.setdefault(room.location_id, []).append(room.pk)
    closures = Closure.objects.overlapping(begin, end).filter(Q(room__in=rooms) | Q(location_id__in=by_location))
    closed = _("closed: {reason}")
    for room_id, location_id, starts_at, ends_at, reason in closures.order_by().values_list(
        "room_id", "location_id", "starts_at", "ends_at", "reason"
    ):
        for target in [room_id] if room_id else by_location.get(location_id, []):
            entries[target].append(Entry(starts_at, ends_at, "closed", closed.format(reason=reason)))
    for room_entries in entries.values():
        room_entries.sort(key=lambda entry: (entry.starts_at, entry.ends_at))
    return entries


@dataclass
class DoorState:
    """A room today: what takes it now, what comes later today, and until when it is free."""

    room: Room
    now: Entry | None
    later: list[Entry]
    free_until: datetime | None = None  # free now and taken again at this time today

    @property
    def free_until_text(self) -> str:
        return f"{timezone.localtime(self.free_until):%H:%M}" if self.free_until else ""


def door_state(room: Room, entries: list[Entry], now: datetime) -> DoorState:
    """The sign's three lines from the entries of today: now, later today, free until."""
    today = timezone.localtime(now).date()
    current = [entry for entry in entries if entry.starts_at <= now < entry.ends_at]
    later = [entry.within(today) for entry in entries if entry.starts_at > now]
    # A closure outranks a booking in the same time, as in the week calendar.
    current.sort(key=lambda entry: entry.state != "closed")
    state = DoorState(room=room, now=current[0].within(today) if current else None, later=later)
    if state.now is None and later:
        state.free_until = later[0].starts_at
    return state


def _today(now: datetime) -> tuple[datetime, datetime]:
    today = timezone.localtime(now).date()
    return aware(today, time.min), aware(today + timedelta(days=1), time.min)


def qr_svg(url: str, title: str) -> str:
    """A QR code as inline SVG (segno): sharp at any size, printed in the PDF, and no image request."""
    import segno  # here, not at start-up: only a door sign draws a QR code (a worker's memory, issue 18)

    svg = segno.make(url, error="m").svg_inline(scale=1, title=title, svgclass="qr", lineclass=None, omitsize=True)
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # segno escapes the title


def _room_qr(request, room: Room) -> str:
    """The room's page (week calendar, free slots and the booking button), where booking starts."""
    url = request.build_absolute_uri(room.get_absolute_url())
    return qr_svg(url, _("QR code: book {room} online").format(room=room.name))


def _door_response(request, template: str, context: dict) -> HttpResponse:
    screen = request.GET.get(SCREEN_PARAMETER) == "1"
    context |= {
        "refresh_seconds": REFRESH_SECONDS if screen else None,
        "screen_url": request.build_absolute_uri(f"{request.path}?{SCREEN_PARAMETER}=1"),
    }
    response = render(request, template, context)
    response["Cache-Control"] = f"max-age={REFRESH_SECONDS // 2}"  # a proxy may share it: the page is public
    return response


@require_safe
def room_today(request, slug):
    """The door sign: the room's name, what takes it now, later today, free until when, the phone, a QR code."""
    room = get_object_or_404(Room.objects.active().select_related("location"), slug=slug)
    now = timezone.now()
    entries = entries_by_room([room], *_today(now))[room.pk]
    return _door_response(
        request,
        "rooms/door_room.html",
        {
            "state": door_state(room, entries, now),
            "now": now,
            "qr": _room_qr(request, room),
        },
    )


@require_safe
def location_today(request, slug):
    """The entrance screen: every room of the house today."""
    location = get_object_or_404(Location, slug=slug)
    rooms = list(location.rooms.active().order_by("name"))
    for room in rooms:
        room.location = location  # no query per room for its location
    now = timezone.now()
    entries = entries_by_room(rooms, *_today(now))
    return _door_response(
        request,
        "rooms/door_location.html",
        {
            "location": location,
            "states": [door_state(room, entries[room.pk], now) for room in rooms],
            "now": now,
        },
    )


@dataclass
class NoticeDay:
    date: date
    entries: list[Entry] = field(default_factory=list)


def _notice_context(request, slug) -> dict:
    room = get_object_or_404(Room.objects.active().select_related("location"), slug=slug)
    today = timezone.localdate()
    start = iso_week_start(request.GET.get("woche"), today)
    end = start + timedelta(days=7)
    entries = entries_by_room([room], aware(start, time.min), aware(end, time.min))[room.pk]
    days = []
    for offset in range(7):
        day = start + timedelta(days=offset)
        begin, finish = aware(day, time.min), aware(day + timedelta(days=1), time.min)
        days.append(NoticeDay(day, [e.within(day) for e in entries if e.starts_at < finish and e.ends_at > begin]))
    return {
        "room": room,
        "days": days,
        "week": iso_week(start),
        "week_number": start.isocalendar()[1],
        "start": start,
        "end": end - timedelta(days=1),
        "previous_week": iso_week(start - timedelta(days=7)),
        "next_week": iso_week(end),
        "qr": _room_qr(request, room),
        "printed_at": timezone.now(),
    }


@require_safe
def room_notice(request, slug):
    """The week's plan of the room for the notice board, printed on A4 from the browser or as PDF."""
    return render(request, "rooms/notice.html", _notice_context(request, slug))


@require_safe
def room_notice_pdf(request, slug):
    context = _notice_context(request, slug)
    context["stylesheet"] = mark_safe(door_css())  # our own file, read from disk
    pdf = pdf_from_html(render_to_string("rooms/notice_pdf.html", context, request))
    response = HttpResponse(pdf, content_type="application/pdf")
    label = _("notice")  # outside the f-string: xgettext reads no f-strings
    name = f"{label}-{context['room'].slug}-{context['week']}.pdf"
    as_download(response, name)
    return response


def door_css() -> str:
    """The print rules of the notice sheet, the same file the page links, for the PDF (which fetches nothing)."""
    return stylesheet("css/door.css")
