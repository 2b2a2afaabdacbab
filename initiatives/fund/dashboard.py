"""The fund's part of the staff dashboard: applications waiting for the formal check, eligible ones for the next
sessions (with the votes cast so far), approved projects whose receipts and report are ready to check or overdue,
and the budget left of this year's funds. A fixed number of queries, however many applications there are."""

from datetime import timedelta

from django.db.models import Count, Exists, OuterRef, Q
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Fund, FundApplication, Receipt, load_money
from .services import is_fund_staff

Status = FundApplication.Status
LIMIT = 20
# Receipts and report are expected within eight weeks after the project's planned end (its start if no end).
REPORT_DUE_AFTER = timedelta(weeks=8)


def section(request) -> str:
    if not is_fund_staff(request.user):
        return ""
    today = timezone.localdate()
    applications = FundApplication.objects.select_related("call__fund", "applicant", "initiative")
    submitted = list(applications.filter(status=Status.SUBMITTED).order_by("submitted_at", "pk")[:LIMIT])
    submitted_count = applications.filter(status=Status.SUBMITTED).count() if len(submitted) == LIMIT else None
    eligible = list(
        applications.filter(status=Status.ELIGIBLE)
        .annotate(votes_cast=Count("votes"))
        .prefetch_related("cost_lines")
        .order_by("call__session_date", "call", "title")[:LIMIT]
    )
    due = today - REPORT_DUE_AFTER
    after = list(
        applications.filter(status=Status.APPROVED)
        .annotate(has_receipts=Exists(Receipt.objects.filter(application=OuterRef("pk"))))
        .filter(
            Q(report_submitted_at__isnull=False, has_receipts=True)
            | Q(planned_end__lt=due)
            | Q(planned_end__isnull=True, planned_start__lt=due)
        )
        .order_by("planned_end", "planned_start", "pk")[:LIMIT]
    )
    for application in after:
        application.ready = bool(application.report_submitted_at and application.has_receipts)
        application.due_on = (
            (application.planned_end or application.planned_start) + REPORT_DUE_AFTER
            if (application.planned_end or application.planned_start)
            else None
        )
    funds = load_money(Fund.objects.filter(year=today.year).order_by("name"))
    return render_to_string(
        "fund/dashboard_section.html",
        {
            "submitted": submitted,
            "submitted_count": submitted_count,
            "eligible": eligible,
            "after": after,
            "funds": funds,
            "year": today.year,
        },
        request,
    )
