"""The sites app's receivers of other apps' signals (its ``signals`` part)."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from baomi.kit import rectification
from baomi.sites import selectors, services


@receiver(rectification.closed, dispatch_uid="sites.check_rectified")
def check_rectified(sender: str, actor: Any, origin_id: int, finding: Any, **kwargs: Any) -> None:
    """SUP-5, SUP-1 整改: the loop verified the rectification of a check's findings — the check
    is rectified, in the same transaction. (Signals match a sender by identity, so the origin
    key is compared here.)"""
    if sender == selectors.CHECK_ORIGIN:
        services.close_rectified(actor, origin_id, finding)
