# baomi — the two commands of the README are `make run` and `make test`.
SHELL := /bin/bash
# Python 3.11, 3.12 or 3.13 (Debian 12 ships 3.11, Debian 13 3.13): the first one found.
PYTHON ?= $(firstword $(shell command -v python3.11 python3.12 python3.13 python3 2>/dev/null) python3)
VENV ?= .venv
BIN := $(VENV)/bin
export BAOMI_DATA_DIR ?= $(CURDIR)/var/data
export BAOMI_KEY_DIR ?= $(CURDIR)/var/keys
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install install-test run serve test lint unit e2e bench fuzz demo messages clean coverage-policy lock bundle

# The virtual environment is installed from the lock files only (make lock writes them): exact
# versions checked against their sha256 hashes, pip as the Python installation ships it (never
# upgraded from the network), and baomi itself built by the locked setuptools with no index.
$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(not (3, 11) <= sys.version_info[:2] <= (3, 13))' 2>/dev/null \
	  || { echo "需要 Python 3.11–3.13 ($(PYTHON))"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install -q --require-hashes -r requirements.lock
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	@touch $@

$(VENV)/.installed-test: pyproject.toml requirements-test.lock | $(BIN)/python
	$(BIN)/python -m pip install -q --require-hashes -r requirements-test.lock
	$(BIN)/python -m pip install -q --no-deps --no-build-isolation -e .
	@touch $(VENV)/.installed $@

# Re-resolve the lock files after a change of pyproject.toml's dependencies (uv, from the test
# extras): the test lock first, then the runtime lock constrained to the same versions.
# `make lock UPGRADE=--upgrade` moves every pin to the newest allowed version.
UV_COMPILE = $(BIN)/uv pip compile --quiet --universal --python-version 3.11 --generate-hashes \
  --custom-compile-command "make lock" $(UPGRADE)
lock: install-test
	$(UV_COMPILE) pyproject.toml requirements-build.in --extra test -o requirements-test.lock
	$(UV_COMPILE) pyproject.toml requirements-build.in -c requirements-test.lock -o requirements.lock

# The offline installation bundle: dist/baomi-<version>-offline.tar.gz (docs/operations.md).
# BUNDLE_PYTHONS picks the target Python versions (default 3.11,3.12,3.13).
BUNDLE_PYTHONS ?= 3.11,3.12,3.13
bundle: install
	$(BIN)/python tools/bundle.py --pythons $(BUNDLE_PYTHONS)

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

# Every API operation as five personas against the OpenAPI schema, with more generated bodies
# than CI's sample (issue 11 §6; figures in docs/benchmarks.md "fuzz"). `make test` runs the
# module's CI sample on both databases; `BAOMI_TEST_DB=postgres make fuzz` runs this on PostgreSQL.
fuzz: install-test
	BAOMI_FUZZ_EXAMPLES=$${BAOMI_FUZZ_EXAMPLES:-25} BAOMI_TEST_DB=$${BAOMI_TEST_DB:-sqlite} $(BIN)/python -m pytest -q -p no:randomly \
	  tests/core/test_api_conformance.py

clean:
	rm -rf $(VENV) var build dist *.egg-info src/*.egg-info
