from datetime import date, datetime, time, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from quartier import content_languages
from quartier.caching import cached_fragment
from quartier.contributions import render_home_section
from quartier.dates import plausible_year
from quartier.exports import as_download
from quartier.links import link_maker
from quartier.sql import PlainPages, plain_objects, plain_rows_by
from quartier.staff import is_office_staff
from rooms import availability
from rooms.services import SlotTaken

from . import services
from .forms import DecisionFilterForm, EventFeedFilterForm, EventFilterForm, EventForm, ProposalForm, RegistrationForm
from .ics import event_ics, events_feed
from .jsonld import event_json_ld
from .mails import CANCEL_SALT
from .models import Conference, Decision, DecisionUpdate, Event, Proposal, Registration, Support

CANCEL_LINK_MAX_AGE = 7 * 24 * 3600


def home_section(request) -> str:
    # A line per event: its link, title and start; not the texts, room, category and seats of a card.
    events = plain_objects("events.home_section", _home_events, timezone.now())
    if not events:
        return ""
    return render_home_section("events/home_section.html", {"events": events}, request)


def _home_events(now):
    return Event.objects.published().upcoming(now).only("slug", "starts_at", *content_languages.columns("title"))[:3]


@require_safe
def event_list(request):
    """Upcoming events (or the archive of past ones), filtered by category and dates, paginated."""
    past = request.GET.get("archiv") == "1"
    # The list also depends on the initiatives (a hidden one's events drop out), so both apps' changes count.
    content = cached_fragment(
        request,
        topics=["events", "initiatives"],  # "events": the places left change with every registration
        render=lambda: render_to_string("events/event_list.html#content", _event_list_context(request, past), request),
    )
    return render(request, "events/event_list.html", {"past": past, "content": content})


def _filtered_events(request, form_class=EventFilterForm, form=None):
    """The published events the query asks for (?archiv=1: the past ones), through the filter form (`form`, if
    the caller made it already): the one reading of the list's filters, which the list page and the iCalendar
    feeds share."""
    form = form or form_class(request.GET or None)
    events = Event.objects.published()
    events = events.past() if request.GET.get("archiv") == "1" else events.upcoming()
    if form.is_bound and form.is_valid():
        events = events.matching(**form.filters())
    return form, events


# What a card of the event list shows (events/event_list.html): its title, time and place, category and whether
# places are free; not the descriptions (nine languages of long text each), nor the initiative's and the room's.
EVENT_CARD_COLUMNS = (
    "slug",
    *content_languages.columns("title"),
    "starts_at",
    "ends_at",
    "place",
    "address",
    "capacity",
    "category__name",
    "room__name",
    "room__location__street",
    "room__location__postcode",
    "room__location__city",
)


def _event_cards(events):
    return events.select_related("category", "room__location").with_availability().only(*EVENT_CARD_COLUMNS)


def _all_upcoming(now):
    return _event_cards(Event.objects.published().upcoming(now))


def _all_past(now):
    return _event_cards(Event.objects.published().past(now))


def _event_list_context(request, past: bool) -> dict:
    form = EventFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound and form.is_valid() else {}
    if any(filters.values()):  # a filtered list: the query the ORM builds for these filters
        events = _event_cards(_filtered_events(request, form=form)[1])
    else:  # every event (most visits): the query compiled once
        build = _all_past if past else _all_upcoming
        events = PlainPages(f"events.list.{build.__name__}", build, timezone.now(), per_page=20)
    page = Paginator(events, 20).get_page(request.GET.get("page"))
    event_link = link_maker("events:detail")
    for event in page:
        event.link = event_link(event.slug)
    query = request.GET.copy()
    query.pop("page", None)
    return {"form": form, "page": page, "past": past, "query": query.urlencode()}


@require_safe
def event_detail(request, slug):
    event = get_object_or_404(Event.objects.published().with_listing_data(), slug=slug)
    registration = None
    if request.user.is_authenticated:
        registration = event.registrations.active().filter(user=request.user).first()
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "registration": registration,
            "form": RegistrationForm(event=event),
            "can_edit": Event.objects.editable_by(request.user).filter(pk=event.pk).exists(),
            "json_ld": event_json_ld(event),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_register(request, slug):
    event = get_object_or_404(Event.objects.published().with_listing_data(), slug=slug)
    form = RegistrationForm(request.POST or None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register(event=event, user=request.user, companions=form.cleaned_data["companions"])
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            if registration.status == Registration.Status.REGISTERED:
                messages.success(request, _("You are registered. We have sent you an e-mail."))
            else:
                messages.info(request, _("The event is full. You are on the waiting list."))
            return redirect(event)
    return render(request, "events/registration_form.html", {"event": event, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def registration_cancel(request, pk):
    registration = get_object_or_404(
        Registration.objects.active().select_related("event").filter(user=request.user), pk=pk
    )
    if request.method == "POST":
        try:
            services.cancel_registration(registration=registration, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your registration is cancelled."))
        return redirect("events:my_registrations")
    return render(request, "events/registration_cancel.html", {"registration": registration})


@login_required
@require_safe
def my_registrations(request):
    registrations = (
        Registration.objects.active()
        .filter(user=request.user, event__ends_at__gte=timezone.now())
        .with_waiting_position()
        .select_related("event")
        # What the list shows: the event's link, title and start, the status; not the event's texts and room.
        .only(
            "status",
            "event__slug",
            "event__starts_at",
            *(f"event__{column}" for column in content_languages.columns("title")),
        )
        .order_by("event__starts_at")
    )
    return render(request, "events/my_registrations.html", {"registrations": registrations})


@require_safe
def event_calendar_file(request, slug):
    event = get_object_or_404(Event.objects.published().select_related("room__location"), slug=slug)
    response = HttpResponse(event_ics(event), content_type="text/calendar; charset=utf-8")
    as_download(response, f"{event.slug}.ics")
    return response


@require_safe
def feed(request):
    """All published events as an iCalendar feed, with the filters of the event list (and initiative, room)."""
    _form, events = _filtered_events(request, EventFeedFilterForm)
    content = events_feed(_("Events in the district"), events.select_related("room__location")[:500])
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    as_download(response, "veranstaltungen.ics")
    return response


@require_http_methods(["GET", "POST"])
def cancel_by_link(request, token):
    """From the reminder mail: asks to confirm, then cancels without logging in; expired links say so."""
    try:
        data = signing.loads(token, salt=CANCEL_SALT, max_age=CANCEL_LINK_MAX_AGE)
        registration = Registration.objects.select_related("event", "user").get(
            pk=data["registration"], user_id=data["user"]
        )
    except signing.SignatureExpired:
        return render(request, "events/cancel_link.html", {"state": "expired"}, status=410)
    except (signing.BadSignature, Registration.DoesNotExist, KeyError, TypeError):
        return render(request, "events/cancel_link.html", {"state": "invalid"}, status=404)
    if registration.user is None:  # registered at the counter without an account: no link names her
        return render(request, "events/cancel_link.html", {"state": "invalid"}, status=404)
    if registration.status == Registration.Status.CANCELLED:
        return render(request, "events/cancel_link.html", {"state": "done", "registration": registration})
    error = ""
    if request.method == "POST":
        try:
            services.cancel_registration(registration=registration, by=registration.user)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            return render(request, "events/cancel_link.html", {"state": "cancelled", "registration": registration})
    return render(
        request, "events/cancel_link.html", {"state": "confirm", "registration": registration, "error": error}
    )


@require_safe
def conference_list(request):
    conferences = list(Conference.objects.with_event().prefetch_related("agenda").order_by("-event__starts_at"))
    now = timezone.now()
    upcoming = sorted((c for c in conferences if c.event.ends_at >= now), key=lambda c: c.event.starts_at)
    past = [c for c in conferences if c.event.ends_at < now]
    return render(request, "events/conference_list.html", {"upcoming": upcoming, "past": past})


def _conference(slug) -> Conference:
    return get_object_or_404(
        Conference.objects.with_event().prefetch_related(
            "agenda",
            Prefetch(
                "proposals",
                queryset=Proposal.objects.annotate(support_count=Count("supports"))
                .select_related("proposed_by")
                .order_by("-support_count", "created_at"),
            ),
            "decisions",
        ),
        event__slug=slug,
    )


@require_safe
def conference_detail(request, slug):
    conference = _conference(slug)
    prepare_decision_cards(conference.decisions.all(), conference)  # each decision card's title and history
    supported = set()
    if request.user.is_authenticated:
        supported = set(
            Support.objects.filter(user=request.user, proposal__conference=conference).values_list(
                "proposal_id", flat=True
            )
        )
    return render(
        request,
        "events/conference_detail.html",
        {
            "conference": conference,
            "event": conference.event,
            "supported": supported,
            "form": ProposalForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def conference_propose(request, slug):
    conference = _conference(slug)
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.propose_topic(conference=conference, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Thank you. Your topic proposal is published."))
            return redirect(conference)
    return render(request, "events/proposal_form.html", {"conference": conference, "form": form})


@login_required
@require_POST
def proposal_support(request, pk):
    proposal = get_object_or_404(Proposal.objects.select_related("conference__event"), pk=pk)
    try:
        services.support_proposal(proposal=proposal, user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You support this proposal."))
    return redirect(proposal.conference)


@require_safe
def decision_list(request):
    """Every decision of the district conferences with its current status and history."""
    content = cached_fragment(
        request,
        topics=["events:shared"],  # not the registrations for events
        render=lambda: render_to_string("events/decision_list.html#content", _decision_list_context(request), request),
    )
    return render(request, "events/decision_list.html", {"content": content})


# What a decision card (events/templatetags/decision_cards.py) shows: not the conference's minutes, nor the
# event's texts; the title of the conference's event in each language (TITLE_OF_EVENT) as the decision's own
# values, not as two instances (conference, event) more per decision.
DECISION_CARD_COLUMNS = ("number", "wording", "votes_for", "votes_against", "votes_abstaining", "responsible", "status")
TITLE_OF_EVENT = content_languages.related_versions("conference__event", "title")


def _decision_cards():
    return Decision.objects.public().only(*DECISION_CARD_COLUMNS).annotate(**TITLE_OF_EVENT)


def prepare_decision_cards(decisions, conference=None) -> None:
    """What each decision's card shows beyond its columns: `conference_title` (the title of `conference`'s event,
    else of the decision's from its TITLE_OF_EVENT values, in the page's language as `event.title` gives it) and
    `history`, its status updates in their order as (date, status, note), from one query of plain rows
    (compiled once, quartier.sql.plain_rows) in place of a prefetch of `updates`."""
    decisions = list(decisions)
    rows = plain_rows_by("events.decision_histories", _history_rows, [decision.pk for decision in decisions])
    title_of = content_languages.related_text(Event, "title", TITLE_OF_EVENT)
    for decision in decisions:
        decision.history = [row[1:] for row in rows[decision.pk]]
        if conference is not None:
            decision.conference_title = conference.event.title
        else:
            decision.conference_title = title_of(decision)


def _history_rows(decision_ids):
    updates = DecisionUpdate.objects.filter(decision_id__any_of=decision_ids)
    # the decision first (plain_rows_by), then what a card shows; in the order of DecisionUpdate.Meta
    return updates.order_by("decision_id", "date", "pk").values_list("decision_id", "date", "status", "note")


def _decision_list_context(request) -> dict:
    form = DecisionFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if filters.get("status") or filters.get("conference"):  # a filtered list: the query the ORM builds for it
        decisions = _decision_cards()
        if filters.get("status"):
            decisions = decisions.filter(status=filters["status"])
        if filters.get("conference"):
            decisions = decisions.filter(conference=filters["conference"])
    else:  # every decision (most visits): the query compiled once
        decisions = PlainPages("events.decisions", _decision_cards, per_page=25)
    page = Paginator(decisions, 25).get_page(request.GET.get("page"))
    prepare_decision_cards(page)  # each card's conference title and history
    query = request.GET.copy()
    query.pop("page", None)
    return {"form": form, "page": page, "query": query.urlencode()}


def _month_start(value: str | None) -> date:
    today = timezone.localdate()
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        start = date(year, month, 1)
    except (TypeError, ValueError, OverflowError):  # date() overflows on a year beyond a C long
        return today.replace(day=1)
    return start if plausible_year(start.year, today) else today.replace(day=1)


@require_safe
def event_month(request):
    """A month as a calendar table (weeks × days), each day with its events; a list on narrow screens."""
    first = _month_start(request.GET.get("monat"))
    following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
    grid_start = first - timedelta(days=first.weekday())
    grid_end = following + timedelta(days=(7 - following.weekday()) % 7)
    tz = timezone.get_current_timezone()
    events = list(
        Event.objects.published()
        .select_related("room__location", "category")
        .filter(
            starts_at__lt=timezone.make_aware(datetime.combine(grid_end, time.min), tz),
            ends_at__gte=timezone.make_aware(datetime.combine(grid_start, time.min), tz),
        )
        .order_by("starts_at")
    )
    by_day: dict[date, list] = {}
    for event in events:
        by_day.setdefault(timezone.localtime(event.starts_at).date(), []).append(event)
    today = timezone.localdate()
    weeks, day = [], grid_start
    while day < grid_end:
        weeks.append(
            [
                {
                    "date": day,
                    "in_month": day.month == first.month,
                    "is_today": day == today,
                    "events": by_day.get(day, []),
                }
                for day in (day + timedelta(days=n) for n in range(7))
            ]
        )
        day += timedelta(days=7)
    previous = (first - timedelta(days=1)).replace(day=1)
    return render(
        request,
        "events/event_month.html",
        {
            "month": first,
            "weeks": weeks,
            "previous": previous,
            "next": following,
            "days_with_events": [cell for week in weeks for cell in week if cell["in_month"] and cell["events"]],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, slug=None):
    """Leads of an initiative create and edit its events (staff: every event). Others get a 404."""
    from initiatives.models import Initiative

    if slug:
        event = get_object_or_404(Event.objects.editable_by(request.user), slug=slug)
    else:
        if not (is_office_staff(request.user) or Initiative.objects.led_by(request.user).exists()):
            raise Http404
        event = Event(created_by=request.user)
    initial = {"initiative": request.GET.get("initiative")} if request.GET.get("initiative", "").isdigit() else {}
    context = {"event": event if event.pk else None, "shown_at": availability.shown_at_now()}
    if request.method == "POST" and request.POST.get("use_slot"):
        # An offered room and time after a lost slot: into the form, to check and save.
        form = EventForm(_with_slot(request.POST), instance=event, user=request.user, initial=initial)
        messages.info(request, _("The room and time are filled in. Please check them and save."))
        return render(request, "events/event_form.html", {"form": form, **context})
    form = EventForm(request.POST or None, instance=event, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        event = form.save(commit=False)
        if not event.slug:
            event.slug = _unique_event_slug(event.title)
        try:
            services.save_event(event=event, by=request.user)
        except SlotTaken as taken:
            # The room is booked at that time: not the input's fault. Keep it, offer other times and rooms.
            offers = availability.alternatives(
                room=event.room,
                starts_at=event.starts_at,
                ends_at=event.ends_at,
                attendees=event.capacity,
                user=request.user,
                shown_at=availability.form_shown_at(request.POST),
            )
            context.update(
                taken=taken.messages,
                alternatives=offers,
                room=event.room,
                wanted_start=event.starts_at,
                wanted_end=event.ends_at,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("The event is saved."))
            if not Event.objects.published().filter(pk=event.pk).exists():
                # Its page is public only: an initiative's event shows once staff verify the initiative.
                messages.info(
                    request,
                    _(
                        "The event is not public yet. It will be shown when the office has "
                        "verified the initiative and the event is published."
                    ),
                )
                return redirect("events:edit", slug=event.slug)
            return redirect(event)
    return render(request, "events/event_form.html", {"form": form, **context})


def _with_slot(data):
    """The form's data with the room and time of a `use_slot` button ("<room pk> <date> <start> <end>")."""
    data = data.copy()
    parts = data.pop("use_slot")[0].split()
    if len(parts) == 4:
        data["place"] = Event.Place.ROOM
        data["room"], data["date"], data["start"], data["end"] = parts
    return data


def _unique_event_slug(title: str) -> str:
    from django.utils.text import slugify

    base = slugify(title)[:150] or "veranstaltung"
    slug, n = base, 2
    while Event.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


@require_safe
def initiative_feed(request, slug):
    from initiatives.models import Initiative

    initiative = get_object_or_404(Initiative.objects.visible(), slug=slug)
    _form, events = _filtered_events(request, EventFeedFilterForm)
    events = events.filter(initiative=initiative).select_related("room__location")
    response = HttpResponse(events_feed(initiative.name, events[:500]), content_type="text/calendar; charset=utf-8")
    as_download(response, f"{initiative.slug}.ics")
    return response
