"""Mails with .ics, the reminder command, the signed cancel link and the calendar feeds."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core import signing
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from rooms import services
from rooms.links import user_feed_token
from rooms.mails import CANCEL_LINK_SALT, cancel_token
from rooms.models import Booking

from ..factories import make_user
from .factories import booking_data, days_ahead, local, make_booking, make_room

pytestmark = pytest.mark.django_db


def _ics(message) -> str:
    content = message.attachments[0][1]
    return content.decode() if isinstance(content, bytes) else content


def test_a_request_mails_the_booker_and_the_staff(resident, staff, mailoutbox, django_capture_on_commit_callbacks):
    room = make_room(requires_approval=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.book_room(room=room, booked_by=resident, starts_at=local(days_ahead(5), 18),
                           ends_at=local(days_ahead(5), 20), **booking_data())
    recipients = {tuple(m.to) for m in mailoutbox}
    assert recipients == {("resident@example.org",), ("staff@example.org",)}
    to_booker = next(m for m in mailoutbox if m.to == ["resident@example.org"])
    assert "Buchungsanfrage" in to_booker.subject
    assert "STATUS:TENTATIVE" in _ics(to_booker)
    to_staff = next(m for m in mailoutbox if m.to == ["staff@example.org"])
    assert "/admin/rooms/booking/" in to_staff.body


def test_mail_is_in_the_recipients_language(mailoutbox, django_capture_on_commit_callbacks):
    english = make_user(email="en@example.org", language="en")
    room = make_room()
    with django_capture_on_commit_callbacks(execute=True):
        services.book_room(room=room, booked_by=english, starts_at=local(days_ahead(5), 18),
                           ends_at=local(days_ahead(5), 20), **booking_data())
    assert mailoutbox[0].subject.endswith("Your booking is confirmed")
    assert "DTSTART;TZID=Europe/Berlin" in _ics(mailoutbox[0]) or "DTSTART:" in _ics(mailoutbox[0])


def test_decline_mail_carries_the_reason_and_a_cancel_ics(resident, staff, mailoutbox,
                                                          django_capture_on_commit_callbacks):
    room = make_room(requires_approval=True)
    booking = make_booking(room=room, booked_by=resident, starts_at=local(days_ahead(5), 18),
                           ends_at=local(days_ahead(5), 20), status="requested")
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_booking(booking=booking, by=staff, reason="Der Saal wird gestrichen")
    assert "Der Saal wird gestrichen" in mailoutbox[0].body
    assert "METHOD:CANCEL" in _ics(mailoutbox[0])


def test_reminder_is_sent_once_with_a_working_cancel_link(client, office, resident, mailoutbox):
    room = make_room(cancellation_deadline_hours=24)
    soon = make_booking(room=room, booked_by=resident, starts_at=timezone.now() + timedelta(hours=40),
                        ends_at=timezone.now() + timedelta(hours=42))
    later = make_booking(room=room, booked_by=resident, starts_at=timezone.now() + timedelta(days=5),
                         ends_at=timezone.now() + timedelta(days=5, hours=2))
    call_command("send_booking_reminders")
    call_command("send_booking_reminders")
    assert len(mailoutbox) == 1
    soon.refresh_from_db()
    later.refresh_from_db()
    assert soon.reminder_sent_at is not None and later.reminder_sent_at is None
    link = next(line for line in mailoutbox[0].body.splitlines() if "/stornieren/" in line)
    path = link.split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert "Buchung stornieren?" in page.content.decode()
    soon.refresh_from_db()
    assert soon.status == "confirmed"  # the GET only asks
    done = client.post("/" + path)
    assert "Die Buchung ist storniert" in done.content.decode()
    soon.refresh_from_db()
    assert soon.status == "cancelled"


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
    make_booking(room=room, booked_by=resident, starts_at=local(days_ahead(5), 18), ends_at=local(days_ahead(5), 20),
                 title="Privatsache", show_title=False, responsible_name="Erika Mustermann",
                 responsible_phone="0171 555", responsible_email="erika@example.org")
    make_booking(room=room, booked_by=resident, starts_at=local(days_ahead(6), 18), ends_at=local(days_ahead(6), 20),
                 title="Offenes Singen", show_title=True)
    feed = client.get(reverse("rooms:room_feed", args=[room.slug]))
    text = feed.content.decode()
    assert feed["Content-Type"].startswith("text/calendar")
    assert "Offenes Singen" in text and "belegt" in text
    for secret in ("Privatsache", "Erika", "0171", "erika@example.org", "resident@example.org"):
        assert secret not in text


def test_private_user_feed_needs_the_signed_token(client, office, resident):
    make_booking(booked_by=resident, starts_at=local(days_ahead(5), 18), ends_at=local(days_ahead(5), 20),
                 title="Mein Chor")
    good = client.get(reverse("rooms:user_feed", args=[user_feed_token(resident)]))
    assert "Mein Chor" in good.content.decode()
    assert client.get(reverse("rooms:user_feed", args=["1:abc:def"])).status_code == 404


def test_booking_ics_download_for_the_owner(client, office, resident):
    booking = make_booking(booked_by=resident, starts_at=local(days_ahead(5), 18), ends_at=local(days_ahead(5), 20))
    client.force_login(resident)
    response = client.get(reverse("rooms:booking_ics", args=[booking.pk]))
    assert "BEGIN:VEVENT" in response.content.decode()
    assert Booking.objects.get().status == "confirmed"
