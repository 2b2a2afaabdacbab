"""'My bookings': upcoming shows only what will happen; cancelled and declined bookings have their own section."""

import re

from django.urls import reverse

from rooms.models import Booking, BookingSeries

from .factories import days_ahead, local, make_booking, make_room


def _section(html: str, title_id: str) -> str:
    """The HTML of the <section> labelled by the heading `title_id` ('' if there is none)."""
    match = re.search(rf'<section aria-labelledby="{title_id}">(.*?)</section>', html, re.S)
    return match.group(1) if match else ""


def test_a_cancelled_booking_leaves_upcoming_for_its_own_section(client, office, resident):
    room = make_room(name="Saal")
    make_booking(
        room=room,
        booked_by=resident,
        starts_at=local(days_ahead(7), 10),
        ends_at=local(days_ahead(7), 12),
        title="Chorprobe",
    )
    drop = make_booking(
        room=room,
        booked_by=resident,
        starts_at=local(days_ahead(8), 10),
        ends_at=local(days_ahead(8), 12),
        title="Flohmarkt",
    )
    make_booking(
        room=room,
        booked_by=resident,
        starts_at=local(days_ahead(9), 10),
        ends_at=local(days_ahead(9), 12),
        title="Abgelehnte Feier",
        status=Booking.Status.DECLINED,
    )
    client.force_login(resident)
    response = client.post(reverse("rooms:booking_cancel", args=[drop.pk]), follow=True)
    assert "Die Buchung ist storniert" in response.content.decode()  # the message is shown on the same page

    html = response.content.decode()
    upcoming, withdrawn = _section(html, "upcoming-title"), _section(html, "withdrawn-title")
    assert "Chorprobe" in upcoming
    assert "Flohmarkt" not in upcoming and "Abgelehnte Feier" not in upcoming
    assert "Flohmarkt" in withdrawn and "storniert" in withdrawn
    assert "Abgelehnte Feier" in withdrawn and "abgelehnt" in withdrawn
    assert "Chorprobe" not in withdrawn


def test_a_cancelled_series_goes_to_the_cancelled_section(client, office, resident):
    room = make_room(name="Werkstatt")
    series = BookingSeries.objects.create(room=room, booked_by=resident, frequency="weekly")
    dates = [
        make_booking(
            room=room,
            booked_by=resident,
            series=series,
            title="Schreibwerkstatt",
            starts_at=local(days_ahead(7 + 7 * n), 18),
            ends_at=local(days_ahead(7 + 7 * n), 20),
        )
        for n in range(3)
    ]
    client.force_login(resident)
    client.post(reverse("rooms:series_cancel", args=[dates[0].pk]))
    html = client.get(reverse("rooms:my_bookings")).content.decode()
    assert "Schreibwerkstatt" not in _section(html, "upcoming-title")
    assert "Sie haben keine anstehenden Buchungen." in _section(html, "upcoming-title")
    assert _section(html, "withdrawn-title").count("Schreibwerkstatt") == 3


def test_without_cancelled_bookings_there_is_no_cancelled_section(client, office, resident):
    make_booking(booked_by=resident, starts_at=local(days_ahead(7), 10), ends_at=local(days_ahead(7), 12))
    client.force_login(resident)
    html = client.get(reverse("rooms:my_bookings")).content.decode()
    assert 'id="withdrawn-title"' not in html
