"""The demo district in English, where some texts have an English version and others show in German, marked: in a
real browser, axe-core and the Nu HTML Checker clean, and the German parts carry lang="de"."""

import pytest
from django.core.management import call_command
from django.test import Client

from quartier.models import User

from ..browser import axe_check, nu_check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = [
    "/",
    "/raeume/gemeinschaftsraum/",
    "/raeume/",
    "/veranstaltungen/",
    "/veranstaltungen/street-art-tag/",
    "/veranstaltungen/lesung-schreibwerkstatt/",
    "/initiativen/",
    "/impressum/",
]


def test_english_pages_with_german_fallbacks_are_accessible_and_valid(page, live_server, tmp_path):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": live_server.url}])
    documents = {}
    for path in PAGES:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        axe_check(page, context=f"{path} [en]")
        documents[f"{path} [en]"] = page.content()
    page.goto(live_server.url + "/veranstaltungen/street-art-tag/")
    assert page.locator("h1").inner_text() == "Street art day at Borsigplatz"
    page.goto(live_server.url + "/veranstaltungen/lesung-schreibwerkstatt/")
    assert page.locator("h1 [lang=de]").inner_text() == "Lesung der Schreibwerkstatt"
    assert "(in German)" in page.locator("h1").inner_text()

    # The lead's event form in English: the German and the English title, each input marked with its language.
    client = Client()
    client.force_login(User.objects.get(email="initiative@quartier.example"))
    session = client.cookies["sessionid"].value
    page.context.add_cookies([{"name": "sessionid", "value": session, "url": live_server.url}])
    page.goto(live_server.url + "/veranstaltungen/neu/")
    assert page.locator("#id_title").get_attribute("lang") == "de"
    assert page.locator("#id_title_en").get_attribute("lang") == "en"
    assert page.get_by_label("Title (English, optional)").count() == 1
    axe_check(page, context="event form [en]")
    documents["event form [en]"] = page.content()
    nu_check(documents, tmp_path)
