"""Rate limits behind the reverse proxy: they count by the client's address (TRUSTED_PROXY_COUNT proxies of
our own), and wrong passwords lock an address out of one account, not the account's owner."""

import pytest
from django.urls import reverse

from ..factories import PASSWORD, make_staff, make_user

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # the reverse proxy: the peer of every request
TOO_MANY = "Zu viele gescheiterte Anmeldeversuche"


@pytest.fixture
def behind_one_proxy(settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # what TRUSTED_PROXY_COUNT=1 in the environment sets


def _log_in(client, login: str, password: str, *, client_ip: str | None = None):
    """A login POST arriving from the proxy, which names the client in X-Forwarded-For."""
    headers = {"X-Forwarded-For": client_ip} if client_ip else {}
    return client.post(
        reverse("account_login"), {"login": login, "password": password}, headers=headers, REMOTE_ADDR=PROXY
    )


def test_behind_the_proxy_one_clients_failed_logins_do_not_lock_out_another(behind_one_proxy, client, office):
    make_user(email="maria@example.org")
    for n in range(20):  # one client tries many accounts: the per-address limit stops her
        _log_in(client, f"person{n}@example.org", "falsch", client_ip="203.0.113.9")
    assert TOO_MANY in _log_in(client, "noch-eine@example.org", "falsch", client_ip="203.0.113.9").content.decode()
    response = _log_in(client, "maria@example.org", PASSWORD, client_ip="198.51.100.7")
    assert response.status_code == 302, response.content.decode()


def test_an_attackers_wrong_passwords_do_not_lock_the_office_out_of_its_account(behind_one_proxy, client, office):
    make_staff(email="buero@quartier.example")
    for _ in range(5):
        _log_in(client, "buero@quartier.example", "geraten", client_ip="203.0.113.9")
    assert TOO_MANY in _log_in(client, "buero@quartier.example", PASSWORD, client_ip="203.0.113.9").content.decode()
    response = _log_in(client, "buero@quartier.example", PASSWORD, client_ip="198.51.100.7")
    assert response.status_code == 302  # on to the authenticator code
    assert response["Location"] == reverse("mfa_authenticate")


def test_without_trusted_proxies_a_forged_forwarded_for_is_ignored(client, office):
    make_user(email="maria@example.org")
    for n in range(5):  # a new forged address each time: all of them count as the peer's
        _log_in(client, "maria@example.org", "falsch", client_ip=f"192.0.2.{n}")
    assert TOO_MANY in _log_in(client, "maria@example.org", PASSWORD, client_ip="192.0.2.99").content.decode()


def test_a_forwarded_for_shorter_than_the_proxy_chain_counts_the_peer(settings, client, office):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    make_user(email="maria@example.org")
    response = _log_in(client, "maria@example.org", PASSWORD, client_ip="198.51.100.7")
    assert response.status_code == 302
