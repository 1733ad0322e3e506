"""The personal inbox (issue 13): one page with every notice, to-do and reminder for the
signed-in person — the classification notices to acknowledge (several at once), the to-dos
every app reports (``dashboard`` parts and the approval queue), the loans due back, and, for
someone leaving, the carriers to hand back (PER-5). The header shows the count, fetched after
the page loads (``inbox/count/``) so no page pays for it — except the start page, which counts
the same to-dos anyway and writes the number into its header itself."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baomi.carriers import queries as carriers
from baomi.carriers.selectors import outstanding_for
from baomi.classification import selectors as classification
from baomi.classification.services import acknowledge_notice
from baomi.core.errors import BaomiError
from baomi.dashboard.views import tasks_for
from baomi.kit.pages import page
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


def _unread(user: Any) -> Any:
    return classification.notices(user, unread_only=True).filter(recipient=user)


@page
def inbox(request: HttpRequest) -> HttpResponse:
    user = request.user
    unread = list(_unread(user)[:200])
    recent = list(classification.notices(user).filter(recipient=user, acknowledged_at__isnull=False)[:20])
    tasks = tasks_for(user)
    due = reminders(user)
    return render(request, "dashboard/inbox.html", {
        "unread": unread, "recent": recent, "tasks": tasks, **due,
        "count": header_count(tasks, due),
    })  # fmt: skip


@login_required
def inbox_count(request: HttpRequest) -> JsonResponse:
    user = request.user
    tasks = tasks_for(user)
    return JsonResponse({"count": header_count(tasks, reminders(user))})


def header_count(tasks: list[dict[str, Any]], due: dict[str, Any]) -> int:
    """The header's number: the to-dos (unread notices are one of them, counted once) and the
    reminders."""
    # Some to-dos show a word instead of a number (an audit never verified: 从未); each is one.
    todo = sum(t["count"] if isinstance(t.get("count"), int) else 1 for t in tasks if t.get("count"))
    return todo + len(due["loans_due"]) + len(due["hand_back"])


@page
@require_POST
def acknowledge(request: HttpRequest) -> HttpResponse:
    """Acknowledge every ticked notice at once; each through the service (R-SCOPE-4, audited)."""
    user: Any = request.user
    ids = [i for i in request.POST.getlist("notice") if i.isdigit()][:200]
    done, errors = 0, []
    for pk in ids:
        notice = classification.notice_for(user, pk, "acknowledge")  # 404 if not theirs
        try:
            acknowledge_notice(user, notice)
        except BaomiError as exc:
            errors.append(str(exc))
        else:
            done += 1
    if done:
        messages.success(request, _("%(n)d notices acknowledged.") % {"n": done})
    if errors or not ids:
        messages.error(request, " ".join(errors) or _("Tick the notices to acknowledge."))
    return redirect("dashboard:inbox")
