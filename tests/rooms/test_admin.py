"""Staff in the admin: approval queue, confirm/decline/cancel actions, booking on behalf, key handover."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from rooms.models import Booking

from .factories import days_ahead, local, make_booking, make_room

pytestmark = pytest.mark.django_db


def _request(resident, day=7, hour=18):
    return make_booking(
        booked_by=resident,
        starts_at=local(days_ahead(day), hour),
        ends_at=local(days_ahead(day), hour + 2),
        status="requested",
    )


def test_approval_queue_lists_waiting_requests(client, staff, resident):
    waiting = _request(resident)
    make_booking(
        booked_by=resident,
        starts_at=local(days_ahead(8), 10),
        ends_at=local(days_ahead(8), 12),
        title="Schon bestätigt",
    )
    client.force_login(staff)
    html = client.get(reverse("admin:rooms_booking_changelist"), {"queue": "waiting"}).content.decode()
    assert waiting.title in html
    assert "Schon bestätigt" not in html


def test_confirm_action(client, staff, resident):
    booking = _request(resident)
    client.force_login(staff)
    client.post(
        reverse("admin:rooms_booking_changelist"), {"action": "confirm_selected", "_selected_action": [booking.pk]}
    )
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_decline_action_asks_for_a_reason_first(client, staff, resident):
    booking = _request(resident)
    client.force_login(staff)
    url = reverse("admin:rooms_booking_changelist")
    page = client.post(url, {"action": "decline_selected", "_selected_action": [booking.pk]})
    assert 'name="reason"' in page.content.decode()
    booking.refresh_from_db()
    assert booking.status == "requested"
    client.post(url, {"action": "decline_selected", "_selected_action": [booking.pk], "reason": "Doppelt gebucht"})
    booking.refresh_from_db()
    assert (booking.status, booking.decline_reason) == ("declined", "Doppelt gebucht")


def test_staff_book_on_behalf_of_a_resident_ignoring_notice(client, staff, resident):
    room = make_room(min_notice_hours=48)
    client.force_login(staff)
    tomorrow = days_ahead(1).isoformat()
    response = client.post(
        reverse("admin:rooms_booking_add"),
        {
            "room": room.pk,
            "booked_by": resident.pk,
            "starts_at_0": tomorrow,
            "starts_at_1": "10:00",
            "ends_at_0": tomorrow,
            "ends_at_1": "12:00",
            "title": "Beratung",
            "attendees": "3",
            "responsible_name": "Maria",
            "responsible_phone": "0231 1234",
            "responsible_email": "m@example.org",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    booking = Booking.objects.get()
    assert (booking.booked_by, booking.created_by, booking.status) == (resident, staff, "confirmed")


def test_staff_booking_on_behalf_still_refuses_overlaps(client, staff, resident):
    room = make_room()
    make_booking(room=room, booked_by=resident, starts_at=local(days_ahead(3), 10), ends_at=local(days_ahead(3), 12))
    client.force_login(staff)
    day = days_ahead(3).isoformat()
    response = client.post(
        reverse("admin:rooms_booking_add"),
        {
            "room": room.pk,
            "booked_by": resident.pk,
            "starts_at_0": day,
            "starts_at_1": "11:00",
            "ends_at_0": day,
            "ends_at_1": "13:00",
            "title": "Beratung",
            "attendees": "3",
            "responsible_name": "Maria",
            "responsible_phone": "0231 1234",
            "responsible_email": "m@example.org",
        },
    )
    assert response.status_code == 200
    assert "bereits gebucht" in response.content.decode()
    assert Booking.objects.count() == 1


def test_key_handover_and_withheld_deposit_need_a_reason(client, staff, resident):
    booking = make_booking(
        booked_by=resident,
        starts_at=local(days_ahead(3), 10),
        ends_at=local(days_ahead(3), 12),
        private_use=True,
        deposit="150.00",
        deposit_state="held",
    )
    client.force_login(staff)
    url = reverse("admin:rooms_booking_change", args=[booking.pk])
    data = {
        "title": booking.title,
        "attendees": "5",
        "responsible_name": "Maria",
        "responsible_phone": "0231 1",
        "responsible_email": "m@example.org",
        "key_issued_at_0": days_ahead(3).isoformat(),
        "key_issued_at_1": "09:30",
        "key_issued_by": staff.pk,
        "return_inspection": "damage",
        "damage_notes": "Fleck auf dem Teppich",
        "deposit_state": "withheld",
        "deposit_note": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200  # refused: withheld without a reason
    client.post(url, {**data, "deposit_note": "Reinigung des Teppichs"})
    booking.refresh_from_db()
    assert booking.deposit_state == "withheld"
    assert booking.key_issued_by == staff


def test_bookings_cannot_be_deleted_in_the_admin(client, staff, resident):
    booking = _request(resident)
    client.force_login(staff)
    assert client.get(reverse("admin:rooms_booking_delete", args=[booking.pk])).status_code == 403


def test_residents_cannot_reach_the_admin(client, resident):
    client.force_login(resident)
    assert client.get(reverse("admin:rooms_booking_changelist")).status_code == 302


def test_room_photo_upload_is_cleaned_and_a_fake_is_refused(client, staff, settings, tmp_path):
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    room = make_room()
    client.force_login(staff)
    url = reverse("admin:rooms_room_change", args=[room.pk])
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: form.initial.get(name) for name in form.fields if form.initial.get(name) is not None}
    data.update({"equipment": [], "purposes": [], "location": room.location.pk})
    for prefix, total in (("bookable_hours", room.bookable_hours.count()), ("photos", 0)):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": str(total + (1 if prefix == "photos" else 0)),
                f"{prefix}-INITIAL_FORMS": str(total),
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    for index, hours in enumerate(room.bookable_hours.all()):
        data.update(
            {
                f"bookable_hours-{index}-id": hours.pk,
                f"bookable_hours-{index}-room": room.pk,
                f"bookable_hours-{index}-weekday": hours.weekday,
                f"bookable_hours-{index}-opens": "08:00",
                f"bookable_hours-{index}-closes": "22:00",
            }
        )
    fake = SimpleUploadedFile("raum.jpg", b"kein bild" * 50, content_type="image/jpeg")
    response = client.post(
        url,
        {
            **data,
            "photos-0-image": fake,
            "photos-0-alt_text": "Der Saal",
            "photos-0-position": "0",
            "photos-0-room": room.pk,
        },
    )
    assert response.status_code == 200
    assert not room.photos.exists()
    buffer = BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Kamera"
    Image.new("RGB", (2400, 1200), "white").save(buffer, format="JPEG", exif=exif.tobytes())
    real = SimpleUploadedFile("raum.jpg", buffer.getvalue(), content_type="image/jpeg")
    response = client.post(
        url,
        {
            **data,
            "photos-0-image": real,
            "photos-0-alt_text": "Der Saal",
            "photos-0-position": "0",
            "photos-0-room": room.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    stored = Image.open(room.photos.get().image.path)
    assert stored.size == (1600, 800)
    assert dict(stored.getexif()) == {}


def test_cancel_action_cancels_and_mails(client, staff, resident, mailoutbox, django_capture_on_commit_callbacks):
    booking = make_booking(booked_by=resident, starts_at=local(days_ahead(1), 10), ends_at=local(days_ahead(1), 12))
    client.force_login(staff)
    url = reverse("admin:rooms_booking_changelist")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"action": "cancel_selected", "_selected_action": [booking.pk], "reason": "Wasserschaden"})
    booking.refresh_from_db()
    assert (booking.status, booking.cancelled_by) == ("cancelled", staff)
    assert [m.to for m in mailoutbox] == [["resident@example.org"]]
    assert "Grund: Wasserschaden" in mailoutbox[0].body


def test_cancel_action_first_shows_the_bookings_and_asks_for_a_reason(client, staff, resident, mailoutbox):
    booking = make_booking(
        booked_by=resident, starts_at=local(days_ahead(1), 10), ends_at=local(days_ahead(1), 12), title="Chorprobe"
    )
    client.force_login(staff)
    url = reverse("admin:rooms_booking_changelist")
    page = client.post(url, {"action": "cancel_selected", "_selected_action": [booking.pk]})
    html = page.content.decode()
    assert page.status_code == 200 and 'name="reason"' in html and "Chorprobe" in html
    assert 'name="action" value="cancel_selected"' in html
    blank = client.post(url, {"action": "cancel_selected", "_selected_action": [booking.pk], "reason": "  "})
    assert 'name="reason"' in blank.content.decode()  # a reason is required
    booking.refresh_from_db()
    assert booking.status == "confirmed" and mailoutbox == []


def test_decline_action_mails_the_reason(client, staff, resident, mailoutbox, django_capture_on_commit_callbacks):
    booking = _request(resident)
    client.force_login(staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:rooms_booking_changelist"),
            {"action": "decline_selected", "_selected_action": [booking.pk], "reason": "Der Saal wird renoviert"},
        )
    assert "Der Saal wird renoviert" in mailoutbox[0].body


def test_confirm_action_on_a_confirmed_booking_reports_instead_of_failing(client, staff, resident):
    booking = make_booking(booked_by=resident, starts_at=local(days_ahead(7), 10), ends_at=local(days_ahead(7), 12))
    client.force_login(staff)
    response = client.post(
        reverse("admin:rooms_booking_changelist"),
        {"action": "confirm_selected", "_selected_action": [booking.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "Nur angefragte Buchungen" in response.content.decode() or "Only requested" in response.content.decode()


def test_approval_queue_leaves_out_requests_already_over(client, staff, resident):
    from django.utils import timezone

    now = timezone.now()
    make_booking(
        booked_by=resident,
        starts_at=now - timedelta(hours=3),
        ends_at=now - timedelta(hours=1),
        title="Verpasste Anfrage",
        status="requested",
    )
    client.force_login(staff)
    html = client.get(reverse("admin:rooms_booking_changelist"), {"queue": "waiting"}).content.decode()
    assert "Verpasste Anfrage" not in html


def test_staff_booking_taken_in_the_race_window_shows_a_message_not_an_error(client, staff, resident):
    room = make_room()
    client.force_login(staff)
    day = days_ahead(3).isoformat()
    taken = ValidationError("Der Raum ist zu dieser Zeit bereits gebucht.")
    with mock.patch("rooms.admin.services.book_room", side_effect=taken):
        response = client.post(
            reverse("admin:rooms_booking_add"),
            {
                "room": room.pk,
                "booked_by": resident.pk,
                "starts_at_0": day,
                "starts_at_1": "11:00",
                "ends_at_0": day,
                "ends_at_1": "13:00",
                "title": "Beratung",
                "attendees": "3",
                "responsible_name": "Maria",
                "responsible_phone": "0231 1234",
                "responsible_email": "m@example.org",
            },
            follow=True,
        )
    assert response.status_code == 200
    assert "bereits gebucht" in response.content.decode()
    assert not Booking.objects.exists()


def test_booking_change_form_shows_key_handover_and_deposit(client, staff, resident):
    booking = make_booking(booked_by=resident, starts_at=local(days_ahead(3), 10), ends_at=local(days_ahead(3), 12))
    client.force_login(staff)
    html = client.get(reverse("admin:rooms_booking_change", args=[booking.pk])).content.decode()
    for field in (
        "key_issued_at",
        "key_returned_by",
        "return_inspection",
        "damage_notes",
        "deposit_state",
        "deposit_note",
    ):
        assert f'name="{field}' in html


@pytest.mark.parametrize("model", ["location", "room", "equipment", "purpose", "closure", "booking", "bookingseries"])
def test_admin_pages_of_every_model_open(client, staff, model):
    client.force_login(staff)
    assert client.get(reverse(f"admin:rooms_{model}_changelist")).status_code == 200
    if model != "bookingseries":
        assert client.get(reverse(f"admin:rooms_{model}_add")).status_code == 200


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_staff_booking_at_an_absurd_date_is_refused_with_a_message(client, staff, resident, day):
    room = make_room()
    client.force_login(staff)
    response = client.post(
        reverse("admin:rooms_booking_add"),
        {
            "room": room.pk,
            "booked_by": resident.pk,
            "starts_at_0": day,
            "starts_at_1": "00:30",
            "ends_at_0": day,
            "ends_at_1": "23:00",
            "title": "Beratung",
            "attendees": "3",
            "responsible_name": "Maria",
            "responsible_phone": "0231 1234",
            "responsible_email": "m@example.org",
        },
    )
    assert response.status_code == 200
    assert not Booking.objects.exists()


def test_closure_at_an_absurd_date_is_refused_with_a_message(client, staff):
    room = make_room()
    client.force_login(staff)
    response = client.post(
        reverse("admin:rooms_closure_add"),
        {
            "room": room.pk,
            "starts_at_0": "0001-01-01",
            "starts_at_1": "00:30",
            "ends_at_0": "0001-01-02",
            "ends_at_1": "00:30",
            "reason": "Tippfehler",
        },
    )
    assert response.status_code == 200
    assert "Bitte wählen Sie ein Datum zwischen" in response.content.decode()


def test_key_handover_at_an_absurd_date_is_refused_with_a_message(client, staff, resident):
    booking = make_booking(booked_by=resident, starts_at=local(days_ahead(3), 10), ends_at=local(days_ahead(3), 12))
    client.force_login(staff)
    response = client.post(
        reverse("admin:rooms_booking_change", args=[booking.pk]),
        {
            "title": booking.title,
            "attendees": "5",
            "responsible_name": "Maria",
            "responsible_phone": "0231 1",
            "responsible_email": "m@example.org",
            "key_issued_at_0": "0001-01-01",
            "key_issued_at_1": "00:30",
            "deposit_state": "none",
        },
    )
    assert response.status_code == 200
    booking.refresh_from_db()
    assert booking.key_issued_at is None
