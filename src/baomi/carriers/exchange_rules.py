"""Policy for the exchange with other units (发文 and 收文; CAR-4, CAR-5, R-CAR-3; issue 12 §3).

- External units: the security officer keeps the list (``carriers.external_units``); anyone who
  may dispatch or register a carrier picks from it.
- A dispatch is a request on the shared base (``baomi.kit.requests``): its requester and the
  security office see it; the head of the carrier's department decides it (机密 and above),
  never their own; the requester or the security office sends it once approved and records
  the returned receipt.
- A carrier received from another unit is registered by the security office (CAR-1), which
  sees the incoming register; the carrier itself then follows the ordinary carrier rule.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from baomi.access import policy
from baomi.carriers import models as m
from baomi.carriers.rules import _is_registry, _level_allowed, headed_department_ids
from baomi.kit.requests import RequestRule, RequestStatus


def _heads(user: Any, obj: Any) -> bool:
    return obj.carrier.department_id in headed_department_ids(user)


class DispatchRule(RequestRule):
    """发文 (CAR-4: outward transmission is approved first; CAR-5, R-CAR-3)."""

    actions = RequestRule.actions | {"record_receipt"}

    def may_decide(self, user: Any, req: Any) -> bool:
        # CAR-4: the head of the carrier's department approves an outward dispatch.
        return req.status == RequestStatus.PENDING and _heads(user, req)

    def decidable(self, user: Any, queryset: QuerySet) -> QuerySet:
        return queryset.filter(carrier__department_id__in=headed_department_ids(user))

    def may_view(self, user: Any, req: Any) -> bool:
        return _is_registry(user) or _heads(user, req)

    def viewable(self, user: Any, queryset: QuerySet) -> QuerySet:
        if _is_registry(user):
            return queryset
        return queryset.filter(carrier__department_id__in=headed_department_ids(user))

    def may_complete(self, user: Any, req: Any) -> bool:
        # Sending: the requester or the security office, once approved.
        return req.status == RequestStatus.APPROVED and (req.requested_by_id == user.pk or _is_registry(user))

    def completable(self, user: Any, queryset: QuerySet) -> QuerySet:
        qs = queryset.filter(status=RequestStatus.APPROVED)
        return qs if _is_registry(user) else qs.filter(requested_by=user)

    def can(self, user: Any, action: str, obj: Any) -> bool:
        # CAR-3: no read up — the dispatch names a classified carrier.
        if not policy.clearance_dominates(user, obj.carrier.level):
            return False
        if action == "record_receipt":
            # CAR-5: the returned 回执 is recorded by whoever sent it or by the security office.
            return (
                obj.status == RequestStatus.DONE
                and obj.receipt_on is None
                and (obj.requested_by_id == user.pk or obj.sent_by_id == user.pk or _is_registry(user))
            )
        return super().can(user, action, obj)

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        qs = queryset.filter(carrier__level__in=_level_allowed(user))
        if action == "record_receipt":
            qs = qs.filter(status=RequestStatus.DONE, receipt_on__isnull=True)
            return qs if _is_registry(user) else qs.filter(Q(requested_by=user) | Q(sent_by=user))
        return super().visible(user, qs, action)


class IncomingRule:
    """收文: the security office registers and sees the incoming register (CAR-1)."""

    actions = frozenset({"view"})

    def can(self, user: Any, action: str, obj: Any) -> bool:
        return policy.clearance_dominates(user, obj.carrier.level) and _is_registry(user)

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        if not _is_registry(user):
            return queryset.none()
        return queryset.filter(carrier__level__in=_level_allowed(user))


class ExternalUnitRule:
    """The list of external units: everyone who exchanges carriers reads it; the security
    officer keeps it."""

    actions = frozenset({"view", "manage"})

    def can(self, user: Any, action: str, obj: Any) -> bool:
        return action == "view" or _is_registry(user)

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        return queryset if action == "view" or _is_registry(user) else queryset.none()


def register() -> None:
    policy.register(m.Dispatch, DispatchRule())
    policy.register(m.IncomingCarrier, IncomingRule())
    policy.register(m.ExternalUnit, ExternalUnitRule())
    policy.register_global("carriers.external_units", _is_registry)
    policy.register_global("carriers.exchange", lambda u: True)
