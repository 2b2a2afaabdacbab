"""The waiting list under concurrency (PostgreSQL): one freed slot gives exactly one hold, two freed at once give
two holds to the first two in line, parallel cron runs release each lapsed hold once."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from rooms import services, waitlist
from rooms.models import Booking, WaitlistEntry

from ..concurrency import race
from ..factories import make_staff, make_user
from .factories import days_ahead, local, make_booking, make_room

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def _wait(room, user, day, start=18, end=20):
    return waitlist.join(
        room=room,
        user=user,
        starts_at=local(day, start),
        ends_at=local(day, end),
        title="Chor",
        attendees=5,
        responsible_name="W",
        responsible_phone="1",
    )


def _command():
    call_command("process_waiting_list", stdout=StringIO())


def test_one_cancellation_with_20_waiting_gives_exactly_one_hold(postgres):
    room = make_room()
    day = days_ahead(9)
    holder = make_user()
    booking = make_booking(room=room, booked_by=holder, starts_at=local(day, 18), ends_at=local(day, 20))
    people = [make_user() for _ in range(20)]
    entries = [_wait(room, person, day) for person in people]
    staff = make_staff()
    # The holder and the office cancel at the same moment while three cron runs go through the list.
    race(
        [
            lambda: services.cancel_booking(booking=booking, by=holder),
            lambda: services.cancel_booking(booking=booking, by=staff),
            _command,
            _command,
            _command,
        ]
    )
    holds = list(Booking.objects.filter(room=room, status=Booking.Status.OFFERED))
    assert len(holds) == 1
    assert holds[0].booked_by == people[0]
    states = list(
        WaitlistEntry.objects.filter(pk__in=[e.pk for e in entries]).order_by("pk").values_list("state", flat=True)
    )
    assert states == ["offered"] + ["waiting"] * 19


def test_two_cancellations_at_once_give_two_holds_to_the_first_two(postgres):
    room = make_room()
    day = days_ahead(9)
    holder = make_user()
    tuesday = make_booking(room=room, booked_by=holder, starts_at=local(day, 18), ends_at=local(day, 20))
    wednesday_day = day + timedelta(days=1)
    wednesday = make_booking(
        room=room, booked_by=holder, starts_at=local(wednesday_day, 18), ends_at=local(wednesday_day, 20)
    )
    people = [make_user() for _ in range(20)]
    entries = [_wait(room, person, day if n % 2 == 0 else wednesday_day) for n, person in enumerate(people)]
    race(
        [
            lambda: services.cancel_booking(booking=tuesday, by=holder),
            lambda: services.cancel_booking(booking=wednesday, by=holder),
        ]
    )
    holds = Booking.objects.filter(room=room, status=Booking.Status.OFFERED)
    assert sorted(h.booked_by_id for h in holds) == sorted([people[0].pk, people[1].pk])
    assert WaitlistEntry.objects.filter(pk__in=[e.pk for e in entries], state="offered").count() == 2


def test_parallel_cron_runs_release_a_lapsed_hold_once(postgres):
    room = make_room()
    day = days_ahead(9)
    holder = make_user()
    booking = make_booking(room=room, booked_by=holder, starts_at=local(day, 18), ends_at=local(day, 20))
    people = [make_user() for _ in range(5)]
    entries = [_wait(room, person, day) for person in people]
    services.cancel_booking(booking=booking, by=holder)
    Booking.objects.filter(status="offered").update(offer_expires_at=timezone.now() - timedelta(minutes=1))
    race([_command] * 4)
    states = list(
        WaitlistEntry.objects.filter(pk__in=[e.pk for e in entries]).order_by("pk").values_list("state", flat=True)
    )
    assert states == ["expired", "offered", "waiting", "waiting", "waiting"]
    assert Booking.objects.filter(room=room, status="offered").count() == 1


def test_a_hold_and_a_booking_never_overlap_in_the_database(postgres):
    """The hold is under the exclusion constraint: a booking saved past every check is refused."""
    from django.db import IntegrityError

    room = make_room()
    day = days_ahead(9)
    holder = make_user()
    booking = make_booking(room=room, booked_by=holder, starts_at=local(day, 18), ends_at=local(day, 20))
    _wait(room, make_user(), day)
    services.cancel_booking(booking=booking, by=holder)
    with pytest.raises(IntegrityError):
        make_booking(room=room, booked_by=make_user(), starts_at=local(day, 19), ends_at=local(day, 21))


def test_parallel_reconfirmation_runs_ask_and_release_once(postgres):
    from quartier.models import OutgoingMail
    from rooms.models import BookingSeries

    room = make_room()
    asked_booker, released_booker = make_user(), make_user()
    series = {}
    for name, booker in (("ask", asked_booker), ("release", released_booker)):
        series[name] = BookingSeries.objects.create(room=room, booked_by=booker, frequency="weekly")
        for n in range(6):
            day = days_ahead(3 + 7 * n + (1 if name == "release" else 0))
            make_booking(
                room=room, booked_by=booker, series=series[name], starts_at=local(day, 18), ends_at=local(day, 20)
            )
    series["ask"].confirmed_until = timezone.localdate() + timedelta(days=10)
    series["ask"].save()
    series["release"].confirmed_until = timezone.localdate() - timedelta(days=1)
    series["release"].reconfirm_asked_at = timezone.now() - timedelta(days=15)
    series["release"].reconfirm_reminded_at = timezone.now() - timedelta(days=8)
    series["release"].save()
    waiting = make_user()
    first_released = series["release"].bookings.order_by("starts_at").first()
    _wait(room, waiting, timezone.localdate(first_released.starts_at))
    run = lambda: call_command("reconfirm_series", stdout=StringIO())  # noqa: E731
    race([run] * 4)
    assert OutgoingMail.objects.filter(to=asked_booker.email).count() == 1
    assert OutgoingMail.objects.filter(to=released_booker.email).count() == 1
    assert series["release"].bookings.filter(status="cancelled").count() == 6
    assert Booking.objects.filter(room=room, status="offered", booked_by=waiting).count() == 1
    race([run] * 2)
    assert OutgoingMail.objects.filter(to__in=[asked_booker.email, released_booker.email]).count() == 2
