# Every target sets up what it needs: a fresh clone runs `make run` or `make test` and nothing else.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
# Django 6 needs Python >= 3.12; the machine's python3 may be older, so look on PATH, then under pyenv.
PYTHON ?= $(shell for c in python3.14 python3.13 python3.12 python3 $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3; do \
	if command -v $$c >/dev/null 2>&1 && $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
	command -v $$c; break; fi; done)
TEST_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/conductatlas
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install run test lint typecheck pytest worker bench clean

help:
	@echo "make run   set up, load the demo data and serve the API on http://$(HOST):$(PORT)/api/v1/"
	@echo "make test  set up and run ruff, mypy and the whole test suite on PostgreSQL"

$(VENV)/.installed: pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "error: no Python >= 3.12 found on PATH or in ~/.pyenv/versions; install one or run 'make PYTHON=/path/to/python3.12 ...'" >&2; exit 1; fi
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@touch $@

install: $(VENV)/.installed

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py runserver $(HOST):$(PORT)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy .

pytest: install
	@DATABASE_URL=$(TEST_DATABASE_URL) $(PY) manage.py database_reachable
	DATABASE_URL=$(TEST_DATABASE_URL) $(VENV)/bin/pytest $(PYTEST_ARGS)

test: lint typecheck pytest

worker: install
	$(PY) manage.py db_worker

# The load benchmark (bench/README.md): generate a database at SCALE (S, M or L), then serve and load it.
SCALE ?= S
bench: install
	$(PY) -m bench.generate --scale $(SCALE)
	$(PY) -m bench.run --scale $(SCALE)

clean:
	rm -rf $(VENV) db.sqlite3 .pytest_cache .mypy_cache .ruff_cache
