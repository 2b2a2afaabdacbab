"""The volunteering part of the annual report (quartier/report.py): offers, sign-ups, allowances and the caps.

Six queries whatever the number of payments: offers, sign-ups, the payment totals by type, the people paid, and
for the cap shares the net per person and type and what they declared received elsewhere. A reversal carries the
negated amount and the original's date (volunteers/models.py), so every sum is net of reversals.
"""

from collections import Counter
from decimal import Decimal

from django.db.models import Count, F, Max, Q, Sum
from django.utils.translation import gettext as _

from initiatives.models import Offer, OfferResponse
from quartier.allowances import AllowanceType
from quartier.money import ZERO
from quartier.report import MONEY, Figure, Period, Row, Section

from .models import CapTable, Declaration, Payment, Usage

WARNING_SHARE = Decimal("0.8")  # the dashboard's 80 % warning


def _cap_shares(year: int) -> Counter:
    """(type, band) → people, for the year: used = tax-free part paid in the portal + the highest amount declared
    received elsewhere (the cap rule of volunteers/models.py `compute_usage`)."""
    paid = (
        Payment.objects.filter(paid_on__year=year)
        .values("engagement__volunteer_id", "engagement__allowance_type")
        .annotate(paid=Sum(F("amount") - F("taxable_amount")), taxable=Sum("taxable_amount"))
    )
    elsewhere = {
        (row["volunteer_id"], row["allowance_type"]): row["elsewhere"]
        for row in Declaration.objects.filter(year=year)
        .values("volunteer_id", "allowance_type")
        .annotate(elsewhere=Max("received_elsewhere"))
    }
    cap = CapTable().for_year(year)
    bands = Counter()
    for row in paid:
        allowance_type = row["engagement__allowance_type"]
        usage = Usage(
            year=year,
            allowance_type=allowance_type,
            cap=cap.amount_for(allowance_type) if cap else None,
            paid=row["paid"] or ZERO,
            taxable=row["taxable"] or ZERO,
            elsewhere=elsewhere.get((row["engagement__volunteer_id"], allowance_type), ZERO),
        )
        if usage.paid + usage.taxable <= ZERO or usage.share_used is None:
            continue  # fully reversed, or no cap known for the year
        band = "reached" if usage.share_used >= 1 else "warning" if usage.share_used >= WARNING_SHARE else "below"
        bands[allowance_type, band] += 1
    return bands


def section(period: Period) -> Section:
    offers = Offer.objects.filter(created_at__gte=period.starts_at, created_at__lt=period.ends_at).aggregate(
        count=Count("pk"), helpers=Sum("helpers_needed")
    )
    responses = {
        row["status"]: row["count"]
        for row in OfferResponse.objects.filter(created_at__gte=period.starts_at, created_at__lt=period.ends_at)
        .values("status")
        .annotate(count=Count("pk"))
    }
    payments = Payment.objects.filter(paid_on__gte=period.start, paid_on__lte=period.end)
    by_type = {
        row["engagement__allowance_type"]: row
        for row in payments.values("engagement__allowance_type").annotate(
            net=Sum("amount"),
            reversed=Sum("amount", filter=Q(reverses__isnull=False)),
            reversals=Count("pk", filter=Q(reverses__isnull=False)),
        )
    }
    net_per_person = list(
        payments.values_list("engagement__volunteer_id", "engagement__allowance_type").annotate(net=Sum("amount"))
    )
    people = Counter(allowance_type for _person, allowance_type, net in net_per_person if net > 0)
    totals = Counter()
    for person, _type, net in net_per_person:
        totals[person] += net
    people_total = sum(1 for net in totals.values() if net > 0)
    year = period.end.year
    bands = _cap_shares(year)
    as_of = period.as_of_text
    band_labels = {
        # xgettext:no-python-format
        "below": _("below 80 % of the cap"),
        # xgettext:no-python-format
        "warning": _("80 % of the cap or more"),
        "reached": _("cap reached"),
    }
    figures = [
        Figure(
            _("Volunteering offers"),
            offers["count"],
            _("Offers of the initiatives published in the period, open or closed since."),
        ),
        Figure(_("Helpers asked for"), offers["helpers"] or 0, _("The helpers those offers asked for, together.")),
        Figure(
            _("Sign-ups"),
            sum(responses.values()),
            _("Sign-ups (“Ich mache mit”) made in the period, by their answer on %(day)s.") % {"day": as_of},
            rows=[Row(str(label), responses.get(value, 0)) for value, label in OfferResponse.Status.choices],
        ),
        Figure(
            _("People paid an allowance"),
            people_total,
            _("People with a positive net sum of payments in the period; fully reversed payments do not count."),
            rows=[Row(str(label), people.get(value, 0)) for value, label in AllowanceType.choices],
        ),
        Figure(
            _("Allowances paid"),
            sum((row["net"] for row in by_type.values()), ZERO),
            _("Payments dated in the period, net of their reversals (a reversal keeps the original's date)."),
            unit=MONEY,
            rows=[Row(str(label), by_type.get(value, {}).get("net") or ZERO) for value, label in AllowanceType.choices],
        ),
        Figure(
            _("Reversed payments"),
            -sum((row["reversed"] or ZERO for row in by_type.values()), ZERO),
            _("Amounts of the reversals entered for payments of the period (already deducted above)."),
            unit=MONEY,
        ),
        Figure(
            _("Cap shares %(year)s") % {"year": year},
            None,
            _(
                "People per allowance type by the share of the year's cap used: tax-free part paid in the portal "
                "in %(year)s plus the highest amount declared received elsewhere."
            )
            % {"year": year},
            rows=[
                Row(f"{label}: {band_label}", bands[value, band])
                for value, label in AllowanceType.choices
                for band, band_label in band_labels.items()
            ],
        ),
    ]
    return Section("volunteers", _("Volunteering"), figures)
