"""Who sees which figures: the volunteer their own, a lead their initiative's payments, staff all, anonymous nothing."""

from datetime import date

import pytest
from django.urls import reverse

from tests.initiatives.factories import make_initiative, make_membership
from volunteers.models import Payment

from ..factories import make_user
from .factories import make_declaration, make_engagement, make_volunteer, pay

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(resident, initiative_lead, staff, office):
    club = make_initiative(is_nonprofit=True, slug="liga", name="Nordstadtliga")
    other_club = make_initiative(is_nonprofit=True, slug="schreiben", name="Schreibwerkstatt")
    make_membership(initiative=club, user=initiative_lead, role="lead")
    own = make_engagement(volunteer=make_volunteer(user=resident), payer_initiative=club)
    foreign = make_engagement(volunteer=make_volunteer(name="Jemand Anderes"), payer_initiative=other_club)
    for engagement in (own, foreign):
        make_declaration(engagement, 2025)
    return {
        "own": pay(own, "10.00", date(2025, 3, 1), staff),
        "foreign": pay(foreign, "20.00", date(2025, 3, 1), staff),
    }


def _statement(payment):
    return reverse("volunteers:statement", args=[payment.engagement.volunteer_id, 2025])


def _statement_pdf(payment):
    return reverse("volunteers:statement_pdf", args=[payment.engagement.volunteer_id, 2025])


def test_volunteer_can_see_their_own_statement(client, resident, setup):
    client.force_login(resident)
    assert client.get(_statement(setup["own"])).status_code == 200


def test_volunteer_cannot_see_another_volunteers_statement(client, resident, setup):
    client.force_login(resident)
    assert client.get(_statement(setup["foreign"])).status_code == 404
    assert client.get(_statement_pdf(setup["foreign"])).status_code == 404


def test_volunteer_cannot_see_a_payers_list(client, resident, setup):
    client.force_login(resident)
    assert client.get(reverse("volunteers:payer_payments", args=["liga", 2025])).status_code == 404
    assert client.get(reverse("volunteers:office_payments", args=[2025])).status_code == 404


def test_lead_can_see_only_payments_of_their_initiative(client, initiative_lead, setup):
    client.force_login(initiative_lead)
    html = client.get(reverse("volunteers:payer_payments", args=["liga", 2025])).content.decode()
    assert "10,00 €" in html and "Jemand Anderes" not in html
    assert list(Payment.objects.visible_to(initiative_lead)) == [setup["own"]]


def test_lead_cannot_see_another_initiatives_payments_or_csv(client, initiative_lead, setup):
    client.force_login(initiative_lead)
    assert client.get(reverse("volunteers:payer_payments", args=["schreiben", 2025])).status_code == 404
    assert client.get(reverse("volunteers:payer_payments_csv", args=["schreiben", 2025])).status_code == 404


def test_lead_cannot_see_a_volunteers_statement(client, initiative_lead, setup):
    client.force_login(initiative_lead)
    assert client.get(_statement(setup["own"])).status_code == 404


def test_a_member_who_is_not_lead_cannot_see_the_payments(client, setup):
    member = make_user()
    make_membership(initiative=setup["own"].engagement.payer_initiative, user=member, role="member")
    client.force_login(member)
    assert client.get(reverse("volunteers:payer_payments", args=["liga", 2025])).status_code == 404


def test_staff_can_see_everything(client, staff, setup):
    client.force_login(staff)
    for url in [
        _statement(setup["own"]),
        _statement(setup["foreign"]),
        reverse("volunteers:staff_overview"),
        reverse("volunteers:payer_payments", args=["schreiben", 2025]),
        reverse("volunteers:office_payments_csv", args=[2025]),
    ]:
        assert client.get(url).status_code == 200, url


def test_resident_cannot_see_the_staff_overview(client, resident, setup):
    client.force_login(resident)
    assert client.get(reverse("volunteers:staff_overview")).status_code == 403


@pytest.mark.parametrize(
    "name,args",
    [
        ("my_allowances", []),
        ("declaration_create", []),
        ("statement", "v"),
        ("statement_pdf", "v"),
        ("payer_payments", ["liga", 2025]),
        ("payer_payments_csv", ["liga", 2025]),
        ("office_payments", [2025]),
        ("staff_overview", []),
    ],
)
def test_anonymous_sees_nothing(client, setup, name, args):
    if args == "v":
        args = [setup["own"].engagement.volunteer_id, 2025]
    response = client.get(reverse(f"volunteers:{name}", args=args))
    assert response.status_code in (302, 403) and "10,00" not in response.content.decode()
