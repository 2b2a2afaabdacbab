"""Booking workflows: checks, booking (single and series), decisions, cancellation, free slots."""

import itertools
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from quartier.dates import END_BEFORE_START, ends_before_start, implausible
from quartier.staff import is_office_staff

from . import mails
from .models import Booking, BookingSeries, Closure, Room

MAX_SERIES_DATES = 52


def aware(moment: datetime) -> datetime:
    """Times are meant in Europe/Berlin; a naive one (from a careless caller) is read as local time."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def when(moment: datetime) -> str:
    """A local date and time for messages, e.g. "Di, 24.11.2026, 18:00"."""
    return date_format(timezone.localtime(moment), "D, d.m.Y, H:i")


def span(starts_at: datetime, ends_at: datetime) -> str:
    """A local time span, e.g. "Di, 24.11.2026, 18:00–20:00"."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if start.date() == end.date():
        return f"{date_format(start, 'D, d.m.Y, H:i')}–{date_format(end, 'H:i')}"
    return f"{date_format(start, 'D, d.m.Y, H:i')} – {date_format(end, 'D, d.m.Y, H:i')}"


def _hours_text(windows) -> str:
    return ", ".join(f"{opens:%H:%M}–{closes:%H:%M}" for opens, closes in windows)


def _on_behalf_problem(user, initiative) -> str:
    """Bookings on behalf of an initiative: the user is one of its members, and staff have verified it."""
    initiatives = apps.get_model("initiatives", "Initiative").objects
    if initiatives.may_book_for(user).filter(pk=initiative.pk).exists():
        return ""
    if initiatives.filter(pk=initiative.pk, memberships__user=user).exists():
        return _("Only initiatives the office has verified can book on their behalf.")
    return _("You can only book on behalf of an initiative you belong to.")


def rule_problems(
    *,
    room: Room,
    starts_at: datetime,
    ends_at: datetime,
    attendees: int | None,
    initiative=None,
    booked_by=None,
    staff: bool = False,
    now: datetime | None = None,
) -> list[str]:
    """Problems with the booking rules of the room (no database look-up of other bookings)."""
    now = now or timezone.now()
    starts_at, ends_at = aware(starts_at), aware(ends_at)
    problems = []
    outside = implausible(starts_at, ends_at, today=timezone.localtime(now).date())
    if outside:
        return [outside]
    if ends_before_start(starts_at, ends_at):
        return [str(END_BEFORE_START)]
    if starts_at < now:
        problems.append(_("The start ({start}) is in the past.").format(start=when(starts_at)))
    length = (ends_at.timestamp() - starts_at.timestamp()) / 60  # real minutes, also on DST change nights
    if length < room.min_duration_minutes:
        problems.append(_("A booking must last at least {minutes} minutes.").format(minutes=room.min_duration_minutes))
    if length > room.max_duration_minutes:
        problems.append(
            _("A booking may last at most {hours} hours.").format(hours=f"{room.max_duration_minutes / 60:g}")
        )
    local_start, local_end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    windows = room.bookable_hours_for(local_start.weekday())
    if not windows:
        problems.append(_("The room cannot be booked on {weekday}s.").format(weekday=date_format(local_start, "l")))
    elif local_start.date() != local_end.date() or not any(
        opens <= local_start.time() and (local_end.time() <= closes) for opens, closes in windows
    ):
        problems.append(
            _("The time is outside the bookable hours. On {weekday}s the room can be booked {hours}.").format(
                weekday=date_format(local_start, "l"), hours=_hours_text(windows)
            )
        )
    if not staff:
        earliest, latest = room.booking_window(now)
        if starts_at >= now and starts_at < earliest:
            problems.append(
                _("Please book at least {hours} hours ahead. The earliest possible start is {earliest}.").format(
                    hours=room.min_notice_hours, earliest=when(earliest)
                )
            )
        if starts_at > latest:
            problems.append(_("This room can be booked at most {days} days ahead.").format(days=room.max_advance_days))
        if room.bookable_by == Room.BookableBy.INITIATIVES and initiative is None:
            problems.append(_("Only initiatives may book this room. Please book on behalf of your initiative."))
        if initiative is not None and booked_by is not None and (problem := _on_behalf_problem(booked_by, initiative)):
            problems.append(problem)
    if attendees is not None and attendees > room.capacity:
        problems.append(
            _("The room holds at most {capacity} people; you expect {attendees}.").format(
                capacity=room.capacity, attendees=attendees
            )
        )
    return problems


def conflict_problems(*, room: Room, starts_at: datetime, ends_at: datetime, exclude=None) -> list[str]:
    """Overlaps with bookings that hold their slot and with closures, each naming the time."""
    bookings = Booking.objects.holding().for_room(room).overlapping(starts_at, ends_at)
    if exclude is not None:
        bookings = bookings.exclude(pk=exclude.pk)
    problems = [
        _("The room is already booked at that time ({time}).").format(time=span(b.starts_at, b.ends_at))
        for b in bookings.order_by("starts_at")[:5]
    ]
    for closure in Closure.objects.affecting(room).overlapping(starts_at, ends_at)[:5]:
        problems.append(
            _("The room is closed at that time ({time}: {reason}).").format(
                time=span(closure.starts_at, closure.ends_at), reason=closure.reason
            )
        )
    return problems


def check_booking(
    *,
    room: Room,
    starts_at: datetime,
    ends_at: datetime,
    attendees: int | None = None,
    booked_by=None,
    exclude=None,
    staff: bool = False,
    initiative=None,
) -> list[str]:
    """Every reason why this booking cannot be made; empty when it can."""
    starts_at, ends_at = aware(starts_at), aware(ends_at)
    problems = rule_problems(
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
        attendees=attendees,
        booked_by=booked_by,
        staff=staff,
        initiative=initiative,
    )
    if not ends_before_start(starts_at, ends_at) and not implausible(starts_at, ends_at):
        problems += conflict_problems(room=room, starts_at=starts_at, ends_at=ends_at, exclude=exclude)
    return problems


@dataclass(frozen=True)
class CounterPerson:
    """Someone who books at the office counter without an account: a name, a phone and perhaps an e-mail address."""

    name: str
    phone: str
    email: str = ""


def _account_with_address(email: str):
    """The account that has confirmed this address, if any (an unconfirmed one could be anybody's claim)."""
    from allauth.account.models import EmailAddress

    if not email:
        return None
    address = EmailAddress.objects.filter(email__iexact=email, verified=True).select_related("user").first()
    return address.user if address else None


def claim_counter_bookings(*, user, email: str) -> int:
    """Bookings made at the counter for this address join the account that has just confirmed it."""
    if not email:
        return 0
    return Booking.objects.filter(booked_by__isnull=True, responsible_email__iexact=email).update(booked_by=user)


def claim_on_confirmation(sender, request, email_address, **kwargs) -> None:
    """allauth's email_confirmed: a confirmed address takes over the counter bookings made for it."""
    claim_counter_bookings(user=email_address.user, email=email_address.email)


def _lock_room(room: Room) -> Room:
    """Serialise bookings of one room (PostgreSQL row lock; SQLite serialises by IMMEDIATE transactions)."""
    return Room.objects.select_for_update().get(pk=room.pk)


def _new_booking(
    *,
    room,
    booked_by,
    starts_at,
    ends_at,
    title,
    attendees,
    responsible_name,
    responsible_phone,
    responsible_email,
    show_title,
    private_use,
    created_by,
    series,
    initiative=None,
    channel=Booking.Channel.PORTAL,
) -> Booking:
    by_staff = is_office_staff(created_by)
    # Non-profit initiatives use rooms free of charge; private use and businesses pay.
    private_use, fee, deposit = room.charges(starts_at, ends_at, private_use=private_use, initiative=initiative)
    return Booking(
        room=room,
        booked_by=booked_by,
        channel=channel,
        created_by=created_by,
        series=series,
        initiative=initiative,
        starts_at=starts_at,
        ends_at=ends_at,
        title=title,
        attendees=attendees,
        responsible_name=responsible_name,
        responsible_phone=responsible_phone,
        responsible_email=responsible_email,
        show_title=show_title,
        private_use=private_use,
        fee=fee,
        deposit=deposit,
        deposit_state=Booking.DepositState.DUE if deposit else Booking.DepositState.NONE,
        status=Booking.Status.REQUESTED if room.requires_approval and not by_staff else Booking.Status.CONFIRMED,
    )


def _save_holding(booking: Booking) -> None:
    """Save; the database's exclusion constraint (PostgreSQL) becomes the same message as our check.

    After the refused insert the winning booking is committed, so a fresh look names its time.
    """
    try:
        with transaction.atomic():
            booking.save()
    except IntegrityError:
        problems = conflict_problems(room=booking.room, starts_at=booking.starts_at, ends_at=booking.ends_at)
        raise ValidationError(
            problems
            or [
                _("The room is already booked at that time ({time}).").format(
                    time=span(booking.starts_at, booking.ends_at)
                )
            ]
        ) from None


@transaction.atomic
def book_room(
    *,
    room: Room,
    booked_by,
    starts_at: datetime,
    ends_at: datetime,
    title: str,
    attendees: int,
    responsible_name: str = "",
    responsible_phone: str = "",
    responsible_email: str = "",
    show_title: bool = False,
    private_use: bool = False,
    created_by=None,
    series: BookingSeries | None = None,
    initiative=None,
    counter_person: CounterPerson | None = None,
) -> Booking:
    """Book a room if every rule holds and nothing overlaps; requested or confirmed as the room requires.

    At the office counter (`counter_person`, only office staff as `created_by`) the person needs no account: the
    booking belongs to the account that confirmed her address, or to none until one does."""
    channel = Booking.Channel.PORTAL
    if counter_person is not None:
        if not is_office_staff(created_by):
            raise PermissionDenied
        channel, booked_by = Booking.Channel.OFFICE, _account_with_address(counter_person.email)
        responsible_name, responsible_phone = counter_person.name, counter_person.phone
        responsible_email = counter_person.email
    starts_at, ends_at = aware(starts_at), aware(ends_at)
    room = _lock_room(room)
    staff = is_office_staff(created_by)
    problems = check_booking(
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
        attendees=attendees,
        booked_by=booked_by,
        staff=staff,
        initiative=initiative,
    )
    if problems:
        raise ValidationError(problems)
    booking = _new_booking(
        room=room,
        booked_by=booked_by,
        starts_at=starts_at,
        ends_at=ends_at,
        title=title,
        attendees=attendees,
        responsible_name=responsible_name,
        responsible_phone=responsible_phone,
        responsible_email=responsible_email,
        show_title=show_title,
        private_use=private_use,
        created_by=created_by,
        series=series,
        initiative=initiative,
        channel=channel,
    )
    _save_holding(booking)
    if series is None:
        mails.booking_received(booking)
    return booking


@dataclass
class SeriesDate:
    starts_at: datetime
    ends_at: datetime
    problems: list[str] = field(default_factory=list)

    @property
    def is_free(self) -> bool:
        return not self.problems

    @property
    def key(self) -> str:
        """Identifies the date in a form: the local start as ISO text."""
        return timezone.localtime(self.starts_at).strftime("%Y-%m-%dT%H:%M")


def series_dates(
    *, starts_at: datetime, ends_at: datetime, frequency: str, until: date | None = None, count: int | None = None
) -> list[tuple[datetime, datetime]]:
    """The dates of a series, keeping the local wall-clock time across daylight-saving changes."""
    starts_at, ends_at = aware(starts_at), aware(ends_at)
    if implausible(starts_at, ends_at):
        return [(starts_at, ends_at)]  # the check names the problem; no date arithmetic near year 1 or 9999
    step = timedelta(weeks=2 if frequency == BookingSeries.Frequency.BIWEEKLY else 1)
    local_start, local_end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    duration_days = (local_end.date() - local_start.date()).days
    limit = min(count or MAX_SERIES_DATES, MAX_SERIES_DATES)
    tz = timezone.get_current_timezone()
    dates = []
    day = local_start.date()
    while len(dates) < limit and (until is None or day <= until):
        start = timezone.make_aware(datetime.combine(day, local_start.time()), tz)
        end = timezone.make_aware(datetime.combine(day + timedelta(days=duration_days), local_end.time()), tz)
        dates.append((start, end))
        day += step
    return dates


def preview_series(
    *,
    room: Room,
    booked_by,
    starts_at: datetime,
    ends_at: datetime,
    frequency: str,
    until: date | None = None,
    count: int | None = None,
    attendees: int | None = None,
    staff: bool = False,
    initiative=None,
) -> list[SeriesDate]:
    """Each date of a planned series with what stands in its way, if anything."""
    return [
        SeriesDate(
            start,
            end,
            check_booking(
                room=room,
                starts_at=start,
                ends_at=end,
                attendees=attendees,
                booked_by=booked_by,
                staff=staff,
                initiative=initiative,
            ),
        )
        for start, end in series_dates(
            starts_at=starts_at, ends_at=ends_at, frequency=frequency, until=until, count=count
        )
    ]


@transaction.atomic
def book_series(
    *,
    room: Room,
    booked_by,
    frequency: str,
    dates: list[tuple[datetime, datetime]],
    title: str,
    attendees: int,
    responsible_name: str,
    responsible_phone: str,
    responsible_email: str,
    show_title: bool = False,
    private_use: bool = False,
    created_by=None,
    initiative=None,
) -> BookingSeries:
    """Book the chosen dates as one series; if any date is no longer free, nothing is booked."""
    if not dates:
        raise ValidationError(_("Please choose at least one date."))
    if len(dates) > MAX_SERIES_DATES:
        raise ValidationError(_("A series can have at most {n} dates.").format(n=MAX_SERIES_DATES))
    dates = [(aware(starts_at), aware(ends_at)) for starts_at, ends_at in dates]
    room = _lock_room(room)
    staff = is_office_staff(created_by)
    problems = []
    for starts_at, ends_at in dates:
        for problem in check_booking(
            room=room,
            starts_at=starts_at,
            ends_at=ends_at,
            attendees=attendees,
            booked_by=booked_by,
            staff=staff,
            initiative=initiative,
        ):
            problems.append(f"{span(starts_at, ends_at)}: {problem}")
    if problems:
        raise ValidationError(problems)
    series = BookingSeries.objects.create(room=room, booked_by=booked_by, frequency=frequency)
    for starts_at, ends_at in sorted(dates):
        booking = _new_booking(
            room=room,
            booked_by=booked_by,
            starts_at=starts_at,
            ends_at=ends_at,
            title=title,
            attendees=attendees,
            responsible_name=responsible_name,
            responsible_phone=responsible_phone,
            responsible_email=responsible_email,
            show_title=show_title,
            private_use=private_use,
            created_by=created_by,
            series=series,
            initiative=initiative,
        )
        _save_holding(booking)
    mails.series_received(series)
    return series


@transaction.atomic
def cancel_booking(*, booking: Booking, by, notify: bool = True) -> Booking:
    """Cancel: the booker before the room's deadline, staff at any time. Frees the slot."""
    booking = Booking.objects.select_for_update().select_related("room__location", "booked_by").get(pk=booking.pk)
    refusal = booking.cancel_refusal(by)
    if refusal:
        raise ValidationError(refusal)
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.cancelled_by = by
    booking.save(update_fields=["status", "cancelled_at", "cancelled_by"])
    if notify:
        mails.booking_cancelled(booking)
    return booking


@transaction.atomic
def cancel_series(*, series: BookingSeries, by, from_date: date | None = None) -> int:
    """Cancel the remaining dates of a series (from a date on); returns how many were cancelled."""
    bookings = series.bookings.holding().filter(ends_at__gt=timezone.now()).select_related("room")
    if from_date is not None:
        tz = timezone.get_current_timezone()
        bookings = bookings.filter(starts_at__gte=timezone.make_aware(datetime.combine(from_date, time.min), tz))
    cancelled = []
    for booking in bookings.select_for_update().order_by("starts_at"):
        if booking.can_be_cancelled_by(by):
            cancelled.append(cancel_booking(booking=booking, by=by, notify=False))
    if not cancelled:
        raise ValidationError(_("No date of this series can be cancelled any more."))
    mails.series_cancelled(series, cancelled)
    return len(cancelled)


@transaction.atomic
def confirm_booking(*, booking: Booking, by) -> Booking:
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != Booking.Status.REQUESTED:
        raise ValidationError(_("Only requested bookings can be confirmed."))
    booking.status = Booking.Status.CONFIRMED
    booking.decided_by = by
    booking.save(update_fields=["status", "decided_by"])
    mails.booking_confirmed(booking)
    return booking


@transaction.atomic
def decline_booking(*, booking: Booking, by, reason: str) -> Booking:
    """Decline a request; the reason is required and mailed to the booker. Frees the slot."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Please give a reason for declining."))
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != Booking.Status.REQUESTED:
        raise ValidationError(_("Only requested bookings can be declined."))
    booking.status = Booking.Status.DECLINED
    booking.decline_reason = reason
    booking.decided_by = by
    booking.save(update_fields=["status", "decline_reason", "decided_by"])
    mails.booking_declined(booking)
    return booking


def busy_intervals(rooms, starts_at: datetime, ends_at: datetime) -> dict[int, list[tuple[datetime, datetime]]]:
    """Busy times (holding bookings and closures) of many rooms in a period, in two queries."""
    rooms = list(rooms)
    busy = {room.pk: [] for room in rooms}
    for room_id, start, end in (
        Booking.objects.holding()
        .filter(room__in=rooms)
        .overlapping(starts_at, ends_at)
        .order_by()
        .values_list("room_id", "starts_at", "ends_at")  # sorted per room below
    ):
        busy[room_id].append((start, end))
    location_rooms = {}
    for room in rooms:
        location_rooms.setdefault(room.location_id, []).append(room.pk)
    from django.db.models import Q

    closures = Closure.objects.overlapping(starts_at, ends_at).filter(
        Q(room__in=rooms) | Q(location_id__in=location_rooms.keys())
    )
    for closure in closures.order_by().values("room_id", "location_id", "starts_at", "ends_at"):
        targets = [closure["room_id"]] if closure["room_id"] else location_rooms.get(closure["location_id"], [])
        for room_id in targets:
            busy[room_id].append((closure["starts_at"], closure["ends_at"]))
    for intervals in busy.values():
        intervals.sort()
    return busy


def _round_up(moment: datetime, minutes: int = 30) -> datetime:
    moment = moment.replace(second=0, microsecond=0)
    extra = (-moment.minute) % minutes
    return moment + timedelta(minutes=extra)


def _earliest_slot_start(room: Room, after: datetime, now: datetime, staff: bool) -> datetime:
    return max(after, room.booking_window(now, staff=staff)[0])


def free_slot_horizon(
    rooms, *, after: datetime, days: int, staff: bool = False, now: datetime | None = None
) -> datetime:
    """Until when `free_slots` looks for these rooms: the end of the last of its `days` days, counted from
    the earliest bookable start (after the notice period), at least `after + days`. Fetch busy times up to
    here, or a slot on a day beyond the fetched busy times could be offered although it is booked."""
    now = now or timezone.now()
    reach = max((_earliest_slot_start(room, after, now, staff) for room in rooms), default=after)
    last_day_end = timezone.make_aware(
        datetime.combine(timezone.localtime(reach).date() + timedelta(days=days), time.min),
        timezone.get_current_timezone(),
    )
    return max(after + timedelta(days=days), last_day_end)


def free_slots(
    *,
    room: Room,
    after: datetime,
    duration: timedelta = timedelta(hours=2),
    count: int = 3,
    days: int = 14,
    busy: list[tuple[datetime, datetime]] | None = None,
    staff: bool = False,
    now: datetime | None = None,
) -> list[tuple[datetime, datetime]]:
    """The next free slots of `duration` within the room's bookable hours.

    Pass `busy` (from `busy_intervals` up to `free_slot_horizon`, with the room's bookable hours loaded by
    `load_bookable_hours` or prefetched) to compute it for many rooms without a query per room, e.g. for a
    room list:

        rooms = list(Room.objects.active().select_related("location"))
        load_bookable_hours(rooms)  # one query for all rooms
        end = free_slot_horizon(rooms, after=after, days=14)
        busy = busy_intervals(rooms, after, end)  # two queries for all rooms
        slots = {room.pk: free_slots(room=room, after=after, busy=busy[room.pk]) for room in rooms}

    Without `busy` it costs two queries (plus one for the bookable hours unless loaded).
    """
    now = now or timezone.now()
    earliest, latest = room.booking_window(now, staff=staff)
    earliest = max(after, earliest)
    if busy is None:
        busy = busy_intervals([room], after, free_slot_horizon([room], after=after, days=days, staff=staff, now=now))[
            room.pk
        ]
    tz = timezone.get_current_timezone()
    first_start = _round_up(earliest)
    # Busy times that end half an hour before the first possible start change nothing (the loop below
    # would step over them one by one for every window): skip them once.
    skip_before = first_start - timedelta(minutes=30)
    first = 0
    while first < len(busy) and busy[first][1] <= skip_before:
        first += 1
    busy = busy[first:]
    slots = []
    day = timezone.localtime(earliest).date()
    for _offset in range(days):
        for opens, closes in room.bookable_hours_for(day.weekday()):
            start = max(timezone.make_aware(datetime.combine(day, opens), tz), first_start)
            window_end = timezone.make_aware(datetime.combine(day, closes), tz)
            # One slot per gap between busy times, so that the offers differ.
            for busy_start, busy_end in itertools.chain(busy, ((window_end, window_end),)):
                gap_end = min(busy_start, window_end)
                if gap_end - start >= duration and start + duration <= latest:
                    slots.append((start, start + duration))
                    if len(slots) >= count:
                        return slots
                start = max(start, _round_up(busy_end))
                if start >= window_end:
                    break
        day += timedelta(days=1)
    return slots
