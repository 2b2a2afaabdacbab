"""The fund's pages through the test client: applying with a cost plan, input kept on errors, bounded queries of
the list pages, the CSV of grants, the approval notice as PDF."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from initiatives.fund.models import Call, Fund, FundApplication, FundEntry, load_money

from ..factories import make_user
from .factories import make_application, make_call, make_fund

pytestmark = pytest.mark.django_db
Status = FundApplication.Status


def _form(call, **extra):
    data = {
        "title": "Hoffest",
        "description": "Ein Fest im Juni.",
        "benefit": "Nachbarn treffen sich.",
        "own_money": "0",
        "own_hours": "5",
        "planned_start": call.session_date.replace(day=1).isoformat(),
        "confirms_eligibility": "on",
        "lines-TOTAL_FORMS": "3",
        "lines-INITIAL_FORMS": "0",
        "lines-MIN_NUM_FORMS": "0",
        "lines-MAX_NUM_FORMS": "40",
        "lines-0-description": "Zelt",
        "lines-0-amount": "300,50",
        "lines-1-description": "Essen",
        "lines-1-amount": "200",
        "lines-2-description": "",
        "lines-2-amount": "",
    }
    data.update(extra)
    return data


def test_a_resident_saves_a_draft_with_several_cost_lines_and_the_total_is_computed(client, office, resident):
    call = make_call()
    client.force_login(resident)
    response = client.post(reverse("fund:apply", args=[call.pk]), _form(call))
    application = FundApplication.objects.get()
    assert response.status_code == 302 and application.status == Status.DRAFT
    assert application.cost_total == Decimal("500.50")
    assert "500,50" in client.get(application.get_absolute_url()).content.decode()


def test_bad_input_shows_the_form_again_with_the_input_kept(client, office, resident):
    call = make_call()
    client.force_login(resident)
    response = client.post(
        reverse("fund:apply", args=[call.pk]), _form(call, **{"lines-1-amount": "viel", "own_money": "-5"})
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hoffest" in html and "Zelt" in html and 'value="viel"' in html
    assert not FundApplication.objects.exists()


def test_the_call_takes_no_applications_after_the_deadline(client, office, resident):
    call = make_call()
    call.deadline = call.opens_at.replace(year=call.opens_at.year - 1)
    call.opens_at = call.deadline.replace(year=call.deadline.year - 1)
    call.save()
    client.force_login(resident)
    response = client.post(reverse("fund:apply", args=[call.pk]), _form(call))
    assert response.status_code == 302 and not FundApplication.objects.exists()


def _funded(n, staff, fund=None):
    fund = fund or make_fund(total=Decimal("100000.00"))
    call = make_call(fund=fund)
    for i in range(n):
        application = make_application(
            call=call, applicant=make_user(), status=Status.APPROVED, title=f"Projekt {i}", report="Gut gelaufen."
        )
        FundEntry.objects.create(application=application, kind="grant", amount=Decimal("100.00"), entered_by=staff)
    return fund


@pytest.mark.parametrize("n", [1, 12])
def test_funded_projects_page_has_bounded_queries(client, office, staff, django_assert_max_num_queries, n):
    fund = _funded(n, staff)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("fund:funded_year", args=[fund.year]))
    assert response.status_code == 200 and "Projekt 0" in response.content.decode()


@pytest.mark.parametrize("n", [1, 12])
def test_fund_overview_has_bounded_queries(client, office, staff, django_assert_max_num_queries, n):
    fund = _funded(n, staff)
    client.force_login(staff)
    with django_assert_max_num_queries(24):
        response = client.get(reverse("fund:overview", args=[fund.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("n", [1, 12])
def test_my_applications_and_session_have_bounded_queries(client, office, staff, django_assert_max_num_queries, n):
    fund = _funded(n, staff)
    client.force_login(staff)
    call = fund.calls.get()
    with django_assert_max_num_queries(20):
        assert client.get(reverse("fund:session", args=[call.pk])).status_code == 200
    with django_assert_max_num_queries(16):
        assert client.get(reverse("fund:my_applications")).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(reverse("fund:home")).status_code == 200


def test_grants_csv_has_semicolons_and_decimal_commas(client, office, staff):
    fund = _funded(2, staff)
    client.force_login(staff)
    response = client.get(reverse("fund:grants_csv", args=[fund.year]))
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert text.count("\n") == 3 and ";100,00;" in text


def test_the_approval_notice_is_a_pdf(client, office, staff):
    fund = _funded(1, staff)
    application = FundApplication.objects.get()
    client.force_login(application.applicant)
    response = client.get(reverse("fund:notice_pdf", args=[application.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert fund.year


def test_a_jury_member_sees_the_recusal_in_the_decision_form(client, office, staff):
    from .factories import make_jury_member

    fund = make_fund()
    juror = make_user(display_name="Emre Aydın")
    make_jury_member(fund=fund, user=juror)
    application = make_application(call=make_call(fund=fund), applicant=juror, status=Status.ELIGIBLE)
    client.force_login(staff)
    seat = fund.jury.get()
    response = client.post(reverse("fund:decide", args=[application.pk]), {f"vote_{seat.pk}": "for", "amount": "10"})
    assert response.status_code == 200
    assert "kann darüber nicht abstimmen" in response.content.decode()
    assert not application.votes.exists()


def test_the_home_page_shows_the_open_calls_with_deadline_and_budget_left(client, office, resident, staff):
    fund = make_fund(name="Quartiersfonds Nordstadt", total=Decimal("50000.00"))
    call = make_call(fund=fund, title="Herbstaufruf")
    closed = make_call(fund=fund, title="Frühjahrsaufruf")
    Call.objects.filter(pk=closed.pk).update(
        opens_at=closed.opens_at - timedelta(days=100), deadline=closed.opens_at - timedelta(days=50)
    )
    granted = make_application(call=closed, applicant=resident, status=Status.APPROVED)
    FundEntry.objects.create(application=granted, kind="grant", amount=Decimal("1234.50"), entered_by=staff)
    html = client.get(reverse("home")).content.decode()
    assert "Herbstaufruf" in html and call.get_absolute_url() in html and "Frühjahrsaufruf" not in html
    assert "48.765,50" in html and timezone.localtime(call.deadline).strftime("%d.%m.%Y, %H:%M") in html


def test_the_home_page_without_open_calls_has_no_fund_section(client, office):
    assert "home-fund-title" not in client.get(reverse("home")).content.decode()


def test_the_home_page_runs_the_same_queries_for_more_calls(
    client, office, resident, staff, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make_call(fund=make_fund(), title="Aufruf A")
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("home"))
    for n in range(4):
        call = make_call(fund=make_fund(), title=f"Aufruf {n}")
        application = make_application(call=call, applicant=resident, status=Status.APPROVED)
        FundEntry.objects.create(application=application, kind="grant", amount=Decimal("10.00"), entered_by=staff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "Aufruf" in client.get(reverse("home")).content.decode()


def test_a_private_applicant_is_named_on_the_funded_list_only_with_her_consent(client, office, staff):
    """Issue 12 point 4: the public list showed a resident's e-mail address (no display name) as the applicant."""
    call = make_call(fund=make_fund(total=Decimal("100000.00")))
    nameless = make_user(email="geheim@example.org", display_name="")
    consenting = make_user(email="offen@example.org", display_name="Maria K.")
    unwilling = make_user(email="still@example.org", display_name="Tomasz W.")
    client.force_login(consenting)
    client.post(reverse("fund:apply", args=[call.pk]), _form(call, title="Bank", publish_name="on"))
    client.force_login(unwilling)
    client.post(reverse("fund:apply", args=[call.pk]), _form(call, title="Beet"))
    assert FundApplication.objects.get(title="Bank").publish_name
    assert not FundApplication.objects.get(title="Beet").publish_name
    make_application(call=call, applicant=nameless, title="Hof", publish_name=True)
    for application in FundApplication.objects.all():
        application.status = Status.APPROVED
        application.save()
        FundEntry.objects.create(application=application, kind="grant", amount=Decimal("100.00"), entered_by=staff)
    client.logout()
    html = client.get(reverse("fund:funded_year", args=[call.fund.year])).content.decode()
    assert "Maria K." in html
    assert "Tomasz" not in html and html.count("Privatperson") == 2
    assert "@example.org" not in html
    privacy = client.get(reverse("privacy")).content.decode()
    assert "Privatperson" in privacy and "Anzeigenamen" in privacy


def test_the_jury_and_staff_never_see_an_applicants_e_mail_address_as_her_name(client, office, staff):
    from .factories import make_jury_member

    call = make_call()
    nameless = make_user(email="ohne.namen@example.org", display_name="")
    application = make_application(call=call, applicant=nameless, status=Status.ELIGIBLE)
    juror = make_user()
    make_jury_member(fund=call.fund, user=juror, term_until=call.session_date + timedelta(days=30))
    client.force_login(juror)
    for url in (reverse("fund:session", args=[call.pk]), application.get_absolute_url()):
        html = client.get(url).content.decode()
        assert "ohne.namen" not in html and f"Bewohnerin/Bewohner #{nameless.pk}" in html, url


def test_a_receipt_is_stored_under_a_generated_name_and_served_as_a_pdf(
    client, office, resident, staff, settings, tmp_path
):
    """An HTML page that starts with %PDF- and claims to be text/html is a PDF to the portal: stored as .pdf,
    served as application/pdf, as a download, with nosniff."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from initiatives.fund.models import Receipt

    settings.MEDIA_ROOT = tmp_path / "media"
    application = make_application(applicant=resident, status=Status.APPROVED)
    FundEntry.objects.create(application=application, kind="grant", amount=Decimal("500.00"), entered_by=staff)
    content = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>"
    client.force_login(resident)
    response = client.post(
        reverse("fund:receipts", args=[application.pk]),
        {"description": "Farbe", "amount": "12,50", "file": SimpleUploadedFile("beleg.html", content, "text/html")},
    )
    assert response.status_code == 302
    receipt = Receipt.objects.get()
    assert receipt.file.name.startswith("foerderbelege/") and receipt.file.name.endswith(".pdf")
    assert "beleg." not in receipt.file.name and receipt.file.path.startswith(str(tmp_path / "private"))
    download = client.get(reverse("fund:receipt_file", args=[receipt.pk]))
    assert download["Content-Type"] == "application/pdf" and download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"] == f'attachment; filename="beleg-{receipt.pk}.pdf"'


def test_the_fund_page_shows_each_funds_budget_from_one_query_of_its_entries(
    client, office, resident, staff, django_assert_max_num_queries
):
    funds = [make_fund(name=f"Fonds {n}", total=Decimal("5000.00")) for n in range(3)]
    money = [("1200.00", "0.00"), ("800.50", "100.25"), ("0.00", "0.00")]  # granted (and paid out), repaid
    for fund, (granted, repaid) in zip(funds, money, strict=True):
        application = make_application(call=make_call(fund=fund), applicant=resident)
        for kind, amount in (("grant", granted), ("payout", granted), ("repayment", repaid)):
            if Decimal(amount):
                FundEntry.objects.create(application=application, kind=kind, amount=Decimal(amount), entered_by=staff)
    with django_assert_max_num_queries(2):  # the funds, then all their entries
        loaded = load_money(Fund.objects.filter(pk__in=[fund.pk for fund in funds]).order_by("pk"))
        figures = [(fund.granted, fund.repaid, fund.paid_out, fund.budget_left) for fund in loaded]
    prefetched = Fund.objects.with_money().filter(pk__in=[fund.pk for fund in funds]).order_by("pk")
    assert figures == [(fund.granted, fund.repaid, fund.paid_out, fund.budget_left) for fund in prefetched]
    assert figures[1] == (Decimal("800.50"), Decimal("100.25"), Decimal("800.50"), Decimal("4299.75"))
    page = client.get(reverse("fund:home")).content.decode()
    assert "4.299,75" in page and "3.800,00" in page  # budget left, with the German decimal comma
