"""Several app nodes: two gunicorn servers on two ports share one PostgreSQL database and one Redis.

A login on one node holds on the other, the rate-limit counters are shared, and people racing for one slot
across both nodes get it exactly once. The servers run against the test database (this test is
transactional, so its data is committed and visible to them) with production settings from the environment.
"""

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from quartier.models import OutgoingMail
from rooms.models import Booking

from .conftest import require
from .factories import PASSWORD, make_user
from .rooms.factories import days_ahead, form_data, make_room

# production_hasher: the nodes run production settings, which cannot check the tests' MD5 hashes.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.redis, pytest.mark.production_hasher]

CSRF = "n" * 32  # an unmasked CSRF secret: the same value in cookie and form
RACERS = 16
# A load balancer passes the public host name to every node; allauth, for one, keys its counters by it.
PUBLIC_HOST = "localhost"


def _redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as error:  # any failure means: no usable Redis
        require(False, f"this test needs Redis at {url} (set TEST_REDIS_URL): {error}")
    return url


def _free_ports(count: int) -> list[int]:
    """Ports the operating system has just handed out (bound to port 0), so a busy port never fails the suite."""
    probes = [socket.socket() for _ in range(count)]
    try:
        for probe in probes:
            probe.bind(("127.0.0.1", 0))
        return [probe.getsockname()[1] for probe in probes]
    finally:
        for probe in probes:
            probe.close()


def _database_url() -> str:
    db = connection.settings_dict
    credentials = db["USER"] + (":" + urllib.parse.quote(db["PASSWORD"]) if db["PASSWORD"] else "")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Node:
    """One gunicorn server (two workers with four threads each); stopped by the PID it writes."""

    def __init__(self, port: int, folder: Path, environment: dict):
        self.port, self.url = port, f"http://127.0.0.1:{port}"
        self.pid_file, self.log = folder / f"gunicorn-{port}.pid", folder / f"gunicorn-{port}.log"
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "quartier.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    "2",
                    "--threads",
                    "4",
                    "--pid",
                    str(self.pid_file),
                    "--graceful-timeout",
                    "5",
                ],
                cwd=settings.BASE_DIR,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait_until_up(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"gunicorn on {self.port} exited:\n{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        pytest.fail(f"gunicorn on {self.port} did not answer:\n{self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        if self.pid_file.exists():
            os.kill(int(self.pid_file.read_text().strip()), signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)


@contextlib.contextmanager
def _running_nodes(folder: Path, redis_url: str):
    prefix = f"nodes-test-{uuid.uuid4().hex[:8]}"
    environment = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_url,
        "CACHE_KEY_PREFIX": prefix,  # a fresh prefix: counters and sessions of earlier runs don't count
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "STATIC_PLAIN": "1",
        "MAIL_DELIVERY": "worker",  # mails wait for a worker: the requests only queue them
        "EMAIL_URL": "console:",
        "LOG_LEVEL": "WARNING",
    }
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    started = [Node(port, folder, environment) for port in _free_ports(2)]
    try:
        for node in started:
            node.wait_until_up()
        yield started
    finally:
        for node in started:
            node.stop()
        try:
            _delete_keys(redis_url, prefix)
        except Exception:  # noqa: BLE001 - a private Redis may be gone already
            pass
    for node in started:
        assert " 500 " not in node.log.read_text() and "Traceback" not in node.log.read_text(), node.log.read_text()


@pytest.fixture
def nodes(postgres, tmp_path):
    with _running_nodes(tmp_path, _redis_url()) as started:
        yield started


class PrivateRedis:
    """A redis-server of this test alone (no other user of the machine's Redis is disturbed), on a port the OS
    hands out, without persistence; the test kills it and starts it again."""

    def __init__(self, folder: Path):
        require(shutil.which("redis-server") is not None, "this test needs redis-server (apt-get install redis-server)")
        self.port = _free_ports(1)[0]
        self.folder, self.url, self.process = folder, f"redis://127.0.0.1:{self.port}/0", None
        self.start()

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                redis.Redis.from_url(self.url, socket_connect_timeout=1).ping()
                return
            except redis.exceptions.ConnectionError:
                time.sleep(0.1)
        pytest.fail(f"redis-server on {self.port} did not start")

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)


@pytest.fixture
def private_redis(tmp_path):
    server = PrivateRedis(tmp_path)
    yield server
    server.kill()


@pytest.fixture
def nodes_on_private_redis(postgres, tmp_path, private_redis):
    with _running_nodes(tmp_path, private_redis.url) as started:
        yield started


def _delete_keys(redis_url: str, prefix: str) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _request(url: str, *, session: str = "", data: dict | None = None) -> tuple[int, list[str], str]:
    """Status, Set-Cookie headers and body of one request (redirects are not followed)."""
    body = urllib.parse.urlencode({**data, "csrfmiddlewaretoken": CSRF}, doseq=True).encode() if data else None
    cookie = f"csrftoken={CSRF}; django_language=de" + (f"; sessionid={session}" if session else "")
    request = urllib.request.Request(
        url,
        data=body,
        method="POST" if data else "GET",
        headers={
            "Cookie": cookie,
            "Referer": url,
            "Content-Type": "application/x-www-form-urlencoded",
            "Host": PUBLIC_HOST,
        },
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.headers.get_all("Set-Cookie") or [], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_all("Set-Cookie") or [], error.read().decode()


def _log_in(node: Node, email: str, password: str = PASSWORD) -> tuple[int, str]:
    """The allauth login form; returns the status and the new session cookie (if any)."""
    status, cookies, _body = _request(node.url + reverse("account_login"), data={"login": email, "password": password})
    sessions = [cookie.split("=", 1)[1].split(";", 1)[0] for cookie in cookies if cookie.startswith("sessionid=")]
    return status, sessions[0] if sessions else ""


def test_a_login_on_one_node_holds_on_the_other(nodes, office):
    first, second = nodes
    make_user(email="anna@example.org")
    status, session = _log_in(first, "anna@example.org")
    assert status == 302 and session
    assert _request(second.url + reverse("profile"), session=session)[0] == 200
    assert _request(second.url + reverse("profile"))[0] == 302  # without the cookie: to the login page
    for node in nodes:  # the cached office record renders on both
        assert "Quartiersmanagement" in _request(node.url + "/", session=session)[2]


def test_failed_logins_are_counted_across_both_nodes(nodes, office):
    make_user(email="ziel@example.org")
    url = reverse("account_login")
    bodies = [
        _request(nodes[n % 2].url + url, data={"login": "ziel@example.org", "password": "falsch"})[2] for n in range(6)
    ]
    # allauth allows five failed attempts per address in five minutes and refuses the sixth, which only
    # happens if both nodes count in the same place (Redis).
    assert ["Anmeldeversuche" in body for body in bodies] == [False] * 5 + [True]


def test_racing_for_one_slot_across_both_nodes_books_it_exactly_once(nodes, office):
    room = make_room(capacity=50)
    day = days_ahead(6)
    users = [make_user() for _ in range(RACERS)]
    sessions = []
    for index, user in enumerate(users):  # log in on one node ...
        status, session = _log_in(nodes[index % 2], user.email)
        assert status == 302, status
        sessions.append(session)
    path = reverse("rooms:book", args=[room.slug])
    barrier = threading.Barrier(RACERS)
    results: list = [None] * RACERS

    def book(index):  # ... and book on the other, all at the same moment
        barrier.wait()
        results[index] = _request(
            nodes[(index + 1) % 2].url + path, session=sessions[index], data=form_data(day, "18:00", "20:00")
        )

    threads = [threading.Thread(target=book, args=(index,)) for index in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)

    statuses = [status for status, _cookies, _body in results]
    assert not [status for status in statuses if status >= 500], statuses
    assert statuses.count(302) == 1, statuses
    assert statuses.count(200) == RACERS - 1, statuses
    assert all("bereits gebucht" in body for status, _cookies, body in results if status == 200)
    assert Booking.objects.holding().filter(room=room).count() == 1
    # the winner's confirmation waits in the outbox for the worker; the request sent nothing itself
    assert OutgoingMail.objects.filter(status=OutgoingMail.Status.PENDING).count() >= 1


def _health(node: Node) -> tuple[int, dict]:
    status, _cookies, body = _request(node.url + "/healthz")
    return status, json.loads(body)


def test_both_nodes_keep_serving_while_redis_is_down_and_use_it_again_when_it_is_back(
    nodes_on_private_redis, private_redis, office
):
    nodes = nodes_on_private_redis
    make_user(email="anna@example.org")
    status, session = _log_in(nodes[0], "anna@example.org")
    assert status == 302 and session
    private_redis.kill()
    for node in nodes:
        assert _request(node.url + "/", session=session)[0] == 200
        assert _request(node.url + reverse("rooms:list"))[0] == 200
        assert _request(node.url + reverse("profile"), session=session)[0] == 200  # the session from PostgreSQL
        assert _health(node) == (200, {"status": "degraded", "database": True, "cache": "degraded"})
    make_user(email="ben@example.org")
    status, outage_session = _log_in(nodes[1], "ben@example.org")  # logging in works during the outage
    assert status == 302 and outage_session
    assert _request(nodes[0].url + reverse("profile"), session=outage_session)[0] == 200
    private_redis.start()  # empty: it kept nothing
    # Each worker tries Redis again after its breaker's interval (5 s); on a loaded CI machine that takes a while.
    # A node has two workers and a request reaches either: a node counts as back when several answers in a row
    # (so both of its workers, as far as one can tell from outside) say "ok".
    deadline = time.monotonic() + 90

    def caches() -> list[str]:
        return ["ok" if all(_health(node)[1]["cache"] == "ok" for _ in range(6)) else "degraded" for node in nodes]

    seen = caches()
    while time.monotonic() < deadline and seen != ["ok", "ok"]:
        time.sleep(0.5)
        seen = caches()
    assert seen == ["ok", "ok"]
    for node in nodes:
        assert _request(node.url + reverse("profile"), session=session)[0] == 200
        assert _request(node.url + reverse("profile"), session=outage_session)[0] == 200
    logs = "".join(node.log.read_text() for node in nodes)
    assert "Redis is unreachable" in logs
    assert logs.count("Redis is unreachable") <= 4  # once per worker (2 nodes x 2 workers), not per request
