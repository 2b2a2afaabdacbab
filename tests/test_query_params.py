"""Date and number query parameters of every page that reads them: a huge, negative or malformed value gets a clear
message or falls back to a sensible default, never a 500 (OverflowError, ValueError)."""

import pytest
from django.urls import reverse

from .rooms.factories import make_room

pytestmark = pytest.mark.django_db

HOSTILE = [
    "99999999999999999999-1",
    "2026-99999999999999999999",
    "-1-1",
    "0-0",
    "2026-13",
    "99999999999999999999",
    "9999-12-31",
    "0001-01-01",
    "x",
    "2026-02-30",
    "1e309",
    "١٢-٢٠٢٦",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_the_month_calendar_falls_back_to_this_month_on_any_month_value(client, office, value):
    assert client.get(reverse("events:month"), {"monat": value}).status_code == 200


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("name", ["date_from", "date_to", "page", "category", "archiv"])
def test_the_event_list_survives_any_filter_value(client, office, name, value):
    assert client.get(reverse("events:list"), {name: value}).status_code == 200


@pytest.mark.parametrize("value", HOSTILE)
def test_the_room_week_view_falls_back_to_this_week_on_any_week_value(client, office, value):
    room = make_room(slug="saal")
    assert client.get(reverse("rooms:detail", args=[room.slug]), {"week": value}).status_code == 200


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("name", ["date", "start", "end", "attendees", "page"])
def test_the_free_slot_finder_survives_any_value(client, office, name, value):
    make_room(slug="saal")
    assert client.get(reverse("rooms:list"), {name: value, "date": "2026-06-01"} | {name: value}).status_code == 200
    room_page = client.get(reverse("rooms:detail", args=["saal"]), {name: value})
    assert room_page.status_code == 200


@pytest.mark.parametrize("year", [1, 1999, 3000, 99999999999999999999, 10**30])
def test_the_fund_year_pages_answer_404_for_a_year_out_of_range(client, office, year):
    assert client.get(f"/quartiersfonds/gefoerdert/{year}/").status_code == 404


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("name", ["status", "conference", "page"])
def test_the_decision_list_survives_any_filter_value(client, office, name, value):
    assert client.get(reverse("events:decisions"), {name: value}).status_code == 200


@pytest.mark.parametrize("year", [1, 99999, 99999999999999999999])
def test_the_office_payments_answer_404_for_a_year_out_of_range(client, office, staff, year):
    client.force_login(staff)
    assert client.get(f"/ehrenamt/zahlungen/buero/{year}/").status_code == 404
    assert client.get(f"/ehrenamt/zahlungen/buero/{year}/csv/").status_code == 404


@pytest.mark.parametrize("value", [*HOSTILE, "9999-W53", "0001-W01", "2026-W00", "2026-W54", "99999-W1", "2026-W١"])
def test_the_notice_sheet_falls_back_to_this_week_on_any_week_value(client, office, value):
    room = make_room(slug="saal")
    assert client.get(reverse("rooms:notice", args=[room.slug]), {"woche": value}).status_code == 200


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("name", ["year", "start", "end"])
def test_the_annual_report_and_the_district_figures_fall_back_to_this_year_on_any_period(
    client, office, staff, name, value
):
    assert client.get(reverse("district_figures"), {name: value}).status_code == 200
    client.force_login(staff)
    assert client.get(reverse("annual_report"), {name: value}).status_code == 200
    assert client.get(reverse("annual_report_csv"), {name: value, "start": "2026-01-01"}).status_code == 200
