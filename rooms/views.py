from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from quartier.caching import cache_on, cached_fragment
from quartier.contributions import render_home_section
from quartier.links import link_maker
from quartier.sql import plain_objects
from quartier.staff import is_office_staff

from . import availability, services, waitlist
from .calendar import build_week, week_start
from .forms import BookingForm, RoomSearchForm
from .links import user_feed_token
from .models import Booking, Room, WaitlistEntry, last_responsible
from .templatetags.room_cards import capacity_text


def home_section(request) -> str:
    """The rooms' highlight on the home page: the rooms and a quick search."""
    # A line per room: its link, name, house and capacity (not the descriptions, rules and texts of a card).
    rooms = plain_objects("rooms.home_section", _home_rooms)
    if not rooms:
        return ""
    room_link = link_maker("rooms:detail")
    for room in rooms:  # the line's link and "12 people", written here once rather than by tags per room
        room.link, room.capacity_text = room_link(room.slug), capacity_text(room.capacity)
    form = RoomSearchForm(auto_id="home-room-%s")  # ids of its own beside the other sections of the page
    return render_home_section("rooms/home_section.html", {"rooms": rooms, "form": form}, request)


def _home_rooms():
    return Room.objects.active().select_related("location").only("slug", "name", "capacity", "location__name")[:6]


@require_safe
def room_list(request):
    """Rooms matching the filter; with a date and time, free rooms first, each with its next free slots."""
    content = cached_fragment(
        request,
        topics=["rooms"],  # every booking anywhere: the free slots of all rooms
        vary=[is_office_staff(request.user), request.user.is_authenticated],  # the waiting list needs a login
        render=lambda: render_to_string("rooms/room_list.html#content", availability.room_finder(request), request),
    )
    return render(request, "rooms/room_list.html", {"content": content})


def duration_text(minutes: int) -> str:
    """A length in plain words: "6 hours", "90 minutes"."""
    if minutes and minutes % 60 == 0:
        return ngettext("%(count)d hour", "%(count)d hours", minutes // 60) % {"count": minutes // 60}
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


@require_safe
def room_detail(request, slug):
    """The room with its facts, rules and a week calendar (the visitor's own bookings marked)."""
    # With the fragment cache, what a cached page needs of the room: its topics (id, house) and its name (the
    # title); the whole room (its texts in every language, its house) only when the fragment is rendered.
    room = _active_room(slug, lite=cache_on())
    visitor = [request.user.pk, is_office_staff(request.user)] if request.user.is_authenticated else ["anonymous"]
    content = cached_fragment(
        request,
        # This room's bookings and closures (its own and its location's), and what concerns every room.
        topics=["rooms:shared", f"rooms:room:{room.pk}", f"rooms:location:{room.location_id}"],
        vary=visitor,
        render=lambda: render_to_string("rooms/room_detail.html#content", _room_detail_context(request, room), request),
    )
    return render(request, "rooms/room_detail.html", {"room": room, "content": content})


def _active_room(slug: str, *, lite: bool = False) -> Room:
    """The active room of this slug with its house (404 if there is none), one row through a query compiled once
    (quartier.sql.plain_objects); `lite`: only its id, slug, house and name."""
    found = plain_objects(f"rooms.page.{lite:d}", lambda slug: _page_room(slug, lite), slug)
    if not found:
        raise Http404
    return found[0]


def _page_room(slug, lite: bool):
    rooms = Room.objects.active()
    rooms = rooms.only("pk", "slug", "location_id", "name") if lite else rooms.select_related("location")
    return rooms.filter(slug=slug).order_by()[:1]  # as get() reads it: the slug is unique


def _room_detail_context(request, room: Room) -> dict:
    if room.get_deferred_fields():  # the cached page's few columns (room_detail)
        room = Room.objects.select_related("location").get(pk=room.pk)
    details = availability.room_page_details(room)  # its equipment, purposes, photos and bookable hours
    today = timezone.localdate()
    start = week_start(request.GET.get("week"), today)
    week = build_week(
        room=room,
        start=start,
        user=request.user,
        book_url=reverse("rooms:book", args=[room.slug]),
        waitlist_url=reverse("rooms:waitlist_join", args=[room.slug]) if request.user.is_authenticated else "",
    )
    return {
        "room": room,
        **details,
        "week": week,
        "this_week": week_start(None, today),
        # The booking window per kind of booker, from the one rule (Room.advance_days, used by booking_window).
        "advance_days": room.advance_days(private_use=False),
        "advance_days_private": room.advance_days(private_use=True),
        "shortest": duration_text(room.min_duration_minutes),
        "longest": duration_text(room.max_duration_minutes),
    }


PREFILLED = ("date", "start", "end", "attendees")


def _initial_from_query(request, room) -> dict:
    """Prefill the booking form from the slot the user picked and the finder's number of people
    (?date=&start=&end=&attendees=), ignoring bad values; the responsible adult from the profile and from the
    user's last booking (WCAG 2.2, 3.3.7: nobody types the same phone number for every booking)."""
    probe = RoomSearchForm({key: request.GET.get(key, "") for key in PREFILLED})
    probe.is_valid()
    initial = {key: probe.cleaned_data.get(key) for key in PREFILLED if probe.cleaned_data.get(key)}
    initial["responsible_email"] = request.user.email
    initial["responsible_name"] = request.user.display_name
    last = last_responsible(request.user)
    if last:
        initial["responsible_phone"] = last["responsible_phone"]
        initial["responsible_name"] = initial["responsible_name"] or last["responsible_name"]
    initial.setdefault("attendees", None)
    return initial


def _form_page(request, room, form, **context):
    """The booking form; `shown_at` tells a later refusal whether someone else booked the time meanwhile."""
    context = {"room": room, "form": form, "shown_at": availability.shown_at_now(), **context}
    return render(request, "rooms/booking_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def booking_create(request, slug):
    """Book one date, or a series after a preview of its dates; "check price" only shows what it costs
    and "edit" (from the series preview) shows the form again."""
    if request.method == "GET":  # the form shows the room's name, house, size, costs and rules: no lists of it
        room = _active_room(slug)
        return _form_page(request, room, BookingForm(initial=_initial_from_query(request, room), user=request.user))
    room = get_object_or_404(Room.objects.active().with_listing_data(), slug=slug)
    checking_price = request.POST.get("step") == "price"
    form = BookingForm(request.POST, user=request.user)
    if checking_price:  # the rules are accepted when sending, not for a look at the price
        form.fields["accept_rules"].required = False
    if not form.is_valid():
        return _form_page(request, room, form)
    if checking_price:
        return _form_page(request, room, form, price_checked=True, costs=form.costs(room))
    if request.POST.get("step") == "edit":  # back from the series preview, with everything typed so far
        return _form_page(request, room, form)
    if form.is_series:
        return _book_series(request, room, form)
    data = form.cleaned_data
    try:
        booking = services.book_room(
            room=room,
            booked_by=request.user,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            created_by=request.user if is_office_staff(request.user) else None,
            **form.booking_fields(),
        )
    except services.SlotTaken as taken:
        # Not the input's fault: say what happened, keep the form and offer other times and rooms.
        offers = availability.alternatives(
            room=room,
            starts_at=data["starts_at"],
            ends_at=data["ends_at"],
            attendees=data["attendees"],
            user=request.user,
            shown_at=availability.form_shown_at(request.POST),
        )
        return _form_page(request, room, form, taken=taken.messages, alternatives=offers)
    except ValidationError as error:
        form.add_error(None, error.messages)
        return _form_page(request, room, form)
    if booking.status == Booking.Status.CONFIRMED:
        messages.success(request, _("Your booking is confirmed. We have sent you an e-mail."))
    else:
        messages.success(request, _("Your request has been sent. The office will confirm it by e-mail."))
    return redirect(booking)


def _book_series(request, room, form):
    """First the dates with their conflicts and costs; after the user chose the free ones, the series."""
    data, staff = form.cleaned_data, is_office_staff(request.user)
    dates = services.preview_series(
        room=room,
        booked_by=request.user,
        starts_at=data["starts_at"],
        ends_at=data["ends_at"],
        frequency=data["repeat"],
        until=data.get("until"),
        count=data.get("count"),
        attendees=data["attendees"],
        staff=staff,
        initiative=data.get("initiative"),
        private_use=data.get("private_use", False),
    )
    costs = form.costs(room)  # the price of one date (the first); the dates keep their local times
    context = {"room": room, "form": form, "dates": dates, "series_costs": costs}
    if request.POST.get("step") != "confirm":
        return render(request, "rooms/series_preview.html", context)
    chosen = set(request.POST.getlist("dates"))
    selected = [(d.starts_at, d.ends_at) for d in dates if d.key in chosen]
    skipped = [(d.starts_at, d.ends_at) for d in dates if d.key not in chosen]
    try:
        series = services.book_series(
            room=room,
            booked_by=request.user,
            frequency=data["repeat"],
            dates=selected,
            skipped=skipped,
            created_by=request.user if staff else None,
            **form.booking_fields(),
        )
    except ValidationError as error:
        return render(request, "rooms/series_preview.html", {**context, "errors": error.messages, "chosen": chosen})
    messages.success(
        request,
        _("Your series with {count} dates has been booked. We have sent you an e-mail.").format(
            count=series.bookings.count()
        ),
    )
    return redirect("rooms:my_bookings")


def _own_booking(request, pk) -> Booking:
    """The booking if the user booked it or is staff; everyone else gets a 404."""
    bookings = Booking.objects.with_related()
    if not is_office_staff(request.user):
        bookings = bookings.of_user(request.user)
    return get_object_or_404(bookings, pk=pk)


@login_required
@require_safe
def booking_detail(request, pk):
    booking = _own_booking(request, pk)
    return render(
        request,
        "rooms/booking_detail.html",
        {
            "booking": booking,
            "can_cancel": booking.can_be_cancelled_by(request.user),
            "cancel_refusal": booking.cancel_refusal(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def booking_cancel(request, pk):
    booking = _own_booking(request, pk)
    if request.method == "POST":
        try:
            services.cancel_booking(booking=booking, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(booking)
        messages.success(request, _("The booking is cancelled. The room is free again."))
        return redirect("rooms:my_bookings")
    if not booking.can_be_cancelled_by(request.user):
        messages.error(request, booking.cancel_refusal(request.user))
        return redirect(booking)
    return render(request, "rooms/booking_cancel.html", {"booking": booking})


@login_required
@require_http_methods(["GET", "POST"])
def series_cancel(request, pk):
    """Cancel this date and all later dates of its series."""
    booking = _own_booking(request, pk)
    if booking.series is None:
        raise Http404
    remaining = booking.series.bookings.holding().filter(starts_at__gte=booking.starts_at).order_by("starts_at")
    if request.method == "POST":
        try:
            count = services.cancel_series(
                series=booking.series, by=request.user, from_date=timezone.localtime(booking.starts_at).date()
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(booking)
        messages.success(request, _("{count} dates of the series are cancelled.").format(count=count))
        return redirect("rooms:my_bookings")
    return render(request, "rooms/series_cancel.html", {"booking": booking, "remaining": remaining})


BOOKING_LINKS = ("rooms:booking_detail", "rooms:booking_ics", "rooms:booking_cancel")  # a row of my bookings
MY_BOOKING_COLUMNS = ("booked_by_id", "starts_at", "ends_at", "title", "status")


@login_required
@require_safe
def my_bookings(request):
    now = timezone.now()
    # The rows show the booking's time, title and status and its room's name (the room also gives the
    # cancellation deadline): not the booking's contacts, fees and keys, not the room's texts (in every content
    # language), not the house, the account (the user's own), the series or the initiative.
    bookings = (
        Booking.objects.of_user(request.user)
        .select_related("room")
        .only(*MY_BOOKING_COLUMNS, "room__name", "room__cancellation_deadline_hours")
    )
    # one query for what lies ahead; "upcoming" is only what will happen, cancelled and declined ones apart
    ahead = list(bookings.upcoming(now))
    upcoming = [booking for booking in ahead if booking.holds_slot]
    withdrawn = [booking for booking in ahead if not booking.holds_slot]
    past = Paginator(bookings.past(now), 20).get_page(request.GET.get("page"))
    detail, calendar_file, cancel = (link_maker(name, number=True) for name in BOOKING_LINKS)
    for booking in [*ahead, *past]:
        booking.link = detail(booking.pk)
    for booking in upcoming:
        booking.user_can_cancel = booking.can_be_cancelled_by(request.user)
        booking.calendar_link, booking.cancel_link = calendar_file(booking.pk), cancel(booking.pk)
    feed_url = request.build_absolute_uri(reverse("rooms:user_feed", args=[user_feed_token(request.user)]))
    waiting = list(
        WaitlistEntry.objects.open().filter(user=request.user, ends_at__gt=now).select_related("room", "offer")
    )
    for entry in waiting:  # one count per entry: a person waits for a few times, not hundreds
        entry.line_position = entry.position
        if entry.offer_id:
            entry.offer_link = reverse("rooms:waitlist_offer", args=[waitlist.offer_token(entry)])
    context = {"upcoming": upcoming, "withdrawn": withdrawn, "past": past, "feed_url": feed_url, "waiting": waiting}
    return render(request, "rooms/my_bookings.html", context)
