"""The rooms' part of the staff dashboard: requests to decide, today's and tomorrow's use for the key handover,
keys still out after their booking ended and deposits the office holds."""

from datetime import datetime, time, timedelta

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone

from quartier.staff import is_office_staff

from .models import Booking

LISTED = 20  # rows per list; the counts above each list say how many there are in all
WITHHELD_DAYS = 30  # deposits withheld lately: for questions from the bookers


def section(request) -> str:
    """Six queries, whatever the number of bookings: the counts, the waiting requests, the next two days'
    bookings, the keys not returned, the deposits held and those withheld lately."""
    if not is_office_staff(request.user):
        return ""
    now, today = timezone.now(), timezone.localdate()
    start = timezone.make_aware(datetime.combine(today, time.min))
    end = timezone.make_aware(datetime.combine(today + timedelta(days=2), time.min))
    waiting = Q(status=Booking.Status.REQUESTED, ends_at__gt=now)
    key_out = Q(key_issued_at__isnull=False, key_returned_at__isnull=True, ends_at__lte=now)
    held = Q(deposit_state=Booking.DepositState.HELD)
    counts = Booking.objects.aggregate(
        requests=Count("pk", filter=waiting),
        keys_out=Count("pk", filter=key_out),
        deposits_held=Count("pk", filter=held),
    )
    requests = list(
        Booking.objects.filter(waiting).select_related("room", "booked_by", "initiative").order_by("starts_at")[:LISTED]
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
    keys_out = list(Booking.objects.filter(key_out).select_related("room").order_by("ends_at")[:LISTED])
    deposits_held = list(Booking.objects.filter(held).select_related("room").order_by("ends_at")[:LISTED])
    withheld = list(
        Booking.objects.filter(deposit_state__in=Booking.WITHHOLDING, ends_at__gte=now - timedelta(days=WITHHELD_DAYS))
        .select_related("room")
        .order_by("-ends_at")[:LISTED]
    )
    return render_to_string(
        "rooms/dashboard_section.html",
        {
            **counts,
            "requests_list": requests,
            "days": [(day, list(rooms.items())) for day, rooms in sorted(days.items())],
            "today": today,
            "keys_out_list": keys_out,
            "deposits_held_list": deposits_held,
            "withheld_list": withheld,
            "withheld_days": WITHHELD_DAYS,
            "listed": LISTED,
        },
        request,
    )


def waitlist_section(request) -> str:
    """The waiting list per room: how many wait, the holds not yet answered, and series with no-shows in a row."""
    if not is_office_staff(request.user):
        return ""
    from .models import WaitlistEntry

    now = timezone.now()
    rooms = list(
        WaitlistEntry.objects.open()
        .filter(starts_at__gt=now)
        .values("room_id", "room__name")
        .annotate(
            waiting=Count("pk", filter=Q(state=WaitlistEntry.State.WAITING)),
            offered=Count("pk", filter=Q(state=WaitlistEntry.State.OFFERED)),
        )
        .order_by("room__name")
    )
    offers = list(
        Booking.objects.filter(status=Booking.Status.OFFERED, starts_at__gt=now)
        .select_related("room", "booked_by")
        .order_by("offer_expires_at")[:LISTED]
    )
    return render_to_string(
        "rooms/dashboard_waitlist.html", {"waitlist_rooms": rooms, "offers": offers, **_no_show_context()}, request
    )


def _no_show_context() -> dict:
    from .reconfirm import no_show_alerts

    return {"no_show_alerts": no_show_alerts()}
