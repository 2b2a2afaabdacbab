"""Site-wide pages: home, legal pages from the office record, health check, error pages, language switch."""

import pytest
from django.db import OperationalError
from django.test import override_settings
from django.urls import include, path, reverse

from quartier.models import Office

from ..factories import make_user

pytestmark = pytest.mark.django_db


def test_home_presents_the_office(client, office):
    html = client.get("/").content.decode()
    assert "Nordstadt" in html
    assert "Bornstraße 12" in html
    assert "Mo–Do 10:00–16:00" in html


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/impressum/", "Impressum"),
        ("/datenschutz/", "Datenschutzerklärung"),
        ("/barrierefreiheit/", "Erklärung zur Barrierefreiheit"),
    ],
)
def test_legal_pages_show_the_office_texts(client, office, url, heading):
    html = client.get(url).content.decode()
    assert f"<h1>{heading}</h1>" in html
    assert "info@quartier.example" in html  # placeholder {email} filled from the office record


def test_accessibility_statement_names_feedback_contact_and_conciliation_body(client, office):
    html = client.get("/barrierefreiheit/").content.decode()
    assert "Feedback" in html
    assert "Schlichtungsstelle" in html


def test_every_page_footer_links_the_legal_pages_and_office_contact(client, office):
    html = client.get(reverse("account_login")).content.decode()
    for url in ("/impressum/", "/datenschutz/", "/barrierefreiheit/"):
        assert f'href="{url}"' in html
    assert "0231 123 456 0" in html


def test_staff_text_is_escaped_not_executed(client, office):
    office.imprint = "## Kontakt\n<script>alert(1)</script> {email}"
    office.save()
    html = client.get("/impressum/").content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; info@quartier.example" in html


def test_a_stray_brace_in_a_legal_text_does_not_break_the_page(client, office):
    office.privacy = "Kosten {unbekannt} und { offen"
    office.save()
    response = client.get("/datenschutz/")
    assert response.status_code == 200
    assert "{ offen" in response.content.decode()


def test_office_has_a_single_record_with_german_defaults(db):
    first = Office.load()
    Office(name="Zweites Büro").save()
    assert Office.objects.count() == 1
    assert Office.objects.get().name == "Zweites Büro"
    assert "§ 5 DDG" in first.imprint


def test_office_edit_in_admin_shows_on_the_site(client, staff, office):
    client.force_login(staff)
    url = reverse("admin:quartier_office_change", args=[1])
    data = {
        "name": "QM",
        "district": "Borsigplatz",
        "about_de": "",
        "street": "Oesterholzstraße 1",
        "postcode": "44145",
        "city": "Dortmund",
        "phone": "0231 1",
        "email": "qm@example.org",
        "opening_hours_de": "Mo 9–12",
        "operator": "Stadt",
        "representative": "A. D.",
        # the texts have a field per language (quartier/content_languages.py); German is the one required
        "imprint_de": office.imprint,
        "privacy_de": office.privacy,
        "accessibility_de": office.accessibility,
        "leichte_sprache": office.leichte_sprache,
        "data_licence": office.data_licence,
        "data_licence_url": office.data_licence_url,
    }
    assert client.post(url, data).status_code == 302
    assert "Borsigplatz" in client.get("/").content.decode()


def test_office_admin_list_leads_to_the_single_record(client, staff, office):
    client.force_login(staff)
    response = client.get(reverse("admin:quartier_office_changelist"))
    assert response["Location"] == reverse("admin:quartier_office_change", args=[1])


def test_admin_is_for_staff_only(client, resident, office):
    client.force_login(resident)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["database"] is True


def test_healthz_answers_503_when_the_database_does_not(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503


def test_unknown_url_gets_the_portal_404_page_in_german(client, office):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Diese Seite gibt es nicht" in html
    assert 'class="skip-link"' in html


def test_unknown_url_in_english(client, office):
    client.cookies["django_language"] = "en"
    html = client.get("/gibt-es-nicht/").content.decode()
    assert "This page does not exist" in html
    assert '<html lang="en">' in html


def _boom(request):
    raise RuntimeError("kaputt")


def _denied(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied


def _bad(request):
    from django.core.exceptions import SuspiciousOperation

    raise SuspiciousOperation("bad")


urlpatterns = [path("boom/", _boom), path("denied/", _denied), path("bad/", _bad), path("", include("quartier.urls"))]
handler400 = "quartier.views.bad_request"
handler403 = "quartier.views.permission_denied"
handler404 = "quartier.views.page_not_found"
handler500 = "quartier.views.server_error"


@override_settings(ROOT_URLCONF=__name__)
@pytest.mark.parametrize(
    ("url", "status", "text"),
    [
        ("/boom/", 500, "Bei uns ist etwas schiefgegangen"),
        ("/denied/", 403, "Sie dürfen diese Seite nicht öffnen"),
        ("/bad/", 400, "Wir konnten diese Anfrage nicht verstehen"),
    ],
)
def test_error_pages_are_in_the_portal_design(client, office, url, status, text):
    client.raise_request_exception = False
    response = client.get(url)
    assert response.status_code == status
    html = response.content.decode()
    assert text in html
    assert 'class="site-header"' in html


def test_language_switch_keeps_the_user_on_the_same_page(client, office):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/impressum/"})
    assert response.status_code == 302
    assert response["Location"] == "/impressum/"
    assert "Privacy policy" in client.get("/impressum/").content.decode()


def test_a_bad_language_code_is_ignored_without_error(client, office):
    response = client.post(reverse("set_language"), {"language": "xx'\"<>", "next": "/"})
    assert response.status_code == 302
    assert '<html lang="de">' in client.get("/").content.decode()


def test_language_switch_refuses_to_redirect_to_another_host(client, office):
    response = client.post(reverse("set_language"), {"language": "en", "next": "https://evil.example/"})
    assert "evil.example" not in response.get("Location", "")


def test_header_shows_account_menu_for_logged_in_user(client, office):
    user = make_user(display_name="Mia")
    client.force_login(user)
    html = client.get("/").content.decode()
    assert "Mein Konto" in html
    assert "Abmelden" in html
    assert "Registrieren" not in html


def test_csrf_failure_is_explained(office):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    response = csrf_client.post(reverse("account_login"), {"login": "a@example.org", "password": "x"})
    assert response.status_code == 403
    assert "Das Formular ist abgelaufen" in response.content.decode()


@pytest.mark.django_db
def test_ping_page_is_the_base_template_with_a_heading(client, office, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):  # the office record, then cached
        response = client.get("/ping/")
    assert response.status_code == 200
    assert "<h1>Das Portal läuft</h1>" in response.content.decode()


def test_favicon_ico_leads_to_the_sites_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".svg")
