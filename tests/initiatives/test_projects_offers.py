"""Projects with news and followers, reports, and the volunteering board (Mitmachen)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from initiatives import services
from initiatives.models import Follow, Offer, OfferResponse, Project, Report

from ..factories import make_user
from .factories import make_initiative, make_membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def led(initiative_lead):
    initiative = make_initiative(name="Nordstadtliga")
    make_membership(initiative=initiative, user=initiative_lead, role="lead")
    return initiative


def _offer(initiative, **fields):
    fields.setdefault("until", timezone.localdate() + timedelta(days=30))
    fields.setdefault("title", "Trainer gesucht")
    return Offer.objects.create(initiative=initiative, description="x", when="samstags", time_needed="2 h", **fields)


def test_lead_creates_a_project_and_followers_get_news(
    client, office, led, initiative_lead, resident, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(initiative_lead)
    client.post(
        reverse("initiatives:project_create", args=[led.slug]),
        {"title": "Fairness-Cup", "summary": "Faires Turnier", "status": "planned"},
    )
    project = Project.objects.get()
    client.force_login(resident)
    client.post(reverse("initiatives:project_follow", args=[led.slug, project.slug]))
    assert Follow.objects.filter(user=resident, project=project).exists()
    client.force_login(initiative_lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("initiatives:project_news", args=[led.slug, project.slug]), {"text": "Anmeldung offen!"})
    assert [m.to for m in mailoutbox] == [["resident@example.org"]]
    assert "Anmeldung offen!" in mailoutbox[0].body
    assert "Anmeldung offen!" in client.get(project.get_absolute_url()).content.decode()


def test_follow_toggles(client, office, led, resident):
    client.force_login(resident)
    url = reverse("initiatives:follow", args=[led.slug])
    client.post(url)
    assert Follow.objects.filter(user=resident, initiative=led).exists()
    client.post(url)
    assert not Follow.objects.filter(user=resident).exists()


def test_project_dates_and_bad_input_are_refused(client, office, led, initiative_lead):
    client.force_login(initiative_lead)
    response = client.post(
        reverse("initiatives:project_create", args=[led.slug]),
        {"title": "Turnier", "summary": "x", "status": "nix", "starts_on": "2027-05-01", "ends_on": "2027-01-01"},
    )
    assert response.status_code == 200 and not Project.objects.exists()
    assert 'value="Turnier"' in response.content.decode()


def test_only_leads_of_this_initiative_manage_projects_and_offers(client, office, led, resident, initiative_lead):
    other = make_initiative()
    project = services.save_project(project=Project(initiative=led, title="Cup", summary="x"), by=initiative_lead)
    client.force_login(resident)
    assert client.get(reverse("initiatives:project_create", args=[led.slug])).status_code == 404
    assert client.get(reverse("initiatives:project_edit", args=[led.slug, project.slug])).status_code == 404
    assert (
        client.post(reverse("initiatives:project_news", args=[led.slug, project.slug]), {"text": "fremd"}).status_code
        == 404
    )
    assert client.get(reverse("initiatives:offer_create", args=[led.slug])).status_code == 404
    client.force_login(initiative_lead)
    assert client.get(reverse("initiatives:project_create", args=[other.slug])).status_code == 404
    assert not project.news.exists()


def test_anyone_logged_in_reports_and_staff_hide_with_a_note(
    client, office, led, initiative_lead, resident, staff, mailoutbox
):
    project = services.save_project(project=Project(initiative=led, title="Cup", summary="x"), by=initiative_lead)
    client.force_login(resident)
    client.post(reverse("initiatives:project_report", args=[led.slug, project.slug]), {"reason": "Beleidigend"})
    assert Report.objects.get().project == project
    client.force_login(staff)
    client.post(
        reverse("admin:initiatives_project_changelist"),
        {"action": "hide", "_selected_action": [project.pk], "note": "Bitte Text ändern."},
    )
    project.refresh_from_db()
    assert project.is_hidden
    assert mailoutbox[-1].to == ["lead@example.org"] and "Bitte Text ändern." in mailoutbox[-1].body
    client.force_login(resident)
    assert client.get(project.get_absolute_url()).status_code == 404
    client.force_login(initiative_lead)
    assert "Bitte Text ändern." in client.get(project.get_absolute_url()).content.decode()


def test_volunteering_board_lists_open_offers_with_filters(client, office, led):
    _offer(led, title="Trainerin U12", allowance="trainer")
    _offer(led, title="Kuchen backen", allowance="none")
    _offer(led, title="Abgelaufen", until=timezone.localdate() - timedelta(days=1))
    _offer(led, title="Geschlossen", is_open=False)
    html = client.get(reverse("initiatives:volunteering")).content.decode()
    assert "Trainerin U12" in html and "Kuchen backen" in html
    assert "Abgelaufen" not in html and "Geschlossen" not in html
    filtered = client.get(reverse("initiatives:volunteering"), {"allowance": "trainer"}).content.decode()
    assert "Trainerin U12" in filtered and "Kuchen backen" not in filtered


def test_resident_answers_lead_accepts_resident_sees_state(client, office, led, initiative_lead, resident):
    offer = _offer(led)
    client.force_login(resident)
    client.post(offer.get_absolute_url(), {"message": "Ich kann samstags."})
    client.post(offer.get_absolute_url(), {"message": "Nochmal"})
    assert OfferResponse.objects.count() == 1
    client.force_login(initiative_lead)
    assert "Ich kann samstags." in client.get(offer.get_absolute_url()).content.decode()
    client.post(reverse("initiatives:decide_response", args=[OfferResponse.objects.get().pk]), {"decision": "accept"})
    client.force_login(resident)
    html = client.get(reverse("initiatives:my_initiatives")).content.decode()
    assert "Trainer gesucht" in html and "angenommen" in html


def test_other_people_do_not_see_the_answers(client, office, led, resident):
    offer = _offer(led)
    services.respond_to_offer(offer=offer, user=resident, message="Privat: meine Nummer 0171")
    client.force_login(make_user())
    assert "0171" not in client.get(offer.get_absolute_url()).content.decode()
    response = OfferResponse.objects.get()
    assert (
        client.post(reverse("initiatives:decide_response", args=[response.pk]), {"decision": "accept"}).status_code
        == 404
    )


@pytest.mark.parametrize("scale", [1, 10])
def test_volunteering_and_initiative_page_queries_do_not_grow(client, office, django_assert_max_num_queries, scale):
    initiative = make_initiative()
    for n in range(2 * scale):
        _offer(make_initiative(), title=f"Angebot {n}")
        _offer(initiative, title=f"Eigenes {n}")
        Project.objects.create(initiative=initiative, title=f"P{n}", slug=f"p{n}", summary="x")
    client.get("/")
    with django_assert_max_num_queries(6):
        client.get(reverse("initiatives:volunteering"))
    with django_assert_max_num_queries(12):
        client.get(initiative.get_absolute_url())
