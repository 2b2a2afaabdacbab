"""The admin as the office uses it: every kind of admin page, in a real browser, as staff with two-factor auth.

On the demo district, the crawler starts at the admin index and follows the links under /admin/: each app's
index, every model's changelist, add page and the change page of one object, the password change and what
those pages link to. Each kind of page (URL name; the query is left out, a changelist's filters are the same
page) is visited once and must answer below 400 without a redirect, log no console error while it loads and
sets up its widgets (a 404 icon, or an inline style or script the Content-Security-Policy blocks, would),
pass axe-core (WCAG 2.1 A/AA) and, at the end, the Nu HTML Checker. Logout, delete confirmations, history,
"view on site" and the autocomplete/JavaScript endpoints are not pages to check here.

Console errors are read before axe runs: axe-core's CSS preload (for the css-orientation-lock rule) re-parses
stylesheets that contain @import (the admin's forms.css imports widgets.css) into <style> elements of a
scratch document, which the page's `style-src 'self'` blocks; those two messages are axe's, not the admin's.
"""

import re
from collections import deque
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve

from .browser import axe_check, nu_check
from .factories import make_superuser
from .test_crawl import _log_in

SKIPPED_SUFFIXES = ("/delete/", "/history/")
SKIPPED_VIEWS = {"admin:logout", "admin:view_on_site", "admin:autocomplete", "admin:jsi18n", "admin:login"}
MAX_PAGES = 250
# The crawl in two parts, each a test of its own (one crawl of the whole admin took two to three minutes on one
# core, axe-core on long change forms most of it): these apps, then everything else (the admin's own pages
# included, and any app added later).
SECOND_PART_APPS = {"initiatives", "fund", "volunteers"}
PARTS = ("office-and-rooms", "initiatives-fund-volunteers")
# what each part must have reached: index, changelists, add and change pages, the account pages
EXPECTED_KINDS = {
    "office-and-rooms": (
        "admin:index",
        "admin:password_change",
        "admin:auth_group_add",
        "admin:rooms_booking_change",
        "admin:quartier_user_change",
        "admin:quartier_office_change",
    ),
    "initiatives-fund-volunteers": (
        "admin:volunteers_payment_add",
        "admin:initiatives_invitation_add",
        "admin:fund_fundapplication_changelist",
    ),
}

# Django's inlines.js sets autocomplete="off" on the formset management inputs (TOTAL_FORMS, MIN_NUM_FORMS,
# MAX_NUM_FORMS), which are type="hidden", so that a browser restoring the form on "back" does not bring
# back a stale form count after rows were added. The HTML standard allows autocomplete on hidden inputs only
# with autofill tokens, so the Nu HTML Checker reports it; the markup is the admin's script's and serves that
# purpose: this one message, on these inputs only, is not counted.
HIDDEN_AUTOCOMPLETE = (
    "An “input” element with a “type” attribute whose value is “hidden” must not have an "
    "“autocomplete” attribute whose value is “on” or “off”."
)
MANAGEMENT_INPUT = re.compile(
    r'<input type="hidden" name="[\w-]+-(TOTAL|MIN_NUM|MAX_NUM)_FORMS"[^<>]*'
    r'autocomplete="off">'
)


def _django_management_input(message: dict) -> bool:
    return message["message"] == HIDDEN_AUTOCOMPLETE and bool(MANAGEMENT_INPUT.search(message.get("extract", "")))


def _part_of(path: str) -> str:
    """The part of the crawl a path under /admin/ belongs to, by its first segment (the app's label)."""
    return PARTS[path.removeprefix("/admin/").split("/", 1)[0] in SECOND_PART_APPS]


def _admin_kind(path: str, part: str | None = None) -> str | None:
    """The view's name; None for what the crawl (or this part of it) leaves out."""
    if not path.startswith("/admin/") or path.endswith(SKIPPED_SUFFIXES):
        return None
    if part is not None and _part_of(path) != part:
        return None
    try:
        name = resolve(path).view_name
    except Resolver404:
        return path  # a broken link: visited, so that it fails
    return None if name in SKIPPED_VIEWS else name


def _crawl_admin(page, live_server, documents: dict, part: str) -> tuple[list[str], set[str]]:
    start = ["/admin/"] if part == PARTS[0] else [f"/admin/{label}/" for label in sorted(SECOND_PART_APPS)]
    problems, seen, queue = [], set(), deque(start)
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        kind = _admin_kind(path, part)
        if kind is None or kind in seen:
            continue
        seen.add(kind)
        console_before = len(page.problems.console_errors)
        response = page.goto(live_server.url + path)
        if response is None or response.status >= 400:
            problems.append(f"{path}: status {response.status if response else 'none'}")
            continue
        final = urlsplit(page.url).path
        if final != path:  # the office's changelist leads to its one record
            if not final.startswith("/admin/"):
                problems.append(f"{path}: redirected to {page.url}")
                continue
            if _admin_kind(final, part) in seen:
                continue
            seen.add(_admin_kind(final, part))
        if len(page.problems.console_errors) > console_before:
            problems.append(f"{path}: console {page.problems.console_errors[console_before:]}")
        try:
            axe_check(page, context=path)
        except pytest.fail.Exception as failure:  # collect every page's violations, not only the first
            problems.append(str(failure))
        documents[path] = page.content()
        for href in page.eval_on_selector_all("a[href]:not([download])", "els => els.map(e => e.href)"):
            link = urlsplit(href)
            if f"{link.scheme}://{link.netloc}" == live_server.url:
                queue.append(link.path)
    return problems, seen


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("part", PARTS)
def test_every_kind_of_admin_page_is_clean(page, live_server, tmp_path, part):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    _log_in(page.context, live_server, make_superuser(email="admin-crawl@example.org"))
    documents = {}
    problems, seen = _crawl_admin(page, live_server, documents, part)
    print(f"{len(documents)} admin pages checked")
    try:
        nu_check(documents, tmp_path, ignore=_django_management_input)
    except pytest.fail.Exception as failure:
        problems.append(str(failure))
    assert problems == [], "\n".join(problems)
    for kind in EXPECTED_KINDS[part]:  # the crawl really went through its part of the admin
        assert kind in seen
    assert len(documents) > 45
