"""The rooms' part of the annual report (quartier/report.py): bookings, hours, occupancy, fees and deposits.

Five queries whatever the number of bookings: the totals, the breakdown by room, by purpose and booker, and the
bookable hours of the rooms.
"""

from collections import defaultdict
from datetime import datetime, timedelta

from django.db.models import Case, CharField, Count, DurationField, ExpressionWrapper, F, Q, Sum, Value, When
from django.utils.translation import gettext as _

from quartier.money import ZERO
from quartier.report import COUNT, HOURS, MONEY, PERCENT, Figure, Period, Row, Section, hours, share

from .models import BookableHours, Booking, Room

CONFIRMED = Q(status=Booking.Status.CONFIRMED)
LENGTH = ExpressionWrapper(F("ends_at") - F("starts_at"), output_field=DurationField())

# Who booked: the office counter first, then on behalf of an initiative, else a resident (in this order).
BOOKER = Case(
    When(channel=Booking.Channel.OFFICE, then=Value("office")),
    When(initiative__isnull=False, then=Value("initiative")),
    default=Value("resident"),
    output_field=CharField(),
)


def booker_labels() -> dict[str, str]:
    return {
        "resident": _("residents"),
        "initiative": _("initiatives"),
        "office": _("the office counter"),
    }


def purpose_labels() -> dict[bool, str]:
    return {False: _("community use (free of charge)"), True: _("private use (fee)")}


def _bookable_hours(period: Period) -> dict[int, float]:
    """Per room: the hours it may be booked in the period (its weekly bookable hours on each day of the period)."""
    weekdays = period.weekdays()
    result = defaultdict(float)
    for room_id, weekday, opens, closes in BookableHours.objects.values_list("room_id", "weekday", "opens", "closes"):
        day = datetime.combine(period.start, closes) - datetime.combine(period.start, opens)
        result[room_id] += max(day, timedelta()).total_seconds() / 3600 * weekdays[weekday]
    return result


def section(period: Period) -> Section:
    in_period = Booking.objects.filter(starts_at__gte=period.starts_at, starts_at__lt=period.ends_at)
    totals = in_period.aggregate(
        confirmed=Count("pk", filter=CONFIRMED),
        cancelled=Count("pk", filter=Q(status=Booking.Status.CANCELLED)),
        declined=Count("pk", filter=Q(status=Booking.Status.DECLINED)),
        length=Sum(LENGTH, filter=CONFIRMED),
        fees=Sum("fee", filter=CONFIRMED & Q(private_use=True)),
        deposits=Sum("deposit", filter=CONFIRMED & Q(private_use=True)),
        withheld=Sum("deposit_withheld", filter=CONFIRMED & Q(deposit_state__in=Booking.WITHHOLDING)),
    )
    per_room = {
        row["room_id"]: row
        for row in in_period.filter(CONFIRMED).values("room_id").annotate(count=Count("pk"), length=Sum(LENGTH))
    }
    by_purpose = {
        row["private_use"]: row
        for row in in_period.filter(CONFIRMED).values("private_use").annotate(count=Count("pk"), length=Sum(LENGTH))
    }
    by_booker = {
        row["booker"]: row
        for row in in_period.filter(CONFIRMED)
        .annotate(booker=BOOKER)
        .values("booker")
        .annotate(count=Count("pk"), length=Sum(LENGTH), people=Count("booked_by", distinct=True))
    }
    bookable = _bookable_hours(period)
    rooms = list(Room.objects.filter(Q(is_active=True) | Q(pk__in=per_room)).order_by("name").values("pk", "name"))

    booked_hours = hours(totals["length"])
    total_bookable = sum(bookable[room["pk"]] for room in rooms)
    confirmed_rule = _(
        "Confirmed bookings that start in the period; cancelled, declined and open requests do not count."
    )
    purposes, bookers = purpose_labels(), booker_labels()
    figures = [
        Figure(
            _("Bookings"),
            totals["confirmed"],
            confirmed_rule,
            rows=[Row(room["name"], per_room.get(room["pk"], {}).get("count", 0)) for room in rooms],
        ),
        Figure(
            _("Cancelled bookings"),
            totals["cancelled"],
            _("Bookings that start in the period and were cancelled (by the booker or the office), at any time."),
        ),
        Figure(_("Declined requests"), totals["declined"], _("Requests for the period that the office declined.")),
        Figure(
            _("Hours booked"),
            booked_hours,
            _("Length of the confirmed bookings that start in the period, in hours."),
            unit=HOURS,
            rows=[Row(room["name"], hours(per_room.get(room["pk"], {}).get("length"))) for room in rooms],
        ),
        Figure(
            _("Occupancy of the bookable hours"),
            share(booked_hours, total_bookable),
            _(
                "Hours booked ÷ the rooms' bookable hours (weekly opening hours on each day of the period); "
                "closures are not deducted."
            ),
            unit=PERCENT,
            rows=[
                Row(room["name"], share(hours(per_room.get(room["pk"], {}).get("length")), bookable[room["pk"]]))
                for room in rooms
            ],
        ),
        Figure(
            _("Room hours by purpose"),
            booked_hours,
            _("Hours of the confirmed bookings that start in the period, by private use (with fee) or not."),
            unit=HOURS,
            rows=[Row(label, hours(by_purpose.get(key, {}).get("length"))) for key, label in purposes.items()],
            public=True,
        ),
        Figure(
            _("Bookings by kind of booker"),
            totals["confirmed"],
            _(
                "Confirmed bookings that start in the period: made at the office counter, else on behalf of an "
                "initiative, else by a resident."
            ),
            rows=[
                Row(label, by_booker.get(key, {}).get("count", 0), by_booker.get(key, {}).get("people", 0))
                for key, label in bookers.items()
            ],
        ),
        Figure(
            _("Hours by kind of booker"),
            booked_hours,
            _("Hours of the same bookings, counted the same way."),
            unit=HOURS,
            rows=[Row(label, hours(by_booker.get(key, {}).get("length"))) for key, label in bookers.items()],
        ),
        Figure(
            _("Private use"),
            by_purpose.get(True, {}).get("count", 0),
            _("Confirmed bookings for private use (with fee) that start in the period."),
            unit=COUNT,
        ),
        Figure(
            _("Fees"),
            totals["fees"] or ZERO,
            _("Fees of the confirmed private bookings that start in the period, as charged."),
            unit=MONEY,
        ),
        Figure(
            _("Deposits charged"),
            totals["deposits"] or ZERO,
            _("Deposits of the confirmed private bookings that start in the period."),
            unit=MONEY,
        ),
        Figure(
            _("Deposits withheld"),
            totals["withheld"] or ZERO,
            _("The part of those deposits that the office withheld for damage, as settled by today."),
            unit=MONEY,
        ),
    ]
    return Section("rooms", _("Rooms"), figures)
