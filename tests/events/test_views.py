"""Events pages through the HTTP layer."""

import re
from datetime import timedelta

import pytest
from django.test import Client
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


def test_the_list_pages_through_every_upcoming_event_in_start_order(client, office):
    now = timezone.now()
    for n in range(23):
        make_event(title=f"Treffen {n:02d}", starts_at=now + timedelta(days=25 - n))
    make_event(title="Vorbei 1", starts_at=now - timedelta(days=3))

    def titles(**query):
        html = client.get(reverse("events:list"), query).content.decode()
        return re.findall(r"Treffen \d\d|Vorbei \d", html)

    first, second = titles(), titles(page=2)
    assert first == [f"Treffen {n:02d}" for n in range(22, 2, -1)]  # the soonest first, twenty a page
    assert second == ["Treffen 02", "Treffen 01", "Treffen 00"]
    assert titles(page=99) == second and titles(page="x") == first  # out of range: the last; not a number: the first
    assert titles(archiv=1) == ["Vorbei 1"]
    make_event(title="Treffen 99", starts_at=now + timedelta(hours=2))  # seen at once, on the first page
    assert titles()[0] == "Treffen 99" and titles(page=2)[-1] == "Treffen 00"


def test_list_filters_by_category_and_dates(client, office):
    sport = Category.objects.create(name="Sport", slug="sport")
    make_event(title="Fußball", category=sport)
    make_event(title="Lesung", starts_at=timezone.now() + timedelta(days=40))
    html = client.get(reverse("events:list"), {"category": "sport"}).content.decode()
    assert "Fußball" in html and "Lesung" not in html
    later = (timezone.localdate() + timedelta(days=30)).isoformat()
    html = client.get(reverse("events:list"), {"date_from": later}).content.decode()
    assert "Lesung" in html and "Fußball" not in html


def test_event_cards_escape_titles_and_show_places_only_for_upcoming_events(client, office, resident):
    """The cards (written in Python: events/templatetags/event_cards.py) escape what leads typed, show the
    category and the local start time, and say whether places are free: not in the archive."""
    from events.models import Registration

    games = Category.objects.create(name="<Spiel> & Sport", slug="spiel")
    start = timezone.now() + timedelta(days=3)
    make_event(title='<i>Fest</i> & "Tanz"', category=games, capacity=5, starts_at=start)
    full = make_event(title="Voll", capacity=1)
    Registration.objects.create(event=full, user=resident)
    make_event(title="Vorbei", capacity=5, starts_at=timezone.now() - timedelta(days=3))
    html = client.get(reverse("events:list")).content.decode()
    assert "<i>Fest" not in html
    fest = html.split("&lt;i&gt;Fest&lt;/i&gt; &amp; &quot;Tanz&quot;</a></h2>")[1].split("</li>")[0]
    assert f'<time datetime="{timezone.localtime(start):%Y-%m-%dT%H:%M:%S%z}">' in fest
    assert " · &lt;Spiel&gt; &amp; Sport</p>" in fest and 'class="badge badge--open">Plätze frei</p>' in fest
    voll = html.split(">Voll</a></h2>")[1].split("</li>")[0]
    assert 'class="badge badge--full">Ausgebucht: Warteliste</p>' in voll
    archive = client.get(reverse("events:list"), {"archiv": "1"}).content.decode()
    assert ">Vorbei</a></h2>" in archive and "badge" not in archive.split(">Vorbei</a></h2>")[1].split("</li>")[0]


@pytest.mark.parametrize(
    "query",
    [
        {"category": "gibt-es-nicht"},
        {"date_from": "kaputt"},
        {"date_from": "2027-05-01", "date_to": "2027-01-01"},
        {"page": "999"},
        {"date_from": "0001-01-01"},
    ],
)
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


def test_my_registrations_escape_titles_and_give_the_place_in_line(client, office, resident, initiative_lead):
    """The list of "My registrations" (written in Python: events/templatetags/event_cards.py): the event's title
    escaped, the place on the waiting list, a cancel link per registration naming the event."""
    from events import services

    full = make_event(title='<b>Voll</b> & "mehr"', capacity=1)
    services.register(event=full, user=initiative_lead)
    waiting = services.register(event=full, user=resident)
    client.force_login(resident)
    html = client.get(reverse("events:my_registrations"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    shown = "&lt;b&gt;Voll&lt;/b&gt; &amp; &quot;mehr&quot;"
    assert "<b>Voll" not in html
    assert f'<a href="{full.get_absolute_url()}">{shown}</a>, ' in html
    assert ": on the waiting list (place 1)" in html
    cancel = reverse("events:registration_cancel", args=[waiting.pk])
    assert f'<a href="{cancel}">Cancel<span class="visually-hidden">: {shown}</span></a>' in html


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


def _event_post(day, **overrides):
    data = {
        "title": "Gartentag",
        "description": "Wir pflanzen.",
        "place": "address",
        "address": "Hafen 1",
        "date": day.isoformat(),
        "start": "10:00",
        "end": "12:00",
        "max_companions": "2",
        "registration_required": "on",
    }
    data.update(overrides)
    return data


def test_lead_creates_and_edits_an_event_of_the_initiative(client, office, initiative_lead):
    from events.models import Event

    from ..initiatives.factories import make_initiative, make_membership
    from ..rooms.factories import days_ahead

    initiative = make_initiative(name="Garten")
    make_membership(initiative=initiative, user=initiative_lead, role="lead")
    client.force_login(initiative_lead)
    response = client.post(reverse("events:create"), _event_post(days_ahead(10), initiative=initiative.pk))
    event = Event.objects.get()
    assert response["Location"] == event.get_absolute_url()
    assert event.initiative == initiative
    client.post(
        reverse("events:edit", args=[event.slug]),
        _event_post(days_ahead(11), initiative=initiative.pk, title="Gartentag 2"),
    )
    event.refresh_from_db()
    assert event.title == "Gartentag 2" and event.sequence == 1
    feed = client.get(reverse("events:initiative_feed", args=[initiative.slug])).content.decode()
    assert "Gartentag 2" in feed
    assert "Gartentag 2" in client.get(initiative.get_absolute_url()).content.decode()


def test_lead_of_another_initiative_and_residents_cannot_create_or_edit(client, office, initiative_lead, resident):
    from events.models import Event

    from ..initiatives.factories import make_initiative, make_membership
    from ..rooms.factories import days_ahead

    mine, theirs = make_initiative(), make_initiative()
    make_membership(initiative=mine, user=initiative_lead, role="lead")
    event = make_event(initiative=theirs)
    client.force_login(initiative_lead)
    assert client.get(reverse("events:edit", args=[event.slug])).status_code == 404
    response = client.post(reverse("events:create"), _event_post(days_ahead(10), initiative=theirs.pk))
    assert response.status_code == 200 and Event.objects.count() == 1
    client.force_login(resident)
    assert client.get(reverse("events:create")).status_code == 404


def test_lead_event_in_a_taken_room_is_refused_with_the_rooms_message(client, office, initiative_lead, resident):
    from events.models import Event

    from ..initiatives.factories import make_initiative, make_membership
    from ..rooms.factories import days_ahead, local, make_booking, make_room

    initiative = make_initiative()
    make_membership(initiative=initiative, user=initiative_lead, role="lead")
    room = make_room()
    day = days_ahead(10)
    make_booking(room=room, booked_by=resident, starts_at=local(day, 10), ends_at=local(day, 12))
    client.force_login(initiative_lead)
    response = client.post(
        reverse("events:create"), _event_post(day, initiative=initiative.pk, place="room", room=room.pk)
    )
    assert response.status_code == 200
    assert "bereits gebucht" in response.content.decode()
    assert not Event.objects.exists()


def _public_pages(client, event) -> dict:
    month = timezone.localtime(event.starts_at).strftime("%Y-%m")
    return {
        "list": client.get(reverse("events:list")).content.decode(),
        "month": client.get(reverse("events:month") + f"?monat={month}").content.decode(),
        "feed": client.get(reverse("events:feed")).content.decode(),
        "home": client.get(reverse("home")).content.decode(),
    }


@pytest.mark.parametrize("state", [{"is_verified": False}, {"is_hidden": True}])
def test_events_of_unverified_or_hidden_initiatives_are_on_no_public_page(client, office, state):
    """Issue 12 point 7: only the office's events and those of verified, visible initiatives are public."""
    from ..initiatives.factories import make_initiative

    initiative = make_initiative(name="Schattenverein", **state)
    event = make_event(title="Schattenfest", initiative=initiative)
    make_event(title="Stadtteilfest")
    for page, html in _public_pages(client, event).items():
        assert "Schattenfest" not in html, page
        assert "Stadtteilfest" in html, page
    assert client.get(event.get_absolute_url()).status_code == 404
    assert client.get(reverse("events:ics", args=[event.slug])).status_code == 404
    assert client.get(reverse("events:register", args=[event.slug])).status_code in (302, 404)


def test_hiding_an_initiative_in_the_admin_unpublishes_its_events(client, office, staff):
    from ..initiatives.factories import make_initiative

    initiative = make_initiative(name="Hofverein")
    event = make_event(title="Hoffest", initiative=initiative)
    assert "Hoffest" in client.get(reverse("events:list")).content.decode()
    admin = Client()
    admin.force_login(staff)
    admin.post(
        reverse("admin:initiatives_initiative_changelist"),
        {"action": "hide", "_selected_action": [initiative.pk], "note": "Beschwerden"},
    )
    initiative.refresh_from_db()
    assert initiative.is_hidden
    for page, html in _public_pages(client, event).items():
        assert "Hoffest" not in html, page
    assert client.get(event.get_absolute_url()).status_code == 404


def test_a_lead_of_an_unverified_initiative_is_told_the_event_is_not_public_yet(client, office, initiative_lead):
    from events.models import Event

    from ..initiatives.factories import make_initiative, make_membership
    from ..rooms.factories import days_ahead

    initiative = make_initiative(is_verified=False)
    make_membership(initiative=initiative, user=initiative_lead, role="lead")
    client.force_login(initiative_lead)
    response = client.post(reverse("events:create"), _event_post(days_ahead(10), initiative=initiative.pk), follow=True)
    event = Event.objects.get()
    assert response.redirect_chain[-1][0] == reverse("events:edit", args=[event.slug])
    assert "noch nicht öffentlich" in response.content.decode()
