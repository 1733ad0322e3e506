"""Levels (密级) and their ordering (CLS-1, R-CLS-1, R-ARCH-3, SEC-8).

One ordered scale is used for *access ordering only*: ``public < internal < work_secret <
confidential < secret < top_secret``. The legal regimes stay separate values on that scale: the
three state-secret levels (国家秘密: 秘密/机密/绝密), the work secret (工作秘密, not a state
secret) and the non-secrets (内部, 公开). Personal information and the data grade are separate
fields elsewhere and never mix into this scale (R-ARCH-3).

A person's clearance uses the same scale: a user may see an object only if their clearance
dominates its level (no read up, CAR-3).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    """Classification of information: state-secret levels, work secret, non-secret."""

    PUBLIC = "public", _("Public")
    # Shown as 「内部（非涉密）」: the bare word 「内部」 is the work secret's mark (R-WS-3), one
    # meaning only (GLOSSARY; issue 12 §5).
    INTERNAL = "internal", _("Internal")
    WORK_SECRET = "work_secret", _("Work secret")
    CONFIDENTIAL = "confidential", _("Confidential")
    SECRET = "secret", _("Secret")
    TOP_SECRET = "top_secret", _("Top secret")


RANK: dict[str, int] = {
    Level.PUBLIC: 0,
    Level.INTERNAL: 1,
    Level.WORK_SECRET: 2,
    Level.CONFIDENTIAL: 3,
    Level.SECRET: 4,
    Level.TOP_SECRET: 5,
}

STATE_SECRET_LEVELS = (Level.CONFIDENTIAL, Level.SECRET, Level.TOP_SECRET)
NON_SECRET_LEVELS = (Level.PUBLIC, Level.INTERNAL)

# The Chinese word of each state-secret level as it appears in a mark (CLS-7); fixed by law,
# not a translation of the UI.
MARK_WORD: dict[str, str] = {
    Level.CONFIDENTIAL: "秘密",
    Level.SECRET: "机密",
    Level.TOP_SECRET: "绝密",
}


def rank(level: str) -> int:
    """The position of ``level`` on the access scale; unknown values raise ``KeyError``."""
    return RANK[Level(level)]


def dominates(clearance: str | None, level: str) -> bool:
    """Whether a clearance reaches a level (no read up, CAR-3)."""
    if not clearance:
        return False
    return rank(clearance) >= rank(level)


def is_state_secret(level: str) -> bool:
    return Level(level) in STATE_SECRET_LEVELS


def highest(levels: list[str]) -> str:
    """The highest of several levels (derivation and compilation, CLS-5)."""
    return max(levels, key=rank)


def ceiling() -> str:
    """The accreditation ceiling of this deployment (SEC-8, R-ARCH-1)."""
    return Level(settings.CEILING)


def within_ceiling(level: str) -> bool:
    """Whether the deployment may hold content or metadata at ``level`` (SEC-8)."""
    return rank(level) <= rank(ceiling())
