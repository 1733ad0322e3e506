"""Rules of the import runs: a run (the uploaded ledger, its progress and report) is seen only by
the officer who uploaded it, while they still hold the ledger's hand-entry action."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from baomi.access import policy
from baomi.imports.models import ImportRun


class ImportRunRule:
    actions = frozenset({"view"})

    def can(self, user: Any, action: str, obj: ImportRun) -> bool:
        from baomi.imports.ledgers import LEDGERS

        spec = LEDGERS.get(obj.kind)
        return (
            action == "view"
            and spec is not None
            and obj.actor_id == user.pk
            and policy.can(user, spec.action)
        )

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        from baomi.imports.ledgers import LEDGERS

        if action != "view":
            return queryset.none()
        kinds = [kind for kind, spec in LEDGERS.items() if policy.can(user, spec.action)]
        return queryset.filter(actor_id=user.pk, kind__in=kinds)


policy.register(ImportRun, ImportRunRule())
