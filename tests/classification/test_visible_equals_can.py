"""The SQL filter of every item action agrees with the object decision (STYLE 2.3, CAR-3).

For every persona and every action of ``ItemRule``, on items at every level, in every status,
with every kind of scope (none, a person entry, a department entry, an expired entry), of this
unit and of another (CLS-8), proposed and determined by different people (R-DET-2):
``policy.visible`` returns exactly the items for which ``policy.can`` is True.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import product

import pytest
from django.utils import timezone

from baomi.access import policy
from baomi.classification.choices import ItemStatus
from baomi.classification.models import Item, ItemScope
from baomi.classification.rules import ItemRule
from baomi.core.levels import STATE_SECRET_LEVELS, Level
from tests.support.integrity import bind
from tests.support.personas import PERSONAS

pytestmark = pytest.mark.django_db

SCOPES = ("none", "person", "department", "expired")


def _items(org) -> list[Item]:
    """Fixture data written directly: the rule reads only these columns and the scope."""
    today = timezone.localdate()
    made = []
    for level, status, scope, external in product(Level.values, ItemStatus.values, SCOPES, (False, True)):
        if external and status not in (ItemStatus.DETERMINED, ItemStatus.PROPOSED):
            continue  # CLS-8 makes the originator matter only for these
        item = Item.objects.create(
            title="事项", level=level, status=status, department=org.departments["OFFICE"],
            proposed_by=org.case_handler,
            determined_by=org.authority_secret if status == ItemStatus.DETERMINED else None,
            external_originator="外单位" if external else "", period_start=date(2026, 1, 15),
            # A state secret carries a duration, or it has no mark to bind (R-CRYPTO-5).
            **({"duration_kind": "period", "duration_value": 10, "duration_unit": "year"}
               if level in STATE_SECRET_LEVELS else {}),
        )  # fmt: skip
        if scope == "person":
            for name in ("staff_secret", "staff_other_dept", "outsider", "staff_work_secret"):
                ItemScope.objects.create(item=item, user=getattr(org, name))
        elif scope == "department":
            ItemScope.objects.create(item=item, department=org.departments["FIN"])
        elif scope == "expired":
            ItemScope.objects.create(
                item=item, user=org.staff_other_dept, starts_on=today - timedelta(days=30),
                ends_on=today - timedelta(days=1),
            )  # fmt: skip
        made.append(bind(item))
    return made


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_visible_equals_can(org, persona):
    """STYLE 2.3: for every ItemRule action, visible() is exactly the set where can() holds."""
    items = _items(org)
    user = getattr(org, persona)
    for action in sorted(ItemRule.actions):
        expected = {item.pk for item in items if policy.can(user, action, item)}
        got = set(policy.visible(user, Item.objects.all(), action).values_list("pk", flat=True))
        assert got == expected, (persona, action, sorted(got ^ expected))


def test_the_matrix_is_not_trivial(org):
    """The data above gives every action both an allowed and a refused item for someone."""
    items = _items(org)
    for action in ItemRule.actions:
        answers = (policy.can(getattr(org, p), action, item) for p in PERSONAS for item in items)
        assert any(answers), action
        assert not all(policy.can(getattr(org, p), action, item) for p in PERSONAS for item in items), action


@pytest.mark.parametrize("persona", sorted(PERSONAS))
def test_request_visible_equals_can(org, persona):
    """STYLE 2.3, R-DET-1/2/4: for every RequestRule action, the SQL filter is exactly can() —
    requests proposing every level (or none) on items at every level and status, by two
    proposers."""
    from baomi.classification.choices import RequestKind
    from baomi.classification.models import ClassificationRequest
    from baomi.classification.rules import RequestRule

    made = []
    for item in _items(org):
        if item.status not in (ItemStatus.DETERMINED, ItemStatus.PROPOSED, ItemStatus.PENDING_UPWARD):
            continue
        for proposed, proposer in product(["", *Level.values], (org.case_handler, org.staff_secret)):
            made.append(
                ClassificationRequest.objects.create(
                    item=item, kind=RequestKind.values[0], level=proposed, proposed_by=proposer
                )
            )
    user = getattr(org, persona)
    base = ClassificationRequest.objects.filter(pk__in=[r.pk for r in made])
    for action in sorted(RequestRule.actions):
        expected = {r.pk for r in made if policy.can(user, action, r)}
        got = set(policy.visible(user, base, action).values_list("pk", flat=True))
        assert got == expected, (
            f"{persona} {action}: extra {sorted(got - expected)[:5]} missing {sorted(expected - got)[:5]}"
        )
