"""The carriers app's receivers of other apps' signals (its ``signals`` part)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from baomi.carriers.services import relevel_carriers
from baomi.classification.signals import level_changed


@receiver(level_changed, dispatch_uid="carriers.relevel")
def follow_item_level(sender: Any, item: Any, **kwargs: Any) -> None:
    """CLS-2: every carrier of the item takes its new level, in the same transaction."""
    relevel_carriers(item)
