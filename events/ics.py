"""iCalendar for events: one event (for mails and downloads) and feeds of all events."""

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar
from icalendar import Event as IcsEvent

PRODID = "-//Quartier//Veranstaltungen//DE"


def _host() -> str:
    return settings.SITE_URL.split("://", 1)[-1].split("/")[0]


def _component(event, *, cancelled: bool = False) -> IcsEvent:
    component = IcsEvent()
    component.add("uid", f"event-{event.pk}@{_host()}")
    component.add("dtstamp", timezone.now())
    component.add("dtstart", event.starts_at)
    component.add("dtend", event.ends_at)
    component.add("summary", event.title)
    component.add("location", event.where)
    component.add("url", settings.SITE_URL + event.get_absolute_url())
    component.add("description", event.description[:1000])
    component.add("status", "CANCELLED" if cancelled or event.is_cancelled else "CONFIRMED")
    component.add("sequence", event.sequence + (1 if cancelled and not event.is_cancelled else 0))
    return component


def event_ics(event, *, cancelled: bool = False) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "CANCEL" if cancelled else "PUBLISH")
    calendar.add_component(_component(event, cancelled=cancelled))
    return calendar.to_ical()


def events_feed(name: str, events) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    for event in events:
        calendar.add_component(_component(event))
    return calendar.to_ical()
