"""Permission-filtered reads of classified items, and the need-to-know questions other apps
ask (CAR-3): is this person in an item's scope today?"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Case, CharField, DateTimeField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone

from baomi.access.policy import access_object, can, deny, visible
from baomi.accounts.choices import Role
from baomi.accounts.models import Department, User
from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditEntry
from baomi.classification.choices import ExpansionStatus, ItemStatus, MatterStatus, RequestStatus
from baomi.classification.marking import FORMER_MARK
from baomi.classification.models import (
    CalendarDay,
    ClassificationRequest,
    ExpansionDesignee,
    ExpansionRequest,
    GuideEntry,
    Item,
    ItemScope,
    MarkRecord,
    Matter,
    Notice,
    ReviewCampaign,
    ReviewDecision,
)


def former_mark_subquery(item_ref: str) -> Any:
    """The last cancelled mark of the item at ``item_ref`` (an ``OuterRef`` path), for lists
    that show many items' marks: annotate it and hand it to ``remember_former_mark`` so
    declassified rows cost no query each (R-MARK-8)."""
    cancelled = MarkRecord.objects.filter(item_id=OuterRef(item_ref), cancelled_at__isnull=False)
    return Subquery(cancelled.order_by("-valid_from", "-id").values("text")[:1])


def current_entries(on: date | None = None) -> Q:
    """Scope entries valid on ``on`` (today by default): started and not yet ended."""
    day = on or timezone.localdate()
    return (Q(starts_on__isnull=True) | Q(starts_on__lte=day)) & (
        Q(ends_on__isnull=True) | Q(ends_on__gte=day)
    )


def scope_entries_for(user: Any, on: date | None = None) -> QuerySet[ItemScope]:
    """Scope entries naming ``user`` or their department, valid on ``on`` (today by default).

    A department entry expands to the department's members (CAR-3, R-SCOPE-1). The system
    administrator is never in a knowledge scope, whatever names him or his department
    (三员分立, R-ROLE-1..3).
    """
    if user.has_role(Role.SYSTEM_ADMINISTRATOR):
        return ItemScope.objects.none()
    who = Q(user_id=user.pk)
    if user.department_id:
        who |= Q(department_id=user.department_id)
    return ItemScope.objects.filter(who & current_entries(on))


def scoped_item_ids(user: Any, on: date | None = None) -> QuerySet:
    """A subquery of the ids of items whose scope includes ``user`` — for SQL filters."""
    return scope_entries_for(user, on).values("item_id")


def in_scope(user: Any, item: Item, on: date | None = None) -> bool:
    return scope_entries_for(user, on).filter(item_id=item.pk).exists()


# ---------------------------------------------------------------------------------------------
# Permission-filtered reads for the UI, the API and the CLI (STYLE 2.3)


def items(
    user: Any, *, level: str = "", status: str = "", department: Any = None, q: str = ""
) -> QuerySet[Item]:
    """The item register as ``user`` may see it, filtered (CLS-2, CAR-12)."""

    # The scope comes with the rows: every row's mark is checked (CLS-7, ``policy.screen``).
    qs = visible(
        user, Item.objects.select_related("department", "guide_entry").prefetch_related("scope"), "view"
    )
    # R-MARK-8: a declassified row shows its old mark cancelled — read with the rows.
    qs = qs.annotate(**{FORMER_MARK: Case(When(status="declassified", then=former_mark_subquery("pk")),
                                          default=Value(None), output_field=CharField())})  # fmt: skip
    if level:
        qs = qs.filter(level=level)
    if status:
        qs = qs.filter(status=status)
    if department:
        # A department that is not a number (?department=x) matches nothing, not a 500 (SEC-7).
        qs = qs.filter(department_id=department) if str(department).isdigit() else qs.none()
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(reference__icontains=q))
    return qs


def item_for(user: Any, pk: Any, action: str = "view") -> Item:
    """One item or not found (absent and forbidden alike, refusals audited, CAR-3)."""

    return access_object(
        user, Item.objects.select_related("department", "proposed_by", "determined_by"), pk, action
    )


def requests(user: Any, *, status: str = "", kind: str = "") -> QuerySet:
    qs = visible(
        user, ClassificationRequest.objects.select_related("item", "requested_by", "decided_by"), "view"
    )
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs


def approval_queue(user: Any) -> QuerySet:
    """Requests this authority may decide: open, covered by their authority, not their own (R-DET-2)."""

    qs = ClassificationRequest.objects.filter(status=RequestStatus.PENDING).exclude(requested_by_id=user.pk)
    return visible(user, qs.select_related("item", "requested_by"), "decide")


def upward_queue(user: Any) -> QuerySet:
    qs = ClassificationRequest.objects.filter(status=RequestStatus.PENDING_UPWARD).exclude(
        requested_by_id=user.pk
    )
    return visible(user, qs.select_related("item", "requested_by"), "record_upward")


def request_for(user: Any, pk: Any, action: str = "view") -> Any:
    return access_object(user, ClassificationRequest.objects.select_related("item"), pk, action)


def guide_entries(user: Any, *, active_only: bool = False) -> QuerySet:
    qs = visible(user, GuideEntry.objects.all(), "view")
    return qs.filter(active=True) if active_only else qs


def guide_entry_for(user: Any, pk: Any, action: str = "view") -> Any:
    return access_object(user, GuideEntry.objects.all(), pk, action)


def notices(user: Any, *, unread_only: bool = False) -> QuerySet:
    qs = visible(user, Notice.objects.select_related("item"), "view")
    return qs.filter(acknowledged_at__isnull=True) if unread_only else qs


def notice_for(user: Any, pk: Any, action: str = "view") -> Any:
    return access_object(user, Notice.objects.select_related("item"), pk, action)


def item_notices(user: Any, item: Item) -> QuerySet:
    """Delivery status of the item's notices, for the security office (R-SCOPE-4)."""

    if not can(user, "knowledge_record", item):
        return Notice.objects.none()
    return Notice.objects.filter(item=item).select_related("recipient")


def scope_of(user: Any, item: Item) -> QuerySet[ItemScope]:
    """The scope entries of an item the user may see (CAR-3)."""

    if not can(user, "view", item):
        return ItemScope.objects.none()
    return item.scope.select_related("user", "department", "granted_by").order_by("pk")


def scope_entry_for(user: Any, pk: Any) -> ItemScope:
    entry = ItemScope.objects.select_related("item").filter(pk=pk).first()

    if entry is None or not can(user, "manage_scope", entry.item):
        raise deny(user, "manage_scope", ("classification.itemscope", pk, ""))
    return entry


def matters(user: Any, *, overdue_only: bool = False) -> QuerySet:
    qs = visible(user, Matter.objects.select_related("item"), "view")
    if overdue_only:
        today = timezone.localdate()
        qs = qs.filter(
            Q(status=MatterStatus.OPEN, report_due__lt=today)
            | Q(status=MatterStatus.REPORTED, decision_due__lt=today)
        )
    return qs


def matter_for(user: Any, pk: Any, action: str = "view") -> Any:
    return access_object(user, Matter.objects.select_related("item"), pk, action)


def calendar_days(user: Any) -> QuerySet:
    return visible(user, CalendarDay.objects.all(), "view")


def calendar_day_for(user: Any, pk: Any, action: str = "manage") -> Any:
    return access_object(user, CalendarDay.objects.all(), pk, action)


def uncovered_deadlines(user: Any) -> dict[int, int]:
    """Per year the working-day calendar does not cover, how many open deadlines of the unclear
    matters the user sees fall in it (CLS-6, issue 12 §4)."""
    from baomi.classification import workdays

    rows = matters(user).filter(status__in=(MatterStatus.OPEN, MatterStatus.REPORTED))
    days = [report if status == MatterStatus.OPEN else decision
            for status, report, decision in rows.values_list("status", "report_due", "decision_due")]  # fmt: skip
    return workdays.count_uncovered(days)


def campaigns(user: Any) -> QuerySet:
    return visible(user, ReviewCampaign.objects.all(), "view")


def campaign_for(user: Any, pk: Any, action: str = "view") -> Any:
    return access_object(user, ReviewCampaign.objects.all(), pk, action)


def campaign_rows(user: Any, campaign: Any, action: str = "view") -> QuerySet:
    """The campaign's items the user may see (or, with ``action="decide"``, decide), with their
    decisions (R-DECL-1)."""

    qs = ReviewDecision.objects.filter(campaign=campaign).select_related("item", "decided_by")
    return with_previous_decision(visible(user, qs, action), campaign)


def previous_campaign(campaign: Any) -> Any:
    """The campaign of the year before (the latest earlier one), or ``None`` (CLS-10)."""

    return ReviewCampaign.objects.filter(year__lt=campaign.year).order_by("-year").first()


def with_previous_decision(rows: QuerySet, campaign: Any) -> QuerySet:
    """Annotate each row with the previous campaign's decision on the same item (CLS-10):
    ``prev_decision`` (choice), ``prev_decided_by`` (full name), ``prev_decided_at``; empty or
    ``None`` when the item was not in that campaign. The rows are already permission-filtered and
    the annotation only reads decisions on those same items (CAR-3)."""

    prev = previous_campaign(campaign)
    if prev is None:
        return rows.annotate(
            prev_decision=Value("", output_field=CharField()),
            prev_decided_by=Value("", output_field=CharField()),
            prev_decided_at=Value(None, output_field=DateTimeField()),
        )
    same = ReviewDecision.objects.filter(campaign=prev, item_id=OuterRef("item_id"))
    return rows.annotate(
        prev_decision=Subquery(same.values("decision")[:1]),
        prev_decided_by=Subquery(same.values("decided_by__full_name")[:1]),
        prev_decided_at=Subquery(same.values("decided_at")[:1]),
    )


def campaign_progress(campaign: Any) -> dict[str, int]:
    """Decided rows out of the rows that need a decision: an item declassified since the campaign
    opened (expiry, lifting) needs none and is not counted (R-DECL-1)."""

    rows = campaign.decisions.exclude(Q(decision="") & ~Q(item__status=ItemStatus.DETERMINED))
    total = rows.count()
    done = rows.exclude(decision="").count()
    return {"total": total, "done": done, "percent": int(done * 100 / total) if total else 100}


def review_decision_for(user: Any, pk: Any, action: str = "decide") -> Any:
    return access_object(user, ReviewDecision.objects.select_related("item", "campaign"), pk, action)


def expansions(user: Any, *, pending_for_approval: bool = False) -> QuerySet:
    qs = ExpansionRequest.objects.select_related("item", "person", "requested_by")
    if pending_for_approval:
        return visible(user, qs.filter(status=ExpansionStatus.PENDING), "approve_expansion")
    return visible(user, qs, "view")


def expansion_designees(user: Any, *, current_only: bool = True) -> QuerySet:
    """Designated expansion approvers (R-SCOPE-2), for the security office and the unit head."""

    qs = ExpansionDesignee.objects.select_related("user", "designated_by")
    if current_only:
        qs = qs.filter(revoked_at__isnull=True)
    return visible(user, qs, "view")


def expansion_designee_for(user: Any, pk: Any, action: str = "revoke") -> Any:
    return access_object(user, ExpansionDesignee.objects.all(), pk, action)


def expansion_for(user: Any, pk: Any, action: str = "view") -> Any:
    return access_object(user, ExpansionRequest.objects.select_related("item", "person"), pk, action)


CONTENT_WORDS = ("READ", "DOWNLOAD", "PRINT", "VIEWED", "EXPORT")
DECISION_WORDS = ("REQUESTED", "APPROVED", "REJECTED")


def knowledge_record(item: Item) -> list[dict[str, Any]]:
    """Everyone who came to know the item, and when (知悉记录, R-SCOPE-3, CAR-2).

    Drawn from the audit trail: detail views of the item, reads of its carriers' content
    (target ``carriers.carrier`` with the item id in the details), and grants of scope. One row
    per person: first and last time, the number of reads, how (view, content, grant). The caller
    checks ``knowledge_record`` on the item first.
    """

    read_events = [int(AuditEvent.ITEM_VIEWED), int(AuditEvent.SCOPE_GRANTED)]
    # Reads of content, whatever the carriers app names them: read, download, print, export, view
    # — but not the requests and decisions about a download, which read nothing.
    content_events = [
        int(e)
        for e in AuditEvent
        if any(w in e.name for w in CONTENT_WORDS) and not any(w in e.name for w in DECISION_WORDS)
    ]
    # The carriers app writes the item as ``item_id`` in its details (CAR-2).
    qs = AuditEntry.objects.filter(outcome="ok").filter(
        Q(target_type="classification.item", target_id=str(item.pk), event__in=read_events)
        | Q(target_type="carriers.carrier", event__in=content_events, details__item=item.pk)
        | Q(target_type="carriers.carrier", event__in=content_events, details__item_id=item.pk)
    )
    people: dict[Any, dict[str, Any]] = {}
    grants: set[int] = set()
    for e in qs.order_by("time", "id"):
        who = e.actor_id
        kind = "view" if e.event == int(AuditEvent.ITEM_VIEWED) else "content"
        if e.event == int(AuditEvent.SCOPE_GRANTED):
            who = (e.details or {}).get("user")
            kind = "grant"
            if who is None:
                continue
            grants.add(who)
        if who is None:
            continue
        row = people.setdefault(who, {"user_id": who, "name": e.actor_name if kind != "grant" else "",
                                      "first": e.time, "last": e.time, "reads": 0, "how": set()})  # fmt: skip
        row["last"] = e.time
        row["how"].add(kind)
        if kind != "grant":
            row["reads"] += 1
            row["name"] = row["name"] or e.actor_name

    names = dict(User.objects.filter(pk__in=list(people)).values_list("pk", "full_name"))
    depts = dict(User.objects.filter(pk__in=list(people)).values_list("pk", "department__name"))
    rows = []
    for who, row in people.items():
        row["name"] = names.get(who) or row["name"]
        row["department"] = depts.get(who) or ""
        row["how"] = sorted(row["how"])
        rows.append(row)
    return sorted(rows, key=lambda r: r["first"])


def people(user: Any) -> QuerySet:
    """Active people the user may name in a scope or request (names are not classified, ORG-1)."""

    return visible(user, User.objects.filter(is_active=True), "view").order_by(
        "department__sort_order", "username"
    )


def departments(user: Any) -> QuerySet:
    return visible(user, Department.objects.all(), "view")


def request_history(user: Any, req: Any) -> list[AuditEntry]:
    """What happened to a request and its item, oldest first, from the audit trail: the approval
    screen shows it beside the decision (issue 13). The caller has already been allowed to see
    the request."""
    if not can(user, "view", req.item):
        return []
    qs = AuditEntry.objects.filter(
        Q(target_type="classification.classificationrequest", target_id=str(req.pk))
        | Q(target_type="classification.item", target_id=str(req.item_id))
    ).exclude(event=int(AuditEvent.ITEM_VIEWED))
    entries = list(qs.order_by("-id")[:50])[::-1]
    # People by their names, as everywhere else on the page (the entry keeps the account name).
    names = dict(
        User.objects.filter(pk__in={e.actor_id for e in entries if e.actor_id}).values_list("pk", "full_name")
    )
    for e in entries:
        e.person = names.get(e.actor_id) or e.actor_name
    return entries


def scope_change_names(user: Any, changes: dict[str, Any]) -> dict[str, list[str]]:
    """The people and departments a change request would add to the scope, by name."""
    users = [int(i) for i in (changes or {}).get("add_users", []) if str(i).isdigit()]
    depts = [int(i) for i in (changes or {}).get("add_departments", []) if str(i).isdigit()]
    return {
        "users": [str(u) for u in people(user).filter(pk__in=users)],
        "departments": [d.name for d in departments(user).filter(pk__in=depts)],
    }
