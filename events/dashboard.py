"""The events' part of the staff dashboard: the next events with their registrations, proposals to decide."""

from django.template.loader import render_to_string
from django.utils import timezone

from quartier.staff import is_office_staff

from .models import Event, Proposal


def section(request) -> str:
    """Two queries: the next ten events with places taken, and the open proposals."""
    if not is_office_staff(request.user):
        return ""
    events = list(Event.objects.published().upcoming().with_listing_data()[:10])
    proposals = list(
        Proposal.objects.filter(status=Proposal.Status.OPEN, conference__event__ends_at__gte=timezone.now())
        .select_related("conference__event")
        .order_by("conference__event__starts_at", "pk")[:20]
    )
    return render_to_string("events/dashboard_section.html", {"events": events, "proposals": proposals}, request)
