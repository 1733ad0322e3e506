"""The personal inbox (issue 13): one page with every notice, to-do and reminder for the
signed-in person — the classification notices to acknowledge (several at once), the to-dos
every app reports (``dashboard`` parts and the approval queue), the loans due back, and, for
someone leaving, the carriers to hand back (PER-5). The header shows the count, fetched after
the page loads (``inbox/count/``) so no page pays for it — except the start page, which counts
the same to-dos anyway and writes the number into its header itself."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baomi.classification import selectors as classification
from baomi.classification.services import acknowledge_notice
from baomi.core.errors import BaomiError
from baomi.dashboard.reminders import due_counts, header_count, reminders
from baomi.dashboard.views import tasks_for
from baomi.kit import counts
from baomi.kit.pages import page


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
        "count": header_count(tasks, len(due["loans_due"]), len(due["hand_back"])),
    })  # fmt: skip


@login_required
def inbox_count(request: HttpRequest) -> JsonResponse:
    user = request.user
    with counts.batch():  # the reminders' two counts read with the to-dos'
        loans_due, hand_back = due_counts(user)
        tasks = tasks_for(user)
    return JsonResponse({"count": header_count(tasks, loans_due, hand_back)})


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
