"""Instructions per request: what a page costs the server's Python, counted by valgrind (callgrind), not timed.

Run:  DATABASE_URL=postgres://postgres@127.0.0.1:5432/quartier_load .venv/bin/python bench/instructions.py PATH...
      (the load database of `make bench-load`; needs valgrind). Options: --requests N (10), --root DIR (another
      checkout of the portal to count with the same packages, e.g. a `git worktree` of the commit before a change).

CPU time per request moves by a third between rounds on a shared virtual machine; the count of instructions does
not (the same code, data and hash seed give the same count within a few tenths of a percent), so it is what to
compare before and after a change. Each PATH is requested through Django's test client with the fragment cache
off, in two processes under callgrind: three requests, then three plus N; the difference over N is the page's
count per request, start-up and the first requests' compiling left out. The database server's work is not
counted (it runs in its own process). A checkout passed as --root must have its catalogues compiled and its
static files collected (`manage.py compile_catalogues`, `collectstatic`); a package directory it lacks (a
`templatetags` added since) is found in this checkout through the editable install: give it an empty one.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WARM_UPS = 3
ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "quartier.settings",
    "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
    "DEBUG": "0",
    "ALLOWED_HOSTS": "testserver",
    "SECURE_SSL_REDIRECT": "0",
    "SECURE_COOKIES": "0",
    "FRAGMENT_CACHE_SECONDS": "0",
    "EMAIL_URL": "console:",
    "PYTHONHASHSEED": "0",
}


def requests(root: str, path: str, count: int) -> None:
    """In the process valgrind counts: the warm-ups, then `count` requests of `path`."""
    sys.path.insert(0, root)
    import django

    django.setup()
    from django.test import Client

    client = Client()
    for _ in range(WARM_UPS):
        status = client.get(path).status_code
        if status != 200:
            raise SystemExit(f"{path}: {status}, not 200")
    for _ in range(count):
        client.get(path)


def instructions(root: Path, path: str, count: int) -> int:
    """The instructions callgrind counts in a process that makes the warm-ups and `count` requests."""
    command = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__]
    command += ["--in-process", str(count), "--root", str(root), path]
    env = {**os.environ, **ENVIRONMENT}
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=root, check=False)
    found = re.search(r"Collected : (\d+)", result.stderr)
    if result.returncode or not found:
        raise SystemExit(f"{path}: valgrind failed\n{result.stderr[-2000:]}")
    return int(found[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--requests", type=int, default=10)
    parser.add_argument("--root", default=str(ROOT))
    parser.add_argument("--in-process", type=int, default=None, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.in_process is not None:
        requests(options.root, options.paths[0], options.in_process)
        return 0
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind is needed: apt-get install -y valgrind")
    root = Path(options.root).resolve()
    print(f"| page | M instructions per request ({root.name}, {options.requests} requests) |")
    print("|---|---:|")
    for path in options.paths:
        per_request = (instructions(root, path, options.requests) - instructions(root, path, 0)) / options.requests
        print(f"| {path} | {per_request / 1e6:.2f} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
