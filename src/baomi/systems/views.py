"""Information systems UI (SUP-7): the register, a system's page with its evaluation, approval,
risk assessments, patches and drills."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from baomi.access.policy import can
from baomi.registers.pages import (
    Action,
    action_panels,
    cell,
    filter_spec,
    handle_action,
    link_if,
    list_page,
    need,
    page,
    person,
    submit,
)
from baomi.systems import forms, selectors, services
from baomi.systems.choices import SystemKind, SystemStatus

BADGE = {SystemStatus.LIVE: "ok", SystemStatus.PLANNING: "warn", SystemStatus.EVALUATED: "warn",
         SystemStatus.APPROVED: "warn", SystemStatus.RETIRED: ""}  # fmt: skip


def _status(s: Any) -> Any:
    return cell(s.get_status_display(), badge=BADGE.get(s.status, ""))


def _due(s: Any) -> Any:
    day = s.next_assessment_on
    if day is None:
        return cell(None)
    today = timezone.localdate()
    return cell(day, badge="bad" if day < today else ("warn" if (day - today).days <= 30 else ""))


def _subnav() -> list[tuple[str, str, str]]:
    return [("systems", _("Information systems"), reverse("systems:list")),
            ("due", _("Risk assessments due"), reverse("systems:due"))]  # fmt: skip


def _export(request: HttpRequest, register: str) -> Any:
    def call(*, title: str, headers: list[str], rows: list[list[Any]]) -> bytes:
        return services.export_register(
            request.user, title=title, headers=headers, rows=rows, register=register
        )

    return call


HEADERS = [gettext_lazy("Code"), gettext_lazy("Name"), gettext_lazy("Kind"), gettext_lazy("Grade"),
           gettext_lazy("Department"), gettext_lazy("Machine room"), gettext_lazy("System administrator"),
           gettext_lazy("Status"), gettext_lazy("Next risk assessment due")]  # fmt: skip


def _rows(request: HttpRequest, qs: Any) -> list[list[Any]]:
    u = request.user
    return [[link_if(u, s, "systems:system", s.code), link_if(u, s, "systems:system"), s.get_kind_display(),
             s.get_grade_display(), s.department.name, link_if(u, s.place, "sites:place"), person(s.system_admin),
             _status(s), _due(s)] for s in qs[:500]]  # fmt: skip


@page
def system_list(request: HttpRequest) -> HttpResponse:
    need(request, "systems_browse")
    g = request.GET
    qs = selectors.systems(
        request.user, q=g.get("q", "").strip(), kind=g.get("kind", ""), status=g.get("status", "")
    )
    new = [(_("Register a system"), reverse("systems:new"))] if can(request.user, "systems_manage") else []
    return list_page(request, title=_("Information systems"), headers=HEADERS, rows=_rows(request, qs),
                     count=qs.count(), export=_export(request, "systems"), filename="systems.xlsx",
                     search=_("Name or code"),
                     filters=[filter_spec("kind", _("Kind"), SystemKind.choices, g.get("kind", "")),
                              filter_spec("status", _("Status"), SystemStatus.choices, g.get("status", ""))],
                     new_links=new, subnav=_subnav(), sub="systems")  # fmt: skip


@page
def due(request: HttpRequest) -> HttpResponse:
    """Risk assessments due within the lead time or overdue (R-SYS-3)."""
    need(request, "systems_browse")
    qs = selectors.assessments_due(request.user).order_by("next_assessment_on")
    return list_page(request, title=_("Risk assessments due"), headers=HEADERS, rows=_rows(request, qs),
                     count=qs.count(), export=_export(request, "due"), filename="assessments-due.xlsx",
                     subnav=_subnav(), sub="due")  # fmt: skip


@page
def system_new(request: HttpRequest) -> HttpResponse:
    need(request, "systems_manage")
    form = forms.SystemForm(request.POST or None, viewer=request.user)
    system = submit(request, form, lambda d: services.register_system(request.user, **d),
                    _("The system was registered."))  # fmt: skip
    if system:
        return redirect("systems:system", pk=system.pk)
    return render(request, "registers/form.html", {"title": _("Register a system"), "form": form,
                  "back": reverse("systems:list"), "subnav": _subnav(), "sub": "systems"})  # fmt: skip


def _edit_initial(s: Any) -> dict[str, Any]:
    return {"grade": s.grade, "place": s.place_id, "isolation": s.isolation, "users_scope": s.users_scope,
            "user_count": s.user_count, "system_admin": s.system_admin_id, "security_admin": s.security_admin_id,
            "auditor": s.auditor_id, "devices": list(s.devices.values_list("pk", flat=True)), "note": s.note}  # fmt: skip


ACTIONS = [
    Action("review", gettext_lazy("Record testing and evaluation or approval"), "manage",
           lambda u, s, d: services.record_review(u, s, **d), pgettext_lazy("registers", "The review was recorded."),
           form=forms.ReviewForm, button=gettext_lazy("Record"),
           when=lambda s: s.kind == SystemKind.CLASSIFIED and s.status in (SystemStatus.PLANNING, SystemStatus.EVALUATED)),
    Action("go-live", gettext_lazy("Put into operation"), "manage", lambda u, s, d: services.go_live(u, s, **d),
           gettext_lazy("The system is in operation."), form=forms.LiveForm, button=gettext_lazy("Put into operation"),
           when=lambda s: s.status in (SystemStatus.APPROVED, SystemStatus.PLANNING)),
    Action("assess", gettext_lazy("Record a risk assessment"), "assess",
           lambda u, s, d: services.record_assessment(u, s, **d), gettext_lazy("The assessment was recorded."),
           form=forms.AssessmentForm, button=gettext_lazy("Record"), when=lambda s: s.status != SystemStatus.RETIRED),
    Action("patch", gettext_lazy("Record a patch"), "maintain", lambda u, s, d: services.record_patch(u, s, **d),
           gettext_lazy("The patch was recorded."), form=forms.PatchForm, button=gettext_lazy("Record"),
           when=lambda s: s.status == SystemStatus.LIVE),
    Action("drill", gettext_lazy("Record a disaster-recovery drill"), "maintain",
           lambda u, s, d: services.record_drill(u, s, **d), gettext_lazy("The drill was recorded."),
           form=forms.DrillForm, button=gettext_lazy("Record"), when=lambda s: s.status == SystemStatus.LIVE),
    Action("edit", gettext_lazy("Change the system"), "manage", lambda u, s, d: services.change_system(u, s, **d),
           gettext_lazy("The system was changed."), form=forms.SystemForm, button=gettext_lazy("Save"),
           note=gettext_lazy("A change of grade, user scope or environment makes a new risk assessment due (R-SYS-3)."),
           form_kwargs=lambda u, s: {"viewer": u, "edit": True}, initial=_edit_initial,
           when=lambda s: s.status != SystemStatus.RETIRED),
    Action("retire", gettext_lazy("Retire"), "manage", lambda u, s, d: services.retire_system(u, s, **d),
           gettext_lazy("The system was retired."), form=forms.ReasonForm, button=gettext_lazy("Retire"), danger=True,
           when=lambda s: s.status == SystemStatus.LIVE),
]  # fmt: skip


@page
def system_detail(request: HttpRequest, pk: int) -> HttpResponse:
    s = selectors.get_system(request.user, pk)
    u = request.user
    held = selectors.highest_held(s)
    facts = [(_("Code"), cell(s.code)), (_("Kind"), cell(s.get_kind_display())), (_("Grade"), cell(s.get_grade_display())),
             (_("Highest level registered on it"), cell(held and _level(held))), (_("Department"), cell(s.department.name)),
             (_("Machine room"), link_if(u, s.place, "sites:place")), (_("Isolation measures"), cell(s.isolation)),
             (_("User scope"), cell(s.users_scope)), (_("Number of users"), cell(s.user_count)),
             (_("System administrator"), person(s.system_admin)), (_("Security officer of the system"),
             person(s.security_admin)), (_("Security auditor"), person(s.auditor)),
             (_("In operation since"), cell(s.live_on)), (_("Next risk assessment due"), _due(s))]  # fmt: skip
    warnings = []
    if s.reassess_since:
        warnings.append(_("Changed on %(day)s (level, users or environment): a new risk assessment is due (R-SYS-3).")
                        % {"day": s.reassess_since})  # fmt: skip
    if s.kind == SystemKind.CLASSIFIED and s.status in (SystemStatus.PLANNING, SystemStatus.EVALUATED):
        warnings.append(_("Not yet allowed to go live: testing and evaluation and the 保密局's approval come first "
                          "(R-SYS-2)."))  # fmt: skip
    sections = [
        {"title": _("Terminals and servers"), "headers": [_("Asset number"), _("Kind"), _("Level"), _("Custodian")],
         "rows": [[link_if(u, d, "devices:device", d.asset_number), d.get_kind_display(), d.get_level_display(),
                   person(d.custodian)] for d in s.devices.select_related("custodian")],
         "empty": _("No device registered on the system.")},
        {"title": _("Testing, evaluation and approval"), "headers": [_("Date"), _("Kind"), _("Body"), _("Reference"),
         _("Outcome")], "rows": [[cell(r.held_on), r.get_kind_display(), r.body, r.reference, r.get_outcome_display()]
                                 for r in selectors.reviews_of(u, s)], "empty": _("Nothing recorded.")},
        {"title": _("Risk assessments"), "headers": [_("Assessed on"), _("Reason"), _("Assessed by"), _("Outcome"),
         pgettext("registers", "Next due"), pgettext("registers", "Findings")], "rows": [[cell(a.assessed_on), a.get_reason_display(), a.assessor,
         a.get_outcome_display(), cell(a.next_due_on), cell(a.findings[:80])] for a in selectors.assessments_of(u, s)],
         "empty": _("No assessment recorded.")},
        {"title": _("Patches"), "headers": [_("Applied on"), _("Patch"), _("Description"), _("Outcome"), _("Applied by")],
         "rows": [[cell(p.applied_on), p.reference, cell(p.description), p.get_outcome_display(), person(p.applied_by)]
                  for p in selectors.patches_of(u, s)[:50]], "empty": _("No patch recorded.")},
        {"title": _("Disaster-recovery drills"), "headers": [_("Held on"), _("Scenario"), _("Outcome"),
         _("Recovery time (minutes)")], "rows": [[cell(d.held_on), d.scenario, d.get_outcome_display(),
         cell(d.recovery_minutes)] for d in selectors.drills_of(u, s)], "empty": _("No drill recorded.")},
    ]  # fmt: skip
    ctx = {"title": f"{s.name}（{s.code}）", "status": _status(s), "facts": facts, "sections": sections,
           "warnings": warnings, "subnav": _subnav(), "sub": "systems",
           **action_panels(request, s, ACTIONS, "systems:system-action")}  # fmt: skip
    return render(request, "registers/detail.html", ctx)


def _level(value: str) -> str:
    from baomi.core.levels import Level

    return str(Level(value).label)


@page
def system_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    s = selectors.get_system(request.user, pk)
    handle_action(request, s, ACTIONS, action)
    return redirect("systems:system", pk=s.pk)
