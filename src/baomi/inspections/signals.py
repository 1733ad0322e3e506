"""The inspections app's receivers of the rectification seam (its ``signals`` part,
``baomi.kit.rectification``): the registers' checks hand their problems to the one loop."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from baomi.inspections import selectors, services
from baomi.kit import rectification


@receiver(rectification.problem_found, dispatch_uid="inspections.problem_found")
def open_task(sender: str, actor: Any, origin_id: int, **kw: Any) -> int:
    """SUP-1 整改: a register's check found a problem — a finding and its task, in the register's
    transaction; answers the task's key."""
    kw.pop("signal", None)
    return services.open_register_finding(actor, origin=sender, origin_id=origin_id, **kw).pk


@receiver(rectification.tasks_asked, dispatch_uid="inspections.tasks_asked")
def tasks_of(sender: str, origin_ids: list[int], **kwargs: Any) -> dict[int, list[dict[str, Any]]]:
    return selectors.origin_tasks(sender, origin_ids)
