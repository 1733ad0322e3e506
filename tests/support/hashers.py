"""Argon2 with the cheapest parameters, for tests only.

Production hashes passwords with Django's Argon2 defaults (SEC-1); at those costs the personas
of every test (13 accounts) take seconds to create. Tests use the same algorithm (hashes still
start ``argon2$``) with minimal time and memory, installed by ``tests/conftest.py``.
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 64  # KiB; the minimum is 8 x parallelism
    parallelism = 1
