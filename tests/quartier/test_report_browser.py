"""The annual report and "Der Stadtteil in Zahlen" in a real browser, German and English: axe-core and the Nu
HTML Checker clean, no console error, nothing from another host (the charts are the portal's own inline SVG)."""

import pytest
from django.test import Client

from ..browser import axe_check, nu_check
from .report_data import YEAR, _year_data  # noqa: F401 (the fixture "year_data")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_report_pages_are_accessible_and_valid(page, live_server, tmp_path, year_data):
    client = Client()
    client.force_login(year_data)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    documents = {}
    for language in ("de", "en"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        for path in (
            f"/buero/jahresbericht/?year={YEAR}",
            f"/stadtteil-in-zahlen/?year={YEAR}",
            "/stadtteil-in-zahlen/",
        ):
            page.goto(path)
            assert page.locator("html").get_attribute("lang") == language
            axe_check(page, context=f"{path} [{language}]")
            documents[f"{path} [{language}]"] = page.content()
    page.goto(f"/stadtteil-in-zahlen/?year={YEAR}")
    assert page.get_by_role("img", name="Events held").count() == 1  # the chart, named by its <title>
    assert page.get_by_role("table").count() >= 3  # every chart has its table
    page.get_by_role("link", name="The district in numbers").first.click()  # the footer's link
    assert page.problems.console_errors == []
    assert page.problems.foreign_requests == []
    nu_check(documents, tmp_path)
