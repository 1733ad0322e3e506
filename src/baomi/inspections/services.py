"""Inspection services: every change to checklists, plans, runs, findings and rectification
(SUP-1, R-SITE-4).

Each service: lock → ``access.require`` (``view`` first where there is an object, so forbidden
looks like not found) → lifecycle check (``lifecycle.next_move``) → change → audit, in one
transaction (``@service``). Measured checks are computed by the probes of ``baomi.kit.probes``
— one aggregate query each — when a run opens and whenever the inspector measures again; the
inspector confirms a measured answer or overrides it with a reason, both audited.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from baomi.access.policy import require
from baomi.audit.record import record
from baomi.core.errors import ValidationFailed
from baomi.inspections import lifecycle
from baomi.inspections.choices import (
    RECURRENCE_MONTHS,
    PlanKind,
    Result,
    RunStatus,
    Severity,
    TaskStatus,
    TemplateStatus,
)
from baomi.inspections.events import InspectionEvent
from baomi.inspections.lifecycle import Move, next_move
from baomi.inspections.models import (
    Answer,
    Area,
    CheckItem,
    Finding,
    Plan,
    RectificationTask,
    Run,
    Template,
)
from baomi.kit import probes, rectification
from baomi.kit.service import internal, own_transaction, service
from baomi.kit.uploads import limited


def _locked(obj: Any) -> Any:
    return type(obj).objects.select_for_update().get(pk=obj.pk)


def _text(value: str, field: str, message: Any) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(message, fields={field: [str(message)]})
    return value


def _add_months(day: date, months: int) -> date:
    from baomi.personnel.selectors import add_months

    return add_months(day, months)


def _store(actor: Any, uploads: list[Any] | None, target: Any) -> list[Any]:
    from baomi.vault import services as vault

    return [
        vault.store(
            actor,
            limited(upload, "evidence", field="uploads"),
            content_type=getattr(upload, "content_type", "") or "",
            target=target,
        )
        for upload in uploads or []
    ]


# --- checklist templates (SUP-1, R-SITE-4) ---------------------------------------------------------


def _draft(actor: Any, template: Template) -> tuple[Template, Move]:
    template = _locked(template)
    require(actor, "view", template)
    move = next_move(lifecycle.TEMPLATE_TRANSITIONS, template.status, "edit")
    require(actor, move.action, template)
    return template, move


@service
def copy_template(actor: Any, template: Template, *, name: str = "", new_version: bool = True) -> Template:
    """Start a draft from ``template``: its next version (same checklist) or, with
    ``new_version=False``, a new checklist of the unit's own, named ``name``. Areas and items
    are copied; the source never changes (a run keeps its version). *Requires*
    ``manage_inspections``. *Audits* TEMPLATE_CREATED."""
    require(actor, "manage_inspections")
    require(actor, "view", template)
    if new_version:
        last = Template.objects.filter(family=template.family).aggregate(v=Max("version"))["v"] or 0
        if Template.objects.filter(family=template.family, status=TemplateStatus.DRAFT).exists():
            message = _("This checklist already has a draft version; edit that one.")
            raise ValidationFailed(message, fields={"template": [str(message)]})
        copy = Template(family=template.family, version=last + 1, name=template.name, note=template.note,
                        based_on=template, created_by=actor)  # fmt: skip
    else:
        copy = Template(name=_text(name, "name", _("Give the checklist a name.")), note=template.note,
                        based_on=template, created_by=actor)  # fmt: skip
    copy.save()
    for area in template.areas.prefetch_related("items"):
        new_area = Area(template=copy, number=area.number, title=area.title)
        new_area.save()
        CheckItem.objects.bulk_create(
            CheckItem(area=new_area, number=i.number, text=i.text, how_to_check=i.how_to_check, score=i.score,
                      evidence_required=i.evidence_required, probe=i.probe)
            for i in area.items.all()
        )  # fmt: skip
    record(
        actor, InspectionEvent.TEMPLATE_CREATED, copy, details={"from": template.pk, "version": copy.version}
    )
    return copy


@service
def add_area(actor: Any, template: Template, *, title: str) -> Area:
    """Add an area to a draft checklist. *Requires* ``manage``. *Audits* TEMPLATE_UPDATED."""
    template, move = _draft(actor, template)
    number = (template.areas.aggregate(n=Max("number"))["n"] or 0) + 1
    area = Area(template=template, number=number, title=_text(title, "title", _("Give the area a title.")))
    area.save()
    record(actor, move.event, template, details={"added_area": number})
    return area


def _probe_key(probe: str) -> str:
    probe = (probe or "").strip()
    if probe and probes.get(probe) is None:
        message = _("No measured check has this name.")
        raise ValidationFailed(message, fields={"probe": [str(message)]})
    return probe


def _score(score: Any) -> Decimal:
    try:
        value = Decimal(str(score))
    except ArithmeticError:
        value = Decimal(-1)
    if not (Decimal(0) <= value <= Decimal(1000)):
        message = _("The score must be between 0 and 1000.")
        raise ValidationFailed(message, fields={"score": [str(message)]})
    return value


@service
def add_item(actor: Any, area: Area, *, text: str, how_to_check: str = "", score: Any = 5,
             evidence_required: bool = False, probe: str = "") -> CheckItem:  # fmt: skip
    """Add a check item to an area of a draft checklist; ``probe`` names a measured check.
    *Requires* ``manage``. *Audits* TEMPLATE_UPDATED."""
    template, move = _draft(actor, area.template)
    number = (area.items.aggregate(n=Max("number"))["n"] or 0) + 1
    item = CheckItem(area=area, number=number, text=_text(text, "text", _("Write the check item.")),
                     how_to_check=how_to_check.strip(), score=_score(score), evidence_required=evidence_required,
                     probe=_probe_key(probe))  # fmt: skip
    item.save()
    record(actor, move.event, template, details={"added_item": f"{area.number}.{number}"})
    return item


@service
def edit_item(actor: Any, item: CheckItem, *, text: str, how_to_check: str = "", score: Any = 5,
              evidence_required: bool = False, probe: str = "") -> CheckItem:  # fmt: skip
    """Change a check item of a draft checklist. *Requires* ``manage``. *Audits*
    TEMPLATE_UPDATED with the fields changed."""
    template, move = _draft(actor, item.area.template)
    item = _locked(item)
    values = {"text": _text(text, "text", _("Write the check item.")), "how_to_check": how_to_check.strip(),
              "score": _score(score), "evidence_required": bool(evidence_required), "probe": _probe_key(probe)}  # fmt: skip
    changed = [k for k, v in values.items() if getattr(item, k) != v]
    for k in changed:
        setattr(item, k, values[k])
    if changed:
        item.save(update_fields=changed)
        record(
            actor,
            move.event,
            template,
            details={"item": f"{item.area.number}.{item.number}", "changed": changed},
        )
    return item


@service
def remove_item(actor: Any, item: CheckItem) -> None:
    """Remove a check item from a draft checklist. *Requires* ``manage``. *Audits*
    TEMPLATE_UPDATED."""
    template, move = _draft(actor, item.area.template)
    label = f"{item.area.number}.{item.number}"
    item.delete()
    record(actor, move.event, template, details={"removed_item": label})


@service
def publish_template(actor: Any, template: Template) -> Template:
    """Publish a draft: new runs use it; the checklist's previously published version is
    retired (runs that used it keep it). *Requires* ``manage``. *Audits* TEMPLATE_PUBLISHED
    (and TEMPLATE_RETIRED)."""
    template = _locked(template)
    require(actor, "view", template)
    move = next_move(lifecycle.TEMPLATE_TRANSITIONS, template.status, "publish")
    require(actor, move.action, template)
    if not CheckItem.objects.filter(area__template=template).exists():
        message = _("A checklist needs at least one check item.")
        raise ValidationFailed(message, fields={"template": [str(message)]})
    for old in Template.objects.select_for_update().filter(
        family=template.family, status=TemplateStatus.PUBLISHED
    ):
        retire = next_move(lifecycle.TEMPLATE_TRANSITIONS, old.status, "retire")
        old.status = retire.next_state
        old.save(update_fields=["status"])
        record(actor, retire.event, old, details={"replaced_by": template.pk})
    template.status, template.published_at = move.next_state, timezone.now()
    template.save(update_fields=["status", "published_at"])
    record(actor, move.event, template, details={"version": template.version})
    return template


@service
def retire_template(actor: Any, template: Template) -> Template:
    """Retire a published checklist: no new plan or run uses it. *Requires* ``manage``.
    *Audits* TEMPLATE_RETIRED."""
    template = _locked(template)
    require(actor, "view", template)
    move = next_move(lifecycle.TEMPLATE_TRANSITIONS, template.status, "retire")
    require(actor, move.action, template)
    template.status = move.next_state
    template.save(update_fields=["status"])
    record(actor, move.event, template)
    return template


# --- plans (SUP-1) ------------------------------------------------------------------------------


def _published(template: Template) -> None:
    if template.status != TemplateStatus.PUBLISHED:
        message = _("Choose a published checklist.")
        raise ValidationFailed(message, fields={"template": [str(message)]})


@service
def create_plan(actor: Any, *, title: str, kind: str, template: Template, lead: Any, due_on: date,
                departments: list[Any] | None = None, inspectors: list[Any] | None = None,
                places: str = "") -> Plan:  # fmt: skip
    """Plan an inspection: kind (monthly self-check, quarterly patrol, annual self-assessment,
    ad hoc), checklist, scope, inspectors, first due date (SUP-1). *Requires*
    ``manage_inspections``. *Audits* PLAN_CREATED."""
    require(actor, "manage_inspections")
    template = Template.objects.get(pk=template.pk)
    _published(template)
    plan = Plan(title=_text(title, "title", _("Give the plan a title.")), kind=PlanKind(kind), template=template,
                lead=lead, due_on=due_on, places=places.strip()[:500], created_by=actor)  # fmt: skip
    plan.save()
    plan.departments.set(departments or [])
    plan.inspectors.set(inspectors or [])
    record(actor, InspectionEvent.PLAN_CREATED, plan,
           details={"kind": plan.kind, "due_on": due_on, "departments": [d.pk for d in departments or []]})  # fmt: skip
    return plan


@service
def end_plan(actor: Any, plan: Plan) -> Plan:
    """Stop a plan: no further runs open. *Requires* ``manage``. *Audits* PLAN_CLOSED."""
    plan = _locked(plan)
    require(actor, "view", plan)
    require(actor, "manage", plan)
    if not plan.active:
        raise ValidationFailed(_("This plan has already ended."))
    plan.active = False
    plan.save(update_fields=["active"])
    record(actor, InspectionEvent.PLAN_CLOSED, plan)
    return plan


def _scopes(plan: Plan) -> list[tuple[Any, str]]:
    """One run per department, per place, or one for the whole unit (SUP-1)."""
    scopes: list[tuple[Any, str]] = [(d, "") for d in plan.departments.order_by("sort_order", "name")]
    scopes += [(None, p) for p in plan.place_list()]
    return scopes or [(None, "")]


def _new_run(actor: Any, *, template: Template, kind: str, title: str, lead: Any, due_on: date,
             inspectors: list[Any], plan: Plan | None = None, department: Any = None, place: str = "") -> Run:  # fmt: skip
    template = Template.objects.get(pk=template.pk)  # its status now, not the caller's copy
    _published(template)
    run = Run(plan=plan, template=template, kind=kind, title=title, department=department, place=place, lead=lead,
              due_on=due_on, opened_by=actor if getattr(actor, "pk", None) else None)  # fmt: skip
    run.save()
    run.inspectors.set(inspectors)
    Answer.objects.bulk_create(
        Answer(run=run, item=item)
        for item in CheckItem.objects.filter(area__template=template).order_by("pk")
    )
    record(actor, InspectionEvent.RUN_OPENED, run,
           details={"plan": plan.pk if plan else None, "template": template.pk, "version": template.version,
                    "department": department.pk if department else None, "place": place})  # fmt: skip
    _measure(actor, run, timezone.localdate())
    return run


@service
def open_run(actor: Any, *, template: Template, kind: str, title: str, lead: Any, due_on: date,
             inspectors: list[Any] | None = None, department: Any = None, place: str = "") -> Run:  # fmt: skip
    """Open an inspection now, outside any plan (an ad hoc check), on a published checklist;
    measured items are computed at once. *Requires* ``manage_inspections``. *Audits* RUN_OPENED
    and RUN_MEASURED."""
    require(actor, "manage_inspections")
    return _new_run(actor, template=template, kind=PlanKind(kind), title=_text(title, "title", _("Give a title.")),
                    lead=lead, due_on=due_on, inspectors=inspectors or [], department=department, place=place)  # fmt: skip


@service
def open_plan_runs(actor: Any, plan: Plan, *, now: datetime | None = None) -> list[Run]:
    """Open the runs of a plan's current cycle — one per department or place in its scope — on
    the checklist's published version, then move the plan to its next due date (an ad hoc plan
    ends). The scheduler calls it when a plan falls due (actor ``None``); the security officer
    may open a cycle early. *Requires* ``manage`` (people). *Audits* RUN_OPENED, PLAN_UPDATED."""
    plan = _locked(plan)
    if actor is not None:
        require(actor, "view", plan)
        require(actor, "manage", plan)
    if not plan.active:
        raise ValidationFailed(_("This plan has ended."))
    template = Template.objects.filter(family=plan.template.family, status=TemplateStatus.PUBLISHED).first()
    if template is None:
        raise ValidationFailed(_("The plan's checklist has no published version."))
    cycle = plan.due_on
    runs = []
    for department, place in _scopes(plan):
        where = place or (department.name if department else gettext("Whole unit"))
        title = f"{plan.title}（{where}，{cycle.isoformat()}）"
        runs.append(_new_run(actor, template=template, kind=plan.kind, title=title, lead=plan.lead, due_on=cycle,
                             inspectors=list(plan.inspectors.all()), plan=plan, department=department, place=place))  # fmt: skip
    months = RECURRENCE_MONTHS[PlanKind(plan.kind)]
    if months:
        plan.due_on = _add_months(cycle, months)
    else:
        plan.active = False
    plan.save(update_fields=["due_on", "active"])
    record(actor, InspectionEvent.PLAN_UPDATED, plan,
           details={"opened": [r.pk for r in runs], "cycle": cycle, "next_due": plan.due_on, "active": plan.active})  # fmt: skip
    return runs


@own_transaction
def open_due_runs(now: datetime | None = None) -> dict[str, int]:
    """The scheduler's sweep: every active plan due within ``INSPECTION_OPEN_DAYS`` opens its
    cycle (``open_plan_runs``, one transaction each, audited). Idempotent: opening a cycle moves
    the plan's due date on."""
    today = timezone.localdate(now) if now else timezone.localdate()
    horizon = today + timedelta(days=settings.INSPECTION_OPEN_DAYS)
    opened = 0
    for plan in Plan.objects.filter(active=True, due_on__lte=horizon).order_by("due_on", "id"):
        opened += len(open_plan_runs(None, plan, now=now))
    return {"runs_opened": opened}


# --- answering (SUP-1) ----------------------------------------------------------------------------


def _run_move(actor: Any, run: Run, action: str) -> tuple[Run, Move]:
    run = _locked(run)
    require(actor, "view", run)
    move = next_move(lifecycle.RUN_TRANSITIONS, run.status, action)
    require(actor, move.action, run)
    return run, move


def _measure(actor: Any, run: Run, on: date) -> dict[str, int]:
    """Compute every measured item of ``run`` (one query per probe named, whatever the number
    of items naming it) and pre-answer the items not yet confirmed or overridden."""
    answers = list(run.answers.select_related("item").exclude(item__probe="").select_for_update())
    figures: dict[str, Any] = {}
    for answer in answers:
        key = answer.item.probe
        if key not in figures:
            figures[key] = probes.measure(key, on) if probes.get(key) else None
        m = figures[key]
        if m is None:
            continue  # the probe's app is not installed: the inspector answers by hand
        answer.measured = {**m.as_json(), "measured_on": on.isoformat()}
        answer.suggested = Result.COMPLIANT if m.count == 0 else Result.NON_COMPLIANT
        fields = ["measured", "suggested"]
        if not answer.confirmed and not answer.override_reason:
            answer.result = answer.suggested
            fields.append("result")
        answer.save(update_fields=fields)
    run.measured_at = timezone.now()
    run.save(update_fields=["measured_at"])
    result = {k: m.count for k, m in figures.items() if m is not None}
    record(actor, InspectionEvent.RUN_MEASURED, run, details={"on": on, "figures": result})
    return result


@service
def measure_run(actor: Any, run: Run, *, on: date | None = None) -> dict[str, int]:
    """Compute the measured checks again from the records as they are now; answers the
    inspector has confirmed or overridden keep their result (their figure is refreshed).
    *Requires* ``answer``. *Audits* RUN_MEASURED with every figure."""
    run, _move = _run_move(actor, run, "measure")
    return _measure(actor, run, on or timezone.localdate())


def _answer(actor: Any, answer: Answer, action: str) -> tuple[Answer, Move]:
    _run, move = _run_move(actor, answer.run, action)
    answer = Answer.objects.select_for_update().select_related("item", "item__area").get(pk=answer.pk)
    return answer, move


@service
def answer_item(actor: Any, answer: Answer, *, result: str, note: str = "",
                uploads: list[Any] | None = None) -> Answer:  # fmt: skip
    """Answer a check item 符合 / 不符合 / 不适用 with a note and evidence files (encrypted into
    the vault). A measured item is confirmed or overridden instead. *Requires* ``answer``.
    *Audits* ANSWER_RECORDED (and BLOB_STORED per file)."""
    answer, move = _answer(actor, answer, "answer")
    if answer.item.probe and answer.suggested:
        message = _(
            "This item is measured from the records: confirm the figure or override it with a reason."
        )
        raise ValidationFailed(message, fields={"result": [str(message)]})
    answer.result = Result(result)
    answer.note = note.strip()
    answer.answered_by, answer.answered_at = actor, timezone.now()
    answer.save(update_fields=["result", "note", "answered_by", "answered_at"])
    files = _store(actor, uploads, answer)
    if files:
        answer.evidence.add(*files)
    record(actor, move.event, answer.run,
           details={"item": f"{answer.item.area.number}.{answer.item.number}", "result": answer.result,
                    "evidence": len(files)})  # fmt: skip
    return answer


@service
def confirm_measured(actor: Any, answer: Answer, *, note: str = "") -> Answer:
    """The inspector confirms the measured answer (SUP-1). *Requires* ``answer``. *Audits*
    ANSWER_CONFIRMED with the figure."""
    answer, move = _answer(actor, answer, "confirm")
    if not answer.suggested:
        raise ValidationFailed(_("This item has no measured answer to confirm."))
    answer.result, answer.confirmed, answer.override_reason = answer.suggested, True, ""
    answer.note = note.strip() or answer.note
    answer.answered_by, answer.answered_at = actor, timezone.now()
    answer.save(
        update_fields=["result", "confirmed", "override_reason", "note", "answered_by", "answered_at"]
    )
    record(actor, move.event, answer.run,
           details={"item": f"{answer.item.area.number}.{answer.item.number}", "result": answer.result,
                    "figure": (answer.measured or {}).get("count")})  # fmt: skip
    return answer


@service
def override_measured(actor: Any, answer: Answer, *, result: str, reason: str) -> Answer:
    """The inspector overrides the measured answer, giving the reason (SUP-1) — e.g. the
    exceptions are already being rectified, or the records lag the facts. *Requires*
    ``answer``. *Audits* ANSWER_OVERRIDDEN with the figure, both results and the reason."""
    answer, move = _answer(actor, answer, "override")
    if not answer.suggested:
        raise ValidationFailed(_("This item has no measured answer to override."))
    result = Result(result)
    if result == answer.suggested:
        raise ValidationFailed(
            _("That is the measured answer; confirm it instead."), fields={"result": ["same"]}
        )
    answer.override_reason = _text(
        reason, "reason", _("Give the reason for overriding the measured answer.")
    )[:300]
    answer.result, answer.confirmed = result, False
    answer.answered_by, answer.answered_at = actor, timezone.now()
    answer.save(update_fields=["result", "confirmed", "override_reason", "answered_by", "answered_at"])
    record(actor, move.event, answer.run,
           details={"item": f"{answer.item.area.number}.{answer.item.number}", "suggested": answer.suggested,
                    "result": result, "reason": answer.override_reason,
                    "figure": (answer.measured or {}).get("count")})  # fmt: skip
    return answer


@service
def record_finding(actor: Any, run: Run, *, description: str, severity: str = Severity.GENERAL,
                   item: CheckItem | None = None, department: Any = None, place: str = "") -> Finding:  # fmt: skip
    """Record a problem the inspection found, with its severity and the department or place that
    must rectify it (by default the run's). *Requires* ``answer``. *Audits* FINDING_RECORDED."""
    run, move = _run_move(actor, run, "record_finding")
    if item is not None and item.area.template_id != run.template_id:
        raise ValidationFailed(_("This item is not on the run's checklist."), fields={"item": ["invalid"]})
    finding = Finding(run=run, item=item, department=department or run.department, place=place.strip() or run.place,
                      severity=Severity(severity), recorded_by=actor,
                      description=_text(description, "description", _("Describe the problem.")))  # fmt: skip
    finding.save()
    record(
        actor,
        move.event,
        finding,
        details={"run": run.pk, "severity": finding.severity, "item": getattr(item, "pk", None)},
    )
    return finding


@internal
def completion_gaps(run: Run) -> list[str]:
    """What stands between an open run and its completion, as translated sentences: items not
    answered, compliance claimed without the evidence the item requires, non-compliant items
    without a finding. A pure read;
    ``complete_run`` checks policy."""
    gaps = []
    answers = list(run.answers.select_related("item", "item__area").prefetch_related("evidence"))
    found = set(run.findings.exclude(item=None).values_list("item_id", flat=True))
    for a in answers:
        code = f"{a.item.area.number}.{a.item.number}"
        if not a.result:
            gaps.append(gettext("item %(code)s is not answered") % {"code": code})
        elif (
            a.item.evidence_required and not a.item.probe and a.result == Result.COMPLIANT
            and not a.evidence.all()
        ):  # fmt: skip
            gaps.append(gettext("item %(code)s needs evidence") % {"code": code})
        if a.result == Result.NON_COMPLIANT and a.item_id not in found:
            gaps.append(gettext("item %(code)s is non-compliant but has no finding") % {"code": code})
    return gaps


@internal
def area_scores(run: Run) -> list[dict[str, Any]]:
    """Score per area and in total: the points of compliant items over the points of the items
    that apply (non-applicable items leave both sums). A pure read."""
    rows: dict[int, dict[str, Any]] = {}
    for a in run.answers.select_related("item", "item__area"):
        area = a.item.area
        row = rows.setdefault(area.number, {"number": area.number, "title": area.title, "score": Decimal(0),
                                            "max": Decimal(0), "answered": 0, "items": 0})  # fmt: skip
        row["items"] += 1
        if a.result:
            row["answered"] += 1
        if a.result == Result.NOT_APPLICABLE:
            continue
        row["max"] += a.item.score
        if a.result == Result.COMPLIANT:
            row["score"] += a.item.score
    out = [rows[k] for k in sorted(rows)]
    for row in out:
        row["percent"] = round(100 * row["score"] / row["max"]) if row["max"] else None
    return out


@service
def complete_run(actor: Any, run: Run, *, summary: str = "") -> Run:
    """Complete the inspection: every item answered (evidence where required, a finding for
    every non-compliant item); the scores are fixed. *Requires* ``complete``. *Audits*
    RUN_COMPLETED with the score."""
    run, move = _run_move(actor, run, "complete")
    gaps = completion_gaps(run)
    if gaps:
        raise ValidationFailed(
            _("The inspection cannot be completed yet: %(gaps)s.") % {"gaps": "；".join(gaps)},
            fields={"gaps": gaps},
        )
    rows = area_scores(run)
    run.score, run.max_score = (
        sum((r["score"] for r in rows), Decimal(0)),
        sum((r["max"] for r in rows), Decimal(0)),
    )
    run.status, run.summary = move.next_state, summary.strip()
    run.completed_at, run.completed_by = timezone.now(), actor
    run.save(update_fields=["score", "max_score", "status", "summary", "completed_at", "completed_by"])
    record(actor, move.event, run, details={"score": run.score, "max_score": run.max_score,
                                            "findings": run.findings.count()})  # fmt: skip
    return run


@service
def cancel_run(actor: Any, run: Run, *, reason: str) -> Run:
    """Cancel an open inspection with a reason. *Requires* ``cancel``. *Audits* RUN_CANCELLED."""
    run, move = _run_move(actor, run, "cancel")
    run.status, run.summary = move.next_state, _text(reason, "reason", _("Give the reason."))
    run.save(update_fields=["status", "summary"])
    record(actor, move.event, run, details={"reason": run.summary})
    return run


# --- rectification (整改, SUP-1) -------------------------------------------------------------------


def _default_owner(finding: Finding) -> Any:
    department = finding.department
    if department is None or department.head_id is None:
        message = _("Choose the owner: the finding names no department with a head.")
        raise ValidationFailed(message, fields={"owner": [str(message)]})
    return department.head


@service
def assign_task(
    actor: Any, finding: Finding, *, deadline: date, measures: str, owner: Any = None
) -> RectificationTask:
    """Open a rectification task for a finding: measures, deadline and owner — by default the
    head of the finding's department (SUP-1). *Requires* ``manage`` on the finding. *Audits*
    TASK_ASSIGNED."""
    finding = _locked(finding)
    require(actor, "view", finding)
    move = next_move(lifecycle.FINDING_TRANSITIONS, finding.status, "assign_task")
    require(actor, move.action, finding)
    owner = owner or _default_owner(finding)
    if not owner.is_active:
        raise ValidationFailed(_("This account is disabled."), fields={"owner": ["inactive"]})
    if deadline < timezone.localdate():
        raise ValidationFailed(_("The deadline lies in the past."), fields={"deadline": ["past"]})
    task = RectificationTask(finding=finding, owner=owner, deadline=deadline, created_by=actor,
                             measures=_text(measures, "measures", _("Say what must be done.")))  # fmt: skip
    task.save()
    if finding.status != move.next_state:
        finding.status = move.next_state
        finding.save(update_fields=["status"])
    record(actor, move.event, task, details={"finding": finding.pk, "owner": owner.pk, "deadline": deadline})
    return task


@internal
def open_register_finding(actor: Any, *, origin: str, origin_id: int, label: str, url: str, description: str,
                          department: Any, place: str, owner: Any, deadline: date, measures: str) -> RectificationTask:  # fmt: skip
    """A register's own periodic check found a problem (a key place's check, SUP-5; a device's,
    SUP-6): record it as a finding of the loop that names the check, and assign its
    rectification task to ``owner`` — or, without one, the head of ``department`` — by
    ``deadline`` (SUP-1 整改). From here the loop's reminders, overdue marks, submission and
    verification apply; the checker (``actor``) verifies like an inspector.

    Runs inside the register's service transaction, which has checked that ``actor`` may record
    the check (``baomi.kit.rectification``: the receiver in ``inspections/signals.py`` calls
    it). *Audits* FINDING_RECORDED and TASK_ASSIGNED."""
    finding = Finding(run=None, origin=origin, origin_id=origin_id, origin_label=label[:200], origin_url=url,
                      department=department, place=(place or "")[:200], severity=Severity.GENERAL,
                      recorded_by=actor, description=_text(description, "findings", _("Describe the problem.")))  # fmt: skip
    owner = owner or _default_owner(finding)
    if not owner.is_active:
        raise ValidationFailed(_("This account is disabled."), fields={"owner": ["inactive"]})
    finding.save()
    record(actor, InspectionEvent.FINDING_RECORDED, finding,
           details={"origin": origin, "origin_id": origin_id, "severity": finding.severity})  # fmt: skip
    move = next_move(lifecycle.FINDING_TRANSITIONS, finding.status, "assign_task")
    task = RectificationTask(finding=finding, owner=owner, deadline=deadline, created_by=actor,
                             measures=_text(measures, "findings", _("Say what must be done.")))  # fmt: skip
    task.save()
    finding.status = move.next_state
    finding.save(update_fields=["status"])
    record(actor, move.event, task, details={"finding": finding.pk, "owner": owner.pk, "deadline": deadline,
                                             "origin": origin})  # fmt: skip
    return task


def _task_move(actor: Any, task: RectificationTask, action: str) -> tuple[RectificationTask, Move]:
    task = (
        RectificationTask.objects.select_for_update(of=("self",))  # a register's finding has no run
        .select_related("finding", "finding__run")
        .get(pk=task.pk)
    )
    require(actor, "view", task)
    move = next_move(lifecycle.TASK_TRANSITIONS, task.status, action)
    require(actor, move.action, task)
    return task, move


@service
def submit_task(actor: Any, task: RectificationTask, *, report: str,
                uploads: list[Any] | None = None) -> RectificationTask:  # fmt: skip
    """The owner reports what was done, with evidence files (vault), for verification.
    *Requires* ``submit`` (the owner). *Audits* TASK_SUBMITTED (and BLOB_STORED per file)."""
    task, move = _task_move(actor, task, "submit")
    task.report = _text(report, "report", _("Say what was done."))
    task.status, task.submitted_at = move.next_state, timezone.now()
    task.save(update_fields=["report", "status", "submitted_at"])
    files = _store(actor, uploads, task)
    if files:
        task.evidence.add(*files)
    record(actor, move.event, task, details={"evidence": len(files)})
    return task


@service
def verify_task(actor: Any, task: RectificationTask) -> RectificationTask:
    """The inspector verifies the rectification; when every task of the finding is verified the
    finding closes (SUP-1). *Requires* ``verify`` (never the owner). *Audits* TASK_VERIFIED (and
    FINDING_CLOSED)."""
    task, move = _task_move(actor, task, "verify")
    task.status, task.verified_by, task.verified_at = move.next_state, actor, timezone.now()
    task.save(update_fields=["status", "verified_by", "verified_at"])
    record(actor, move.event, task, details={"finding": task.finding_id})
    finding = _locked(task.finding)
    if not finding.tasks.exclude(status=TaskStatus.VERIFIED).exists():
        close = next_move(lifecycle.FINDING_TRANSITIONS, finding.status, "close")
        finding.status, finding.closed_at = close.next_state, timezone.now()
        finding.save(update_fields=["status", "closed_at"])
        record(actor, close.event, finding, details={"tasks": finding.tasks.count()})
        if finding.origin:  # a register's check: it moves on with the loop (kit.rectification)
            rectification.closed.send(sender=finding.origin, actor=actor, origin_id=finding.origin_id,
                                      finding=finding)  # fmt: skip
    return task


@service
def return_task(actor: Any, task: RectificationTask, *, reason: str) -> RectificationTask:
    """The inspector returns an insufficient rectification with the reason; the owner submits
    again. *Requires* ``verify``. *Audits* TASK_RETURNED."""
    task, move = _task_move(actor, task, "return")
    task.return_reason = _text(reason, "reason", _("Say why it is returned."))[:300]
    task.status = move.next_state
    task.save(update_fields=["return_reason", "status"])
    record(actor, move.event, task, details={"reason": task.return_reason})
    return task


@own_transaction
def raise_reminders(now: datetime | None = None) -> dict[str, int]:
    """The scheduler's daily reminders (OPS-2): open runs due within ``INSPECTION_REMINDER_DAYS``
    or overdue, and rectification tasks due within it or overdue — one audited reminder per
    object per day (``reminded_on``); the to-do itself is the dashboard, computed live."""
    from django.db import transaction

    today = timezone.localdate(now) if now else timezone.localdate()
    horizon = today + timedelta(days=settings.INSPECTION_REMINDER_DAYS)
    runs = tasks = 0
    due_runs = Run.objects.filter(status=RunStatus.OPEN, due_on__lte=horizon).exclude(reminded_on=today)
    for run in due_runs:
        with transaction.atomic():
            Run.objects.filter(pk=run.pk).update(reminded_on=today)
            record(None, InspectionEvent.INSPECTION_REMINDED, run,
                   details={"due_on": run.due_on, "overdue": run.due_on < today, "lead": run.lead_id})  # fmt: skip
        runs += 1
    open_states = [TaskStatus.ASSIGNED, TaskStatus.RETURNED]
    for task in RectificationTask.objects.filter(status__in=open_states, deadline__lte=horizon).exclude(
        reminded_on=today
    ):
        with transaction.atomic():
            RectificationTask.objects.filter(pk=task.pk).update(reminded_on=today)
            record(None, InspectionEvent.TASK_REMINDED, task,
                   details={"deadline": task.deadline, "overdue": task.deadline < today, "owner": task.owner_id})  # fmt: skip
        tasks += 1
    return {"runs": runs, "tasks": tasks}
