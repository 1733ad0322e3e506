"""What the header counts besides the to-dos, and the count itself (issue 13): the loans due
back soon and, for someone leaving, the carriers to hand back (PER-5). Shared by the inbox, its
count request and the start page, which writes the count into its own header."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from baomi.carriers import queries as carriers
from baomi.carriers.selectors import outstanding_for
from baomi.personnel import selectors as personnel
from baomi.personnel.choices import ExitStatus

#: Loans due within this many days are a reminder.
DUE_SOON_DAYS = 7


def reminders(user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    loans = [
        loan
        for loan in carriers.loans_of(user)[:100]
        if loan.due_on <= today + dt.timedelta(days=DUE_SOON_DAYS)
    ]
    exit_case = personnel.my_open_exit(user)
    hand_back = list(outstanding_for(user).select_related("item")[:200]) if exit_case else []
    return {"loans_due": loans, "exit_case": exit_case, "hand_back": hand_back, "today": today}


def due_counts(user: Any) -> tuple[Any, Any]:
    """How many loans are due back soon and how many carriers to hand back (for someone
    leaving): the reminders the header counts, as counts (``kit.counts.of``: read with the
    page's to-dos when inside their batch) instead of the rows the inbox lists."""
    from django.db.models import Exists

    from baomi.kit import counts
    from baomi.personnel.models import ExitCase

    today = timezone.localdate()
    loans = carriers.loans_of(user).filter(due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS))
    leaving = ExitCase.objects.filter(file__user=user, status=ExitStatus.OPEN)
    hand_back = outstanding_for(user).filter(Exists(leaving))  # only while an exit is open
    return counts.of(loans), counts.of(hand_back)


def header_count(tasks: list[dict[str, Any]], loans_due: int, hand_back: int) -> int:
    """The header's number: the to-dos (unread notices are one of them, counted once) and the
    reminders."""
    # Some to-dos show a word instead of a number (an audit never verified: 从未); each is one.
    todo = sum(t["count"] if isinstance(t.get("count"), int) else 1 for t in tasks if t.get("count"))
    return todo + min(int(loans_due), 100) + min(int(hand_back), 200)
