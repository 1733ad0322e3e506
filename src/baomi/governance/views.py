"""Governance UI (ORG-2, SUP-9..11): thin views — selectors read, services write, the policy decides."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baomi.access.policy import can, deny
from baomi.governance import forms, selectors, services
from baomi.governance.choices import Body
from baomi.kit.pages import error_text, page, run_service


def _need(request: HttpRequest, action: str) -> None:
    """Object-less screens: refuse like not found, audited (CAR-3)."""
    if not can(request.user, action):
        raise deny(request.user, action, ("governance.screen", action, action))


def _post(request: HttpRequest, form: Any, call: Callable[[dict[str, Any]], Any], ok: str) -> bool:
    """Validate ``form``; call the service; flash the result. True when it succeeded."""
    if not form.is_valid():
        messages.error(request, error_text(form, labelled=True))
        return False
    return run_service(request, lambda: call(form.cleaned_data), ok)


def _year(request: HttpRequest) -> int:
    value = request.GET.get("year", "")
    year = int(value) if value.isdigit() else timezone.localdate().year
    return year if 2000 <= year <= 9999 else timezone.localdate().year


# --- overview ---------------------------------------------------------------------------------------


@page
def overview(request: HttpRequest) -> HttpResponse:
    """The regime at a glance: the bodies, this year's statements, reviews and drills due."""
    _need(request, "governance")
    u, today = request.user, timezone.localdate()
    ctx: dict[str, Any] = {
        "leading_group": selectors.members(u, body=Body.LEADING_GROUP),
        "office": selectors.members(u, body=Body.SECURITY_OFFICE), "today": today,
        "regulations_due": selectors.regulations(u).filter(next_review_on__lt=today),
        "plans_due": selectors.plans(u).filter(next_drill_on__lt=today),
        "events": selectors.events(u, year=today.year)[:10],
        "figures": {"statements": selectors.statement_figures(today),
                    "regulations": selectors.regulation_review_figures(today), "drills": selectors.drill_figures(today)},
    }  # fmt: skip
    if can(u, "statements_list"):
        ctx["missing"] = [row for row in selectors.statement_board(u, today.year)
                          if not (row["statement"] and row["statement"].signed)]  # fmt: skip
    return render(request, "governance/overview.html", ctx)


# --- the bodies ----------------------------------------------------------------------------------------


@page
def members(request: HttpRequest) -> HttpResponse:
    _need(request, "governance")
    u = request.user
    form = forms.AppointForm(request.POST or None)
    if request.method == "POST":
        _need(request, "manage_governance")
        if _post(request, form, lambda d: services.appoint_member(u, **d), _("The member was appointed.")):
            return redirect("governance:members")
    return render(request, "governance/members.html", {
        "bodies": [(value, label, selectors.members(u, body=value), selectors.members(u, body=value, current=False))
                   for value, label in Body.choices],
        "form": form, "manage": can(u, "manage_governance"),
        "change_form": forms.ChangeMemberForm(), "end_form": forms.EndMemberForm(),
    })  # fmt: skip


@page
@require_POST
def member_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    m = selectors.membership_for(request.user, pk, "manage")
    u = request.user
    if action == "change":
        _post(request, forms.ChangeMemberForm(request.POST), lambda d: services.change_member(u, m, **d),
              _("The change was recorded."))  # fmt: skip
    elif action == "end":
        _post(request, forms.EndMemberForm(request.POST), lambda d: services.end_membership(u, m, **d),
              _("The member left the body."))  # fmt: skip
    else:
        raise Http404
    return redirect("governance:members")


# --- responsibility statements ------------------------------------------------------------------


@page
def statements(request: HttpRequest) -> HttpResponse:
    """This year's statements per department; those without a signed one stand out (ORG-2)."""
    _need(request, "statements_list")
    u, year = request.user, _year(request)
    form = forms.StatementForm(request.POST or None, initial={"year": year})
    if request.method == "POST":
        _need(request, "manage_governance")
        if _post(request, form, lambda d: services.issue_statement(u, **d), _("The statement was issued.")):
            return redirect(f"{request.path}?year={form.cleaned_data['year']}")
    return render(request, "governance/statements.html", {
        "board": selectors.statement_board(u, year), "year": year, "form": form,
        "manage": can(u, "manage_governance"), "years": range(timezone.localdate().year + 1, timezone.localdate().year - 5, -1),
    })  # fmt: skip


@page
def statement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    st = selectors.statement_for(request.user, pk)
    return render(request, "governance/statement.html", {
        "st": st, "manage": can(request.user, "manage", st),
        "dept_form": forms.SignDepartmentForm(), "unit_form": forms.SignUnitForm(),
    })  # fmt: skip


@page
@require_POST
def statement_sign(request: HttpRequest, pk: int, side: str) -> HttpResponse:
    st = selectors.statement_for(request.user, pk, "manage")
    u = request.user
    if side == "department":
        _post(request, forms.SignDepartmentForm(request.POST), lambda d: services.record_statement_signature(
            u, st, side="department", **d), _("The signature was recorded."))  # fmt: skip
    elif side == "unit":
        _post(request, forms.SignUnitForm(request.POST), lambda d: services.record_statement_signature(
            u, st, side="unit", **d), _("The signature was recorded."))  # fmt: skip
    else:
        raise Http404
    return redirect("governance:statement", pk=pk)


# --- regulations ---------------------------------------------------------------------------------------


@page
def regulations(request: HttpRequest) -> HttpResponse:
    _need(request, "governance")
    u = request.user
    form = forms.RegulationForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        _need(request, "manage_governance")
        result: dict[str, Any] = {}

        def call(d: dict[str, Any]) -> None:
            result["r"] = services.create_regulation(u, **d)

        if _post(request, form, call, _("The regulation was recorded.")):
            return redirect("governance:regulation", pk=result["r"].pk)
    status = request.GET.get("status", "effective")
    return render(request, "governance/regulations.html", {
        "regulations": selectors.regulations(u, status=status if status in ("effective", "repealed") else ""),
        "form": form, "manage": can(u, "manage_governance"), "status": status, "today": timezone.localdate(),
        "load_form": forms.LoadTemplatesForm(),
    })  # fmt: skip


@page
@require_POST
def load_templates(request: HttpRequest) -> HttpResponse:
    _need(request, "manage_governance")
    _post(request, forms.LoadTemplatesForm(request.POST), lambda d: services.load_template_regulations(
        request.user, approved_by=d["approved_by"]), _("The regulation templates were loaded."))  # fmt: skip
    return redirect("governance:regulations")


@page
def regulation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    reg = selectors.regulation_for(request.user, pk)
    return render(request, "governance/regulation.html", {
        "reg": reg, "current": selectors.current_version(reg), "versions": selectors.versions(reg),
        "reviews": reg.reviews.select_related("reviewed_by"), "manage": can(request.user, "manage", reg),
        "revise_form": forms.ReviseForm(), "review_form": forms.ReviewForm(), "repeal_form": forms.ReasonForm(),
        "today": timezone.localdate(),
    })  # fmt: skip


@page
@require_POST
def regulation_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    reg = selectors.regulation_for(request.user, pk, "manage")
    u = request.user
    table: dict[str, tuple[Any, Callable[[dict[str, Any]], Any], str]] = {
        "revise": (forms.ReviseForm, lambda d: services.revise_regulation(u, reg, **d), _("The new version was recorded.")),
        "review": (forms.ReviewForm, lambda d: services.review_regulation(u, reg, **d), _("The periodic review was recorded.")),
        "repeal": (forms.ReasonForm, lambda d: services.repeal_regulation(u, reg, reason=d["reason"]),
                   _("The regulation was repealed.")),
    }  # fmt: skip
    if action not in table:
        raise Http404
    form_class, call, ok = table[action]
    _post(request, form_class(request.POST, request.FILES), call, ok)
    return redirect("governance:regulation", pk=pk)


@page
def version_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """A regulation version's file, decrypted by the vault and audited."""
    from baomi.vault import services as vault

    version = selectors.version_for(request.user, pk)
    if version.blob is None:
        raise Http404
    reader = vault.open_stream(request.user, version.blob, target=version.regulation)
    return FileResponse(reader, as_attachment=True, filename=version.filename or "regulation",
                        content_type=version.blob.content_type or "application/octet-stream")  # fmt: skip


# --- emergency plans -----------------------------------------------------------------------------------


@page
def plans(request: HttpRequest) -> HttpResponse:
    _need(request, "governance")
    u = request.user
    form = forms.PlanForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        _need(request, "manage_governance")
        result: dict[str, Any] = {}

        def call(d: dict[str, Any]) -> None:
            result["p"] = services.create_plan(u, **d)

        if _post(request, form, call, _("The emergency plan was recorded.")):
            return redirect("governance:plan", pk=result["p"].pk)
    return render(request, "governance/plans.html", {
        "plans": selectors.plans(u, active_only=False), "form": form, "manage": can(u, "manage_governance"),
        "today": timezone.localdate(),
    })  # fmt: skip


@page
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    p = selectors.plan_for(request.user, pk)
    return render(request, "governance/plan.html", {
        "plan": p, "versions": p.versions.select_related("approved_by"), "drills": selectors.drills(request.user, p),
        "manage": can(request.user, "manage", p), "drill_form": forms.DrillForm(), "revise_form": forms.PlanReviseForm(),
        "retire_form": forms.ReasonForm(), "today": timezone.localdate(),
    })  # fmt: skip


@page
@require_POST
def plan_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    p = selectors.plan_for(request.user, pk, "manage")
    u = request.user
    table: dict[str, tuple[Any, Callable[[dict[str, Any]], Any], str]] = {
        "drill": (forms.DrillForm, lambda d: services.record_drill(u, p, **d), _("The drill was recorded.")),
        "revise": (forms.PlanReviseForm, lambda d: services.revise_plan(u, p, **d), _("The new version was recorded.")),
        "retire": (forms.ReasonForm, lambda d: services.retire_plan(u, p, reason=d["reason"]), _("The plan was retired.")),
    }  # fmt: skip
    if action not in table:
        raise Http404
    form_class, call, ok = table[action]
    _post(request, form_class(request.POST, request.FILES), call, ok)
    return redirect("governance:plan", pk=pk)


# --- publicity and education ---------------------------------------------------------------------------


@page
def education(request: HttpRequest) -> HttpResponse:
    """Campaigns and events of the year (SUP-11)."""
    _need(request, "governance")
    u, year = request.user, _year(request)
    campaign_form = forms.CampaignForm(request.POST if request.POST.get("form") == "campaign" else None)
    event_form = forms.EventForm(request.POST if request.POST.get("form") == "event" else None, viewer=u)
    if request.method == "POST":
        _need(request, "manage_governance")
        if request.POST.get("form") == "campaign":
            if _post(
                request,
                campaign_form,
                lambda d: services.create_campaign(u, **d),
                _("The campaign was recorded."),
            ):
                return redirect("governance:education")
        elif _post(
            request, event_form, lambda d: services.record_event(u, **d), _("The event was recorded.")
        ):
            return redirect("governance:education")
    return render(request, "governance/education.html", {
        "campaigns": selectors.campaigns(u), "events": selectors.events(u, year=year), "year": year,
        "campaign_form": campaign_form, "event_form": event_form, "manage": can(u, "manage_governance"),
        "material_form": forms.MaterialForm(),
    })  # fmt: skip


@page
@require_POST
def material_add(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_for(request.user, pk, "manage")
    _post(request, forms.MaterialForm(request.POST, request.FILES), lambda d: services.add_material(
        request.user, campaign, **d), _("The material was added."))  # fmt: skip
    return redirect("governance:education")


@page
def material_file(request: HttpRequest, pk: int, material: int) -> HttpResponseBase:
    from baomi.vault import services as vault

    campaign = selectors.campaign_for(request.user, pk)
    found = campaign.materials.filter(pk=material).first()
    if found is None:
        raise Http404
    reader = vault.open_stream(request.user, found.blob, target=campaign)
    return FileResponse(reader, as_attachment=True, filename=found.filename,
                        content_type=found.content_type or "application/octet-stream")  # fmt: skip


@page
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = selectors.event_for(request.user, pk)
    form = forms.AttendanceForm(request.POST or None)
    if request.method == "POST":
        if not can(request.user, "manage", event):
            raise deny(request.user, "manage", event)
        if _post(request, form, lambda d: services.record_event_attendance(request.user, event, d["user"],
                                                                           score=d["score"]),
                 _("The attendance was recorded.")):  # fmt: skip
            return redirect("governance:event", pk=pk)
    return render(request, "governance/event.html", {
        "event": event, "attendances": event.attendances.select_related("user", "user__department"), "form": form,
        "manage": can(request.user, "manage", event),
    })  # fmt: skip
