"""Permission-filtered reads of classified items, and the need-to-know questions other apps
ask (CAR-3): is this person in an item's scope today?"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from baomi.classification.models import Item, ItemScope


def _current(on: date | None) -> Q:
    day = on or timezone.localdate()
    return (Q(starts_on__isnull=True) | Q(starts_on__lte=day)) & (
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )


def scope_entries_for(user: Any, on: date | None = None) -> QuerySet[ItemScope]:
    """Scope entries naming ``user`` or their department, valid on ``on`` (today by default).

    A department entry expands to the department's members (CAR-3, R-SCOPE-1).
    """
    who = Q(user_id=user.pk)
    if user.department_id:
        who |= Q(department_id=user.department_id)
    return ItemScope.objects.filter(who & _current(on))


def scoped_item_ids(user: Any, on: date | None = None) -> QuerySet:
    """A subquery of the ids of items whose scope includes ``user`` — for SQL filters."""
    return scope_entries_for(user, on).values("item_id")


def in_scope(user: Any, item: Item, on: date | None = None) -> bool:
    return scope_entries_for(user, on).filter(item_id=item.pk).exists()
