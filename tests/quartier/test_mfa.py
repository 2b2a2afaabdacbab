"""Accounts with office powers pass the second factor (an authenticator app) in every session, on every way in."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from quartier.staff import OFFICE_GROUP, PORTAL_APPS, is_office_staff

from ..factories import PASSWORD, make_staff, make_user, totp_code

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/rooms/booking/",
        "/ehrenamt/uebersicht/",
        "/buero/",
        "/quartiersfonds/verwaltung/",
        "/quartiersfonds/antraege/1/pruefen/",
    ],
)
def test_staff_without_an_authenticator_is_sent_to_set_one_up(client, office, path):
    client.force_login(make_staff(mfa=False))
    response = client.get(path, follow=True)
    assert response.redirect_chain[0] == (reverse("mfa_activate_totp"), 302)
    assert "Zwei-Faktor" in response.content.decode()


def test_staff_with_an_authenticator_reach_the_admin(client, office):
    client.force_login(make_staff())
    assert client.get("/admin/").status_code == 200


def test_residents_are_not_asked_for_a_second_factor(client, office):
    client.force_login(make_user())
    assert client.get(reverse("profile")).status_code == 200
    assert client.get(reverse("rooms:my_bookings")).status_code == 200


def test_setting_up_the_authenticator_opens_the_admin(client, office):
    staff = make_staff(mfa=False)
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert client.get("/admin/").status_code == 302
    # allauth asks for the password once more before a second factor is changed
    assert client.get(reverse("mfa_activate_totp")).status_code == 302
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200 and "falsch" in wrong.content.decode().lower()
    client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert client.get("/admin/").status_code == 200


def test_staff_log_in_with_password_and_code(client, office):
    staff = make_staff()
    response = client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    assert client.get("/admin/").status_code == 302  # the password alone does not log in
    refused = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert refused.status_code == 200
    assert client.get("/admin/").status_code == 302
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    assert client.get("/admin/").status_code == 200


def test_a_used_code_cannot_be_replayed(client, office):
    staff = make_staff()
    code = totp_code()
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": code})
    client.logout()
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    client.post(reverse("mfa_authenticate"), {"code": code})
    assert client.get("/admin/").status_code == 302


def test_the_demo_staff_account_logs_in_with_the_code_make_demo_code_prints(client, settings):
    from io import StringIO

    from django.core.management import call_command

    call_command("seed_demo", stdout=StringIO())
    client.post(reverse("account_login"), {"login": "buero@quartier.example", "password": "quartier-demo-2026"})
    settings.DEBUG = True
    out = StringIO()
    call_command("demo_code", stdout=out)
    client.post(reverse("mfa_authenticate"), {"code": out.getvalue().split()[0]})
    assert client.get("/admin/").status_code == 200


def test_the_admins_own_login_sends_everyone_to_the_portals_login(client, office):
    assert client.get("/admin/login/?next=/admin/")["Location"] == reverse("account_login") + "?next=/admin/"
    staff = make_staff()
    response = client.post("/admin/login/", {"username": staff.email, "password": PASSWORD, "next": "/admin/"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session  # the password alone opened no session
    for path in ("/admin/", "/buero/", "/admin/volunteers/volunteer/"):
        assert client.get(path).status_code == 302


def test_wrong_passwords_are_throttled_on_the_one_login(client, office):
    staff = make_staff()
    statuses = [
        client.post(reverse("account_login"), {"login": staff.email, "password": f"falsch-{n}"}).status_code
        for n in range(40)
    ]
    assert 429 in statuses and statuses[-1] == 429
    assert client.post("/admin/login/", {"username": staff.email, "password": "falsch"})["Location"].startswith(
        reverse("account_login")
    )


def test_a_password_only_session_is_sent_to_the_code_and_then_back(client, office):
    staff = make_staff()
    assert client.login(email=staff.email, password=PASSWORD)  # a session from a password alone
    response = client.get("/admin/volunteers/volunteer/")
    assert response["Location"] == reverse("mfa_reauthenticate") + "?next=%2Fadmin%2Fvolunteers%2Fvolunteer%2F"
    confirmed = client.post(response["Location"], {"code": totp_code()})
    assert confirmed["Location"] == "/admin/volunteers/volunteer/"
    assert client.get("/admin/volunteers/volunteer/").status_code == 200


def test_office_accounts_cannot_remove_their_authenticator(client, office):
    staff = make_staff()
    client.force_login(staff)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    client.post(reverse("mfa_deactivate_totp"), {})
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()


def test_the_office_group_holds_every_permission_of_the_portals_apps(db):
    from django.contrib.auth.models import Group, Permission

    group = Group.objects.get(name=OFFICE_GROUP)  # made by migrate
    portal = Permission.objects.filter(content_type__app_label__in=PORTAL_APPS)
    assert portal.count() > 50 and not portal.exclude(group=group).exists()
    assert not group.permissions.filter(content_type__app_label="auth", codename__startswith="change").exists()
    member = make_user(is_staff=False)
    assert not is_office_staff(member)
    member.groups.add(group)
    assert is_office_staff(make_user().__class__.objects.get(pk=member.pk))


def test_office_staff_cannot_grant_themselves_more_rights_in_the_admin(client, office):
    staff, root = make_staff(), make_staff(is_superuser=True)
    client.force_login(staff)
    page = client.get(reverse("admin:quartier_user_change", args=[staff.pk]))
    assert page.status_code == 200 and 'name="is_superuser"' not in page.content.decode()
    client.post(
        reverse("admin:quartier_user_change", args=[staff.pk]),
        {
            "email": staff.email,
            "display_name": "x",
            "language": "de",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00",
        },
    )
    staff.refresh_from_db()
    assert not staff.is_superuser
    assert client.get(reverse("admin:auth_user_password_change", args=[root.pk])).status_code == 403


def _code_input(html: str) -> str:
    return re.search(r'<input[^>]*name="code"[^>]*>', html)[0]


def test_the_code_fields_offer_the_number_pad_and_the_filled_in_code(client, office):
    """WCAG 2.2, 3.3.8 (accessible authentication): no puzzle; the code can be filled in or pasted."""
    staff = make_staff()
    client.post(reverse("account_login"), {"login": staff.email, "password": PASSWORD})
    login_code = _code_input(client.get(reverse("mfa_authenticate")).content.decode())
    client.post(reverse("mfa_authenticate"), {"code": totp_code()})
    setup = make_staff(email="neu@example.org", mfa=False)
    client.force_login(setup)
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    activate_code = _code_input(client.get(reverse("mfa_activate_totp")).content.decode())
    for field in (login_code, activate_code):
        assert 'autocomplete="one-time-code"' in field and 'inputmode="numeric"' in field
        assert "onpaste" not in field and "maxlength" not in field


def test_the_login_form_names_its_fields_for_password_managers(client, office):
    html = client.get(reverse("account_login")).content.decode()
    assert re.search(r'<input[^>]*name="login"[^>]*autocomplete="email"', html)
    assert re.search(r'<input[^>]*name="password"[^>]*autocomplete="current-password"', html)
    assert "captcha" not in html.lower()
