"""Links that work outside the pages: .ics downloads, calendar feeds, the signed one-click cancel link."""

import time
from datetime import timedelta
from unittest import mock

import pytest
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from rooms import ics
from rooms.links import user_feed_token
from rooms.mails import CANCEL_LINK_SALT, cancel_token
from rooms.models import Booking

from ..factories import PASSWORD, make_user
from .factories import days_ahead, local, make_booking, make_room

pytestmark = pytest.mark.django_db


def test_cancel_link_expired_and_forged(client, office, resident):
    booking = make_booking(booked_by=resident, starts_at=local(days_ahead(5), 18), ends_at=local(days_ahead(5), 20))
    token = cancel_token(booking)
    with mock.patch("django.core.signing.time.time", return_value=__import__("time").time() + 30 * 24 * 3600):
        expired = client.get(reverse("rooms:cancel_by_link", args=[token]))
    assert expired.status_code == 410
    assert "Dieser Link ist abgelaufen" in expired.content.decode()
    forged = client.post(reverse("rooms:cancel_by_link", args=[token[:-3] + "abc"]))
    assert forged.status_code == 404
    other = signing.dumps({"booking": booking.pk, "user": booking.booked_by_id + 99}, salt=CANCEL_LINK_SALT)
    assert client.post(reverse("rooms:cancel_by_link", args=[other])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_room_feed_has_busy_slots_without_personal_data(client, office, resident):
    room = make_room()
    make_booking(
        room=room,
        booked_by=resident,
        starts_at=local(days_ahead(5), 18),
        ends_at=local(days_ahead(5), 20),
        title="Privatsache",
        show_title=False,
        responsible_name="Erika Mustermann",
        responsible_phone="0171 555",
        responsible_email="erika@example.org",
    )
    make_booking(
        room=room,
        booked_by=resident,
        starts_at=local(days_ahead(6), 18),
        ends_at=local(days_ahead(6), 20),
        title="Offenes Singen",
        show_title=True,
    )
    feed = client.get(reverse("rooms:room_feed", args=[room.slug]))
    text = feed.content.decode()
    assert feed["Content-Type"].startswith("text/calendar")
    assert "Offenes Singen" in text and "belegt" in text
    for secret in ("Privatsache", "Erika", "0171", "erika@example.org", "resident@example.org"):
        assert secret not in text


def test_private_user_feed_needs_the_signed_token(client, office, resident):
    make_booking(
        booked_by=resident, starts_at=local(days_ahead(5), 18), ends_at=local(days_ahead(5), 20), title="Mein Chor"
    )
    good = client.get(reverse("rooms:user_feed", args=[user_feed_token(resident)]))
    assert "Mein Chor" in good.content.decode()
    assert client.get(reverse("rooms:user_feed", args=["1:abc:def"])).status_code == 404


def test_booking_ics_download_for_the_owner(client, office, resident):
    booking = make_booking(booked_by=resident, starts_at=local(days_ahead(5), 18), ends_at=local(days_ahead(5), 20))
    client.force_login(resident)
    response = client.get(reverse("rooms:booking_ics", args=[booking.pk]))
    assert "BEGIN:VEVENT" in response.content.decode()
    assert Booking.objects.get().status == "confirmed"


def _booking(user, days=5, **fields):
    day = days_ahead(days)
    return make_booking(booked_by=user, starts_at=local(day, 18), ends_at=local(day, 20), **fields)


def test_booking_ics_of_another_user_is_not_found(client, office, resident, initiative_lead):
    booking = _booking(resident)
    client.force_login(initiative_lead)
    assert client.get(reverse("rooms:booking_ics", args=[booking.pk])).status_code == 404


def test_booking_ics_needs_login(client, office, resident):
    booking = _booking(resident)
    response = client.get(reverse("rooms:booking_ics", args=[booking.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_staff_download_any_booking_ics(client, office, resident, staff):
    booking = _booking(resident)
    client.force_login(staff)
    assert "BEGIN:VEVENT" in client.get(reverse("rooms:booking_ics", args=[booking.pk])).content.decode()


def test_ics_of_a_cancelled_booking_removes_the_event(client, office, resident):
    booking = _booking(resident, status="cancelled")
    client.force_login(resident)
    assert "METHOD:CANCEL" in client.get(reverse("rooms:booking_ics", args=[booking.pk])).content.decode()


def test_cancel_link_page_asks_without_cancelling(client, office, resident):
    booking = _booking(resident)
    response = client.get(reverse("rooms:cancel_by_link", args=[cancel_token(booking)]))
    assert response.status_code == 200
    assert 'method="post"' in response.content.decode().lower()
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_cancel_link_works_without_login_and_frees_the_slot(client, office, resident):
    booking = _booking(resident)
    client.post(reverse("rooms:cancel_by_link", args=[cancel_token(booking)]))
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by) == ("cancelled", resident)
    assert not Booking.objects.holding().exists()


def test_cancel_link_after_the_deadline_refuses_and_keeps_the_booking(client, office, resident):
    room = make_room(cancellation_deadline_hours=72)
    booking = _booking(resident, days=2, room=room)
    response = client.post(reverse("rooms:cancel_by_link", args=[cancel_token(booking)]))
    assert response.status_code == 200
    assert "Die Frist zum Stornieren ist abgelaufen" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_cancel_link_of_a_cancelled_booking_says_it_is_done(client, office, resident):
    booking = _booking(resident, status="cancelled")
    response = client.post(reverse("rooms:cancel_by_link", args=[cancel_token(booking)]))
    assert response.status_code == 200
    booking.refresh_from_db()
    assert booking.cancelled_at is None  # nothing changed


@pytest.mark.parametrize("token", ["abc", "1:2:3", "x" * 300, "%00", "eyJ"])
def test_garbage_cancel_link_gives_a_friendly_page(client, office, token):
    response = client.get(reverse("rooms:cancel_by_link", args=[token]))
    assert response.status_code == 404
    assert "<main" in response.content.decode()


def test_cancel_link_with_a_token_of_another_salt_is_refused(client, office, resident):
    booking = _booking(resident)
    foreign = signing.dumps({"booking": booking.pk, "user": resident.pk}, salt="something-else")
    assert client.post(reverse("rooms:cancel_by_link", args=[foreign])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_cancel_link_carrying_unexpected_data_is_refused(client, office):
    token = signing.dumps(["not", "a", "dict"], salt=CANCEL_LINK_SALT)
    assert client.get(reverse("rooms:cancel_by_link", args=[token])).status_code == 404


def test_user_feed_shows_only_the_users_holding_bookings(client, office, resident, initiative_lead):
    _booking(resident, title="Mein Chor")
    _booking(resident, days=6, title="Abgesagt", status="cancelled")
    _booking(initiative_lead, days=7, title="Fremder Termin")
    text = client.get(reverse("rooms:user_feed", args=[user_feed_token(resident)])).content.decode()
    assert "Mein Chor" in text
    assert "Abgesagt" not in text and "Fremder Termin" not in text


def test_user_feed_of_a_deactivated_account_is_gone(client, office):
    user = make_user(is_active=False)
    assert client.get(reverse("rooms:user_feed", args=[user_feed_token(user)])).status_code == 404


def test_room_feed_leaves_out_cancelled_and_declined_bookings(client, office, resident):
    room = make_room()
    _booking(resident, room=room, title="Abgesagt", show_title=True, status="cancelled")
    _booking(resident, days=6, room=room, title="Abgelehnt", show_title=True, status="declined")
    text = client.get(reverse("rooms:room_feed", args=[room.slug])).content.decode()
    assert "BEGIN:VCALENDAR" in text and "BEGIN:VEVENT" not in text


def test_room_feed_of_an_inactive_room_is_not_found(client, office):
    room = make_room(is_active=False)
    assert client.get(reverse("rooms:room_feed", args=[room.slug])).status_code == 404


def test_room_feed_function_queries_the_bookings_itself(resident):
    room = make_room()
    _booking(resident, room=room, title="Offenes Singen", show_title=True)
    old = make_booking(
        room=room,
        booked_by=resident,
        starts_at=timezone.now() - timedelta(days=200),
        ends_at=timezone.now() - timedelta(days=200) + timedelta(hours=2),
        title="Lange her",
        show_title=True,
    )
    text = ics.room_feed(room).decode()
    assert "Offenes Singen" in text
    assert old.title not in text


def test_a_new_feed_link_retires_the_old_one(client, office, resident):
    _booking(resident, title="Mein Chor")
    old = reverse("rooms:user_feed", args=[user_feed_token(resident)])
    client.force_login(resident)
    page = client.get(reverse("rooms:my_bookings")).content.decode()
    assert old in page and reverse("rooms:user_feed_renew") in page
    assert client.get(reverse("rooms:user_feed_renew")).status_code == 405
    response = client.post(reverse("rooms:user_feed_renew"), follow=True)
    assert response.status_code == 200 and "neue Adresse" in response.content.decode()
    assert client.get(old).status_code == 404
    resident.refresh_from_db()
    new = reverse("rooms:user_feed", args=[user_feed_token(resident)])
    assert new != old and new in response.content.decode()
    assert "Mein Chor" in client.get(new).content.decode()


def test_a_password_change_retires_the_feed_link(client, office, resident):
    old = reverse("rooms:user_feed", args=[user_feed_token(resident)])
    client.force_login(resident)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "Ganz-neues-Passwort-2027", "password2": "Ganz-neues-Passwort-2027"},
    )
    assert response.status_code == 302
    assert client.get(old).status_code == 404
    resident.refresh_from_db()
    assert client.get(reverse("rooms:user_feed", args=[user_feed_token(resident)])).status_code == 200


def test_the_renew_button_needs_the_csrf_token(office, resident):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(resident)
    assert client.post(reverse("rooms:user_feed_renew")).status_code == 403


def test_the_feed_link_stays_the_same_until_it_is_renewed(client, office, resident):
    """A calendar subscribes to one address: it must not change from one page view (or second) to the next."""
    client.force_login(resident)
    first = client.get(reverse("rooms:my_bookings")).content.decode()
    with mock.patch("time.time", return_value=time.time() + 3600):
        later = client.get(reverse("rooms:my_bookings")).content.decode()
    link = reverse("rooms:user_feed", args=[user_feed_token(resident)])
    assert link in first and link in later
