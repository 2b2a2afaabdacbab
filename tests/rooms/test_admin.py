"""Staff in the admin: approval queue, confirm/decline/cancel actions, booking on behalf, key handover."""

import pytest
from django.urls import reverse

from rooms.models import Booking

from .factories import days_ahead, local, make_booking, make_room

pytestmark = pytest.mark.django_db


def _request(resident, day=7, hour=18):
    return make_booking(booked_by=resident, starts_at=local(days_ahead(day), hour),
                        ends_at=local(days_ahead(day), hour + 2), status="requested")


def test_approval_queue_lists_waiting_requests(client, staff, resident):
    waiting = _request(resident)
    make_booking(booked_by=resident, starts_at=local(days_ahead(8), 10), ends_at=local(days_ahead(8), 12),
                 title="Schon bestätigt")
    client.force_login(staff)
    html = client.get(reverse("admin:rooms_booking_changelist"), {"queue": "waiting"}).content.decode()
    assert waiting.title in html
    assert "Schon bestätigt" not in html


def test_confirm_action(client, staff, resident):
    booking = _request(resident)
    client.force_login(staff)
    client.post(reverse("admin:rooms_booking_changelist"),
                {"action": "confirm_selected", "_selected_action": [booking.pk]})
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
    response = client.post(reverse("admin:rooms_booking_add"), {
        "room": room.pk, "booked_by": resident.pk, "starts_at_0": tomorrow, "starts_at_1": "10:00",
        "ends_at_0": tomorrow, "ends_at_1": "12:00", "title": "Beratung", "attendees": "3",
        "responsible_name": "Maria", "responsible_phone": "0231 1234", "responsible_email": "m@example.org",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    booking = Booking.objects.get()
    assert (booking.booked_by, booking.created_by, booking.status) == (resident, staff, "confirmed")


def test_staff_booking_on_behalf_still_refuses_overlaps(client, staff, resident):
    room = make_room()
    make_booking(room=room, booked_by=resident, starts_at=local(days_ahead(3), 10), ends_at=local(days_ahead(3), 12))
    client.force_login(staff)
    day = days_ahead(3).isoformat()
    response = client.post(reverse("admin:rooms_booking_add"), {
        "room": room.pk, "booked_by": resident.pk, "starts_at_0": day, "starts_at_1": "11:00",
        "ends_at_0": day, "ends_at_1": "13:00", "title": "Beratung", "attendees": "3",
        "responsible_name": "Maria", "responsible_phone": "0231 1234", "responsible_email": "m@example.org",
    })
    assert response.status_code == 200
    assert "bereits gebucht" in response.content.decode()
    assert Booking.objects.count() == 1


def test_key_handover_and_withheld_deposit_need_a_reason(client, staff, resident):
    booking = make_booking(booked_by=resident, starts_at=local(days_ahead(3), 10), ends_at=local(days_ahead(3), 12),
                           private_use=True, deposit="150.00", deposit_state="held")
    client.force_login(staff)
    url = reverse("admin:rooms_booking_change", args=[booking.pk])
    data = {"title": booking.title, "attendees": "5", "responsible_name": "Maria", "responsible_phone": "0231 1",
            "responsible_email": "m@example.org", "key_issued_at_0": days_ahead(3).isoformat(),
            "key_issued_at_1": "09:30", "key_issued_by": staff.pk, "return_inspection": "damage",
            "damage_notes": "Fleck auf dem Teppich", "deposit_state": "withheld", "deposit_note": ""}
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
        data.update({f"{prefix}-TOTAL_FORMS": str(total + (1 if prefix == "photos" else 0)),
                     f"{prefix}-INITIAL_FORMS": str(total), f"{prefix}-MIN_NUM_FORMS": "0",
                     f"{prefix}-MAX_NUM_FORMS": "1000"})
    for index, hours in enumerate(room.bookable_hours.all()):
        data.update({f"bookable_hours-{index}-id": hours.pk, f"bookable_hours-{index}-room": room.pk,
                     f"bookable_hours-{index}-weekday": hours.weekday,
                     f"bookable_hours-{index}-opens": "08:00", f"bookable_hours-{index}-closes": "22:00"})
    fake = SimpleUploadedFile("raum.jpg", b"kein bild" * 50, content_type="image/jpeg")
    response = client.post(url, {**data, "photos-0-image": fake, "photos-0-alt_text": "Der Saal",
                                 "photos-0-position": "0", "photos-0-room": room.pk})
    assert response.status_code == 200
    assert not room.photos.exists()
    buffer = BytesIO()
    exif = Image.Exif()
    exif[0x010F] = "Kamera"
    Image.new("RGB", (2400, 1200), "white").save(buffer, format="JPEG", exif=exif.tobytes())
    real = SimpleUploadedFile("raum.jpg", buffer.getvalue(), content_type="image/jpeg")
    response = client.post(url, {**data, "photos-0-image": real, "photos-0-alt_text": "Der Saal",
                                 "photos-0-position": "0", "photos-0-room": room.pk})
    assert response.status_code == 302, response.content.decode()[:3000]
    stored = Image.open(room.photos.get().image.path)
    assert stored.size == (1600, 800)
    assert dict(stored.getexif()) == {}
