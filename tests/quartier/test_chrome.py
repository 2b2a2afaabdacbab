"""The header and footer of every page, kept per process (quartier/chrome.py): each visitor still sees their
own page's address, CSRF token, menu state and account links, and a changed office record at once."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from quartier.models import Office

pytestmark = pytest.mark.django_db

NEXT = re.compile(r'<input type="hidden" name="next" value="([^"]*)">')
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_language_switch_returns_to_the_page_it_was_on(client, office):
    assert NEXT.findall(page(client, "/ping/")) == ["/ping/"]
    html = page(client, reverse("rooms:list") + "?attendees=5&x=<b>")
    assert NEXT.findall(html) == ["/raeume/?attendees=5&amp;x=%3Cb%3E"]
    assert "<b>" not in html


def test_each_visitor_gets_a_working_csrf_token_of_their_own(office):
    tokens = []
    for _visitor in range(2):
        client = Client(enforce_csrf_checks=True)
        html = page(client, "/ping/")
        [token] = set(TOKEN.findall(html))
        tokens.append(token)
        response = client.post(
            reverse("set_language"), {"language": "en", "next": "/ping/", "csrfmiddlewaretoken": token}
        )
        assert response.status_code == 302
        assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert tokens[0] != tokens[1]
    other = Client(enforce_csrf_checks=True)
    page(other, "/ping/")
    refused = other.post(reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": "x" * 64})
    assert refused.status_code == 403  # a token taken from nowhere does not pass


def test_the_menu_marks_the_page_the_visitor_is_on(client, office):
    rooms = page(client, reverse("rooms:list"))
    events = page(client, reverse("events:list"))
    rooms_link = f'href="{reverse("rooms:list")}" aria-current="page"'
    events_link = f'href="{reverse("events:list")}" aria-current="page"'
    assert rooms_link in rooms and events_link not in rooms
    assert events_link in events and rooms_link not in events
    assert 'class="site-brand" href="/" aria-current="page"' in page(client, "/")
    assert 'aria-current="page"' not in page(client, "/ping/")


def test_logged_in_visitors_and_staff_see_their_own_account_links(client, office, resident, staff):
    anonymous = page(client, "/ping/")
    assert reverse("account_login") in anonymous and reverse("profile") not in anonymous
    client.force_login(resident)
    mine = page(client, "/ping/")
    assert reverse("profile") in mine and reverse("account_logout") in mine
    assert reverse("admin:index") not in mine
    client.force_login(staff)
    assert reverse("admin:index") in page(client, "/ping/")
    client.logout()
    assert reverse("profile") not in page(client, "/ping/")


def test_a_changed_office_record_shows_on_the_next_page(client, office):
    assert "Mo–Do 10:00–16:00" in page(client, "/ping/")
    changed = Office.objects.get()
    changed.opening_hours = "Fr 9:00–12:00"
    changed.phone = "0231 999"
    changed.save()
    html = page(client, "/ping/")
    assert "Fr 9:00–12:00" in html and "0231 999" in html
    assert "Mo–Do 10:00–16:00" not in html


def test_the_header_and_footer_follow_the_language(client, office):
    german = page(client, "/ping/")
    assert "Datenschutz<" in german and "Einloggen" in german
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = page(client, "/ping/")
    assert "Privacy policy" in english and "Datenschutz<" not in english
    assert "Log in" in english


def test_a_second_visit_renders_no_header_or_footer_template(client, office, django_assert_num_queries):
    from django.test.signals import template_rendered

    page(client, "/ping/")
    rendered = []

    def record(sender, template, **kwargs):
        rendered.append(template.name)

    template_rendered.connect(record)
    try:
        page(client, "/ping/")
    finally:
        template_rendered.disconnect(record)
    assert "quartier/ping.html" in rendered
    assert not {"includes/site_header.html", "includes/site_footer.html"} & set(rendered)


def test_no_template_holds_a_comment_that_would_show_on_the_page():
    """Django's {# #} ends at the line's end: a comment over several lines is printed as text."""
    roots = [Path(settings.BASE_DIR)]
    found = []
    for root in roots:
        for path in root.rglob("*.html"):
            if {".venv", "node_modules", "var", "staticfiles"} & set(path.parts):
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if "{#" in line and "#}" not in line.split("{#", 1)[1]:
                    found.append(f"{path.relative_to(root)}:{number}")
    assert not found
