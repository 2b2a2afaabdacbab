# Quartier: `make run` serves the portal with demo data, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
HOST ?= 127.0.0.1
PORT ?= 8000
# The served address: in development SITE_URL (the links in demo mails and the banner) follows it.
export HOST PORT

# Development defaults; a real deployment sets these in its environment (README, "Configuration").
export DEBUG ?= 1
export DJANGO_SETTINGS_MODULE ?= quartier.settings

.PHONY: demo-code run setup install test test-fast lint format migrate seed clean bench-load bench-tenfold worker

run: setup
	@echo "Serving the portal at http://$(HOST):$(PORT)/ (stop with Ctrl+C)"
	@echo "Door sign for a tablet at the room's door: http://$(HOST):$(PORT)/raeume/besprechungsraum/heute/?bildschirm=1"
	@echo "Entrance screen of the house: http://$(HOST):$(PORT)/raeume/haus/stadtteilbuero/heute/?bildschirm=1"
	$(PY) manage.py runserver $(HOST):$(PORT)

setup: $(VENV)/.installed
	$(PY) manage.py compile_catalogues
	@$(PY) manage.py ensure_database
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(VENV)/bin/python pyproject.toml
	$(PIP) install --quiet --upgrade pip
	$(PIP) install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# The current two-factor code of the demo staff account (buero@quartier.example), for logging in.
demo-code: $(VENV)/.installed
	@$(PY) manage.py demo_code

# The test tools beside Python: axe-core and the Nu HTML Checker from npm (package-lock.json).
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

# The suite runs on every core (pytest-xdist) in a random order (pytest-random-order; the seed is printed, rerun
# one order with PYTEST_ARGS=--random-order-seed=N); TEST_WORKERS=0 runs it in one process.
TEST_WORKERS ?= auto
# --dist worksteal: a worker that runs out of tests takes some from the other's queue (the suite's tests last from
# milliseconds to two minutes, so fixed shares leave one core idle at the end).
PYTEST := DEBUG=0 $(VENV)/bin/pytest -n $(TEST_WORKERS) --dist worksteal --random-order

test: $(VENV)/.installed node_modules/.installed
	$(PY) manage.py compile_catalogues
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PYTEST) $(PYTEST_ARGS)

# Everything but the browser tests (quick feedback while coding).
test-fast: $(VENV)/.installed
	$(PY) manage.py compile_catalogues
	$(PYTEST) -m "not browser" $(PYTEST_ARGS)

# The mail worker. `make run` needs none (with DEBUG the server sends its mails right after each commit); to try
# the production way, run `MAIL_DELIVERY=worker make run` and `make worker` side by side.
worker: $(VENV)/.installed
	$(PY) manage.py send_mails

# Load benchmark on PostgreSQL (+ Redis): README, "Load benchmark". Needs wrk (apt-get install -y wrk).
LOAD_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/quartier_load
bench-load: $(VENV)/.installed
	DATABASE_URL=$(LOAD_DATABASE_URL) $(PY) bench/load.py

# The room list and the booking check at ten times the load database's bookings (1 million; seeded once into
# <name>_10x, a few minutes): at most twice their CPU at the load size, or the exit status is 1.
bench-tenfold: $(VENV)/.installed
	DATABASE_URL=$(LOAD_DATABASE_URL) $(PY) bench/load.py --tenfold

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# Formats the code as `make lint` (and the pre-commit hook) expect it.
format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf var/static var/test.sqlite3 .pytest_cache
