"""Whom the carrier forms may name (issue 13, ``baomi.kit.pickers``): the same people the
picker suggests and the form accepts. The services check again (CAR-1, CAR-4, CAR-11).

- ``carriers.custodian`` — custodian, receiver, borrower, supervisor: cleared for the level
  of the carrier (``carrier``) or of the item being registered (``item``).
- ``carriers.witness`` — a witness of a destruction (``destruction``): cleared for the highest
  level on the list, and never the person who asked for the destruction (R-CAR-11).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from baomi.access import policy
from baomi.carriers.models import Carrier, DestructionRequest
from baomi.core import levels
from baomi.kit import pickers


def _pk(params: Mapping[str, str], key: str) -> int | None:
    value = str(params.get(key, ""))
    return int(value) if value.isdigit() else None


def level_for(actor: Any, params: Mapping[str, str]) -> str | None:
    """The level the person must be cleared for, read through the policy from the object the
    form names; None when it names nothing the actor may see."""
    if (pk := _pk(params, "carrier")) is not None:
        return (
            policy.visible(actor, Carrier.objects.filter(pk=pk), "view")
            .values_list("level", flat=True)
            .first()
        )
    if (pk := _pk(params, "item")) is not None:
        from baomi.carriers.queries import registrable_items

        return registrable_items(actor).filter(pk=pk).values_list("level", flat=True).first()
    return None


@pickers.purpose("carriers.custodian")
def cleared_for_carrier(actor: Any, people: QuerySet, params: Mapping[str, str]) -> QuerySet:
    if not params:
        return people.exclude(clearance="").filter(clearance__in=levels.Level.values)
    return people.filter(clearance__in=pickers.cleared_for(level_for(actor, params)))


@pickers.purpose("carriers.witness")
def witness(actor: Any, people: QuerySet, params: Mapping[str, str]) -> QuerySet:
    pk = _pk(params, "destruction")
    req = policy.visible(actor, DestructionRequest.objects.filter(pk=pk), "view").first() if pk else None
    if req is None:
        return people.none()
    highest = levels.highest([c.level for c in req.carriers.all()] or [req.level])
    return people.filter(clearance__in=pickers.cleared_for(highest)).exclude(pk=req.requested_by_id)
