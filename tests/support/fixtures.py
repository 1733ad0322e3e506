"""Shared fixtures: personas and the assertion helpers, available to every test."""

from __future__ import annotations

import pytest

from tests.support import personas


@pytest.fixture
def org(db):
    """The demo-like organisation: departments and one user per persona (see personas.py)."""
    return personas.build()


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()
