"""Initiatives in a real browser: axe and Nu clean on every page in German and English."""

import pytest
from django.urls import reverse
from django.utils import timezone

from initiatives.models import Invitation, JoinRequest, Offer, OfferResponse, Project, ProjectNews, Topic

from ..browser import axe_check, nu_check
from ..factories import PASSWORD, make_user, totp_code
from .factories import make_initiative, make_membership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_initiatives_page_is_accessible_and_valid(page, live_server, tmp_path, office, language):
    lead = make_user(email=f"lead-{language}@example.org", language=language)
    initiative = make_initiative(
        name="Nordstadtliga", description="Straßenfußball.\nSamstags.", website="https://example.org"
    )
    initiative.topics.add(Topic.objects.create(name="Sport", slug="sport"))
    make_membership(initiative=initiative, user=lead, role="lead")
    make_membership(initiative=initiative, user=make_user(display_name="Ali"))
    JoinRequest.objects.create(initiative=initiative, user=make_user(display_name="Sara"), message="Hallo!")
    Invitation.objects.create(initiative=initiative, email="eingeladen@example.org", invited_by=lead)
    other = make_initiative(name="Schreibwerkstatt")
    project = Project.objects.create(
        initiative=initiative, title="Fairness-Cup", slug="cup", summary="Turnier", helpers_wanted=True
    )
    ProjectNews.objects.create(project=project, text="Anmeldung offen")
    offer = Offer.objects.create(
        initiative=initiative,
        title="Trainer gesucht",
        description="U12",
        when="samstags",
        time_needed="2 h",
        until=timezone.localdate() + timezone.timedelta(days=9),
        allowance="trainer",
    )
    OfferResponse.objects.create(offer=offer, user=make_user(display_name="Tom"), message="Gern!")
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    documents = {}

    def check(label):
        assert page.locator("html").get_attribute("lang") == language
        axe_check(page, context=f"{label} [{language}]")
        documents[f"{label} [{language}]"] = page.content()

    for label, url in {
        "directory (anonymous)": reverse("initiatives:list"),
        "initiative (anonymous)": other.get_absolute_url(),
        "contact": reverse("initiatives:contact", args=[other.slug]),
    }.items():
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
        "volunteering": reverse("initiatives:volunteering") + "?allowance=trainer",
        "offer as lead": offer.get_absolute_url(),
        "offer form": reverse("initiatives:offer_create", args=[initiative.slug]),
        "report": reverse("initiatives:report", args=[other.slug]),
        "new event of the initiative": reverse("events:create") + f"?initiative={initiative.pk}",
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


def test_register_verify_post_project_and_offer_then_a_resident_joins_in(browser, live_server, office):
    from initiatives.models import Initiative

    from ..factories import make_staff

    founder = make_user(email="gruenderin@example.org")
    staff = make_staff(email="buero-test@example.org")
    helper = make_user(email="helferin@example.org")

    def session(user):
        context = browser.new_context(base_url=live_server.url, locale="de-DE")
        page = context.new_page()
        page.goto(reverse("account_login"))
        page.fill("#id_login", user.email)
        page.fill("#id_password", PASSWORD)
        with page.expect_navigation():
            page.keyboard.press("Enter")
        if user.is_staff:  # staff log in with the code of their authenticator app as well
            page.fill("#id_code", totp_code())
            with page.expect_navigation():
                page.keyboard.press("Enter")
        return context, page

    context, page = session(founder)
    page.goto(reverse("initiatives:create"))
    page.fill("#id_name", "Gemeinschaftsgarten Hafen")
    page.fill("#id_short_description", "Wir gärtnern zusammen am Hafen.")
    page.fill("#id_contact_email", "garten@example.org")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    initiative = Initiative.objects.get(name="Gemeinschaftsgarten Hafen")
    assert not initiative.is_verified

    staff_context, staff_page = session(staff)
    staff_page.goto(reverse("admin:initiatives_initiative_changelist"))
    staff_page.check(f"input[name=_selected_action][value='{initiative.pk}']")
    staff_page.select_option("select[name=action]", "verify")
    with staff_page.expect_navigation():
        staff_page.locator("button[name=index], input[name=index], .actions button").first.click()
    initiative.refresh_from_db()
    assert initiative.is_verified
    staff_context.close()

    page.goto(reverse("initiatives:project_create", args=[initiative.slug]))
    page.fill("#id_title", "Hochbeete bauen")
    page.fill("#id_summary", "Wir bauen zehn Hochbeete.")
    page.check("#id_helpers_wanted")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.goto(reverse("initiatives:offer_create", args=[initiative.slug]))
    page.fill("#id_title", "Beete gießen")
    page.fill("#id_description", "Im Sommer abends gießen.")
    page.fill("#id_when", "abends")
    page.fill("#id_time_needed", "1 Stunde pro Woche")
    page.fill("#id_until", (timezone.localdate() + timezone.timedelta(days=30)).isoformat())
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    context.close()

    helper_context, helper_page = session(helper)
    helper_page.goto(reverse("initiatives:volunteering"))
    helper_page.get_by_role("link", name="Beete gießen").click()
    helper_page.fill("#id_message", "Ich wohne nebenan.")
    with helper_page.expect_navigation():
        helper_page.get_by_role("button", name="Ich mache mit").click()
    helper_page.goto(reverse("initiatives:my_initiatives"))
    assert "Beete gießen" in helper_page.locator("main").inner_text()
    assert "wartet auf Antwort" in helper_page.locator("main").inner_text()
    helper_context.close()
