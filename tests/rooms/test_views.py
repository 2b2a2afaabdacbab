"""Rooms pages through the HTTP layer: finder, room page, booking form, my bookings, cancel."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from rooms.models import Booking, BookingSeries

from ..factories import make_user
from .factories import days_ahead, form_data, local, make_booking, make_closure, make_location, make_room

pytestmark = pytest.mark.django_db


def test_room_list_shows_free_rooms_first_for_a_wanted_time(client, office, resident):
    day = days_ahead(6)
    taken = make_room(name="Besprechungsraum", capacity=15)
    free = make_room(name="Saal", capacity=40)
    make_booking(room=taken, booked_by=resident, starts_at=local(day, 18), ends_at=local(day, 20))
    html = client.get(
        reverse("rooms:list"), {"date": day.isoformat(), "start": "18:00", "end": "20:00", "attendees": "12"}
    ).content.decode()
    assert html.index(free.name) < html.index(taken.name)
    assert "Zu dieser Zeit frei" in html
    assert "Zu dieser Zeit belegt oder geschlossen" in html


def test_room_list_filters_capacity_equipment_and_step_free(client, office):
    from rooms.models import Equipment

    kitchen = Equipment.objects.create(name="Küche", slug="kueche")
    small = make_room(name="Kleiner Raum", capacity=8)
    no_kitchen = make_room(name="Ohne Küche", capacity=30, step_free=True)
    match = make_room(name="Passender Raum", capacity=30, step_free=True)
    stairs = make_room(name="Mit Treppe", capacity=30, step_free=False)
    for room in (small, match, stairs):
        room.equipment.add(kitchen)
    query = {"attendees": "12", "equipment": "kueche", "step_free": "on"}
    html = client.get(reverse("rooms:list"), query).content.decode()
    assert "Passender Raum" in html
    for name in ("Kleiner Raum", "Ohne Küche", "Mit Treppe"):
        assert name not in html
    assert no_kitchen.name not in html


def _card(page: str, name: str) -> str:
    """The card of the room of this (escaped) name on a page of the room list, after its heading."""
    return page.split(f">{name}</a></h3>")[1].split("</li>\n")[0]


@pytest.mark.parametrize("wanted", [False, True])
def test_room_list_cards_show_each_rooms_equipment_in_order_and_its_first_photo(client, office, wanted):
    """A card names the room's equipment in the list's order (its English name on the English page, the German one
    marked as German where none was entered) and shows the room's first photo (by position) with its text."""
    from rooms.models import Equipment, RoomPhoto

    hall = make_room(name="Saal")
    make_room(name="Werkraum")  # no equipment, no photo
    beamer = Equipment.objects.create(slug="beamer", name_de="Beamer", name_en="Projector")
    kitchen = Equipment.objects.create(slug="kueche", name_de="Küche")  # no English name
    hall.equipment.add(kitchen, beamer)
    RoomPhoto.objects.create(room=hall, image="rooms/zweites.webp", alt_text="Der Saal von hinten", position=2)
    RoomPhoto.objects.create(room=hall, image="rooms/erstes.webp", alt_text="Der Saal mit Bühne", position=1)
    params = {"date": days_ahead(3).isoformat(), "start": "18:00", "end": "20:00"} if wanted else {}
    page = client.get(reverse("rooms:list"), params, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    hall_card, bare_card = (_card(page, name) for name in ("Saal", "Werkraum"))
    assert 'src="/media/rooms/erstes.webp" alt="Der Saal mit Bühne"' in hall_card
    assert "zweites" not in page
    assert re.search(r"<dd>Projector, <span lang=\"de\">Küche</span> <small[^>]*>\(in German\)</small></dd>", hall_card)
    assert "<img" not in bare_card and "Equipment" not in bare_card


HOSTILE = '<b>"Saal"</b> & Co'


@pytest.mark.parametrize("wanted", [False, True])
def test_room_list_cards_escape_what_staff_typed_and_state_each_rooms_facts(client, office, wanted):
    """The cards (written in Python: rooms/templatetags/room_cards.py) escape the room's and the house's texts,
    count people in the right plural and name the access features the room has."""
    from rooms.models import RoomPhoto

    house = make_location(name="<script>Haus</script>", street="Weg 'A' & B")
    hall = make_room(name=HOSTILE, location=house, capacity=1, step_free=True, accessible_toilet=True)
    make_room(name="Werkraum", capacity=12, step_free=False, hearing_loop=True, requires_approval=True)
    RoomPhoto.objects.create(room=hall, image="rooms/saal.webp", alt_text='Der "Saal" <hinten>', position=1)
    params = {"date": days_ahead(3).isoformat(), "start": "18:00", "end": "20:00"} if wanted else {}
    page = client.get(reverse("rooms:list"), params, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<b>" not in page and "<script>Haus" not in page
    escaped_name = "&lt;b&gt;&quot;Saal&quot;&lt;/b&gt; &amp; Co"
    hall_card, other_card = (_card(page, name) for name in (escaped_name, "Werkraum"))
    assert "<dd>&lt;script&gt;Haus&lt;/script&gt;, Weg &#x27;A&#x27; &amp; B</dd>" in hall_card
    assert 'alt="Der &quot;Saal&quot; &lt;hinten&gt;"' in hall_card
    assert "<dd>1 person</dd>" in hall_card and "<dd>12 people</dd>" in other_card
    assert "<dd>step-free, accessible toilet</dd>" in hall_card and "<dd>not step-free, hearing loop</dd>" in other_card
    assert "Confirmed at once" in hall_card and "Needs the office&#x27;s approval" not in hall_card
    assert "Needs the office's approval" in other_card
    assert f'<span class="visually-hidden"> book {escaped_name}</span>' in hall_card  # each free time names the room
    if wanted:
        assert 'class="badge badge--free">Free at that time</p>' in hall_card


def test_room_list_cards_state_their_own_rule_only_where_the_rooms_differ(client, office):
    """One rule for every room is stated once above the finder; rules that differ are stated on each card."""
    quick, slow = make_room(name="Schnell", min_notice_hours=2), make_room(name="Langsam")
    page = client.get(reverse("rooms:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    quick_card, slow_card = (_card(page, name) for name in ("Schnell", "Langsam"))
    assert "<dd>Book at least 2 hours and at most 180 days ahead.</dd>" in quick_card
    assert "<dd>Book at least 48 hours and at most 180 days ahead.</dd>" in slow_card
    quick.min_notice_hours = slow.min_notice_hours
    quick.save()
    page = client.get(reverse("rooms:list"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.count("Book at least 48 hours and at most 180 days ahead.") == 1  # above the finder only


def test_room_page_shows_its_photos_equipment_purposes_and_hours_in_order(client, office):
    """The room's page: every photo by position with its text, equipment and purposes in their lists' order (a
    missing English name shown in German, marked), the bookable hours by weekday and time."""
    from datetime import time

    from rooms.models import BookableHours, Equipment, Purpose, RoomPhoto

    room = make_room(name="Saal", hours=())
    for weekday, opens, closes in ((2, 14, 18), (0, 16, 20), (2, 9, 12)):
        BookableHours.objects.create(room=room, weekday=weekday, opens=time(opens), closes=time(closes))
    room.equipment.add(
        Equipment.objects.create(slug="kueche", name_de="Küche"),
        Equipment.objects.create(slug="beamer", name_de="Beamer"),
    )
    room.purposes.add(Purpose.objects.create(slug="feiern", name_de="Feiern", name_en="Celebrations"))
    RoomPhoto.objects.create(room=room, image="rooms/b.webp", alt_text="Von hinten", position=2)
    RoomPhoto.objects.create(room=room, image="rooms/a.webp", alt_text="Mit Bühne", position=1)
    page = client.get(room.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert page.index('src="/media/rooms/a.webp" alt="Mit Bühne"') < page.index(
        'src="/media/rooms/b.webp" alt="Von hinten"'
    )
    assert re.search(
        r'<dd><span lang="de">Beamer</span> <small[^>]*>\(in German\)</small>, <span lang="de">Küche</span>', page
    )
    assert "<dd>Celebrations</dd>" in page
    hours = re.findall(r"<li>(\w+) <bdi dir=\"ltr\">([^<]+)</bdi></li>", page)
    assert hours == [("Monday", "16:00–20:00"), ("Wednesday", "09:00–12:00"), ("Wednesday", "14:00–18:00")]


def _ticked(html: str) -> set[str]:
    """The equipment boxes ticked in the finder's form."""
    boxes = re.findall(r'<input type="checkbox" name="equipment"[^>]*>', html)
    return {re.search(r'value="([^"]+)"', box)[1] for box in boxes if " checked" in box}


def test_the_equipment_filter_is_read_once_and_shows_what_was_ticked(client, office):
    """The filter's options are read once for checking what was sent and showing the boxes again: one query of
    the equipment list per page, the ticked boxes stay ticked and only rooms with all of it are listed."""
    from rooms.models import Equipment

    kitchen = Equipment.objects.create(slug="kueche", name_de="Küche")
    beamer = Equipment.objects.create(slug="beamer", name_de="Beamer")
    Equipment.objects.create(slug="leinwand", name_de="Leinwand")
    make_room(name="Saal").equipment.add(kitchen, beamer)
    make_room(name="Werkraum").equipment.add(kitchen)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(reverse("rooms:list"), {"equipment": ["beamer", "kueche"]}).content.decode()
    assert "Saal" in html and "Werkraum" not in html
    assert _ticked(html) == {"beamer", "kueche"}
    lists = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "rooms_equipment"."id"')]
    assert len(lists) == 1, lists


def test_unknown_equipment_is_named_and_what_was_ticked_stays_ticked(client, office):
    from rooms.models import Equipment

    Equipment.objects.create(slug="kueche", name_de="Küche")
    make_room(name="Saal")
    response = client.get(reverse("rooms:list"), {"equipment": ["kueche", "gibt-es-nicht"]})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bitte prüfen Sie Ihre Eingaben" in html
    assert "gibt-es-nicht ist keine gültige Auswahl" in html
    assert _ticked(html) == {"kueche"}


@pytest.mark.parametrize(
    "query",
    [
        {"date": "kein-datum", "start": "25:99", "attendees": "-4"},
        {"date": "2026-02-30", "start": "18:00", "end": "17:00"},
        {"attendees": "9" * 30, "equipment": "gibt-es-nicht"},
        {"start": "18:00"},
        {"date": "0001-01-01", "start": "00:00", "end": "01:00"},
        {"date": "9999-12-31", "start": "23:00", "end": "23:59"},
    ],
)
def test_room_list_bad_filters_give_messages_not_errors(client, office, query):
    make_room()
    response = client.get(reverse("rooms:list"), query)
    assert response.status_code == 200
    assert "Bitte prüfen Sie Ihre Eingaben" in response.content.decode()


def test_room_page_week_grid_shows_busy_label_closure_and_own_booking(client, office, resident, initiative_lead):
    room = make_room()
    day = days_ahead(7)
    make_booking(
        room=room,
        booked_by=initiative_lead,
        starts_at=local(day, 10),
        ends_at=local(day, 12),
        title="Geheimes Treffen",
        show_title=False,
    )
    make_booking(
        room=room,
        booked_by=initiative_lead,
        starts_at=local(day, 14),
        ends_at=local(day, 15),
        title="Ligarat",
        show_title=True,
    )
    make_booking(room=room, booked_by=resident, starts_at=local(day, 18), ends_at=local(day, 20), title="Mein Termin")
    closed = day + timedelta(days=1 if day.weekday() < 6 else -1)  # another day of the same Monday–Sunday week
    make_closure(room=room, starts_at=local(closed, 0), ends_at=local(closed, 23), reason="Grundreinigung")
    client.force_login(resident)
    html = client.get(reverse("rooms:detail", args=[room.slug]), {"week": day.isoformat()}).content.decode()
    assert "Geheimes Treffen" not in html
    assert 'belegt, <bdi dir="ltr">10:00–12:00</bdi>' in html  # the times read left to right in Arabic too
    assert 'Ligarat, <bdi dir="ltr">14:00–15:00</bdi>' in html
    assert "Ihre Buchung: Mein Termin" in html
    assert "geschlossen: Grundreinigung" in html


def test_room_page_marks_today_and_links_weeks(client, office):
    room = make_room()
    html = client.get(reverse("rooms:detail", args=[room.slug])).content.decode()
    assert 'aria-current="date"' in html
    assert "Nächste Woche" in html and "Vorige Woche" in html


@pytest.mark.parametrize("week", ["gestern", "2026-13-45", "99999-01-01", "0001-01-01"])
def test_room_page_with_a_bad_week_shows_this_week(client, office, week):
    room = make_room()
    response = client.get(reverse("rooms:detail", args=[room.slug]), {"week": week})
    assert response.status_code == 200
    assert 'aria-current="date"' in response.content.decode()


def test_free_cell_links_to_the_prefilled_booking_form(client, office, resident):
    room = make_room()
    day = days_ahead(7)
    html = client.get(reverse("rooms:detail", args=[room.slug]), {"week": day.isoformat()}).content.decode()
    link = f"{reverse('rooms:book', args=[room.slug])}?date={day.isoformat()}&amp;start=10:00&amp;end=11:00"
    assert link in html
    client.force_login(resident)
    form = client.get(link.replace("&amp;", "&")).content.decode()
    assert f'value="{day.isoformat()}"' in form
    assert 'value="10:00"' in form and 'value="11:00"' in form
    assert 'value="resident@example.org"' in form


def test_the_booking_form_carries_the_phone_of_the_last_booking(client, office, resident):
    """WCAG 2.2, 3.3.7 (redundant entry): the responsible adult's phone is not asked for again."""
    room = make_room()
    make_booking(
        room=room,
        booked_by=resident,
        starts_at=local(days_ahead(7), 18),
        ends_at=local(days_ahead(7), 20),
        responsible_phone="0231 987654",
    )
    client.force_login(resident)
    form = client.get(reverse("rooms:book", args=[room.slug])).content.decode()
    assert 'value="0231 987654"' in form


def test_the_booking_form_takes_the_phone_of_the_newest_booking(client, office, resident):
    from django.utils import timezone

    for days, phone, created in ((7, "0231 111111", 3), (9, "0231 222222", 1), (11, "0231 333333", 2)):
        booking = make_booking(
            booked_by=resident,
            starts_at=local(days_ahead(days), 18),
            ends_at=local(days_ahead(days), 20),
            responsible_phone=phone,
        )
        Booking.objects.filter(pk=booking.pk).update(created_at=timezone.now() - timedelta(days=created))
    client.force_login(resident)
    form = client.get(reverse("rooms:book", args=[make_room().slug])).content.decode()
    assert 'value="0231 222222"' in form  # booked a day ago: the newest, whatever its date
    assert "0231 111111" not in form and "0231 333333" not in form


def test_the_booking_form_of_a_first_booking_leaves_the_phone_empty(client, office, resident):
    make_booking(
        booked_by=make_user(email="other@example.org"),
        starts_at=local(days_ahead(7), 18),
        ends_at=local(days_ahead(7), 20),
        responsible_phone="0231 987654",
    )
    client.force_login(resident)
    form = client.get(reverse("rooms:book", args=[make_room().slug])).content.decode()
    assert "0231 987654" not in form


def test_the_booking_form_offers_the_members_initiatives_from_one_query(client, office, resident):
    from initiatives.models import Initiative

    from ..initiatives.factories import make_initiative, make_membership

    room = make_room()
    for name in ("Straßenfußball Nordstadt", "Kiezküche"):
        make_membership(initiative=make_initiative(name=name), user=resident)
    make_membership(initiative=make_initiative(name="Unbestätigt", is_verified=False), user=resident)
    stranger = make_initiative(name="Fremde Initiative")
    client.force_login(resident)
    client.get(reverse("rooms:book", args=[room.slug]))  # the session and office record read once
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("rooms:book", args=[room.slug])).content.decode()
    options = re.findall(
        r'<option value="(\d*)"[^>]*>([^<]*)</option>', page.split('name="initiative"')[1].split("</select>")[0]
    )
    kitchen, football = (Initiative.objects.get(name=name).pk for name in ("Kiezküche", "Straßenfußball Nordstadt"))
    assert [(value, label.strip()) for value, label in options][1:] == [
        (str(kitchen), "Kiezküche"),
        (str(football), "Straßenfußball Nordstadt"),
    ]
    assert sum("initiatives_initiative" in query["sql"] for query in queries.captured_queries) == 1
    refused = client.post(
        reverse("rooms:book", args=[room.slug]),
        {**form_data(days_ahead(7), "18:00", "20:00"), "initiative": stranger.pk},
    )
    assert refused.status_code == 200 and not Booking.objects.exists()
    assert refused.context["form"].errors["initiative"]


def test_booking_form_requires_login(client, office):
    room = make_room()
    response = client.get(reverse("rooms:book", args=[room.slug]))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_booking_succeeds_and_shows_in_my_bookings(
    client, office, resident, mailoutbox, django_capture_on_commit_callbacks
):
    room = make_room()
    day = days_ahead(7)
    client.force_login(resident)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("rooms:book", args=[room.slug]), form_data(day, "18:00", "20:00"))
    booking = Booking.objects.get()
    assert response["Location"] == booking.get_absolute_url()
    assert booking.status == "confirmed"
    assert "Mieterversammlung" in client.get(reverse("rooms:my_bookings")).content.decode()
    assert mailoutbox[0].attachments[0][0].endswith(".ics")


def test_conflict_is_refused_with_the_time_and_the_input_is_kept(client, office, resident, initiative_lead):
    room = make_room()
    day = days_ahead(7)
    make_booking(room=room, booked_by=initiative_lead, starts_at=local(day, 18), ends_at=local(day, 20))
    client.force_login(resident)
    response = client.post(
        reverse("rooms:book", args=[room.slug]), form_data(day, "19:00", "21:00", title="Unser Treffen")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "bereits gebucht" in html and "18:00–20:00" in html
    assert 'value="Unser Treffen"' in html
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"end": "17:00"}, "Das Ende muss nach dem Beginn liegen"),
        ({"attendees": "500"}, "höchstens 20 Personen"),
        ({"start": "21:00", "end": "23:00"}, "außerhalb der Buchungszeiten"),
        ({"accept_rules": ""}, "Bitte akzeptieren Sie die Nutzungsordnung"),
        ({"responsible_phone": "<script>"}, "Telefonnummer"),
        ({"date": (date.today() - timedelta(days=3)).isoformat()}, "Vergangenheit"),
        ({"date": "31.02.2027"}, "gültiges Datum"),
        ({"date": "0001-01-01"}, "Bitte wählen Sie ein Datum zwischen"),
        ({"date": "9999-12-31", "repeat": "weekly", "until": "9999-12-31"}, "Bitte wählen Sie ein Datum zwischen"),
        ({"attendees": "zwölf"}, "ganze Zahl"),
        ({"title": "x" * 500}, "höchstens 120 Zeichen"),
        ({"repeat": "weekly"}, "Enddatum oder die Anzahl"),
        ({"repeat": "daily"}, "gültige Auswahl"),
    ],
)
def test_bad_booking_input_gets_a_clear_german_message(client, office, resident, overrides, message):
    room = make_room()
    client.force_login(resident)
    response = client.post(
        reverse("rooms:book", args=[room.slug]), {**form_data(days_ahead(7), "18:00", "20:00"), **overrides}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Booking.objects.exists()


def test_hostile_text_is_stored_as_text_and_escaped(client, office, resident):
    room = make_room()
    client.force_login(resident)
    client.post(
        reverse("rooms:book", args=[room.slug]),
        form_data(days_ahead(7), "18:00", "20:00", title="<img src=x onerror=alert(1)>'; DROP TABLE--"),
    )
    booking = Booking.objects.get()
    html = client.get(booking.get_absolute_url()).content.decode()
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_the_week_grid_escapes_titles_and_closure_reasons(client, office, resident):
    room = make_room()
    day = days_ahead(8)
    hostile = '<img src=x onerror=alert(1)> & "Rock"'
    make_booking(room=room, booked_by=resident, starts_at=local(day, 10), ends_at=local(day, 12), title=hostile)
    make_closure(room=room, starts_at=local(day, 16), ends_at=local(day, 18), reason=hostile)
    client.force_login(resident)
    html = client.get(reverse("rooms:detail", args=[room.slug]), {"week": day.isoformat()}).content.decode()
    grid = html.split('class="table-wrap week-grid"')[1].split("</table>")[0]
    assert "<img" not in grid
    escaped = "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Rock&quot;"
    assert grid.count('<td class="cell cell--own">') == 2
    assert grid.count(escaped) >= 4  # two hours of her booking, two of the closure
    assert grid.count('<td class="cell cell--closed">') == 2
    assert grid.count("<tr>") == 1 + 16  # the days' heading, then 07:00 to 22:00
    assert all(row.count("<td ") == 7 for row in grid.split("<tr>")[2:])  # a cell per day in every hour


def test_series_preview_then_booking_of_the_chosen_free_dates(client, office, resident, initiative_lead):
    room = make_room()
    first = days_ahead(7)
    taken = first + timedelta(weeks=1)
    make_booking(room=room, booked_by=initiative_lead, starts_at=local(taken, 18), ends_at=local(taken, 19))
    client.force_login(resident)
    data = form_data(first, "18:00", "20:00", repeat="weekly", count="4")
    preview = client.post(reverse("rooms:book", args=[room.slug]), data).content.decode()
    assert "Termine prüfen" in preview
    assert preview.count('name="dates"') == 4
    assert "disabled" in preview and "bereits gebucht" in preview
    keys = re.findall(r'name="dates" value="([^"]+)" id="[^"]+" checked', preview)
    assert len(keys) == 3
    response = client.post(reverse("rooms:book", args=[room.slug]), {**data, "step": "confirm", "dates": keys[:2]})
    assert response["Location"] == reverse("rooms:my_bookings")
    series = BookingSeries.objects.get()
    assert series.bookings.count() == 2


def test_series_confirm_with_a_date_taken_meanwhile_books_nothing(client, office, resident, initiative_lead):
    room = make_room()
    first = days_ahead(7)
    client.force_login(resident)
    data = form_data(first, "18:00", "20:00", repeat="weekly", count="3")
    preview = client.post(reverse("rooms:book", args=[room.slug]), data).content.decode()
    keys = re.findall(r'name="dates" value="([^"]+)"', preview)
    make_booking(room=room, booked_by=initiative_lead, starts_at=local(first, 18), ends_at=local(first, 19))
    response = client.post(reverse("rooms:book", args=[room.slug]), {**data, "step": "confirm", "dates": keys})
    assert response.status_code == 200
    assert "Die Serie konnte nicht gebucht werden" in response.content.decode()
    assert Booking.objects.count() == 1


def test_other_users_booking_is_not_found(client, office, resident, initiative_lead):
    booking = make_booking(
        booked_by=initiative_lead, starts_at=local(days_ahead(7), 10), ends_at=local(days_ahead(7), 12)
    )
    client.force_login(resident)
    for name in ("rooms:booking_detail", "rooms:booking_cancel", "rooms:booking_ics"):
        assert client.get(reverse(name, args=[booking.pk])).status_code == 404
    assert client.post(reverse("rooms:booking_cancel", args=[booking.pk])).status_code == 404
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_staff_see_any_booking(client, office, resident, staff):
    booking = make_booking(booked_by=resident, starts_at=local(days_ahead(7), 10), ends_at=local(days_ahead(7), 12))
    client.force_login(staff)
    assert client.get(booking.get_absolute_url()).status_code == 200


def test_user_cancels_with_confirmation(client, office, resident, mailoutbox, django_capture_on_commit_callbacks):
    booking = make_booking(booked_by=resident, starts_at=local(days_ahead(7), 10), ends_at=local(days_ahead(7), 12))
    client.force_login(resident)
    page = client.get(reverse("rooms:booking_cancel", args=[booking.pk])).content.decode()
    assert "Buchung stornieren?" in page
    booking.refresh_from_db()
    assert booking.status == "confirmed"  # GET changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("rooms:booking_cancel", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    attachment = mailoutbox[-1].attachments[0][1]
    assert "METHOD:CANCEL" in (attachment.decode() if isinstance(attachment, bytes) else attachment)


def test_cancel_after_the_deadline_is_refused_with_a_message(client, office, resident):
    room = make_room(cancellation_deadline_hours=72)
    booking = make_booking(
        room=room, booked_by=resident, starts_at=local(days_ahead(2), 10), ends_at=local(days_ahead(2), 12)
    )
    client.force_login(resident)
    response = client.post(reverse("rooms:booking_cancel", args=[booking.pk]), follow=True)
    assert "Frist zum Stornieren ist abgelaufen" in response.content.decode()
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_cancel_rest_of_series_from_a_booking_page(client, office, resident):
    room = make_room()
    first = days_ahead(7)
    client.force_login(resident)
    data = form_data(first, "18:00", "20:00", repeat="weekly", count="3")
    preview = client.post(reverse("rooms:book", args=[room.slug]), data).content.decode()
    keys = re.findall(r'name="dates" value="([^"]+)"', preview)
    client.post(reverse("rooms:book", args=[room.slug]), {**data, "step": "confirm", "dates": keys})
    second = Booking.objects.order_by("starts_at")[1]
    client.post(reverse("rooms:series_cancel", args=[second.pk]))
    assert list(Booking.objects.order_by("starts_at").values_list("status", flat=True)) == [
        "confirmed",
        "cancelled",
        "cancelled",
    ]


def test_my_bookings_lists_upcoming_and_past_of_the_user_only(client, office, resident, initiative_lead):
    make_booking(
        booked_by=resident, starts_at=local(days_ahead(7), 10), ends_at=local(days_ahead(7), 12), title="Kommt noch"
    )
    make_booking(
        booked_by=resident, starts_at=local(days_ahead(-7), 10), ends_at=local(days_ahead(-7), 12), title="War schon"
    )
    make_booking(
        booked_by=initiative_lead,
        starts_at=local(days_ahead(8), 10),
        ends_at=local(days_ahead(8), 12),
        title="Fremde Buchung",
    )
    client.force_login(resident)
    html = client.get(reverse("rooms:my_bookings")).content.decode()
    assert "Kommt noch" in html and "War schon" in html
    assert "Fremde Buchung" not in html
    assert html.index("Kommt noch") < html.index("War schon")


def test_my_bookings_rows_escape_titles_and_offer_what_each_booking_allows(client, office, resident):
    """The rows and items of "My bookings" (written in Python: rooms/templatetags/booking_lists.py): hostile
    titles escaped, every upcoming booking with its calendar file and, while it may be cancelled, its cancel link;
    a cancelled one under "Cancelled and declined", a past one under "Past and earlier", each with its status."""
    room = make_room(name="Saal <Nord>")
    title = '<img src=x onerror=alert(1)> & "Feier"'
    ahead = make_booking(
        room=room, booked_by=resident, starts_at=local(days_ahead(9), 10), ends_at=local(days_ahead(9), 12), title=title
    )
    make_booking(
        room=room,
        booked_by=resident,
        starts_at=local(days_ahead(10), 10),
        ends_at=local(days_ahead(10), 12),
        title="Abgesagt",
        status=Booking.Status.CANCELLED,
    )
    make_booking(
        room=room,
        booked_by=resident,
        starts_at=local(days_ahead(-3), 10),
        ends_at=local(days_ahead(-3), 12),
        title="Vorbei",
    )
    client.force_login(resident)
    html = client.get(reverse("rooms:my_bookings"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<img src=x" not in html and "Saal <Nord>" not in html
    shown = "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Feier&quot;"
    row = html.split("<tbody>")[1].split("</tbody>")[0]
    assert '<td data-label="Room">Saal &lt;Nord&gt;</td>' in row
    assert f'<a href="{ahead.get_absolute_url()}">{shown}</a>' in row
    assert '<td data-label="Status">confirmed</td>' in row
    assert reverse("rooms:booking_cancel", args=[ahead.pk]) in row and row.count(f": {shown}, ") == 2
    withdrawn = html.split('class="bookings-withdrawn">')[1].split("</ul>")[0]
    assert "Abgesagt</a> (Saal &lt;Nord&gt;, cancelled)</li>" in withdrawn and "Abgesagt" not in row
    past = html.split('id="past-title"')[1]
    assert "Vorbei</a> (Saal &lt;Nord&gt;, confirmed)</li>" in past


def test_my_bookings_page_number_out_of_range_shows_the_last_page(client, office, resident):
    client.force_login(resident)
    assert client.get(reverse("rooms:my_bookings"), {"page": "999"}).status_code == 200
    assert client.get(reverse("rooms:my_bookings"), {"page": "abc"}).status_code == 200


def test_navigation_and_home_show_rooms(client, office):
    make_room(name="Gemeinschaftsraum")
    html = client.get("/").content.decode()
    assert 'href="/raeume/"' in html
    assert "Gemeinschaftsraum" in html


def test_another_user_cannot_book_with_a_forged_room(client, office, resident):
    client.force_login(resident)
    response = client.post(reverse("rooms:book", args=["gibt-es-nicht"]), form_data(days_ahead(7), "18:00", "20:00"))
    assert response.status_code == 404


def test_inactive_room_cannot_be_booked(client, office, resident):
    room = make_room(is_active=False)
    client.force_login(resident)
    assert client.get(reverse("rooms:detail", args=[room.slug])).status_code == 404
    assert (
        client.post(reverse("rooms:book", args=[room.slug]), form_data(days_ahead(7), "18:00", "20:00")).status_code
        == 404
    )


def test_booking_on_behalf_of_a_non_profit_initiative_is_free(client, office, resident):
    from decimal import Decimal

    from ..initiatives.factories import make_initiative, make_membership

    room = make_room(fee_per_hour=Decimal("20.00"), deposit=Decimal("100.00"))
    verein = make_initiative(name="Nachbarschaftshilfe", is_nonprofit=True)
    make_membership(initiative=verein, user=resident)
    client.force_login(resident)
    form = client.get(reverse("rooms:book", args=[room.slug])).content.decode()
    assert "Nachbarschaftshilfe" in form
    client.post(
        reverse("rooms:book", args=[room.slug]), form_data(days_ahead(7), "18:00", "20:00", initiative=str(verein.pk))
    )
    booking = Booking.objects.get()
    assert (booking.initiative, booking.fee, booking.deposit) == (verein, Decimal("0.00"), Decimal("0.00"))


def test_cannot_book_for_an_initiative_one_does_not_belong_to(client, office, resident):
    from ..initiatives.factories import make_initiative, make_membership

    room = make_room()
    mine, foreign = make_initiative(), make_initiative()
    make_membership(initiative=mine, user=resident)
    client.force_login(resident)
    response = client.post(
        reverse("rooms:book", args=[room.slug]), form_data(days_ahead(7), "18:00", "20:00", initiative=str(foreign.pk))
    )
    assert response.status_code == 200 and not Booking.objects.exists()


def test_initiatives_only_room_needs_the_initiative(client, office, resident):
    from ..initiatives.factories import make_initiative, make_membership

    room = make_room(bookable_by="initiatives")
    group = make_initiative()
    make_membership(initiative=group, user=resident)
    client.force_login(resident)
    refused = client.post(reverse("rooms:book", args=[room.slug]), form_data(days_ahead(7), "18:00", "20:00"))
    assert "Nur Initiativen" in refused.content.decode()
    client.post(
        reverse("rooms:book", args=[room.slug]), form_data(days_ahead(7), "18:00", "20:00", initiative=str(group.pk))
    )
    assert Booking.objects.get().initiative == group


def test_room_list_is_paginated_and_keeps_the_filter(client, office):
    for n in range(14):
        make_room(name=f"Raum Nummer {n}", capacity=30)
    html = client.get(reverse("rooms:list"), {"attendees": "5"}).content.decode()
    assert "Seite 1 von 2" in html
    assert "?attendees=5&amp;page=2" in html
    assert "Seite 2 von 2" in client.get(reverse("rooms:list"), {"attendees": "5", "page": "2"}).content.decode()


def _priced_room():
    return make_room(fee_per_hour="20.00", deposit="150.00", house_rules="Besenrein verlassen.")


def test_check_price_shows_fee_and_deposit_books_nothing_and_keeps_the_input(client, office, resident):
    room = _priced_room()
    client.force_login(resident)
    data = form_data(
        days_ahead(7), "18:00", "20:30", title="Geburtstag", private_use="on", accept_rules="", step="price"
    )
    response = client.post(reverse("rooms:book", args=[room.slug]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="price-result"' in html and "50,00 €" in html and "150,00 €" in html
    assert 'value="Geburtstag"' in html and re.search(r'<input[^>]*name="private_use"[^>]*checked', html)
    assert 'class="form-errors"' not in html  # the rules are accepted when sending, not to see the price
    assert not Booking.objects.exists()


def test_check_price_without_private_use_shows_no_fee(client, office, resident):
    room = _priced_room()
    client.force_login(resident)
    response = client.post(
        reverse("rooms:book", args=[room.slug]), form_data(days_ahead(7), "18:00", "20:30", step="price")
    )
    html = response.content.decode()
    result = re.search(r'id="price-result">(.*?)</p>', html).group(1)
    assert "€" not in result
    assert not Booking.objects.exists()


def test_check_price_button_only_for_rooms_that_cost_something(client, office, resident):
    client.force_login(resident)
    priced = client.get(reverse("rooms:book", args=[_priced_room().slug])).content.decode()
    free = client.get(reverse("rooms:book", args=[make_room().slug])).content.decode()
    assert 'value="price"' in priced and 'value="price"' not in free


def test_private_booking_is_charged_what_the_price_check_showed(client, office, resident):
    room = _priced_room()
    client.force_login(resident)
    client.post(reverse("rooms:book", args=[room.slug]), form_data(days_ahead(7), "18:00", "20:30", private_use="on"))
    booking = Booking.objects.get()
    assert (str(booking.fee), str(booking.deposit)) == ("50.00", "150.00")


def test_series_preview_shows_the_price_of_each_date(client, office, resident):
    room = _priced_room()
    client.force_login(resident)
    preview = client.post(
        reverse("rooms:book", args=[room.slug]),
        form_data(days_ahead(7), "18:00", "19:00", private_use="on", repeat="weekly", count="3"),
    )
    html = preview.content.decode()
    assert html.count('name="dates"') == 3 and "20,00 €" in html and "150,00 €" in html


def test_a_time_the_clock_change_skips_is_a_form_error_not_a_server_error(client, office, resident):
    from .test_forms import SPRING_FORWARD

    room = make_room(hours=((0, 23),))
    client.force_login(resident)
    response = client.post(reverse("rooms:book", args=[room.slug]), form_data(SPRING_FORWARD, "02:30", "04:00"))
    assert response.status_code == 200
    assert SPRING_FORWARD.strftime("%d.%m.%Y") in response.content.decode()
    assert not Booking.objects.exists()
    finder = client.get(reverse("rooms:list"), {"date": SPRING_FORWARD.isoformat(), "start": "02:30", "end": "04:00"})
    assert finder.status_code == 200 and 'class="form-errors"' in finder.content.decode()


def test_phone_list_layout_names_each_busy_period_once_with_its_time(client, office, initiative_lead):
    room = make_room()
    day = days_ahead(7)
    make_booking(room=room, booked_by=initiative_lead, starts_at=local(day, 10), ends_at=local(day, 12))
    html = client.get(reverse("rooms:detail", args=[room.slug]), {"week": day.isoformat()}).content.decode()
    day_list = html[html.index('class="week-list"') :]
    assert re.search(r"10:00–12:00</bdi>:\s+belegt</li>", day_list)
    assert "belegt, 10:00–12:00" not in day_list


def test_room_page_states_booking_lengths_in_plain_words(client, office):
    from django.utils import translation

    from rooms.views import duration_text

    room = make_room(min_duration_minutes=30, max_duration_minutes=360)
    html = client.get(reverse("rooms:detail", args=[room.slug])).content.decode()
    assert "360" not in html
    with translation.override("en"):
        assert (duration_text(30), duration_text(360), duration_text(90), duration_text(60)) == (
            "30 minutes",
            "6 hours",
            "90 minutes",
            "1 hour",
        )


def test_changing_a_series_from_its_preview_keeps_everything_typed(client, office, resident):
    room = make_room()
    client.force_login(resident)
    data = form_data(
        days_ahead(7),
        "18:00",
        "20:00",
        title="Schreibwerkstatt",
        repeat="biweekly",
        count="3",
        responsible_phone="0231 998877",
    )
    preview = client.post(reverse("rooms:book", args=[room.slug]), data).content.decode()
    assert 'name="step" value="edit"' in preview
    response = client.post(reverse("rooms:book", args=[room.slug]), {**data, "step": "edit"})
    html = response.content.decode()
    assert 'value="Schreibwerkstatt"' in html and 'value="0231 998877"' in html and 'value="3"' in html
    assert re.search(r'<input[^>]*value="biweekly"[^>]*checked', html)
    assert not Booking.objects.exists()


def test_home_page_offers_a_quick_room_search(client, office):
    make_room(name="Gemeinschaftsraum")
    html = client.get("/").content.decode()
    assert 'action="/raeume/"' in html and 'id="home-room-date"' in html and 'name="attendees"' in html


def test_a_just_registered_initiative_gets_no_free_room(client, office, resident):
    """Issue 12 point 6: an initiative a resident registered a minute ago, declared non-profit on the form, cannot
    book on its behalf; the hall costs her the fee and deposit of private use."""
    from decimal import Decimal

    from initiatives.models import Initiative

    room = make_room(name="Saal", fee_per_hour=Decimal("45.00"), deposit=Decimal("200.00"))
    client.force_login(resident)
    client.post(
        reverse("initiatives:create"),
        {
            "name": "Partyfreunde",
            "kind": "association",
            "short_description": "Wir feiern.",
            "contact_email": "party@example.org",
            "is_nonprofit": "on",
        },
    )
    initiative = Initiative.objects.get()
    assert not initiative.is_nonprofit and not initiative.counts_as_nonprofit
    assert "Partyfreunde" not in client.get(reverse("rooms:book", args=[room.slug])).content.decode()
    client.post(
        reverse("rooms:book", args=[room.slug]),
        form_data(days_ahead(7), "18:00", "22:00", initiative=str(initiative.pk)),
    )
    assert not Booking.objects.filter(initiative=initiative).exists()
    client.post(reverse("rooms:book", args=[room.slug]), form_data(days_ahead(8), "18:00", "22:00", private_use="on"))
    booking = Booking.objects.get(initiative=None, private_use=True)
    assert (booking.fee, booking.deposit) == (Decimal("180.00"), Decimal("200.00"))


def test_booking_for_an_unverified_initiative_is_refused_with_a_reason(client, office, resident):
    from ..initiatives.factories import make_initiative, make_membership

    room = make_room(bookable_by="initiatives")
    group = make_initiative(is_verified=False, is_nonprofit=True)
    make_membership(initiative=group, user=resident, role="lead")
    client.force_login(resident)
    response = client.post(
        reverse("rooms:book", args=[room.slug]), form_data(days_ahead(7), "18:00", "20:00", initiative=str(group.pk))
    )
    assert response.status_code == 200 and not Booking.objects.exists()


def test_a_verified_initiative_pays_until_staff_confirm_it_is_non_profit(client, office, resident):
    from decimal import Decimal

    from ..initiatives.factories import make_initiative, make_membership

    room = make_room(fee_per_hour=Decimal("45.00"), deposit=Decimal("200.00"))
    group = make_initiative(name="Hoffreunde")
    make_membership(initiative=group, user=resident, role="lead")
    client.force_login(resident)
    client.post(
        reverse("initiatives:edit", args=[group.slug]),
        {
            "name": "Hoffreunde",
            "kind": "public",
            "short_description": "Wir.",
            "contact_email": "hof@example.org",
            "is_nonprofit": "on",
        },
    )
    group.refresh_from_db()
    assert (group.kind, group.is_nonprofit) == ("initiative", False)
    client.post(
        reverse("rooms:book", args=[room.slug]), form_data(days_ahead(7), "18:00", "22:00", initiative=str(group.pk))
    )
    booking = Booking.objects.get(initiative=group)
    assert (booking.fee, booking.deposit) == (Decimal("180.00"), Decimal("200.00"))
    group.is_nonprofit = True  # staff confirm it in the admin
    group.save()
    client.post(
        reverse("rooms:book", args=[room.slug]), form_data(days_ahead(8), "18:00", "22:00", initiative=str(group.pk))
    )
    free = Booking.objects.exclude(pk=booking.pk).get(initiative=group)
    assert (free.fee, free.deposit) == (Decimal("0.00"), Decimal("0.00"))
