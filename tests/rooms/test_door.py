"""The door sign, the entrance screen and the week's notice sheet: public, without personal data, bounded queries."""

from datetime import date

import pypdfium2
import pytest
from django.urls import reverse
from django.utils import timezone

from rooms.models import Booking

from ..factories import make_user
from .factories import local, make_booking, make_closure, make_location, make_room

pytestmark = pytest.mark.django_db

WEDNESDAY = date(2026, 12, 9)  # ISO week 2026-W50: Monday 7 to Sunday 13 December


@pytest.fixture
def now(monkeypatch):
    """Wednesday 9 December 2026, 10:15 in Dortmund."""
    moment = local(WEDNESDAY, 10, 15)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    return moment


@pytest.fixture
def booker(db):
    return make_user(email="privat@example.org", display_name="Petra Privat")


def _book(room, booker, day, start, end, **fields):
    fields.setdefault("responsible_name", "Petra Privat")
    fields.setdefault("responsible_phone", "0172 9999999")
    fields.setdefault("responsible_email", "petra@example.org")
    return make_booking(room=room, booked_by=booker, starts_at=local(day, *start), ends_at=local(day, *end), **fields)


def _today(client, room, **params):
    response = client.get(reverse("rooms:today", args=[room.slug]), params)
    assert response.status_code == 200
    return response.content.decode()


def test_door_sign_shows_now_later_today_phone_and_qr_code(client, office, now, booker):
    room = make_room(name="Besprechungsraum", location=make_location(contact_phone="0231 555 66"))
    _book(room, booker, WEDNESDAY, (10, 0), (12, 0), title="Ligarat der Nordstadtliga", show_title=True)
    _book(room, booker, WEDNESDAY, (14, 0), (15, 30), title="Geburtstag von Petra")
    _book(room, booker, WEDNESDAY, (18, 0), (20, 0), title="Schreibwerkstatt", show_title=True)
    _book(room, booker, date(2026, 12, 10), (10, 0), (12, 0), title="Morgen", show_title=True)
    html = _today(client, room)
    assert "<h1>Besprechungsraum</h1>" in html
    now_line = html.split('class="door-now', 1)[1].split("</p>", 1)[0]
    assert "Ligarat der Nordstadtliga" in now_line and "10:00–12:00" in now_line
    later = html.split('id="later-title"', 1)[1]
    assert "14:00–15:30" in later and "belegt" in later  # a private title is never shown
    assert "18:00–20:00" in later and "Schreibwerkstatt" in later
    assert "Morgen" not in html  # today only
    assert "0231 555 66" in html  # the house's phone before the office's
    assert '<svg role="img" viewBox=' in html and "<title>QR-Code" in html


def test_the_screen_at_the_door_reloads_every_minute_and_can_be_stopped(client, office, now):
    room = make_room(slug="saal")
    screen = _today(client, room, bildschirm="1")
    assert '<meta http-equiv="refresh" content="60">' in screen
    assert '<a href="/raeume/saal/heute/">Neuladen beenden</a>' in screen
    opened_by_a_person = _today(client, room)
    assert "http-equiv" not in opened_by_a_person  # a page that reloads throws a screen reader back to its top
    assert "http://testserver/raeume/saal/heute/?bildschirm=1" in opened_by_a_person


def test_door_sign_never_shows_personal_data(client, office, now, booker):
    room = make_room()
    _book(room, booker, WEDNESDAY, (10, 0), (12, 0), title="Geburtstag von Petra")
    html = _today(client, room)
    for private in ("Petra", "0172 9999999", "petra@example.org", "privat@example.org"):
        assert private not in html
    assert "belegt" in html


def test_free_room_says_until_when_it_is_free(client, office, now, booker):
    room = make_room()
    _book(room, booker, WEDNESDAY, (9, 0), (10, 0), title="Vorbei")
    _book(room, booker, WEDNESDAY, (18, 0), (20, 0), title="Abends")
    assert "frei bis 18:00" in _today(client, room)


def test_room_free_all_day_says_so(client, office, now):
    assert "Rest des Tages frei" in _today(client, make_room())


def test_door_sign_shows_a_held_request_and_a_closure_as_such(client, office, now, booker):
    room = make_room()
    _book(room, booker, WEDNESDAY, (16, 0), (17, 0), title="Anfrage", status=Booking.Status.REQUESTED)
    make_closure(location=room.location, starts_at=local(WEDNESDAY, 10), ends_at=local(WEDNESDAY, 13))
    html = _today(client, room)
    now_line = html.split('class="door-now', 1)[1].split("</p>", 1)[0]
    assert "door-now--closed" in html and "geschlossen: Renovierung" in now_line
    assert "vorgemerkt" in html.split('id="later-title"', 1)[1]
    assert "Anfrage" not in html


def test_door_sign_needs_no_login_and_sets_no_cookie(client, office, now):
    response = client.get(reverse("rooms:today", args=[make_room().slug]))
    assert response.status_code == 200
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies


def test_door_sign_of_an_inactive_room_is_not_found(client, office, now):
    assert client.get(reverse("rooms:today", args=[make_room(is_active=False).slug])).status_code == 404


def _bookings(room, booker, count):
    for n in range(count):
        minute = n * 5
        _book(room, booker, WEDNESDAY, (11 + minute // 60, minute % 60), (11 + (minute + 4) // 60, (minute + 4) % 60))


def _queries(client, url, django_assert_max_num_queries) -> int:
    client.get(url)  # the office record into the cache, as on a screen that has run for a minute
    with django_assert_max_num_queries(10) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_door_sign_queries_do_not_grow_with_the_bookings(client, office, now, booker, django_assert_max_num_queries):
    few, many = make_room(), make_room()
    _bookings(few, booker, 1)
    _bookings(many, booker, 30)
    make_closure(room=many, starts_at=local(WEDNESDAY, 20), ends_at=local(WEDNESDAY, 21))
    counts = [
        _queries(client, reverse("rooms:today", args=[room.slug]), django_assert_max_num_queries)
        for room in (few, many)
    ]
    assert counts[0] == counts[1]


def test_entrance_screen_lists_every_room_of_the_house_only(client, office, now, booker):
    house = make_location(name="Nachbarschaftshaus")
    saal, werkstatt = make_room(location=house, name="Saal"), make_room(location=house, name="Werkstatt")
    make_room(location=house, name="Alter Keller", is_active=False)
    make_room(name="Woanders")
    _book(saal, booker, WEDNESDAY, (10, 0), (11, 0), title="Yoga", show_title=True)
    _book(werkstatt, booker, WEDNESDAY, (15, 0), (16, 0), title="Privat")
    response = client.get(reverse("rooms:location_today", args=[house.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Nachbarschaftshaus heute</h1>" in html
    assert "<h2>Saal</h2>" in html and "<h2>Werkstatt</h2>" in html
    assert "Alter Keller" not in html and "Woanders" not in html
    assert "Yoga" in html and "frei bis 15:00" in html and "Privat" not in html


def test_entrance_screen_queries_do_not_grow(client, office, now, booker, django_assert_max_num_queries):
    small, big = make_location(), make_location()
    _bookings(make_room(location=small), booker, 1)
    for _n in range(6):
        _bookings(make_room(location=big), booker, 8)
    counts = [
        _queries(client, reverse("rooms:location_today", args=[house.slug]), django_assert_max_num_queries)
        for house in (small, big)
    ]
    assert counts[0] == counts[1]


def _notice(client, room, week="2026-W50", suffix=""):
    url = reverse("rooms:notice_pdf" if suffix else "rooms:notice", args=[room.slug])
    return client.get(url, {"woche": week})


def test_notice_sheet_shows_the_weeks_plan_rules_contact_and_qr(client, office, now, booker):
    room = make_room(name="Saal", house_rules="Bitte die Stühle hochstellen.")
    _book(room, booker, date(2026, 12, 7), (18, 0), (20, 0), title="Chorprobe", show_title=True)
    _book(room, booker, date(2026, 12, 12), (15, 0), (19, 0), title="Geburtstag von Petra")
    _book(room, booker, date(2026, 12, 14), (18, 0), (20, 0), title="Adventssingen", show_title=True)
    make_closure(room=room, starts_at=local(date(2026, 12, 10), 0), ends_at=local(date(2026, 12, 11), 0))
    html = _notice(client, room).content.decode()
    assert "Kalenderwoche 50: 07.12.–13.12.2026" in html
    assert "Chorprobe" in html and "15:00–19:00" in html and "belegt" in html
    assert "Geburtstag" not in html and "Adventssingen" not in html
    assert "ganztägig" in html and "geschlossen: Renovierung" in html
    assert "Bitte die Stühle hochstellen." in html and "0231 123 456 0" in html
    assert '<svg role="img"' in html
    assert "?woche=2026-W49" in html and "?woche=2026-W51" in html


def test_notice_sheet_for_a_malformed_week_shows_this_week(client, office, now, booker):
    room = make_room()
    _book(room, booker, WEDNESDAY, (18, 0), (20, 0), title="Diese Woche", show_title=True)
    assert "Diese Woche" in _notice(client, room, week="2026-W99").content.decode()
    assert "Diese Woche" in _notice(client, room, week="kaputt").content.decode()


def test_notice_sheet_pdf_holds_the_weeks_bookings_on_one_a4_page(client, office, now, booker):
    room = make_room(name="Saal")
    _book(room, booker, date(2026, 12, 8), (18, 0), (20, 0), title="Chorprobe", show_title=True)
    _book(room, booker, date(2026, 12, 12), (15, 0), (19, 0), title="Geburtstag von Petra")
    _book(room, booker, date(2026, 12, 13), (11, 0), (12, 0), title="Anfrage", status=Booking.Status.REQUESTED)
    response = _notice(client, room, suffix="pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="aushang-' in response["Content-Disposition"]
    pdf = pypdfium2.PdfDocument(response.content)
    assert len(pdf) == 1
    width, height = pdf[0].get_size()
    assert (round(width), round(height)) == (595, 842)  # A4 in points
    text = pdf[0].get_textpage().get_text_range()
    for expected in ("Saal", "Chorprobe", "18:00–20:00", "15:00–19:00", "belegt", "vorgemerkt", "0231 123 456 0"):
        assert expected in text
    assert "Petra" not in text


def test_week_view_shows_held_requests_and_closures_as_such(client, office, now, booker):
    room = make_room()
    _book(room, booker, date(2026, 12, 10), (16, 0), (17, 0), title="Geheimtreffen", status=Booking.Status.REQUESTED)
    make_closure(room=room, starts_at=local(date(2026, 12, 11), 8), ends_at=local(date(2026, 12, 11), 12))
    html = client.get(reverse("rooms:detail", args=[room.slug]), {"week": "2026-12-07"}).content.decode()
    assert 'class="cell cell--held">belegt (vorgemerkt), 16:00–17:00' in html
    assert 'class="cell cell--closed">geschlossen: Renovierung' in html
    assert "Geheimtreffen" not in html
    assert "vorgemerkt (eine Anfrage" in html and "</span> geschlossen</li>" in html  # the legend


def test_iso_week_parameter_across_the_year_end():
    from rooms.calendar import iso_week, iso_week_start

    today = date(2026, 12, 9)
    assert iso_week_start("2026-W53", today) == date(2026, 12, 28)
    assert iso_week_start("2027-W1", today) == date(2027, 1, 4)
    assert iso_week(date(2027, 1, 1)) == "2026-W53"
    assert iso_week_start(None, today) == date(2026, 12, 7)


def test_door_sign_shows_a_hold_for_the_waiting_list_apart_from_a_request(client, office, now, booker):
    room = make_room()
    _book(room, booker, WEDNESDAY, (14, 0), (15, 0), title="Antrag", status=Booking.Status.REQUESTED)
    _book(room, booker, WEDNESDAY, (16, 0), (17, 0), title="Angebot", status=Booking.Status.OFFERED)
    make_closure(room=room, starts_at=local(WEDNESDAY, 19), ends_at=local(WEDNESDAY, 21), reason="Reinigung")
    later = _today(client, room).split('id="later-title"', 1)[1]
    assert "14:00–15:00" in later and "vorgemerkt" in later
    assert "16:00–17:00" in later and "für die Warteliste reserviert" in later
    assert "Reinigung" in later
    assert "Angebot" not in later and "Antrag" not in later


def test_a_download_keeps_its_name_in_any_script(client, office, now):
    """File names come from translated words; a name in another script is sent as RFC 6266 ``filename*`` (a raw
    non-ASCII header is mangled by the browser and the name lost)."""
    from urllib.parse import unquote

    from django.http import HttpResponse
    from django.utils import translation
    from django.utils.translation import gettext

    from quartier.exports import as_download

    room = make_room(name="Saal")
    client.cookies["django_language"] = "uk"
    header = _notice(client, room, suffix="pdf")["Content-Disposition"]
    with translation.override("uk"):
        name = f"{gettext('notice')}-{room.slug}-2026-W50.pdf"
    assert header.startswith("attachment; filename") and name in unquote(header)
    cyrillic = as_download(HttpResponse(), "оголошення-saal.pdf")["Content-Disposition"]
    assert (
        cyrillic
        == "attachment; filename*=utf-8''" + "%D0%BE%D0%B3%D0%BE%D0%BB%D0%BE%D1%88%D0%B5%D0%BD%D0%BD%D1%8F-saal.pdf"
    )
    assert unquote(cyrillic.split("''", 1)[1]) == "оголошення-saal.pdf"
