"""Carrier tests: a fast password hasher (the personas' Argon2 hashing dominated run time;
password handling is tested in tests/accounts)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
