"""The portal's one way to write iCalendar files (RFC 5545), for mails and downloads alike.

Times are written as local wall-clock times with `TZID=Europe/Berlin` (the portal's TIME_ZONE), and the calendar
carries the VTIMEZONE block RFC 5545 requires for every TZID it uses: a calendar program shows 18:00 as 18:00,
across the change to summer time too. The stamp (DTSTAMP) is UTC, as the RFC wants. rooms/ics.py and
events/ics.py say what goes into their calendars; how a calendar is written is said here.
"""

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone

if TYPE_CHECKING:
    from icalendar import Calendar, Event


def host() -> str:
    """The portal's host name, the right-hand side of every UID."""
    return settings.SITE_URL.split("://", 1)[-1].split("/")[0]


def uid(kind: str, pk) -> str:
    return f"{kind}-{pk}@{host()}"


def calendar(prodid: str, *, name: str = "", method: str | None = None) -> "Calendar":
    from icalendar import Calendar  # when a file is written, not at start-up (a worker's memory, issue 18)

    cal = Calendar()
    cal.add("prodid", prodid)
    cal.add("version", "2.0")
    if name:
        cal.add("x-wr-calname", name)
    if method:
        cal.add("method", method)
    return cal


def event(
    uid: str,
    summary: str,
    starts_at: datetime,
    ends_at: datetime,
    *,
    location: str = "",
    description: str = "",
    url: str = "",
    status: str = "CONFIRMED",
    sequence: int = 0,
) -> "Event":
    """One VEVENT; the times in the portal's time zone, whatever time zone the datetimes came in."""
    from icalendar import Event

    component = Event()
    component.add("uid", uid)
    component.add("dtstamp", timezone.now())
    component.add("dtstart", timezone.localtime(starts_at))
    component.add("dtend", timezone.localtime(ends_at))
    component.add("summary", summary)
    component.add("status", status)
    component.add("sequence", sequence)
    if location:
        component.add("location", location)
    if url:
        component.add("url", url)
    if description:
        component.add("description", description)
    return component


def to_ical(cal: "Calendar") -> bytes:
    """The file: with a VTIMEZONE for each time zone its events use, covering the years they span."""
    starts = [component.decoded("dtstart") for component in cal.walk("VEVENT")]
    ends = [component.decoded("dtend") for component in cal.walk("VEVENT")]
    if starts:
        first = min(starts).date()
        last = max(ends).date()
        cal.add_missing_timezones(first_date=date(first.year - 1, 1, 1), last_date=date(last.year + 2, 1, 1))
    return cal.to_ical()
