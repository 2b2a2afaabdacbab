"""Issue 13: the language a person chose stays hers (login, header switch, mails); allauth's mails speak in the
office's voice; sign-up names the privacy notice and leads to a welcome page."""

import pytest
from django.urls import reverse

from quartier import mail

from ..factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def _login(client, email):
    return client.post(reverse("account_login"), {"login": email, "password": PASSWORD})


def test_an_english_account_logs_in_to_english_pages(client, office):
    make_user(email="en@example.org", language="en")
    client.cookies["django_language"] = "de"  # the browser was left in German
    response = _login(client, "en@example.org")
    assert response.cookies["django_language"].value == "en"
    page = client.get(reverse("home"))
    assert page.headers["Content-Language"] == "en"
    assert '<html lang="en"' in page.content.decode()


def test_the_header_switch_stores_the_language_in_the_profile(client, office, mailoutbox):
    user = make_user(email="en@example.org", language="en")
    _login(client, "en@example.org")
    response = client.post(reverse("set_language"), {"language": "de", "next": "/"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "de"
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == "en"
    mail.send(
        user,
        "account/email/password_changed_message.txt",
        {},
        subject_template="account/email/password_changed_subject.txt",
    )
    assert "password" in mailoutbox[-1].subject.lower() and "Passwort" not in mailoutbox[-1].body


def test_the_header_switch_of_a_visitor_changes_no_account(client, office):
    user = make_user(email="de@example.org", language="de")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    user.refresh_from_db()
    assert user.language == "de"


def test_an_unknown_language_is_not_stored(client, office):
    user = make_user(email="de@example.org", language="de")
    _login(client, "de@example.org")
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    user.refresh_from_db()
    assert user.language == "de"
