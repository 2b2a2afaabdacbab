from io import StringIO

import pytest
from django.core.management import call_command

from volunteers.models import AllowanceType, Declaration, Payment, Volunteer

pytestmark = pytest.mark.django_db


def test_seed_demo_adds_volunteers_once_with_the_resident_holding_both_types():
    call_command("seed_demo", stdout=StringIO())
    counts = (Volunteer.objects.count(), Payment.objects.count(), Declaration.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Volunteer.objects.count(), Payment.objects.count(), Declaration.objects.count()) == counts
    maria = Volunteer.objects.get(user__email="bewohnerin@quartier.example")
    assert {e.allowance_type for e in maria.engagements.all()} == set(AllowanceType)
    assert Declaration.objects.filter(received_elsewhere__gt=0).exists()
    assert Payment.objects.filter(engagement__payer_initiative__slug="nordstadtliga").exists()
    assert len({p.paid_on.year for p in Payment.objects.all()}) == 2
