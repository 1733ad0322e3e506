"""Rules for carriers (CAR-3, CAR-4, CAR-12).

Access to a carrier needs all of: clearance at or above its level (no read up), a reason to
know — the item's need-to-know scope (person or department, with dates), or being its custodian,
or running the registry (security officer), or heading its department (the department ledger) —
and a role that permits the action. Reading *content* needs the scope or custody; the registry
roles see the ledger row (metadata), not the content.

``can`` decides one carrier; ``visible`` is the same rule as a SQL filter (see
``carriers_visible``, which the ledger work tunes for a million rows).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from baomi.access import policy
from baomi.accounts.choices import Role
from baomi.carriers.models import Carrier
from baomi.classification.selectors import in_scope, scoped_item_ids
from baomi.core import levels

METADATA_ACTIONS = frozenset({"view"})
CONTENT_ACTIONS = frozenset({"read_content"})
# Up to this many scoped item ids go into the SQL as a literal list (SQLite allows 32766).
LITERAL_IDS_MAX = 10_000


def headed_department_ids(user: Any) -> list[int]:
    return list(user.headed_departments.values_list("pk", flat=True))


class CarrierRule:
    actions = METADATA_ACTIONS | CONTENT_ACTIONS

    def can(self, user: Any, action: str, obj: Carrier) -> bool:
        # CAR-3: no read up, whatever the role.
        if not policy.clearance_dominates(user, obj.level):
            return False
        # CAR-3: the custodian holds it.
        if obj.custodian_id == user.pk:
            return True
        # CAR-3: need-to-know scope of the item (person or department, current dates).
        if in_scope(user, obj.item):
            return True
        if action in METADATA_ACTIONS:
            # CAR-12: the security office keeps the registry; a head sees the department ledger.
            if user.has_role(Role.SECURITY_OFFICER):
                return True
            return obj.department_id in headed_department_ids(user)
        return False

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        return carriers_visible(user, queryset, action)


def carriers_visible(user: Any, queryset: QuerySet, action: str) -> QuerySet:
    """The rule of ``CarrierRule.can`` as one SQL filter (no filtering in Python).

    Tuned for the ledgers over a million rows (CAR-12, docs/ledger.md): the reasons become an
    OR of plain index conditions — ``custodian_id = me``, ``item_id IN (<my scoped item ids>)``,
    ``department_id IN (<departments I head>)`` — so PostgreSQL can choose between walking the
    newest-first index and a bitmap OR of the per-reason indexes from real statistics. The scope
    ids are read in one small query here (a literal list estimates well; a subquery inside an
    OR cannot use an index). The level filter is left out when every level is allowed. Always
    a fixed number of queries, whatever the page.
    """
    # CAR-3: no read up — only levels the clearance dominates.
    allowed_levels = [lv for lv in levels.Level.values if policy.clearance_dominates(user, lv)]
    if not allowed_levels:
        return queryset.none()
    qs = (
        queryset
        if len(allowed_levels) == len(levels.Level.values)
        else queryset.filter(level__in=allowed_levels)
    )
    # CAR-12: the security office keeps the registry and sees every row it is cleared for.
    if action in METADATA_ACTIONS and user.has_role(Role.SECURITY_OFFICER):
        return qs
    # CAR-3: the custodian holds it.
    reason = Q(custodian_id=user.pk)
    # CAR-3: need-to-know scope of the item (person or department, current dates).
    item_ids = list(scoped_item_ids(user).values_list("item_id", flat=True).distinct()[: LITERAL_IDS_MAX + 1])
    if len(item_ids) > LITERAL_IDS_MAX:  # a very wide scope: let the database join instead
        reason |= Q(item_id__in=scoped_item_ids(user))
    elif item_ids:
        reason |= Q(item_id__in=sorted(item_ids))
    if action in METADATA_ACTIONS:
        # CAR-12: a head sees the department ledger.
        heads = headed_department_ids(user)
        if heads:
            reason |= Q(department_id__in=heads)
    return qs.filter(reason)


policy.register(Carrier, CarrierRule())
