"""The week calendar of a room: a server-rendered grid of hours × days, and the same as a list per day."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.formats import time_format
from django.utils.safestring import SafeString
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext as _

from quartier.dates import aware
from quartier.formats import write, writer
from quartier.sql import plain_objects
from quartier.staff import is_office_staff
from quartier.template_values import escaped

from .models import Booking, Closure, Room

FIRST_HOUR, LAST_HOUR = 7, 23  # the grid shows 07:00–23:00; bookable hours are usually 08–22
TAKEN = ("busy", "held", "offered")  # someone else's: the waiting list can be joined for it


def week_start(value: str | None, today: date) -> date:
    """The Monday of the week asked for (?week=YYYY-MM-DD), or of this week when missing or malformed."""
    try:
        day = date.fromisoformat(value) if value else today
    except (TypeError, ValueError):
        day = today
    if abs((day - today).days) > 3660:
        day = today
    return day - timedelta(days=day.weekday())


def iso_week_start(value: str | None, today: date) -> date:
    """The Monday of an ISO week asked for as ?woche=2026-W50, or of this week when missing or malformed."""
    match = re.fullmatch(r"(\d{4})-W(\d{1,2})", (value or "").strip())
    try:
        day = date.fromisocalendar(int(match[1]), int(match[2]), 1) if match else today
    except ValueError:
        day = today
    return week_start(day.isoformat(), today)


def iso_week(day: date) -> str:
    """The ISO week of a day as 2026-W50 (the value ?woche= takes)."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass
class Cell:
    starts_at: datetime
    ends_at: datetime
    state: str  # free, busy, held, own, closed, unavailable, past
    label: str = ""
    booking: Booking | None = None
    href: str = ""  # booking form prefilled with this slot (free cells); the waiting list (taken cells)
    when: str = ""  # "Mo 30.11. 10:00", for screen readers
    times: str = ""  # "10:00–12:00" of a booking, shown in the grid (the list layout has its own times)
    html: str = ""  # the grid cell's content, formatted once here (112 cells a week; template tags cost more)
    span: str = ""  # "10:00–12:00" of a period of the list layout
    waitlist_label: str = ""  # "Join the waiting list" on a taken cell with `href`


@dataclass
class Day:
    date: date
    is_today: bool
    cells: list[Cell] = field(default_factory=list)
    periods: list[Cell] = field(default_factory=list)  # merged cells, for the list layout
    periods_html: str = ""  # the list layout's items of this day, formatted once here (`_periods_html`)


@dataclass
class Week:
    start: date
    days: list[Day]
    hours: list[time]
    previous: date
    next: date

    @property
    def rows_html(self) -> SafeString:
        """The grid's table rows: each hour with the cell of each day (`_cell_td`), as room_detail.html's loop
        wrote them (as template variables and filters, the grid's 16 rows and 112 cells cost a fifth of the page,
        issue 18)."""
        parts = []
        for index, hour in enumerate(self.hours):
            cells = "".join(_cell_td(day.cells[index]) for day in self.days)
            clock = escaped(time_format(hour, "TIME_FORMAT"))
            parts.append(
                f'\n        <tr>\n          <th scope="row">{clock}</th>\n          {cells}\n        </tr>\n        '
            )
        return SafeString("".join(parts))

    @property
    def head_html(self) -> SafeString:
        """The grid's column heads, a day each (weekday, date, "today"), as the template's loop wrote them."""
        weekday, day_month, today = writer("D"), writer("DAY_MONTH_FORMAT"), gettext("today")
        parts = []
        for day in self.days:
            current = ' class="today" aria-current="date"' if day.is_today else ""
            mark = f'<br><span class="today-mark">{today}</span>' if day.is_today else ""  # as {% translate %}
            parts.append(
                f'\n          <th scope="col"{current}>{escaped(weekday(day.date))}<br>'
                f"{escaped(day_month(day.date))}{mark}</th>\n          "
            )
        return SafeString("".join(parts))

    @property
    def list_html(self) -> SafeString:
        """The list layout: each day's heading and periods (`Day.periods_html`), as the template's loop wrote it."""
        heading, today = writer("WEEKDAY_DATE_FORMAT"), gettext("today")
        parts = []
        for day in self.days:
            current = ' aria-current="date"' if day.is_today else ""
            mark = f" ({today})" if day.is_today else ""  # as {% translate %} writes it
            parts.append(
                f"\n    <h3{current}>{escaped(heading(day.date))}{mark}</h3>\n    <ul>\n      "
                f"{day.periods_html}\n    </ul>\n    "
            )
        return SafeString("".join(parts))


def _labels() -> dict:
    """The texts of the cells, translated once per week rather than once per cell."""
    return {
        "closed": _("closed: {reason}"),
        "own": _("your booking: {title}"),
        "requested": " (" + _("requested") + ")",
        "held": " (" + pgettext("room calendar", "held") + ")",
        "offered": pgettext("room calendar", "reserved for the waiting list"),
        "waitlist": _("Join the waiting list"),
        "unavailable": pgettext("room calendar", "not bookable"),
        "past": pgettext("room calendar", "past"),
        "free": pgettext("room calendar", "free"),
        "not_yet": pgettext("room calendar", "not bookable yet or any more"),
    }


def build_week(
    *, room: Room, start: date, user, book_url: str = "", waitlist_url: str = "", now: datetime | None = None
) -> Week:
    """The week from Monday `start`, with busy slots, closures, the user's own bookings and free hours; with a
    `waitlist_url`, someone else's booking ahead offers the waiting list for its time."""
    now = now or timezone.now()
    zone = timezone.get_current_timezone()
    today = timezone.localtime(now).date()
    week_begin, week_end = aware(start, time.min), aware(start + timedelta(days=7), time.min)
    bookings = plain_objects("rooms.week_bookings", _week_bookings, room.pk, week_begin, week_end)
    labels = _labels()
    user_id = user.pk if user.is_authenticated else None
    for booking in bookings:  # local times and labels once, not once per cell
        booking.times = _span(booking.starts_at.astimezone(zone), booking.ends_at.astimezone(zone))
        if booking.booked_by_id == user_id:
            booking.cell_state = "own"
            booking.cell_label = labels["own"].format(title=booking.title)
            if booking.status == Booking.Status.REQUESTED:
                booking.cell_label += labels["requested"]
        elif booking.is_offered:  # freed and held for the first person on the waiting list
            booking.cell_state, booking.cell_label = "offered", labels["offered"]
        elif booking.is_held:  # someone's request awaiting the office: the slot is held, not yet booked
            booking.cell_state, booking.cell_label = "held", str(booking.public_label) + labels["held"]
        else:
            booking.cell_state, booking.cell_label = "busy", str(booking.public_label)
    closures = plain_objects("rooms.week_closures", _week_closures, room.pk, room.location_id, week_begin, week_end)
    staff = is_office_staff(user)
    # Free hours that the rules would refuse (too soon, too far ahead) are not offered as free.
    earliest, latest = room.booking_window(now, staff=staff)
    hours = [time(hour) for hour in range(FIRST_HOUR, LAST_HOUR)]
    escape = _escaper()
    days = []
    for offset in range(7):
        day = start + timedelta(days=offset)
        windows = room.bookable_hours_for(day.weekday())
        entry = Day(date=day, is_today=day == today)
        day_label = write(day, "SHORT_WEEKDAY_DAY_MONTH_FORMAT")
        free_link = f"{escape(book_url)}?date={day.isoformat()}&amp;start="  # what `escape(cell.href)` writes
        day_begin, day_end = aware(day, time.min), aware(day + timedelta(days=1), time.min)
        day_bookings = [b for b in bookings if b.starts_at < day_end and b.ends_at > day_begin]
        day_closures = [c for c in closures if c.starts_at < day_end and c.ends_at > day_begin]
        for hour in hours:
            cell_start = timezone.make_aware(datetime.combine(day, hour), zone)
            cell_end = cell_start + timedelta(hours=1) if hour.hour < 23 else aware(day, time(23, 59))
            cell = _cell(cell_start, cell_end, hour, windows, day_bookings, day_closures, now, labels)
            if cell.state == "free" and (cell_start < earliest or cell_end > latest):
                cell.state, cell.label = "unavailable", labels["not_yet"]
            if cell.state == "free":
                end_hour = f"{hour.hour + 1:02d}:00" if hour.hour < 23 else "23:59"
                cell.href = f"{book_url}?date={day.isoformat()}&start={hour:%H:%M}&end={end_hour}"
                cell.when = f"{day_label} {hour:%H:%M}"
            elif waitlist_url and cell.state in TAKEN and cell.booking.starts_at > now:
                begin, end = cell.booking.starts_at.astimezone(zone), cell.booking.ends_at.astimezone(zone)
                if begin.date() == end.date():
                    cell.href = f"{waitlist_url}?date={begin.date().isoformat()}&start={begin:%H:%M}&end={end:%H:%M}"
                    cell.when, cell.waitlist_label = f"{day_label} {hour:%H:%M}", labels["waitlist"]
            if cell.state == "free":  # the link's markup written here, without escaping each one's URL again
                cell.html = SafeString(
                    f'<a href="{free_link}{hour.hour:02d}:00&amp;end={end_hour}"><span class="visually-hidden">'
                    f"{escape(day_label)} {hour:%H:%M}: </span>{escape(cell.label)}</a>"
                )
            else:
                cell.html = _cell_html(cell, escape)
            entry.cells.append(cell)
        entry.periods = _merge(entry.cells, zone)
        entry.periods_html = _periods_html(entry.periods, escape)
        days.append(entry)
    return Week(start=start, days=days, hours=hours, previous=start - timedelta(days=7), next=start + timedelta(days=7))


def _week_bookings(room_id, week_begin, week_end):
    return (
        Booking.objects.holding()
        .filter(room_id=room_id)
        .overlapping(week_begin, week_end)
        .only("pk", "starts_at", "ends_at", "booked_by", "title", "status", "show_title")
        .order_by("starts_at")
    )


def _week_closures(room_id, location_id, week_begin, week_end):
    return Closure.objects.affecting(Room(pk=room_id, location_id=location_id)).overlapping(week_begin, week_end)


def _cell(start, end, hour, windows, bookings, closures, now, labels) -> Cell:
    for closure in closures:
        if closure.starts_at < end and closure.ends_at > start:
            return Cell(start, end, "closed", labels["closed"].format(reason=closure.reason))
    for booking in bookings:
        if booking.starts_at < end and booking.ends_at > start:
            return Cell(start, end, booking.cell_state, booking.cell_label, booking, times=booking.times)
    last_minute = time(hour.hour, 59)
    if not any(opens <= hour and last_minute < closes for opens, closes in windows):
        return Cell(start, end, "unavailable", labels["unavailable"])
    if end <= now:
        return Cell(start, end, "past", labels["past"])
    return Cell(start, end, "free", labels["free"])


def _escaper():
    """`escaped` for the week's texts, each distinct one escaped once: a week's 112 cells share a dozen labels
    and times."""
    done: dict[str, str] = {}

    def escape(text) -> str:
        if type(text) is not str:
            return escaped(text)
        value = done.get(text)
        if value is None:
            value = done[text] = escaped(text)
        return value

    return escape


def _cell_html(cell: Cell, escape=escaped) -> str:
    """What the grid shows in a cell: a link for a free hour, a hidden label for one that cannot be
    booked, the label (and times) of a booking or closure. Written as format_html would, a hundred times a week."""
    label = escape(cell.label)
    if cell.state == "free":
        return SafeString(
            f'<a href="{escaped(cell.href)}"><span class="visually-hidden">{escaped(cell.when)}: </span>{label}</a>'
        )
    if cell.state in ("unavailable", "past"):
        return SafeString(f'<span class="visually-hidden">{label}</span>')
    if cell.times and cell.href:
        return SafeString(
            f'{label}, <bdi dir="ltr">{escape(cell.times)}</bdi> <a href="{escape(cell.href)}"'
            f' class="cell-waitlist">{escape(cell.waitlist_label)}'
            f'<span class="visually-hidden">: {escape(cell.when)}</span></a>'
        )
    if cell.times:
        return SafeString(f'{label}, <bdi dir="ltr">{escape(cell.times)}</bdi>')  # LTR inside Arabic too
    return SafeString(label)


def _cell_td(cell: Cell) -> str:
    """A cell of the grid (its state is one of the fixed names above, its content formatted by `_cell_html`)."""
    return f'<td class="cell cell--{cell.state}">{cell.html}</td>\n'


def _periods_html(periods: list[Cell], escape=escaped) -> str:
    """The `<li>` of a day's periods in the list layout, as room_detail.html's loop over them wrote them (a week
    has some fifty periods; the loop's template nodes cost more than the grid)."""
    if not periods:
        return SafeString("<li>" + pgettext("room calendar", "not bookable") + "</li>")  # as {% translate %} writes it
    parts = []
    for period in periods:
        label = escape(period.label)
        if period.state == "free":
            content = f'<a href="{escape(period.href)}">{label}</a>'
        elif period.href:
            content = f'{label} · <a href="{escape(period.href)}">{escape(period.waitlist_label)}</a>'
        else:
            content = label
        parts.append(
            f'\n      <li class="period period--{period.state}"><bdi dir="ltr">{escape(period.span)}</bdi>:'
            f"\n        {content}</li>\n      "
        )
    return SafeString("".join(parts))


def _span(begin: datetime, end: datetime) -> str:
    """ "10:00–12:00" of two local times."""
    return f"{begin.hour:02d}:{begin.minute:02d}–{end.hour:02d}:{end.minute:02d}"


def _merge(cells: list[Cell], zone) -> list[Cell]:
    """Neighbouring cells with the same state and booking become one period (for the list layout)."""
    periods: list[Cell] = []
    for cell in cells:
        last = periods[-1] if periods else None
        if last and last.state == cell.state and last.label == cell.label and last.booking == cell.booking:
            last.ends_at = cell.ends_at
        else:
            periods.append(
                Cell(
                    cell.starts_at,
                    cell.ends_at,
                    cell.state,
                    cell.label,
                    cell.booking,
                    cell.href,
                    waitlist_label=cell.waitlist_label,
                )
            )
    periods = [period for period in periods if period.state != "unavailable"]
    for period in periods:
        period.span = _span(period.starts_at.astimezone(zone), period.ends_at.astimezone(zone))  # in `zone`
    return periods
