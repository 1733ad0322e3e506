"""Helpers for the accounts tests: the login steps through the real views."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.hashers import Argon2PasswordHasher
from django.urls import reverse

from baomi.accounts import totp
from baomi.accounts.models import User
from tests.support.personas import PASSWORD


class LightArgon2PasswordHasher(Argon2PasswordHasher):
    """argon2id with light parameters, for tests that sign in many times."""

    time_cost = 1
    memory_cost = 1024
    parallelism = 1


def post_password(client: Any, username: str, password: str = PASSWORD) -> Any:
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def secret_of(user: User) -> str:
    user.refresh_from_db()
    return totp.unseal(user.totp_secret, user.pk)


def fresh_code(user: User) -> str:
    """A valid code not yet used: the current step, or the next one when the current was used."""
    user.refresh_from_db()
    step = totp.current_step()
    if user.totp_last_step is not None and user.totp_last_step >= step:
        step = user.totp_last_step + 1
    while step > totp.current_step() + totp.DRIFT_STEPS:  # not valid yet: wait for the next step
        time.sleep(1)
    return totp.code_for(secret_of(user), step)


def signed_in(client: Any) -> bool:
    return "_auth_user_id" in client.session
