"""Vault tests: each test gets its own blob directory and master key ring (throw-away keys)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def vault_dirs(settings, tmp_path):
    """A fresh BLOB_DIR and MASTER_KEY_FILE per test, so verify sees only this test's files."""
    settings.BLOB_DIR = tmp_path / "blobs"
    settings.MASTER_KEY_FILE = tmp_path / "keys" / "master.key"
    settings.CIPHER = "sm4"
    return tmp_path


@pytest.fixture(params=["sm4", "aes"])
def cipher(request, settings):
    """Run a test once per cipher provider (SEC-4)."""
    settings.CIPHER = request.param
    return request.param


@pytest.fixture
def small_chunks(settings):
    """Chunks of 4 KiB, the minimum, so multi-chunk cases stay small and fast."""
    settings.VAULT_CHUNK_SIZE = 4096
    return 4096


@pytest.fixture
def user(db):
    """One active account to act as the caller (the personas' full org costs 13 password hashes)."""
    from baomi.accounts import services

    return services.create_user(
        None, username="vault_caller", full_name="调用人", password="Test@Pass2026", bootstrap=True
    )
