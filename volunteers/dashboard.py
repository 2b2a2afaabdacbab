"""The allowances' part of the staff dashboard: volunteers near or over a cap this year."""

from django.template.loader import render_to_string
from django.utils import timezone

from . import services


def section(request) -> str:
    if not request.user.has_perm("volunteers.view_payment"):
        return ""
    overview = services.staff_overview(timezone.localdate().year)
    return render_to_string("volunteers/dashboard_section.html", overview, request)
