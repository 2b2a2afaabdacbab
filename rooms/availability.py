"""The rooms' availability, read side: busy times, free slots, the room finder and the alternatives after a
lost race for a slot.

Set-based: the busy times of every room asked about come in one query as plain tuples (bookings and
closures together), each room's booking window (`Room.booking_window`) is asked once per request, and a
room's free slots come from one pass over its sorted busy times. The rules of a booking stay in
`services.rule_problems`; the slot grid in `models.on_slot_grid`.
"""

from collections import namedtuple
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from quartier import content_languages
from quartier.formats import writer
from quartier.links import link_maker
from quartier.sql import plain_objects, plain_rows
from quartier.staff import is_office_staff

from . import services
from .forms import RoomSearchForm
from .models import (
    BookableHours,
    Booking,
    Closure,
    Room,
    RoomPhoto,
    bookable_hours_on,
    load_bookable_hours,
    on_slot_grid,
)

ROOMS_PER_PAGE = 12
# What `services.rule_problems` reads of a room (with its bookable hours and booking window): the room finder
# loads only these, as plain rows (`RoomRules`), for the rooms it checks. The id and location first.
RULE_FIELDS = (
    "id",
    "location_id",
    "capacity",
    "min_duration_minutes",
    "max_duration_minutes",
    "min_notice_hours",
    "max_advance_days",
    "max_advance_days_private",
    "bookable_by",
)
# What a card of the room list shows (rooms/room_list.html) and its free slots need: the rules above, name,
# place, approval and access; not the descriptions and house rules (nine languages of long text each), the fees
# and the reconfirmation and waiting-list settings.
CARD_FIELDS = (
    *RULE_FIELDS,
    "name",
    "slug",
    "requires_approval",
    "step_free",
    "accessible_toilet",
    "hearing_loop",
    "location__name",
    "location__street",
)
SLOTS_PER_ROOM = 3
SLOT_DAYS = 14  # free slots are looked for in the next two weeks (from the earliest bookable start)
FIRST_SLOT_DAYS = 3  # ... first in the next three days, which is enough for most rooms (add_free_slots)

Busy = list[tuple[datetime, datetime]]
Window = tuple[datetime, datetime]


class RoomRules(namedtuple("RoomRules", (*RULE_FIELDS, "listed", "busy"), defaults=(False,))):
    """A room's rule columns as a plain row (no model instance), whether it matches the finder's filter and
    whether a holding booking or a closure takes (part of) the wanted time (`busy`; False without one);
    `busy_intervals`, `booking_windows` and `free_slot_horizon` take it as they take a room."""

    __slots__ = ()

    @property
    def pk(self) -> int:
        return self.id

    def as_room(self, hours) -> Room:
        """A `Room` with these rules and bookable hours, for `services.rule_problems`: made as the ORM makes a room
        of these columns only (`Model.from_db`, its other columns deferred), a tenth of the cost of `Room(...)`,
        which sets the defaults of all 44 columns."""
        room = Room.from_db(None, _RULE_COLUMNS, [self[index] for index in _RULE_ORDER])
        room._hours_by_weekday = hours
        return room


# `Model.from_db` takes the values in the model's column order: where each of them is among RULE_FIELDS.
_COLUMNS = [field.attname for field in Room._meta.concrete_fields]
_RULE_ORDER = sorted(range(len(RULE_FIELDS)), key=lambda index: _COLUMNS.index(RULE_FIELDS[index]))
_RULE_COLUMNS = [RULE_FIELDS[index] for index in _RULE_ORDER]


def rules_of(rooms, listed=None, wanted: Window | None = None) -> list[RoomRules]:
    """The rule columns of these rooms (a queryset, in its order) as plain rows; `listed`: whether each matches
    the finder's filter (an expression; all of them if None); `wanted`: the time each is checked for busy."""
    return [RoomRules(*row) for row in _rules_query(rooms, listed, wanted)]


def _rules_query(rooms, listed=None, wanted: Window | None = None):
    listed = Value(True) if listed is None else listed
    # rewrite(False): Django's own rows; modeltranslation's values iterable (for translated columns, none of
    # which is among these) builds two dicts per row, a third of the check of 200 rooms
    rows = rooms.rewrite(False).annotate(listed=listed)
    if wanted is None:
        return rows.values_list(*RULE_FIELDS, "listed")
    return rows.annotate(busy=_busy_then(*wanted)).values_list(*RULE_FIELDS, "listed", "busy")


def _busy_then(starts_at: datetime, ends_at: datetime):
    """Whether a holding booking of the room, or a closure of the room or its house, overlaps this time: an
    EXISTS per room in the rules query (the bookings' GiST index answers each), in place of fetching every
    listed room's busy times for the wanted time."""
    booked = Booking.objects.holding().overlapping(starts_at, ends_at).filter(room_id=OuterRef("pk"))
    closed = Closure.objects.overlapping(starts_at, ends_at).filter(
        Q(room_id=OuterRef("pk")) | Q(location_id=OuterRef("location_id"))
    )
    return Exists(booked.order_by()) | Exists(closed.order_by())


def matching_rooms(attendees: int | None, slugs: list[str], step_free: bool):
    """The active rooms the finder's filter asks for: room for the people, every piece of equipment, step-free."""
    rooms = Room.objects.active()
    if attendees:
        rooms = rooms.fitting(attendees)
    if slugs:
        rooms = rooms.with_equipment(slugs)
    return rooms.step_free() if step_free else rooms


def finder_rules(
    attendees: int | None, slugs: list[str], step_free: bool, wanted: Window | None = None
) -> list[RoomRules]:
    """The rule columns of every active room, whether it matches the finder's filter (people, equipment,
    step-free) and whether it is busy at the `wanted` time: one query of plain rows, compiled once per kind of
    filter (quartier.sql.plain_rows)."""
    counted = attendees is not None
    times = list(wanted or ())

    def build(*values):
        *values, starts_at, ends_at = values if times else (*values, None, None)
        matching = matching_rooms(values[0] if counted else None, list(values[counted:]), step_free)
        listed = Exists(matching.filter(pk=OuterRef("pk")))
        return _rules_query(Room.objects.active(), listed=listed, wanted=(starts_at, ends_at) if times else None)

    key = f"rooms.finder_rules.{counted:d}.{len(slugs)}.{step_free:d}.{bool(times):d}"
    values = [*([attendees] if counted else []), *slugs, *times]
    return [RoomRules(*row) for row in plain_rows(key, build, *values)]


def _card_rooms(ids):
    """The page's rooms of the finder, with what a card shows."""
    return Room.objects.select_related("location").only(*CARD_FIELDS).filter(id__any_of=ids)


def busy_intervals(rooms, starts_at: datetime, ends_at: datetime) -> dict[int, Busy]:
    """Busy times (holding bookings and closures) of many rooms in a period: one query of plain tuples,
    sorted per room."""
    rooms = list(rooms)
    busy: dict[int, Busy] = {room.pk: [] for room in rooms}
    if not rooms:
        return busy
    location_rooms: dict[int, list[int]] = {}
    for room in rooms:
        location_rooms.setdefault(room.location_id, []).append(room.pk)
    # Rows of (room, location, start, end): a booking names its room twice, a closure its room or location.
    rows = plain_rows("rooms.busy_intervals", _busy_rows, list(busy), list(location_rooms), starts_at, ends_at)
    for room_id, location_id, start, end in rows:
        for target in [room_id] if room_id else location_rooms.get(location_id, ()):
            busy[target].append((start, end))
    for intervals in busy.values():
        intervals.sort()
    return busy


def _busy_rows(room_ids, location_ids, starts_at, ends_at):
    """The query of `busy_intervals` (compiled once per process: quartier.sql.plain_rows)."""
    bookings = (
        Booking.objects.holding()
        .filter(room_id__any_of=room_ids)  # one array parameter (quartier/sql.py)
        .overlapping(starts_at, ends_at)
        .order_by()
        .values_list("room_id", F("room_id"), "starts_at", "ends_at")
    )
    closures = (
        Closure.objects.overlapping(starts_at, ends_at)
        .filter(Q(room_id__any_of=room_ids) | Q(location_id__any_of=location_ids))
        .order_by()
        .values_list("room_id", "location_id", "starts_at", "ends_at")
    )
    return bookings.union(closures, all=True)


def booking_windows(rooms, now: datetime, staff: bool) -> dict[int, Window]:
    """Each room's booking window (`Room.booking_window`, rooms or `RoomRules`), asked once per request for
    each notice and advance rule (what the window of a non-private booking depends on)."""
    by_rule: dict[tuple[int, int], Window] = {}
    windows = {}
    for room in rooms:
        rule = (room.min_notice_hours, room.max_advance_days)
        if rule not in by_rule:
            model = room if isinstance(room, Room) else room.as_room({})
            by_rule[rule] = model.booking_window(now, staff=staff)
        windows[room.pk] = by_rule[rule]
    return windows


def _day_begin(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_current_timezone())


def free_slot_horizon(
    rooms,
    *,
    after: datetime,
    days: int,
    staff: bool = False,
    now: datetime | None = None,
    windows: dict[int, Window] | None = None,
) -> datetime:
    """Until when `free_slots` looks for these rooms: the end of the last of its `days` days, counted from
    the earliest bookable start (after the notice period), at least `after + days`. Fetch busy times up to
    here, or a slot on a day beyond the fetched busy times could be offered although it is booked."""
    now = now or timezone.now()
    windows = windows or booking_windows(rooms, now, staff)
    reach = max((max(after, windows[room.pk][0]) for room in rooms), default=after)
    return max(after + timedelta(days=days), _day_begin(timezone.localtime(reach).date() + timedelta(days=days)))


def free_slots(
    *,
    room: Room,
    after: datetime,
    duration: timedelta = timedelta(hours=2),
    count: int = SLOTS_PER_ROOM,
    days: int = SLOT_DAYS,
    busy: Busy | None = None,
    staff: bool = False,
    now: datetime | None = None,
    window: Window | None = None,
) -> list[tuple[datetime, datetime]]:
    """The next free slots of `duration` within the room's bookable hours and booking window, one per gap
    between busy times (so that the offers differ), starting on the slot grid.

    Pass `busy` (from `busy_intervals` up to `free_slot_horizon`, sorted) and `window` (from
    `booking_windows`), with the room's bookable hours loaded by `load_bookable_hours`, to compute it for many
    rooms without a query per room; without them it costs one query (plus one for the bookable hours).
    One pass over `busy`: a busy time that ends before a window's start is never looked at again.
    """
    now = now or timezone.now()
    earliest, latest = window or room.booking_window(now, staff=staff)
    earliest = max(after, earliest)
    if busy is None:
        horizon = free_slot_horizon([room], after=after, days=days, now=now, windows={room.pk: (earliest, latest)})
        busy = busy_intervals([room], after, horizon)[room.pk]
    zone = timezone.get_current_timezone()
    first_start = on_slot_grid(earliest)
    slots: list[tuple[datetime, datetime]] = []
    index, end_of_busy = 0, len(busy)
    day = timezone.localtime(earliest).date()
    for _offset in range(days):
        for opens, closes in room.bookable_hours_for(day.weekday()):
            start = max(timezone.make_aware(datetime.combine(day, opens), zone), first_start)
            window_end = timezone.make_aware(datetime.combine(day, closes), zone)
            # Windows come in time order, so what is over by this start stays over for every later window.
            while index < end_of_busy and on_slot_grid(busy[index][1]) <= start:
                index += 1
            position = index
            while start < window_end:
                busy_start = busy[position][0] if position < end_of_busy else window_end
                if min(busy_start, window_end) - start >= duration and start + duration <= latest:
                    slots.append((start, start + duration))
                    if len(slots) >= count:
                        return slots
                if busy_start >= window_end:
                    break
                start = max(start, on_slot_grid(busy[position][1]))
                position += 1
        day += timedelta(days=1)
    return slots


def slot_link(book_url: str, start: datetime, end: datetime, attendees: int | None = None) -> tuple[str, str]:
    """(link to the booking form prefilled with the slot and the number of people, the slot as text)."""
    return slot_linker()(book_url, start, end, attendees)


def slot_linker():
    """`slot_link` for the many slots of a request: the time zone and the label's format looked up once."""
    zone, label = timezone.get_current_timezone(), writer("SHORT_WEEKDAY_DAY_MONTH_TIME_FORMAT")

    def link(book_url: str, start: datetime, end: datetime, attendees: int | None = None) -> tuple[str, str]:
        start, end = start.astimezone(zone), end.astimezone(zone)  # timezone.localtime() of aware times
        until = f"{end.hour:02d}:{end.minute:02d}"
        href = f"{book_url}?date={start.date().isoformat()}&start={start.hour:02d}:{start.minute:02d}&end={until}"
        if attendees:
            href += f"&attendees={attendees}"
        return href, f"{label(start)}–{until}"

    return link


def booking_rules(rooms_rules) -> dict:
    """The notice and advance rule to state above the finder: the common one, or the range of them."""
    rules = sorted(set(rooms_rules))
    if not rules:
        return {}
    notice, advance = [rule[0] for rule in rules], [rule[1] for rule in rules]
    return {
        "common": rules[0] if len(rules) == 1 else None,
        "notice": (min(notice), max(notice)),
        "advance": (min(advance), max(advance)),
    }


def room_finder(request) -> dict:
    """The room list: rooms matching the filter; with a date and time, free rooms first, each with its next
    free slots. Without a wanted time only the page's rooms are built (the database paginates)."""
    form = RoomSearchForm(request.GET or None)
    hint = services.short_notice_hint()
    wanted, attendees, slugs, step_free = None, None, [], False
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        attendees = data.get("attendees") or None
        slugs = [item.slug for item in data.get("equipment") or ()]
        step_free = bool(data.get("step_free"))
        wanted = form.span()
    staff, now = is_office_staff(request.user), timezone.now()
    if wanted:
        # Every room is checked against the wanted time (the free ones come first), but only a page of them is
        # shown: the check reads just the columns of the rules as plain rows, the page's rooms come whole in one
        # more query. One query: every active room's rules (the notice and advance stated above the finder come
        # from all of them) and whether it matches the filter.
        everyone = finder_rules(attendees, slugs, step_free, wanted)
        rules = booking_rules({(room.min_notice_hours, room.max_advance_days) for room in everyone})
        listed = [room for room in everyone if room.listed]
        windows = booking_windows(listed, now, staff)
        entries = _check_wanted(listed, wanted, attendees, staff, now, windows, hint)
        entries.sort(key=lambda entry: not entry["is_free"])  # the free ones first
        page = Paginator(entries, ROOMS_PER_PAGE).get_page(request.GET.get("page"))
        whole = {
            room.id: room for room in plain_objects("rooms.finder_cards", _card_rooms, [e["room"].id for e in page])
        }
        load_bookable_hours(whole.values())  # every weekday's hours, for the free slots of the page's rooms
        for entry in page:
            entry["room"] = whole[entry["room"].id]
    else:
        all_rules = Room.objects.active().order_by().values_list("min_notice_hours", "max_advance_days").distinct()
        rules = booking_rules(all_rules)
        rooms = matching_rooms(attendees, slugs, step_free)
        page = Paginator(rooms.select_related("location").only(*CARD_FIELDS), ROOMS_PER_PAGE).get_page(
            request.GET.get("page")
        )
        page_rooms = list(page)
        load_bookable_hours(page_rooms)
        windows = booking_windows(page_rooms, now, staff)
        page.object_list = [{"room": room, "problems": None, "is_free": False} for room in page_rooms]
    add_card_details(list(page))
    add_free_slots(list(page), wanted=wanted, attendees=attendees, now=now, windows=windows)
    if wanted and request.user.is_authenticated:
        start, end = timezone.localtime(wanted[0]), timezone.localtime(wanted[1])
        wish = f"?date={start.date().isoformat()}&start={start:%H:%M}&end={end:%H:%M}"
        for entry in page:
            if entry.get("waitlist"):
                entry["waitlist_link"] = reverse("rooms:waitlist_join", args=[entry["room"].slug]) + wish
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "form": form,
        "entries": page,
        "page": page,
        "wanted": wanted,
        "query": query.urlencode(),
        "rules": rules,
        "short_notice": hint,
    }


def add_card_details(entries) -> None:
    """What a card shows of its room besides the room's columns: its equipment (`entry["equipment"]`, in the
    equipment list's order) and its first photo (`entry["photo"]` or None), from two queries of plain rows
    for the page's rooms (`room_items`, `room_photos`) in place of a prefetch of both relations."""
    ids = [entry["room"].pk for entry in entries]
    equipment, photos = room_items("equipment", ids), room_photos(ids)
    for entry in entries:
        entry["equipment"] = equipment[entry["room"].pk]
        entry["photo"] = next(iter(photos[entry["room"].pk]), None)


def room_items(relation: str, room_ids) -> dict[int, list]:
    """Each room's equipment or purposes (`relation`: "equipment", "purposes"), in that list's order, as
    instances with their slug and names: one query of plain rows (quartier.sql.plain_rows)."""
    model = Room._meta.get_field(relation).related_model
    names = content_languages.columns("name")
    by_room: dict[int, list] = {room_id: [] for room_id in room_ids}
    items: dict[int, object] = {}
    for room_id, item_id, slug, *texts in plain_rows(f"rooms.items.{relation}", _ITEM_ROWS[relation], list(by_room)):
        if item_id not in items:
            items[item_id] = model(id=item_id, slug=slug, **dict(zip(names, texts, strict=True)))
        by_room[room_id].append(items[item_id])
    return by_room


def _item_rows(relation: str):
    """The query of `room_items` for one relation: (room, item, slug, its name in each language)."""
    field = Room._meta.get_field(relation)
    target, ordering = field.m2m_reverse_field_name(), field.related_model._meta.ordering

    def rows(room_ids):
        return (
            field.remote_field.through.objects.filter(room_id__any_of=room_ids)
            .order_by(*(f"{target}__{column}" for column in ordering), f"{target}_id")
            .values_list(
                "room_id",
                f"{target}_id",
                f"{target}__slug",
                *(f"{target}__{column}" for column in content_languages.columns("name")),
            )
        )

    return rows


_ITEM_ROWS = {relation: _item_rows(relation) for relation in ("equipment", "purposes")}


def room_photos(room_ids) -> dict[int, list[RoomPhoto]]:
    """Each room's photos by position: one query of plain rows."""
    by_room: dict[int, list[RoomPhoto]] = {room_id: [] for room_id in room_ids}
    for photo_id, room_id, image, alt_text in plain_rows("rooms.photos", _photo_rows, list(by_room)):
        by_room[room_id].append(RoomPhoto(id=photo_id, room_id=room_id, image=image, alt_text=alt_text))
    return by_room


def _photo_rows(room_ids):
    return (
        RoomPhoto.objects.filter(room_id__any_of=room_ids)
        .order_by("room_id", "position", "id")  # the order of RoomPhoto.Meta, without joining the room
        .values_list("id", "room_id", "image", "alt_text")
    )


def room_page_details(room: Room) -> dict:
    """What the room's page shows of its relations (equipment, purposes, photos, bookable hours in the order of
    `BookableHours.Meta`): four queries of plain rows, in place of a prefetch of the four. The room keeps its
    hours for the week (`Room.bookable_hours_for`)."""
    load_bookable_hours([room])
    hours = [
        BookableHours(room_id=room.pk, weekday=weekday, opens=opens, closes=closes)
        for weekday, windows in sorted(room._hours_by_weekday.items())
        for opens, closes in windows
    ]
    return {
        "equipment": room_items("equipment", [room.pk])[room.pk],
        "purposes": room_items("purposes", [room.pk])[room.pk],
        "photos": room_photos([room.pk])[room.pk],
        "bookable_hours": hours,
    }


def _check_wanted(rooms, wanted, attendees, staff, now, windows, hint) -> list[dict]:
    """Every room (`RoomRules` with `busy` for the wanted time) checked against the wanted time (its rules, with
    one query for the bookable hours of that weekday only), in the rooms' order."""
    weekday = timezone.localtime(wanted[0]).weekday()
    hours = bookable_hours_on(weekday)  # every active room's windows that day: the rooms checked are among them
    booked = _("Booked or closed at that time.")
    # Rooms with the same rules get the same answer: checked once. The booking window is not part of the key:
    # it follows from the notice and advance rule in it (booking_windows).
    checked: dict[tuple, list[str]] = {}
    entries = []
    for room in rooms:
        windows_then = hours.get(room.id, ())
        rules = (
            *room[3 : len(RULE_FIELDS)],  # not the id, the location, the capacity
            room.capacity if attendees is not None and attendees > room.capacity else None,
            tuple(windows_then),
        )
        if rules not in checked:
            checked[rules] = services.rule_problems(
                room=room.as_room({weekday: windows_then} if windows_then else {}),
                starts_at=wanted[0],
                ends_at=wanted[1],
                attendees=attendees,
                staff=staff,
                now=now,
                window=windows[room.pk],
                notice_hint=hint,
            )
        problems = list(checked[rules])
        # Only taken (the rules allow the time): the waiting list is offered for it.
        waitlist = room.busy and not problems and wanted[0] > now
        if room.busy:
            problems.append(booked)
        entries.append({"room": room, "problems": problems, "is_free": not problems, "waitlist": waitlist})
    return entries


def add_free_slots(entries, *, wanted, attendees, now, windows) -> None:
    """The next free slots of each listed room, from one query of busy times for all of them; each slot comes
    as (link to the booking form, text), formatted here once rather than by five filters per slot. A free
    room also gets the link to book the wanted time itself."""
    after = wanted[0] if wanted and wanted[0] > now else now
    duration = (wanted[1] - wanted[0]) if wanted else timedelta(hours=2)
    # Most rooms have their next free times within a few days: look there first (busy times of those days
    # only), and over all SLOT_DAYS only for the rooms that did not have enough. The search goes day by day,
    # so the first slots it finds are the same either way.
    pending = list(entries)
    for days in (FIRST_SLOT_DAYS, SLOT_DAYS):
        rooms = [entry["room"] for entry in pending]
        if not rooms:
            break
        horizon = free_slot_horizon(rooms, after=after, days=days, now=now, windows=windows)
        busy = busy_intervals(rooms, after, horizon)
        for entry in pending:
            room = entry["room"]
            entry["slots"] = free_slots(
                room=room,
                after=after,
                busy=busy[room.pk],
                duration=duration,
                days=days,
                now=now,
                window=windows[room.pk],
            )
        pending = [entry for entry in pending if len(entry["slots"]) < SLOTS_PER_ROOM]
    book_url_of, room_link, link_slot = link_maker("rooms:book"), link_maker("rooms:detail"), slot_linker()
    for entry in entries:
        room = entry["room"]
        book_url = book_url_of(room.slug)
        entry["link"] = room_link(room.slug)
        entry["slot_links"] = [link_slot(book_url, start, end, attendees) for start, end in entry["slots"]]
        entry["book_label"] = _("book %(room)s") % {"room": room.name}
        if wanted and entry.get("is_free"):
            entry["wanted_link"] = link_slot(book_url, *wanted, attendees)[0]


@dataclass
class Alternatives:
    """After a booking lost its slot: nearer free times in the same room, other rooms free at that time."""

    just_taken: bool  # someone else booked it after the form was shown
    slots: list[tuple[str, str, datetime, datetime]]  # (link, text, start, end) in this room
    rooms: list[tuple[str, Room]]  # (link, room) free for the same time

    def __bool__(self) -> bool:
        return bool(self.slots or self.rooms)


def shown_at_now() -> int:
    """The hidden `shown_at` of a booking form: when it was shown, to tell a later refusal whether someone
    else booked the time meanwhile."""
    return int(timezone.now().timestamp() * 1000)  # milliseconds


def form_shown_at(data) -> datetime | None:
    """When the form now sent was shown (its hidden `shown_at`), or None if missing or malformed."""
    try:
        return datetime.fromtimestamp(int(data.get("shown_at", "")) / 1000, tz=timezone.get_current_timezone())
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def taken_since(room: Room, starts_at: datetime, ends_at: datetime, moment: datetime | None) -> bool:
    """Whether a booking holding (part of) this time was made after `moment` (when the form was shown)."""
    if moment is None:
        return False
    return (
        Booking.objects.holding().for_room(room).overlapping(starts_at, ends_at).filter(created_at__gt=moment).exists()
    )


def alternatives(
    *,
    room: Room,
    starts_at: datetime,
    ends_at: datetime,
    attendees: int | None,
    user,
    shown_at: datetime | None = None,
    count: int = SLOTS_PER_ROOM,
    now: datetime | None = None,
) -> Alternatives:
    """The nearest free times of the same length in this room (before or after the wished start, from its
    day on) and the other rooms free for the very time (fitting `attendees`), each with a booking link."""
    now = now or timezone.now()
    staff = is_office_staff(user)
    duration = ends_at - starts_at
    # The other rooms are checked as the room finder checks them (`_check_wanted`: their rule columns as plain rows,
    # each set of rules once), in the rooms' order; only the first `count` free ones are loaded whole.
    others = rules_of(Room.objects.active().exclude(pk=room.pk), wanted=(starts_at, ends_at))
    if attendees:
        others = [other for other in others if other.capacity >= attendees]
    load_bookable_hours([room])
    windows = booking_windows([room, *others], now, staff)
    after = max(now, _day_begin(timezone.localtime(starts_at).date()))
    horizon = free_slot_horizon([room], after=after, days=SLOT_DAYS, now=now, windows=windows)
    candidates = free_slots(
        room=room,
        after=after,
        duration=duration,
        count=3 * count,
        busy=busy_intervals([room], after, horizon)[room.pk],
        now=now,
        window=windows[room.pk],
    )
    nearest = sorted(sorted(candidates, key=lambda slot: abs(slot[0] - starts_at))[:count])
    book_url_of = link_maker("rooms:book")
    slots = [(*slot_link(book_url_of(room.slug), start, end, attendees), start, end) for start, end in nearest]
    checked = _check_wanted(others, (starts_at, ends_at), attendees, staff, now, windows, services.short_notice_hint())
    free = [entry["room"].id for entry in checked if entry["is_free"]][:count]
    whole = Room.objects.select_related("location").only("slug", "name", "location__name").in_bulk(free)
    free_rooms = [
        (slot_link(book_url_of(whole[other].slug), starts_at, ends_at, attendees)[0], whole[other]) for other in free
    ]
    return Alternatives(just_taken=taken_since(room, starts_at, ends_at, shown_at), slots=slots, rooms=free_rooms)
