"""Booking workflows: checks, booking (single and series), decisions, cancellation. Busy times and free slots
(the read side) are in `availability.py`."""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from quartier.audit import diff
from quartier.counter import CounterPerson, account_with_address
from quartier.dates import END_BEFORE_START, ends_before_start, implausible
from quartier.models import Office
from quartier.money import ZERO
from quartier.staff import is_office_staff

from . import mails
from .models import AuditEntry, Booking, BookingSeries, Closure, Room, on_slot_grid

MAX_SERIES_DATES = 52


def aware(moment: datetime) -> datetime:
    """Times are meant in Europe/Berlin; a naive one (from a careless caller) is read as local time."""
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def when(moment: datetime) -> str:
    """A local date and time for messages, e.g. "Di, 24.11.2026, 18:00"."""
    return date_format(timezone.localtime(moment), "SHORT_WEEKDAY_DATETIME_FORMAT")


def span(starts_at: datetime, ends_at: datetime) -> str:
    """A local time span, e.g. "Di, 24.11.2026, 18:00–20:00"."""
    start, end = timezone.localtime(starts_at), timezone.localtime(ends_at)
    if start.date() == end.date():
        return f"{date_format(start, 'SHORT_WEEKDAY_DATETIME_FORMAT')}–{date_format(end, 'TIME_FORMAT')}"
    return (
        f"{date_format(start, 'SHORT_WEEKDAY_DATETIME_FORMAT')} – {date_format(end, 'SHORT_WEEKDAY_DATETIME_FORMAT')}"
    )


def _hours_text(windows) -> str:
    return ", ".join(f"{opens:%H:%M}–{closes:%H:%M}" for opens, closes in windows)


class SlotTaken(ValidationError):
    """The booking keeps every rule, but another booking or a closure holds (part of) its time: the page can
    say so and offer other times and rooms instead of asking to check the input."""


def short_notice_hint() -> str:
    """The way out of the notice rule: the office's phone for short-notice requests (empty without one)."""
    phone = Office.load().phone
    return _("For shorter notice please call the office: {phone}.").format(phone=phone) if phone else ""


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
    window: tuple[datetime, datetime] | None = None,
    notice_hint: str | None = None,
    private_use: bool = False,
) -> list[str]:
    """Problems with the booking rules of the room (no database look-up of other bookings). A room list
    passes each room's `window` (`Room.booking_window`) and the `notice_hint` (`short_notice_hint`), both
    asked once per request. Private use (`Room.is_private_use`) may book less far ahead."""
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
        private = Room.is_private_use(private_use, initiative)
        earliest, latest = window if window and not private else room.booking_window(now, private_use=private)
        if starts_at >= now and starts_at < earliest:
            problem = _("Please book at least {hours} hours ahead. The earliest possible start is {earliest}.").format(
                hours=room.min_notice_hours, earliest=when(on_slot_grid(earliest))
            )
            hint = short_notice_hint() if notice_hint is None else notice_hint
            problems.append(f"{problem} {hint}".strip())
        if starts_at > latest and private and room.advance_days(True) != room.max_advance_days:
            problems.append(
                _("For private use this room can be booked at most {days} days ahead.").format(
                    days=room.advance_days(True)
                )
            )
        elif starts_at > latest:
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
    private_use: bool = False,
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
        private_use=private_use,
    )
    if not ends_before_start(starts_at, ends_at) and not implausible(starts_at, ends_at):
        problems += conflict_problems(room=room, starts_at=starts_at, ends_at=ends_at, exclude=exclude)
    return problems


def _counter_booker(counter_person: CounterPerson, created_by):
    """Only office staff book at the counter; the booking belongs to the account that confirmed the person's
    address, or to none until one does (quartier/counter.py)."""
    if not is_office_staff(created_by):
        raise PermissionDenied
    return account_with_address(counter_person.email)


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
        raise SlotTaken(
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
        channel, booked_by = Booking.Channel.OFFICE, _counter_booker(counter_person, created_by)
        responsible_name, responsible_phone = counter_person.name, counter_person.phone
        responsible_email = counter_person.email
    starts_at, ends_at = aware(starts_at), aware(ends_at)
    room = _lock_room(room)
    staff = is_office_staff(created_by)
    problems = rule_problems(
        room=room,
        starts_at=starts_at,
        ends_at=ends_at,
        attendees=attendees,
        booked_by=booked_by,
        staff=staff,
        initiative=initiative,
        private_use=private_use,
    )
    plausible = not ends_before_start(starts_at, ends_at) and not implausible(starts_at, ends_at)
    conflicts = conflict_problems(room=room, starts_at=starts_at, ends_at=ends_at) if plausible else []
    if problems:
        raise ValidationError(problems + conflicts)
    if conflicts:  # the locked re-check: the time was free when the form was shown, or someone was quicker
        raise SlotTaken(conflicts)
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
    private_use: bool = False,
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
                private_use=private_use,
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
    responsible_name: str = "",
    responsible_phone: str = "",
    responsible_email: str = "",
    show_title: bool = False,
    private_use: bool = False,
    created_by=None,
    initiative=None,
    skipped: list[tuple[datetime, datetime]] = (),
    counter_person: CounterPerson | None = None,
) -> BookingSeries:
    """Book the chosen dates as one series; if any date is no longer free, nothing is booked. `skipped` are the
    dates of the plan left out (not free, or not chosen): the one mail about the series names them too. At the
    office counter (`counter_person`) as in `book_room`."""
    channel = Booking.Channel.PORTAL
    if counter_person is not None:
        booked_by = _counter_booker(counter_person, created_by)
        channel = Booking.Channel.OFFICE
        responsible_name, responsible_phone = counter_person.name, counter_person.phone
        responsible_email = counter_person.email
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
            private_use=private_use,
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
            channel=channel,
        )
        _save_holding(booking)
    mails.series_received(series, skipped=sorted((aware(start), aware(end)) for start, end in skipped))
    return series


def _offer_to_waitlist(booking: Booking) -> None:
    """The freed time goes to the first in line whose wish fits (rooms/waitlist.py, which builds on this module:
    imported here, not at the top, so that the two files do not import each other)."""
    from . import waitlist

    waitlist.offer_freed(booking.room, booking.starts_at, booking.ends_at)


@transaction.atomic
def cancel_booking(*, booking: Booking, by, notify: bool = True, reason: str = "") -> Booking:
    """Cancel: the booker before the room's deadline, staff at any time. Frees the slot; a reason goes into the mail."""
    _lock_room(booking.room)  # first the room (the lock order of every booking write), then the booking
    # of=self: booked_by may be empty (a counter booking), and PostgreSQL cannot lock the empty side of a join.
    booking = (
        Booking.objects.select_for_update(of=("self",)).select_related("room__location", "booked_by").get(pk=booking.pk)
    )
    refusal = booking.cancel_refusal(by)
    if refusal:
        raise ValidationError(refusal)
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = timezone.now()
    booking.cancelled_by = by
    booking.save(update_fields=["status", "cancelled_at", "cancelled_by"])
    if notify:
        mails.booking_cancelled(booking, reason=reason.strip())
    _offer_to_waitlist(booking)  # the first in line gets a hold
    return booking


@transaction.atomic
def cancel_series(*, series: BookingSeries, by, from_date: date | None = None) -> int:
    """Cancel the remaining dates of a series (from a date on); returns how many were cancelled."""
    _lock_room(series.room)
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
    _lock_room(booking.room)
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != Booking.Status.REQUESTED:
        raise ValidationError(_("Only requested bookings can be declined."))
    booking.status = Booking.Status.DECLINED
    booking.decline_reason = reason
    booking.decided_by = by
    booking.save(update_fields=["status", "decline_reason", "decided_by"])
    mails.booking_declined(booking)
    _offer_to_waitlist(booking)
    return booking


DEPOSIT_FIELDS = ("deposit_state", "deposit_note", "deposit_withheld")


def record_change(*, obj: Booking, by, action: str, changes: dict | None = None) -> AuditEntry:
    """Writes one audit entry (who, when, what) for a booking's deposit."""
    return AuditEntry.record(obj=obj, by=by, action=action, changes=changes, booking=obj)


def deposit_values(booking: Booking) -> dict:
    """The deposit's state, note and amount withheld, as an audit entry holds them."""
    return {name: str(getattr(booking, name)) for name in DEPOSIT_FIELDS}


@transaction.atomic
def settle_deposit(*, booking: Booking, by, withheld: Decimal, reason: str = "") -> Booking:
    """The deposit goes back, in full or less a part withheld for a stated reason; audited, never undone."""
    booking = Booking.objects.select_for_update().select_related("room").get(pk=booking.pk)
    reason = (reason or "").strip()
    if booking.deposit_state != Booking.DepositState.HELD:
        raise ValidationError(_("Only a deposit that the office holds can be settled."))
    if withheld < ZERO or withheld > booking.deposit:
        raise ValidationError(_("At most the deposit can be withheld."))
    if withheld and not reason:
        raise ValidationError(_("Give a reason when the deposit is withheld."))
    before = deposit_values(booking)
    if withheld == ZERO:
        booking.deposit_state = Booking.DepositState.RETURNED
    elif withheld == booking.deposit:
        booking.deposit_state = Booking.DepositState.WITHHELD
    else:
        booking.deposit_state = Booking.DepositState.PARTLY_WITHHELD
    booking.deposit_withheld = withheld
    if reason:
        booking.deposit_note = reason
    booking.full_clean()
    booking.save(update_fields=list(DEPOSIT_FIELDS))
    record_change(obj=booking, by=by, action=AuditEntry.Action.SETTLED, changes=diff(before, deposit_values(booking)))
    return booking
