# Cimento — two commands: `make run` (serve the demo on SQLite) and `make test` (lint + whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test install messages migrate seed lint format typecheck bench backup restore clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

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
