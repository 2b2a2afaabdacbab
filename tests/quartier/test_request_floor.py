"""What every request pays, made cheaper without changing what it does (issue 18): the Content-Security-Policy
header built once per process (quartier.middleware), and a logged-in visitor's account loaded in one query
together with whether it holds any permission (quartier.backends)."""

import pytest
from csp.decorators import csp_exempt, csp_update
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from quartier.middleware import ContentSecurityPolicyMiddleware

from ..factories import make_user

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def directives(header: str) -> set[str]:
    return {part.strip() for part in header.split(";")}


def test_every_page_carries_the_settings_policy(client):
    for _visit in range(2):  # built on the first, kept for the second
        response = client.get("/ping/bare/")
        assert directives(response["Content-Security-Policy"]) == directives(POLICY)
        assert "Content-Security-Policy-Report-Only" not in response


def test_a_changed_policy_in_the_settings_is_the_one_sent(client):
    client.get("/ping/bare/")
    changed = {"DIRECTIVES": {"default-src": ["'none'"]}}
    with override_settings(CONTENT_SECURITY_POLICY=changed, CONTENT_SECURITY_POLICY_REPORT_ONLY=changed):
        response = client.get("/ping/bare/")
        assert response["Content-Security-Policy"] == "default-src 'none'"
        assert response["Content-Security-Policy-Report-Only"] == "default-src 'none'"
    assert directives(client.get("/ping/bare/")["Content-Security-Policy"]) == directives(POLICY)


def _through_middleware(view, request=None):
    request = request or RequestFactory().get("/somewhere/")
    middleware = ContentSecurityPolicyMiddleware(view)
    return request, middleware(request)


def test_a_view_with_a_policy_of_its_own_keeps_it():
    _request, response = _through_middleware(
        csp_update({"img-src": ["https://tiles.example"]})(lambda r: HttpResponse())
    )
    assert "img-src 'self' data: https://tiles.example" in response["Content-Security-Policy"]
    _request, response = _through_middleware(csp_exempt()(lambda r: HttpResponse()))
    assert "Content-Security-Policy" not in response


@pytest.mark.django_db
def test_a_residents_page_loads_the_account_in_one_query(client, office):
    resident = make_user(email="nachbarin@example.org")
    client.force_login(resident)
    client.get("/ping/bare/")
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/ping/bare/").status_code == 200
    *session, account = [query["sql"] for query in queries.captured_queries]
    # The session (if the cache does not hold it), then the account with whether it holds a permission.
    assert len(session) <= 1 and all('FROM "django_session"' in sql for sql in session)
    assert 'FROM "quartier_user"' in account and "auth_permission" in account


@pytest.mark.django_db
def test_a_permission_given_to_a_logged_in_resident_asks_for_the_second_factor_next(client, office):
    resident = make_user(email="nachbarin@example.org")
    client.force_login(resident)
    assert client.get(reverse("profile")).status_code == 200
    treasurers = Group.objects.create(name="Kasse")
    treasurers.permissions.add(Permission.objects.get(codename="add_payment"))
    resident.groups.add(treasurers)  # through a group: not on the account's own row
    response = client.get(reverse("profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


@pytest.mark.django_db
def test_a_session_of_a_deactivated_or_deleted_account_is_nobodys(client, office):
    resident = make_user(email="nachbarin@example.org")
    client.force_login(resident)
    resident.is_active = False
    resident.save()
    assert client.get(reverse("profile"))["Location"].startswith(reverse("account_login"))
    other = make_user(email="weg@example.org")
    client.force_login(other)
    other.delete()
    assert client.get(reverse("profile"))["Location"].startswith(reverse("account_login"))


@pytest.mark.django_db
def test_an_account_loaded_for_a_request_keeps_its_dates_and_flags_when_saved(client, office):
    """The account comes from one hand-compiled query on PostgreSQL: its values are Python's, as the ORM's."""
    resident = make_user(email="nachbarin@example.org")
    client.force_login(resident)
    resident.refresh_from_db()
    assert client.post(reverse("profile"), {"display_name": "Mia", "language": "de"}).status_code == 302
    saved = type(resident).objects.get(pk=resident.pk)
    assert (saved.last_login, saved.date_joined) == (resident.last_login, resident.date_joined)
    from quartier.backends import load_account

    loaded = load_account(resident.pk)
    assert loaded.last_login == resident.last_login and loaded.last_login.tzinfo is not None
    assert loaded.is_staff is False and loaded.is_active is True and loaded.holds_permissions is False
    assert load_account(999_999) is None and load_account("not a number") is None
