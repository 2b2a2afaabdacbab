"""Event availability in one place (Event.places_left / is_full): nobody overtakes the waiting list."""

import pytest
from django.urls import reverse

from events import services
from events.models import Event, Registration

from ..factories import make_user
from .factories import make_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued():
    """4 places: 2 taken, and a group of 3 waiting (it does not fit in the 2 left over)."""
    event = make_event(capacity=4, max_companions=3, title="Stadtteilfrühstück")
    services.register(event=event, user=make_user(), companions=1)
    waiting = services.register(event=event, user=make_user(), companions=2)
    assert waiting.status == Registration.Status.WAITING
    return event


def test_places_left_count_the_registered_places():
    event = make_event(capacity=10)
    services.register(event=event, user=make_user(), companions=2)
    assert Event.objects.with_availability().get(pk=event.pk).places_left == 7
    assert not Event.objects.get(pk=event.pk).is_full  # without the annotation: counted


def test_an_event_without_a_limit_is_never_full():
    event = make_event(capacity=None)
    services.register(event=event, user=make_user(), companions=2)
    event = Event.objects.with_availability().get(pk=event.pk)
    assert event.places_left is None and not event.is_full


def test_while_someone_waits_no_place_is_left_for_a_newcomer(queued):
    for event in (Event.objects.with_availability().get(pk=queued.pk), Event.objects.get(pk=queued.pk)):
        assert event.places_left == 0
        assert event.is_full
    newcomer = services.register(event=queued, user=make_user())
    assert newcomer.status == Registration.Status.WAITING  # what the pages announce is what happens


def test_the_event_page_offers_the_waiting_list_while_someone_waits(client, office, queued):
    client.force_login(make_user())
    html = client.get(queued.get_absolute_url()).content.decode()
    assert "0 von 4 frei" in html and "1 Person wartet" in html
    assert "Auf die Warteliste" in html


def test_the_event_list_shows_full_while_someone_waits(client, office, queued):
    html = client.get(reverse("events:list")).content.decode()
    assert "Ausgebucht: Warteliste" in html and "Plätze frei" not in html
