"""Cached fragments of the busiest pages (quartier/caching.py): served from the cache while nothing changed,
fresh as soon as the data behind them changes, and never shared between views that differ."""

import pytest
from django.urls import reverse

from initiatives.models import Initiative
from rooms import services

from ..events.factories import make_event
from ..initiatives.factories import make_initiative
from ..rooms.factories import booking_data, days_ahead, local, make_room

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
