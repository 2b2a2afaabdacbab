"""Every site-wide page in a real browser, in German and English: axe-core and the Nu HTML Checker clean,
no console errors, nothing requested from another host; and a new user's first steps, by keyboard."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from ..browser import axe_check, nu_check
from ..factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PUBLIC_PAGES = [
    "/",
    "/impressum/",
    "/datenschutz/",
    "/barrierefreiheit/",
    "/ping/",
    "/konto/signup/",
    "/konto/login/",
    "/konto/password/reset/",
    "/konto/password/reset/done/",
    "/konto/confirm-email/",
    "/konto/confirm-email/kaputter-schluessel/",
    "/konto/password/reset/key/zz-kaputt/",
    "/konto/password/reset/key/done/",
    "/konto/inactive/",
    "/gibt-es-nicht/",
]
ACCOUNT_PAGES = [
    "/konto/profil/",
    "/konto/email/",
    "/konto/password/change/",
    "/konto/reauthenticate/",
    "/konto/logout/",
]


def _error_pages_html(language: str) -> dict[str, str]:
    """The 400, 403, 500 and 503 pages as the portal renders them (no URL of the portal raises them)."""
    from django.template import loader
    from django.test import RequestFactory
    from django.utils import translation

    from quartier import views

    request = RequestFactory().get("/")
    request.user = __import__("django.contrib.auth.models", fromlist=["AnonymousUser"]).AnonymousUser()
    request.session = {}
    request.LANGUAGE_CODE = language
    pages = {}
    with translation.override(language):
        pages["400"] = views.bad_request(request).content.decode()
        pages["403"] = views.permission_denied(request).content.decode()
        pages["403-csrf"] = views.csrf_failure(request).content.decode()
        pages["500"] = views.server_error(request).content.decode()
        pages["503"] = views.service_unavailable(request).content.decode()
        pages["503-bare"] = loader.get_template("503_plain.html").render({})
    return pages


def _serve(html):
    def handler(route, request):
        route.fulfill(status=200, body=html, content_type="text/html; charset=utf-8")

    return handler


def _log_in(page, user_email):
    page.goto(reverse("account_login"))
    page.fill("#id_login", user_email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def _set_language(page, live_server, language):
    page.context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])


@pytest.mark.parametrize("language", ["de", "en"])
def test_every_site_page_is_accessible_and_valid(page, live_server, tmp_path, office, language):
    user = make_user(email="pruefer@example.org", language=language)
    _set_language(page, live_server, language)
    documents = {}

    def visit(path, label=None):
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == language, path
        axe_check(page, context=f"{label or path} [{language}]")
        documents[f"{label or path} [{language}]"] = page.content()

    for path in PUBLIC_PAGES:
        visit(path)
    # Forms with errors are pages too.
    page.goto("/konto/signup/")
    page.fill("#id_email", "kaputt@")
    page.fill("#id_password1", "kurz")
    page.fill("#id_password2", "anders")
    page.evaluate("document.querySelector('main form').noValidate = true")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator(".errorlist").count() > 0
    axe_check(page, context=f"sign-up with errors [{language}]")
    documents[f"sign-up with errors [{language}]"] = page.content()

    _log_in(page, user.email)
    for path in ACCOUNT_PAGES:
        visit(path)

    for name, html in _error_pages_html(language).items():
        # Serve the rendered error page under the portal's origin so that its stylesheet loads.
        url = f"{live_server.url}/__error-{name}/"
        page.route(url, _serve(html))
        visit(url, label=f"error {name}")

    # The 404 page's own status is the only "failed resource" expected.
    errors = [e for e in page.problems.console_errors if "/gibt-es-nicht/" not in e and "kaputt" not in e]
    assert errors == []
    nu_check(documents, tmp_path)


def test_new_user_signs_up_confirms_logs_in_and_switches_language(page, live_server, office, mailoutbox):
    page.goto("/")
    page.get_by_role("link", name="Registrieren").click()
    page.fill("#id_email", "neu@example.org")
    page.fill("#id_display_name", "Neue Nachbarin")
    page.fill("#id_password1", "Ein-gutes-Passwort-77")
    page.fill("#id_password2", "Ein-gutes-Passwort-77")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "E-Mail" in page.locator("h1").inner_text(), page.locator("main").inner_text()

    link = re.search(r"https?://\S+", mailoutbox[-1].body).group(0)
    page.goto(link)
    with page.expect_navigation():
        page.locator("main form button[type=submit]").click()
    page.goto("/konto/login/")
    if page.locator("#id_login").count():  # confirmation may already have logged in
        page.fill("#id_login", "neu@example.org")
        page.fill("#id_password", "Ein-gutes-Passwort-77")
        with page.expect_navigation():
            page.keyboard.press("Enter")
    page.goto("/impressum/")
    assert page.get_by_role("button", name="Abmelden").is_visible()

    page.locator(".language-switch summary").click()  # the switch opens to the eight languages
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.url.endswith("/impressum/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="Log out").is_visible()


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_content(page, office):
    page.goto("/barrierefreiheit/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.className")
    assert focused == "skip-link"
    assert page.locator(".skip-link").is_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_pages_work_on_a_320_pixel_wide_screen(browser, live_server, office):
    context = browser.new_context(viewport={"width": 320, "height": 640}, base_url=live_server.url)
    page = context.new_page()
    for path in ["/", "/konto/signup/", "/impressum/"]:
        page.goto(path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at 320px"
    context.close()


def test_only_session_csrf_and_language_cookies_are_set(page, live_server, office):
    user = make_user(email="keks@example.org")
    page.goto("/")
    _log_in(page, user.email)
    page.locator(".language-switch summary").click()
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    names = {cookie["name"] for cookie in page.context.cookies()}
    assert names <= {"sessionid", "csrftoken", "django_language"}
    assert "sessionid" in names


def test_logged_in_user_can_log_out_without_javascript(browser, live_server, office):
    user = make_user(email="nojs@example.org")
    client = Client()
    client.force_login(user)
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/konto/login/")
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.goto("/konto/profil/")
    assert page.locator("h1").inner_text() == "Profil"
    page.get_by_role("button", name="Abmelden").click()
    page.goto("/konto/profil/")
    assert "/konto/login/" in page.url
    context.close()
