"""A new user's tour: every kind of page reachable by links, for each role, in a real browser.

On the demo district, the crawler follows the links of each page (same host only) as anonymous visitor,
resident, initiative lead and staff. Each kind of page (URL name and query keys) is visited once per role
and must answer without error, request nothing from another host, log no console error (a blocked inline
script or style under the Content-Security-Policy would), pass axe-core and, at the end, the Nu HTML Checker.
Every page must also fit a 320 px phone and a 1280 px desktop without sideways scrolling (the same page is
resized and measured, not loaded again). The resident goes round once more in English (longer words), and on
shorter rounds in Turkish and in Arabic (right to left: `<html dir="rtl">`, the layout mirrored must fit too).
The only cookies the portal sets are the session, the CSRF token and the language.
"""

import re
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
WIDTHS = (320, 1280)  # a small phone and a laptop; the page is loaded (and axe runs) at 1280
DESKTOP = {"width": 1280, "height": 720}
# what sticks out on the right, to name in a failure
WIDER_THAN_VIEWPORT = """() => {
    const width = window.innerWidth;
    if (document.documentElement.scrollWidth <= width) return null;
    const wide = [...document.querySelectorAll("body *")].filter((el) => el.getBoundingClientRect().right > width + 1);
    const innermost = wide.filter((el) => !wide.some((other) => other !== el && el.contains(other)));
    const name = (el) => el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") +
        (el.classList.length ? "." + [...el.classList].join(".") : "");
    return `${document.documentElement.scrollWidth}px: ` + innermost.slice(0, 3).map(name).join(", ");
}"""


def _kind(path: str, query: str) -> tuple | None:
    """What makes two URLs the same kind of page: the view's name and the query's keys (not their values)."""
    try:
        match = resolve(path)
    except Resolver404:
        return (path,)  # a broken link: visited, so that it fails
    return (match.view_name, tuple(sorted({key for key, _ in parse_qsl(query)})))


# The resident's rounds in other languages: (language, direction, most kinds of page). Fewer pages than the German
# rounds: what a language can break (longer words, right to left) shows on the first pages of each app.
LANGUAGE_ROUNDS = [("en", "ltr", 40), ("tr", "ltr", 25), ("ar", "rtl", 25)]


# Pages in German whatever the interface language (the page in Leichte Sprache: quartier.views.leichte_sprache_page)
GERMAN_ONLY = ("/leichte-sprache/",)


def _in_language(code: str, direction: str) -> re.Pattern:
    return re.compile(rf'<html lang="{code}" dir="{direction}"[\s>]')  # the door sign's <html> has a class too


def _log_in(context, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])


def _overflow(page) -> list[str]:
    """Sideways scrolling of the loaded page at each of WIDTHS; the viewport is left at the desktop width."""
    found = []
    for width in WIDTHS:
        if width != page.viewport_size["width"]:
            page.set_viewport_size({**DESKTOP, "width": width})
        wider = page.evaluate(WIDER_THAN_VIEWPORT)
        if wider:
            found.append(f"wider than {width} px ({wider})")
    if page.viewport_size != DESKTOP:
        page.set_viewport_size(DESKTOP)
    return found


def _crawl(page, live_server, start: list[str], label: str, documents: dict, max_pages=MAX_PAGES) -> list[str]:
    problems, seen, queue = [], set(), deque(start)
    while queue and len(seen) < max_pages:
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
        problems += [f"{label} {url}: {overflow}" for overflow in _overflow(page)]
        documents[f"{label} {url}"] = page.content()
        for href in page.eval_on_selector_all("a[href]:not([download])", "els => els.map(e => e.href)"):
            link = urlsplit(href)
            if f"{link.scheme}://{link.netloc}" != live_server.url or link.path.startswith(SKIPPED_PREFIXES):
                continue
            if link.path.endswith(DOWNLOADS) or any(part in link.path for part in DOWNLOADS):
                continue
            queue.append(link.path + (f"?{link.query}" if link.query else ""))
    return problems


# The rounds in three parts, each a test of its own, so that the suite's workers share them (one crawl of every
# round took two to four minutes on one core): (label, account, language, most kinds of page, fewest).
ROUNDS = {
    "anonymous-and-resident": [("anonymous", None, "de", MAX_PAGES, 30), ("resident", "resident", "de", MAX_PAGES, 50)],
    "lead-and-staff": [("lead", "lead", "de", MAX_PAGES, 50), ("staff", "staff", "de", MAX_PAGES, 60)],
    "other-languages": [
        (f"resident ({code})", "resident", code, most, most - 5) for code, _dir, most in LANGUAGE_ROUNDS
    ],
}
DIRECTIONS = {"de": "ltr", **{code: direction for code, direction, _most in LANGUAGE_ROUNDS}}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("part", ROUNDS)
def test_every_kind_of_page_is_clean_for_every_role(page, live_server, tmp_path, part):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    accounts = {
        "resident": User.objects.get(email="bewohnerin@quartier.example"),
        "lead": User.objects.get(email="initiative@quartier.example"),
        "staff": make_staff(email="crawl-staff@example.org"),
    }
    start = ["/", "/konto/profil/", "/konto/meine-daten/", "/konto/2fa/"]
    problems, documents = [], {}
    page.set_viewport_size(DESKTOP)
    for label, account, code, max_pages, fewest in ROUNDS[part]:
        user = accounts.get(account)
        page.context.clear_cookies()
        if code != "de":  # English, Turkish and Arabic: longer words, other texts and the mirrored layout must fit
            page.context.add_cookies([{"name": "django_language", "value": code, "url": live_server.url}])
        if user is not None:
            _log_in(page.context, live_server, user)
        own_start = ["/"] if user is None else start + (["/buero/"] if user.is_staff else [])
        pages = {}
        problems += _crawl(page, live_server, own_start, label, pages, max_pages=max_pages)
        names = {cookie["name"] for cookie in page.context.cookies()}
        if not names <= ALLOWED_COOKIES:
            problems.append(f"{label}: cookies {sorted(names - ALLOWED_COOKIES)}")
        expected, german = _in_language(code, DIRECTIONS[code]), _in_language("de", "ltr")
        problems += [
            f"{name}: not <html lang={code} dir={DIRECTIONS[code]}>"
            for name, html in pages.items()
            if not (german if name.endswith(GERMAN_ONLY) else expected).search(html)
        ]
        print(f"{label}: {len(pages)} kinds of page crawled")
        if len(pages) < fewest:  # the crawl really went through the portal
            problems.append(f"{label}: only {len(pages)} kinds of page reached, expected at least {fewest}")
        documents.update(pages)
    assert problems == [], "\n".join(problems)
    nu_check(documents, tmp_path)
