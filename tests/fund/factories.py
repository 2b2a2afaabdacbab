"""Factories of the neighbourhood fund: complete, valid records with overridable fields."""

import itertools
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from initiatives.fund.models import Call, CostLine, Fund, FundApplication, JuryMember

_counter = itertools.count(1)


def make_fund(**fields) -> Fund:
    n = next(_counter)
    fields.setdefault("name", f"Quartiersfonds {n}")
    fields.setdefault("year", timezone.localdate().year)
    fields.setdefault("total", Decimal("10000.00"))
    fields.setdefault("max_per_project", Decimal("1500.00"))
    fields.setdefault("cofinancing_share", Decimal("0.00"))
    return Fund.objects.create(**fields)


def make_call(*, fund=None, **fields) -> Call:
    """An open call by default: deadline in two weeks, session a week later."""
    now = timezone.now()
    fields.setdefault("title", "Aufruf")
    fields.setdefault("opens_at", now - timedelta(days=10))
    fields.setdefault("deadline", now + timedelta(days=14))
    fields.setdefault("session_date", timezone.localdate(fields["deadline"]) + timedelta(days=7))
    return Call.objects.create(fund=fund or make_fund(), **fields)


def make_application(*, call=None, applicant, lines=(("Material", "800.00"),), **fields) -> FundApplication:
    """A complete application (submittable), a draft unless `status` says otherwise."""
    call = call or make_call()
    fields.setdefault("title", "Hoffest")
    fields.setdefault("description", "Ein Fest im Hof, im Juni.")
    fields.setdefault("benefit", "Nachbarn lernen sich kennen.")
    fields.setdefault("confirms_eligibility", True)
    fields.setdefault("planned_start", call.session_date + timedelta(days=10))
    application = FundApplication.objects.create(call=call, applicant=applicant, **fields)
    for description, amount in lines:
        CostLine.objects.create(application=application, description=description, amount=Decimal(amount))
    return application


def make_jury_member(*, fund, user, **fields) -> JuryMember:
    today = timezone.localdate()
    fields.setdefault("term_from", today - timedelta(days=365))
    fields.setdefault("term_until", today + timedelta(days=365))
    return JuryMember.objects.create(fund=fund, user=user, **fields)
