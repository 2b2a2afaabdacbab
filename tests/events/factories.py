import itertools
from datetime import timedelta

from django.utils import timezone

from events.models import Event

_counter = itertools.count(1)


def make_event(**fields) -> Event:
    n = next(_counter)
    start = fields.pop("starts_at", timezone.now() + timedelta(days=10))
    fields.setdefault("title", f"Veranstaltung {n}")
    fields.setdefault("slug", f"veranstaltung-{n}")
    fields.setdefault("description", "Alle sind willkommen.")
    fields.setdefault("place", Event.Place.ADDRESS)
    fields.setdefault("address", "Nordmarkt, 44145 Dortmund")
    fields.setdefault("ends_at", start + timedelta(hours=2))
    return Event.objects.create(starts_at=start, **fields)
