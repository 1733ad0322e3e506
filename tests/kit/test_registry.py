"""The app registry (``baomi.kit.registry``): the apps are found from ``INSTALLED_APPS``, no
shared file lists them, and a new app needs nothing but its folder and one ``INSTALLED_APPS``
line — proved with a throwaway app in a fresh process (tests/kit/throwaway)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import models

from baomi.audit import events
from baomi.kit import registry

ROOT = Path(__file__).resolve().parents[2]


def test_every_baomi_app_declares_its_parts():
    labels = [app.label for app in registry.app_configs()]
    for label in ("accounts", "audit", "vault", "classification", "carriers", "personnel", "supervision",
                  "dashboard", "ops"):  # fmt: skip
        assert label in labels
    assert {app.label for app in registry.with_part("rules")} >= {"accounts", "carriers", "classification"}


def test_no_hand_written_list_of_apps_remains():
    """The six hand lists are gone (issue 10): nothing in src/baomi enumerates the apps."""
    pattern = re.compile(r"APP_CLIS|^APPS =|PARTS =", re.M)
    offenders = [str(p) for p in (ROOT / "src" / "baomi").rglob("*.py") if pattern.search(p.read_text())]
    assert offenders == []


def test_demo_order_follows_declared_dependencies():
    order = [app.label for app in registry.demo_order()]
    assert order[:4] == ["accounts", "classification", "carriers", "personnel"]
    # Apps added since (publication, governance, ...) load after what they declare.
    for app in registry.demo_order():
        assert all(order.index(dep) < order.index(app.label) for dep in app.demo_after if dep in order), (
            app.label
        )


def test_an_unknown_part_is_an_error():
    with pytest.raises(ValueError, match="unknown part"):
        registry.with_part("gadgets")


def test_event_blocks_may_not_overlap_or_stray(monkeypatch):
    """An app's audit codes stay in its block; blocks never overlap the first apps' codes or
    each other (existing codes keep their values: they are inside each entry's MAC)."""
    monkeypatch.setattr(events, "_BLOCKS", {})

    class FakeModule:
        __name__ = "fake.events"

    class Good(models.IntegerChoices):
        DONE = 1000, "done"

    class Stray(models.IntegerChoices):
        DONE = 1200, "done"

    for enum in (Good, Stray):
        enum.__module__ = "fake.events"
    good, stray = FakeModule(), FakeModule()
    good.Good = Good  # type: ignore[attr-defined]
    stray.Stray = Stray  # type: ignore[attr-defined]
    assert events.register_events("inspections", range(1000, 1100), good) is Good  # type: ignore[arg-type]
    assert events.event_label(1000) == "done"
    with pytest.raises(ValueError, match="overlaps"):
        events.register_events("other", range(1050, 1150), good)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="overlaps"):
        events.register_events("legacy", range(900, 1000), good)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="outside"):
        events.register_events("incidents", range(1100, 1200), stray)  # type: ignore[arg-type]
    assert events.event_label(123456) == "123456"


@pytest.mark.slow
def test_a_new_app_is_its_folder_plus_one_installed_apps_line(tmp_path):
    """A throwaway app, added by one line of settings, has its URL, API, nav entry, start-page
    task, job, command, demo, rule and audit events found — without any other file naming it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_XDIST", "BAOMI_TEST_DB"))}
    env["DJANGO_SETTINGS_MODULE"] = "tests.kit.throwaway.settings"
    env["BAOMI_DATA_DIR"] = str(tmp_path / "data")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:xdist",
            "--ds",
            "tests.kit.throwaway.settings",
            "tests/kit/throwaway/check_discovery.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "1 passed" in result.stdout


def test_the_import_contracts_hold():
    """Layers import only downward and nothing imports in a circle (pyproject.toml
    [tool.importlinter]; also run by ``make lint``)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "lint-imports"), "--no-cache"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:]
