"""The waiting list's pages: join for a taken time, leave, and the offer link from the mail (take it / no thanks)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from . import waitlist
from .forms import RoomSearchForm, WaitlistForm
from .models import Room, WaitlistEntry, last_responsible


@login_required
@require_http_methods(["GET", "POST"])
def join(request, slug):
    """'Auf die Warteliste' for a taken time (?date=&start=&end= from the week view or the finder)."""
    room = get_object_or_404(
        Room.objects.active().select_related("location").prefetch_related("bookable_hours"), slug=slug
    )
    if request.method == "POST":
        form = WaitlistForm(request.POST)
        if form.is_valid():
            starts_at, ends_at = form.span()
            data = form.cleaned_data
            try:
                waitlist.join(
                    room=room,
                    user=request.user,
                    starts_at=starts_at,
                    ends_at=ends_at,
                    title=data["title"],
                    attendees=data["attendees"],
                    responsible_name=data["responsible_name"],
                    responsible_phone=data["responsible_phone"],
                    private_use=data["private_use"],
                )
            except ValidationError as error:
                form.add_error(None, error.messages)
            else:
                messages.success(
                    request, _("You are on the waiting list. We will write to you when the time becomes free.")
                )
                return redirect("rooms:my_bookings")
    else:
        probe = RoomSearchForm({key: request.GET.get(key, "") for key in ("date", "start", "end", "attendees")})
        probe.is_valid()
        initial = {key: value for key, value in probe.cleaned_data.items() if value and key != "equipment"}
        last = last_responsible(request.user)  # as the booking form does
        initial["responsible_name"] = request.user.display_name or last.get("responsible_name", "")
        initial["responsible_phone"] = last.get("responsible_phone", "")
        form = WaitlistForm(initial=initial)
    return render(request, "rooms/waitlist_join.html", {"room": room, "form": form})


@login_required
@require_POST
def leave(request, pk):
    entry = get_object_or_404(WaitlistEntry.objects.open(), pk=pk, user=request.user)
    waitlist.leave(entry=entry, by=request.user)
    messages.success(request, _("You have left the waiting list."))
    return redirect("rooms:my_bookings")


@require_http_methods(["GET", "POST"])
def offer(request, token):
    """From the offer mail, without logging in: shows the held slot with 'take it' and 'no thanks'. A replayed or
    late click changes nothing and says what happened; a changed or foreign link is refused."""
    try:
        entry = waitlist.entry_from_token(token)
    except signing.SignatureExpired:
        return render(request, "rooms/waitlist_offer.html", {"state": "link_expired"}, status=410)
    except (signing.BadSignature, WaitlistEntry.DoesNotExist):
        return render(request, "rooms/waitlist_offer.html", {"state": "invalid"}, status=404)
    if request.method == "POST" and entry.state == WaitlistEntry.State.OFFERED:
        if request.POST.get("answer") == "take":
            entry = waitlist.take_offer(entry=entry)
        elif request.POST.get("answer") == "decline":
            entry = waitlist.decline_offer(entry=entry)
        entry.refresh_from_db()
    elif entry.state == WaitlistEntry.State.OFFERED and entry.offer.offer_expires_at <= timezone.now():
        entry = waitlist.decline_offer(entry=entry)  # lapsed: release it now rather than at the next cron run
    return render(request, "rooms/waitlist_offer.html", {"state": entry.state, "entry": entry, "booking": entry.offer})
