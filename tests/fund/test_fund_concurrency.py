"""Two grants decided at the same moment, each fitting the budget left but not both: the fund's row lock lets one
through and refuses the other (PostgreSQL, real transactions in two threads)."""

import time
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from initiatives.fund import services
from initiatives.fund.models import Fund, FundApplication, FundEntry

from ..concurrency import race
from ..factories import make_staff, make_user
from .factories import make_application, make_call, make_fund, make_jury_member

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_grants_decided_at_once_cannot_overdraw_the_budget(postgres, monkeypatch):
    fund = make_fund(total=Decimal("2000.00"), max_per_project=Decimal("1500.00"))
    call = make_call(fund=fund)
    jurors = [make_user() for _ in range(3)]
    for user in jurors:
        make_jury_member(fund=fund, user=user)
    applications = [
        make_application(
            call=call, applicant=make_user(), status=FundApplication.Status.ELIGIBLE, lines=[("Material", "1200.00")]
        )
        for _ in range(2)
    ]
    staff = make_staff()
    check = services.check_grant

    def slow_check(**kwargs):
        # Both transactions would have read the old budget by now, were the fund's row not locked.
        check(**kwargs)
        time.sleep(0.3)

    monkeypatch.setattr(services, "check_grant", slow_check)

    def decision(application):
        votes = {member.pk: "for" for member, _reason in services.voters(application)}
        return lambda: services.decide_application(
            application=application, votes=votes, amount=Decimal("1200.00"), note="", by=staff
        )

    results = race([decision(applications[0]), decision(applications[1])])
    errors = [r for r in results if isinstance(r, ValidationError)]
    assert len(errors) == 1, results
    assert "verfügbare Budget" in errors[0].messages[0]  # German, the default language
    assert FundEntry.objects.filter(kind="grant").count() == 1
    assert Fund.objects.with_money().get(pk=fund.pk).budget_left == Decimal("800.00")
