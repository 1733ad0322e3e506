"""Inspections UI (SUP-1, R-SITE-4): thin views — selectors read, services write, the policy decides."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baomi.access.policy import can, deny
from baomi.inspections import exports, forms, selectors, services
from baomi.inspections.choices import PlanKind, Result, RunStatus, TaskStatus, TemplateStatus
from baomi.kit.pages import error_text, page, run_service


def _need(request: HttpRequest, action: str) -> None:
    """Object-less screens: refuse like not found, audited (CAR-3)."""
    if not can(request.user, action):
        raise deny(request.user, action, ("inspections.screen", action, action))


def _post(request: HttpRequest, form_class: Any, call: Callable[[dict[str, Any]], Any], ok: str,
          **kwargs: Any) -> bool:  # fmt: skip
    form = form_class(request.POST, request.FILES, **kwargs) if form_class else None
    if form is not None and not form.is_valid():
        messages.error(request, error_text(form, labelled=True))
        return False
    return run_service(request, lambda: call(form.cleaned_data if form else {}), ok)


# --- runs ----------------------------------------------------------------------------------------


@page
def run_list(request: HttpRequest) -> HttpResponse:
    """Inspections the viewer may see (SUP-1), newest first, with their scores."""
    _need(request, "inspection_list")
    g = request.GET
    qs = selectors.runs(request.user, status=g.get("status", ""), kind=g.get("kind", ""))
    return render(request, "inspections/list.html", {
        "runs": qs[:300], "count": qs.count(), "f": g, "statuses": RunStatus.choices, "kinds": PlanKind.choices,
        "plans": selectors.plans(request.user, active=True)[:50], "officer": can(request.user, "manage_inspections"),
    })  # fmt: skip


@page
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The checklist of one inspection: answers, measured figures, findings, scores."""
    u = request.user
    run = selectors.get_run(u, pk)
    answer = can(u, "answer", run) and run.status == RunStatus.OPEN
    rows: list[dict[str, Any]] = []
    for a in selectors.answers_of(run):
        rows.append({"a": a, "links": selectors.exception_links(a),
                     "probe": selectors.probe_label(a.item.probe) if a.item.probe else ""})  # fmt: skip
    areas: list[dict[str, Any]] = []
    for row in rows:
        area = row["a"].item.area
        if not areas or areas[-1]["area"].pk != area.pk:
            areas.append({"area": area, "rows": []})
        areas[-1]["rows"].append(row)
    scores = services.area_scores(run)
    return render(request, "inspections/run.html", {
        "run": run, "areas": areas, "scores": scores, "answer": answer,
        "total": sum(s["score"] for s in scores), "total_max": sum(s["max"] for s in scores),
        "complete": can(u, "complete", run) and run.status == RunStatus.OPEN,
        "cancel": can(u, "cancel", run) and run.status == RunStatus.OPEN,
        "findings": selectors.findings(u, run=run).prefetch_related("tasks"),
        "gaps": services.completion_gaps(run) if run.status == RunStatus.OPEN else [],
        "finding_form": forms.FindingForm(run=run, auto_id="finding_%s"), "complete_form": forms.CompleteForm(),
        "cancel_form": forms.CancelForm(auto_id="cancel_%s"), "results": Result.choices,
    })  # fmt: skip


@page
@require_POST
def run_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    u = request.user
    run = selectors.get_run(u, pk)
    table: dict[str, tuple[Any, Callable[[dict[str, Any]], Any], str, dict[str, Any]]] = {
        "measure": (None, lambda d: services.measure_run(u, run), _("The measured checks were computed again."), {}),
        "finding": (forms.FindingForm, lambda d: services.record_finding(u, run, **d), _("The finding was recorded."),
                    {"run": run}),
        "complete": (forms.CompleteForm, lambda d: services.complete_run(u, run, **d),
                     _("The inspection was completed."), {}),
        "cancel": (forms.CancelForm, lambda d: services.cancel_run(u, run, **d), _("The inspection was cancelled."),
                   {}),
    }  # fmt: skip
    if action not in table:
        raise Http404
    form_class, call, ok, kwargs = table[action]
    _post(request, form_class, call, ok, **kwargs)
    return redirect("inspections:run", pk=pk)


@page
@require_POST
def answer_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Answer an item, or confirm / override its measured answer (SUP-1)."""
    u = request.user
    answer = selectors.get_answer(u, pk)
    table: dict[str, tuple[Any, Callable[[dict[str, Any]], Any], str]] = {
        "answer": (forms.AnswerForm, lambda d: services.answer_item(
            u, answer, result=d["result"], note=d["note"], uploads=[d["evidence"]] if d.get("evidence") else []),
            _("The answer was recorded.")),
        "confirm": (forms.ConfirmForm, lambda d: services.confirm_measured(u, answer, note=d["note"]),
                    _("The measured answer was confirmed.")),
        "override": (forms.OverrideForm, lambda d: services.override_measured(u, answer, **d),
                     _("The measured answer was overridden.")),
    }  # fmt: skip
    if action not in table:
        raise Http404
    form_class, call, ok = table[action]
    _post(request, form_class, call, ok)
    return redirect(f"{_run_url(answer.run_id)}#item-{answer.pk}")


def _run_url(pk: int) -> str:
    from django.urls import reverse

    return reverse("inspections:run", args=[pk])


@page
def run_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The checklist and results as xlsx, or the report as PDF (GB/T 9704 layout); audited."""
    run = selectors.get_run(request.user, pk, "export")
    if fmt not in ("xlsx", "pdf"):
        raise Http404
    data, name, mime = exports.export_run(request.user, run, fmt)
    response = HttpResponse(data, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@page
def evidence(request: HttpRequest, kind: str, pk: int, blob: str) -> Any:
    """Download an evidence file (decrypted for someone who may see it; the vault audits)."""
    if kind not in ("answer", "task"):
        raise Http404
    obj, reader = selectors.open_evidence(request.user, kind, pk, blob)
    response = StreamingHttpResponse(reader, content_type=obj.content_type or "application/octet-stream")
    response["Content-Disposition"] = "attachment"
    return response


# --- findings and rectification ------------------------------------------------------------------


@page
def finding_detail(request: HttpRequest, pk: int) -> HttpResponse:
    u = request.user
    finding = selectors.get_finding(u, pk)
    return render(request, "inspections/finding.html", {
        "finding": finding, "tasks": selectors.tasks_of(u, finding), "manage": can(u, "manage", finding),
        "form": forms.TaskForm(), "today": timezone.localdate(),
    })  # fmt: skip


@page
@require_POST
def finding_assign(request: HttpRequest, pk: int) -> HttpResponse:
    u = request.user
    finding = selectors.get_finding(u, pk)
    _post(
        request, forms.TaskForm, lambda d: services.assign_task(u, finding, **d), _("The task was assigned.")
    )
    return redirect("inspections:finding", pk=pk)


@page
def task_list(request: HttpRequest) -> HttpResponse:
    """The rectification list (整改台账): filters, overdue, xlsx export."""
    _need(request, "rectification_list")
    g = request.GET
    qs = selectors.tasks(request.user, status=g.get("status", ""), overdue=bool(g.get("overdue")),
                         mine=bool(g.get("mine")))  # fmt: skip
    if g.get("export") == "xlsx":
        data, name, mime = exports.export_tasks(request.user, qs)
        response = HttpResponse(data, content_type=mime)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(request, "inspections/tasks.html", {
        "tasks": qs[:500], "count": qs.count(), "f": g, "statuses": TaskStatus.choices, "today": timezone.localdate(),
    })  # fmt: skip


@page
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    u = request.user
    task = selectors.get_task(u, pk)
    return render(request, "inspections/task.html", {
        "task": task, "submit": can(u, "submit", task), "verify": can(u, "verify", task),
        "submit_form": forms.SubmitForm(), "return_form": forms.ReturnForm(), "today": timezone.localdate(),
    })  # fmt: skip


@page
@require_POST
def task_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    u = request.user
    task = selectors.get_task(u, pk)
    table: dict[str, tuple[Any, Callable[[dict[str, Any]], Any], str]] = {
        "submit": (forms.SubmitForm, lambda d: services.submit_task(
            u, task, report=d["report"], uploads=[d["evidence"]] if d.get("evidence") else []),
            _("The rectification was submitted for verification.")),
        "verify": (None, lambda d: services.verify_task(u, task), _("The rectification was verified.")),
        "return": (forms.ReturnForm, lambda d: services.return_task(u, task, **d), _("The rectification was returned.")),
    }  # fmt: skip
    if action not in table:
        raise Http404
    form_class, call, ok = table[action]
    _post(request, form_class, call, ok)
    return redirect("inspections:task", pk=pk)


# --- checklists and plans ------------------------------------------------------------------------


@page
def template_list(request: HttpRequest) -> HttpResponse:
    """Checklists (every version) and plans, for the security office (SUP-1)."""
    _need(request, "manage_inspections")
    return render(request, "inspections/templates.html", {
        "templates": selectors.templates(request.user), "plans": selectors.plans(request.user),
    })  # fmt: skip


@page
def template_detail(request: HttpRequest, pk: int) -> HttpResponse:
    u = request.user
    template = selectors.get_template(u, pk)
    manage = can(u, "manage", template)
    editable = manage and template.status == TemplateStatus.DRAFT
    return render(request, "inspections/template.html", {
        "template": template, "areas": selectors.areas_of(template), "manage": manage, "editable": editable,
        "probes": dict(selectors.probe_choices()), "area_form": forms.AreaForm(auto_id="area_%s"),
        "item_form": forms.ItemForm(auto_id="item_%s"), "copy_form": forms.CopyForm(auto_id="copy_%s"),
    })  # fmt: skip


@page
@require_POST
def template_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    u = request.user
    template = selectors.get_template(u, pk)
    result: dict[str, Any] = {}

    def keep(obj: Any) -> Any:
        result["obj"] = obj
        return obj

    table: dict[str, tuple[Any, Callable[[dict[str, Any]], Any], str]] = {
        "version": (None, lambda d: keep(services.copy_template(u, template, new_version=True)),
                    _("A new draft version was started.")),
        "copy": (forms.CopyForm, lambda d: keep(services.copy_template(u, template, name=d["name"], new_version=False)),
                 _("The checklist was copied.")),
        "publish": (None, lambda d: services.publish_template(u, template), _("The checklist was published.")),
        "retire": (None, lambda d: services.retire_template(u, template), _("The checklist was retired.")),
        "area": (forms.AreaForm, lambda d: services.add_area(u, template, **d), _("The area was added.")),
    }  # fmt: skip
    if action not in table:
        raise Http404
    form_class, call, ok = table[action]
    _post(request, form_class, call, ok)
    return redirect("inspections:template", pk=result["obj"].pk if "obj" in result else pk)


@page
@require_POST
def area_item(request: HttpRequest, pk: int) -> HttpResponse:
    u = request.user
    area = selectors.get_area(u, pk)
    _post(request, forms.ItemForm, lambda d: services.add_item(u, area, **d), _("The check item was added."))
    return redirect("inspections:template", pk=area.template_id)


@page
@require_POST
def item_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    u = request.user
    item = selectors.get_item(u, pk)
    template_id = item.area.template_id
    if action == "edit":
        _post(
            request,
            forms.ItemForm,
            lambda d: services.edit_item(u, item, **d),
            _("The check item was changed."),
        )
    elif action == "remove":
        _post(request, None, lambda d: services.remove_item(u, item), _("The check item was removed."))
    else:
        raise Http404
    return redirect("inspections:template", pk=template_id)


@page
def plan_new(request: HttpRequest) -> HttpResponse:
    _need(request, "manage_inspections")
    u = request.user
    initial = {"template": selectors.default_template()}
    form = forms.PlanForm(request.POST or None, viewer=u, initial=initial)
    if request.method == "POST" and form.is_valid():
        result: dict[str, Any] = {}

        def call() -> None:
            result["plan"] = services.create_plan(u, **form.cleaned_data)

        if run_service(request, call, _("The plan was created.")):
            return redirect("inspections:plan", pk=result["plan"].pk)
    return render(request, "inspections/plan_new.html", {"form": form})


@page
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    u = request.user
    plan = selectors.get_plan(u, pk)
    return render(request, "inspections/plan.html", {
        "plan": plan, "runs": selectors.runs(u, plan=plan), "manage": can(u, "manage", plan),
    })  # fmt: skip


@page
@require_POST
def plan_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    u = request.user
    plan = selectors.get_plan(u, pk)
    if action == "open":
        _post(
            request,
            None,
            lambda d: services.open_plan_runs(u, plan),
            _("The inspections of this cycle were opened."),
        )
    elif action == "end":
        _post(request, None, lambda d: services.end_plan(u, plan), _("The plan was ended."))
    else:
        raise Http404
    return redirect("inspections:plan", pk=pk)
