"""Issue 13: the language a person chose stays hers (login, header switch, mails); allauth's mails speak in the
office's voice; sign-up names the privacy notice and leads to a welcome page."""

import re

import pytest
from django.urls import reverse

from quartier import mail
from quartier.models import User

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


@pytest.mark.parametrize(("language", "direction"), [("tr", "ltr"), ("ar", "rtl")])
def test_the_header_switch_keeps_a_new_language_in_the_profile(client, office, language, direction):
    user = make_user(email="neu@example.org", language="de")
    _login(client, user.email)
    response = client.post(reverse("set_language"), {"language": language, "next": "/raeume/"})
    assert response.status_code == 302 and response["Location"] == "/raeume/"
    user.refresh_from_db()
    assert user.language == language
    client.cookies.clear()  # the next login on another browser brings the language back
    _login(client, user.email)
    assert f'<html lang="{language}" dir="{direction}">' in client.get("/").content.decode()


def test_the_switch_names_every_language_in_itself_and_marks_the_current_one(client, office):
    client.cookies["django_language"] = "ar"
    html = client.get("/").content.decode()
    switch = html[html.index('<form class="language-switch"') :]
    switch = switch[: switch.index("</form>")]
    for code, name in [
        ("de", "Deutsch"),
        ("en", "English"),
        ("tr", "Türkçe"),
        ("bg", "Български"),
        ("ro", "Română"),
        ("pl", "Polski"),
        ("uk", "Українська"),
    ]:
        assert (
            f'name="language" value="{code}" lang="{code}" class="link-button language-switch__button">{name}<'
            in switch
        )
    assert 'lang="ar" dir="rtl" aria-current="true">العربية<' in switch  # the page's own: no button
    assert 'value="ar"' not in switch
    assert "<details" in switch and "<script" not in switch  # works without JavaScript


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


# --- allauth's mails in the office's voice (point 5) ---------------------------------------------------------

URL = re.compile(r"https?://\S+")
OFFICE = "Quartiersmanagement Nordstadt"


def _signup(client, email="neu@example.org", display_name="Neue Nachbarin", **headers):
    password = "Ein-gutes-Passwort-77"
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": password, "password2": password, "display_name": display_name},
        **headers,
    )


def _in_the_offices_voice(message, *, greeting: str, not_you: str):
    body = message.body
    assert body.startswith(greeting), body
    assert "Hallo von" not in body and "Hello from" not in body
    assert "example.com" not in body and "Thank you for using" not in body
    text_without_links = URL.sub("", body)
    assert "127.0.0.1" not in text_without_links and "testserver" not in text_without_links  # no raw host
    assert OFFICE in body  # the closing
    assert "0231 123 456 0" in body and "info@quartier.example" in body and "Bornstraße 12" in body
    assert not_you in body
    assert message.subject.startswith("[Quartier] ")


def test_the_signup_confirmation_mail_in_german_and_the_confirm_page(client, office, mailoutbox):
    _signup(client)
    (message,) = mailoutbox
    _in_the_offices_voice(message, greeting="Guten Tag Neue Nachbarin,", not_you="Sie haben sich nicht registriert?")
    assert "Bitte bestätigen Sie Ihre E-Mail-Adresse" in message.subject
    assert f"im Stadtteilportal von {OFFICE}" in message.body
    link = URL.findall(message.body)[0]
    page = client.get(link).content.decode()
    text = " ".join(re.sub(r"<[^>]+>", "", page).split())
    assert f"Bestätigen Sie, dass neu@example.org Ihre Adresse für Ihr Konto bei {OFFICE} ist." in text
    confirmed = client.post(link)
    assert confirmed["Location"] == reverse("welcome")


def test_the_signup_confirmation_mail_in_english(client, office, mailoutbox):
    client.cookies["django_language"] = "en"
    _signup(client, display_name="Mia")
    (message,) = mailoutbox
    _in_the_offices_voice(message, greeting="Hello Mia,", not_you="You did not sign up?")
    assert "Please confirm your e-mail address" in message.subject
    assert User.objects.get(email="neu@example.org").language == "en"


@pytest.mark.parametrize(
    ("language", "greeting", "not_you", "subject"),
    [
        ("de", "Guten Tag Maria,", "Ihr Passwort bleibt, wie es ist.", "Neues Passwort"),
        ("en", "Hello Maria,", "your password stays as it is.", "Password Reset"),
    ],
)
def test_the_password_reset_mail(client, office, mailoutbox, language, greeting, not_you, subject):
    make_user(email="maria@example.org", display_name="Maria", language=language)
    client.post(reverse("account_reset_password"), {"email": "maria@example.org"})
    (message,) = mailoutbox
    _in_the_offices_voice(message, greeting=greeting, not_you=not_you)
    assert subject in message.subject
    assert "/konto/password/reset/key/" in message.body


@pytest.mark.parametrize(
    ("language", "greeting", "says"),
    [
        ("de", "Guten Tag,", "Mit dieser Adresse gibt es kein Konto."),
        ("en", "Hello,", "There is no account with this address."),
    ],
)
def test_the_unknown_account_mail_in_the_language_of_the_page(client, office, mailoutbox, language, greeting, says):
    client.cookies["django_language"] = language
    client.post(reverse("account_reset_password"), {"email": "niemand@example.org"})
    (message,) = mailoutbox
    _in_the_offices_voice(message, greeting=greeting, not_you=says)
    assert "/konto/signup/" in message.body


def test_the_account_already_exists_mail(client, office, mailoutbox):
    make_user(email="maria@example.org", display_name="Maria")
    _signup(client, email="maria@example.org")
    (message,) = mailoutbox
    _in_the_offices_voice(message, greeting="Guten Tag Maria,", not_you="Sie wollten sich nicht registrieren?")
    assert "bereits ein Konto" in message.body


NOTIFICATIONS = [
    "account/email/password_changed",
    "account/email/password_reset",
    "account/email/password_set",
    "account/email/email_changed",
    "account/email/email_confirm",
    "account/email/email_deleted",
    "mfa/email/recovery_codes_generated",
    "mfa/email/totp_activated",
    "mfa/email/totp_deactivated",
]


@pytest.mark.parametrize("prefix", NOTIFICATIONS)
@pytest.mark.parametrize(
    ("language", "greeting", "not_you"),
    [("de", "Guten Tag Maria,", "Waren Sie das nicht?"), ("en", "Hello Maria,", "Was it not you?")],
)
def test_every_notification_speaks_in_the_offices_voice(office, mailoutbox, prefix, language, greeting, not_you):
    """allauth sends these through the adapter's send_mail: the same templates, rendered here for each."""
    user = make_user(email="maria@example.org", display_name="Maria", language=language)
    context = {"ip": "192.0.2.1", "user_agent": "Firefox", "from_email": "a@example.org", "to_email": "b@example.org"}
    mail.send(user, f"{prefix}_message.txt", {"email": user.email, **context}, subject_template=f"{prefix}_subject.txt")
    (message,) = mailoutbox
    _in_the_offices_voice(message, greeting=greeting, not_you=not_you)
    assert "192.0.2.1" in message.body
    assert "{" not in message.body and "%(" not in message.body


def test_the_signup_page_names_the_privacy_notice_beside_the_button(client, office):
    html = client.get(reverse("account_signup")).content.decode()
    start = html.index('id="signup-privacy"')
    notice = html[start : html.index('type="submit"', start)]  # the notice, then the button
    assert f'href="{reverse("privacy")}"' in notice and "Datenschutzerklärung" in notice
    assert "E-Mail-Adresse, Ihren Namen und Ihre Sprache" in notice
    assert 'name="display_name"' in html


def test_after_the_first_login_a_welcome_not_the_profile_form(client, office, mailoutbox):
    _signup(client)
    link = URL.findall(mailoutbox[0].body)[0]
    welcome = client.get(client.post(link)["Location"]).content.decode()
    assert "Willkommen, Neue Nachbarin!" in welcome
    for url_name in ("rooms:list", "events:list", "initiatives:list", "profile", "my_data"):
        assert f'href="{reverse(url_name)}"' in welcome
    assert "<form" not in welcome.split("<main", 1)[1].split("</main>", 1)[0]
    client.logout()
    response = client.post(reverse("account_login"), {"login": "neu@example.org", "password": "Ein-gutes-Passwort-77"})
    # later logins go where they always went
    assert response["Location"] != reverse("welcome")


# --- Fund mails (point 20) ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "greeting", "closing", "start"),
    [
        ("de", "Guten Tag Maria,", "Mit freundlichen Grüßen", "Ab jetzt dürfen Sie mit dem Projekt beginnen."),
        ("en", "Hello Maria,", "Kind regards", "From now on you may start the project."),
    ],
)
def test_fund_mails_greet_by_name_and_close_with_the_office(mailoutbox, office, language, greeting, closing, start):
    from initiatives.fund import services as fund_services

    from ..fund.factories import make_application

    person = make_user(email="maria@example.org", display_name="Maria", language=language)
    application = make_application(applicant=person)
    fund_services.submit_application(application=application, by=person)
    application.status = "approved"
    mail.send(person, "fund/mail/decided.txt", {"application": application, "amount": "800,00"}, subject="x")
    for message in mailoutbox:
        assert message.body.startswith(greeting)
        assert f"{closing}\n{OFFICE}\n" in message.body
    assert start in mailoutbox[-1].body
    assert "erst jetzt" not in mailoutbox[-1].body


def test_the_first_login_of_an_account_confirmed_elsewhere_leads_to_the_welcome(client, office):
    """Confirmed in another browser (no login on confirmation): the first login here is the first one."""
    make_user(email="neu@example.org", last_login=None)
    response = _login(client, "neu@example.org")
    assert response["Location"] == reverse("welcome")
    client.logout()
    assert _login(client, "neu@example.org")["Location"] == reverse("profile")


def test_ltr_isolates_escaped_text_left_to_right():
    from quartier.templatetags.portal import ltr

    assert ltr("18:00–20:00") == '<bdi dir="ltr">18:00–20:00</bdi>'
    assert ltr("<b>0231</b>") == '<bdi dir="ltr">&lt;b&gt;0231&lt;/b&gt;</bdi>'
    assert ltr("") == "" and ltr(None) == ""


def test_arabic_pages_and_the_door_sign_run_right_to_left(client, office):
    from ..rooms.factories import make_room

    room = make_room(name="Saal")
    client.cookies["django_language"] = "ar"
    week = client.get(reverse("rooms:detail", args=[room.slug])).content.decode()
    assert '<html lang="ar" dir="rtl">' in week
    assert '<bdi dir="ltr">08:00–22:00</bdi>' in week  # the bookable hours keep their order
    door = client.get(reverse("rooms:today", args=[room.slug])).content.decode()
    assert '<html lang="ar" dir="rtl" class="door">' in door
    client.cookies["django_language"] = "tr"
    assert (
        '<html lang="tr" dir="ltr" class="door">'
        in client.get(reverse("rooms:today", args=[room.slug])).content.decode()
    )


def test_a_time_span_isolates_the_times_in_every_language():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django.utils import translation

    from quartier.templatetags.portal import time_span

    berlin = ZoneInfo("Europe/Berlin")
    start, end = datetime(2026, 12, 2, 18, 0, tzinfo=berlin), datetime(2026, 12, 2, 20, 0, tzinfo=berlin)
    with translation.override("de"):
        assert time_span(start, end) == 'Mittwoch, 02.12.2026, <bdi dir="ltr">18:00–20:00</bdi>'
        assert (
            time_span(start, end, "SHORT_WEEKDAY_DATETIME_FORMAT") == 'Mi, 02.12.2026, <bdi dir="ltr">18:00–20:00</bdi>'
        )
    with translation.override("ar"):
        arabic = time_span(start, end)
    assert arabic.endswith('، <bdi dir="ltr">18:00–20:00</bdi>') and "2026" in arabic


@pytest.mark.django_db
def test_the_pages_show_a_time_span_in_the_portals_time_zone(client, office, resident):
    """What the database gives back is in UTC: an event at 18:00 in Dortmund is 17:00 UTC in winter, 16:00 in
    summer. Every page with a time span shows 18:00, as its <time datetime> says."""
    from datetime import date

    from events.models import Registration
    from tests.events.factories import make_event
    from tests.rooms.factories import local, make_booking

    winter, summer = date(2027, 1, 13), date(2027, 7, 14)
    first = make_event(
        title="Wintertreffen", slug="wintertreffen", starts_at=local(winter, 18), ends_at=local(winter, 20)
    )
    make_event(title="Sommerfest", slug="sommerfest", starts_at=local(summer, 18), ends_at=local(summer, 21, 30))
    Registration.objects.create(event=first, user=resident)
    booking = make_booking(booked_by=resident, starts_at=local(winter, 9), ends_at=local(winter, 11, 15))
    client.force_login(resident)
    pages = {
        reverse("events:list"): ["18:00–20:00", "18:00–21:30"],
        reverse("events:detail", args=["wintertreffen"]): ["18:00–20:00"],
        reverse("rooms:my_bookings"): ["09:00–11:15"],
        booking.get_absolute_url(): ["09:00–11:15"],
    }
    for url, spans in pages.items():
        html = client.get(url).content.decode()
        for span in spans:
            assert f'<bdi dir="ltr">{span}</bdi>' in html, url
    assert "17:00–19:00" not in client.get(reverse("events:list")).content.decode()
