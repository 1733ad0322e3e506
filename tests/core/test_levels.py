"""Levels and their ordering (CLS-1, CAR-3, SEC-8)."""

import pytest
from django.test import override_settings

from baomi.core import levels
from baomi.core.levels import Level


def test_order_runs_from_public_to_top_secret():
    """绝密 > 机密 > 秘密 > 工作秘密 > 内部 > 公开 on the access scale (R-CLS-1)."""
    ordered = sorted(Level.values, key=levels.rank)
    assert ordered == ["public", "internal", "work_secret", "confidential", "secret", "top_secret"]


@pytest.mark.parametrize(
    ("clearance", "level", "ok"),
    [
        ("secret", "confidential", True),
        ("secret", "secret", True),
        ("secret", "top_secret", False),
        ("work_secret", "confidential", False),
        (None, "public", False),
        ("", "public", False),
    ],
)
def test_clearance_dominance_has_no_read_up(clearance, level, ok):
    """A clearance reaches its own level and those below, never above (CAR-3)."""
    assert levels.dominates(clearance, level) is ok


def test_highest_of_sources():
    """Derivation takes the highest level of its sources (CLS-5)."""
    assert levels.highest(["confidential", "top_secret", "secret"]) == "top_secret"


@override_settings(CEILING="work_secret")
def test_ceiling_refuses_levels_above_it():
    """An ordinary-network deployment holds nothing above 工作秘密 (SEC-8)."""
    assert levels.within_ceiling("work_secret")
    assert not levels.within_ceiling("confidential")
