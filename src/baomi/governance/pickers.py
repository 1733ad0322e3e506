"""Whom the governance forms may name (issue 13, ``baomi.kit.pickers``): the same people the
picker suggests and the form accepts. The services check again (ORG-2).

- ``governance.unit_head`` — the signatory of the unit's responsibility statement: an active
  person holding the unit head role.
- ``governance.approver`` — who approves a regulation, a plan or the loaded templates: the unit
  head or a member of the leading group.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from baomi.governance import selectors
from baomi.kit import pickers


@pickers.purpose("governance.unit_head")
def unit_head(actor: Any, people: QuerySet, params: Mapping[str, str]) -> QuerySet:
    return people.filter(pk__in=selectors.unit_heads().values("pk"))


@pickers.purpose("governance.approver")
def approver(actor: Any, people: QuerySet, params: Mapping[str, str]) -> QuerySet:
    """Who approves a regulation, a plan or a template (ORG-2): the unit head or a member of
    the leading group."""
    return people.filter(pk__in=selectors.approvers().values("pk"))
