# BDTX — the two commands: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.12 >/dev/null 2>&1 && echo python3.12 || echo python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=

.PHONY: run test test-fast test-postgres test-browser deploy-check check lint format messages bench venv clean

venv: $(VENV)/.installed

$(VENV)/.installed: requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 12), "BDTX needs Python 3.12 or newer (found " + sys.version.split()[0] + ")"'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

## make run: virtualenv, dependencies, migrations, demo province, web server + background worker.
run: venv
	HOST=$(HOST) PORT=$(PORT) bash scripts/run.sh

PYTEST := $(BIN)/pytest -p no:cacheprovider

# The suite in two groups: everything but the browser journeys on 2 xdist workers, then the
# journeys in one process (one live server, one Chromium). Both groups run; the run fails if either
# fails. A group with nothing to run (pytest's exit 5, e.g. PYTEST_ARGS names one file) is fine;
# both empty is not.
define run_suite
	@rc1=0; rc2=0; \
	$(PYTEST) -n 2 -m "not browser" $(PYTEST_ARGS) || rc1=$$?; \
	$(PYTEST) -n 0 -m browser $(PYTEST_ARGS) || rc2=$$?; \
	if [ $$rc1 -eq 5 ] && [ $$rc2 -eq 5 ]; then echo "make: no tests ran" >&2; exit 5; fi; \
	if [ $$rc1 -eq 5 ]; then rc1=0; fi; \
	if [ $$rc2 -eq 5 ]; then rc2=0; fi; \
	if [ $$rc1 -ne 0 ] || [ $$rc2 -ne 0 ]; then \
		echo "make: tests failed (without browser: exit $$rc1; browser journeys: exit $$rc2)" >&2; exit 1; fi
endef

## make test: the whole suite on SQLite (browser journeys included; skipped when Chromium is missing,
## unless BDTX_REQUIRE_BROWSER=1).
test: venv
	$(run_suite)

## Everything but the browser journeys, on SQLite.
test-fast: venv
	$(PYTEST) -n 2 -m "not browser" $(PYTEST_ARGS)

## The suite again on PostgreSQL, without the browser journeys (127.0.0.1:5432 if a server answers,
## else a throwaway cluster: scripts/with-postgres.sh).
test-postgres: venv
	bash scripts/with-postgres.sh $(PYTEST) -n 2 -m "not browser" $(PYTEST_ARGS)

## The browser journeys alone, in Debian's Chromium; a missing Chromium fails instead of skipping.
## Screenshots land in artifacts/screenshots/.
test-browser: venv
	BDTX_REQUIRE_BROWSER=1 $(PYTEST) -n 0 -m browser $(PYTEST_ARGS)

## Deploy as docs/deploy.md says (production settings, collectstatic, migrate, gunicorn) into a
## throwaway directory, sign in through the proxy's headers and fail on any error or missing file.
deploy-check: venv
	bash scripts/deploy-check.sh

## make check: what CI's checks stage runs. Every check runs; the target fails if any of them failed.
CHECKS := \
	"$(BIN)/ruff check ." \
	"$(BIN)/ruff format --check ." \
	"$(BIN)/mypy bdtx config" \
	"$(BIN)/python manage.py makemigrations --check --dry-run" \
	"$(BIN)/djlint bdtx --lint" \
	"$(BIN)/pytest -q -p no:cacheprovider -n 0 tests/test_architecture.py"

check: venv
	@failed=(); \
	for cmd in $(CHECKS); do \
		echo "+ $$cmd"; \
		$$cmd || failed+=("$$cmd"); \
	done; \
	if (( $${#failed[@]} )); then printf 'make: check failed: %s\n' "$${failed[@]}" >&2; exit 1; fi; \
	echo "make: every check passed"

## Python only: ruff's lint and format check (make check runs these and more).
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
