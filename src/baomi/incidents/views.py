"""Incidents UI (SUP-2, R-INC-1..5): thin views — selectors read, services write, the policy decides."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baomi.access.policy import can, deny
from baomi.core.errors import NotFound, ValidationFailed
from baomi.incidents import forms, selectors, services
from baomi.incidents.choices import IncidentKind, IncidentStatus
from baomi.kit.pages import error_text, page, run_service


def _need(request: HttpRequest, action: str) -> None:
    """Object-less screens: refuse like not found, audited (CAR-3)."""
    if not can(request.user, action):
        raise deny(request.user, action, ("incidents.screen", action, action))


@page
def incident_list(request: HttpRequest) -> HttpResponse:
    """The unit's incident register (SUP-2): every incident the viewer may see, with its clock."""
    _need(request, "incident_list")
    g = request.GET
    qs = selectors.incidents(request.user, status=g.get("status", ""), kind=g.get("kind", ""),
                             q=g.get("q", "").strip(), clock=g.get("clock", ""))  # fmt: skip
    now = timezone.now()
    rows = [(i, selectors.clock_of(i, now)) for i in qs.prefetch_related("upward_reports")[:500]]
    return render(request, "incidents/list.html", {
        "rows": rows, "count": qs.count(), "f": g, "statuses": IncidentStatus.choices, "kinds": IncidentKind.choices,
        "officer": can(request.user, "manage_incidents"),
    })  # fmt: skip


@page
def my_reports(request: HttpRequest) -> HttpResponse:
    """The incidents I reported (R-INC-2): their status, nothing of the investigation."""
    _need(request, "report_incident")
    return render(request, "incidents/mine.html", {"incidents": selectors.my_reports(request.user)[:200]})


@page
def report_new(request: HttpRequest) -> HttpResponse:
    """Anyone reports an incident they discovered (R-INC-2), with the carriers involved."""
    _need(request, "report_incident")
    form = forms.ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            carriers = [selectors.carrier_by_number(request.user, n) for n in form.numbers()]
        except NotFound:
            messages.error(request, _("A carrier with that registry number was not found."))
            return render(request, "incidents/report_new.html", {"form": form})
        result: dict[str, Any] = {}

        def call() -> None:
            result["incident"] = services.report_incident(
                request.user, kind=d["kind"], title=d["title"], description=d["description"],
                discovered_at=d["discovered_at"], place=d["place"], carriers=carriers,
            )  # fmt: skip

        if run_service(request, call, _("Thank you. The incident was reported to the security office.")):
            return redirect("incidents:detail", pk=result["incident"].pk)
    return render(request, "incidents/report_new.html", {"form": form})


@page
def incident_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The incident: facts, the clock, reports upward, journal, links, notices, penalties."""
    u = request.user
    incident = selectors.get_incident(u, pk)
    record = can(u, "view_record", incident)
    manage = can(u, "manage", incident)
    links = list(selectors.carriers_of(u, incident))
    ctx = {
        "i": incident, "clock": selectors.clock_of(incident), "record": record, "manage": manage,
        "reporter": selectors.reporter_of(u, incident),
        "entries": selectors.entries_of(u, incident), "reports": selectors.upward_reports_of(u, incident),
        "notices": selectors.notices_of(u, incident),
        "carrier_links": [(link, services.may_mark_lost(u, link)) for link in links],
        "item_links": selectors.items_of(u, incident),
        "sanctions": selectors.sanctions_of(u, incident) if record else [],
        "gaps": services.closing_gaps(incident) if record else [],
        "can_upward": can(u, "report_upward", incident), "can_close": can(u, "close", incident),
        "can_addendum": can(u, "addendum", incident), "can_assign": can(u, "manage_incidents"),
        "can_penalty": can(u, "manage_personnel") and record,
        "closed": incident.is_closed,
    }  # fmt: skip
    if not incident.is_closed:
        ctx.update({  # lint: allow - a dict, not a model
            "assign_form": forms.AssignForm(initial={"handler": incident.handler_id}, auto_id="assign_%s"),
            "correct_form": forms.CorrectForm(initial={"kind": incident.kind, "level": incident.level,
                                                       "place": incident.place}, auto_id="correct_%s"),
            "upward_form": forms.UpwardForm(auto_id="upward_%s"), "action_form": forms.ActionForm(auto_id="action_%s"),
            "note_form": forms.NoteForm(auto_id="note_%s"), "case_form": forms.CaseForm(auto_id="case_%s"),
            "conclude_form": forms.ConcludeForm(auto_id="conclude_%s"),
            "notify_form": forms.NotifyForm(auto_id="notify_%s"), "notice_form": forms.NoticeForm(auto_id="notice_%s"),
            "carrier_form": forms.CarrierForm(auto_id="carrier_%s"), "item_form": forms.ItemForm(auto_id="item_%s"),
        })  # fmt: skip
    ctx["addendum_form"] = forms.AddendumForm(auto_id="addendum_%s")
    if ctx["can_penalty"]:
        ctx["penalty_form"] = forms.PenaltyForm(auto_id="penalty_%s")
    return render(request, "incidents/detail.html", ctx)


def _actions(
    request: HttpRequest, incident: Any
) -> dict[str, tuple[Any, Callable[[dict[str, Any]], Any], str]]:
    u = request.user
    return {
        "assign": (forms.AssignForm, lambda d: services.assign_incident(u, incident, handler=d["handler"]),
                   _("The handler was assigned.")),
        "correct": (forms.CorrectForm, lambda d: services.correct_incident(
            u, incident, kind=d["kind"], level=d["level"], place=d["place"]), _("The incident was corrected.")),
        "upward": (forms.UpwardForm, lambda d: services.report_upward(u, incident, **d),
                   _("The upward report was recorded.")),
        "action": (forms.ActionForm, lambda d: services.record_action(u, incident, **d),
                   _("The remedial action was recorded.")),
        "note": (forms.NoteForm, lambda d: services.record_note(u, incident, **d), _("The note was recorded.")),
        "case": (forms.CaseForm, lambda d: services.file_case(u, incident, **d), _("The case was filed.")),
        "conclude": (forms.ConcludeForm, lambda d: services.conclude_incident(u, incident, **d),
                     _("The conclusion was recorded.")),
        "notify": (forms.NotifyForm, lambda d: services.notify_incident(u, incident, **d),
                   _("The notification was recorded.")),
        "notice": (forms.NoticeForm, lambda d: services.record_notice(u, incident, **d),
                   _("The notice was recorded.")),
        "carrier": (forms.CarrierForm, lambda d: services.involve_carrier(
            u, incident, _found(lambda: selectors.carrier_by_number(u, d["number"])), lost=d["lost"]),
            _("The carrier was linked to the incident.")),
        "item": (forms.ItemForm, lambda d: services.involve_item(
            u, incident, _found(lambda: selectors.item_for(u, d["item"]))),
                 _("The item was linked to the incident.")),
        "close": (None, lambda d: services.close_incident(u, incident), _("The incident was closed.")),
        "addendum": (forms.AddendumForm, lambda d: services.add_addendum(u, incident, **d),
                     _("The addendum was recorded.")),
        "penalty": (forms.PenaltyForm, lambda d: _penalty(u, incident, d), _("The penalty was recorded.")),
    }  # fmt: skip


def _found(fetch: Callable[[], Any]) -> Any:
    """A carrier or item named by number: absent and forbidden alike become a message on the
    form (the refusal is audited by the selector), not a 404 of the whole incident page."""
    try:
        return fetch()
    except NotFound:
        raise ValidationFailed(_("Nothing with that number was found among what you may see.")) from None


def _penalty(user: Any, incident: Any, d: dict[str, Any]) -> Any:
    from baomi.personnel.services import record_sanction

    return record_sanction(user, user=d["user"], kind=d["kind"], decided_on=d["decided_on"], reason=d["reason"],
                           incident=incident)  # fmt: skip


@page
@require_POST
def incident_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    incident = selectors.get_incident(request.user, pk)
    table = _actions(request, incident)
    if action not in table:
        raise Http404
    form_class, call, ok = table[action]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        messages.error(request, error_text(form))
    else:
        run_service(request, lambda: call(form.cleaned_data if form else {}), ok)
    return redirect("incidents:detail", pk=pk)
