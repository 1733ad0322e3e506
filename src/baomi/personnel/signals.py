"""The personnel app's receivers of other apps' signals (its ``signals`` part)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.dispatch import receiver

from baomi.classification.signals import determination_training_asked
from baomi.personnel.selectors import determination_training_until


@receiver(determination_training_asked, dispatch_uid="personnel.determination_training")
def answer_determination_training(sender: Any, user: Any, on: date, **kwargs: Any) -> date | None:
    """R-DET-12: the last day ``user``'s 定密 training counts (``None``: never trained)."""
    return determination_training_until(user, on)
