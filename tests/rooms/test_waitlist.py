"""The waiting list for a taken slot: join, the first in line gets a hold (a booking under the exclusion
constraint), take it or decline it by a signed link, lapsed holds go to the next, nobody jumps the line."""

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from quartier.models import OutgoingMail
from rooms import services, waitlist
from rooms.models import Booking, WaitlistEntry

from ..factories import make_staff, make_user
from .factories import days_ahead, local, make_booking, make_closure, make_room

pytestmark = pytest.mark.django_db

DAY = days_ahead(10)


def _wait(room, user, start=18, end=20, day=DAY, **fields):
    return waitlist.join(
        room=room,
        user=user,
        starts_at=local(day, start),
        ends_at=local(day, end),
        title=fields.pop("title", "Chorprobe"),
        attendees=fields.pop("attendees", 8),
        responsible_name=user.display_name,
        responsible_phone="0231 1",
        **fields,
    )


@pytest.fixture
def taken(office):
    room = make_room()
    holder = make_user(display_name="Holder")
    booking = make_booking(room=room, booked_by=holder, starts_at=local(DAY, 18), ends_at=local(DAY, 20))
    return room, holder, booking


def _mails_to(user, subject_part=""):
    return [m for m in OutgoingMail.objects.filter(to=user.email) if subject_part in m.subject]


def test_a_cancellation_holds_the_slot_for_the_first_in_line_only(taken):
    room, holder, booking = taken
    first, second = make_user(), make_user()
    entry_1, entry_2 = _wait(room, first), _wait(room, second)
    assert (entry_1.position, entry_2.position) == (1, 2)
    services.cancel_booking(booking=booking, by=holder)
    entry_1.refresh_from_db()
    entry_2.refresh_from_db()
    assert entry_1.state == "offered" and entry_2.state == "waiting"
    hold = entry_1.offer
    assert hold.status == "offered" and hold.holds_slot and hold.booked_by == first
    assert timezone.now() + timedelta(hours=23) < hold.offer_expires_at <= timezone.now() + timedelta(hours=24)
    assert _mails_to(first, "wartet") or _mails_to(first)  # the offer mail (German subject)
    assert not _mails_to(second)
    # The hold takes the slot: nobody can book it meanwhile.
    problems = services.check_booking(room=room, starts_at=local(DAY, 18), ends_at=local(DAY, 19))
    assert problems
    with pytest.raises(ValidationError):
        services.book_room(
            room=room, booked_by=make_user(), starts_at=local(DAY, 19), ends_at=local(DAY, 20), title="x", attendees=2
        )


def test_the_hold_is_shorter_when_the_slot_is_close(office):
    room = make_room(min_notice_hours=0)
    start = timezone.now() + timedelta(hours=6)
    assert room.waitlist_hold_until(start, timezone.now()) <= timezone.now() + timedelta(hours=3, seconds=1)
    assert room.waitlist_hold_until(timezone.now() + timedelta(days=20), timezone.now()) <= timezone.now() + timedelta(
        hours=24, seconds=1
    )


def test_decline_and_taking_and_replays_through_the_link(client, taken):
    room, holder, booking = taken
    first, second = make_user(), make_user()
    entry_1, entry_2 = _wait(room, first), _wait(room, second)
    services.cancel_booking(booking=booking, by=holder)
    entry_1.refresh_from_db()
    url = reverse("rooms:waitlist_offer", args=[waitlist.offer_token(entry_1)])
    page = client.get(url)
    assert page.status_code == 200 and "Nehmen" in page.content.decode() or "take" in page.content.decode()
    declined = client.post(url, {"answer": "decline"})
    assert declined.status_code == 200
    entry_1.refresh_from_db()
    entry_2.refresh_from_db()
    assert entry_1.state == "declined" and entry_1.offer.status == "cancelled"
    assert entry_2.state == "offered"  # the next in line
    # Replay: a second click (even "take") changes nothing and says so.
    client.post(url, {"answer": "take"})
    entry_1.refresh_from_db()
    assert entry_1.state == "declined"
    url_2 = reverse("rooms:waitlist_offer", args=[waitlist.offer_token(entry_2)])
    taken_page = client.post(url_2, {"answer": "take"})
    entry_2.refresh_from_db()
    assert entry_2.state == "taken" and entry_2.offer.status == "confirmed"
    assert "gehört Ihnen" in taken_page.content.decode() or "yours" in taken_page.content.decode()
    assert client.post(url_2, {"answer": "decline"}).status_code == 200
    entry_2.refresh_from_db()
    assert entry_2.state == "taken" and entry_2.offer.status == "confirmed"  # a replayed "no thanks" is harmless


def test_tampered_foreign_and_expired_links_are_refused(client, taken):
    room, holder, booking = taken
    entry = _wait(room, make_user())
    services.cancel_booking(booking=booking, by=holder)
    entry.refresh_from_db()
    token = waitlist.offer_token(entry)
    assert (
        client.post(reverse("rooms:waitlist_offer", args=[token[:-3] + "abc"]), {"answer": "take"}).status_code == 404
    )
    foreign = signing.dumps(
        {"entry": entry.pk, "booking": entry.offer_id, "user": entry.user_id + 99}, salt=waitlist.OFFER_LINK_SALT
    )
    assert client.post(reverse("rooms:waitlist_offer", args=[foreign]), {"answer": "take"}).status_code == 404
    later = __import__("time").time() + 8 * 24 * 3600
    with mock.patch("django.core.signing.time.time", return_value=later):
        assert client.post(reverse("rooms:waitlist_offer", args=[token]), {"answer": "take"}).status_code == 410
    entry.refresh_from_db()
    assert entry.state == "offered"


def test_a_hold_not_taken_in_time_goes_to_the_next_and_the_command_is_idempotent(client, taken):
    room, holder, booking = taken
    first, second = make_user(), make_user()
    entry_1, entry_2 = _wait(room, first), _wait(room, second)
    services.cancel_booking(booking=booking, by=holder)
    entry_1.refresh_from_db()
    Booking.objects.filter(pk=entry_1.offer_id).update(offer_expires_at=timezone.now() - timedelta(minutes=1))
    out = StringIO()
    call_command("process_waiting_list", stdout=out)
    assert "1 hold(s) lapsed" in out.getvalue()
    call_command("process_waiting_list", stdout=(again := StringIO()))
    assert "0 hold(s) lapsed, 0 new offer(s)" in again.getvalue()
    entry_1.refresh_from_db()
    entry_2.refresh_from_db()
    assert entry_1.state == "expired" and entry_2.state == "offered"
    assert Booking.objects.filter(room=room, status="offered").count() == 1
    # The late click on the first offer: nothing changes.
    client.post(reverse("rooms:waitlist_offer", args=[waitlist.offer_token(entry_1)]), {"answer": "take"})
    entry_1.refresh_from_db()
    assert entry_1.state == "expired"


def test_a_wish_that_no_longer_fits_is_skipped_but_keeps_its_place(taken):
    room, holder, booking = taken
    first, second = make_user(), make_user()
    entry_1 = _wait(room, first, 18, 21)  # wants 18–21, but 20–21 gets booked meanwhile
    make_booking(room=room, booked_by=make_user(), starts_at=local(DAY, 20), ends_at=local(DAY, 21))
    entry_2 = _wait(room, second, 18, 20)
    services.cancel_booking(booking=booking, by=holder)
    entry_1.refresh_from_db()
    entry_2.refresh_from_db()
    assert entry_1.state == "waiting" and entry_2.state == "offered"


def test_a_declined_request_and_an_ended_closure_offer_the_slot(office, staff):
    room = make_room(requires_approval=True)
    request = make_booking(
        room=room, booked_by=make_user(), starts_at=local(DAY, 18), ends_at=local(DAY, 20), status="requested"
    )
    entry = _wait(room, make_user())
    services.decline_booking(booking=request, by=staff, reason="Doppelt")
    entry.refresh_from_db()
    assert entry.state == "offered"
    closure = make_closure(
        room=room, starts_at=local(DAY + timedelta(days=1), 8), ends_at=local(DAY + timedelta(days=1), 22)
    )
    later = _wait(room, make_user(), day=DAY + timedelta(days=1))
    closure.delete()
    call_command("process_waiting_list", stdout=StringIO())
    later.refresh_from_db()
    assert later.state == "offered"


def test_join_refuses_a_free_time_and_a_second_wish(taken):
    room, _holder, _booking = taken
    person = make_user()
    with pytest.raises(ValidationError, match="ist frei"):
        _wait(room, person, 10, 12)
    _wait(room, person)
    with pytest.raises(ValidationError):
        _wait(room, person)


def test_the_join_form_fills_in_the_phone_of_the_last_booking(client, taken):
    room, holder, _booking = taken
    client.force_login(holder)
    form = client.get(
        reverse("rooms:waitlist_join", args=[room.slug]) + f"?date={DAY.isoformat()}&start=18:00&end=20:00"
    )
    assert 'value="0231 123456"' in form.content.decode()  # from make_booking's responsible_phone


def test_join_leave_and_position_through_the_pages(client, taken):
    room, holder, booking = taken
    ahead = make_user()
    _wait(room, ahead)
    person = make_user()
    client.force_login(person)
    week = client.get(reverse("rooms:detail", args=[room.slug]) + f"?week={DAY.isoformat()}").content.decode()
    join_url = reverse("rooms:waitlist_join", args=[room.slug])
    assert join_url in week and "Warteliste" in week
    form = client.get(join_url + f"?date={DAY.isoformat()}&start=18:00&end=20:00")
    assert form.status_code == 200
    response = client.post(
        join_url,
        {
            "date": DAY.isoformat(),
            "start": "18:00",
            "end": "20:00",
            "title": "Lesekreis",
            "attendees": 6,
            "responsible_name": "Ich",
            "responsible_phone": "0231 2",
        },
    )
    assert response.status_code == 302
    entry = WaitlistEntry.objects.get(user=person)
    account = client.get(reverse("rooms:my_bookings")).content.decode()
    assert "Lesekreis" in account and "Platz 2" in account or "Position 2" in account
    client.post(reverse("rooms:waitlist_leave", args=[entry.pk]))
    entry.refresh_from_db()
    assert entry.state == "left"
    services.cancel_booking(booking=booking, by=holder)
    assert WaitlistEntry.objects.get(user=ahead).state == "offered"


def test_anonymous_visitors_see_no_waiting_list_link_and_cannot_join(client, taken):
    room, _holder, _booking = taken
    week = client.get(reverse("rooms:detail", args=[room.slug]) + f"?week={DAY.isoformat()}").content.decode()
    assert reverse("rooms:waitlist_join", args=[room.slug]) not in week
    assert client.get(reverse("rooms:waitlist_join", args=[room.slug])).status_code == 302


def test_week_view_door_sign_and_dashboard_show_the_hold(client, taken):
    room, holder, booking = taken
    person = make_user()
    _wait(room, person)
    services.cancel_booking(booking=booking, by=holder)
    week = client.get(reverse("rooms:detail", args=[room.slug]) + f"?week={DAY.isoformat()}").content.decode()
    assert "cell--offered" in week and "Warteliste reserviert" in week
    member = make_staff()
    client.force_login(member)
    dashboard = client.get(reverse("dashboard")).content.decode()
    assert "Wartelisten" in dashboard and room.name in dashboard
    admin = client.get(reverse("admin:rooms_waitlistentry_changelist") + f"?room__id__exact={room.pk}")
    assert admin.status_code == 200 and person.email in admin.content.decode() or str(person) in admin.content.decode()


def test_an_offered_hold_cannot_be_cancelled_like_a_booking(taken):
    room, holder, booking = taken
    person = make_user()
    entry = _wait(room, person)
    services.cancel_booking(booking=booking, by=holder)
    entry.refresh_from_db()
    assert not entry.offer.can_be_cancelled_by(person)


def test_the_finder_offers_the_waiting_list_for_a_taken_room(client, taken):
    room, _holder, _booking = taken
    query = f"?date={DAY.isoformat()}&start=18:00&end=20:00"
    anonymous = client.get(reverse("rooms:list") + query).content.decode()
    assert reverse("rooms:waitlist_join", args=[room.slug]) not in anonymous
    client.force_login(make_user())
    page = client.get(reverse("rooms:list") + query).content.decode()
    link = reverse("rooms:waitlist_join", args=[room.slug]) + f"?date={DAY.isoformat()}&amp;start=18:00&amp;end=20:00"
    assert link in page and "Auf die Warteliste" in page


def test_erasing_a_person_takes_her_off_every_waiting_list_and_the_cron_offers_her_hold_on(taken):
    from rooms.privacy import erase

    room, holder, booking = taken
    first, second = make_user(), make_user()
    entry_1, entry_2 = _wait(room, first), _wait(room, second)
    services.cancel_booking(booking=booking, by=holder)
    erase(first)
    entry_1.refresh_from_db()
    assert entry_1.state == "left" and entry_1.offer.status == "cancelled"
    call_command("process_waiting_list", stdout=StringIO())
    entry_2.refresh_from_db()
    assert entry_2.state == "offered"
