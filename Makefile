# Cimento — two commands: `make run` (serve the demo on SQLite) and `make test` (lint + whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
LOCK := requirements/lock.txt
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000
UV_VERSION := 0.13.8

.PHONY: run test install lock messages migrate seed lint format typecheck bench backup restore clean

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
lock:
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet uv==$(UV_VERSION)
	$(VENV)/bin/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
		--generate-hashes --custom-compile-command "make lock" --quiet $(LOCK_ARGS) -o $(LOCK)

messages: $(STAMP)
	$(VENV)/bin/pybabel compile --domain django --directory locale --statistics

migrate: install messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable

seed: migrate
	$(PY) manage.py seed_demo

run: seed
	@echo "Cimento: http://$(HOST):$(PORT)/  (demo logins above, password cimento-demo-2026)"
	SITE_URL=http://$(HOST):$(PORT) $(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

typecheck: install
	$(VENV)/bin/mypy clinic referrals eligibility scheduling reports

test: install messages
	$(VENV)/bin/ruff check .
	CIMENTO_TESTING=true $(VENV)/bin/pytest $(PYTEST_ARGS)

bench: install messages
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache .mypy_cache

# PostgreSQL only (DATABASE_URL). `make restore DUMP=backups/x.dump [TARGET=postgres://…]`.
backup:
	scripts/backup.sh $(DUMP)

restore:
	scripts/restore.sh $(DUMP) $(TARGET)
