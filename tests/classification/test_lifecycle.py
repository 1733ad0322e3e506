"""Every row of the classification transition tables, and every other pair refused (STYLE 2.5)."""

from __future__ import annotations

import pytest

from baomi.classification import lifecycle
from baomi.classification.choices import ExpansionStatus, ItemStatus, RequestStatus
from baomi.core.errors import InvalidTransition

STATES = {"item": ItemStatus.values, "request": RequestStatus.values, "expansion": ExpansionStatus.values}
ACTIONS = sorted({a for table in lifecycle.TABLES.values() for (_s, a) in table})
ROWS = [(name, s, a) for name, table in lifecycle.TABLES.items() for (s, a) in table]
OTHERS = [
    (name, s, a)
    for name, table in lifecycle.TABLES.items()
    for s in STATES[name]
    for a in ACTIONS
    if (s, a) not in table
]


@pytest.mark.parametrize(("table", "state", "action"), ROWS)
def test_every_row_moves_to_its_target(table, state, action):
    t = lifecycle.next_state(lifecycle.TABLES[table], state, action)
    assert t.target in STATES[table]
    assert t.event.name


@pytest.mark.parametrize(("table", "state", "action"), OTHERS)
def test_every_other_pair_is_refused(table, state, action):
    with pytest.raises(InvalidTransition):
        lifecycle.next_state(lifecycle.TABLES[table], state, action)


def test_terminal_states_have_no_way_out():
    """Nothing leaves declassified or refused (CLS-9): a lifted item is not re-classified by a
    transition, only by a new determination."""
    assert lifecycle.actions_from(lifecycle.ITEM, ItemStatus.DECLASSIFIED) == []
    assert lifecycle.actions_from(lifecycle.ITEM, ItemStatus.REFUSED) == []


def test_every_item_action_has_a_service():
    """Meta-test: each transition is reachable through a service (STYLE 2.5)."""
    from baomi.classification import services

    for name in ("approve_request", "refuse_request", "withdraw_request", "propose_change", "expire_items",
                 "decide_expansion"):  # fmt: skip
        assert callable(getattr(services, name))
