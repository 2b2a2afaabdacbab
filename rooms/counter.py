"""The office counter: staff book for people without an account, and print the confirmation for those without mail.

Bookings go through `services.book_room` with a `CounterPerson`: the same rules, conflict check, fees and deposit
as online. Only office staff (`is_office_staff`) open these pages; the two-factor middleware covers them as every
page of an account with office powers.
"""

from datetime import date, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from quartier.counter import confirmation_pdf, paper_size
from quartier.dates import aware
from quartier.money import ZERO
from quartier.staff import is_office_staff

from . import reconfirm, services
from .forms import CounterBookingForm, CounterDayForm
from .models import Booking


def _require_staff(request) -> None:
    if not is_office_staff(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def counter_booking(request):
    """Book a room for a person at the counter, by name and phone, with or without an e-mail address: one date, or
    a series after the preview of its dates ("edit" from the preview shows the form again)."""
    _require_staff(request)
    form = CounterBookingForm(request.POST or None)
    if not form.is_valid() or request.POST.get("step") == "edit":
        return render(request, "rooms/counter_form.html", {"form": form})
    if form.is_series:
        return _counter_series(request, form)
    try:
        booking = services.book_room(
            room=form.cleaned_data["room"],
            booked_by=None,
            starts_at=form.cleaned_data["starts_at"],
            ends_at=form.cleaned_data["ends_at"],
            title=form.cleaned_data["title"],
            attendees=form.cleaned_data["attendees"],
            show_title=form.cleaned_data["show_title"],
            private_use=form.cleaned_data["private_use"],
            created_by=request.user,
            counter_person=form.counter_person(),
        )
    except ValidationError as error:
        form.add_error(None, error.messages)
        return render(request, "rooms/counter_form.html", {"form": form})
    _say_how_confirmed(request, booking)
    return redirect("rooms:counter_confirmation", pk=booking.pk)


def _say_how_confirmed(request, booking) -> None:
    if booking.responsible_email:
        messages.success(request, _("The booking is confirmed. The confirmation went by mail."))
    else:
        messages.success(request, _("The booking is confirmed. Print the confirmation for the person."))


def _counter_series(request, form):
    """The series service as online: first each date with what stands in its way and the costs; then the chosen
    free dates as one series, and the printable confirmation lists them."""
    data = form.cleaned_data
    room = data["room"]
    dates = services.preview_series(
        room=room,
        booked_by=None,
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        frequency=data["repeat"],
        until=data.get("until"),
        count=data.get("count"),
        attendees=data["attendees"],
        staff=True,
        private_use=data.get("private_use", False),
    )
    context = {
        "room": room,
        "form": form,
        "dates": dates,
        "series_costs": form.costs(room),
        "counter": True,
        "edit_url": reverse("rooms:counter"),
    }
    if request.POST.get("step") != "confirm":
        return render(request, "rooms/series_preview.html", context)
    chosen = set(request.POST.getlist("dates"))
    try:
        series = services.book_series(
            room=room,
            booked_by=None,
            frequency=data["repeat"],
            dates=[(d.starts_at, d.ends_at) for d in dates if d.key in chosen],
            skipped=[(d.starts_at, d.ends_at) for d in dates if d.key not in chosen],
            created_by=request.user,
            counter_person=form.counter_person(),
            **form.booking_fields(),
        )
    except ValidationError as error:
        return render(request, "rooms/series_preview.html", {**context, "errors": error.messages, "chosen": chosen})
    first = series.bookings.order_by("starts_at").first()
    _say_how_confirmed(request, first)
    return redirect("rooms:counter_confirmation", pk=first.pk)


def _confirmation_context(request, pk) -> dict:
    """Office staff see every booking's confirmation, a resident her own; anyone else's is a 404."""
    bookings = Booking.objects.with_related()
    if not is_office_staff(request.user):
        bookings = bookings.of_user(request.user)
    booking = get_object_or_404(bookings, pk=pk)
    series_dates = []
    if booking.series_id:  # a series: the confirmation lists its dates that still hold (and their total)
        series_dates = list(booking.series.bookings.holding().order_by("starts_at"))
    return {
        "booking": booking,
        "series_dates": series_dates,
        "series_fee": sum((date.fee for date in series_dates), ZERO),
        "series_deposit": sum((date.deposit for date in series_dates), ZERO),
        "paper": paper_size(request),
        "issued_at": timezone.now(),
        "user_is_staff": is_office_staff(request.user),
    }


@login_required
@require_safe
def counter_confirmation(request, pk):
    """The printable confirmation (A4 or A5) with the house rules and the key arrangement."""
    return render(request, "rooms/counter_confirmation.html", _confirmation_context(request, pk))


@login_required
@require_safe
def counter_confirmation_pdf(request, pk):
    label = _("booking")  # outside the f-string: xgettext reads no f-strings
    return confirmation_pdf(
        request, "rooms/counter_confirmation_pdf.html", _confirmation_context(request, pk), f"{label}-{pk}.pdf"
    )


@login_required
@require_safe
def counter_day(request):
    """One day's bookings of every room, for the counter and the door: who comes, and who did not (a no-show is
    recorded here as in the admin, `reconfirm.record_no_show`). Three queries, whatever the number of bookings."""
    _require_staff(request)
    form = CounterDayForm(request.GET or None)
    day = timezone.localdate()
    if form.is_valid() and form.cleaned_data["datum"]:
        day = form.cleaned_data["datum"]
    start, end = aware(day, time.min), aware(day + timedelta(days=1), time.min)
    now = timezone.now()
    bookings = list(
        Booking.objects.filter(starts_at__lt=end, ends_at__gt=start)
        .filter(Q(status__in=Booking.HOLDING) | Q(no_show=True))
        .select_related("room__location", "booked_by", "initiative")
        .order_by("starts_at", "room__name")
    )
    for booking in bookings:
        booking.no_show_possible = booking.status == Booking.Status.CONFIRMED and booking.starts_at <= now
    context = {
        "form": form,
        "day": day,
        "bookings": bookings,
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1),
        "today": timezone.localdate(),
    }
    return render(request, "rooms/counter_day.html", context)


@login_required
@require_POST
def counter_no_show(request, pk):
    """Nobody came to this date: recorded by the same rule as the admin action; after the room's number of no-shows
    in a row the dashboard alerts the office."""
    _require_staff(request)
    booking = get_object_or_404(Booking.objects.select_related("room", "series"), pk=pk)
    try:
        booking = reconfirm.record_no_show(booking=booking, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Recorded: nobody came to “{title}”.").format(title=booking.title))
        if booking.series_id and booking.series.no_shows_in_a_row_count() >= booking.room.no_show_alert_after:
            messages.warning(request, _("This series has had no-shows in a row; the dashboard alerts the office."))
    day = timezone.localdate(booking.starts_at).isoformat()
    return redirect(f"{reverse('rooms:counter_day')}?datum={day}")


def dashboard_section(request) -> str:
    """The staff dashboard: this year's bookings by channel (portal or office counter), in one query."""
    if not is_office_staff(request.user):
        return ""
    year = timezone.localdate().year
    start, end = aware(date(year, 1, 1), time.min), aware(date(year + 1, 1, 1), time.min)
    counts = (
        Booking.objects.holding()
        .filter(starts_at__gte=start, starts_at__lt=end)
        .aggregate(
            portal=Count("pk", filter=Q(channel=Booking.Channel.PORTAL)),
            office=Count("pk", filter=Q(channel=Booking.Channel.OFFICE)),
        )
    )
    return render_to_string(
        "rooms/counter_dashboard.html",
        {
            "counts": counts,
            "year": year,
            "counter_url": reverse("rooms:counter"),
            "day_url": reverse("rooms:counter_day"),
        },
        request,
    )
