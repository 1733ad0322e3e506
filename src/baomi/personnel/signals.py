"""Receivers of the personnel app: the clearance the file gives is derived again at the
person's first request after a pledge runs out (R-AC-4, R-PER-3), in every session and for
every API token — not at the next hourly job."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from baomi.accounts.services import clearance_due
from baomi.personnel import services
from baomi.personnel.models import PersonnelFile


@receiver(clearance_due, dispatch_uid="personnel-clearance-due")
def rederive_clearance(sender: Any, user: Any, **kwargs: Any) -> None:
    file = PersonnelFile.objects.filter(user_id=user.pk).first()
    if file is not None:
        services.check_agreement(None, file)
