"""The system lifecycle (R-SYS-2): pure data.

A classified system is built (planning), tested and evaluated by an authorised body
(evaluated), approved by a 保密局 (approved), then put into operation (live); an ordinary
office system goes live from planning. A live system is retired. A failed evaluation or
approval is recorded but moves nothing.
"""

from __future__ import annotations

from typing import NamedTuple

from django.utils.translation import gettext_lazy as _

from baomi.core.errors import InvalidTransition
from baomi.systems.choices import SystemKind
from baomi.systems.choices import SystemStatus as S
from baomi.systems.events import SystemsEvent


class Move(NamedTuple):
    next_state: str
    action: str
    event: SystemsEvent


CLASSIFIED_TRANSITIONS: dict[tuple[str, str], Move] = {
    (S.PLANNING, "evaluate"): Move(S.EVALUATED, "manage", SystemsEvent.SYSTEM_EVALUATED),
    (S.EVALUATED, "approve"): Move(S.APPROVED, "manage", SystemsEvent.SYSTEM_APPROVED),
    (S.APPROVED, "go_live"): Move(S.LIVE, "manage", SystemsEvent.SYSTEM_LIVE),
    (S.LIVE, "retire"): Move(S.RETIRED, "manage", SystemsEvent.SYSTEM_RETIRED),
}

OFFICE_TRANSITIONS: dict[tuple[str, str], Move] = {
    (S.PLANNING, "go_live"): Move(S.LIVE, "manage", SystemsEvent.SYSTEM_LIVE),
    (S.LIVE, "retire"): Move(S.RETIRED, "manage", SystemsEvent.SYSTEM_RETIRED),
}


def next_move(kind: str, state: str, action: str) -> Move:
    """The move for ``action`` from ``state`` for a system of ``kind``; ``InvalidTransition``
    for any other pair — e.g. a classified system going live before it is approved (R-SYS-2)."""
    table = CLASSIFIED_TRANSITIONS if kind == SystemKind.CLASSIFIED else OFFICE_TRANSITIONS
    try:
        return table[(str(state), action)]
    except KeyError:
        if action == "go_live" and kind == SystemKind.CLASSIFIED:
            raise InvalidTransition(_("A classified system goes live only after testing and evaluation and the "
                                      "保密局's approval (R-SYS-2).")) from None  # fmt: skip
        raise InvalidTransition(
            _("This action is not allowed while the system is “%(state)s”.") % {"state": S(state).label}
        ) from None
