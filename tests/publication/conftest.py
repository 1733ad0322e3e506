"""Publication tests: each test starts with no matcher in the process (ids are reused after a
rolled-back test on SQLite, so a matcher built in one test must not serve the next)."""

from __future__ import annotations

import pytest

from baomi.publication import registry


@pytest.fixture(autouse=True)
def _fresh_matcher():
    registry.forget()
    yield
    registry.forget()
