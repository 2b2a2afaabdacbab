"""The real-browser harness: Playwright driving Debian's Chromium, axe-core and the Nu HTML Checker.

`page` is a Playwright page against `live_server` (use `page.goto(live_server.url + path)`),
`axe_check(page)` fails on any WCAG 2.2 A/AA violation (the 2.0, 2.1 and 2.2 tags),
`nu_check({name: html})` on any HTML error.
"""

import atexit
import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# the client compiler and the serial collector: for the checker, half the CPU of the JVM's defaults
JAVA_FLAGS = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-quic",
    "--no-first-run",
    "--disable-sync",
]


def _require(condition, reason):
    from .conftest import require

    require(condition, reason)


@pytest.fixture(scope="session")
def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _require(False, "Python Playwright is not installed (make test installs it)")
    _require(Path(CHROMIUM).exists(), f"Chromium is missing at {CHROMIUM} (apt-get install chromium)")
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(_playwright):
    browser = _playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


class PageProblems:
    """What went wrong in the page while a test drove it: console errors and requests to other hosts."""

    def __init__(self):
        self.console_errors: list[str] = []
        self.foreign_requests: list[str] = []


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="de-DE", base_url=live_server.url)
    if AXE_JS.exists():
        # axe-core (550 KB) compiled once with each document instead of sent over and evaluated per check
        context.add_init_script(path=AXE_JS)
    page = context.new_page()
    problems = PageProblems()
    page.problems = problems

    def on_console(message):
        if message.type == "error":
            problems.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def on_request(request):
        url = request.url
        if not (url.startswith(live_server.url) or url.startswith(("data:", "blob:", "about:"))):
            problems.foreign_requests.append(url)

    page.on("console", on_console)
    page.on("request", on_request)
    yield page
    context.close()
    assert problems.foreign_requests == [], f"requests to other hosts: {problems.foreign_requests}"


def axe_check(page, *, context: str = "") -> None:
    """Run axe-core inside the page; fail with a readable report on any WCAG 2.0/2.1/2.2 A/AA violation (2.2 adds
    target-size: 24 x 24 CSS px or enough space around)."""
    _require(AXE_JS.exists(), f"axe-core is missing at {AXE_JS} (npm ci)")
    if not page.evaluate("typeof axe !== 'undefined'"):  # a context of the test's own, without the init script
        page.evaluate(AXE_JS.read_text())
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
            resultTypes: ["violations"],
        })"""
    )
    violations = result["violations"]
    if violations:
        lines = [f"axe: {len(violations)} violation(s) on {context or page.url}"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            for node in violation["nodes"][:5]:
                lines.append(f"    {node['target']}: {node['failureSummary'].splitlines()[-1].strip()}")
        pytest.fail("\n".join(lines), pytrace=False)


_LOCAL = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never through a proxy of the environment


class _NuServer:
    """One Nu HTML Checker per test process, as a local HTTP service: a JVM starts once (3–4 s of CPU), not
    for every check."""

    process: subprocess.Popen | None = None
    url = ""

    @classmethod
    def address(cls, java: str) -> str:
        if cls.process is not None and cls.process.poll() is None:
            return cls.url
        with socket.socket() as probe:  # a free port, from the system
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        cls.process = subprocess.Popen(
            [java, *JAVA_FLAGS, "-Dnu.validator.servlet.bind-address=127.0.0.1", "-cp", str(VNU_JAR)]
            + ["nu.validator.servlet.Main", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        atexit.register(cls.process.terminate)
        cls.url = f"http://127.0.0.1:{port}/?out=json"
        deadline = time.monotonic() + 120
        while True:
            try:
                _LOCAL.open(f"http://127.0.0.1:{port}/", timeout=5).close()
                return cls.url
            except OSError:
                if cls.process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("the Nu HTML Checker did not start", pytrace=False)
                time.sleep(0.2)


def nu_check(documents: dict[str, str], tmp_path: Path, *, ignore=None) -> None:
    """Validate HTML documents ({name: html}) with the Nu HTML Checker (one service per test process); fail on
    errors. The documents are written to `tmp_path` too, to look at after a failure.

    `ignore(message) -> bool` leaves out errors of markup the project cannot change (say why where used).
    """
    java = shutil.which("java")
    _require(java is not None, "Java is missing (the Nu HTML Checker needs it)")
    _require(VNU_JAR.exists(), f"the Nu HTML Checker is missing at {VNU_JAR} (npm ci)")
    url = _NuServer.address(java)
    messages = []
    for index, (name, html) in enumerate(documents.items()):
        (tmp_path / f"page{index}.html").write_text(html, encoding="utf-8")
        request = urllib.request.Request(
            url, data=html.encode("utf-8"), headers={"Content-Type": "text/html; charset=utf-8"}, method="POST"
        )
        with _LOCAL.open(request, timeout=120) as response:
            messages += [{**message, "url": name} for message in json.load(response)["messages"]]
    errors = [
        m for m in messages if (m["type"] == "error" or m.get("subType") == "fatal") and not (ignore and ignore(m))
    ]
    if errors:
        lines = [f"Nu HTML Checker: {len(errors)} error(s)"]
        for message in errors[:40]:
            lines.append(f"- {message['url']} line {message.get('lastLine')}: {message['message']}")
            if message.get("extract"):
                lines.append(f"    {message['extract'].strip()[:160]}")
        pytest.fail("\n".join(lines), pytrace=False)
