"""In a real browser: a volunteer submits the declaration and downloads the statement; every page of the app is
clean under axe-core and the Nu HTML Checker, in German and English."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.initiatives.factories import make_initiative, make_membership
from volunteers.models import AllowanceType, Declaration

from ..browser import axe_check, nu_check
from ..factories import make_staff, make_user
from .factories import make_declaration, make_engagement, make_volunteer, pay

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

THIS_YEAR = timezone.localdate().year


def _log_in(page, live_server, user, language="de"):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": "django_language", "value": language, "url": live_server.url},
        ]
    )


def _world():
    staff = make_staff(email="buero@example.org")
    lead = make_user(email="leitung@example.org")
    club = make_initiative(is_nonprofit=True, slug="liga", name="Nordstadtliga")
    make_membership(initiative=club, user=lead, role="lead")
    resident = make_user(email="ehrenamt@example.org", display_name="Maria Kowalski")
    volunteer = make_volunteer(user=resident, name="Maria Kowalski")
    trainer = make_engagement(
        volunteer=volunteer, payer_initiative=club, activity="Training der U12", allowance_type=AllowanceType.TRAINER
    )
    make_engagement(volunteer=volunteer, activity="Kasse", allowance_type=AllowanceType.HONORARY)
    make_declaration(trainer, 2025, received_elsewhere="150.00")
    pay(trainer, "250.00", date(2025, 3, 1), staff)
    pay(trainer, "3000.00", date(2025, 4, 1), staff, book_excess_as_taxable=True, taxable_reason="vereinbart")
    return {"staff": staff, "lead": lead, "resident": resident, "volunteer": volunteer}


def test_volunteer_submits_a_declaration_and_downloads_the_statement(page, live_server, office, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = _world()
    _log_in(page, live_server, world["resident"])
    page.goto(reverse("volunteers:my_allowances"))
    page.get_by_role("link", name="Jährliche Erklärung abgeben").click()
    page.get_by_label("Tätigkeit und zahlende Stelle").select_option(
        label="Kasse – Quartiersmanagement Nordstadt (Ehrenamtspauschale (§ 3 Nr. 26a EStG))"
    )
    page.get_by_label("In diesem Jahr bereits").fill("80,00")
    page.get_by_label("Ich bestätige").check()
    page.get_by_role("button", name="Erklärung abgeben").click()
    page.wait_for_load_state()
    assert "Ihre Erklärung ist gespeichert" in page.locator(".messages").inner_text()
    declaration = Declaration.objects.get(year=THIS_YEAR)
    assert str(declaration.received_elsewhere) == "80.00" and declaration.payer_initiative is None

    page.get_by_role("link", name="Bescheinigung 2025 (Seite zum Drucken)").click()
    assert "Bescheinigung über Ehrenamtspauschalen 2025" in page.locator("h1").inner_text()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Als PDF herunterladen").click()
    path = download_info.value.path()
    assert open(path, "rb").read(5) == b"%PDF-"
    assert download_info.value.suggested_filename.endswith(".pdf")


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_page_of_the_app_is_accessible_and_valid(page, live_server, office, tmp_path, language):
    world = _world()
    volunteer = world["volunteer"]
    documents = {}

    def visit(path, label):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language, path
        axe_check(page, context=f"{label} [{language}]")
        documents[f"{label} [{language}]"] = page.content()

    _log_in(page, live_server, world["resident"], language)
    visit(reverse("volunteers:my_allowances"), "my allowances")
    visit(reverse("volunteers:declaration_create"), "declaration form")
    page.get_by_label("EUR", exact=False).first.fill("-1")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".errorlist").count() > 0
    axe_check(page, context=f"declaration with errors [{language}]")
    documents[f"declaration with errors [{language}]"] = page.content()
    visit(reverse("volunteers:statement", args=[volunteer.pk, 2025]), "statement")

    page.context.clear_cookies()
    _log_in(page, live_server, world["lead"], language)
    visit(reverse("volunteers:my_allowances"), "lead without volunteer record")
    visit(reverse("volunteers:payer_payments", args=["liga", 2025]), "payer payments")

    page.context.clear_cookies()
    _log_in(page, live_server, world["staff"], language)
    visit(reverse("volunteers:staff_overview"), "staff overview")
    visit(reverse("volunteers:office_payments", args=[2025]), "office payments")
    visit(reverse("volunteers:statement", args=[volunteer.pk, 2025]), "statement (staff)")
    assert page.problems.console_errors == []
    nu_check(documents, tmp_path)
