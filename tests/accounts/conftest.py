"""Accounts tests sign in many times: argon2 with light parameters keeps them fast (the
algorithm and the code path stay the production ones; only the cost differs)."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import Argon2PasswordHasher


class LightArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 1024
    parallelism = 1


@pytest.fixture(autouse=True)
def _light_argon2(settings):
    settings.PASSWORD_HASHERS = ["tests.accounts.conftest.LightArgon2PasswordHasher"]
