"""The open-data pages in a real browser: the documentation page (German and English) and the event and
initiative pages that now carry JSON-LD: axe-core and the Nu HTML Checker clean, nothing from another host,
no console error (a JSON-LD block is data, which the Content-Security-Policy lets be)."""

import pytest

from ..browser import axe_check, nu_check
from ..events.factories import make_event
from ..initiatives.factories import make_initiative
from ..rooms.factories import make_room

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_open_data_pages_are_accessible_and_valid(page, live_server, tmp_path, office):
    club = make_initiative(name="Nordstadtliga", slug="liga", meets_where="Nordmarkt", languages="Deutsch, Türkçe")
    room = make_room(slug="saal", step_free=True)
    make_event(slug="fest", title="Hoffest", initiative=club, place="room", room=room, capacity=20)
    documents = {}
    for language in ("de", "en"):
        page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
        for path in ("/offene-daten/", "/veranstaltungen/fest/", "/initiativen/liga/"):
            page.goto(path)
            assert page.locator("html").get_attribute("lang") == language
            axe_check(page, context=f"{path} [{language}]")
            documents[f"{path} [{language}]"] = page.content()
    page.goto("/offene-daten/")
    with page.expect_navigation():  # the raw document, served by the portal itself
        page.get_by_role("link", name="OpenAPI").click()
    page.wait_for_load_state()
    assert '"openapi"' in page.locator("body").inner_text()
    assert page.problems.console_errors == []
    assert page.problems.foreign_requests == []
    nu_check(documents, tmp_path)
