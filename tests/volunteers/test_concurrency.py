"""Two staff members book payments for the same volunteer at the same moment: they cannot both slip under the cap."""

import time
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from volunteers import services
from volunteers.models import Payment

from ..concurrency import race
from ..factories import make_staff
from .factories import make_declaration, make_engagement

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_payments_that_each_fit_but_not_together_one_is_accepted_one_refused(postgres, office, monkeypatch):
    engagement = make_engagement()
    make_declaration(engagement, 2025)
    first, second = make_staff(), make_staff()
    check = services.split_payment

    def slow_check(**kwargs):
        # Both transactions would have read the old totals by now, were the volunteer's row not locked.
        split = check(**kwargs)
        time.sleep(0.3)
        return split

    monkeypatch.setattr(services, "split_payment", slow_check)

    def booking(by):
        return lambda: services.record_payment(
            engagement=engagement, paid_on=date(2025, 7, 1), amount=Decimal("500.00"), purpose="Juli", entered_by=by
        )

    results = race([booking(first), booking(second)])
    assert sum(isinstance(result, Payment) for result in results) == 1
    assert sum(isinstance(result, ValidationError) for result in results) == 1
    assert [p.amount for p in Payment.objects.all()] == [Decimal("500.00")]
