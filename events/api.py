"""The events' part of the open-data API (quartier/api.py): published events and the conferences' decisions.

Public is what `Event.objects.published()` and `Decision.objects.public()` return, the querysets of the public
pages. An online event's link is not here: the event page shows it to registered people only.
"""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from quartier import opendata
from quartier.models import Office

from .models import Decision, DecisionStatus, Event

router = Router(tags=["events"])

EVENT_APPS = ["events", "initiatives", "rooms"]  # a hidden initiative's events drop out; room names show


class Category(Schema):
    slug: str = Field(description="Short name of the category; the `category` filter takes it.")
    name: str = Field(description="Name of the category.")


class EventRoom(Schema):
    slug: str = Field(description="Short name of the room (see /api/v1/rooms/); the `room` filter takes it.")
    name: str = Field(description="Name of the room.")
    url: str = Field(description="The room's page on the portal.")

    @staticmethod
    def resolve_url(room) -> str:
        return opendata.absolute(room.get_absolute_url())


class Organiser(Schema):
    name: str = Field(description="Who organises the event: an initiative, another organiser or the office.")
    initiative: str | None = Field(
        description="Short name of the organising initiative (see /api/v1/initiatives/), null if none."
    )


class EventOut(Schema):
    slug: str = Field(description="Short name of the event, unique; part of its address.")
    title: str = Field(description="Title.")
    url: str = Field(description="The event's page on the portal.")
    ical_url: str = Field(description="The event as an iCalendar file (.ics).")
    description: str = Field(description="Description (plain text, line breaks kept).")
    category: Category | None = Field(description="The kind of event, null if none.")
    starts_at: dt.datetime = Field(description="Start: ISO 8601, local time of Europe/Berlin with its UTC offset.")
    ends_at: dt.datetime = Field(description="End: ISO 8601, local time of Europe/Berlin with its UTC offset.")
    place: Literal["room", "address", "online"] = Field(
        description="Where it takes place: `room` (a room of the portal), `address` or `online`."
    )
    room: EventRoom | None = Field(description="The room of the portal, if `place` is `room`, else null.")
    address: str = Field(description="Street, postcode and city; empty for online events.")
    organiser: Organiser = Field(description="Who organises it.")
    accessibility_notes: str = Field(description="Accessibility of the event, as the organiser describes it.")
    languages: list[str] = Field(description="Languages spoken at the event, as the organiser names them.")
    capacity: int | None = Field(description="Places in total (people); null: no limit.")
    places_left: int | None = Field(
        description="Places a new registration can still get (people); 0 while anyone waits; null: no limit."
    )
    registration_required: bool = Field(description="Whether people register on the portal beforehand.")
    registration_until: dt.datetime | None = Field(
        description="Registration closes then (ISO 8601, Europe/Berlin); null: when the event starts."
    )
    registration_open: bool = Field(description="Whether registration is open now.")
    image_url: str | None = Field(description="The event's picture, null if none.")
    image_alt: str = Field(description="Description of the picture for people who cannot see it.")

    @staticmethod
    def resolve_url(event) -> str:
        return opendata.absolute(event.get_absolute_url())

    @staticmethod
    def resolve_ical_url(event) -> str:
        from django.urls import reverse

        return opendata.absolute(reverse("events:ics", args=[event.slug]))

    @staticmethod
    def resolve_starts_at(event):
        return opendata.local(event.starts_at)

    @staticmethod
    def resolve_ends_at(event):
        return opendata.local(event.ends_at)

    @staticmethod
    def resolve_registration_until(event):
        return opendata.local(event.registration_until)

    @staticmethod
    def resolve_room(event):
        return event.room if event.place == Event.Place.ROOM else None

    @staticmethod
    def resolve_address(event) -> str:
        if event.place == Event.Place.ROOM and event.room_id:
            return event.room.location.address
        return "" if event.place == Event.Place.ONLINE else event.address

    @staticmethod
    def resolve_organiser(event) -> dict:
        name = event.organiser_name or Office.load().name
        return {"name": name, "initiative": event.initiative.slug if event.initiative_id else None}

    @staticmethod
    def resolve_languages(event) -> list[str]:
        return [part.strip() for part in event.languages.split(",") if part.strip()]

    @staticmethod
    def resolve_registration_open(event) -> bool:
        return event.registration_open()

    @staticmethod
    def resolve_image_url(event) -> str | None:
        return opendata.absolute(event.image.url) if event.image else None


class EventPage(opendata.Page):
    items: list[EventOut] = Field(description="The events of this page.")


class EventFilters(Schema):
    period: Literal["upcoming", "past", "all"] = Field(
        "upcoming",
        description="`upcoming`: not ended yet, soonest first (the default); `past`: ended, latest first; `all`.",
    )
    date_from: dt.date | None = Field(None, description="Only events on or after this day (YYYY-MM-DD, local).")
    date_to: dt.date | None = Field(None, description="Only events on or before this day (YYYY-MM-DD, local).")
    category: str | None = Field(None, description="Only events of this category (its short name).")
    initiative: str | None = Field(None, description="Only events of this initiative (its short name).")
    room: str | None = Field(None, description="Only events in this room (its short name).")


def _events(filters: EventFilters):
    events = Event.objects.published()
    if filters.period == "upcoming":
        events = events.upcoming()
    elif filters.period == "past":
        events = events.past()
    else:
        events = events.order_by("starts_at", "pk")
    events = events.matching(
        category=filters.category,
        initiative=filters.initiative,
        room=filters.room,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )
    return events.with_listing_data()


@router.get("/events/", response={200: EventPage}, url_name="events", summary="Events", operation_id="list_events")
def events(request: HttpRequest, filters: Query[EventFilters], paging: Query[opendata.PageQuery]):
    """Published events, filtered by period, days, category, initiative and room."""
    return opendata.page_answer(
        request, apps=EVENT_APPS, queryset=lambda: _events(filters), schema=EventOut, paging=paging, clock=True
    )


@router.get(
    "/events.csv",
    url_name="events_csv",
    summary="Events as CSV",
    operation_id="events_csv",
    openapi_extra=opendata.CSV_OPENAPI,
)
def events_csv(request: HttpRequest, filters: Query[EventFilters]):
    """Every event the filters match, as CSV (`;`-separated, UTF-8) with the fields of the JSON items."""
    return opendata.csv_answer(
        request, apps=EVENT_APPS, queryset=lambda: _events(filters), schema=EventOut, filename="events.csv", clock=True
    )


@router.get(
    "/events/{slug}/",
    response={200: EventOut, 404: opendata.NotFound},
    url_name="event",
    summary="One event",
    operation_id="get_event",
)
def event(request: HttpRequest, slug: str):
    """One published event by its short name."""
    return opendata.item_answer(
        request,
        apps=EVENT_APPS,
        get=lambda: Event.objects.published().with_listing_data().filter(slug=slug).first(),
        schema=EventOut,
        clock=True,
    )


# --- Decisions ----------------------------------------------------------------------------------------------


class Conference(Schema):
    slug: str = Field(description="Short name of the conference (its event's), the `conference` filter takes it.")
    title: str = Field(description="Title of the conference.")
    date: dt.date = Field(description="The day the conference met (YYYY-MM-DD, local).")
    url: str = Field(description="The conference's page on the portal.")


class StatusUpdate(Schema):
    date: dt.date = Field(description="The day of the step (YYYY-MM-DD).")
    status: DecisionStatus = Field(description="The decision's status from that day: see `status`.")
    note: str = Field(description="What happened.")


class DecisionOut(Schema):
    id: int = Field(description="Number of the decision on the portal, stable.")
    conference: Conference = Field(description="The conference that decided.")
    number: int = Field(description="Number of the decision within its conference.")
    wording: str = Field(description="The wording of the decision.")
    votes_for: int = Field(description="Votes for (people).")
    votes_against: int = Field(description="Votes against (people).")
    votes_abstaining: int = Field(description="Abstentions (people).")
    adopted: bool = Field(description="Adopted: more votes for than against.")
    responsible: str = Field(description="Who is responsible for carrying it out: an initiative or the office.")
    status: DecisionStatus = Field(
        description="Current status: `open`, `in_progress`, `done` or `rejected` (set by the latest update)."
    )
    history: list[StatusUpdate] = Field(description="The status updates, oldest first.")

    @staticmethod
    def resolve_conference(decision) -> dict:
        event = decision.conference.event
        return {
            "slug": event.slug,
            "title": event.title,
            "date": opendata.local(event.starts_at).date(),
            "url": opendata.absolute(decision.conference.get_absolute_url()),
        }

    @staticmethod
    def resolve_history(decision) -> list:
        return list(decision.updates.all())


class DecisionPage(opendata.Page):
    items: list[DecisionOut] = Field(description="The decisions of this page.")


class DecisionFilters(Schema):
    status: DecisionStatus | None = Field(None, description="Only decisions with this current status.")
    conference: str | None = Field(None, description="Only decisions of this conference (its short name).")


def _decisions(filters: DecisionFilters):
    decisions = Decision.objects.public().with_history()
    if filters.status:
        decisions = decisions.filter(status=filters.status)
    if filters.conference:
        decisions = decisions.filter(conference__event__slug=filters.conference)
    return decisions.order_by("-conference__event__starts_at", "number", "pk")


@router.get(
    "/decisions/",
    response={200: DecisionPage},
    url_name="decisions",
    summary="Decisions of the district conferences",
    operation_id="list_decisions",
)
def decisions(request: HttpRequest, filters: Query[DecisionFilters], paging: Query[opendata.PageQuery]):
    """The decisions of the district conferences with their status history, newest conference first."""
    return opendata.page_answer(
        request, apps=["events"], queryset=lambda: _decisions(filters), schema=DecisionOut, paging=paging
    )


@router.get(
    "/decisions.csv",
    url_name="decisions_csv",
    summary="Decisions as CSV",
    operation_id="decisions_csv",
    openapi_extra=opendata.CSV_OPENAPI,
)
def decisions_csv(request: HttpRequest, filters: Query[DecisionFilters]):
    """Every decision the filters match, as CSV with the fields of the JSON items (`history` as JSON)."""
    return opendata.csv_answer(
        request, apps=["events"], queryset=lambda: _decisions(filters), schema=DecisionOut, filename="decisions.csv"
    )
