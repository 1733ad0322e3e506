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
    """The rule of ``CarrierRule.can`` as one SQL filter (no filtering in Python)."""
    allowed_levels = [lv for lv in levels.Level.values if policy.clearance_dominates(user, lv)]
    qs = queryset.filter(level__in=allowed_levels)
    reason = Q(custodian_id=user.pk) | Q(item_id__in=scoped_item_ids(user))
    if action in METADATA_ACTIONS:
        if user.has_role(Role.SECURITY_OFFICER):
            return qs
        reason |= Q(department_id__in=headed_department_ids(user))
    return qs.filter(reason)


policy.register(Carrier, CarrierRule())
