"""Accounts tests sign in many times: argon2 with light parameters keeps them fast (the
algorithm and the code path stay the production ones; only the cost differs)."""

from __future__ import annotations

import pytest

LIGHT_HASHERS = ["tests.accounts.helpers.LightArgon2PasswordHasher"]


@pytest.fixture(autouse=True)
def _light_argon2(settings):
    settings.PASSWORD_HASHERS = LIGHT_HASHERS
