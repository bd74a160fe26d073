# Two commands matter: `make demo` and `make test`. Everything else serves them.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
CONSTRAINTS := requirements/constraints.txt
export ACCORD_DATA_DIR ?= $(CURDIR)/var

.PHONY: demo test lint typecheck contracts pytest bench serve clean venv venv-dev

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit("Accord needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.runtime: $(BIN)/python pyproject.toml $(CONSTRAINTS)
	$(BIN)/pip install -q -c $(CONSTRAINTS) -e .
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime
	$(BIN)/pip install -q -c $(CONSTRAINTS) -e '.[dev]'
	@touch $@

venv: $(VENV)/.runtime
venv-dev: $(VENV)/.dev

## demo: set up SQLite + DuckDB, load the demo data, serve on http://127.0.0.1:8000
demo: venv
	$(BIN)/accord migrate --noinput
	$(BIN)/accord collectstatic --noinput -v 0
	$(BIN)/accord load_demo
	$(BIN)/accord runserver --nostatic 127.0.0.1:8000

## test: lint, type checks, architecture contract and every test
test: lint typecheck contracts pytest

LINTED := src tests $(wildcard benchmarks)

lint: venv-dev
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

typecheck: venv-dev
	$(BIN)/mypy

contracts: venv-dev
	$(BIN)/lint-imports

pytest: venv-dev
	$(BIN)/pytest -n 2 --cov --cov-report=term:skip-covered --cov-fail-under=85 $(PYTEST_ARGS)

bench: venv-dev
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .coverage
