import itertools

from initiatives.models import Initiative, Membership

_counter = itertools.count(1)


def make_initiative(**fields) -> Initiative:
    n = next(_counter)
    fields.setdefault("name", f"Initiative {n}")
    fields.setdefault("slug", f"initiative-{n}")
    fields.setdefault("short_description", "Wir machen etwas für den Stadtteil.")
    fields.setdefault("contact_email", f"kontakt{n}@example.org")
    fields.setdefault("is_verified", True)
    return Initiative.objects.create(**fields)


def make_membership(*, initiative, user, role="member") -> Membership:
    return Membership.objects.create(initiative=initiative, user=user, role=role)


# --- Neighbourhood fund -----------------------------------------------------------------------------------

from datetime import date, datetime, timedelta  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.utils import timezone  # noqa: E402

from initiatives.models import Call, CostLine, Fund, FundApplication, JuryMember  # noqa: E402


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


def aware(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time().replace(hour=hour)))
