# Cimento — two commands: `make run` (serve the demo on SQLite) and `make test` (lint, types, suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
LOCK := requirements/lock.txt
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
# Test processes (pytest-xdist; `auto` is 2 on the 2-core machines); 0 runs serially. worksteal:
# the browser and transactional tests, the longest, come last (pytest-django), and an idle
# worker takes over some of the other's instead of waiting for it.
WORKERS ?= 2
# Compiled modules and pytest's rewritten test modules are cached in __pycache__ even where the
# environment turns that off: collecting the suite takes 4 s of CPU per process instead of 10.
PYTEST := CIMENTO_TESTING=true PYTHONDONTWRITEBYTECODE= $(VENV)/bin/pytest -n $(WORKERS) \
	--dist worksteal
TYPED := clinic referrals eligibility scheduling reports procedures followups fhir_api \
	notifications quality config bench
UV_VERSION := 0.13.8

.PHONY: run test test-fast install tools lock messages migrate seed lint format typecheck bench load \
	backup restore attack-replay clean

# The venv holds exactly the lock's versions (checked against its hashes), then the project
# itself; a new lock or pyproject.toml installs again.
$(STAMP): $(LOCK) pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

# Pins pyproject.toml's ranges (with the dev extra) for Linux, macOS and Windows alike; versions
# already in the lock are kept unless `make lock LOCK_ARGS=--upgrade` (or --upgrade-package X).
# The lock is replaced only when it changed, so that an unchanged one installs nothing again.
lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet uv==$(UV_VERSION)
	cp $(LOCK) $(LOCK).new 2>/dev/null || true
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
		--generate-hashes --custom-compile-command "make lock" --quiet $(LOCK_ARGS) -o $(LOCK).new
	if cmp -s $(LOCK).new $(LOCK); then rm $(LOCK).new; else mv $(LOCK).new $(LOCK); fi

# Tools the suite runs outside Python: the Nu Html Checker (npm vnu-jar, run with Java 17+ by
# tests/test_valid_html.py). The lock's exact versions; --ignore-scripts: the package's own
# install script would download a Java runtime, and the system's is used instead. Without npm
# (a laptop), the HTML check is skipped with its reason; CI installs both (.ci/run).
TOOLS_STAMP := tools/node_modules/.installed
$(TOOLS_STAMP): tools/package.json tools/package-lock.json
	npm ci --prefix tools --ignore-scripts --no-audit --no-fund
	touch $(TOOLS_STAMP)

tools: $(TOOLS_STAMP)

messages: $(STAMP)
	$(VENV)/bin/pybabel compile --domain django --directory locale --statistics

migrate: install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

seed: migrate
	$(PY) manage.py seed_demo

# The web server and the task queue's worker (e-mails, SMS: docs/notifications.md) together;
# Ctrl-C stops both. The time-based work is enqueued by `manage.py enqueue_due_tasks` (a timer in
# production, deploy/systemd/); run it by hand to send due reminders on a laptop.
run: seed
	@echo "Cimento: http://$(HOST):$(PORT)/  (demo logins above, password cimento-demo-2026)"
	@export SITE_URL=http://$(HOST):$(PORT); \
	$(PY) manage.py db_worker --interval 2 & worker=$$!; \
	while :; do $(PY) manage.py enqueue_due_tasks >/dev/null; sleep 300; done & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

typecheck: install
	$(VENV)/bin/mypy $(TYPED)

test: install messages lint typecheck
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory tools; \
	else echo "make test: npm is missing, the HTML check (tests/test_valid_html.py) is skipped"; fi
	$(PYTEST) $(PYTEST_ARGS) || { status=$$?; [ $$status -ne 5 ] || \
		echo "make test: pytest collected no test (exit 5): the selection or collection is broken"; \
		exit $$status; }

# The inner loop: the suite without the real-browser tests (no lint, no mypy).
test-fast: install messages
	$(PYTEST) -m "not browser" $(PYTEST_ARGS)

bench: install messages
	$(PY) bench/run.py

# A clinic network's busy hour over HTTP (Locust, a dev dependency) against gunicorn, 4 workers,
# on a throwaway PostgreSQL database (DATABASE_URL's server): docs/performance.md.
load: install messages
	$(PY) bench/load.py

# Issue 17's attacks over HTTP on gunicorn, DEBUG off, a throwaway PostgreSQL database
# (REPLAY_POSTGRES, default postgres://postgres@127.0.0.1:5432), behind the proxy header.
attack-replay: install messages
	$(PY) scripts/attack_replay.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache tools/node_modules

# The database (DATABASE_URL) and the stored files in one archive, by default
# backups/cimento-<date>.tar; `make restore BACKUP=backups/x.tar TARGET=<database URL>` (TARGET is
# required, never DATABASE_URL; RESTORE_ARGS="--app-role NAME", "--no-grants", "--replace").
# docs/operations.md.
backup:
	$(PY) manage.py backup $(if $(BACKUP),--output "$(BACKUP)")

restore:
	$(PY) manage.py restore "$(BACKUP)" $(if $(TARGET),--target-database "$(TARGET)") $(RESTORE_ARGS)
