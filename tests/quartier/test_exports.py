"""Every CSV download of the portal writes its text cells formula-safe (CSV injection): a value that starts with
=, +, -, @, a tab or a carriage return gets a leading apostrophe, in every column (e-mail and names included),
while plain numbers and amounts stay numbers."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse

from events import services as event_services
from initiatives.fund.models import FundApplication, FundEntry

from ..events.factories import make_event
from ..factories import make_user
from ..fund.factories import make_application, make_call, make_fund
from ..initiatives.factories import make_initiative, make_membership
from ..volunteers.factories import make_declaration, make_engagement, make_volunteer, pay

pytestmark = pytest.mark.django_db
HOSTILE = ["=1+1", "+1+1", "-1+1", "@sum(1)", "\t=1", "\r=1"]


def _rows(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""), delimiter=";"))


@pytest.mark.parametrize("start", HOSTILE)
def test_the_registrations_csv_makes_name_and_email_safe(client, staff, start):
    event = make_event(title="Lesung")
    email = f"{start.strip()}x@example.org" if start[0] in "=+-@" else "plain@example.org"
    event_services.register(event=event, user=make_user(email=email, display_name=f"{start}Name"))
    client.force_login(staff)
    response = client.post(
        reverse("admin:events_event_changelist"), {"action": "export_registrations", "_selected_action": [event.pk]}
    )
    row = _rows(response)[1]
    assert row[2] == f"'{start}Name"
    assert row[3] == (f"'{email}" if start[0] in "=+-@" else email)


@pytest.mark.parametrize("start", HOSTILE)
def test_the_grants_csv_makes_applicant_and_title_safe(client, office, staff, start):
    fund = make_fund(total=Decimal("100000.00"))
    application = make_application(
        call=make_call(fund=fund),
        applicant=make_user(display_name=f"{start}Name"),
        status=FundApplication.Status.APPROVED,
        title=f"{start}Titel",
    )
    FundEntry.objects.create(application=application, kind="grant", amount=Decimal("100.00"), entered_by=staff)
    client.force_login(staff)
    row = _rows(client.get(reverse("fund:grants_csv", args=[fund.year])))[1]
    assert row[3:5] == [f"'{start}Titel", f"'{start}Name"]
    assert row[8] == "100,00"


@pytest.mark.parametrize("start", HOSTILE)
def test_the_payments_csv_makes_volunteer_and_purpose_safe_and_keeps_negative_amounts(
    client, office, initiative_lead, staff, start
):
    from importlib import import_module

    import_module("volunteers.migrations.0002_allowance_caps").add_caps(apps, None)
    club = make_initiative(is_nonprofit=True, slug="liga")
    make_membership(initiative=club, user=initiative_lead, role="lead")
    engagement = make_engagement(payer_initiative=club, volunteer=make_volunteer(name=f"{start}Name"))
    make_declaration(engagement, 2025)
    pay(engagement, "12.34", date(2025, 3, 1), staff, purpose=f"{start}Zweck")
    client.force_login(initiative_lead)
    row = _rows(client.get(reverse("volunteers:payer_payments_csv", args=["liga", 2025])))[1]
    assert row[2] == f"'{start}Name" and row[8] == f"'{start}Zweck" and row[5] == "12,34"


def test_a_plain_negative_amount_stays_a_number_but_a_formula_behind_a_minus_does_not():
    from quartier.exports import csv_cell

    assert [csv_cell(value) for value in ("-12,50", "1.234,00", 42, None, "-1+2", "-")] == [
        "-12,50",
        "1.234,00",
        "42",
        "",
        "'-1+2",
        "'-",
    ]
