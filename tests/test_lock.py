"""The lock files cover pyproject.toml (issue 19): ``make install`` installs only what
requirements.lock pins, so a dependency added to pyproject.toml without ``make lock`` would be
missing from every installation and from the offline bundle."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent


def pinned(lock: str) -> dict[str, str]:
    text = (ROOT / lock).read_text(encoding="utf-8")
    return {
        m.group(1).lower().replace("_", "-"): m.group(2)
        for m in re.finditer(r"^([A-Za-z0-9._-]+)==(\S+)", text, re.M)
    }


def wanted(*groups: str) -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    names = list(project["dependencies"])
    for group in groups:
        names += project["optional-dependencies"][group]
    return [Requirement(n) for n in names]


def test_every_dependency_is_locked_at_an_allowed_version():
    for lock, groups in (("requirements.lock", ()), ("requirements-test.lock", ("test",))):
        pins = pinned(lock)
        for req in wanted(*groups):
            name = req.name.lower().replace("_", "-")
            assert name in pins, f"{req.name} is not in {lock}: run make lock"
            assert req.specifier.contains(pins[name], prereleases=True), (
                f"{lock} pins {name}=={pins[name]}, outside {req.specifier}: run make lock"
            )
