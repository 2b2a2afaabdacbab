"""Links that work without the portal's pages: .ics downloads, calendar feeds, the one-click cancel link."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from quartier.exports import as_download
from quartier.staff import is_office_staff

from . import ics, reconfirm_views, services, waitlist_views
from .mails import CANCEL_LINK_SALT
from .models import Booking, Room

USER_FEED_SALT = "rooms.user-feed"
CANCEL_LINK_MAX_AGE = 14 * 24 * 3600  # the reminder comes two days before; the link expires after two weeks


def user_feed_token(user) -> str:
    """The signed part of the private feed link: the user and her current feed key (see User.rotate_feed_key).
    No timestamp: the address a calendar subscribed to stays the same on every page until the key is rotated."""
    return signing.Signer(salt=USER_FEED_SALT).sign_object({"user": user.pk, "key": user.feed_key})


def _calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    as_download(response, filename)
    return response


@login_required
@require_safe
def booking_ics(request, pk):
    bookings = Booking.objects.with_related()
    if not is_office_staff(request.user):
        bookings = bookings.of_user(request.user)
    booking = get_object_or_404(bookings, pk=pk)
    method = "REQUEST" if booking.holds_slot else "CANCEL"
    return _calendar_response(ics.booking_ics(booking, method), f"buchung-{booking.pk}.ics")


@require_safe
def room_feed(request, slug):
    room = get_object_or_404(Room.objects.active().select_related("location"), slug=slug)
    return _calendar_response(ics.room_feed(room), f"{room.slug}.ics")


@require_safe
def user_feed(request, token):
    try:
        data = signing.Signer(salt=USER_FEED_SALT).unsign_object(token)
        user = get_user_model().objects.get(pk=data["user"], feed_key=data["key"], is_active=True)
    except (signing.BadSignature, get_user_model().DoesNotExist, KeyError, TypeError, ValueError):
        raise Http404 from None
    return _calendar_response(ics.user_feed(user), "meine-buchungen.ics")


@login_required
@require_POST
def user_feed_renew(request):
    """A new private feed link, for when the old one got into the wrong hands: the old link answers 404."""
    request.user.rotate_feed_key()
    messages.success(request, _("Your calendar feed has a new address. Subscribe to it again in your calendar app."))
    return redirect(reverse("rooms:my_bookings") + "#feed-title")


@require_http_methods(["GET", "POST"])
def cancel_by_link(request, token):
    """From the reminder mail: asks to confirm, then cancels, without logging in. Expired links say so."""
    try:
        data = signing.loads(token, salt=CANCEL_LINK_SALT, max_age=CANCEL_LINK_MAX_AGE)
        booking = Booking.objects.with_related().get(pk=data["booking"], booked_by_id=data["user"])
    except signing.SignatureExpired:
        return render(request, "rooms/cancel_link.html", {"state": "expired"}, status=410)
    except (signing.BadSignature, Booking.DoesNotExist, KeyError, TypeError):
        return render(request, "rooms/cancel_link.html", {"state": "invalid"}, status=404)
    if not booking.holds_slot:
        return render(request, "rooms/cancel_link.html", {"state": "done", "booking": booking})
    refusal = booking.cancel_refusal(booking.booked_by)
    if request.method == "POST" and not refusal:
        try:
            services.cancel_booking(booking=booking, by=booking.booked_by)
        except ValidationError as error:
            refusal = " ".join(error.messages)
        else:
            booking.refresh_from_db()
            return render(request, "rooms/cancel_link.html", {"state": "cancelled", "booking": booking})
    return render(request, "rooms/cancel_link.html", {"state": "confirm", "booking": booking, "refusal": refusal})


urlpatterns = [
    path("buchungen/<int:pk>/kalender.ics", booking_ics, name="booking_ics"),
    path("<slug:slug>/kalender.ics", room_feed, name="room_feed"),
    path("kalender/<str:token>.ics", user_feed, name="user_feed"),
    path("kalender/neue-adresse/", user_feed_renew, name="user_feed_renew"),
    path("stornieren/<str:token>/", cancel_by_link, name="cancel_by_link"),
    path("warteliste/angebot/<str:token>/", waitlist_views.offer, name="waitlist_offer"),
    path("warteliste/<int:pk>/verlassen/", waitlist_views.leave, name="waitlist_leave"),
    path("serie/bestaetigen/<str:token>/", reconfirm_views.series_reconfirm, name="series_reconfirm"),
]
