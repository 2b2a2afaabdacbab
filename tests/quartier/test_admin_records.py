"""Records that are kept for good: no admin deletes them, not even for a superuser (payments, money entries,
receipts, audit entries, events, registrations, decisions, accounts)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

KEPT = [
    "volunteers_payment",
    "volunteers_volunteer",
    "volunteers_declaration",
    "volunteers_engagement",
    "volunteers_auditentry",
    "fund_fundentry",
    "fund_receipt",
    "fund_fundapplication",
    "fund_fundauditentry",
    "rooms_booking",
    "rooms_auditentry",
    "events_event",
    "events_registration",
    "events_decision",
    "quartier_user",
]


@pytest.mark.parametrize("model", KEPT)
def test_no_admin_deletes_a_kept_record_even_for_a_superuser(client, superuser, model):
    client.force_login(superuser)
    assert client.get(reverse(f"admin:{model}_delete", args=[1])).status_code == 403
    assert 'value="delete_selected"' not in client.get(reverse(f"admin:{model}_changelist")).content.decode()
