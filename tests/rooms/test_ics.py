"""Issue 13 point 11: one way to write calendar files, for mails and downloads: local times with TZID and the
VTIMEZONE RFC 5545 requires; a series is one mail with all its dates, the skipped ones, and one file."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from icalendar import Calendar

from ..events.factories import make_event
from .factories import days_ahead, form_data, local, make_booking, make_room

pytestmark = pytest.mark.django_db


def _check_local_times_with_vtimezone(content: bytes, hour: int) -> Calendar:
    text = content.decode()
    calendar = Calendar.from_ical(content)
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Berlin"]
    assert text.index("BEGIN:VTIMEZONE") < text.index("BEGIN:VEVENT")
    assert not calendar.get_missing_tzids()
    for event in calendar.walk("VEVENT"):
        assert event["dtstart"].params["TZID"] == "Europe/Berlin"
        assert event.decoded("dtstart").hour == hour  # the wall-clock time the person booked
    assert not re.search(r"DTSTART[:;][^\r\n]*Z\r?$", text, re.MULTILINE)
    return calendar


def _attachment(message):
    (filename, content, mimetype) = message.attachments[0]
    assert mimetype == "text/calendar"
    return filename, content if isinstance(content, bytes) else content.encode()


def test_the_mailed_and_the_downloaded_booking_are_the_same_local_calendar(client, office, resident, mailoutbox):
    room = make_room()
    client.force_login(resident)
    day = days_ahead(9)
    client.post(reverse("rooms:book", args=[room.slug]), form_data(day, "18:00", "20:00"))
    _name, mailed = _attachment(mailoutbox[0])
    _check_local_times_with_vtimezone(mailed, 18)
    booking = room.bookings.get()
    downloaded = client.get(reverse("rooms:booking_ics", args=[booking.pk])).content
    _check_local_times_with_vtimezone(downloaded, 18)
    assert str(Calendar.from_ical(mailed).walk("VEVENT")[0]["uid"]) == str(
        Calendar.from_ical(downloaded).walk("VEVENT")[0]["uid"]
    )


def test_room_and_private_feeds_and_event_files_carry_the_time_zone(client, office, resident):
    room = make_room()
    make_booking(room=room, booked_by=resident, starts_at=local(days_ahead(3), 17), ends_at=local(days_ahead(3), 19))
    _check_local_times_with_vtimezone(client.get(reverse("rooms:room_feed", args=[room.slug])).content, 17)
    event = make_event(starts_at=local(days_ahead(12), 19), slug="hoffest")
    _check_local_times_with_vtimezone(client.get(reverse("events:ics", args=[event.slug])).content, 19)
    _check_local_times_with_vtimezone(client.get(reverse("events:feed")).content, 19)


def test_a_series_is_one_mail_with_its_dates_the_skipped_ones_and_one_calendar_file(
    client, office, resident, initiative_lead, mailoutbox
):
    room = make_room()
    first = days_ahead(7)
    taken = first + timedelta(weeks=1)
    make_booking(room=room, booked_by=initiative_lead, starts_at=local(taken, 18), ends_at=local(taken, 19))
    mailoutbox.clear()
    client.force_login(resident)
    data = form_data(first, "18:00", "20:00", repeat="weekly", count="4")
    preview = client.post(reverse("rooms:book", args=[room.slug]), data).content.decode()
    keys = re.findall(r'name="dates" value="([^"]+)" id="[^"]+" checked', preview)
    assert len(keys) == 3
    client.post(reverse("rooms:book", args=[room.slug]), {**data, "step": "confirm", "dates": keys[:2]})
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert "Buchungsserie" in message.subject
    for week in (0, 2):  # booked
        assert (first + timedelta(weeks=week)).strftime("%d.%m.%Y") in message.body
    skipped = message.body.split("Nicht gebucht")[1]
    assert taken.strftime("%d.%m.%Y") in skipped  # not free
    assert (first + timedelta(weeks=3)).strftime("%d.%m.%Y") in skipped  # not chosen
    assert (first + timedelta(weeks=2)).strftime("%d.%m.%Y") not in skipped
    assert len(message.attachments) == 1
    filename, content = _attachment(message)
    assert filename.startswith("buchungsserie-")
    calendar = _check_local_times_with_vtimezone(content, 18)
    assert len(calendar.walk("VEVENT")) == 2
