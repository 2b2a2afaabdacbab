"""Self-service, statement (page and PDF), the payer's CSV, the staff overview, and bounded query counts."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.initiatives.factories import make_initiative, make_membership
from volunteers.models import AllowanceType, Declaration

from .factories import make_declaration, make_engagement, make_volunteer, pay

pytestmark = pytest.mark.django_db

THIS_YEAR = timezone.localdate().year


@pytest.fixture
def volunteer(resident, office):
    return make_volunteer(user=resident, name="Maria Kowalski")


@pytest.fixture
def engagement(volunteer):
    engagement = make_engagement(volunteer=volunteer, activity="Kasse beim Stadtteilfest")
    make_declaration(engagement, 2025)
    return engagement


def test_volunteer_sees_used_and_remaining_per_year(client, resident, engagement, staff):
    pay(engagement, "300.00", date(2025, 4, 1), staff, purpose="Frühjahr")
    client.force_login(resident)
    response = client.get(reverse("volunteers:my_allowances"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kasse beim Stadtteilfest" in html and "Frühjahr" in html
    assert "300,00 €" in html and "540,00 €" in html  # paid, remaining of 840
    assert f"year-{THIS_YEAR}" in html  # the current year is always shown


def test_a_user_without_a_volunteer_record_sees_a_note(client, resident, office):
    client.force_login(resident)
    response = client.get(reverse("volunteers:my_allowances"))
    assert response.status_code == 200 and "note" in response.content.decode()


def test_volunteer_submits_a_declaration_with_a_signed_document(client, resident, volunteer, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    engagement = make_engagement(volunteer=volunteer)
    client.force_login(resident)
    response = client.post(
        reverse("volunteers:declaration_create"),
        {
            "engagement": engagement.pk,
            "year": THIS_YEAR,
            "received_elsewhere": "120,50",
            "share": "",
            "confirm": "on",
            "document": SimpleUploadedFile("erklaerung.pdf", b"%PDF-1.4 test", "application/pdf"),
        },
    )
    assert response.status_code == 302
    declaration = Declaration.objects.get()
    assert declaration.received_elsewhere == Decimal("120.50") and declaration.signed_on == timezone.localdate()
    # Personal data: stored beside MEDIA_ROOT (which the proxy serves), not inside it.
    assert declaration.document.path.startswith(str(tmp_path / "private"))
    download = client.get(reverse("volunteers:declaration_document", args=[declaration.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_bad_declaration_input_shows_errors_and_keeps_the_input(client, resident, volunteer):
    engagement = make_engagement(volunteer=volunteer)
    client.force_login(resident)
    response = client.post(
        reverse("volunteers:declaration_create"),
        {
            "engagement": engagement.pk,
            "year": "1999",
            "received_elsewhere": "-3",
            "share": "abc",
            "document": SimpleUploadedFile("x.pdf", b"MZ not a pdf", "application/pdf"),
        },
        HTTP_ACCEPT_LANGUAGE="de",
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.count('class="errorlist') >= 3
    assert 'value="-3"' in html and 'value="abc"' in html
    assert not Declaration.objects.exists()


def test_a_foreign_engagement_cannot_be_declared(client, resident, volunteer):
    other = make_engagement()
    client.force_login(resident)
    response = client.post(
        reverse("volunteers:declaration_create"),
        {"engagement": other.pk, "year": THIS_YEAR, "received_elsewhere": "0", "confirm": "on"},
    )
    assert response.status_code == 200 and not Declaration.objects.exists()


def test_statement_page_lists_payments_by_payer_with_tax_free_and_taxable_parts(client, resident, engagement, staff):
    club = make_initiative(is_nonprofit=True, name="Nordstadtliga")
    trainer = make_engagement(
        volunteer=engagement.volunteer, payer_initiative=club, activity="Training", allowance_type=AllowanceType.TRAINER
    )
    make_declaration(trainer, 2025)
    pay(engagement, "800.00", date(2025, 3, 1), staff)
    pay(engagement, "100.00", date(2025, 4, 1), staff, book_excess_as_taxable=True, taxable_reason="vereinbart")
    pay(trainer, "250.00", date(2025, 5, 1), staff)
    client.force_login(resident)
    html = client.get(reverse("volunteers:statement", args=[engagement.volunteer.pk, 2025])).content.decode()
    assert "Nordstadtliga" in html and "250,00 €" in html
    assert "1.090,00 €" in html and "60,00 €" in html  # tax-free total, taxable part


def test_statement_pdf_is_a_pdf(client, resident, engagement, staff):
    pay(engagement, "10.00", date(2025, 3, 1), staff)
    client.force_login(resident)
    response = client.get(reverse("volunteers:statement_pdf", args=[engagement.volunteer.pk, 2025]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-") and "attachment" in response["Content-Disposition"]


def test_payer_csv_lists_the_payers_payments_safe_for_spreadsheets(client, initiative_lead, staff, office):
    club = make_initiative(is_nonprofit=True, slug="liga")
    make_membership(initiative=club, user=initiative_lead, role="lead")
    engagement = make_engagement(payer_initiative=club, volunteer=make_volunteer(name="=HYPERLINK(1)"))
    make_declaration(engagement, 2025)
    payment = pay(engagement, "12.34", date(2025, 3, 1), staff)
    pay(make_engagement(), "1.00", date(2025, 3, 1), staff, book_excess_as_taxable=True, taxable_reason="x")
    client.force_login(initiative_lead)
    response = client.get(reverse("volunteers:payer_payments_csv", args=["liga", 2025]))
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 2
    assert rows[1][0] == str(payment.pk) and rows[1][2] == "'=HYPERLINK(1)" and rows[1][5] == "12,34"


def test_staff_overview_shows_near_and_over_cap_and_missing_declarations(client, staff, office):
    near = make_engagement(volunteer=make_volunteer(name="Nah Dran"), starts_on=date(THIS_YEAR, 1, 1))
    over = make_engagement(volunteer=make_volunteer(name="Weit Drüber"), starts_on=date(THIS_YEAR, 1, 1))
    make_engagement(volunteer=make_volunteer(name="Ohne Erklärung"), starts_on=date(THIS_YEAR, 1, 1))
    for engagement in (near, over):
        make_declaration(engagement, THIS_YEAR)
    pay(near, "768.00", date(THIS_YEAR, 1, 5), staff)  # 80 % of 960
    pay(over, "961.00", date(THIS_YEAR, 1, 5), staff, book_excess_as_taxable=True, taxable_reason="x")
    client.force_login(staff)
    html = client.get(reverse("volunteers:staff_overview")).content.decode()
    near_part, rest = html.split('id="near-title"')
    missing_part = rest.split('id="missing-title"')[1]
    assert "Weit Drüber" in near_part and "Nah Dran" in rest.split('id="missing-title"')[0]
    assert "Ohne Erklärung" in missing_part and "Nah Dran" not in missing_part


def test_overview_query_count_does_not_grow_with_payments(
    client, resident, engagement, staff, django_assert_max_num_queries
):
    client.force_login(resident)
    pay(engagement, "1.00", date(2025, 3, 1), staff)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("volunteers:my_allowances"))
    for _ in range(10):
        pay(engagement, "1.00", date(2025, 3, 1), staff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("volunteers:my_allowances"))


def test_statement_query_count_does_not_grow_with_payments(
    client, resident, engagement, staff, django_assert_max_num_queries
):
    client.force_login(resident)
    url = reverse("volunteers:statement", args=[engagement.volunteer.pk, 2025])
    pay(engagement, "1.00", date(2025, 3, 1), staff)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for _ in range(10):
        pay(engagement, "1.00", date(2025, 3, 1), staff)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


@pytest.mark.parametrize("year", [0, 1999, 9999, 99999999])
def test_an_impossible_year_is_a_404_not_an_error(client, staff, engagement, year):
    client.force_login(staff)
    for url in [
        reverse("volunteers:statement", args=[engagement.volunteer.pk, year]),
        reverse("volunteers:office_payments", args=[year]),
        reverse("volunteers:office_payments_csv", args=[year]),
    ]:
        assert client.get(url).status_code == 404, url


HTML_AS_PDF = b"%PDF-1.4\n<html><script>alert(document.cookie)</script></html>"


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "extension", "content_type"), [(HTML_AS_PDF, ".pdf", "application/pdf"), (_png(), ".png", "image/png")]
)
def test_a_declaration_is_stored_under_a_generated_name_and_served_as_what_it_is(
    client, resident, volunteer, settings, tmp_path, content, extension, content_type
):
    """The claimed name (`Maria Kowalski.html`) and type (text/html) are dropped; the content decides."""
    settings.MEDIA_ROOT = tmp_path / "media"
    engagement = make_engagement(volunteer=volunteer)
    client.force_login(resident)
    client.post(
        reverse("volunteers:declaration_create"),
        {
            "engagement": engagement.pk,
            "year": THIS_YEAR,
            "received_elsewhere": "0",
            "share": "",
            "confirm": "on",
            "document": SimpleUploadedFile("Maria Kowalski.html", content, "text/html"),
        },
    )
    declaration = Declaration.objects.get()
    name = declaration.document.name
    assert name.startswith("erklaerungen/") and name.endswith(extension) and "Maria" not in name
    download = client.get(reverse("volunteers:declaration_document", args=[declaration.pk]))
    assert download["Content-Type"] == content_type and download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"] == f'attachment; filename="erklaerung-{declaration.pk}{extension}"'
    assert b"".join(download.streaming_content) == content


def test_an_html_page_named_pdf_is_refused_as_a_declaration(client, resident, volunteer):
    engagement = make_engagement(volunteer=volunteer)
    client.force_login(resident)
    response = client.post(
        reverse("volunteers:declaration_create"),
        {
            "engagement": engagement.pk,
            "year": THIS_YEAR,
            "received_elsewhere": "0",
            "share": "",
            "confirm": "on",
            "document": SimpleUploadedFile("scan.pdf", b"<html><script>alert(1)</script>", "application/pdf"),
        },
    )
    assert "Bitte laden Sie eine PDF-, JPEG- oder PNG-Datei hoch." in response.content.decode()
    assert not Declaration.objects.exists()
