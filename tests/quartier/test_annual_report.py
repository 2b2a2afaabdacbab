"""The annual report (Jahresbericht) and the public page "Der Stadtteil in Zahlen", against hand-counted data of
2025 that includes cancelled and declined bookings, cancelled events and registrations, reversed allowances and
corrected fund entries, and rows just outside the year."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from quartier.report import Period, report
from volunteers.models import AllowanceType

from ..factories import make_user
from .report_data import YEAR, _year_data  # noqa: F401 (the fixture "year_data")

pytestmark = pytest.mark.django_db


def figures(period=None):
    """The report's figures by (section, English label)."""
    with translation.override("en"):
        return {
            (section.key, figure.label): figure
            for section in report(period or Period.year(YEAR))
            for figure in section.figures
        }


def rows(figure):
    return {row.label: row.value for row in figure.rows}


def test_the_rooms_figures_count_confirmed_bookings_of_the_year_only(year_data):
    found = figures()
    assert found["rooms", "Bookings"].value == 4
    assert rows(found["rooms", "Bookings"]) == {"Küche": 1, "Saal": 3}
    assert found["rooms", "Cancelled bookings"].value == 1
    assert found["rooms", "Declined requests"].value == 1
    assert found["rooms", "Hours booked"].value == 10
    assert rows(found["rooms", "Hours booked"]) == {"Küche": 1, "Saal": 9}
    assert found["rooms", "Occupancy of the bookable hours"].value == 0.2  # 10 h of 5 840 h
    assert rows(found["rooms", "Occupancy of the bookable hours"]) == {"Küche": 0.1, "Saal": 0.2}
    assert rows(found["rooms", "Room hours by purpose"]) == {
        "community use (free of charge)": 6,
        "private use (fee)": 4,
    }
    assert rows(found["rooms", "Bookings by kind of booker"]) == {
        "residents": 2,
        "initiatives": 1,
        "the office counter": 1,
    }
    assert rows(found["rooms", "Hours by kind of booker"]) == {
        "residents": 4,
        "initiatives": 2,
        "the office counter": 4,
    }
    assert found["rooms", "Fees"].value == Decimal("30.00")
    assert found["rooms", "Deposits charged"].value == Decimal("100.00")
    assert found["rooms", "Deposits withheld"].value == Decimal("40.00")
    assert "cancelled" in found["rooms", "Bookings"].rule


def test_the_event_and_conference_figures_leave_out_cancelled_and_unpublished_events(year_data):
    found = figures()
    assert found["events", "Events held"].value == 2
    assert rows(found["events", "Events held"]) == {"Kultur": 1, "without category": 1}
    assert found["events", "Events cancelled"].value == 1
    assert found["events", "Registrations"].value == 2  # not the one of the cancelled event
    assert found["events", "Places taken"].value == 4
    assert found["events", "On the waiting list"].value == 1
    assert found["events", "Registrations cancelled"].value == 1
    assert found["events", "District conferences"].value == 1
    assert rows(found["events", "Topic proposals"]) == {"open": 1, "on the agenda": 2, "declined": 1}
    assert found["events", "Decisions"].value == 3
    assert found["events", "Decisions done"].value == 1


def test_the_initiative_figures(year_data):
    found = figures()
    assert found["initiatives", "Active initiatives"].value == 2
    assert found["initiatives", "New initiatives"].value == 1
    assert found["initiatives", "Verified initiatives"].value == 1
    assert rows(found["initiatives", "Initiatives by topic"]) == {"Umwelt": 2, "Kultur": 1}
    assert rows(found["initiatives", "Initiatives by language"]) == {"Deutsch": 2, "Türkçe": 1}


def test_the_volunteering_figures_are_net_of_reversals(year_data):
    found = figures()
    assert found["volunteers", "Volunteering offers"].value == 1
    assert found["volunteers", "Helpers asked for"].value == 3
    assert found["volunteers", "Sign-ups"].value == 2
    assert found["volunteers", "People paid an allowance"].value == 2  # the fully reversed one does not count
    paid = found["volunteers", "Allowances paid"]
    assert paid.value == Decimal("3300.00")
    with translation.override("en"):
        trainer, honorary = str(AllowanceType.TRAINER.label), str(AllowanceType.HONORARY.label)
    assert rows(paid) == {trainer: Decimal("3000.00"), honorary: Decimal("300.00")}
    assert rows(found["volunteers", "People paid an allowance"]) == {trainer: 1, honorary: 1}
    assert found["volunteers", "Reversed payments"].value == Decimal("300.00")
    shares = {label: value for label, value in rows(found["volunteers", f"Cap shares {YEAR}"]).items() if value}
    assert shares == {
        f"{trainer}: cap reached": 1,
        f"{honorary}: 80 % of the cap or more": 1,  # 300 paid + 400 declared elsewhere, of 840
    }


def test_the_fund_figures_are_net_of_corrections(year_data):
    found = figures()
    assert found["fund", "Applications"].value == 2
    assert rows(found["fund", "Applications"])["approved"] == 1
    assert found["fund", "Projects granted"].value == 1
    assert found["fund", "Grants"].value == Decimal("800.00")
    assert rows(found["fund", "Fund money by goal"]) == {"Umwelt": Decimal("800.00")}
    assert rows(found["fund", "Grants by topic of the initiative"]) == {"Umwelt": Decimal("800.00")}
    assert found["fund", "Paid out"].value == Decimal("800.00")
    assert found["fund", "Repaid"].value == Decimal("50.00")
    assert found["fund", "Corrections"].value == 1
    assert found["fund", "Receipts outstanding"].value == Decimal("150.00")  # 800 − 50 − 600


def test_a_period_counts_only_its_days(year_data):
    found = figures(Period(date(YEAR, 3, 4), date(YEAR, 3, 5)))
    assert found["rooms", "Bookings"].value == 2
    assert found["rooms", "Hours booked"].value == 6


def test_the_report_needs_the_same_few_queries_whatever_the_data(office, django_assert_num_queries, request):
    with CaptureQueriesContext(connection) as empty:
        report(Period.year(YEAR))
    assert len(empty.captured_queries) <= 30
    request.getfixturevalue("year_data")
    with django_assert_num_queries(len(empty.captured_queries)):
        report(Period.year(YEAR))


def test_the_staff_page_shows_each_figure_with_its_rule(client, year_data):
    client.force_login(year_data)
    response = client.get(reverse("annual_report"), {"year": YEAR})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Jahresbericht 2025" in page
    assert "150,00 €" in page  # receipts outstanding, with the decimal comma
    assert "<svg" in page and "<script" not in page.split("<main")[1].split("</main>")[0]


def test_the_dashboard_links_to_the_report(client, year_data):
    client.force_login(year_data)
    assert reverse("annual_report") in client.get(reverse("dashboard")).content.decode()


def test_residents_do_not_see_the_report(client, year_data):
    client.force_login(make_user(email="neugierig@example.org"))
    assert client.get(reverse("annual_report")).status_code == 403
    assert client.get(reverse("annual_report_csv")).status_code == 403


def test_the_csv_has_every_figure_and_rule(client, year_data):
    client.force_login(year_data)
    response = client.get(reverse("annual_report_csv"), {"year": YEAR})
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == ["Bereich", "Kennzahl", "Aufschlüsselung", "Wert", "Zählregel"]
    fund = {row[1]: row[3] for row in lines if row[0] == "Quartiersfonds" and not row[2]}
    assert fund["Ausstehende Belege"] == "150,00"


def test_the_spreadsheet_keeps_numbers_as_numbers(client, year_data):
    client.force_login(year_data)
    response = client.get(reverse("annual_report_xlsx"), {"year": YEAR})
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = {(row[0], row[1], row[2]): row[3] for row in sheet.iter_rows(min_row=3, values_only=True)}
    assert values["Räume", "Gebuchte Stunden", None] == 10
    assert values["Quartiersfonds", "Ausstehende Belege", None] == 150


def test_the_pdf_reads_back_with_the_figures(client, year_data):
    import pypdfium2

    client.force_login(year_data)
    response = client.get(reverse("annual_report_pdf"), {"year": YEAR})
    assert response["Content-Type"] == "application/pdf"
    document = pypdfium2.PdfDocument(response.content)
    text = "".join(document[index].get_textpage().get_text_range() for index in range(len(document)))
    assert "Jahresbericht 2025" in text
    assert "Ausstehende Belege" in text and "150,00 €" in text
    assert "Bestätigte Buchungen" in text  # a counting rule beside its figure


def test_the_public_page_shows_public_figures_and_none_about_few_people(client, year_data):
    response = client.get(reverse("district_figures"), {"year": YEAR})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Der Stadtteil in Zahlen" in page
    assert "Durchgeführte Veranstaltungen" in page
    assert "Umwelt" in page and "800,00 €" in page  # fund money by goal
    assert "Anmeldungen" not in page  # two registrations: fewer than five people
    assert "Gebühren" not in page  # not public by nature
    assert 'role="img"' in page and "<title" in page and "<desc" in page
    assert "<script" not in page.split("<main")[1].split("</main>")[0]


def test_the_public_page_survives_any_period(client, office):
    for query in ({"year": "99999999999999999999"}, {"start": "2026-02-30", "end": "x"}, {"start": "2026-01-01"}):
        assert client.get(reverse("district_figures"), query).status_code == 200
