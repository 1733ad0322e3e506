"""Reads of inspections for UI, API and CLI (SUP-1): permission-filtered through the policy.

A measured answer carries its exceptions as labels that are not classified (names, registry
numbers, ``#id``) with the page each links to; the page's own policy decides how far the
inspector may follow (and audits a refusal) — nothing here widens what anyone may see.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from baomi.access.policy import access_object, visible
from baomi.accounts.models import Department, User
from baomi.inspections.choices import FindingStatus, RunStatus, TaskStatus, TemplateStatus
from baomi.inspections.models import Answer, Area, CheckItem, Finding, Plan, RectificationTask, Run, Template
from baomi.kit import probes

OPEN_TASK = (TaskStatus.ASSIGNED, TaskStatus.RETURNED)


# --- templates -------------------------------------------------------------------------------------


def templates(viewer: Any, *, status: str = "") -> QuerySet[Template]:
    qs = visible(viewer, Template.objects.annotate(n_items=Count("areas__items")), "view").order_by(
        "name", "-version"
    )
    return qs.filter(status=status) if status else qs


def get_template(viewer: Any, pk: Any, action: str = "view") -> Template:
    return access_object(viewer, Template.objects.all(), pk, action)


def published_templates(viewer: Any) -> QuerySet[Template]:
    return visible(viewer, Template.objects.filter(status=TemplateStatus.PUBLISHED), "view")


def default_template() -> Template | None:
    return (
        Template.objects.filter(is_default=True, status=TemplateStatus.PUBLISHED).order_by("-version").first()
    )


def areas_of(template: Template) -> QuerySet[Area]:
    return template.areas.prefetch_related("items").order_by("number")


def items_of(template: Template) -> QuerySet[CheckItem]:
    return (
        CheckItem.objects.filter(area__template=template)
        .select_related("area")
        .order_by("area__number", "number")
    )


def get_area(viewer: Any, pk: Any) -> Area:
    area = Area.objects.select_related("template").filter(pk=pk).first() if str(pk).isdigit() else None
    if area is None:
        from baomi.access.policy import deny

        raise deny(viewer, "view", ("inspections.area", pk, ""))
    get_template(viewer, area.template_id)
    return area


def get_item(viewer: Any, pk: Any) -> CheckItem:
    item = (
        CheckItem.objects.select_related("area", "area__template").filter(pk=pk).first()
        if str(pk).isdigit()
        else None
    )
    if item is None:
        from baomi.access.policy import deny

        raise deny(viewer, "view", ("inspections.checkitem", pk, ""))
    get_template(viewer, item.area.template_id)
    return item


def probe_choices() -> list[tuple[str, str]]:
    """Every declared measured check, for the item form (``baomi.kit.probes``)."""
    return [(k, str(p.label)) for k, p in probes.probes().items()]


# --- plans and runs --------------------------------------------------------------------------------


def plans(viewer: Any, *, active: bool | None = None) -> QuerySet[Plan]:
    qs = visible(viewer, Plan.objects.select_related("template", "lead"), "view")
    return qs.filter(active=active) if active is not None else qs


def get_plan(viewer: Any, pk: Any, action: str = "view") -> Plan:
    return access_object(viewer, Plan.objects.select_related("template", "lead"), pk, action)


def runs(
    viewer: Any, *, status: str = "", kind: str = "", plan: Any = None, action: str = "view"
) -> QuerySet[Run]:
    qs = visible(viewer, Run.objects.select_related("department", "lead", "template", "plan"), action)
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if plan is not None:
        qs = qs.filter(plan=plan)
    return qs


def get_run(viewer: Any, pk: Any, action: str = "view") -> Run:
    return access_object(
        viewer, Run.objects.select_related("department", "lead", "template", "plan"), pk, action
    )


def answers_of(run: Run) -> QuerySet[Answer]:
    """The answers of a run the caller has fetched through :func:`get_run`."""
    return (
        run.answers.select_related("item", "item__area", "answered_by")
        .prefetch_related("evidence")
        .order_by("item__area__number", "item__number")
    )


def answers(viewer: Any) -> QuerySet[Answer]:
    return visible(viewer, Answer.objects.select_related("run", "item", "item__area"), "view")


def get_answer(viewer: Any, pk: Any, action: str = "view") -> Answer:
    return access_object(viewer, Answer.objects.select_related("run", "item", "item__area"), pk, action)


def exception_links(answer: Answer) -> list[dict[str, Any]]:
    """The measured exceptions of an answer with their URLs (the page decides access)."""
    if not answer.measured:
        return []
    p = probes.get(answer.measured.get("key", ""))
    out = []
    for e in answer.measured.get("exceptions", []):
        url = ""
        if p is not None and p.url and e.get("pk") is not None:
            try:
                url = reverse(p.url, args=[e["pk"]])
            except NoReverseMatch:
                url = ""
        out.append({"label": e.get("label", ""), "url": url})
    return out


def probe_label(key: str) -> str:
    p = probes.get(key)
    return str(p.label) if p else key


# --- findings and rectification --------------------------------------------------------------------


def findings(viewer: Any, *, run: Run | None = None, status: str = "") -> QuerySet[Finding]:
    qs = visible(viewer, Finding.objects.select_related("run", "item", "item__area", "department"), "view")
    if run is not None:
        qs = qs.filter(run=run)
    return qs.filter(status=status) if status else qs


def get_finding(viewer: Any, pk: Any, action: str = "view") -> Finding:
    return access_object(
        viewer, Finding.objects.select_related("run", "department", "item", "item__area"), pk, action
    )


def tasks(viewer: Any, *, status: str = "", overdue: bool = False, mine: bool = False,
          action: str = "view") -> QuerySet[RectificationTask]:  # fmt: skip
    qs = visible(viewer, RectificationTask.objects.select_related(
        "finding", "finding__run", "finding__department", "owner", "verified_by"), action)  # fmt: skip
    if status:
        qs = qs.filter(status=status)
    if overdue:
        qs = qs.filter(status__in=OPEN_TASK, deadline__lt=timezone.localdate())
    if mine:
        qs = qs.filter(owner_id=viewer.pk)
    return qs


def get_task(viewer: Any, pk: Any, action: str = "view") -> RectificationTask:
    return access_object(viewer, RectificationTask.objects.select_related("finding", "finding__run", "owner"), pk,
                         action)  # fmt: skip


def tasks_of(viewer: Any, finding: Finding) -> QuerySet[RectificationTask]:
    return tasks(viewer).filter(finding=finding)


def origin_tasks(origin: str, origin_ids: list[int]) -> dict[int, list[dict[str, Any]]]:
    """The rectification tasks opened for checks of a register (``baomi.kit.rectification``), by
    check, in one query: what the check's page shows (owner, deadline, status). Not filtered by
    viewer — the check's own page decides who sees the check; the task's page decides who follows
    the link."""
    today = timezone.localdate()
    out: dict[int, list[dict[str, Any]]] = {}
    rows = (
        RectificationTask.objects.filter(finding__origin=origin, finding__origin_id__in=origin_ids)
        .select_related("owner", "finding")
        .order_by("finding__origin_id", "deadline", "id")
    )
    for t in rows:
        out.setdefault(int(t.finding.origin_id or 0), []).append({
            "pk": t.pk, "url": "inspections:task", "finding": t.finding_id,
            "owner": t.owner.full_name or t.owner.username, "deadline": t.deadline, "status": t.status,
            "status_label": t.get_status_display(), "overdue": t.is_overdue(today),
        })  # fmt: skip
    return out


def open_evidence(viewer: Any, kind: str, pk: Any, blob_id: Any) -> tuple[Any, Any]:
    """Decrypt an evidence file of an answer or a task for someone who may see it; the vault
    audits the read (BLOB_READ). Returns ``(blob, reader)``."""
    from baomi.access.policy import deny
    from baomi.vault.services import open_stream

    obj = get_answer(viewer, pk) if kind == "answer" else get_task(viewer, pk)
    blob = obj.evidence.filter(pk=blob_id).first() if _is_uuid(blob_id) else None
    if blob is None:
        raise deny(viewer, "view", ("vault.blob", blob_id, ""))
    return blob, open_stream(viewer, blob, target=obj)


def _is_uuid(value: Any) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


# --- choices for forms -----------------------------------------------------------------------------


def people() -> QuerySet[User]:
    """Active persons, for inspectors and owners (names are not classified, ORG-1)."""
    return User.objects.filter(is_active=True).select_related("department").order_by("department__sort_order",
                                                                                     "username")  # fmt: skip


def departments() -> QuerySet[Department]:
    return Department.objects.select_related("head").order_by("sort_order", "name")


# --- to-do lists (OPS-1) ---------------------------------------------------------------------------


def my_open_runs(viewer: Any) -> QuerySet[Run]:
    return runs(viewer, status=RunStatus.OPEN, action="answer").order_by("due_on", "id")


def to_verify(viewer: Any) -> QuerySet[RectificationTask]:
    return tasks(viewer, status=TaskStatus.SUBMITTED, action="verify")


def my_tasks(viewer: Any) -> QuerySet[RectificationTask]:
    return tasks(viewer, mine=True).filter(status__in=OPEN_TASK)


def overdue_tasks(viewer: Any, today: date | None = None) -> QuerySet[RectificationTask]:
    return tasks(viewer).filter(status__in=OPEN_TASK, deadline__lt=today or timezone.localdate())


def open_findings(viewer: Any) -> QuerySet[Finding]:
    return findings(viewer).filter(Q(status=FindingStatus.OPEN))
