"""iCalendar for events: one event (for mails and downloads) and feeds of all events, written by quartier/ics.py."""

from django.conf import settings

from quartier import ics

PRODID = "-//Quartier//Veranstaltungen//DE"


def _component(event, *, cancelled: bool = False):
    return ics.event(
        ics.uid("event", event.pk),
        event.title,
        event.starts_at,
        event.ends_at,
        location=event.where,
        url=settings.SITE_URL + event.get_absolute_url(),
        description=event.description[:1000],
        status="CANCELLED" if cancelled or event.is_cancelled else "CONFIRMED",
        sequence=event.sequence + (1 if cancelled and not event.is_cancelled else 0),
    )


def event_ics(event, *, cancelled: bool = False) -> bytes:
    calendar = ics.calendar(PRODID, method="CANCEL" if cancelled else "PUBLISH")
    calendar.add_component(_component(event, cancelled=cancelled))
    return ics.to_ical(calendar)


def events_feed(name: str, events) -> bytes:
    calendar = ics.calendar(PRODID, name=name)
    for event in events:
        calendar.add_component(_component(event))
    return ics.to_ical(calendar)
