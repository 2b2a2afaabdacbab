"""Outages: with Redis unreachable the portal keeps working (sessions from the database, fragments uncached,
rate limits per process) and says so once in the log and on /healthz; with the database unreachable it
answers a friendly 503 with Retry-After instead of a 500."""

import contextlib
import logging
import os
import socket
import threading
import time
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from quartier import cache_backends
from quartier.settings import redis_cache

from ..conftest import require
from ..factories import PASSWORD, make_user
from ..rooms.factories import make_room

TOO_MANY = "Zu viele gescheiterte Anmeldeversuche"


def _closed_port() -> int:
    """A port nothing listens on: the OS hands out a free one, which is closed again at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _reset_circuits() -> None:
    for circuit in cache_backends._circuits.values():
        circuit.__init__()


def _use_redis(settings, url: str) -> None:
    """The production cache settings (quartier.settings.redis_cache) pointed at `url`."""
    _reset_circuits()
    settings.CACHES = {"default": redis_cache(url, "quartier-resilience-test")}
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    settings.FRAGMENT_CACHE_SECONDS = 60


@pytest.fixture
def redis_down(settings):
    _use_redis(settings, f"redis://127.0.0.1:{_closed_port()}/0")
    yield
    _reset_circuits()


def _warnings(caplog) -> list[str]:
    records = caplog.get_records("setup") + caplog.get_records("call")  # the office fixture used the cache first
    return [r.getMessage() for r in records if r.name == "quartier.cache_backends" and r.levelno == logging.WARNING]


@pytest.mark.django_db
def test_without_redis_pages_logins_and_sessions_work_and_one_warning_is_logged(redis_down, client, office, caplog):
    caplog.set_level(logging.INFO, logger="quartier.cache_backends")
    make_room(name="Saal im Nachbarschaftshaus")
    make_user(email="maria@example.org")
    assert client.get("/").status_code == 200
    assert "Saal im Nachbarschaftshaus" in client.get(reverse("rooms:list")).content.decode()
    response = client.post(reverse("account_login"), {"login": "maria@example.org", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("profile")
    assert client.get(reverse("profile")).status_code == 200  # the session, read from the database
    assert len(_warnings(caplog)) == 1
    assert "Redis is unreachable" in _warnings(caplog)[0]


@pytest.mark.django_db
def test_without_redis_failed_logins_are_still_limited(redis_down, client, office):
    make_user(email="maria@example.org")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "maria@example.org", "password": "falsch"})
    response = client.post(reverse("account_login"), {"login": "maria@example.org", "password": PASSWORD})
    assert TOO_MANY in response.content.decode()


@pytest.mark.django_db
def test_a_dead_redis_costs_one_connection_attempt_per_retry_interval(redis_down, client, office, monkeypatch):
    import redis.connection

    _reset_circuits()  # the office fixture has met the dead Redis already
    connects = []
    connect = redis.connection.Connection._connect
    monkeypatch.setattr(redis.connection.Connection, "_connect", lambda self: connects.append(1) or connect(self))
    assert client.get(reverse("rooms:list")).status_code == 200
    first_try = len(connects)
    assert 1 <= first_try <= 2  # a connection, and one retry on a fresh one
    for _ in range(4):
        assert client.get(reverse("rooms:list")).status_code == 200
    assert len(connects) == first_try  # the breaker is open: no more tries
    later = time.monotonic() + cache_backends.RETRY_SECONDS + 1
    monkeypatch.setattr(cache_backends.time, "monotonic", lambda: later)
    assert client.get("/").status_code == 200
    assert len(connects) == 2 * first_try  # tried again once the interval had passed


@pytest.mark.django_db
def test_healthz_reports_the_degraded_cache_but_stays_in_service(redis_down, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": True, "cache": "degraded"}


def _test_redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as error:  # any failure means: no usable Redis
        require(False, f"this test needs Redis at {url} (set TEST_REDIS_URL): {error}")
    return url


class CuttableLink:
    """A TCP relay to Redis that can be cut and restored, like a network partition: Redis keeps its data."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream, self.port, self.pairs = upstream, _closed_port(), []
        self.listener = None
        self.restore()

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/"

    def restore(self) -> None:
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", self.port))
        self.listener.listen()
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def cut(self) -> None:
        try:
            self.listener.shutdown(socket.SHUT_RDWR)  # wakes the accepting thread (close alone would not)
        except OSError:
            pass
        self.listener.close()
        for pair in self.pairs:
            for end in pair:
                end.close()
        self.pairs = []

    def _accept(self, listener) -> None:
        while True:
            try:
                downstream, _address = listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.upstream)
            self.pairs.append((downstream, upstream))
            for source, target in ((downstream, upstream), (upstream, downstream)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source, target) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, target):
                try:
                    end.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


@pytest.mark.django_db
def test_a_logout_during_a_redis_partition_is_not_undone_when_redis_returns(settings, client, office):
    from urllib.parse import urlsplit

    real = urlsplit(_test_redis_url())
    link = CuttableLink((real.hostname, real.port or 6379))
    _use_redis(settings, link.url + (real.path.strip("/") or "0"))
    try:
        make_user(email="maria@example.org")
        client.post(reverse("account_login"), {"login": "maria@example.org", "password": PASSWORD})
        assert client.get(reverse("profile")).status_code == 200  # the session is in Redis now
        session_cookie = client.cookies["sessionid"].value
        link.cut()
        assert client.post(reverse("account_logout")).status_code == 302  # deleted in the database only
        link.restore()
        client.cookies["sessionid"] = session_cookie  # a copy of the cookie, kept by a thief or another tab
        circuit = cache_backends._circuits[settings.CACHES["default"]["LOCATION"]]
        circuit.open_until = 0  # the next try is due
        assert client.get(reverse("profile")).status_code == 302  # logged out: Redis's old copy is gone
        assert circuit.down is False
    finally:
        cache.clear()  # this test's Redis database
        link.cut()
        _reset_circuits()


@pytest.mark.django_db
def test_healthz_reports_a_reachable_redis(settings, client):
    _use_redis(settings, _test_redis_url())
    response = client.get("/healthz")
    assert response.json() == {"status": "ok", "database": True, "cache": "ok"}


# --- the database down ----------------------------------------------------------------------------------------
@contextlib.contextmanager
def _database_down():
    """The database refuses connections: the real driver connects to a closed port (PostgreSQL) or to a file
    it cannot open (SQLite). The test's own connection is set aside and put back afterwards."""
    params = connection.get_connection_params

    def unreachable():
        result = params()
        if connection.vendor == "postgresql":
            result.update(host="127.0.0.1", port=_closed_port())
        else:
            result["database"] = "/nonexistent-folder/quartier.sqlite3"
        return result

    saved, connection.connection = connection.connection, None
    try:
        with mock.patch.object(connection, "get_connection_params", unreachable):
            yield
    finally:
        connection.connection = saved


@pytest.fixture
def database_down():
    with _database_down():
        yield


@pytest.mark.django_db(transaction=True)
def test_healthz_answers_503_with_retry_after_when_the_database_is_down(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["database"] is False


@pytest.mark.django_db(transaction=True)
def test_pages_answer_the_friendly_503_page_when_the_database_is_down(office):
    visitor = Client(raise_request_exception=False)
    assert visitor.get("/").status_code == 200  # the office record is in the cache now
    make_user(email="maria@example.org")
    member = Client(raise_request_exception=False)
    member.post(reverse("account_login"), {"login": "maria@example.org", "password": PASSWORD})
    with _database_down():
        pages = [visitor.get("/"), visitor.get(reverse("rooms:list")), member.get(reverse("profile"))]
    for response in pages:
        assert response.status_code == 503
        assert response["Retry-After"] == "30"
        html = response.content.decode()
        assert "Das Portal ist gerade nicht erreichbar" in html
        assert 'class="site-header"' in html and "Nordstadt" in html  # the portal's design, the office's name


@pytest.mark.django_db(transaction=True)
def test_the_503_page_is_translated(office, database_down):
    visitor = Client(raise_request_exception=False)
    visitor.cookies["django_language"] = "en"
    response = visitor.get("/")
    assert response.status_code == 503
    assert "The portal is not available just now" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_bare_503_page_when_even_the_portal_design_fails(database_down, monkeypatch):
    from quartier import views

    def broken_render(*args, **kwargs):
        raise RuntimeError("the template cannot render")

    monkeypatch.setattr(views, "render", broken_render)
    response = Client(raise_request_exception=False).get("/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert "Das Portal ist gerade nicht erreichbar" in response.content.decode()
