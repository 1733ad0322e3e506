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


def header_count(tasks: list[dict[str, Any]], due: dict[str, Any]) -> int:
    """The header's number: the to-dos (unread notices are one of them, counted once) and the
    reminders."""
    # Some to-dos show a word instead of a number (an audit never verified: 从未); each is one.
    todo = sum(t["count"] if isinstance(t.get("count"), int) else 1 for t in tasks if t.get("count"))
    return todo + len(due["loans_due"]) + len(due["hand_back"])
