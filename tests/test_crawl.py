"""A new user's tour: every kind of page reachable by links, for each role, in a real browser.

On the demo district, the crawler follows the links of each page (same host only) as anonymous visitor,
resident, initiative lead and staff. Each kind of page (URL name and query keys) is visited once per role
and must answer without error, request nothing from another host, log no console error (a blocked inline
script or style under the Content-Security-Policy would), pass axe-core and, at the end, the Nu HTML Checker.
The only cookies the portal sets are the session, the CSRF token and the language.
"""

from collections import deque
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import Resolver404, resolve

from quartier.models import User

from .browser import axe_check, nu_check
from .factories import make_staff

ALLOWED_COOKIES = {"sessionid", "csrftoken", "django_language"}
SKIPPED_PREFIXES = ("/i18n/", "/konto/logout/", "/media/", "/static/", "/admin/")
DOWNLOADS = (".ics", ".pdf", ".csv", ".xlsx", ".json", "/csv/", "/pdf/", "/download/", "/feed/", "/kalender.ics")
MAX_PAGES = 70


def _kind(path: str, query: str) -> tuple | None:
    """What makes two URLs the same kind of page: the view's name and the query's keys (not their values)."""
    try:
        match = resolve(path)
    except Resolver404:
        return (path,)  # a broken link: visited, so that it fails
    return (match.view_name, tuple(sorted({key for key, _ in parse_qsl(query)})))


def _log_in(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def _crawl(page, live_server, start: list[str], label: str, documents: dict) -> list[str]:
    problems, seen, queue = [], set(), deque(start)
    while queue and len(seen) < MAX_PAGES:
        url = queue.popleft()
        parts = urlsplit(url)
        kind = _kind(parts.path, parts.query)
        if kind in seen:
            continue
        seen.add(kind)
        console_before = len(page.problems.console_errors)
        response = page.goto(live_server.url + url)
        if response is None or response.status >= 400:
            problems.append(f"{label} {url}: status {response.status if response else 'none'}")
            continue
        if len(page.problems.console_errors) > console_before:
            problems.append(f"{label} {url}: console {page.problems.console_errors[console_before:]}")
        axe_check(page, context=f"{label} {url}")
        documents[f"{label} {url}"] = page.content()
        for href in page.eval_on_selector_all("a[href]:not([download])", "els => els.map(e => e.href)"):
            link = urlsplit(href)
            if f"{link.scheme}://{link.netloc}" != live_server.url or link.path.startswith(SKIPPED_PREFIXES):
                continue
            if link.path.endswith(DOWNLOADS) or any(part in link.path for part in DOWNLOADS):
                continue
            queue.append(link.path + (f"?{link.query}" if link.query else ""))
    return problems


@pytest.mark.django_db(transaction=True)
def test_every_kind_of_page_is_clean_for_every_role(page, live_server, tmp_path, settings):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    roles = {
        "anonymous": None,
        "resident": User.objects.get(email="bewohnerin@quartier.example"),
        "lead": User.objects.get(email="initiative@quartier.example"),
        "staff": make_staff(email="crawl-staff@example.org"),
    }
    start = ["/", "/konto/profil/", "/konto/meine-daten/", "/konto/2fa/"]
    problems, documents = [], {}
    for label, user in roles.items():
        page.context.clear_cookies()
        if user is not None:
            _log_in(page.context, live_server, user)
        own_start = ["/"] if user is None else start + (["/buero/"] if user.is_staff else [])
        problems += _crawl(page, live_server, own_start, label, documents)
        names = {cookie["name"] for cookie in page.context.cookies()}
        if not names <= ALLOWED_COOKIES:
            problems.append(f"{label}: cookies {sorted(names - ALLOWED_COOKIES)}")
    assert problems == []
    print(f"{len(documents)} pages crawled")
    assert len(documents) > 60  # the crawl really went through the portal
    nu_check(documents, tmp_path)
