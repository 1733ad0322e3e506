"""Whom the personnel forms may name (issue 13, ``baomi.kit.pickers``): the same people the
picker suggests and the form accepts. The services check again (PER-1).

- ``personnel.without_file`` — whom a personnel file may be opened for: an active person who
  has none yet, never the officer themself, and nobody for a viewer who manages no file.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from baomi.kit import pickers
from baomi.personnel import selectors


@pickers.purpose("personnel.without_file")
def without_file(actor: Any, people: QuerySet, params: Mapping[str, str]) -> QuerySet:
    return people.filter(pk__in=selectors.people_without_file(actor).values("pk"))
