"""Mails about bookings, each with an .ics attachment, and the reminder command that never sends twice."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from rooms import services
from rooms.models import BookingSeries

from ..factories import make_staff, make_user
from .factories import booking_data, days_ahead, local, make_booking, make_room

pytestmark = pytest.mark.django_db


def _ics(message) -> str:
    content = message.attachments[0][1]
    return content.decode() if isinstance(content, bytes) else content


def test_a_request_mails_the_booker_and_the_staff(resident, staff, mailoutbox, django_capture_on_commit_callbacks):
    room = make_room(requires_approval=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.book_room(
            room=room,
            booked_by=resident,
            starts_at=local(days_ahead(5), 18),
            ends_at=local(days_ahead(5), 20),
            **booking_data(),
        )
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
        services.book_room(
            room=room,
            booked_by=english,
            starts_at=local(days_ahead(5), 18),
            ends_at=local(days_ahead(5), 20),
            **booking_data(),
        )
    assert mailoutbox[0].subject.endswith("Your booking is confirmed")
    assert "DTSTART;TZID=Europe/Berlin" in _ics(mailoutbox[0]) or "DTSTART:" in _ics(mailoutbox[0])


def test_decline_mail_carries_the_reason_and_a_cancel_ics(
    resident, staff, mailoutbox, django_capture_on_commit_callbacks
):
    room = make_room(requires_approval=True)
    booking = make_booking(
        room=room,
        booked_by=resident,
        starts_at=local(days_ahead(5), 18),
        ends_at=local(days_ahead(5), 20),
        status="requested",
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.decline_booking(booking=booking, by=staff, reason="Der Saal wird gestrichen")
    assert "Der Saal wird gestrichen" in mailoutbox[0].body
    assert "METHOD:CANCEL" in _ics(mailoutbox[0])


def test_reminder_is_sent_once_with_a_working_cancel_link(client, office, resident, mailoutbox):
    room = make_room(cancellation_deadline_hours=24)
    soon = make_booking(
        room=room,
        booked_by=resident,
        starts_at=timezone.now() + timedelta(hours=40),
        ends_at=timezone.now() + timedelta(hours=42),
    )
    later = make_booking(
        room=room,
        booked_by=resident,
        starts_at=timezone.now() + timedelta(days=5),
        ends_at=timezone.now() + timedelta(days=5, hours=2),
    )
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


def _ics_of(message, index=0) -> str:
    content = message.attachments[index][1]
    return content.decode() if isinstance(content, bytes) else content


def _in_days(days, hours=2, start_hour=18):
    day = days_ahead(days)
    return local(day, start_hour), local(day, start_hour + hours)


def test_an_instant_booking_mails_a_confirmation_with_a_confirmed_ics(
    resident, staff, mailoutbox, django_capture_on_commit_callbacks
):
    start, end = _in_days(5)
    with django_capture_on_commit_callbacks(execute=True):
        services.book_room(
            room=make_room(requires_approval=False), booked_by=resident, starts_at=start, ends_at=end, **booking_data()
        )
    assert [m.to for m in mailoutbox] == [["resident@example.org"]]  # no approval needed: staff are not mailed
    assert "bestätigt" in mailoutbox[0].subject
    ics = _ics_of(mailoutbox[0])
    assert mailoutbox[0].attachments[0][2] == "text/calendar"
    assert "STATUS:CONFIRMED" in ics and "Mieterversammlung" in ics


def test_no_mail_is_sent_when_the_transaction_rolls_back(resident, mailoutbox, settings):
    settings.MAIL_DELIVERY = "worker"  # as in production: the mail is a row of the booking's transaction
    start, end = _in_days(5)
    room = make_room()
    try:
        with transaction.atomic():
            services.book_room(room=room, booked_by=resident, starts_at=start, ends_at=end, **booking_data())
            raise RuntimeError("abort")
    except RuntimeError:
        pass
    call_command("send_mails", "--once", stdout=StringIO())
    assert mailoutbox == []


def test_staff_confirmation_mails_the_booker_with_a_confirmed_ics(
    resident, staff, mailoutbox, django_capture_on_commit_callbacks
):
    start, end = _in_days(5)
    booking = make_booking(
        room=make_room(requires_approval=True), booked_by=resident, starts_at=start, ends_at=end, status="requested"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_booking(booking=booking, by=staff)
    assert mailoutbox[0].to == ["resident@example.org"]
    assert "STATUS:CONFIRMED" in _ics_of(mailoutbox[0])


def test_cancellation_mails_an_ics_that_removes_the_event(resident, mailoutbox, django_capture_on_commit_callbacks):
    start, end = _in_days(5)
    booking = make_booking(booked_by=resident, starts_at=start, ends_at=end)
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_booking(booking=booking, by=resident)
    ics = _ics_of(mailoutbox[0])
    assert "METHOD:CANCEL" in ics and "STATUS:CANCELLED" in ics
    assert f"UID:booking-{booking.pk}@" in ics  # the same UID as the booking's invitation


def test_a_series_is_mailed_once_with_one_ics_for_all_dates(resident, mailoutbox, django_capture_on_commit_callbacks):
    room = make_room()
    dates = [_in_days(7 + 7 * n) for n in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        services.book_series(
            room=room, booked_by=resident, frequency=BookingSeries.Frequency.WEEKLY, dates=dates, **booking_data()
        )
    assert len(mailoutbox) == 1
    # Issue 13 point 11: one calendar file for the whole series (was one file per date).
    assert len(mailoutbox[0].attachments) == 1
    assert _ics(mailoutbox[0]).count("BEGIN:VEVENT") == 3


def test_the_staff_mail_for_a_request_is_in_the_staff_members_language(
    resident, mailoutbox, django_capture_on_commit_callbacks
):
    make_staff(email="office-en@example.org", language="en")  # office staff: the office group
    start, end = _in_days(5)
    with django_capture_on_commit_callbacks(execute=True):
        services.book_room(
            room=make_room(requires_approval=True), booked_by=resident, starts_at=start, ends_at=end, **booking_data()
        )
    to_staff = next(m for m in mailoutbox if m.to == ["office-en@example.org"])
    assert to_staff.subject.endswith("New room request waiting for approval")
    assert to_staff.attachments == []  # the request is not in the staff member's own calendar


@pytest.mark.parametrize("status", ["requested", "cancelled", "declined"])
def test_no_reminder_for_a_booking_that_is_not_confirmed(resident, mailoutbox, status):
    make_booking(
        booked_by=resident,
        starts_at=timezone.now() + timedelta(hours=40),
        ends_at=timezone.now() + timedelta(hours=42),
        status=status,
    )
    call_command("send_booking_reminders")
    assert mailoutbox == []


def test_no_reminder_for_a_booking_that_has_begun(resident, mailoutbox):
    make_booking(
        booked_by=resident, starts_at=timezone.now() - timedelta(minutes=5), ends_at=timezone.now() + timedelta(hours=1)
    )
    call_command("send_booking_reminders")
    assert mailoutbox == []


def test_reminder_is_in_the_bookers_language_with_the_ics(mailoutbox):
    english = make_user(email="en@example.org", language="en")
    make_booking(
        booked_by=english, starts_at=timezone.now() + timedelta(hours=30), ends_at=timezone.now() + timedelta(hours=32)
    )
    call_command("send_booking_reminders")
    assert mailoutbox[0].subject.endswith("Reminder: your room booking")
    assert "BEGIN:VEVENT" in _ics_of(mailoutbox[0])
