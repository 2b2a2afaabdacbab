"""Events in a real browser: every page passes axe and the Nu checker in German and English; a resident
registers with the keyboard."""

import pytest
from django.urls import reverse

from events import services
from events.mails import cancel_token
from events.models import AgendaItem, Conference, Decision, Registration

from ..browser import axe_check, nu_check
from ..factories import PASSWORD, make_user
from ..rooms.factories import days_ahead, local, make_room
from .factories import make_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page, email):
    page.goto(reverse("account_login"))
    page.fill("#id_login", email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_events_page_is_accessible_and_valid(page, live_server, tmp_path, office, language):
    user = make_user(email=f"events-{language}@example.org", language=language)
    room = make_room(name="Saal")
    in_room = make_event(title="Lesung", place="room", room=room, starts_at=local(days_ahead(9), 19), capacity=40)
    full = make_event(title="Frühstück", capacity=1, max_companions=1)
    services.register(event=full, user=make_user())
    waiting = services.register(event=full, user=user)
    make_event(title="Vorbei", starts_at=local(days_ahead(-5), 10))
    past_conf = Conference.objects.create(
        event=make_event(title="Konferenz Herbst", starts_at=local(days_ahead(-30), 18)),
        proposal_deadline=local(days_ahead(-40), 12),
        minutes="TOP 1: Begrüßung",
        minutes_published_at=local(days_ahead(-20), 12),
    )
    decision = Decision.objects.create(
        conference=past_conf,
        number=1,
        wording="Mehr Bänke",
        responsible="QM",
        votes_for=20,
        votes_against=1,
        votes_abstaining=2,
    )
    services.record_decision_update(decision=decision, status="in_progress", note="Angefragt.")
    next_conf = Conference.objects.create(
        event=make_event(title="Konferenz Winter", starts_at=local(days_ahead(30), 18)),
        proposal_deadline=local(days_ahead(20), 12),
    )
    AgendaItem.objects.create(conference=next_conf, number=1, title="Begrüßung")
    proposal = services.propose_topic(conference=next_conf, user=make_user(), title="Sommerfest", description="x")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    documents = {}

    def check(label):
        assert page.locator("html").get_attribute("lang") == language
        axe_check(page, context=f"{label} [{language}]")
        documents[f"{label} [{language}]"] = page.content()

    page.goto(reverse("events:list"))
    check("event list (anonymous)")
    page.goto(in_room.get_absolute_url())
    check("event page (anonymous)")
    _log_in(page, user.email)
    for label, url in {
        "event list": reverse("events:list"),
        "archive": reverse("events:list") + "?archiv=1",
        "filter errors": reverse("events:list") + "?date_from=2027-05-01&date_to=2027-01-01",
        "event page": in_room.get_absolute_url(),
        "event page waiting": full.get_absolute_url(),
        "registration form": reverse("events:register", args=[in_room.slug]),
        "cancel registration": reverse("events:registration_cancel", args=[waiting.pk]),
        "my registrations": reverse("events:my_registrations"),
        "month": reverse("events:month"),
        "conferences": reverse("events:conferences"),
        "conference upcoming": next_conf.get_absolute_url(),
        "conference past": past_conf.get_absolute_url(),
        "propose topic": reverse("events:conference_propose", args=[next_conf.event.slug]),
        "decisions": reverse("events:decisions") + "?status=in_progress",
        "cancel link": reverse("events:cancel_by_link", args=[cancel_token(waiting)]),
    }.items():
        page.goto(url)
        check(label)
    page.goto(in_room.get_absolute_url())
    page.fill("#id_companions", "9")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator(".form-errors").is_visible()
    check("registration with errors")
    page.goto(next_conf.get_absolute_url())
    with page.expect_navigation():
        page.get_by_role("button", name="Sommerfest").click()
    assert proposal.supports.count() == 1
    check("conference after support")
    assert page.problems.console_errors == []
    nu_check(documents, tmp_path)


def test_resident_registers_with_the_keyboard(page, live_server, office):
    user = make_user(email="tastatur-events@example.org")
    event = make_event(title="Street-Art-Tag", capacity=10, max_companions=3)
    _log_in(page, user.email)
    page.goto(event.get_absolute_url())
    page.locator("#id_companions").focus()
    page.keyboard.press("Control+A")
    page.keyboard.type("2")
    page.keyboard.press("Tab")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    registration = Registration.objects.get(user=user)
    assert (registration.status, registration.places) == ("registered", 3)
    assert "Sie sind angemeldet" in page.locator("main").inner_text()


def test_resident_lands_on_the_waiting_list_gets_promoted_and_proposes_a_topic(page, live_server, office):
    from django.utils import timezone

    user = make_user(email="warteliste@example.org")
    event = make_event(title="Lesung", capacity=1, max_companions=0)
    other = make_user()
    taken = services.register(event=event, user=other)
    conference = Conference.objects.create(
        event=make_event(title="Konferenz"), proposal_deadline=timezone.now() + timezone.timedelta(days=3)
    )
    _log_in(page, user.email)
    page.goto(event.get_absolute_url())
    with page.expect_navigation():
        page.get_by_role("button", name="Auf die Warteliste").click()
    assert "Warteliste" in page.locator(".messages").inner_text()
    services.cancel_registration(registration=taken, by=other)
    page.reload()
    assert "Sie sind angemeldet." in page.locator("main").inner_text()

    page.goto(conference.get_absolute_url())
    page.get_by_role("link", name="Thema vorschlagen").click()
    page.fill("#id_title", "Mehr Licht im Park")
    page.fill("#id_description", "Abends ist es zu dunkel.")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert "Mehr Licht im Park" in page.locator("main").inner_text()
    axe_check(page, context="conference after proposal")
