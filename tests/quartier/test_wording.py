"""Issue 13 point 20 (texts) and point 13 (wording): one English word, two German meanings, two contexts; the
admin's headings in German; logging in is "Einloggen", registering for an event "Anmelden"."""

import re

import pytest
from django.urls import reverse

from ..events.factories import make_event
from ..factories import PASSWORD, make_staff, make_superuser, make_user

pytestmark = pytest.mark.django_db


def test_the_second_factor_step_says_abbrechen_not_stornieren(client, office):
    staff = make_staff(email="buero@example.org")
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="de")
    html = client.get(reverse("mfa_authenticate"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Abbrechen" in html
    assert "Stornieren" not in html


def _admin_index(client):
    client.force_login(make_superuser())
    return client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="de").content.decode()


def test_the_admin_index_names_everything_in_german_and_each_thing_once(client, office):
    html = _admin_index(client)
    names = re.findall(r'<th scope="row"[^>]*>\s*<a[^>]*>([^<]*)</a>', html)
    headings = re.findall(r"<caption>\s*<a[^>]*>([^<]*)</a>", html)
    assert "Authenticators" not in names and "MFA" not in headings
    assert "Zwei-Faktor-Anmeldung" in headings and "Authenticator-Apps" in names
    assert names.count("Buchungen") == 1 and "Fondsbuchungen" in names
    assert "Task Results" not in html


def test_a_cancelled_event_is_abgesagt_in_the_admin(client, office):
    make_event(title="Hoffest", is_cancelled=True)
    client.force_login(make_superuser())
    html = client.get(reverse("admin:events_event_changelist"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Abgesagt" in html and "Storniert" not in html


def test_logging_in_is_einloggen_and_registering_for_an_event_is_anmelden(client, office):
    event = make_event(title="Hoffest", registration_required=True, capacity=10)
    page = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Einloggen" in page  # the header's link and "Einloggen, um sich anzumelden"
    login = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "Einloggen" in login
    assert not re.search(r"<h1[^>]*>\s*Anmeld", login)
    make_user(email="maria@example.org")
    client.post(reverse("account_login"), {"login": "maria@example.org", "password": PASSWORD})
    page = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert re.search(r"<button[^>]*>\s*Anmelden", page)
