import itertools
from datetime import date
from decimal import Decimal

from volunteers import services
from volunteers.models import AllowanceType, Declaration, Engagement, Volunteer

_counter = itertools.count(1)


def make_volunteer(**fields) -> Volunteer:
    n = next(_counter)
    fields.setdefault("name", f"Freiwillige {n}")
    fields.setdefault("street", f"Mallinckrodtstraße {n}")
    fields.setdefault("postcode", "44145")
    fields.setdefault("city", "Dortmund")
    return Volunteer.objects.create(**fields)


def make_engagement(**fields) -> Engagement:
    n = next(_counter)
    if "volunteer" not in fields:
        fields["volunteer"] = make_volunteer()
    fields.setdefault("activity", f"Tätigkeit {n}")
    fields.setdefault("allowance_type", AllowanceType.HONORARY)
    fields.setdefault("starts_on", date(2020, 1, 1))
    return Engagement.objects.create(**fields)


def make_declaration(engagement: Engagement, year: int, **fields) -> Declaration:
    fields.setdefault("received_elsewhere", Decimal("0.00"))
    fields.setdefault("signed_on", date(year, 1, 2))
    return Declaration.objects.create(
        volunteer=engagement.volunteer,
        payer_initiative=engagement.payer_initiative,
        year=year,
        allowance_type=engagement.allowance_type,
        **fields,
    )


def pay(engagement: Engagement, amount: str, paid_on: date, by, **kwargs):
    return services.record_payment(
        engagement=engagement,
        paid_on=paid_on,
        amount=Decimal(amount),
        purpose=kwargs.pop("purpose", "Aufwandsentschädigung"),
        entered_by=by,
        **kwargs,
    )
