"""Events pages through the HTTP layer."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Category, Registration

from .factories import make_event

pytestmark = pytest.mark.django_db


def test_list_shows_upcoming_and_the_archive_past(client, office):
    make_event(title="Kommt bald")
    make_event(title="War gestern", starts_at=timezone.now() - timedelta(days=1))
    upcoming = client.get(reverse("events:list")).content.decode()
    assert "Kommt bald" in upcoming and "War gestern" not in upcoming
    archive = client.get(reverse("events:list"), {"archiv": "1"}).content.decode()
    assert "War gestern" in archive and "Kommt bald" not in archive


def test_list_filters_by_category_and_dates(client, office):
    sport = Category.objects.create(name="Sport", slug="sport")
    make_event(title="Fußball", category=sport)
    make_event(title="Lesung", starts_at=timezone.now() + timedelta(days=40))
    html = client.get(reverse("events:list"), {"category": "sport"}).content.decode()
    assert "Fußball" in html and "Lesung" not in html
    later = (timezone.localdate() + timedelta(days=30)).isoformat()
    html = client.get(reverse("events:list"), {"date_from": later}).content.decode()
    assert "Lesung" in html and "Fußball" not in html


@pytest.mark.parametrize("query", [{"category": "gibt-es-nicht"}, {"date_from": "kaputt"},
                                   {"date_from": "2027-05-01", "date_to": "2027-01-01"}, {"page": "999"},
                                   {"date_from": "0001-01-01"}])
def test_bad_filters_give_messages_not_errors(client, office, query):
    make_event()
    assert client.get(reverse("events:list"), query).status_code == 200


def test_register_from_the_event_page(client, office, resident):
    event = make_event(capacity=10, max_companions=2)
    client.force_login(resident)
    response = client.post(reverse("events:register", args=[event.slug]), {"companions": "2"})
    assert response["Location"] == event.get_absolute_url()
    assert Registration.objects.get().places == 3
    html = client.get(event.get_absolute_url()).content.decode()
    assert "Sie sind angemeldet" in html
    assert "7 von 10 frei" in html


@pytest.mark.parametrize("companions", ["-1", "3", "viele", "9" * 40])
def test_bad_companions_are_refused_with_the_input_kept(client, office, resident, companions):
    event = make_event(capacity=10, max_companions=2)
    client.force_login(resident)
    response = client.post(reverse("events:register", args=[event.slug]), {"companions": companions})
    assert response.status_code == 200
    assert "Bitte prüfen Sie Ihre Eingaben" in response.content.decode()
    assert not Registration.objects.exists()


def test_anonymous_is_asked_to_log_in(client, office):
    event = make_event()
    assert "Einloggen, um sich anzumelden" in client.get(event.get_absolute_url()).content.decode()
    assert client.post(reverse("events:register", args=[event.slug]), {"companions": "0"}).status_code == 302
    assert not Registration.objects.exists()


def test_cancel_only_own_registration(client, office, resident, initiative_lead):
    from events import services

    event = make_event(capacity=5)
    registration = services.register(event=event, user=initiative_lead)
    client.force_login(resident)
    assert client.post(reverse("events:registration_cancel", args=[registration.pk])).status_code == 404
    client.force_login(initiative_lead)
    client.post(reverse("events:registration_cancel", args=[registration.pk]))
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_my_registrations_and_ics(client, office, resident):
    from events import services

    event = make_event(title="Frühstück", capacity=5)
    services.register(event=event, user=resident)
    client.force_login(resident)
    assert "Frühstück" in client.get(reverse("events:my_registrations")).content.decode()
    ics = client.get(reverse("events:ics", args=[event.slug])).content.decode()
    assert "SUMMARY:Frühstück" in ics
    feed = client.get(reverse("events:feed")).content.decode()
    assert "Frühstück" in feed and "resident@example.org" not in feed


def test_unpublished_event_is_not_found(client, office):
    event = make_event(is_published=False)
    assert client.get(event.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("scale", [1, 10])
def test_list_queries_do_not_grow(client, office, django_assert_max_num_queries, scale):
    from events import services

    from ..factories import make_user

    for _n in range(2 * scale):
        event = make_event(capacity=50)
        for _m in range(3):
            services.register(event=event, user=make_user())
    client.get("/")
    with django_assert_max_num_queries(6):
        assert client.get(reverse("events:list")).status_code == 200
