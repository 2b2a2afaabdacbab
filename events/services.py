"""Event workflows: holding a room through the rooms app, registration with waiting list, cancellation."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from quartier.counter import CounterPerson, account_with_address
from quartier.models import Office
from quartier.staff import is_office_staff
from rooms import services as rooms_services

from . import mails
from .models import Event, Registration


@transaction.atomic
def save_event(*, event: Event, by) -> Event:
    """Save an event; one in a portal room holds that room by the rooms app's rules (a clash is refused
    with its message); moving the event moves the booking, another place or a cancellation frees it."""
    event.full_clean()
    if event.pk:
        before = (
            Event.objects.filter(pk=event.pk)
            .values("starts_at", "ends_at", "place", "room_id", "address", "is_cancelled")
            .first()
        )
        after = {
            "starts_at": event.starts_at,
            "ends_at": event.ends_at,
            "place": event.place,
            "room_id": event.room_id,
            "address": event.address,
            "is_cancelled": event.is_cancelled,
        }
        if before and before != after:
            event.sequence += 1  # calendars replace the earlier version of the event
    old_booking = event.booking if event.booking_id else None
    needs_room = event.place == Event.Place.ROOM and not event.is_cancelled
    same = (
        old_booking is not None
        and needs_room
        and old_booking.holds_slot
        and old_booking.room_id == event.room_id
        and old_booking.starts_at == event.starts_at
        and old_booking.ends_at == event.ends_at
    )
    if old_booking is not None and not same and old_booking.holds_slot:
        rooms_services.cancel_booking(booking=old_booking, by=by, notify=False)
        event.booking = None
    if needs_room and not same:
        event.booking = rooms_services.book_room(
            room=event.room,
            booked_by=by,
            starts_at=event.starts_at,
            ends_at=event.ends_at,
            title=event.title[:120],
            attendees=min(event.capacity or 1, event.room.capacity),
            responsible_name=by.get_full_name(),
            responsible_phone=Office.load().phone or "-",
            responsible_email=by.email,
            show_title=True,
            created_by=by,
        )
    event.save()
    return event


@transaction.atomic
def cancel_event(*, event: Event, by, reason: str = "") -> Event:
    """Cancel the event (never delete it): its room is freed and everyone registered or waiting is told, with
    the reason."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:
        raise ValidationError(_("This event is already cancelled."))
    event.is_cancelled = True
    save_event(event=event, by=by)
    registrations = list(event.registrations.active().select_related("user"))
    event.registrations.active().update(status=Registration.Status.CANCELLED, cancelled_at=timezone.now())
    for r in registrations:
        mails.event_cancelled(r, reason=(reason or "").strip())
    return event


def places_taken(event: Event) -> int:
    return event.registrations.registered().aggregate(total=Sum("places", default=0))["total"]


def _counter_registrant(counter_person: CounterPerson, created_by) -> tuple:
    """Only office staff register at the counter; the registration belongs to the account that confirmed the
    person's address, or to none until one does (quartier/counter.py). Returns (account, fields of the row)."""
    if not is_office_staff(created_by):
        raise PermissionDenied
    fields = {
        "name": counter_person.name,
        "phone": counter_person.phone,
        "email": counter_person.email,
        "channel": Registration.Channel.OFFICE,
        "created_by": created_by,
    }
    return account_with_address(counter_person.email), fields


@transaction.atomic
def register(
    *,
    event: Event,
    user=None,
    companions: int = 0,
    counter_person: CounterPerson | None = None,
    created_by=None,
) -> Registration:
    """Register a person (and companions); when the places are taken, they join the waiting list. At the office
    counter (`counter_person`, only office staff as `created_by`) the person needs no account."""
    person = {}
    if counter_person is not None:
        user, person = _counter_registrant(counter_person, created_by)
    event = Event.objects.select_for_update().get(pk=event.pk)  # serialise registrations of one event
    if not event.registration_open():
        raise ValidationError(_("Registration for this event is closed."))
    if companions < 0 or companions > event.max_companions:
        raise ValidationError(_("You can bring at most {n} companions.").format(n=event.max_companions))
    active = event.registrations.active()
    registered = user is not None and active.filter(user=user).exists()
    if counter_person is not None and counter_person.email:
        if registered or active.filter(email__iexact=counter_person.email).exists():
            raise ValidationError(_("This e-mail address is already registered for this event."))
    if registered:
        raise ValidationError(_("You are already registered for this event."))
    places = companions + 1
    if event.capacity is not None and places > event.capacity:
        raise ValidationError(_("The event has only {n} places.").format(n=event.capacity))
    free = event.capacity is None or places_taken(event) + places <= event.capacity
    has_queue = event.registrations.waiting().exists()
    status = Registration.Status.REGISTERED if free and not has_queue else Registration.Status.WAITING
    registration = Registration.objects.create(
        event=event, user=user, companions=companions, places=places, status=status, **person
    )
    mails.registration_received(registration)
    return registration


@transaction.atomic
def cancel_registration(*, registration: Registration, by, notify: bool = True) -> Registration:
    """Cancel a registration; freed places go to the waiting list in order, and those moved up are mailed."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.user_id != by.pk and not is_office_staff(by):
        raise ValidationError(_("You can only cancel your own registration."))
    if registration.status == Registration.Status.CANCELLED:
        raise ValidationError(_("This registration is already cancelled."))
    if event.ends_at <= timezone.now():
        raise ValidationError(_("This event is over."))
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "cancelled_at"])
    promoted = promote_waiting(event)
    if notify:
        mails.registration_cancelled(registration)
    for r in promoted:
        mails.moved_up(r)
    return registration


def promote_waiting(event: Event) -> list[Registration]:
    """Move people up from the waiting list, first come first served, while their places fit."""
    promoted = []
    taken = places_taken(event)
    for waiting in event.registrations.waiting().select_related("user"):
        if event.capacity is not None and taken + waiting.places > event.capacity:
            break  # keep the order: nobody jumps the queue with a smaller group
        waiting.status = Registration.Status.REGISTERED
        waiting.save(update_fields=["status"])
        taken += waiting.places
        promoted.append(waiting)
    return promoted


def message_registered(*, events, subject: str, text: str) -> int:
    """Organisers write to everyone registered for the events (one mail per person and event)."""
    registrations = list(Registration.objects.registered().filter(event__in=events).select_related("event", "user"))
    for registration in registrations:
        mails.organiser_message(registration, subject=subject, text=text)
    return len(registrations)


@transaction.atomic
def propose_topic(*, conference, user, title: str, description: str):
    """A resident proposes a topic before the deadline."""
    from .models import Conference, Proposal

    conference = Conference.objects.select_for_update().select_related("event").get(pk=conference.pk)
    if not conference.proposals_open():
        raise ValidationError(_("The deadline for topic proposals has passed."))
    return Proposal.objects.create(conference=conference, proposed_by=user, title=title, description=description)


@transaction.atomic
def support_proposal(*, proposal, user):
    """Another resident supports an open proposal, once."""
    from django.db import IntegrityError

    from .models import Proposal, Support

    proposal = Proposal.objects.select_for_update().select_related("conference__event").get(pk=proposal.pk)
    if proposal.proposed_by_id == user.pk:
        raise ValidationError(_("You cannot support your own proposal."))
    if proposal.status != Proposal.Status.OPEN or not proposal.conference.proposals_open():
        raise ValidationError(_("This proposal can no longer be supported."))
    try:
        with transaction.atomic():
            return Support.objects.create(proposal=proposal, user=user)
    except IntegrityError:
        raise ValidationError(_("You already support this proposal.")) from None


@transaction.atomic
def accept_proposal(*, proposal, presenter: str = ""):
    """Staff take a proposal onto the agenda as the next numbered item."""
    from django.db.models import Max

    from .models import AgendaItem, Conference, Proposal

    Conference.objects.select_for_update().get(pk=proposal.conference_id)
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != Proposal.Status.OPEN:
        raise ValidationError(_("Only open proposals can be accepted."))
    number = (AgendaItem.objects.filter(conference_id=proposal.conference_id).aggregate(n=Max("number"))["n"] or 0) + 1
    item = AgendaItem.objects.create(
        conference_id=proposal.conference_id,
        number=number,
        title=proposal.title,
        description=proposal.description,
        presenter=presenter,
    )
    proposal.status = Proposal.Status.ACCEPTED
    proposal.save(update_fields=["status"])
    return item


def decline_proposal(*, proposal, reason: str):
    from .models import Proposal

    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Please give a public reason for declining."))
    if proposal.status != Proposal.Status.OPEN:
        raise ValidationError(_("Only open proposals can be declined."))
    proposal.status = Proposal.Status.DECLINED
    proposal.decline_reason = reason
    proposal.save(update_fields=["status", "decline_reason"])
    return proposal


@transaction.atomic
def record_decision_update(*, decision, status: str, note: str, date=None):
    """A dated status update; the decision takes its status."""
    from .models import Decision, DecisionUpdate

    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    update = DecisionUpdate.objects.create(
        decision=decision, status=status, note=note, date=date or timezone.localdate()
    )
    decision.status = status
    decision.save(update_fields=["status"])
    return update
