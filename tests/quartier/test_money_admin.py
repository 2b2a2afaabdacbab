"""Amounts typed into the admin: a text field that reads "1,50" as one euro fifty whatever the interface's language,
refuses what is ambiguous with the entry kept, and lists amounts with the page's decimal separator."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from rooms.models import Room
from tests.rooms.factories import make_room
from tests.volunteers.factories import make_declaration, make_engagement, pay
from volunteers.models import Cap

pytestmark = pytest.mark.django_db


def _in(client, language):
    """The interface language: English by the browser's header, German by the language cookie."""
    if language == "en":
        return {"HTTP_ACCEPT_LANGUAGE": "en"}
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    return {"HTTP_ACCEPT_LANGUAGE": "en"}  # the cookie wins over the header


def _post_cap(client, cap, language, trainer, honorary):
    return client.post(
        reverse("admin:volunteers_cap_change", args=[cap.pk]),
        {"from_year": cap.from_year, "trainer_amount": trainer, "honorary_amount": honorary},
        **_in(client, language),
    )


@pytest.mark.parametrize(
    ("language", "trainer", "honorary"),
    [
        ("en", "3,300.00", "1,50"),
        ("en", "3300", "1.000,00"),
        ("de", "3.300,00", "1000.50"),
        ("de", "3300,00", "1,50"),
    ],
)
def test_either_interface_reads_either_notation(client, staff, language, trainer, honorary):
    client.force_login(staff)
    cap = Cap.objects.get(from_year=2026)
    assert _post_cap(client, cap, language, trainer, honorary).status_code == 302
    cap.refresh_from_db()
    expected = {"1,50": "1.50", "1.000,00": "1000.00", "1000.50": "1000.50"}[honorary]
    assert (cap.trainer_amount, cap.honorary_amount) == (Decimal("3300.00"), Decimal(expected))


def test_an_english_interface_stores_1_50_typed_with_a_comma_as_one_euro_fifty(client, staff):
    room = make_room()
    client.force_login(staff)
    url = reverse("admin:rooms_room_change", args=[room.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert 'name="fee_per_hour"' in page.content.decode()
    form = page.context["adminform"].form
    assert 'inputmode="decimal"' in str(form["fee_per_hour"]) and 'type="number"' not in str(form["fee_per_hour"])
    data = {name: form.initial.get(name) for name in form.fields if form.initial.get(name) is not None}
    data.update({"equipment": [], "purposes": [], "location": room.location.pk, "fee_per_hour": "1,50"})
    data.update({"deposit": "1,000.00"})
    for prefix in ("bookable_hours", "photos"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000"})
    response = client.post(url, data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302, response.context["adminform"].form.errors
    room = Room.objects.get(pk=room.pk)
    assert (room.fee_per_hour, room.deposit) == (Decimal("1.50"), Decimal("1000.00"))


@pytest.mark.parametrize(
    ("language", "message"),
    [
        ("de", "Die Eingabe 1.500 ist nicht eindeutig. Bitte schreiben Sie den Betrag mit Cent"),
        ("en", "The entry 1.500 is ambiguous: please write it with the cents"),
    ],
)
def test_an_ambiguous_amount_is_refused_with_a_clear_message_and_the_entry_kept(client, staff, language, message):
    client.force_login(staff)
    cap = Cap.objects.get(from_year=2026)
    before = (cap.trainer_amount, cap.honorary_amount)
    response = _post_cap(client, cap, language, "3.300,00", "1.500")
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert 'value="1.500"' in html and 'value="3.300,00"' in html
    cap.refresh_from_db()
    assert (cap.trainer_amount, cap.honorary_amount) == before


@pytest.mark.parametrize(("language", "number"), [("de", "840,00"), ("en", "840.00")])
def test_admin_lists_and_names_show_amounts_in_the_page_language(client, staff, office, language, number):
    engagement = make_engagement()
    make_declaration(engagement, 2025)
    payment = pay(engagement, "840.00", date(2025, 5, 1), staff)
    client.force_login(staff)
    html = client.get(reverse("admin:volunteers_payment_changelist"), **_in(client, language)).content.decode()
    assert f'<td class="field-amount">{number}\u00a0€</td>' in html  # the € never wraps onto a line of its own
    cap_list = client.get(reverse("admin:volunteers_cap_changelist"), **_in(client, language)).content.decode()
    assert ("3.300,00\u00a0€" if language == "de" else "3,300.00\u00a0€") in cap_list
    with translation.override(language):
        assert f"{number} €" in str(payment)  # the name the admin shows in links and messages ("840.00 €" before)
