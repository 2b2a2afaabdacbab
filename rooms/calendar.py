"""The week calendar of a room: a server-rendered grid of hours × days, and the same as a list per day."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .forms import aware
from .models import Booking, Closure, Room

FIRST_HOUR, LAST_HOUR = 7, 23  # the grid shows 07:00–23:00; bookable hours are usually 08–22


def week_start(value: str | None, today: date) -> date:
    """The Monday of the week asked for (?week=YYYY-MM-DD), or of this week when missing or malformed."""
    try:
        day = date.fromisoformat(value) if value else today
    except (TypeError, ValueError):
        day = today
    if abs((day - today).days) > 3660:
        day = today
    return day - timedelta(days=day.weekday())


@dataclass
class Cell:
    starts_at: datetime
    ends_at: datetime
    state: str  # free, busy, own, closed, unavailable, past
    label: str = ""
    booking: Booking | None = None
    href: str = ""  # booking form prefilled with this slot (free cells)
    when: str = ""  # "Mo 30.11. 10:00", for screen readers
    times: str = ""  # "10:00–12:00" of a booking, shown in the grid (the list layout has its own times)


@dataclass
class Day:
    date: date
    is_today: bool
    cells: list[Cell] = field(default_factory=list)
    periods: list[Cell] = field(default_factory=list)  # merged cells, for the list layout


@dataclass
class Week:
    start: date
    days: list[Day]
    hours: list[time]
    previous: date
    next: date

    @property
    def rows(self):
        """Table rows: (hour, [the cell of each day at that hour])."""
        return [(hour, [day.cells[index] for day in self.days]) for index, hour in enumerate(self.hours)]


def build_week(*, room: Room, start: date, user, book_url: str = "", now: datetime | None = None) -> Week:
    """The week from Monday `start`, with busy slots, closures, the user's own bookings and free hours."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    week_begin, week_end = aware(start, time.min), aware(start + timedelta(days=7), time.min)
    bookings = list(
        Booking.objects.holding().for_room(room).overlapping(week_begin, week_end).order_by("starts_at")
    )
    for booking in bookings:  # local times once, not once per cell
        booking.times = (
            f"{timezone.localtime(booking.starts_at):%H:%M}–{timezone.localtime(booking.ends_at):%H:%M}"
        )
    closures = list(Closure.objects.affecting(room).overlapping(week_begin, week_end))
    user_id = user.pk if user.is_authenticated else None
    staff = user.is_authenticated and user.is_staff
    # Free hours that the rules would refuse (too soon, too far ahead) are not offered as free.
    earliest = now if staff else now + timedelta(hours=room.min_notice_hours)
    latest = now + timedelta(days=room.max_advance_days)
    hours = [time(hour) for hour in range(FIRST_HOUR, LAST_HOUR)]
    days = []
    for offset in range(7):
        day = start + timedelta(days=offset)
        windows = room.bookable_hours_for(day.weekday())
        entry = Day(date=day, is_today=day == today)
        day_label = date_format(day, "D d.m.")
        day_begin, day_end = aware(day, time.min), aware(day + timedelta(days=1), time.min)
        day_bookings = [b for b in bookings if b.starts_at < day_end and b.ends_at > day_begin]
        day_closures = [c for c in closures if c.starts_at < day_end and c.ends_at > day_begin]
        for hour in hours:
            cell_start = aware(day, hour)
            cell_end = aware(day, hour) + timedelta(hours=1) if hour.hour < 23 else aware(day, time(23, 59))
            cell = _cell(cell_start, cell_end, hour, windows, day_bookings, day_closures, user_id, now)
            if cell.state == "free" and (cell_start < earliest or cell_end > latest):
                cell.state, cell.label = "unavailable", pgettext("room calendar", "not bookable yet or any more")
            if cell.state == "free":
                end_hour = f"{hour.hour + 1:02d}:00" if hour.hour < 23 else "23:59"
                cell.href = f"{book_url}?date={day.isoformat()}&start={hour:%H:%M}&end={end_hour}"
                cell.when = f"{day_label} {hour:%H:%M}"
            entry.cells.append(cell)
        entry.periods = _merge(entry.cells)
        days.append(entry)
    return Week(start=start, days=days, hours=hours, previous=start - timedelta(days=7),
                next=start + timedelta(days=7))


def _cell(start, end, hour, windows, bookings, closures, user_id, now) -> Cell:
    for closure in closures:
        if closure.starts_at < end and closure.ends_at > start:
            return Cell(start, end, "closed", _("closed: {reason}").format(reason=closure.reason))
    for booking in bookings:
        if booking.starts_at < end and booking.ends_at > start:
            if booking.booked_by_id == user_id:
                label = _("your booking: {title}").format(title=booking.title)
                if booking.status == Booking.Status.REQUESTED:
                    label += " (" + _("requested") + ")"
                return Cell(start, end, "own", label, booking, times=booking.times)
            return Cell(start, end, "busy", str(booking.public_label), booking, times=booking.times)
    last_minute = time(hour.hour, 59)
    if not any(opens <= hour and last_minute < closes for opens, closes in windows):
        return Cell(start, end, "unavailable", pgettext("room calendar", "not bookable"))
    if end <= now:
        return Cell(start, end, "past", pgettext("room calendar", "past"))
    return Cell(start, end, "free", pgettext("room calendar", "free"))


def _merge(cells: list[Cell]) -> list[Cell]:
    """Neighbouring cells with the same state and booking become one period (for the list layout)."""
    periods: list[Cell] = []
    for cell in cells:
        last = periods[-1] if periods else None
        if last and last.state == cell.state and last.label == cell.label and last.booking == cell.booking:
            last.ends_at = cell.ends_at
        else:
            periods.append(Cell(cell.starts_at, cell.ends_at, cell.state, cell.label, cell.booking, cell.href))
    return [period for period in periods if period.state != "unavailable"]
