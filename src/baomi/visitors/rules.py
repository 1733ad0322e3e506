"""Rules for visits and their key-place approvals (SUP-4).

- Anyone registers their own visitors; the security office registers for any host, checks
  visitors in and out and alone reads an identity number back (personal information).
- A visit is seen by the security office, its host, escort and registrar, and the responsible
  persons of the key places it enters.
- A key place's approval is decided by its responsible person — never the host or registrar
  (``RequestRule``); when the responsible person is one of them, the unit head decides.
"""

from __future__ import annotations

from typing import Any

from django.db.models import F, Q, QuerySet

from baomi.access import policy
from baomi.kit.requests import RequestRule
from baomi.registers.roles import is_officer, is_unit_head
from baomi.visitors.choices import VisitStatus
from baomi.visitors.models import Visit, VisitApproval


def _party(user: Any, visit: Visit) -> bool:
    return user.pk in (visit.host_id, visit.escort_id, visit.registered_by_id)


class VisitRule:
    actions = frozenset({"view", "receive", "cancel", "reveal_identity"})

    def can(self, user: Any, action: str, obj: Visit) -> bool:
        if action == "reveal_identity":
            return is_officer(user)  # SUP-4: personal information, the security office only
        if action == "receive":
            # SUP-4: the security office (reception), the host or the escort checks in and out.
            return is_officer(user) or user.pk in (obj.host_id, obj.escort_id)
        if action == "cancel":
            return is_officer(user) or user.pk in (obj.host_id, obj.registered_by_id)
        if is_officer(user) or _party(user, obj):
            return True
        # SUP-4: the responsible persons of the key places it enters.
        return bool(obj.pk and obj.places.filter(responsible_id=user.pk).exists())

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        if is_officer(user):
            return queryset
        if action == "reveal_identity":
            return queryset.none()
        if action == "receive":
            return queryset.filter(Q(host_id=user.pk) | Q(escort_id=user.pk))
        if action == "cancel":
            return queryset.filter(Q(host_id=user.pk) | Q(registered_by_id=user.pk))
        party = Q(host_id=user.pk) | Q(escort_id=user.pk) | Q(registered_by_id=user.pk)
        return queryset.filter(party | Q(places__responsible_id=user.pk)).distinct()


class VisitApprovalRule(RequestRule):
    """SUP-4: the place's responsible person decides; the unit head when that person is the
    host or the registrar. Only approvals of visits still to come in wait for a decision."""

    def may_decide(self, user: Any, req: VisitApproval) -> bool:
        if req.visit.status != VisitStatus.REGISTERED:
            return False
        if req.place.responsible_id == user.pk:
            return True
        return is_unit_head(user) and req.place.responsible_id in req.owner_ids()

    def decidable(self, user: Any, queryset: QuerySet) -> QuerySet:
        waiting = queryset.filter(visit__status=VisitStatus.REGISTERED)
        mine = Q(place__responsible_id=user.pk)
        if is_unit_head(user):
            mine |= Q(place__responsible_id=F("host_id")) | Q(place__responsible_id=F("requested_by_id"))
        return waiting.filter(mine)

    def may_view(self, user: Any, req: VisitApproval) -> bool:
        return is_officer(user) or user.pk == req.visit.escort_id

    def viewable(self, user: Any, queryset: QuerySet) -> QuerySet:
        return queryset if is_officer(user) else queryset.filter(visit__escort_id=user.pk)


policy.register(Visit, VisitRule())
policy.register(VisitApproval, VisitApprovalRule())
policy.register_global(
    "visitors_browse", lambda u: True
)  # SUP-4: hosts see their visits (active: checked by can)
policy.register_global("register_visit", lambda u: True)  # SUP-4: a host registers their visitors
policy.register_global("visitors_manage", is_officer)  # SUP-4: reception and the closing-time list
