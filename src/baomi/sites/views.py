"""Key departments and places UI (SUP-5): thin views — selectors read, services write, the
policy decides. Pages render the shared register templates."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from baomi.access.policy import can
from baomi.registers.pages import (
    Action,
    action_view,
    cell,
    detail_page,
    filter_spec,
    link_if,
    list_page,
    need,
    page,
    person,
    submit,
    yes_no,
)
from baomi.sites import forms, selectors, services
from baomi.sites.choices import CabinetStatus, CheckStatus, PlaceKind, SiteStatus

STATUS_BADGE = {SiteStatus.CONFIRMED: "ok", SiteStatus.PROPOSED: "warn", SiteStatus.REVOKED: "",
                CheckStatus.PASSED: "ok", CheckStatus.RECTIFIED: "ok", CheckStatus.FINDINGS: "bad",
                CheckStatus.PLANNED: "warn", CabinetStatus.IN_USE: "ok", CabinetStatus.RETIRED: ""}  # fmt: skip


def _status(obj: Any) -> Any:
    return cell(obj.get_status_display(), badge=STATUS_BADGE.get(obj.status, ""))


def _subnav(request: HttpRequest) -> list[tuple[str, str, str]]:
    items = [("places", _("Key places"), reverse("sites:places")),
             ("departments", _("Key departments"), reverse("sites:departments")),
             ("cabinets", _("Cabinets"), reverse("sites:cabinets")),
             ("checks", _("Place checks"), reverse("sites:checks"))]  # fmt: skip
    return items


def _ctx(request: HttpRequest, sub: str, **extra: Any) -> dict[str, Any]:
    return {"subnav": _subnav(request), "sub": sub, **extra}


def _export(request: HttpRequest, register: str) -> Any:
    def call(*, title: str, headers: list[str], rows: list[list[Any]]) -> bytes:
        return services.export_register(
            request.user, title=title, headers=headers, rows=rows, register=register
        )

    return call


def _due(day: Any) -> Any:
    from django.utils import timezone

    if day is None:
        return cell(None)
    return cell(day, badge="bad" if day < timezone.localdate() else "")


# --- key places ------------------------------------------------------------------------------------


@page
def place_list(request: HttpRequest) -> HttpResponse:
    """Key places with level, responsible person, measures, cabinets and next check (SUP-5)."""
    need(request, "sites_browse")
    g = request.GET
    qs = selectors.places(request.user, q=g.get("q", "").strip(), status=g.get("status", ""),
                          kind=g.get("kind", ""), level=g.get("level", ""), department=g.get("department", ""))  # fmt: skip
    u = request.user
    rows = [[link_if(u, p, "sites:place", p.code), link_if(u, p, "sites:place"), p.get_kind_display(),
             p.department.name, p.get_level_display(), person(p.responsible), "、".join(p.measures()) or "—",
             getattr(p, "cabinet_count", 0), _status(p), _due(p.next_check_on)] for p in qs[:500]]  # fmt: skip
    headers = [_("Code"), _("Name"), _("Kind"), _("Department"), _("Highest level"), _("Responsible person"),
               _("Technical measures"), _("Cabinets"), _("Status"), _("Next check due")]  # fmt: skip
    filters = [filter_spec("status", _("Status"), SiteStatus.choices, g.get("status", "")),
               filter_spec("kind", _("Kind"), PlaceKind.choices, g.get("kind", "")),
               filter_spec("level", _("Highest level"), forms.LEVELS, g.get("level", ""))]  # fmt: skip
    new = [(_("Register a key place"), reverse("sites:place-new"))] if can(u, "sites_manage") else []
    return list_page(request, title=_("Key places"), headers=headers, rows=rows, count=qs.count(),
                     export=_export(request, "places"), filename="key-places.xlsx", filters=filters,
                     search=_("Name, code or location"), new_links=new, **_ctx(request, "places"))  # fmt: skip


@page
def place_new(request: HttpRequest) -> HttpResponse:
    need(request, "sites_manage")
    form = forms.PlaceForm(request.POST or None)
    place = submit(
        request,
        form,
        lambda d: services.register_place(request.user, **d),
        _("The key place was registered; it awaits the 保密局's confirmation."),
    )
    if place:
        return redirect("sites:place", pk=place.pk)
    return render(request, "registers/form.html", _ctx(request, "places", title=_("Register a key place"), form=form,
                                                        back=reverse("sites:places")))  # fmt: skip


def _place_edit_initial(p: Any) -> dict[str, Any]:
    return {"name": p.name, "kind": p.kind, "department": p.department_id, "level": p.level,
            "responsible": p.responsible_id, "location": p.location, "access_control": p.access_control,
            "cctv": p.cctv, "alarm": p.alarm, "shielding": p.shielding, "check_months": p.check_months,
            "note": p.note}  # fmt: skip


PLACE_ACTIONS = [
    Action("confirm", gettext_lazy("Record the 保密局's confirmation"), "manage",
           lambda u, p, d: services.confirm_place(u, p, **d), gettext_lazy("The confirmation was recorded."),
           form=forms.ConfirmForm, button=gettext_lazy("Confirm"), when=lambda p: p.status == SiteStatus.PROPOSED),
    Action("cabinet", gettext_lazy("Add a cabinet"), "manage",
           lambda u, p, d: services.add_cabinet(u, place=p, **d), gettext_lazy("The cabinet was added."),
           form=forms.CabinetForm, button=gettext_lazy("Add"), when=lambda p: p.status != SiteStatus.REVOKED),
    Action("plan-check", gettext_lazy("Plan a check"), "check",
           lambda u, p, d: services.plan_check(u, p, **d), gettext_lazy("The check was planned."),
           form=forms.PlanCheckForm, button=gettext_lazy("Plan"), when=lambda p: p.status != SiteStatus.REVOKED),
    Action("edit", gettext_lazy("Change the facts"), "manage",
           lambda u, p, d: services.update_place(u, p, **d), gettext_lazy("The key place was updated."),
           form=forms.PlaceForm, button=gettext_lazy("Save"), form_kwargs=lambda u, p: {"edit": True},
           initial=_place_edit_initial),
    Action("revoke", gettext_lazy("No longer a key place"), "manage",
           lambda u, p, d: services.revoke_place(u, p, **d), gettext_lazy("The key place was revoked."),
           form=forms.ReasonForm, button=pgettext_lazy("registers", "Revoke"), danger=True,
           when=lambda p: p.status != SiteStatus.REVOKED),
]  # fmt: skip


@page
def place_detail(request: HttpRequest, pk: int) -> HttpResponse:
    p = selectors.get_place(request.user, pk)
    u = request.user
    facts = [(_("Code"), cell(p.code)), (_("Kind"), cell(p.get_kind_display())),
             (_("Department"), cell(p.department.name)), (_("Highest level"), cell(p.get_level_display())),
             (_("Responsible person"), person(p.responsible)), (_("Location"), cell(p.location)),
             (_("Technical measures"), cell("、".join(p.measures()) or _("none"))),
             (_("Confirmed on"), cell(p.confirmed_on)), (_("Confirmation reference"), cell(p.confirmation_ref)),
             (_("Check every (months)"), cell(p.check_months)), (_("Next check due"), _due(p.next_check_on)),
             (_("Keeps 绝密 carriers"), yes_no(p.holds_top_secret())), (_("Note"), cell(p.note))]  # fmt: skip
    cabs = [[link_if(u, c, "sites:cabinet", c.number), link_if(u, c, "sites:cabinet"), person(c.custodian),
             c.get_level_display(), _status(c)] for c in selectors.cabinets(u, place=p)]  # fmt: skip
    chks = [[link_if(u, c, "sites:check", c.planned_on), cell(c.checked_on), person(c.checker), _status(c),
             cell(c.findings[:60])] for c in selectors.place_checks(u, place=p)[:50]]  # fmt: skip
    warnings = []
    if p.status == SiteStatus.PROPOSED:
        warnings.append(_("Not yet confirmed by the 保密局: no 绝密 carrier may be kept here (R-CAR-12)."))
    sections = [
        {"title": _("Cabinets"), "headers": [_("Number"), _("Name"), _("Custodian"), _("Highest level"), _("Status")],
         "rows": cabs, "empty": _("No cabinet registered.")},
        {"title": _("Checks"), "headers": [_("Planned for"), _("Checked on"), _("Checked by"), _("Status"),
                                            pgettext("registers", "Findings")], "rows": chks, "empty": _("No check recorded.")},
    ]  # fmt: skip
    ctx = _ctx(request, "places", title=f"{p.name}（{p.code}）", status=_status(p), facts=facts, sections=sections,
               warnings=warnings)  # fmt: skip
    return detail_page(request, p, actions=PLACE_ACTIONS, action_url="sites:place-action", **ctx)


place_action = action_view(selectors.get_place, PLACE_ACTIONS, "sites:place")


# --- key departments --------------------------------------------------------------------------------


@page
def department_list(request: HttpRequest) -> HttpResponse:
    need(request, "sites_browse")
    g = request.GET
    qs = selectors.key_departments(request.user, status=g.get("status", ""))
    u = request.user
    rows = [[link_if(u, k, "sites:department"), k.get_level_display(), person(k.responsible), cell(k.reason),
             _status(k), cell(k.confirmed_on), cell(k.confirmation_ref)] for k in qs]  # fmt: skip
    headers = [_("Department"), _("Highest level handled"), _("Responsible person"), _("Why it is key"),
               _("Status"), _("Confirmed on"), _("Confirmation reference")]  # fmt: skip
    new = (
        [(_("Designate a key department"), reverse("sites:department-new"))] if can(u, "sites_manage") else []
    )
    return list_page(request, title=_("Key departments"), headers=headers, rows=rows, count=qs.count(),
                     export=_export(request, "departments"), filename="key-departments.xlsx",
                     filters=[filter_spec("status", _("Status"), SiteStatus.choices, g.get("status", ""))],
                     new_links=new, **_ctx(request, "departments"))  # fmt: skip


@page
def department_new(request: HttpRequest) -> HttpResponse:
    need(request, "sites_manage")
    form = forms.KeyDepartmentForm(request.POST or None, viewer=request.user)
    kd = submit(
        request,
        form,
        lambda d: services.designate_department(request.user, **d),
        _("The key department was designated; it awaits the 保密局's confirmation."),
    )
    if kd:
        return redirect("sites:department", pk=kd.pk)
    return render(request, "registers/form.html", _ctx(request, "departments", title=_("Designate a key department"),
                                                        form=form, back=reverse("sites:departments")))  # fmt: skip


DEPARTMENT_ACTIONS = [
    Action("confirm", gettext_lazy("Record the 保密局's confirmation"), "manage",
           lambda u, k, d: services.confirm_department(u, k, **d), gettext_lazy("The confirmation was recorded."),
           form=forms.ConfirmForm, button=gettext_lazy("Confirm"), when=lambda k: k.status == SiteStatus.PROPOSED),
    Action("edit", gettext_lazy("Change the facts"), "manage",
           lambda u, k, d: services.update_department(u, k, **d), gettext_lazy("The key department was updated."),
           form=forms.KeyDepartmentForm, button=gettext_lazy("Save"), form_kwargs=lambda u, k: {"edit": True},
           initial=lambda k: {"level": k.level, "responsible": k.responsible_id, "reason": k.reason, "note": k.note}),
    Action("revoke", gettext_lazy("No longer a key department"), "manage",
           lambda u, k, d: services.revoke_department(u, k, **d), gettext_lazy("The key department was revoked."),
           form=forms.ReasonForm, button=pgettext_lazy("registers", "Revoke"), danger=True,
           when=lambda k: k.status != SiteStatus.REVOKED),
]  # fmt: skip


@page
def department_detail(request: HttpRequest, pk: int) -> HttpResponse:
    k = selectors.get_key_department(request.user, pk)
    u = request.user
    facts = [(_("Department"), cell(k.department.name)), (_("Highest level handled"), cell(k.get_level_display())),
             (_("Responsible person"), person(k.responsible)), (_("Why it is key"), cell(k.reason)),
             (_("Confirmed on"), cell(k.confirmed_on)), (_("Confirmation reference"), cell(k.confirmation_ref)),
             (_("Note"), cell(k.note))]  # fmt: skip
    places = [[link_if(u, p, "sites:place", p.code), link_if(u, p, "sites:place"), p.get_level_display(), _status(p)]
              for p in selectors.places(u, department=str(k.department_id))]  # fmt: skip
    sections = [{"title": _("Key places of the department"), "headers": [_("Code"), _("Name"), _("Highest level"),
                 _("Status")], "rows": places, "empty": _("No key place registered.")}]  # fmt: skip
    ctx = _ctx(
        request, "departments", title=str(k.department), status=_status(k), facts=facts, sections=sections
    )
    return detail_page(request, k, actions=DEPARTMENT_ACTIONS, action_url="sites:department-action", **ctx)


department_action = action_view(selectors.get_key_department, DEPARTMENT_ACTIONS, "sites:department")


# --- cabinets ------------------------------------------------------------------------------------------


@page
def cabinet_list(request: HttpRequest) -> HttpResponse:
    need(request, "sites_browse")
    g = request.GET
    qs = selectors.cabinets(request.user, q=g.get("q", "").strip(), status=g.get("status", ""))
    u = request.user
    rows = [[link_if(u, c, "sites:cabinet", c.number), link_if(u, c, "sites:cabinet"),
             link_if(u, c.place, "sites:place"), person(c.custodian), c.get_level_display(), _status(c)]
            for c in qs[:500]]  # fmt: skip
    headers = [_("Number"), _("Name"), _("Key place"), _("Custodian"), _("Highest level"), _("Status")]
    links = (
        [(_("Link carriers' storage places"), reverse("carriers:link-storage"))]
        if can(u, "sites_manage")
        else []
    )
    return list_page(request, title=_("Cabinets"), headers=headers, rows=rows, count=qs.count(), new_links=links,
                     export=_export(request, "cabinets"), filename="cabinets.xlsx", search=_("Number or name"),
                     filters=[filter_spec("status", _("Status"), CabinetStatus.choices, g.get("status", ""))],
                     **_ctx(request, "cabinets"))  # fmt: skip


CABINET_ACTIONS = [
    Action("custodian", gettext_lazy("Hand to another custodian"), "manage",
           lambda u, c, d: services.change_cabinet_custodian(u, c, **d), gettext_lazy("The custodian was changed."),
           form=forms.CustodianForm, button=gettext_lazy("Change"), when=lambda c: c.status == CabinetStatus.IN_USE),
    Action("retire", gettext_lazy("Retire the cabinet"), "manage",
           lambda u, c, d: services.retire_cabinet(u, c, **d), gettext_lazy("The cabinet was retired."),
           form=forms.ReasonForm, button=gettext_lazy("Retire"), danger=True,
           when=lambda c: c.status == CabinetStatus.IN_USE),
]  # fmt: skip


@page
def cabinet_detail(request: HttpRequest, pk: int) -> HttpResponse:
    c = selectors.get_cabinet(request.user, pk)
    u = request.user
    facts = [(_("Number"), cell(c.number)), (_("Key place"), link_if(u, c.place, "sites:place")),
             (_("Custodian"), person(c.custodian)), (_("Highest level"), cell(c.get_level_display())),
             (_("Note"), cell(c.note))]  # fmt: skip
    ctx = _ctx(request, "cabinets", title=c.name, status=_status(c), facts=facts,
               sections=_cabinet_sections(u, c))  # fmt: skip
    return detail_page(request, c, actions=CABINET_ACTIONS, action_url="sites:cabinet-action", **ctx)


def _cabinet_sections(viewer: Any, cabinet: Any) -> list[dict[str, Any]]:
    """The carriers kept in the cabinet that the viewer may see in the registry."""
    rows = [[link_if(viewer, c, "carriers:detail", c.registry_number), c.copy_number, c.get_kind_display(),
             c.get_level_display(), person(c.custodian), c.get_status_display()]
            for c in selectors.carriers_in(viewer, cabinet)[:200]]  # fmt: skip
    return [{"title": _("Carriers kept here"), "headers": [_("Registry number"), _("Copy number"), _("Kind"),
             _("Level"), _("Custodian"), _("Status")], "rows": rows, "empty": _("No carrier kept here.")}]  # fmt: skip


cabinet_action = action_view(selectors.get_cabinet, CABINET_ACTIONS, "sites:cabinet")


# --- place checks -----------------------------------------------------------------------------------


@page
def check_list(request: HttpRequest) -> HttpResponse:
    need(request, "sites_browse")
    g = request.GET
    qs = selectors.place_checks(request.user, status=g.get("status", ""))
    u = request.user
    shown = list(qs[:500])
    tasks = selectors.rectification_tasks(shown)
    rows = [[link_if(u, c, "sites:check", c.planned_on), link_if(u, c.place, "sites:place"), cell(c.checked_on),
             person(c.checker), _status(c), _deadlines(tasks.get(c.pk, [])), cell(c.findings[:60])]
            for c in shown]  # fmt: skip
    headers = [_("Planned for"), _("Key place"), _("Checked on"), _("Checked by"), _("Status"), _("Rectify by"),
               pgettext("registers", "Findings")]  # fmt: skip
    return list_page(request, title=_("Place checks"), headers=headers, rows=rows, count=qs.count(),
                     export=_export(request, "checks"), filename="place-checks.xlsx",
                     filters=[filter_spec("status", _("Status"), CheckStatus.choices, g.get("status", ""))],
                     **_ctx(request, "checks"))  # fmt: skip


CHECK_ACTIONS = [
    Action("record", gettext_lazy("Record the result"), "record",
           lambda u, c, d: services.record_check(u, c, **d), gettext_lazy("The result was recorded."),
           form=forms.RecordCheckForm, button=gettext_lazy("Record"),
           note=gettext_lazy("Leave the findings empty when the place passed."),
           when=lambda c: c.status == CheckStatus.PLANNED),
]  # fmt: skip


def _deadlines(tasks: list[dict[str, Any]]) -> Any:
    """The rectification deadline(s) of a check's open tasks in the loop, overdue ones marked."""
    days = [str(t["deadline"]) for t in tasks if t["status"] != "verified"]
    return cell("、".join(days), badge="bad" if any(t["overdue"] for t in tasks) else "")


def _rectification_section(tasks: list[dict[str, Any]]) -> dict[str, Any]:
    """The check's findings in the rectification loop (SUP-1 整改): its tasks, linked."""
    rows = [[cell(f"#{t['pk']}", reverse(t["url"], args=[t["pk"]])), cell(t["owner"]), cell(t["deadline"]),
             cell(t["status_label"], badge="bad" if t["overdue"] else "ok" if t["status"] == "verified" else "warn")]
            for t in tasks]  # fmt: skip
    return {"title": _("Rectification"), "headers": [_("Rectification task"), _("Owner"), _("Deadline"),
            _("Status")], "rows": rows,
            "empty": _("The findings are rectified in the rectification loop of inspections.")}  # fmt: skip


@page
def check_detail(request: HttpRequest, pk: int) -> HttpResponse:
    c = selectors.get_check(request.user, pk)
    u = request.user
    facts = [(_("Key place"), link_if(u, c.place, "sites:place")), (_("Planned for"), cell(c.planned_on)),
             (_("Checked on"), cell(c.checked_on)), (_("Checked by"), person(c.checker)),
             (pgettext("registers", "Findings"), cell(c.findings))]  # fmt: skip
    sections = (
        [_rectification_section(selectors.rectification_tasks([c]).get(c.pk, []))] if c.findings else []
    )
    ctx = _ctx(request, "checks", title=_("Check of %(place)s") % {"place": c.place.name}, status=_status(c),
               facts=facts, sections=sections)  # fmt: skip
    return detail_page(request, c, actions=CHECK_ACTIONS, action_url="sites:check-action", **ctx)


check_action = action_view(selectors.get_check, CHECK_ACTIONS, "sites:check")
