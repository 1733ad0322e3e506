"""System programs some tests run (nginx, systemd-analyze, poppler, usbguard).

Without the program a test skips on a developer's machine; ``BAOMI_REQUIRE_TOOLS=1`` (set by
.ci/run, which installs them) turns that into a failure, so nothing silently skips in CI."""

from __future__ import annotations

import os
import shutil

import pytest


def tool(name: str, package: str) -> str:
    """The path of the program ``name`` (Debian package ``package``), or skip / fail."""
    path = shutil.which(name) or next(
        (p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}") if os.access(p, os.X_OK)), None
    )
    if path is None:
        if os.environ.get("BAOMI_REQUIRE_TOOLS") == "1":
            pytest.fail(
                f"{name} is required (BAOMI_REQUIRE_TOOLS=1) but not installed (apt-get install {package})"
            )
        pytest.skip(f"{name} is not installed (apt-get install {package})")
    return path
