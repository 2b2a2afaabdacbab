"""The admin's history says what changed: German field names with the old and the new value, secrets without
their value; every portal admin writes it so."""

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from quartier.admin import ChangeMessageMixin
from quartier.contributions import portal_apps

from ..rooms.factories import days_ahead, local, make_booking
from ..volunteers.factories import make_volunteer

pytestmark = pytest.mark.django_db


def test_a_change_names_each_field_in_german_with_old_and_new_value(client, staff, resident):
    booking = make_booking(
        booked_by=resident, starts_at=local(days_ahead(3), 10), ends_at=local(days_ahead(3), 12), title="Chor"
    )
    client.force_login(staff)
    url = reverse("admin:rooms_booking_change", args=[booking.pk])
    response = client.post(
        url,
        {
            "title": "Chorprobe",
            "attendees": "12",
            "responsible_name": booking.responsible_name,
            "responsible_phone": booking.responsible_phone,
            "responsible_email": booking.responsible_email,
            "show_title": "on",
            "key_issued_at_0": days_ahead(3).isoformat(),
            "key_issued_at_1": "09:30",
            "key_issued_by": staff.pk,
            "deposit_state": "none",
        },
    )
    assert response.status_code == 302
    message = LogEntry.objects.get(object_id=str(booking.pk)).get_change_message()
    assert message.startswith("Geändert: ")
    assert "Zweck: „Chor“ → „Chorprobe“" in message
    assert "Erwartete Personen: „5“ → „12“" in message
    assert "„nein“ → „ja“" in message
    assert f"„–“ → „{staff}“" in message
    assert f"„–“ → „{days_ahead(3):%d.%m.%Y}, 09:30“" in message
    history = client.get(reverse("admin:rooms_booking_history", args=[booking.pk])).content.decode()
    assert "Chorprobe" in history and "→" in history


def test_a_changed_iban_is_named_without_its_value(client, staff):
    volunteer = make_volunteer(name="Ayşe", iban="DE02120300000000202051")
    client.force_login(staff)
    response = client.post(
        reverse("admin:volunteers_volunteer_change", args=[volunteer.pk]),
        {
            "name": "Ayşe",
            "street": volunteer.street,
            "postcode": volunteer.postcode,
            "city": volunteer.city,
            "email": "",
            "iban": "DE89370400440532013000",
            "user": "",
            "engagements-TOTAL_FORMS": "0",
            "engagements-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    message = LogEntry.objects.get(object_id=str(volunteer.pk)).get_change_message()
    assert "IBAN geändert" in message
    assert "DE89" not in message and "DE02" not in message


def test_every_portal_admin_writes_these_messages():
    portal = {config.label for config in portal_apps()}
    admins = [model_admin for model, model_admin in admin.site._registry.items() if model._meta.app_label in portal]
    assert admins
    missing = [type(a).__name__ for a in admins if not isinstance(a, ChangeMessageMixin)]
    read_only = {"AuditEntryAdmin", "FundAuditEntryAdmin"}  # history tables: nobody changes them
    assert set(missing) <= read_only, missing
