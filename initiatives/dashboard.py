"""The initiatives' part of the staff dashboard: reported content, initiatives waiting for verification."""

from django.template.loader import render_to_string

from quartier.staff import is_office_staff

from .models import Initiative, Report


def section(request) -> str:
    if not is_office_staff(request.user):
        return ""
    reports = list(Report.objects.filter(handled=False).select_related("initiative", "project")[:20])
    unverified = list(Initiative.objects.filter(is_verified=False).order_by("created_at")[:20])
    return render_to_string(
        "initiatives/dashboard_section.html", {"reports": reports, "unverified": unverified}, request
    )
