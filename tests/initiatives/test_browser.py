"""Initiatives in a real browser: axe and Nu clean on every page in German and English."""

import pytest
from django.urls import reverse
from django.utils import timezone

from initiatives.models import JoinRequest, Offer, OfferResponse, Project, ProjectNews, Topic

from ..browser import axe_check, nu_check
from ..factories import PASSWORD, make_user
from .factories import make_initiative, make_membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_initiatives_page_is_accessible_and_valid(page, live_server, tmp_path, office, language):
    lead = make_user(email=f"lead-{language}@example.org", language=language)
    initiative = make_initiative(name="Nordstadtliga", description="Straßenfußball.\nSamstags.", website="https://example.org")
    initiative.topics.add(Topic.objects.create(name="Sport", slug="sport"))
    make_membership(initiative=initiative, user=lead, role="lead")
    make_membership(initiative=initiative, user=make_user(display_name="Ali"))
    JoinRequest.objects.create(initiative=initiative, user=make_user(display_name="Sara"), message="Hallo!")
    other = make_initiative(name="Schreibwerkstatt")
    project = Project.objects.create(initiative=initiative, title="Fairness-Cup", slug="cup", summary="Turnier",
                                     helpers_wanted=True)
    ProjectNews.objects.create(project=project, text="Anmeldung offen")
    offer = Offer.objects.create(initiative=initiative, title="Trainer gesucht", description="U12", when="samstags",
                                 time_needed="2 h", until=timezone.localdate() + timezone.timedelta(days=9),
                                 allowance="uebungsleiter")
    OfferResponse.objects.create(offer=offer, user=make_user(display_name="Tom"), message="Gern!")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    documents = {}

    def check(label):
        assert page.locator("html").get_attribute("lang") == language
        axe_check(page, context=f"{label} [{language}]")
        documents[f"{label} [{language}]"] = page.content()

    for label, url in {"directory (anonymous)": reverse("initiatives:list"),
                       "initiative (anonymous)": other.get_absolute_url(),
                       "contact": reverse("initiatives:contact", args=[other.slug])}.items():
        page.goto(url)
        check(label)
    page.goto(reverse("account_login"))
    page.fill("#id_login", lead.email)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    for label, url in {
        "directory": reverse("initiatives:list") + "?q=liga&topic=sport",
        "initiative as lead": initiative.get_absolute_url(),
        "initiative to join": other.get_absolute_url(),
        "edit": reverse("initiatives:edit", args=[initiative.slug]),
        "members": reverse("initiatives:members", args=[initiative.slug]),
        "register": reverse("initiatives:create"),
        "my initiatives": reverse("initiatives:my_initiatives"),
        "invitation": reverse("initiatives:invitation", args=["x"]),
        "project": project.get_absolute_url(),
        "project form": reverse("initiatives:project_edit", args=[initiative.slug, project.slug]),
        "volunteering": reverse("initiatives:volunteering") + "?allowance=uebungsleiter",
        "offer as lead": offer.get_absolute_url(),
        "offer form": reverse("initiatives:offer_create", args=[initiative.slug]),
        "report": reverse("initiatives:report", args=[other.slug]),
    }.items():
        page.goto(url)
        check(label)
    page.goto(reverse("initiatives:create"))
    page.fill("#id_name", "Neue Gruppe")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    assert page.locator(".form-errors").is_visible()
    check("register with errors")
    assert page.problems.console_errors == []
    nu_check(documents, tmp_path)
