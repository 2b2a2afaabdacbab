"""The mail part of the staff dashboard: mails that failed for good and mails waiting for a retry."""

from django.db.models import Count, Q
from django.template.loader import render_to_string

from .models import OutgoingMail

Status = OutgoingMail.Status


def section(request) -> str:
    """One query: the counts of failed mails and of mails whose earlier attempts failed."""
    counts = OutgoingMail.objects.aggregate(
        failed=Count("pk", filter=Q(status=Status.FAILED)),
        retrying=Count("pk", filter=Q(status__in=[Status.PENDING, Status.SENDING], attempts__gt=0)),
    )
    return render_to_string("quartier/dashboard_mail.html", counts, request)
