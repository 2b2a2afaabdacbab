"""The neighbourhood fund's part of the annual report (quartier/report.py): applications, grants, payouts,
repayments and receipts still outstanding.

Six queries whatever the number of entries. Money entries are never edited: a correction is a further entry of the
same kind (negative to reduce), so every sum over the entries of a kind is the net amount.
"""

from collections import defaultdict

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from quartier.money import ZERO
from quartier.report import MONEY, Figure, Period, Row, Section

from .models import FundApplication, FundEntry, Receipt

Kind = FundEntry.Kind


def section(period: Period) -> Section:
    submitted = FundApplication.objects.filter(
        submitted_at__gte=period.starts_at, submitted_at__lt=period.ends_at
    ).exclude(status=FundApplication.Status.DRAFT)
    statuses = {row["status"]: row["count"] for row in submitted.values("status").annotate(count=Count("pk"))}
    entries = FundEntry.objects.filter(booked_on__gte=period.start, booked_on__lte=period.end)
    totals = entries.aggregate(
        granted=Sum("amount", filter=Q(kind=Kind.GRANT)),
        paid=Sum("amount", filter=Q(kind=Kind.PAYOUT)),
        repaid=Sum("amount", filter=Q(kind=Kind.REPAYMENT)),
        corrections=Count("pk", filter=Q(corrects__isnull=False)),
        projects=Count("application", filter=Q(kind=Kind.GRANT), distinct=True),
    )
    grants = entries.filter(kind=Kind.GRANT)
    by_goal = list(
        grants.filter(application__goals__isnull=False)
        .values_list("application__goals__name")
        .annotate(total=Sum("amount"))
        .order_by("-total", "application__goals__name")
    )
    by_topic = list(
        grants.filter(application__initiative__topics__isnull=False)
        .values_list("application__initiative__topics__name")
        .annotate(total=Sum("amount"))
        .order_by("-total", "application__initiative__topics__name")
    )
    # Receipts outstanding, as of today: for each application paid out in the period, what was paid out (all its
    # entries, net of corrections) less what came back and what the receipts cover, where that is above zero.
    paid_applications = entries.filter(kind=Kind.PAYOUT).values("application")
    balance = defaultdict(lambda: ZERO)
    for application, kind, total in (
        FundEntry.objects.filter(application__in=paid_applications, kind__in=(Kind.PAYOUT, Kind.REPAYMENT))
        .values_list("application", "kind")
        .annotate(total=Sum("amount"))
    ):
        balance[application] += total if kind == Kind.PAYOUT else -total
    for application, total in (
        Receipt.objects.filter(application__in=paid_applications).values_list("application").annotate(Sum("amount"))
    ):
        balance[application] -= total
    outstanding = [amount for amount in balance.values() if amount > ZERO]
    as_of = period.as_of_text
    figures = [
        Figure(
            _("Applications"),
            sum(statuses.values()),
            _("Applications submitted in the period (drafts do not count), by their status on %(day)s.")
            % {"day": as_of},
            rows=[Row(str(label), statuses.get(value, 0)) for value, label in FundApplication.Status.choices[1:]],
        ),
        Figure(
            _("Projects granted"),
            totals["projects"],
            _("Applications with a grant entry booked in the period."),
        ),
        Figure(
            _("Grants"),
            totals["granted"] or ZERO,
            _("Grant entries booked in the period, net of their corrections."),
            unit=MONEY,
        ),
        Figure(
            _("Fund money by goal"),
            None,
            _("The same grants by the goals of the project; a project with several goals counts for each."),
            unit=MONEY,
            rows=[Row(name, total) for name, total in by_goal],
            public=True,
        ),
        Figure(
            _("Grants by topic of the initiative"),
            None,
            _("The same grants by the topics of the applying initiative; several topics count for each."),
            unit=MONEY,
            rows=[Row(name, total) for name, total in by_topic],
        ),
        Figure(
            _("Paid out"),
            totals["paid"] or ZERO,
            _("Payout entries booked in the period, net of their corrections."),
            unit=MONEY,
        ),
        Figure(
            _("Repaid"),
            totals["repaid"] or ZERO,
            _("Repayment entries booked in the period, net of their corrections."),
            unit=MONEY,
        ),
        Figure(
            _("Corrections"),
            totals["corrections"],
            _("Correction entries booked in the period (already counted in the sums above)."),
        ),
        Figure(
            _("Receipts outstanding"),
            sum(outstanding, ZERO),
            _(
                "For the projects paid out in the period: paid out less repaid less the receipts handed in, "
                "on %(day)s; %(count)s projects."
            )
            % {"day": as_of, "count": len(outstanding)},
            unit=MONEY,
        ),
    ]
    return Section("fund", _("Neighbourhood fund"), figures)
