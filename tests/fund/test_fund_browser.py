"""In a real browser: a resident applies with several cost lines, the office checks it, the jury's decision is
recorded, the resident sees it and uploads a receipt; every fund page is clean under axe-core and the Nu HTML
Checker, in German and English."""

from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from initiatives.fund.models import FundApplication, FundEntry, Receipt

from ..browser import axe_check, nu_check
from ..factories import make_staff, make_user
from ..initiatives.factories import make_initiative, make_membership
from .factories import make_application, make_call, make_fund, make_jury_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Status = FundApplication.Status
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
    b"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82"
)


def _log_in(page, live_server, user, language="de"):
    page.context.clear_cookies()
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url},
            {"name": "django_language", "value": language, "url": live_server.url},
        ]
    )


def _world():
    fund = make_fund(name="Quartiersfonds Nordstadt", total=Decimal("50000.00"), max_per_project=Decimal("5000.00"))
    call = make_call(fund=fund, title="Herbstaufruf")
    jurors = [make_user(display_name=f"Jury {n}") for n in range(3)]
    for user in jurors:
        make_jury_member(fund=fund, user=user)
    return {
        "fund": fund,
        "call": call,
        "jurors": jurors,
        "staff": make_staff(email="buero@example.org"),
        "resident": make_user(email="bewohnerin@example.org", display_name="Maria Kowalski"),
    }


def test_apply_check_decide_and_upload_a_receipt(page, live_server, office, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = _world()
    call, resident = world["call"], world["resident"]
    _log_in(page, live_server, resident)
    page.goto(reverse("fund:call", args=[call.pk]))
    page.get_by_role("link", name="Jetzt beantragen").click()
    page.get_by_label("Titel des Projekts").fill("Hoffest Mallinckrodtstraße")
    page.get_by_label("Was passiert und wann").fill("Ein Fest im Hof mit Musik, im Juni.")
    page.get_by_label("Nutzen für den Stadtteil").fill("Nachbarn aus vielen Ländern lernen sich kennen.")
    page.get_by_label("Eigenanteil in ehrenamtlichen Stunden").fill("20")
    page.get_by_label("geplanter Beginn").fill(call.session_date.replace(year=call.session_date.year + 1).isoformat())
    page.get_by_label("Ich bin mindestens 18").check()
    lines = page.locator("fieldset.cost-line")
    for index, (what, amount) in enumerate([("Zelt", "300,50"), ("Musik", "250"), ("Essen", "150")]):
        lines.nth(index).get_by_label("Was").fill(what)
        lines.nth(index).get_by_label("Betrag (EUR)").fill(amount)
    page.get_by_role("button", name="Entwurf speichern").click()
    page.wait_for_load_state()
    assert "700,50" in page.locator("main").inner_text()
    page.get_by_role("button", name="Antrag einreichen").click()
    page.wait_for_load_state()
    application = FundApplication.objects.get()
    assert application.status == Status.SUBMITTED and application.cost_lines.count() == 3

    _log_in(page, live_server, world["staff"])
    page.goto(application.get_absolute_url())
    page.get_by_role("link", name="Formale Prüfung").click()
    page.get_by_label("förderfähig", exact=True).check()
    page.get_by_role("button", name="Speichern und antragstellende Person informieren").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="Entscheidung der Jury eintragen").click()
    for juror in world["jurors"]:
        page.get_by_label(str(juror)).select_option("for")
    page.get_by_label("Bewilligter Betrag (EUR)").fill("700,50")
    page.get_by_role("button", name="Entscheidung eintragen").click()
    page.wait_for_load_state()
    application.refresh_from_db()
    assert application.status == Status.APPROVED

    _log_in(page, live_server, resident)
    page.goto(application.get_absolute_url())
    main = page.locator("main").inner_text()
    assert "bewilligt" in main and "700,50" in main
    page.get_by_role("link", name="Belege hochladen").click()
    page.get_by_label("Was wurde gekauft").fill("Zeltmiete")
    page.get_by_label("Betrag (EUR)").fill("300,50")
    page.get_by_label("Beleg (PDF").set_input_files(
        files=[{"name": "beleg.png", "mimeType": "image/png", "buffer": PNG}]
    )
    page.get_by_role("button", name="Hochladen").click()
    page.wait_for_load_state()
    assert "Der Beleg ist hochgeladen" in page.locator(".messages").inner_text()
    assert Receipt.objects.get().amount == Decimal("300.50")
    assert page.problems.console_errors == []


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_fund_page_is_accessible_and_valid(page, live_server, office, tmp_path, settings, language):
    settings.MEDIA_ROOT = tmp_path / "media"
    world = _world()
    call, resident, staff = world["call"], world["resident"], world["staff"]
    initiative = make_initiative(name="Nordstadtliga")
    make_membership(initiative=initiative, user=world["jurors"][0], role="lead")
    draft = make_application(call=call, applicant=resident, title="Entwurf")
    submitted = make_application(call=call, applicant=make_user(), title="Eingereicht", status=Status.SUBMITTED)
    eligible = make_application(
        call=call, applicant=make_user(), title="Liga", status=Status.ELIGIBLE, initiative=initiative
    )
    approved = make_application(
        call=call, applicant=resident, title="Hoffest", status=Status.APPROVED, report="Schön war es."
    )
    FundEntry.objects.create(application=approved, kind="grant", amount=Decimal("500.00"), entered_by=staff)
    Receipt.objects.create(
        application=approved,
        description="Farbe",
        amount=Decimal("50.00"),
        file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="beleg.pdf"),
        uploaded_by=resident,
    )
    documents = {}

    def visit(path, label):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language, path
        axe_check(page, context=f"{label} [{language}]")
        documents[f"{label} [{language}]"] = page.content()

    _log_in(page, live_server, resident, language)
    visit(reverse("fund:home"), "fund home")
    visit(reverse("fund:call", args=[call.pk]), "call")
    visit(reverse("fund:funded_year", args=[world["fund"].year]), "funded projects")
    visit(reverse("fund:my_applications"), "my applications")
    visit(reverse("fund:apply", args=[call.pk]), "application form")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".errorlist").count() > 0
    axe_check(page, context=f"application form with errors [{language}]")
    documents[f"application form with errors [{language}]"] = page.content()
    visit(reverse("fund:application", args=[draft.pk]), "draft")
    visit(reverse("fund:edit", args=[draft.pk]), "edit draft")
    visit(reverse("fund:application", args=[approved.pk]), "approved")
    visit(reverse("fund:notice", args=[approved.pk]), "approval notice")
    visit(reverse("fund:receipts", args=[approved.pk]), "receipts")
    visit(reverse("fund:report", args=[approved.pk]), "report")

    _log_in(page, live_server, world["jurors"][1], language)
    visit(reverse("fund:session", args=[call.pk]), "session (jury)")

    _log_in(page, live_server, staff, language)
    visit(reverse("fund:overview", args=[world["fund"].pk]), "overview")
    visit(reverse("fund:check", args=[submitted.pk]), "formal check")
    visit(reverse("fund:decide", args=[eligible.pk]), "decision")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    axe_check(page, context=f"decision with errors [{language}]")
    documents[f"decision with errors [{language}]"] = page.content()
    visit(reverse("fund:application", args=[approved.pk]), "approved (staff)")
    assert page.problems.console_errors == []
    nu_check(documents, tmp_path)


@pytest.mark.parametrize("language", ["de", "en"])
def test_a_jury_member_votes_on_the_session_page(page, live_server, office, tmp_path, language):
    world = _world()
    call, juror = world["call"], world["jurors"][0]
    initiative = make_initiative(name="Nordstadtliga")
    make_membership(initiative=initiative, user=juror, role="lead")
    eligible = make_application(call=call, applicant=world["resident"], title="Hoffest", status=Status.ELIGIBLE)
    own = make_application(
        call=call, applicant=make_user(), title="Liga-Turnier", status=Status.ELIGIBLE, initiative=initiative
    )
    documents = {}
    labels = {
        "de": {"vote": "Abstimmen", "against": "dagegen", "save": "Stimme speichern", "change": "Stimme ändern"},
        "en": {"vote": "Vote", "against": "against", "save": "Save my vote", "change": "Change your vote"},
    }[language]

    _log_in(page, live_server, juror, language)
    page.goto(reverse("fund:session", args=[call.pk]))
    assert page.locator("html").get_attribute("lang") == language
    axe_check(page, context=f"session with votes [{language}]")
    vote_links = page.locator(f'main a[href="{reverse("fund:vote", args=[eligible.pk])}"]')
    assert vote_links.inner_text().startswith(labels["vote"])
    vote_links.click()
    page.wait_for_load_state()
    axe_check(page, context=f"vote form [{language}]")
    documents[f"vote form [{language}]"] = page.content()
    page.get_by_label(labels["against"], exact=True).check()
    page.get_by_role("button", name=labels["save"]).click()
    page.wait_for_load_state()
    assert eligible.votes.get().choice == "against"
    axe_check(page, context=f"session after voting [{language}]")
    documents[f"session after voting [{language}]"] = page.content()
    assert vote_links.inner_text().startswith(labels["change"])
    assert page.locator(f'main a[href="{reverse("fund:vote", args=[own.pk])}"]').count() == 0

    page.goto(reverse("fund:vote", args=[own.pk]))
    axe_check(page, context=f"vote refused (recusal) [{language}]")
    documents[f"vote refused (recusal) [{language}]"] = page.content()
    assert page.locator("main form").count() == 0 and not own.votes.exists()
    assert page.problems.console_errors == []
    nu_check(documents, tmp_path)
