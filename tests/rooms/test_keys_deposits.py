"""Keys and deposits for the office: the key filter, settling a deposit with a part withheld (audited, kept),
who may be named for a key handover, and the dashboard's keys out, deposits held and open requests."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from rooms import services
from rooms.models import AuditEntry, Booking

from ..factories import make_user
from .factories import days_ahead, local, make_booking, make_room

pytestmark = pytest.mark.django_db


def _booking(resident, day, hour=10, **fields):
    return make_booking(
        booked_by=resident, starts_at=local(days_ahead(day), hour), ends_at=local(days_ahead(day), hour + 2), **fields
    )


def test_the_booking_list_filters_by_key_state(client, staff, resident):
    out_late = _booking(resident, -2, title="Schlüssel fehlt", key_issued_at=local(days_ahead(-2), 9))
    out_now = _booking(resident, 0, hour=0, title="Schlüssel unterwegs", key_issued_at=local(days_ahead(0), 0))
    Booking.objects.filter(pk=out_now.pk).update(ends_at=timezone.now() + timedelta(hours=3))
    _booking(
        resident,
        -3,
        title="Schlüssel zurück",
        key_issued_at=local(days_ahead(-3), 9),
        key_returned_at=local(days_ahead(-3), 13),
    )
    _booking(resident, 5, title="Noch kein Schlüssel")
    client.force_login(staff)
    url = reverse("admin:rooms_booking_changelist")

    def titles(key):
        html = client.get(url, {"key": key}).content.decode()
        return {
            t
            for t in ("Schlüssel fehlt", "Schlüssel unterwegs", "Schlüssel zurück", "Noch kein Schlüssel")
            if t in html
        }

    assert titles("issued") == {"Schlüssel fehlt", "Schlüssel unterwegs"}
    assert titles("returned") == {"Schlüssel zurück"}
    assert titles("overdue") == {"Schlüssel fehlt"}
    assert out_late.key_overdue


def _held(resident, day=-1, hour=10, **fields):
    return _booking(resident, day, hour, private_use=True, deposit=Decimal("150.00"), deposit_state="held", **fields)


def _settle(client, booking, withheld, reason=""):
    return client.post(
        reverse("admin:rooms_booking_changelist"),
        {"action": "settle_deposit", "_selected_action": [booking.pk], "withheld": withheld, "reason": reason},
        follow=True,
    )


def test_a_part_of_the_deposit_is_withheld_with_a_reason_and_audited(client, staff, resident):
    booking = _held(resident)
    client.force_login(staff)
    form = client.post(
        reverse("admin:rooms_booking_changelist"), {"action": "settle_deposit", "_selected_action": [booking.pk]}
    )
    assert 'name="withheld"' in form.content.decode() and "150,00" in form.content.decode()
    refused = _settle(client, booking, "40,00")
    assert "Grund" in refused.content.decode()
    booking.refresh_from_db()
    assert booking.deposit_state == "held"
    _settle(client, booking, "40,00", "Teppichreinigung")
    booking.refresh_from_db()
    assert (booking.deposit_state, booking.deposit_withheld, booking.deposit_note) == (
        "partly",
        Decimal("40.00"),
        "Teppichreinigung",
    )
    assert booking.deposit_paid_back == Decimal("110.00")
    entry = AuditEntry.objects.get()
    assert (entry.by, entry.action, entry.booking) == (staff, "settled", booking)
    assert entry.changes["deposit_withheld"] == ["0.00", "40.00"]
    assert "110,00" in client.get(reverse("admin:rooms_booking_change", args=[booking.pk])).content.decode()
    client.force_login(resident)
    page = client.get(booking.get_absolute_url()).content.decode()
    assert "Von der Kaution einbehalten" in page and "40,00 €: Teppichreinigung" in page


def test_a_settled_deposit_is_not_settled_twice_and_never_more_than_held(staff, resident):
    booking = _held(resident)
    with pytest.raises(ValidationError):
        services.settle_deposit(booking=booking, by=staff, withheld=Decimal("150.01"), reason="Zu viel")
    services.settle_deposit(booking=booking, by=staff, withheld=Decimal("0.00"))
    booking.refresh_from_db()
    assert (booking.deposit_state, booking.deposit_paid_back) == ("returned", Decimal("150.00"))
    with pytest.raises(ValidationError):
        services.settle_deposit(booking=booking, by=staff, withheld=Decimal("10.00"), reason="Nachträglich")
    with pytest.raises(IntegrityError), transaction.atomic():
        Booking.objects.filter(pk=booking.pk).update(deposit_withheld=Decimal("200.00"))


def test_the_deposit_audit_cannot_be_deleted_or_changed(client, superuser, staff, resident):
    booking = _held(resident)
    services.settle_deposit(booking=booking, by=staff, withheld=Decimal("150.00"), reason="Schaden am Boden")
    entry = AuditEntry.objects.get()
    client.force_login(superuser)
    assert client.get(reverse("admin:rooms_auditentry_delete", args=[entry.pk])).status_code == 403
    assert 'value="delete_selected"' not in client.get(reverse("admin:rooms_auditentry_changelist")).content.decode()
    booking.refresh_from_db()
    assert (booking.deposit_state, booking.deposit_withheld) == ("withheld", Decimal("150.00"))


def test_deposit_changes_in_the_change_form_are_audited(client, staff, resident):
    booking = _held(resident)
    client.force_login(staff)
    client.post(
        reverse("admin:rooms_booking_change", args=[booking.pk]),
        {
            "title": booking.title,
            "attendees": "5",
            "responsible_name": "Maria",
            "responsible_phone": "0231 1",
            "responsible_email": "m@example.org",
            "deposit_state": "returned",
            "deposit_note": "",
        },
    )
    entry = AuditEntry.objects.get()
    assert entry.action == "changed" and entry.changes["deposit_state"] == ["held", "returned"]


def test_only_office_staff_are_offered_for_the_key_handover(client, staff, resident):
    booking = _booking(resident, 2)
    bystander = make_user(email="nachbar@example.org")
    client.force_login(staff)
    html = client.get(reverse("admin:rooms_booking_change", args=[booking.pk])).content.decode()
    issued_by = html.split('name="key_issued_by"', 1)[1].split("</select>", 1)[0]
    assert f'value="{staff.pk}"' in issued_by
    assert f'value="{bystander.pk}"' not in issued_by and f'value="{resident.pk}"' not in issued_by


def test_the_dashboard_shows_use_keys_out_deposits_and_counts_requests(client, office, staff, resident):
    room = make_room(name="Saal")
    today = _booking(resident, 0, hour=20, room=room, title="Geburtstag", private_use=True, deposit="150.00")
    Booking.objects.filter(pk=today.pk).update(deposit_state="due")
    late = _booking(resident, -2, room=room, title="Chorprobe", key_issued_at=local(days_ahead(-2), 9))
    held = _held(resident, room=room, title="Hochzeit")
    settled = _held(resident, hour=14, room=room, title="Jubiläum")
    services.settle_deposit(booking=settled, by=staff, withheld=Decimal("40.00"), reason="Glas zerbrochen")
    for i in range(23):
        make_booking(
            room=room,
            booked_by=resident,
            starts_at=local(days_ahead(3), 8) + timedelta(minutes=30 * i),
            ends_at=local(days_ahead(3), 8) + timedelta(minutes=30 * i + 20),
            status=Booking.Status.REQUESTED,
            title=f"Anfrage {i}",
        )
    client.force_login(staff)
    page = client.get(reverse("dashboard")).content.decode()
    assert reverse("admin:rooms_booking_change", args=[today.pk]) in page and "Geburtstag" in page
    assert "Kaution kassieren: 150,00 €" in page
    assert "Nicht zurückgegebene Schlüssel" in page and reverse("admin:rooms_booking_change", args=[late.pk]) in page
    assert "Gehaltene Kautionen" in page and reverse("admin:rooms_booking_change", args=[held.pk]) in page
    assert "23 Anfragen warten." in page and "Die ersten 20 sind aufgeführt." in page
    assert "40,00 € von 150,00 € einbehalten (Glas zerbrochen)" in page


def test_the_rooms_dashboard_queries_stay_bounded(client, office, staff, resident, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    room = make_room()
    client.force_login(staff)
    with CaptureQueriesContext(connection) as empty:
        client.get(reverse("dashboard"))
    for i in range(6):
        _booking(resident, -2 - i, room=room, key_issued_at=local(days_ahead(-2 - i), 9))
        _held(resident, day=-10 - i, room=room)
        services.settle_deposit(
            booking=_held(resident, day=-20 - i, room=room), by=staff, withheld=Decimal("5.00"), reason="x"
        )
        _booking(resident, 0, hour=8 + 2 * i, room=room, private_use=True, deposit="50.00", deposit_state="due")
        _booking(resident, 4, hour=8 + 2 * i, room=room, status=Booking.Status.REQUESTED)
    with django_assert_max_num_queries(len(empty.captured_queries)):
        client.get(reverse("dashboard"))
