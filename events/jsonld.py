"""schema.org `Event` of an event page (JSON-LD): the facts the page shows, no more (no online link: the page
shows it to registered people only)."""

from django.urls import reverse
from django.utils import timezone

from quartier.links import absolute
from quartier.models import Office

from .models import Event


def event_json_ld(event: Event) -> dict:
    if event.place == Event.Place.ONLINE:
        location = {"@type": "VirtualLocation", "name": "online"}
        mode = "https://schema.org/OnlineEventAttendanceMode"
    elif event.place == Event.Place.ROOM and event.room_id:
        address = event.room.location
        location = {
            "@type": "Place",
            "name": f"{event.room.name}, {address.name}",
            "url": absolute(event.room.get_absolute_url()),
            "address": {
                "@type": "PostalAddress",
                "streetAddress": address.street,
                "postalCode": address.postcode,
                "addressLocality": address.city,
                "addressCountry": "DE",
            },
        }
        mode = "https://schema.org/OfflineEventAttendanceMode"
    else:
        location = {"@type": "Place", "name": event.address, "address": event.address}
        mode = "https://schema.org/OfflineEventAttendanceMode"
    if event.initiative_id:
        organiser = {
            "@type": "Organization",
            "name": event.organiser_name,
            "url": absolute(event.initiative.get_absolute_url()),
        }
    else:
        organiser = {"@type": "Organization", "name": event.organiser or Office.load().name}
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "description": event.description,
        "url": absolute(event.get_absolute_url()),
        "startDate": timezone.localtime(event.starts_at).isoformat(),
        "endDate": timezone.localtime(event.ends_at).isoformat(),
        "eventStatus": "https://schema.org/EventCancelled"
        if event.is_cancelled
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": mode,
        "location": location,
        "organizer": organiser,
        "isAccessibleForFree": True,
    }
    if event.accessibility_notes:
        data["accessibilitySummary"] = event.accessibility_notes
    if event.room_id and event.place == Event.Place.ROOM:
        features = [
            name
            for name, present in (
                ("step-free access", event.room.step_free),
                ("accessible toilet", event.room.accessible_toilet),
                ("hearing loop", event.room.hearing_loop),
            )
            if present
        ]
        if features:
            data["location"]["amenityFeature"] = [
                {"@type": "LocationFeatureSpecification", "name": name, "value": True} for name in features
            ]
    if event.languages:
        data["inLanguage"] = [part.strip() for part in event.languages.split(",") if part.strip()]
    if event.image:
        data["image"] = absolute(event.image.url)
    if event.capacity:
        data["maximumAttendeeCapacity"] = event.capacity
        data["remainingAttendeeCapacity"] = event.places_left
    if event.registration_required:
        data["offers"] = {
            "@type": "Offer",
            "price": "0",
            "priceCurrency": "EUR",
            "url": absolute(reverse("events:register", args=[event.slug])),
            "validThrough": timezone.localtime(event.registration_deadline).isoformat(),
            "availability": "https://schema.org/SoldOut" if event.is_full else "https://schema.org/InStock",
        }
    return data
