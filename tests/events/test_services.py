"""Registration with companions and waiting list; events holding rooms by the rooms app's rules."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events import services
from events.models import Event, Registration
from rooms.models import Booking

from ..factories import make_user
from ..rooms.factories import days_ahead, local, make_booking, make_room
from .factories import make_event

pytestmark = pytest.mark.django_db


def test_registration_until_full_then_waiting_list(resident, initiative_lead, staff):
    event = make_event(capacity=3, max_companions=2)
    first = services.register(event=event, user=resident, companions=1)
    second = services.register(event=event, user=initiative_lead)
    third = services.register(event=event, user=staff)
    assert (first.status, second.status, third.status) == ("registered", "registered", "waiting")


def test_nobody_jumps_the_waiting_list(resident, initiative_lead, staff):
    event = make_event(capacity=3, max_companions=2)
    services.register(event=event, user=resident, companions=1)
    waiting_group = services.register(event=event, user=initiative_lead, companions=2)
    single = services.register(event=event, user=staff)
    assert (waiting_group.status, single.status) == ("waiting", "waiting")


def test_cancelling_moves_the_first_in_line_up_and_mails_them(
    resident, initiative_lead, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(capacity=1)
    taken = services.register(event=event, user=resident)
    waiting = services.register(event=event, user=initiative_lead)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_registration(registration=taken, by=resident)
    waiting.refresh_from_db()
    assert waiting.status == "registered"
    moved = [m for m in mailoutbox if m.to == ["lead@example.org"]]
    assert moved and "Platz" in moved[-1].subject
    attachment = moved[-1].attachments[0][1]
    assert "BEGIN:VEVENT" in (attachment.decode() if isinstance(attachment, bytes) else attachment)


def test_registering_twice_companions_and_deadline_are_refused(resident):
    event = make_event(capacity=10, max_companions=2, registration_until=timezone.now() + timedelta(days=1))
    services.register(event=event, user=resident)
    with pytest.raises(ValidationError, match="bereits angemeldet"):
        services.register(event=event, user=resident)
    with pytest.raises(ValidationError, match="höchstens 2"):
        services.register(event=event, user=make_user(), companions=3)
    closed = make_event(registration_until=timezone.now() - timedelta(hours=1))
    with pytest.raises(ValidationError, match="geschlossen"):
        services.register(event=closed, user=resident)


def test_a_group_larger_than_the_event_is_refused(resident):
    event = make_event(capacity=2, max_companions=5)
    with pytest.raises(ValidationError):
        services.register(event=event, user=resident, companions=3)


def test_only_the_person_or_staff_cancel(resident, initiative_lead, staff):
    event = make_event(capacity=5)
    registration = services.register(event=event, user=resident)
    with pytest.raises(ValidationError):
        services.cancel_registration(registration=registration, by=initiative_lead)
    services.cancel_registration(registration=registration, by=staff)
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_an_event_in_a_room_holds_it_and_a_clash_is_refused_with_the_rooms_message(staff, resident):
    room = make_room()
    day = days_ahead(10)
    make_booking(room=room, booked_by=resident, starts_at=local(day, 18), ends_at=local(day, 20))
    event = Event(
        title="Lesung",
        slug="lesung",
        description="x",
        place=Event.Place.ROOM,
        room=room,
        starts_at=local(day, 19),
        ends_at=local(day, 21),
    )
    with pytest.raises(ValidationError, match="bereits gebucht"):
        services.save_event(event=event, by=staff)
    event.starts_at, event.ends_at = local(day, 20), local(day, 22)
    services.save_event(event=event, by=staff)
    assert event.booking.starts_at == local(day, 20) and event.booking.status == "confirmed"


def test_moving_an_event_moves_its_booking_and_cancelling_frees_the_room(staff):
    room = make_room()
    day = days_ahead(10)
    event = Event(
        title="Lesung",
        slug="lesung",
        description="x",
        place=Event.Place.ROOM,
        room=room,
        starts_at=local(day, 10),
        ends_at=local(day, 12),
    )
    services.save_event(event=event, by=staff)
    old = event.booking
    event.starts_at, event.ends_at = local(day, 14), local(day, 16)
    services.save_event(event=event, by=staff)
    old.refresh_from_db()
    assert old.status == "cancelled"
    assert event.booking.starts_at == local(day, 14)
    services.cancel_event(event=event, by=staff)
    assert Booking.objects.holding().filter(room=room).count() == 0


def test_cancelling_an_event_cancels_registrations_and_tells_people(
    staff, resident, mailoutbox, django_capture_on_commit_callbacks
):
    event = make_event(capacity=5)
    services.register(event=event, user=resident)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_event(event=event, by=staff)
    assert Registration.objects.get().status == "cancelled"
    assert "abgesagt" in mailoutbox[-1].subject


def test_ics_parses_back_with_berlin_times_uid_and_rising_sequence(staff):
    from zoneinfo import ZoneInfo

    from icalendar import Calendar

    from events.ics import event_ics

    event = make_event(starts_at=local(days_ahead(10), 18))
    first = Calendar.from_ical(event_ics(event)).walk("VEVENT")[0]
    assert first.decoded("dtstart").astimezone(ZoneInfo("Europe/Berlin")).hour == 18
    assert str(first["uid"]).startswith(f"event-{event.pk}@")
    event.starts_at, event.ends_at = local(days_ahead(11), 19), local(days_ahead(11), 21)
    services.save_event(event=event, by=staff)
    moved = Calendar.from_ical(event_ics(event)).walk("VEVENT")[0]
    assert str(moved["uid"]) == str(first["uid"])
    assert int(moved["sequence"]) > int(first["sequence"])
    assert moved.decoded("dtstart").astimezone(ZoneInfo("Europe/Berlin")).hour == 19
    other = make_event()
    assert str(Calendar.from_ical(event_ics(other)).walk("VEVENT")[0]["uid"]) != str(first["uid"])


@pytest.mark.django_db(transaction=True)
def test_twenty_residents_register_at_once_for_ten_seats(postgres):
    event = make_event(capacity=10)
    users = [make_user() for _ in range(20)]
    barrier = threading.Barrier(20)

    def attempt(user):
        from django.db import connection

        try:
            barrier.wait()
            services.register(event=event, user=user)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert Registration.objects.filter(event=event).count() == 20
    assert Registration.objects.filter(event=event, status="registered").count() == 10
    assert Registration.objects.filter(event=event, status="waiting").count() == 10
    one = Registration.objects.filter(event=event, status="registered").first()
    services.cancel_registration(registration=one, by=one.user)
    assert Registration.objects.filter(event=event, status="registered").count() == 10
    assert Registration.objects.filter(event=event, status="waiting").count() == 9
