"""Shared fixtures: actors, the office, the real browser and the accessibility/HTML checks.

Browser and PostgreSQL tests skip with a visible reason on a developer machine that lacks them;
with CI=true they fail instead, so CI can never go green by skipping them.
"""

import os

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import translation

from quartier.staff import has_authenticator

from .factories import make_office, make_staff, make_superuser, make_user, pass_second_factor

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def require(condition: bool, reason: str) -> None:
    """Skip (developer machine) or fail (CI) when a test's tool is missing."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"CI=true but {reason}")
    pytest.skip(reason)


DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def pytest_collection_modifyitems(items):
    """Tests that use the browser or PostgreSQL fixtures carry the matching marker (for -m selection), and every
    test that touches the database carries `database` (the SQLite pass of .ci/run runs those)."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & {"page", "browser"}:
            item.add_marker(pytest.mark.browser)
        if "postgres" in fixtures:
            item.add_marker(pytest.mark.postgres)
        if fixtures & DATABASE_FIXTURES or item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.database)


def _scan_static_files_once_per_process():
    """Every new `Client` builds the middleware chain, and WhiteNoise's `__init__` walks every static file
    through the finders (~470 files, ~90 ms: more than half of a short test). The table depends only on the
    static settings and the files on disk, which no test changes: build it once per settings state and give
    each new middleware a copy."""
    from django.conf import settings as django_settings
    from whitenoise.middleware import WhiteNoiseMiddleware

    tables = {}

    def key(middleware, args, kwargs):
        names = sorted(name for name in dir(django_settings) if name.startswith(("STATIC", "WHITENOISE")))
        snapshot = tuple((name, repr(getattr(django_settings, name))) for name in names)
        return (
            args,
            tuple(sorted(kwargs.items())),
            middleware.static_prefix,
            repr(django_settings.INSTALLED_APPS),
            django_settings.DEBUG,
            snapshot,
        )

    def memoized(scan):
        def scan_once(self, *args, **kwargs):
            table_key = (scan.__name__, *key(self, args, kwargs))
            if table_key not in tables:
                before = dict(self.files)
                scan(self, *args, **kwargs)
                tables[table_key] = {url: f for url, f in self.files.items() if before.get(url) is not f}
            self.files.update(tables[table_key])

        return scan_once

    WhiteNoiseMiddleware.add_files = memoized(WhiteNoiseMiddleware.add_files)
    WhiteNoiseMiddleware.add_files_from_finders = memoized(WhiteNoiseMiddleware.add_files_from_finders)


_scan_static_files_once_per_process()


@pytest.fixture(autouse=True)
def _fast_passwords(request, settings):
    """PBKDF2 costs ~0.7 s per password: tests hash with MD5, except those marked `production_hasher`."""
    if request.node.get_closest_marker("production_hasher") is None:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _force_login_passes_the_second_factor(monkeypatch):
    """`client.force_login(user)` stands for a complete log-in: for an account with an authenticator app, that
    includes typing its code. Tests of the password-only state log in through the log-in form instead."""
    force_login = Client.force_login

    def complete_login(self, user, backend=None):
        force_login(self, user, backend)
        if has_authenticator(user):
            pass_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", complete_login)


@pytest.fixture(autouse=True)
def _german_outside_requests():
    """A request through the test client leaves its language active in the test's thread. Each test starts in
    the default language, so that `Event.objects.create(title=…)` writes the German version of a translated
    text (quartier/content_languages.py) whatever the test before asked for."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The office record and allauth's rate-limit counters live in the cache: start every test empty (and
    without the process's copy of the office record, quartier.models.Office.load)."""
    from quartier.models import Office

    cache.clear()
    Office.forget()
    yield
    cache.clear()
    Office.forget()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, and before they are dropped: the sessions of processes the tests
    started and killed (gunicorn nodes, mail workers) may still be ending in PostgreSQL, and DROP DATABASE
    fails while one is there ("being accessed by other users"), leaving the database behind. Wait for them;
    one still there after ten seconds is ended and named in a warning (the run's warnings summary)."""
    from django.db.backends.signals import connection_created

    connection_created.connect(_note_who_connected, dispatch_uid="tests-note-who-connected")
    yield
    connection_created.disconnect(dispatch_uid="tests-note-who-connected")
    _close_what_this_process_opened()
    with django_db_blocker.unblock():
        _end_other_sessions(timeout=10)


# Who opened each PostgreSQL session of this process (backend pid → when, thread, test, code, the connection): a
# session still open when the databases are dropped is named with them in the warning. PostgreSQL's pids are the
# machine's, which come round again (pid_max): an entry counts only if it was made when the session began.
_OPENED_BY: dict[int, tuple[float, str, object]] = {}


def _close_what_this_process_opened() -> None:
    """Close every connection this process's Django opened and still holds. The main thread can hold two for the
    same database: Playwright's sync API leaves an event loop marked running in the thread, and while one runs,
    Django's connections live in asgiref's per-context storage instead of the thread's (hence
    DJANGO_ALLOW_ASYNC_UNSAFE in tests/browser.py). The one in the storage not in use at the end is otherwise
    never closed: it was the session that outlived the tests, one per worker."""
    for _started, _where, reference in list(_OPENED_BY.values()):
        wrapper = reference()
        if wrapper is None or wrapper.connection is None:
            continue
        try:
            wrapper.close()
        except Exception:  # noqa: BLE001 - a connection of another thread: close its socket all the same
            wrapper.connection.close()


def _note_who_connected(sender, connection, **kwargs) -> None:
    import threading
    import time
    import traceback
    import weakref

    if connection.vendor != "postgresql":
        return
    frames = [
        f"{frame.filename.rsplit('/', 2)[-1]}:{frame.lineno} {frame.name}"
        for frame in traceback.extract_stack(limit=40)[:-1]
        if "/site-packages/" not in frame.filename or "/django/test/" in frame.filename
    ]
    test = os.environ.get("PYTEST_CURRENT_TEST", "no test")
    where = f"thread {threading.current_thread().name}, {test}, via {' < '.join(reversed(frames[-6:]))}"
    _OPENED_BY[connection.connection.info.backend_pid] = (time.time(), where, weakref.ref(connection))


def _holder_of(port: int) -> str:
    """Which process of this machine holds the client end of a PostgreSQL session (its local TCP port)."""
    from pathlib import Path

    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port:
                inodes.add(fields[9])
    wanted = {f"socket:[{inode}]" for inode in inodes}
    for process in Path("/proc").iterdir():
        if not process.name.isdigit():
            continue
        try:
            if wanted & set(_links(process / "fd")):
                command = (process / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                this = " (this test process)" if int(process.name) == os.getpid() else ""
                return f"process {process.name}{this}: {command[:160]}"
        except OSError:
            continue
    return "no process of this machine any more"


def _links(folder):
    """What the entries of a /proc/<pid>/fd folder point to (an entry can close while it is read)."""
    for entry in folder.iterdir():
        try:
            yield os.readlink(entry)
        except OSError:
            continue


def _who_opened(pid: int, port: int | None, started) -> str:
    noted = _OPENED_BY.get(pid)
    opened_here = noted is not None and started is not None and abs(noted[0] - started.timestamp()) < 5
    holder = _holder_of(port) if port else "unknown"
    return f"held by {holder}; " + (f"opened by {noted[1]}" if opened_here else "not opened by this process's Django")


def _end_other_sessions(timeout: float) -> None:
    import time
    import warnings

    from django.db import connections

    for connection in connections.all():
        if connection.vendor != "postgresql":
            continue
        others = (
            "SELECT pid, application_name, client_port, backend_start, state, left(query, 200) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        deadline = time.monotonic() + timeout
        with connection.cursor() as cursor:
            while True:
                cursor.execute(others)
                rows = cursor.fetchall()
                if not rows or time.monotonic() > deadline:
                    break
                time.sleep(0.1)
            for row in rows:
                who = _who_opened(row[0], row[2], row[3])  # before it ends, while its process still holds the port
                cursor.execute("SELECT pg_terminate_backend(%s)", [row[0]])
                name = connection.settings_dict["NAME"]
                warnings.warn(f"A session outlived the tests on {name}: {row}; {who}", stacklevel=1)
        connection.close()


@pytest.fixture
def office(db):
    return make_office()


@pytest.fixture
def resident(db):
    return make_user(email="resident@example.org", display_name="Maria Kowalski")


@pytest.fixture
def initiative_lead(db):
    return make_user(email="lead@example.org", display_name="Jonas Becker")


@pytest.fixture
def staff(db):
    return make_staff(email="staff@example.org", display_name="Aylin Demir")


@pytest.fixture
def superuser(db):
    """Only for what needs every permission, Django's own included (the whole admin)."""
    return make_superuser(email="root@example.org", display_name="Root")


@pytest.fixture
def postgres(db):
    """Marks a test that needs PostgreSQL (run it with DATABASE_URL=postgres://…)."""
    from django.db import connection

    require(connection.vendor == "postgresql", "this test needs PostgreSQL (set DATABASE_URL)")


# --- Real browser ---------------------------------------------------------------------------------

from .browser import _playwright, axe_check, browser, nu_check, page  # noqa: E402, F401  (fixtures, helpers)
