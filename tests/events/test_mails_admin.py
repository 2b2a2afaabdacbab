"""Reminders with a one-click cancel link, organiser CSV export and messages."""

import csv
import io
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from events import services
from events.mails import cancel_token
from events.models import Registration

from ..factories import make_user
from .factories import make_event

pytestmark = pytest.mark.django_db


def test_reminder_once_and_its_link_cancels_after_confirmation(client, office, resident, initiative_lead, mailoutbox):
    event = make_event(capacity=1, starts_at=timezone.now() + timedelta(hours=20))
    registration = services.register(event=event, user=resident)
    waiting = services.register(event=event, user=initiative_lead)
    later = make_event(starts_at=timezone.now() + timedelta(days=5))
    services.register(event=later, user=resident)
    mailoutbox.clear()
    call_command("send_event_reminders")
    call_command("send_event_reminders")
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["resident@example.org"]
    link = next(line for line in mailoutbox[0].body.splitlines() if "/absagen/" in line)
    path = "/" + link.split("://", 1)[1].split("/", 1)[1]
    assert "Anmeldung stornieren?" in client.get(path).content.decode()
    registration.refresh_from_db()
    assert registration.status == "registered"
    assert "Ihre Anmeldung ist storniert" in client.post(path).content.decode()
    registration.refresh_from_db()
    waiting.refresh_from_db()
    assert (registration.status, waiting.status) == ("cancelled", "registered")


def test_cancel_link_expired_or_forged(client, office, resident):
    registration = services.register(event=make_event(), user=resident)
    token = cancel_token(registration)
    with mock.patch("django.core.signing.time.time", return_value=__import__("time").time() + 8 * 24 * 3600):
        assert client.get(reverse("events:cancel_by_link", args=[token])).status_code == 410
    assert client.post(reverse("events:cancel_by_link", args=[token + "x"])).status_code == 404
    registration.refresh_from_db()
    assert registration.status == "registered"


def test_staff_export_registrations_as_csv_safe_for_spreadsheets(client, staff):
    event = make_event(title='=HYPERLINK("http://evil")')
    services.register(event=event, user=make_user(display_name="Ayşe Yılmaz"), companions=1)
    client.force_login(staff)
    response = client.post(
        reverse("admin:events_event_changelist"), {"action": "export_registrations", "_selected_action": [event.pk]}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][0].startswith("'=")
    assert rows[1][2] == "Ayşe Yılmaz"
    assert rows[1][4:6] == ["1", "2"]


def test_staff_write_to_everyone_registered(client, staff, resident, mailoutbox):
    event = make_event(capacity=1)
    services.register(event=event, user=resident)
    services.register(event=event, user=make_user())  # waiting: not written to
    mailoutbox.clear()
    client.force_login(staff)
    url = reverse("admin:events_event_changelist")
    form = client.post(url, {"action": "message_registered", "_selected_action": [event.pk]})
    assert 'name="subject"' in form.content.decode()
    client.post(
        url,
        {
            "action": "message_registered",
            "_selected_action": [event.pk],
            "subject": "Raumwechsel",
            "text": "Wir treffen uns im Saal.",
        },
    )
    assert [m.to for m in mailoutbox] == [["resident@example.org"]]
    assert "Wir treffen uns im Saal." in mailoutbox[0].body


def test_admin_refuses_an_event_whose_room_is_taken(client, staff, resident):
    from ..rooms.factories import days_ahead, local, make_booking, make_room

    room = make_room()
    day = days_ahead(10)
    make_booking(room=room, booked_by=resident, starts_at=local(day, 18), ends_at=local(day, 20))
    client.force_login(staff)
    response = client.post(
        reverse("admin:events_event_add"),
        {
            "title": "Lesung",
            "slug": "lesung",
            "description": "x",
            "place": "room",
            "room": room.pk,
            "starts_at_0": day.isoformat(),
            "starts_at_1": "19:00",
            "ends_at_0": day.isoformat(),
            "ends_at_1": "21:00",
            "max_companions": "2",
            "is_published": "on",
            "registration_required": "on",
            "registrations-TOTAL_FORMS": "0",
            "registrations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "bereits gebucht" in response.content.decode()
    assert not Registration.objects.exists()


def test_event_image_needs_a_description_and_is_cleaned(client, staff, settings, tmp_path):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from events.models import Event

    settings.MEDIA_ROOT = tmp_path
    buffer = BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Kamera"
    Image.new("RGB", (3200, 1600), "white").save(buffer, format="JPEG", exif=exif.tobytes())
    day = (timezone.localdate() + timedelta(days=10)).isoformat()
    data = {
        "title_de": "Fest",  # the admin has a field per language (quartier/content_languages.py)
        "slug": "fest",
        "description_de": "x",
        "place": "address",
        "address": "Nordmarkt",
        "starts_at_0": day,
        "starts_at_1": "14:00",
        "ends_at_0": day,
        "ends_at_1": "18:00",
        "max_companions": "2",
        "is_published": "on",
        "registrations-TOTAL_FORMS": "0",
        "registrations-INITIAL_FORMS": "0",
    }
    client.force_login(staff)
    url = reverse("admin:events_event_add")
    refused = client.post(url, {**data, "image": SimpleUploadedFile("a.jpg", buffer.getvalue(), "image/jpeg")})
    assert refused.status_code == 200 and not Event.objects.exists()
    fake = client.post(url, {**data, "image_alt": "Ein Fest", "image": SimpleUploadedFile("a.jpg", b"nope" * 9)})
    assert fake.status_code == 200 and not Event.objects.exists()
    done = client.post(
        url, {**data, "image_alt": "Ein Fest", "image": SimpleUploadedFile("a.jpg", buffer.getvalue(), "image/jpeg")}
    )
    assert done.status_code == 302
    stored = Image.open(Event.objects.get().image.path)
    assert stored.size == (1600, 800) and dict(stored.getexif()) == {}
