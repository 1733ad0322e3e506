"""Personnel tests build the persona organisation often; a fast hasher keeps them quick (the
password policy itself is tested in tests/accounts)."""

import pytest


@pytest.fixture(autouse=True)
def _fast_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
