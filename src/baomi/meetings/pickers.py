"""Whom the meeting forms may name (issue 13, ``baomi.kit.pickers``): the picker suggests only
the people the service would accept. The services check again (R-SITE-2).

- ``meetings.attendee`` — an attendee or staff member of a meeting (``meeting``): cleared for
  the meeting's level; nobody when the form names no meeting the actor may see.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import QuerySet

from baomi.access import policy
from baomi.kit import pickers
from baomi.meetings.models import Meeting


@pickers.purpose("meetings.attendee")
def attendee(actor: Any, people: QuerySet, params: Mapping[str, str]) -> QuerySet:
    pk = str(params.get("meeting", ""))
    level = (
        policy.visible(actor, Meeting.objects.filter(pk=int(pk)), "view")
        .values_list("level", flat=True)
        .first()
        if pk.isdigit()
        else None
    )
    return people.filter(clearance__in=pickers.cleared_for(level))
