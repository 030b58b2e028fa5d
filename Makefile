# `make run` serves the demo; `make test` runs every test. Both set up from nothing.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
PORT ?= 8000
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
PYTEST_ARGS ?=

.PHONY: run test test-sqlite test-postgres check format bench clean

run: $(VENV)/.synced
	$(BIN)/commonground migrate
	PUBLIC_BASE_URL=$${PUBLIC_BASE_URL:-http://localhost:$(PORT)} $(BIN)/commonground demo
	PUBLIC_BASE_URL=$${PUBLIC_BASE_URL:-http://localhost:$(PORT)} $(BIN)/commonground serve --port $(PORT)

test: test-sqlite test-postgres

test-sqlite: $(VENV)/.synced
	$(BIN)/pytest $(PYTEST_ARGS)

# Under CI a missing PostgreSQL fails the run; on a laptop the pass is skipped, saying why.
test-postgres: $(VENV)/.synced
	@if $(BIN)/python -m app.pgcheck "$(PG_TEST_URL)"; then \
		TEST_DATABASE_URL="$(PG_TEST_URL)" $(BIN)/pytest $(PYTEST_ARGS); \
	elif [ "$${CI:-}" = "true" ]; then \
		echo "PostgreSQL is not reachable at $(PG_TEST_URL) and CI=true: failing"; exit 1; \
	else \
		echo "SKIPPED the PostgreSQL pass: nothing answers at $(PG_TEST_URL) (start it, or set PG_TEST_URL)"; \
	fi

check: $(VENV)/.synced
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy app
	$(BIN)/pytest -q -p no:cacheprovider tests/test_layers.py

format: $(VENV)/.synced
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

bench: $(VENV)/.synced
	for script in bench/*.py; do $(BIN)/python $$script || exit 1; done

.tools/bin/uv:
	$(PYTHON) -m venv .tools
	.tools/bin/pip install -q uv

$(VENV)/.synced: requirements-dev.lock pyproject.toml | $(UV)
	$(UV) venv -q --allow-existing -p $(PYTHON) $(VENV)
	$(UV) pip sync -q -p $(BIN)/python requirements-dev.lock
	$(UV) pip install -q -p $(BIN)/python --no-deps -e .
	touch $@

clean:
	rm -rf $(VENV) .tools .pytest_cache .mypy_cache .ruff_cache
