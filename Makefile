# BDTX — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.12 >/dev/null 2>&1 && echo python3.12 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test test-fast test-postgres test-browser lint format messages bench venv clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 12), "BDTX needs Python 3.12 or newer (found " + sys.version.split()[0] + ")"'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

## make run: virtualenv, dependencies, migrations, demo province, web server + background worker.
run: venv
	HOST=$(HOST) PORT=$(PORT) bash scripts/run.sh

## make test: the whole suite on SQLite (browser tests included when Chromium is installed).
test: venv
	$(BIN)/pytest -p no:cacheprovider -n 2 $(PYTEST_ARGS)

test-fast: venv
	$(BIN)/pytest -p no:cacheprovider -n 2 -m "not browser" $(PYTEST_ARGS)

## The suite again on PostgreSQL (127.0.0.1:5432 if a server answers, else a throwaway cluster).
test-postgres: venv
	bash scripts/with-postgres.sh $(BIN)/pytest -p no:cacheprovider -n 2 -m "not browser" $(PYTEST_ARGS)

test-browser: venv
	BDTX_REQUIRE_BROWSER=1 $(BIN)/pytest -p no:cacheprovider -m browser $(PYTEST_ARGS)

lint: venv
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: venv
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## Extract and compile translations (needs gettext).
messages: venv
	$(BIN)/python manage.py makemessages -l vi --no-obsolete --no-location --ignore=.venv --ignore=var --ignore='*/tests/*' --ignore=tests --ignore=bench --ignore=conftest.py
	$(BIN)/python manage.py compilemessages --ignore=.venv

bench: venv
	$(BIN)/python bench/import_staff.py

clean:
	rm -rf $(VENV) var
