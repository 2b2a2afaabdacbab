"""Sign-up, e-mail verification, log-in, password reset and change, e-mail change, profile."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse

from quartier.models import User

from ..factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def _link_from(mail) -> str:
    return re.search(r"https?://[^\s]+", mail.body).group(0)


def _signup(client, email="neu@example.org", password="Ein-gutes-Passwort-77", display_name="Neue Nachbarin"):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": password, "password2": password, "display_name": display_name},
    )


def test_signup_asks_for_the_name_others_see(client, mailoutbox, office):
    """Issue 12 point 4: without a name the e-mail address stood in for it on others' pages."""
    form = client.get(reverse("account_signup")).content.decode()
    assert 'name="display_name"' in form
    refused = _signup(client, display_name="   ")
    assert refused.status_code == 200 and not User.objects.exists()
    assert "display_name" in refused.context["form"].errors
    assert _signup(client, display_name="  Maria   K. ").status_code == 302
    assert User.objects.get(email="neu@example.org").display_name == "Maria K."


def test_signup_sends_a_verification_mail_and_confirming_logs_in(client, mailoutbox, office):
    response = _signup(client)
    assert response.status_code == 302
    user = User.objects.get(email="neu@example.org")
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mailoutbox) == 1
    link = _link_from(mailoutbox[0])
    assert "/konto/confirm-email/" in link

    page = client.get(link)
    assert page.status_code == 200
    assert "Bestätigen" in page.content.decode()
    confirmed = client.post(link)
    assert confirmed.status_code == 302
    assert EmailAddress.objects.get(user=user).verified
    assert client.get(reverse("profile")).status_code == 200


def test_unverified_user_cannot_log_in(client, mailoutbox, office):
    make_user(email="offen@example.org", verified=False)
    response = client.post(reverse("account_login"), {"login": "offen@example.org", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert client.get(reverse("profile")).status_code == 302


def test_signup_with_a_taken_email_creates_nothing_and_tells_the_owner(client, mailoutbox, office):
    """No account enumeration: the page looks like any sign-up, the address's owner gets a mail."""
    make_user(email="vergeben@example.org")
    response = _signup(client, email="vergeben@example.org")
    assert response.status_code == 302
    assert User.objects.filter(email="vergeben@example.org").count() == 1
    assert mailoutbox[-1].to == ["vergeben@example.org"]
    assert "bereits" in mailoutbox[-1].body


def test_signup_with_a_malformed_email_keeps_the_input(client, office):
    response = _signup(client, email="keine-adresse@")
    html = response.content.decode()
    assert response.status_code == 200
    assert "gültige E-Mail-Adresse" in html
    assert 'value="keine-adresse@"' in html
    assert not User.objects.exists()


def test_signup_with_mismatched_passwords_is_refused(client, office):
    response = client.post(
        reverse("account_signup"),
        {"email": "a@example.org", "password1": "Ein-gutes-Passwort-77", "password2": "anderes-Passwort-88"},
    )
    assert response.status_code == 200
    assert "Passwort" in response.content.decode()
    assert not User.objects.exists()


def test_login_with_a_wrong_password_says_so(client, office):
    make_user(email="maria@example.org")
    response = client.post(reverse("account_login"), {"login": "maria@example.org", "password": "falsch"})
    assert response.status_code == 200
    assert "leider falsch" in response.content.decode()


def test_login_is_case_insensitive_for_the_email(client, office):
    make_user(email="maria@example.org")
    response = client.post(reverse("account_login"), {"login": "Maria@Example.org", "password": PASSWORD})
    assert response.status_code == 302


def test_password_reset_mail_lets_the_user_set_a_new_password(client, mailoutbox, office):
    user = make_user(email="maria@example.org")
    client.post(reverse("account_reset_password"), {"email": "maria@example.org"})
    assert len(mailoutbox) == 1
    link = _link_from(mailoutbox[0])
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": "Neues-Passwort-2027", "password2": "Neues-Passwort-2027"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Neues-Passwort-2027")


def test_an_expired_or_forged_reset_link_shows_a_clear_message(client, office):
    user = make_user()
    url = reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "kaputt-token"})
    response = client.get(url, follow=True)
    assert response.status_code == 200
    assert "ungültig" in response.content.decode()
    # A real token of a user whose password changed since is expired too.
    token = default_token_generator.make_token(user)
    user.set_password("schon-geaendert-123")
    user.save()
    url = reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": token})
    assert "ungültig" in client.get(url, follow=True).content.decode()


def test_password_change_needs_the_old_password(client, office):
    user = make_user()
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "falsch", "password1": "Neues-Passwort-2027", "password2": "Neues-Passwort-2027"},
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "Neues-Passwort-2027", "password2": "Neues-Passwort-2027"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Neues-Passwort-2027")


def test_email_change_sends_a_verification_to_the_new_address(client, mailoutbox, office):
    user = make_user(email="alt@example.org")
    client.force_login(user)
    response = client.post(reverse("account_email"), {"action_add": "", "email": "neu@example.org"})
    assert response.status_code == 302
    assert mailoutbox[-1].to == ["neu@example.org"]
    assert EmailAddress.objects.get(email="neu@example.org").verified is False


def test_profile_saves_display_name_and_language(client, office):
    user = make_user()
    client.force_login(user)
    response = client.post(reverse("profile"), {"display_name": "Mia", "language": "en"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.language) == ("Mia", "en")
    assert response.cookies["django_language"].value == "en"
    assert "Your profile has been saved." in client.get(reverse("profile")).content.decode()


def test_profile_refuses_an_unknown_language(client, office):
    user = make_user()
    client.force_login(user)
    response = client.post(reverse("profile"), {"display_name": "Mia", "language": "xx"})
    assert response.status_code == 200
    assert 'value="Mia"' in response.content.decode()
    user.refresh_from_db()
    assert user.language == "de"


def test_login_switches_to_the_users_language(client, office):
    make_user(email="en@example.org", language="en")
    response = client.post(reverse("account_login"), {"login": "en@example.org", "password": PASSWORD})
    assert response.cookies["django_language"].value == "en"


def test_profile_requires_login(client, office):
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_repeated_failed_logins_are_rate_limited(client, office):
    make_user(email="maria@example.org")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "maria@example.org", "password": "falsch"})
    response = client.post(reverse("account_login"), {"login": "maria@example.org", "password": PASSWORD})
    assert "Zu viele gescheiterte Anmeldeversuche" in response.content.decode()
    assert client.get(reverse("profile")).status_code == 302


INFORMAL = {"du", "dich", "dir", "dein", "deine", "deinen", "deinem", "deiner", "hast", "bist", "kannst", "gib"}


def _informal_words(text: str) -> set[str]:
    """The informal words of what a person reads: the markup's own words (<html dir="ltr">) are left out."""
    return set(re.findall(r"\w+", re.sub(r"<[^>]*>", " ", text).lower())) & INFORMAL


def test_account_pages_and_mails_address_people_formally(client, mailoutbox, office):
    """allauth's own German is informal ("du"); the portal's override catalogue makes it "Sie"."""
    make_user(email="maria@example.org")
    pages = {
        name: client.get(reverse(name)).content.decode()
        for name in ("account_login", "account_signup", "account_reset_password")
    }
    client.post(reverse("account_reset_password"), {"email": "maria@example.org"})
    pages["reset done"] = client.get(reverse("account_reset_password_done")).content.decode()
    for _ in range(6):
        rate_limited = client.post(reverse("account_login"), {"login": "maria@example.org", "password": "x"})
    pages["rate limited"] = rate_limited.content.decode()
    _signup(client, email="maria@example.org")  # the owner is told an account exists
    for mail in mailoutbox:
        pages[mail.subject] = mail.subject + mail.body
    assert {name: _informal_words(text) for name, text in pages.items() if _informal_words(text)} == {}
    assert "Geben Sie unten Ihre E-Mail-Adresse ein" in pages["account_reset_password"]
    assert "Bitte versuchen Sie es später erneut" in pages["rate limited"]
    assert "Sie erhalten diese E-Mail" in pages[mailoutbox[0].subject]


@pytest.mark.production_hasher
def test_passwords_are_stored_with_the_production_hasher(client, office):
    """The rest of the suite hashes with MD5 for speed; the portal itself stores PBKDF2 hashes."""
    user = make_user(email="hash@example.org")
    assert user.password.startswith("pbkdf2_sha256$")
    response = client.post(reverse("account_login"), {"login": "hash@example.org", "password": PASSWORD})
    assert response.status_code == 302 and client.session.get("_auth_user_id") == str(user.pk)


def test_the_message_after_login_names_the_person_but_travels_in_the_session_not_a_cookie(client, office):
    make_user(email="maria@example.org", display_name="Maria Kowalski")
    response = client.post(reverse("account_login"), {"login": "maria@example.org", "password": PASSWORD})
    assert response.status_code == 302 and "messages" not in response.cookies
    page = client.get(response["Location"])
    assert "Maria Kowalski" in "".join(str(message) for message in page.context["messages"])
    assert "messages" not in page.cookies and "messages" not in client.cookies


@pytest.mark.production_hasher
def test_signup_hashes_one_password_whether_or_not_the_address_has_an_account(client, office):
    """No account enumeration by timing: the known-address path does the new account's hashing work too."""
    from unittest import mock

    from django.contrib.auth.hashers import PBKDF2PasswordHasher, get_hasher

    make_user(email="vergeben@example.org", password="x")  # hashed before counting starts
    assert isinstance(get_hasher(), PBKDF2PasswordHasher)
    counts = {}
    for email in ("neu@example.org", "vergeben@example.org"):
        with mock.patch.object(
            PBKDF2PasswordHasher, "encode", autospec=True, side_effect=PBKDF2PasswordHasher.encode
        ) as encode:
            assert _signup(client, email=email).status_code == 302
        counts[email] = encode.call_count
    assert counts == {"neu@example.org": 1, "vergeben@example.org": 1}
    assert User.objects.filter(email="vergeben@example.org").count() == 1
