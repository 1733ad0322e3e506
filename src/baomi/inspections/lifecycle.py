"""Transition tables of the inspections app (STYLE 2.5): pure data, moves only in services.

Template version (SUP-1)::

    draft --edit--> draft --publish--> published --retire--> retired
    (a new version or a copy starts as a draft; publishing retires the family's published one)

Run (SUP-1)::

    open --answer | measure | confirm | override | record_finding--> open
    open --complete--> completed        open --cancel--> cancelled

Finding::

    open --assign_task--> rectifying --assign_task--> rectifying --close--> closed

Rectification task (整改)::

    assigned --submit--> submitted --verify--> verified
    submitted --return--> returned --submit--> submitted
"""

from __future__ import annotations

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from baomi.core.errors import InvalidTransition
from baomi.inspections.choices import FindingStatus, RunStatus, TaskStatus, TemplateStatus
from baomi.inspections.events import InspectionEvent as E


class Move(NamedTuple):
    next_state: str
    action: str  # the policy action the service requires
    event: E


TEMPLATE_TRANSITIONS: dict[tuple[str, str], Move] = {
    (TemplateStatus.DRAFT, "edit"): Move(TemplateStatus.DRAFT, "manage", E.TEMPLATE_UPDATED),
    (TemplateStatus.DRAFT, "publish"): Move(TemplateStatus.PUBLISHED, "manage", E.TEMPLATE_PUBLISHED),
    (TemplateStatus.PUBLISHED, "retire"): Move(TemplateStatus.RETIRED, "manage", E.TEMPLATE_RETIRED),
}

RUN_TRANSITIONS: dict[tuple[str, str], Move] = {
    (RunStatus.OPEN, "answer"): Move(RunStatus.OPEN, "answer", E.ANSWER_RECORDED),
    (RunStatus.OPEN, "measure"): Move(RunStatus.OPEN, "answer", E.RUN_MEASURED),
    (RunStatus.OPEN, "confirm"): Move(RunStatus.OPEN, "answer", E.ANSWER_CONFIRMED),
    (RunStatus.OPEN, "override"): Move(RunStatus.OPEN, "answer", E.ANSWER_OVERRIDDEN),
    (RunStatus.OPEN, "record_finding"): Move(RunStatus.OPEN, "answer", E.FINDING_RECORDED),
    (RunStatus.OPEN, "complete"): Move(RunStatus.COMPLETED, "complete", E.RUN_COMPLETED),
    (RunStatus.OPEN, "cancel"): Move(RunStatus.CANCELLED, "cancel", E.RUN_CANCELLED),
}

FINDING_TRANSITIONS: dict[tuple[str, str], Move] = {
    (FindingStatus.OPEN, "assign_task"): Move(FindingStatus.RECTIFYING, "manage", E.TASK_ASSIGNED),
    (FindingStatus.RECTIFYING, "assign_task"): Move(FindingStatus.RECTIFYING, "manage", E.TASK_ASSIGNED),
    (FindingStatus.RECTIFYING, "close"): Move(FindingStatus.CLOSED, "manage", E.FINDING_CLOSED),
}

TASK_TRANSITIONS: dict[tuple[str, str], Move] = {
    (TaskStatus.ASSIGNED, "submit"): Move(TaskStatus.SUBMITTED, "submit", E.TASK_SUBMITTED),
    (TaskStatus.RETURNED, "submit"): Move(TaskStatus.SUBMITTED, "submit", E.TASK_SUBMITTED),
    (TaskStatus.SUBMITTED, "verify"): Move(TaskStatus.VERIFIED, "verify", E.TASK_VERIFIED),
    (TaskStatus.SUBMITTED, "return"): Move(TaskStatus.RETURNED, "verify", E.TASK_RETURNED),
}

TABLES = {
    "template": (TEMPLATE_TRANSITIONS, TemplateStatus),
    "run": (RUN_TRANSITIONS, RunStatus),
    "finding": (FINDING_TRANSITIONS, FindingStatus),
    "task": (TASK_TRANSITIONS, TaskStatus),
}


def next_move(table: dict[tuple[str, str], Move], state: str, action: str) -> Move:
    """The move for ``action`` from ``state``; ``InvalidTransition`` for any other pair."""
    try:
        return table[(state, action)]
    except KeyError:
        raise InvalidTransition(_("This action is not allowed in the current state.")) from None
