""" "Leads this initiative" is spelled once: Initiative.objects.led_by, Initiative.is_led_by, memberships.leads()."""

import pytest
from django.contrib.auth.models import AnonymousUser

from initiatives.models import Initiative, Membership

from ..factories import make_user
from .factories import make_initiative, make_membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def club():
    club = make_initiative()
    lead, member = make_user(), make_user()
    make_membership(initiative=club, user=lead, role=Membership.Role.LEAD)
    make_membership(initiative=club, user=member, role=Membership.Role.MEMBER)
    make_membership(initiative=make_initiative(), user=member, role=Membership.Role.LEAD)
    return {"club": club, "lead": lead, "member": member}


def test_only_a_lead_membership_makes_one_lead_the_initiative(club):
    assert club["club"].is_led_by(club["lead"])
    assert not club["club"].is_led_by(club["member"])  # leads another initiative, not this one
    assert not club["club"].is_led_by(make_user())
    assert not club["club"].is_led_by(AnonymousUser())


def test_the_queryset_and_the_object_agree_on_who_leads(club):
    assert list(Initiative.objects.led_by(club["lead"])) == [club["club"]]
    assert club["club"] not in Initiative.objects.led_by(club["member"])
    assert [m.user for m in club["club"].memberships.leads()] == [club["lead"]]
    assert all(m.is_lead for m in Membership.objects.leads())
