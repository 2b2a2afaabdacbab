"""Cached fragments of the busiest pages (quartier/caching.py): served from the cache while nothing changed,
fresh as soon as the data behind them changes, and never shared between views that differ."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Registration
from initiatives.models import Initiative
from rooms import services
from rooms.models import Equipment

from ..events.factories import make_event
from ..initiatives.factories import make_initiative
from ..rooms.factories import booking_data, days_ahead, local, make_closure, make_room

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fragments_on(settings):
    settings.FRAGMENT_CACHE_SECONDS = 60


def test_a_second_visit_renders_the_room_list_from_the_cache(client, office, django_assert_num_queries):
    make_room(name="Großer Saal")
    assert "Großer Saal" in client.get(reverse("rooms:list")).content.decode()
    with django_assert_num_queries(0):
        assert "Großer Saal" in client.get(reverse("rooms:list")).content.decode()


def test_a_booking_shows_on_the_room_page_at_once(client, office, resident, django_capture_on_commit_callbacks):
    room = make_room()
    day = days_ahead(5)
    url = reverse("rooms:detail", args=[room.slug]) + f"?week={day.isoformat()}"
    before = client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.book_room(
            room=room, booked_by=resident, starts_at=local(day, 18), ends_at=local(day, 20), **booking_data()
        )
    after = client.get(url).content.decode()
    assert after != before  # the slot is busy now


def test_an_edited_event_shows_in_the_list_at_once(client, office):
    event = make_event(title="Hoffest")
    assert "Hoffest" in client.get(reverse("events:list")).content.decode()
    event.title = "Sommerfest"
    event.save()
    page = client.get(reverse("events:list")).content.decode()
    assert "Sommerfest" in page and "Hoffest" not in page


def test_hiding_an_initiative_by_a_bulk_update_removes_it_from_the_directory(client, office):
    from quartier.caching import content_changed

    make_initiative(name="Nachbarschaftsgarten")
    assert "Nachbarschaftsgarten" in client.get(reverse("initiatives:list")).content.decode()
    Initiative.objects.update(is_hidden=True)
    content_changed(app_label="initiatives")  # as the admin actions do after update()
    assert "Nachbarschaftsgarten" not in client.get(reverse("initiatives:list")).content.decode()


def test_languages_and_staff_get_fragments_of_their_own(client, office, staff):
    make_room(name="Saal", min_notice_hours=240)
    url = reverse("rooms:list") + f"?date={days_ahead(2).isoformat()}&start=18:00&end=20:00"
    resident_view = client.get(url).content.decode()
    english = client.get(url, headers={"accept-language": "en"}, HTTP_COOKIE="django_language=en")
    assert english.content.decode() != resident_view
    client.force_login(staff)  # the notice rule does not apply to staff: the room is free for them
    assert client.get(url).content.decode().count("badge--free") > resident_view.count("badge--free")


def _queries(client, url: str) -> int:
    """How many queries a visit costs: a fragment from the cache costs none of its own."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_a_booking_leaves_the_other_rooms_pages_and_the_home_page_in_the_cache(
    client, office, resident, django_capture_on_commit_callbacks
):
    hall, kitchen = make_room(name="Saal"), make_room(name="Küche")
    day = days_ahead(5)
    week = f"?week={day.isoformat()}"
    hall_page, kitchen_page = (reverse("rooms:detail", args=[room.slug]) + week for room in (hall, kitchen))
    pages = ["/", kitchen_page, hall_page, reverse("rooms:list")]
    for url in pages:
        client.get(url)
    cached = {url: _queries(client, url) for url in pages}
    hall_before = client.get(hall_page).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.book_room(
            room=hall, booked_by=resident, starts_at=local(day, 18), ends_at=local(day, 20), **booking_data()
        )
    assert _queries(client, "/") == cached["/"]
    assert _queries(client, kitchen_page) == cached[kitchen_page]
    assert _queries(client, reverse("rooms:list")) > cached[reverse("rooms:list")]  # every room's free slots
    assert client.get(hall_page).content.decode() != hall_before  # the booked time is busy now


def test_a_closure_of_a_location_shows_on_the_page_of_each_of_its_rooms(client, office):
    hall = make_room(name="Saal")
    kitchen = make_room(name="Küche", location=hall.location)
    day = days_ahead(5)
    kitchen_page = reverse("rooms:detail", args=[kitchen.slug]) + f"?week={day.isoformat()}"
    before = client.get(kitchen_page).content.decode()
    make_closure(location=hall.location, starts_at=local(day, 8), ends_at=local(day, 22))
    assert client.get(kitchen_page).content.decode() != before
    cached = _queries(client, kitchen_page)
    make_closure(room=hall, starts_at=local(day + timedelta(days=1), 8), ends_at=local(day + timedelta(days=1), 22))
    assert _queries(client, kitchen_page) == cached  # a closure of the hall alone: the kitchen's page stays


def test_a_registration_renews_the_event_list_but_not_the_decisions(client, office, resident):
    event = make_event(title="Hoffest", capacity=10)
    pages = [reverse("events:list"), reverse("events:decisions")]
    for url in pages:
        client.get(url)
    cached = {url: _queries(client, url) for url in pages}
    Registration.objects.create(event=event, user=resident)
    assert _queries(client, reverse("events:decisions")) == cached[reverse("events:decisions")]
    assert _queries(client, reverse("events:list")) > cached[reverse("events:list")]  # the places left


def test_a_write_of_a_model_that_names_no_topics_renews_every_page_of_its_app(client, office):
    hall = make_room(name="Saal")
    page = reverse("rooms:detail", args=[hall.slug])
    client.get(page)
    cached = _queries(client, page)
    Equipment.objects.create(name="Beamer", slug="beamer")  # no cache_topics: the whole app
    assert _queries(client, page) > cached


def test_the_fund_page_comes_from_the_cache_until_the_fund_changes(client, office):
    from ..fund.factories import make_call, make_fund

    fund = make_fund(name="Quartiersfonds Nordstadt")
    make_call(fund=fund, title="Frühjahrsaufruf")
    url = reverse("fund:home")
    assert "Frühjahrsaufruf" in client.get(url).content.decode()
    assert _queries(client, url) == 0
    make_call(fund=fund, title="Herbstaufruf")  # a write of the fund app: the next visit renders anew
    page = client.get(url).content.decode()
    assert "Frühjahrsaufruf" in page and "Herbstaufruf" in page


def test_the_fund_pages_links_for_the_visitor_stay_out_of_the_cached_fragment(client, office, resident):
    from ..fund.factories import make_call

    make_call(title="Frühjahrsaufruf")
    url = reverse("fund:home")
    assert reverse("fund:my_applications") not in client.get(url).content.decode()
    client.force_login(resident)
    page = client.get(url).content.decode()
    assert "Frühjahrsaufruf" in page and reverse("fund:my_applications") in page


def test_a_room_page_from_the_cache_reads_only_the_rooms_id_house_and_name(client, office):
    room = make_room(name="Werkstatt", description="Eine lange Beschreibung des Raums.")
    url = reverse("rooms:detail", args=[room.slug])
    assert "Eine lange Beschreibung" in client.get(url).content.decode()  # rendered: the whole room
    with CaptureQueriesContext(connection) as queries:
        page = client.get(url).content.decode()
    assert "Werkstatt" in page and "Eine lange Beschreibung" in page  # the title outside, the text from the cache
    assert len(queries) == 1 and "description" not in queries[0]["sql"] and "rooms_location" not in queries[0]["sql"]
