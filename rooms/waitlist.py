"""The waiting list for taken slots (write side): join and leave, offer a freed slot to the first in line whose
wish still fits, take or decline the offer, let unanswered offers lapse.

The offer is a booking with status `offered` (`Booking.HOLDING`): the exclusion constraint keeps it from clashing
with any booking made meanwhile, and every read of busy times sees it. Offers are made with the room locked
(`services._lock_room`), so that two cancellations at once offer to the first two in line, never twice to one.
Lock order everywhere: the room, then its bookings."""

from datetime import datetime

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import mails, services
from .models import Booking, Room, WaitlistEntry

OFFER_LINK_SALT = "rooms.waitlist-offer"
OFFER_LINK_MAX_AGE = 7 * 24 * 3600  # longer than any hold; the hold's own end (offer_expires_at) decides first


def offer_token(entry: WaitlistEntry) -> str:
    return signing.dumps({"entry": entry.pk, "booking": entry.offer_id, "user": entry.user_id}, salt=OFFER_LINK_SALT)


def entry_from_token(token: str) -> WaitlistEntry:
    """The entry a link is for; raises signing.SignatureExpired, signing.BadSignature or WaitlistEntry.DoesNotExist."""
    data = signing.loads(token, salt=OFFER_LINK_SALT, max_age=OFFER_LINK_MAX_AGE)
    try:
        return WaitlistEntry.objects.select_related("room__location", "offer", "user").get(
            pk=data["entry"], offer_id=data["booking"], user_id=data["user"]
        )
    except (KeyError, TypeError):
        raise signing.BadSignature from None


def join_problems(
    *, room: Room, user, starts_at: datetime, ends_at: datetime, attendees: int, private_use: bool = False
) -> list[str]:
    """Why this wish cannot go on the list: the room's rules (as for a booking), a free time (book it instead),
    or the same person already waiting for an overlapping time."""
    problems = services.rule_problems(
        room=room, starts_at=starts_at, ends_at=ends_at, attendees=attendees, booked_by=user, private_use=private_use
    )
    if problems:
        return problems
    if not services.conflict_problems(room=room, starts_at=starts_at, ends_at=ends_at):
        return [_("This time is free. You can book it right away.")]
    if WaitlistEntry.objects.open().filter(room=room, user=user, starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
        return [_("You are already on the waiting list for this time.")]
    return []


@transaction.atomic
def join(
    *,
    room: Room,
    user,
    starts_at: datetime,
    ends_at: datetime,
    title: str,
    attendees: int,
    responsible_name: str,
    responsible_phone: str,
    private_use: bool = False,
) -> WaitlistEntry:
    starts_at, ends_at = services.aware(starts_at), services.aware(ends_at)
    room = services._lock_room(room)
    problems = join_problems(
        room=room, user=user, starts_at=starts_at, ends_at=ends_at, attendees=attendees, private_use=private_use
    )
    if problems:
        raise ValidationError(problems)
    return WaitlistEntry.objects.create(
        room=room,
        user=user,
        starts_at=starts_at,
        ends_at=ends_at,
        title=title,
        attendees=attendees,
        responsible_name=responsible_name,
        responsible_phone=responsible_phone,
        private_use=private_use,
    )


@transaction.atomic
def leave(*, entry: WaitlistEntry, by) -> WaitlistEntry:
    """Leave the list; an open offer is declined (and goes to the next in line)."""
    entry = WaitlistEntry.objects.select_for_update().get(pk=entry.pk, user=by)
    if entry.state == WaitlistEntry.State.OFFERED:
        decline_offer(entry=entry)
        entry.refresh_from_db()
    if entry.state == WaitlistEntry.State.WAITING:
        entry.state, entry.decided_at = WaitlistEntry.State.LEFT, timezone.now()
        entry.save(update_fields=["state", "decided_at"])
    return entry


def _fits(entry: WaitlistEntry, room: Room, now: datetime) -> bool:
    """The wish still fits: it lies ahead, the room holds the group, and nothing (booking, hold, closure) takes
    any part of its time."""
    if entry.starts_at <= now or entry.attendees > room.capacity:
        return False
    return not services.conflict_problems(room=room, starts_at=entry.starts_at, ends_at=entry.ends_at)


def offer_freed(room: Room, starts_at: datetime | None = None, ends_at: datetime | None = None, now=None) -> list:
    """Offer what became free in the room (between `starts_at` and `ends_at`, or anywhere) to the first in line
    whose wish fits, then to the next whose wish still fits beside it; returns the new offers. Call inside the
    transaction that freed the slot: the room is locked here, the mails leave with the commit."""
    now = now or timezone.now()
    room = services._lock_room(room)
    waiting = WaitlistEntry.objects.waiting().filter(room=room, starts_at__gt=now).select_related("user")
    if starts_at is not None and ends_at is not None:
        waiting = waiting.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)
    offers = []
    for entry in waiting.order_by("created_at", "pk"):
        if not _fits(entry, room, now):
            continue
        booking = services._new_booking(
            room=room,
            booked_by=entry.user,
            starts_at=entry.starts_at,
            ends_at=entry.ends_at,
            title=entry.title,
            attendees=entry.attendees,
            responsible_name=entry.responsible_name,
            responsible_phone=entry.responsible_phone,
            responsible_email=entry.user.email,
            show_title=False,
            private_use=entry.private_use,
            created_by=None,
            series=None,
        )
        booking.status = Booking.Status.OFFERED
        booking.offer_expires_at = room.waitlist_hold_until(entry.starts_at, now)
        try:
            services._save_holding(booking)
        except services.SlotTaken:
            continue
        entry.state, entry.offer = WaitlistEntry.State.OFFERED, booking
        entry.save(update_fields=["state", "offer"])
        mails.waitlist_offer(entry, offer_token(entry))
        offers.append(booking)
    return offers


def _lock_offer(entry: WaitlistEntry) -> tuple[WaitlistEntry, Booking | None]:
    services._lock_room(entry.room)
    entry = WaitlistEntry.objects.select_for_update().select_related("room__location", "user").get(pk=entry.pk)
    booking = Booking.objects.select_for_update().get(pk=entry.offer_id) if entry.offer_id else None
    return entry, booking


def _release(entry: WaitlistEntry, booking: Booking, state: str, now: datetime) -> None:
    booking.status, booking.cancelled_at = Booking.Status.CANCELLED, now
    booking.save(update_fields=["status", "cancelled_at"])
    entry.state, entry.decided_at = state, now
    entry.save(update_fields=["state", "decided_at"])
    offer_freed(entry.room, booking.starts_at, booking.ends_at, now=now)


@transaction.atomic
def take_offer(*, entry: WaitlistEntry, now=None) -> WaitlistEntry:
    """The person takes the held slot: it becomes her booking (requested or confirmed as the room requires).
    A second click, or one after the hold lapsed, changes nothing: the entry's state says what happened."""
    now = now or timezone.now()
    entry, booking = _lock_offer(entry)
    if entry.state != WaitlistEntry.State.OFFERED or booking is None or booking.status != Booking.Status.OFFERED:
        return entry
    if booking.offer_expires_at <= now:
        _release(entry, booking, WaitlistEntry.State.EXPIRED, now)
        return entry
    approval = entry.room.requires_approval
    booking.status = Booking.Status.REQUESTED if approval else Booking.Status.CONFIRMED
    booking.save(update_fields=["status"])
    entry.state, entry.decided_at = WaitlistEntry.State.TAKEN, now
    entry.save(update_fields=["state", "decided_at"])
    mails.booking_received(booking)
    return entry


@transaction.atomic
def decline_offer(*, entry: WaitlistEntry, now=None) -> WaitlistEntry:
    """'No thanks': the hold ends and the slot goes to the next in line. Replays change nothing."""
    now = now or timezone.now()
    entry, booking = _lock_offer(entry)
    if entry.state == WaitlistEntry.State.OFFERED and booking is not None and booking.is_offered:
        expired = booking.offer_expires_at <= now
        _release(entry, booking, WaitlistEntry.State.EXPIRED if expired else WaitlistEntry.State.DECLINED, now)
    return entry


def expire_one(now=None) -> WaitlistEntry | None:
    """Let one lapsed hold go (the next in line is asked); None when there is none. For the cron command: a
    parallel run skips the rows this one holds (skip_locked)."""
    now = now or timezone.now()
    with transaction.atomic():
        booking = (
            Booking.objects.select_for_update(skip_locked=True)
            .filter(status=Booking.Status.OFFERED, offer_expires_at__lte=now)
            .order_by("offer_expires_at")
            .first()
        )
        if booking is None:
            return None
        entry = WaitlistEntry.objects.get(offer=booking)
    # Lock in the one order (room, then booking) and look again: a click may have come in between.
    with transaction.atomic():
        entry, booking = _lock_offer(entry)
        if booking is not None and booking.is_offered and booking.offer_expires_at <= now:
            _release(entry, booking, WaitlistEntry.State.EXPIRED, now)
            mails.waitlist_offer_lapsed(entry)
    return entry


def offer_free_times(now=None) -> int:
    """Offer slots that became free without a cancellation (a closure ended or was shortened) in every room
    with people waiting; returns how many offers were made."""
    now = now or timezone.now()
    made = 0
    room_ids = WaitlistEntry.objects.waiting().filter(starts_at__gt=now).values_list("room_id", flat=True).distinct()
    for room in Room.objects.filter(pk__in=list(room_ids)).order_by("pk"):
        with transaction.atomic():
            made += len(offer_freed(room, now=now))
    return made
