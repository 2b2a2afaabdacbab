"""Staff in the admin: book payments under the cap rule, reverse with a reason, never edit or delete; audit history."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from volunteers.models import AuditEntry, Cap, Payment, Volunteer

from .factories import make_declaration, make_engagement, pay

pytestmark = pytest.mark.django_db


@pytest.fixture
def engagement(office):
    engagement = make_engagement()
    make_declaration(engagement, 2025)
    return engagement


def _add(client, engagement, amount, **extra):
    data = {
        "engagement": engagement.pk,
        "paid_on": "2025-05-01",
        "amount": amount,
        "purpose": "Mai",
        "reference": "",
        "taxable_reason": "",
        **extra,
    }
    return client.post(reverse("admin:volunteers_payment_add"), data)


def test_staff_books_a_payment_in_the_admin_and_it_is_audited(client, staff, engagement):
    client.force_login(staff)
    response = _add(client, engagement, "840.00")
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert payment.entered_by == staff and payment.amount == Decimal("840.00")
    assert AuditEntry.objects.filter(action="created", object_id=payment.pk).exists()


def test_the_admin_refuses_one_cent_over_the_cap_and_keeps_the_input(client, staff, engagement):
    client.force_login(staff)
    _add(client, engagement, "840.00")
    response = _add(client, engagement, "0.01")
    assert response.status_code == 200
    assert "840,00 €" in response.content.decode()
    assert 'value="0.01"' in response.content.decode()
    assert Payment.objects.count() == 1


def test_the_admin_books_the_excess_as_taxable_with_a_reason(client, staff, engagement):
    client.force_login(staff)
    assert _add(client, engagement, "900.00", book_excess_as_taxable="on").status_code == 200  # reason missing
    assert (
        _add(
            client, engagement, "900.00", book_excess_as_taxable="on", taxable_reason="Vertraglich vereinbart"
        ).status_code
        == 302
    )
    assert Payment.objects.get().taxable_amount == Decimal("60.00")


def test_admin_cannot_delete_or_change_a_payment(client, staff, engagement):
    payment = pay(engagement, "10.00", date(2025, 5, 1), staff)
    client.force_login(staff)
    assert (
        client.post(reverse("admin:volunteers_payment_delete", args=[payment.pk]), {"post": "yes"}).status_code == 403
    )
    client.post(reverse("admin:volunteers_payment_change", args=[payment.pk]), {"amount": "1.00"})
    payment.refresh_from_db()
    assert payment.amount == Decimal("10.00")
    response = client.get(reverse("admin:volunteers_payment_changelist"))
    assert "delete_selected" not in response.content.decode()


def test_reverse_action_asks_for_a_reason_then_books_the_reversal(client, staff, engagement):
    payment = pay(engagement, "10.00", date(2025, 5, 1), staff)
    client.force_login(staff)
    url = reverse("admin:volunteers_payment_changelist")
    response = client.post(url, {"action": "reverse_selected", "_selected_action": [payment.pk]})
    assert response.status_code == 200 and "reason" in response.content.decode()
    assert not Payment.objects.filter(reverses=payment).exists()
    client.post(url, {"action": "reverse_selected", "_selected_action": [payment.pk], "reason": "Doppelt"})
    reversal = Payment.objects.get(reverses=payment)
    assert reversal.amount == Decimal("-10.00") and "Doppelt" in reversal.purpose


def test_staff_edit_a_cap_and_the_change_is_in_the_audit_history(client, staff):
    client.force_login(staff)
    cap = Cap.objects.get(from_year=2026)
    client.post(
        reverse("admin:volunteers_cap_change", args=[cap.pk]),
        {"from_year": 2026, "trainer_amount": "3300.00", "honorary_amount": "970.00"},
    )
    entry = AuditEntry.objects.get(object_id=cap.pk)
    assert entry.by == staff and entry.changes == {"honorary_amount": ["960.00", "970.00"]}
    response = client.get(reverse("admin:volunteers_auditentry_changelist"))
    assert response.status_code == 200 and "2026" in response.content.decode()


def test_staff_find_volunteers_by_name_or_email_and_see_the_iban_masked(client, staff, office):
    make_engagement(
        volunteer=Volunteer.objects.create(
            name="Kemal Yilmaz",
            street="A 1",
            postcode="44145",
            city="Dortmund",
            email="kemal@example.org",
            iban="DE89370400440532013000",
        )
    )
    client.force_login(staff)
    response = client.get(reverse("admin:volunteers_volunteer_changelist"), {"q": "kemal@"})
    html = response.content.decode()
    assert "Kemal Yilmaz" in html and "DE89 •••• 3000" in html and "0532013000" not in html


def test_an_iban_with_a_wrong_checksum_is_refused_in_the_admin(client, staff):
    client.force_login(staff)
    response = client.post(
        reverse("admin:volunteers_volunteer_add"),
        {
            "name": "X",
            "street": "A 1",
            "postcode": "44145",
            "city": "Dortmund",
            "iban": "DE89 3704 0044 0532 0130 01",
            "engagements-TOTAL_FORMS": 0,
            "engagements-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200 and "Prüfziffern" in response.content.decode()
    assert not Volunteer.objects.exists()


def test_the_volunteers_admin_page_links_to_her_statements_and_payments(client, staff, engagement):
    volunteer = engagement.volunteer
    pay(engagement, "10.00", date(2025, 5, 1), staff, purpose="Eigene Zahlung")
    other = make_engagement()
    make_declaration(other, 2025)
    pay(other, "20.00", date(2025, 6, 1), staff, purpose="Andere Person")
    client.force_login(staff)
    html = client.get(reverse("admin:volunteers_volunteer_change", args=[volunteer.pk])).content.decode()
    assert reverse("volunteers:statement", args=[volunteer.pk, 2025]) in html
    assert "Bescheinigung 2025" in html
    payments_url = reverse("admin:volunteers_payment_changelist") + f"?volunteer={volunteer.pk}"
    assert payments_url in html
    assert client.get(reverse("volunteers:statement", args=[volunteer.pk, 2025])).status_code == 200
    payments = client.get(payments_url).content.decode()
    assert "Eigene Zahlung" in payments and "Andere Person" not in payments
