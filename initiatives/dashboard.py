"""The initiatives' part of the staff dashboard: reported content, initiatives waiting for verification."""

from django.template.loader import render_to_string

from .models import Initiative, Report


def section(request) -> str:
    reports = list(Report.objects.filter(handled=False).select_related("initiative", "project")[:20])
    unverified = list(Initiative.objects.filter(is_verified=False).order_by("created_at")[:20])
    return render_to_string("initiatives/dashboard_section.html", {"reports": reports, "unverified": unverified},
                            request)
