"""Receivers of the personnel app (its ``signals`` part): the clearance the file gives is
derived again at the person's first request after a pledge runs out (R-AC-4, R-PER-3), in every
session and for every API token — not at the next hourly job; and classification asks whether a
person's 定密 training is current (R-DET-12)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.dispatch import receiver

from baomi.accounts.services import clearance_due
from baomi.classification.signals import determination_training_asked
from baomi.personnel import services
from baomi.personnel.models import PersonnelFile
from baomi.personnel.selectors import determination_training_until


@receiver(clearance_due, dispatch_uid="personnel-clearance-due")
def rederive_clearance(sender: Any, user: Any, **kwargs: Any) -> None:
    file = PersonnelFile.objects.filter(user_id=user.pk).first()
    if file is not None:
        services.check_agreement(None, file)


@receiver(determination_training_asked, dispatch_uid="personnel.determination_training")
def answer_determination_training(sender: Any, user: Any, on: date, **kwargs: Any) -> date | None:
    """R-DET-12: the last day ``user``'s 定密 training counts (``None``: never trained)."""
    return determination_training_until(user, on)
