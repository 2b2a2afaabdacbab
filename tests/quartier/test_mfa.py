"""Staff must use two-factor authentication (an authenticator app) before they reach the admin and staff pages."""

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from ..factories import PASSWORD, make_staff, make_user, totp_code

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/admin/", "/admin/rooms/booking/", "/ehrenamt/uebersicht/", "/buero/",
                                  "/quartiersfonds/verwaltung/", "/quartiersfonds/antraege/1/pruefen/"])
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
