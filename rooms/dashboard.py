"""The rooms' part of the staff dashboard: requests to decide, and today's and tomorrow's use for the key handover."""

from datetime import datetime, time, timedelta

from django.template.loader import render_to_string
from django.utils import timezone

from quartier.staff import is_office_staff

from .models import Booking


def section(request) -> str:
    """Two queries, whatever the number of bookings: the waiting requests and the next two days' bookings."""
    if not is_office_staff(request.user):
        return ""
    today = timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, time.min))
    end = timezone.make_aware(datetime.combine(today + timedelta(days=2), time.min))
    requests = list(
        Booking.objects.filter(status=Booking.Status.REQUESTED, ends_at__gt=timezone.now())
        .select_related("room", "booked_by", "initiative")
        .order_by("starts_at")[:20]
    )
    days = {today: {}, today + timedelta(days=1): {}}
    for booking in (
        Booking.objects.holding()
        .filter(starts_at__lt=end, ends_at__gt=start)
        .select_related("room__location", "initiative")
        .order_by("room__name", "starts_at")
    ):
        day = max(timezone.localdate(booking.starts_at), today)
        days.setdefault(day, {}).setdefault(booking.room, []).append(booking)
    return render_to_string(
        "rooms/dashboard_section.html",
        {
            "requests": requests,
            "days": [(day, list(rooms.items())) for day, rooms in sorted(days.items())],
            "today": today,
        },
        request,
    )
