"""Visitors UI (SUP-4): the register, registration, the visit page with its key-place
approvals, check-in and check-out, and the approvals queue."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from baomi.access.policy import can
from baomi.kit.pages import run_service
from baomi.kit.requests import RequestStatus
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
from baomi.visitors import forms, selectors, services
from baomi.visitors.choices import VisitStatus

BADGE = {VisitStatus.ON_SITE: "warn", VisitStatus.LEFT: "ok", VisitStatus.REGISTERED: "", VisitStatus.CANCELLED: "",
         RequestStatus.APPROVED: "ok", RequestStatus.PENDING: "warn", RequestStatus.REJECTED: "bad"}  # fmt: skip


def _when(value: Any) -> Any:
    return cell(timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else None)


def _status(obj: Any) -> Any:
    return cell(obj.get_status_display(), badge=BADGE.get(obj.status, ""))


def _subnav(request: HttpRequest) -> list[tuple[str, str, str]]:
    items = [("visits", _("Visitor register"), reverse("visitors:list")),
             ("approvals", pgettext("registers", "Approvals"), reverse("visitors:approvals"))]  # fmt: skip
    if can(request.user, "visitors_manage"):
        items.append(("closing", _("On site at closing"), reverse("visitors:closing")))
    return items


def _rows(request: HttpRequest, qs: Any) -> list[list[Any]]:
    u = request.user
    return [[link_if(u, v, "visitors:visit", v.visitor_name), v.organisation, v.id_masked, person(v.host),
             v.purpose, "、".join(p.name for p in v.places.all()) or "—", _when(v.expected_start),
             _when(v.expected_end), _when(v.checked_in_at), _when(v.checked_out_at), person(v.escort), _status(v)]
            for v in qs.prefetch_related("places")[:500]]  # fmt: skip


HEADERS = [gettext_lazy("Visitor"), gettext_lazy("Organisation"), gettext_lazy("Identity number (masked)"),
           gettext_lazy("Host"), gettext_lazy("Purpose"), gettext_lazy("Key places entered"),
           gettext_lazy("Expected arrival"), gettext_lazy("Expected departure"), gettext_lazy("Checked in at"),
           gettext_lazy("Checked out at"), gettext_lazy("Escort"), gettext_lazy("Status")]  # fmt: skip


def _export(request: HttpRequest, register: str) -> Any:
    def call(*, title: str, headers: list[str], rows: list[list[Any]]) -> bytes:
        return services.export_register(
            request.user, title=title, headers=headers, rows=rows, register=register
        )

    return call


@page
def visit_list(request: HttpRequest) -> HttpResponse:
    need(request, "visitors_browse")
    g = request.GET
    qs = selectors.visits(request.user, q=g.get("q", "").strip(), status=g.get("status", ""))
    new = [(_("Register a visit"), reverse("visitors:new"))] if can(request.user, "register_visit") else []
    return list_page(request, title=_("Visitor register"), headers=HEADERS, rows=_rows(request, qs), count=qs.count(),
                     export=_export(request, "visits"), filename="visitors.xlsx", search=_("Visitor, organisation or purpose"),
                     filters=[filter_spec("status", _("Status"), VisitStatus.choices, g.get("status", ""))],
                     new_links=new, subnav=_subnav(request), sub="visits")  # fmt: skip


@page
def closing(request: HttpRequest) -> HttpResponse:
    """Visitors still on site at closing time, for the security officer (SUP-4)."""
    need(request, "visitors_manage")
    qs = selectors.on_site_at_closing(request.user)
    warn = [_("Closing time is %(time)s; these visitors have checked in and not out.")
            % {"time": selectors.closing_time().strftime("%H:%M")}]  # fmt: skip
    return list_page(request, title=_("Visitors on site at closing time"), headers=HEADERS, rows=_rows(request, qs),
                     count=qs.count(), export=_export(request, "closing"), filename="visitors-on-site.xlsx",
                     warnings=warn, subnav=_subnav(request), sub="closing")  # fmt: skip


@page
def visit_new(request: HttpRequest) -> HttpResponse:
    need(request, "register_visit")
    form = forms.VisitForm(request.POST or None, initial={"host": request.user.pk})
    visit = submit(request, form, lambda d: services.register_visit(request.user, **d),
                   _("The visit was registered; key places await their responsible persons' approval."))  # fmt: skip
    if visit:
        return redirect("visitors:visit", pk=visit.pk)
    return render(request, "registers/form.html", {"title": _("Register a visit"), "form": form,
                  "back": reverse("visitors:list"), "subnav": _subnav(request), "sub": "visits"})  # fmt: skip


VISIT_ACTIONS = [
    Action("check-in", gettext_lazy("Check in"), "receive", lambda u, v, d: services.check_in(u, v),
           gettext_lazy("The visitor was checked in."), when=lambda v: v.status == VisitStatus.REGISTERED),
    Action("check-out", gettext_lazy("Check out"), "receive", lambda u, v, d: services.check_out(u, v),
           gettext_lazy("The visitor was checked out."), when=lambda v: v.status == VisitStatus.ON_SITE),
    Action("cancel", gettext_lazy("Cancel the visit"), "cancel", lambda u, v, d: services.cancel_visit(u, v, **d),
           gettext_lazy("The visit was cancelled."), form=forms.ReasonForm, button=gettext_lazy("Cancel the visit"),
           danger=True, when=lambda v: v.status == VisitStatus.REGISTERED),
]  # fmt: skip

APPROVAL_ACTIONS = [
    Action("approve", gettext_lazy("Approve entry"), "decide", lambda u, a, d: services.approve_visit(u, a, **d),
           gettext_lazy("Entry was approved."), form=forms.DecisionForm, button=gettext_lazy("Approve"),
           when=lambda a: a.status == RequestStatus.PENDING),
    Action("reject", gettext_lazy("Refuse entry"), "decide", lambda u, a, d: services.reject_visit(u, a, **d),
           gettext_lazy("Entry was refused."), form=forms.ReasonForm, button=gettext_lazy("Refuse"), danger=True,
           when=lambda a: a.status == RequestStatus.PENDING),
]  # fmt: skip


def _visit_page(request: HttpRequest, v: Any, revealed: str = "") -> HttpResponse:
    u = request.user
    number = cell(revealed, badge="warn") if revealed else cell(v.id_masked)
    facts = [(_("Organisation"), cell(v.organisation)), (_("Identity document"), cell(v.get_id_type_display())),
             (pgettext("registers", "Document number"), number), (_("Phone"), cell(v.phone)), (_("Host"), person(v.host)),
             (_("Purpose"), cell(v.purpose)), (_("Other areas"), cell(v.other_areas)), (_("Escort"), person(v.escort)),
             (_("Expected arrival"), _when(v.expected_start)), (_("Expected departure"), _when(v.expected_end)),
             (_("Checked in at"), _when(v.checked_in_at)), (_("Checked out at"), _when(v.checked_out_at))]  # fmt: skip
    approvals = list(selectors.approvals_of(u, v))
    rows = [[link_if(u, a.place, "sites:place"), person(a.place.responsible), _status(a), person(a.decided_by),
             cell(a.decision_reason)] for a in approvals]  # fmt: skip
    panels = action_panels(request, v, VISIT_ACTIONS, "visitors:visit-action")
    for a in approvals:
        extra = action_panels(request, a, APPROVAL_ACTIONS, "visitors:approval-action")
        for fm in extra["forms"]:
            fm["title"] = f"{fm['title']}：{a.place.name}"
        panels["forms"] += extra["forms"]
    if can(u, "reveal_identity", v) and not revealed:
        panels["buttons"].append({"name": "reveal", "label": _("Show the document number"),
                                  "url": reverse("visitors:reveal", args=[v.pk]), "danger": False, "confirm": ""})  # fmt: skip
    warnings = []
    if v.status == VisitStatus.REGISTERED and any(a.status != RequestStatus.APPROVED for a in approvals):
        warnings.append(_("Check-in is refused until every key place's responsible person has approved."))
    sections = [{"title": _("Key places and approvals"), "headers": [_("Key place"), _("Responsible person"),
                 _("Status"), _("Decided by"), _("Note")], "rows": rows, "empty": _("No key place entered.")}]  # fmt: skip
    ctx = {"title": str(v), "status": _status(v), "facts": facts, "sections": sections, "warnings": warnings,
           "subnav": _subnav(request), "sub": "visits", **panels}  # fmt: skip
    return render(request, "registers/detail.html", ctx)


@page
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _visit_page(request, selectors.get_visit(request.user, pk))


@page
def reveal(request: HttpRequest, pk: int) -> HttpResponse:
    """POST: show the identity number once, on this response only (never in the session)."""
    v = selectors.get_visit(request.user, pk)
    if request.method != "POST":
        return redirect("visitors:visit", pk=v.pk)
    number: list[str] = []
    if not run_service(request, lambda: number.append(services.reveal_identity(request.user, v)),
                       _("The number was read from the vault; the reading is audited.")):  # fmt: skip
        return redirect("visitors:visit", pk=v.pk)
    return _visit_page(request, v, revealed=number[0])


@page
def visit_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    v = selectors.get_visit(request.user, pk)
    handle_action(request, v, VISIT_ACTIONS, action)
    return redirect("visitors:visit", pk=v.pk)


@page
def approval_list(request: HttpRequest) -> HttpResponse:
    """Visits waiting for my approval to enter a key place I am responsible for (SUP-4)."""
    need(request, "visitors_browse")
    u = request.user
    qs = selectors.approvals(u)
    rows = [[link_if(u, a.visit, "visitors:visit", a.visit.visitor_name), a.visit.organisation,
             link_if(u, a.place, "sites:place"), person(a.host), a.reason, _when(a.visit.expected_start),
             _status(a)] for a in qs[:500]]  # fmt: skip
    headers = [_("Visitor"), _("Organisation"), _("Key place"), _("Host"), _("Purpose"), _("Expected arrival"),
               _("Status")]  # fmt: skip
    return list_page(request, title=_("Visits awaiting my approval"), headers=headers, rows=rows, count=qs.count(),
                     subnav=_subnav(request), sub="approvals")  # fmt: skip


@page
def approval_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    a = selectors.get_approval(request.user, pk)
    handle_action(request, a, APPROVAL_ACTIONS, action)
    return redirect("visitors:visit", pk=a.visit_id)
