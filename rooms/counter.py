"""The office counter: staff book for people without an account, and print the confirmation for those without mail.

Bookings go through `services.book_room` with a `CounterPerson`: the same rules, conflict check, fees and deposit
as online. Only office staff (`is_office_staff`) open these pages; the two-factor middleware covers them as every
page of an account with office powers.
"""

from datetime import date, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from quartier.dates import aware
from quartier.exports import as_download, pdf_from_html
from quartier.staff import is_office_staff

from . import services
from .door import door_css
from .forms import CounterBookingForm
from .models import Booking

PAPER_SIZES = ("A4", "A5")


def _require_staff(request) -> None:
    if not is_office_staff(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def counter_booking(request):
    """Book a room for a person at the counter, by name and phone, with or without an e-mail address."""
    _require_staff(request)
    form = CounterBookingForm(request.POST or None)
    if form.is_valid():
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
        else:
            if booking.responsible_email:
                messages.success(request, _("The booking is confirmed. The confirmation went by mail."))
            else:
                messages.success(request, _("The booking is confirmed. Print the confirmation for the person."))
            return redirect("rooms:counter_confirmation", pk=booking.pk)
    return render(request, "rooms/counter_form.html", {"form": form})


def _confirmation_context(request, pk) -> dict:
    """Office staff see every booking's confirmation, a resident her own; anyone else's is a 404."""
    bookings = Booking.objects.with_related()
    if not is_office_staff(request.user):
        bookings = bookings.of_user(request.user)
    booking = get_object_or_404(bookings, pk=pk)
    paper = request.GET.get("format", "A4").upper()
    return {
        "booking": booking,
        "paper": paper if paper in PAPER_SIZES else "A4",
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
    context = _confirmation_context(request, pk)
    context["stylesheet"] = mark_safe(door_css())  # our own file, read from disk
    pdf = pdf_from_html(render_to_string("rooms/counter_confirmation_pdf.html", context, request))
    response = HttpResponse(pdf, content_type="application/pdf")
    label = _("booking")  # outside the f-string: xgettext reads no f-strings
    as_download(response, f"{label}-{context['booking'].pk}.pdf")
    return response


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
        {"counts": counts, "year": year, "counter_url": reverse("rooms:counter")},
        request,
    )
