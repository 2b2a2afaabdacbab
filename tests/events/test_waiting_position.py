"""Issue 13 point 13: a person on the waiting list sees her place in it (event page, My registrations, mail)."""

import re

import pytest
from django.urls import reverse

from events import services
from events.models import Registration

from ..factories import make_user
from .factories import make_event

pytestmark = pytest.mark.django_db


def _queue():
    event = make_event(title="Hoffest", registration_required=True, capacity=1)
    people = [make_user(email=f"p{n}@example.org", display_name=f"P{n}") for n in range(4)]
    registrations = [services.register(event=event, user=person) for person in people]
    return event, people, registrations


def test_the_event_page_and_my_registrations_show_the_place_in_the_waiting_list(client, office, mailoutbox):
    event, people, registrations = _queue()
    assert [r.status for r in registrations] == ["registered", "waiting", "waiting", "waiting"]
    client.force_login(people[2])
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Sie stehen auf der Warteliste, auf Platz 2." in page
    mine = client.get(reverse("events:my_registrations")).content.decode()
    assert re.search(r"auf der Warteliste\s*\(Platz 2\)", mine)
    assert "auf Platz 3" in mailoutbox[-1].body  # the last one was told her place

    services.cancel_registration(registration=registrations[1], by=people[1])  # one ahead of her leaves
    assert "auf Platz 1." in client.get(event.get_absolute_url()).content.decode()
    services.cancel_registration(registration=registrations[0], by=people[0])  # she moves up
    page = client.get(event.get_absolute_url()).content.decode()
    assert "Sie sind angemeldet." in page and "Platz" not in page.split("registration-title", 1)[1][:400]


def test_the_annotated_place_is_the_counted_one_in_few_queries(office, django_assert_max_num_queries):
    event, people, registrations = _queue()
    with django_assert_max_num_queries(1):
        positions = {r.pk: r.waiting_position for r in Registration.objects.with_waiting_position()}
    for registration in registrations:
        registration.refresh_from_db()
        assert positions[registration.pk] == registration.get_waiting_position()
    assert [positions[r.pk] for r in registrations] == [None, 1, 2, 3]


def test_my_registrations_stays_at_a_bounded_number_of_queries(client, office, django_assert_max_num_queries):
    person = make_user()
    for _n in range(5):
        event = make_event(registration_required=True, capacity=1)
        services.register(event=event, user=make_user())
        services.register(event=event, user=person)
    client.force_login(person)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("events:my_registrations")).content.decode()
    assert html.count("(Platz 1)") == 5
