"""The office counter for events: staff register a person without an account (name, phone, perhaps an e-mail
address), or put her on the waiting list when the event is full, and print the confirmation for those without mail.

Registrations go through `services.register` with a `CounterPerson`: the same capacity, companions and waiting list
as online, the mail in the same transaction. Only office staff (`is_office_staff`) open these pages; a resident
sees the confirmation of her own registration, anyone else's is a 404.
"""

from datetime import date, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from quartier.counter import confirmation_pdf, paper_size
from quartier.dates import aware
from quartier.staff import is_office_staff

from . import services
from .forms import CounterRegistrationForm
from .models import Event, Registration

LISTED = 30  # events on the counter page: the next ones that take registrations


def _require_staff(request) -> None:
    if not is_office_staff(request.user):
        raise PermissionDenied


@login_required
@require_http_methods(["GET", "POST"])
def counter_registration(request):
    """The events that take registrations, with places left and the waiting list; and the form that registers a
    person for one of them (`?event=` chooses it from the list)."""
    _require_staff(request)
    form = CounterRegistrationForm(request.POST or None, initial={"event": request.GET.get("event") or None})
    if form.is_valid():
        try:
            registration = services.register(
                event=form.cleaned_data["event"],
                companions=form.cleaned_data["companions"],
                counter_person=form.counter_person(),
                created_by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            _say_what_happened(request, registration)
            return redirect("events:counter_confirmation", pk=registration.pk)
    events = list(Event.objects.open_for_registration().with_listing_data().order_by("starts_at")[:LISTED])
    return render(request, "events/counter_form.html", {"form": form, "events": events})


def _say_what_happened(request, registration) -> None:
    if registration.status == Registration.Status.WAITING:
        text = _("The event is full: the person is on the waiting list, in place {position}.").format(
            position=registration.get_waiting_position()
        )
    else:
        text = _("The person is registered.")
    if registration.contact_email:
        text += " " + _("The confirmation went by mail.")
    else:
        text += " " + _("Print the confirmation for the person.")
    messages.success(request, text)


def _confirmation_context(request, pk) -> dict:
    """Office staff see every registration's confirmation, a resident her own; anyone else's is a 404."""
    registrations = Registration.objects.select_related("event__room__location", "user")
    if not is_office_staff(request.user):
        registrations = registrations.filter(user=request.user)
    registration = get_object_or_404(registrations, pk=pk)
    return {
        "registration": registration,
        "event": registration.event,
        "waiting_position": registration.get_waiting_position(),
        "paper": paper_size(request),
        "issued_at": timezone.now(),
        "user_is_staff": is_office_staff(request.user),
    }


@login_required
@require_safe
def counter_confirmation(request, pk):
    """The printable confirmation (A4 or A5): the event, the person, her place or her place in the waiting list."""
    return render(request, "events/counter_confirmation.html", _confirmation_context(request, pk))


@login_required
@require_safe
def counter_confirmation_pdf(request, pk):
    label = _("registration")  # outside the f-string: xgettext reads no f-strings
    return confirmation_pdf(
        request, "events/counter_confirmation_pdf.html", _confirmation_context(request, pk), f"{label}-{pk}.pdf"
    )


def dashboard_section(request) -> str:
    """The staff dashboard: this year's event registrations by channel (portal or office counter), in one query."""
    if not is_office_staff(request.user):
        return ""
    year = timezone.localdate().year
    start, end = aware(date(year, 1, 1), time.min), aware(date(year + 1, 1, 1), time.min)
    counts = (
        Registration.objects.active()
        .filter(event__starts_at__gte=start, event__starts_at__lt=end)
        .aggregate(
            portal=Count("pk", filter=Q(channel=Registration.Channel.PORTAL)),
            office=Count("pk", filter=Q(channel=Registration.Channel.OFFICE)),
        )
    )
    return render_to_string(
        "events/counter_dashboard.html",
        {"counts": counts, "year": year, "counter_url": reverse("events:counter")},
        request,
    )
