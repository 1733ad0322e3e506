# baomi — the two commands of the README are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
export BAOMI_DATA_DIR ?= $(CURDIR)/var/data
export BAOMI_KEY_DIR ?= $(CURDIR)/var/keys
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-test run serve test lint unit e2e bench demo messages clean coverage-policy

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "需要 Python 3.11 ($(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $(VENV)/.installed $@

messages: | $(BIN)/python
	$(BIN)/python tools/compilemessages.py

install: $(VENV)/.installed messages

install-test: $(VENV)/.installed-test messages

# Sets up everything and serves the demo on SQLite: safe to run again.
run: install
	$(BIN)/baomi migrate
	$(BIN)/baomi keys init
	$(BIN)/baomi demo
	$(BIN)/baomi collectstatic --noinput -v 0
	$(BIN)/baomi demo --accounts
	@echo "baomi 演示系统: http://$(HOST):$(PORT)/  (Ctrl-C 停止)"
	@trap 'kill 0' EXIT INT TERM; \
	  BAOMI_DEMO=1 $(BIN)/baomi scheduler & \
	  BAOMI_DEMO=1 $(BIN)/gunicorn baomi.wsgi:application --bind $(HOST):$(PORT) --workers 2 --threads 4 --access-logfile - ; \
	  wait

demo: install
	$(BIN)/baomi migrate
	$(BIN)/baomi keys init
	$(BIN)/baomi demo

# bench/ may not exist yet on every branch: lint what is there.
LINT_PATHS := src tests tools $(wildcard bench)

lint: install-test
	$(BIN)/ruff check $(LINT_PATHS)
	$(BIN)/ruff format --check $(LINT_PATHS)
	$(BIN)/python tools/lint_secure.py
	PYTHONPATH=src $(BIN)/lint-imports
	$(BIN)/python tools/compilemessages.py --check
	$(BIN)/mypy

# Runs the whole suite on SQLite, then on PostgreSQL when one answers
# (BAOMI_TEST_POSTGRES_URL, or the local server). BAOMI_REQUIRE_POSTGRES=1 and
# BAOMI_REQUIRE_BROWSER=1 (set by .ci/run) turn a missing one into a failure.
test: install-test lint coverage-policy
	@# pytest exits 5 when a selection holds no tests: nothing failed, so that is not an error.
	BAOMI_TEST_DB=sqlite $(BIN)/python -m pytest -n 2 --dist loadgroup || [ $$? -eq 5 ]
	@if $(BIN)/python tools/pg_available.py; then \
	  BAOMI_TEST_DB=postgres $(BIN)/python -m pytest -n 2 --dist loadgroup -m "not e2e" || [ $$? -eq 5 ]; \
	else \
	  echo "PostgreSQL 不可用: 仅在 SQLite 上运行 (设置 BAOMI_TEST_POSTGRES_URL 以启用)"; \
	  if [ "$${BAOMI_REQUIRE_POSTGRES:-0}" = "1" ]; then exit 1; fi; \
	fi

# 100% branch coverage of the policy core (STYLE 2.10); part of `make test`.
coverage-policy: install-test
	BAOMI_TEST_DB=sqlite $(BIN)/python -m pytest -q -p no:xdist tests/access/test_policy.py \
	  --cov=baomi.access.policy --cov-branch --cov-report=term-missing --cov-fail-under=100

bench: install-test
	@for b in bench/*/run.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) var build *.egg-info
