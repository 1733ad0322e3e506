"""Test set-up: a throw-away data and key directory per run (and a data directory of its own per
xdist worker, ``pytest_configure``); PostgreSQL when BAOMI_TEST_DB says.

The environment is fixed at import time, before pytest-django loads the settings.
"""

from __future__ import annotations

import os
import tempfile

_tmp = tempfile.mkdtemp(prefix="baomi-test-")
os.environ.setdefault("BAOMI_DATA_DIR", os.path.join(_tmp, "data"))
os.environ["BAOMI_KEY_DIR"] = os.path.join(_tmp, "keys")
os.environ.pop("BAOMI_MASTER_KEY_FILE", None)
os.environ.pop("BAOMI_AUDIT_KEY_FILE", None)
os.environ.setdefault("BAOMI_LANGUAGE", "zh-hans")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API in e2e tests

import pytest  # noqa: E402

pytest_plugins = ["tests.support.fixtures", "tests.support.seaweed"]


def pytest_configure(config: pytest.Config) -> None:
    """Each xdist worker has its own database, so it gets its own data directory: files named by
    a row's id (an import run's progress, ``imports/run-1.json``) would otherwise collide between
    two workers' run 1. (The settings are loaded before this module, so they are changed here,
    not through the environment.)"""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        from pathlib import Path

        from django.conf import settings

        settings.DATA_DIR = Path(settings.DATA_DIR) / worker


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """PostgreSQL-only tests run in the PostgreSQL pass of ``make test`` and are deselected
    (not skipped) in the SQLite pass; e2e tests share one xdist worker."""
    on_pg = os.environ.get("BAOMI_TEST_DB") == "postgres"
    keep, dropped = [], []
    for item in items:
        if "postgres" in item.keywords and not on_pg:
            dropped.append(item)
            continue
        if "e2e" in item.keywords:
            item.add_marker(pytest.mark.xdist_group("e2e"))
        keep.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = keep


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> None:
    """Argon2 at minimal cost in tests (tests/support/hashers.py): same algorithm, fast."""
    from django.conf import settings
    from django.contrib.auth.hashers import get_hashers, get_hashers_by_algorithm

    settings.PASSWORD_HASHERS = ["tests.support.hashers.FastArgon2PasswordHasher"]
    get_hashers.cache_clear()
    get_hashers_by_algorithm.cache_clear()


@pytest.fixture(autouse=True, scope="session")
def _secret_from_the_environment() -> None:
    """The Django secret as a deployment that sets BAOMI_SECRET_KEY has it: no file to check.
    Every command checks the secret's file once users exist (ops/keyfiles.py); the tests of that
    point SECRET_KEY_FILE at a file of their own."""
    from django.conf import settings

    settings.SECRET_KEY_FILE = None


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache. Figures are cached under the count of committed
    changes (audit/cache.py), which only grows in a real database; every test's database is
    rolled back to the same start, so the same count would name another test's figures."""
    from django.core.cache import cache

    cache.clear()


# Property tests (hypothesis): no per-example deadline — CI machines are shared and slow — and
# a fixed example budget so the run time stays predictable.
from hypothesis import HealthCheck  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

hypothesis_settings.register_profile(
    "baomi", deadline=None, max_examples=200, database=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("baomi")
