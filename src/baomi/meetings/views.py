"""Secret meetings UI (SUP-12, R-SITE-2): the register, planning, the meeting page with its
list, identity checks, the carriers issued and recovered, and the approvals queue."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from baomi.access.policy import can
from baomi.kit.pages import run_service
from baomi.kit.requests import RequestStatus
from baomi.meetings import forms, selectors, services
from baomi.meetings.choices import OPEN_ISSUES, IssueStatus, MeetingStatus
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

BADGE = {MeetingStatus.PLANNED: "warn", MeetingStatus.APPROVED: "ok", MeetingStatus.IN_SESSION: "warn",
         MeetingStatus.CLOSED: "", MeetingStatus.CANCELLED: "", IssueStatus.REQUESTED: "warn",
         IssueStatus.HANDED_OUT: "warn", IssueStatus.RECOVERED: "ok", IssueStatus.MISSING: "bad",
         IssueStatus.WITHDRAWN: ""}  # fmt: skip


def _when(value: Any) -> Any:
    return cell(timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else None)


def _status(obj: Any) -> Any:
    return cell(obj.get_status_display(), badge=BADGE.get(obj.status, ""))


def _subnav() -> list[tuple[str, str, str]]:
    return [("meetings", _("Secret meetings"), reverse("meetings:list")),
            ("approvals", pgettext("registers", "Approvals"), reverse("meetings:approvals"))]  # fmt: skip


def _export(request: HttpRequest) -> Any:
    def call(*, title: str, headers: list[str], rows: list[list[Any]]) -> bytes:
        return services.export_register(
            request.user, title=title, headers=headers, rows=rows, register="meetings"
        )

    return call


@page
def meeting_list(request: HttpRequest) -> HttpResponse:
    need(request, "meetings_browse")
    g, u = request.GET, request.user
    qs = selectors.meetings(u, q=g.get("q", "").strip(), status=g.get("status", ""))
    unrecovered = set(selectors.unrecovered_meetings(u).values_list("pk", flat=True))
    rows = [[link_if(u, m, "meetings:meeting", m.title), m.get_level_display(), link_if(u, m.venue, "sites:place"),
             _when(m.starts_at), _when(m.ends_at), person(m.organiser), _status(m),
             cell(_("Carriers not recovered"), badge="bad") if m.pk in unrecovered else cell(None)]
            for m in qs[:500]]  # fmt: skip
    headers = [_("Title"), _("Level"), _("Venue"), _("Starts at"), _("Ends at"), pgettext("registers", "Organiser"), _("Status"),
               _("Carriers")]  # fmt: skip
    new = [(_("Plan a secret meeting"), reverse("meetings:new"))] if can(u, "meetings_organise") else []
    return list_page(request, title=_("Secret meetings"), headers=headers, rows=rows, count=qs.count(),
                     export=_export(request), filename="meetings.xlsx", search=_("Title"),
                     filters=[filter_spec("status", _("Status"), MeetingStatus.choices, g.get("status", ""))],
                     new_links=new, subnav=_subnav(), sub="meetings")  # fmt: skip


@page
def meeting_new(request: HttpRequest) -> HttpResponse:
    need(request, "meetings_organise")
    form = forms.MeetingForm(request.POST or None, viewer=request.user)
    meeting = submit(request, form, lambda d: services.plan_meeting(request.user, **d),
                     _("The meeting was planned; its secrecy plan awaits approval."))  # fmt: skip
    if meeting:
        return redirect("meetings:meeting", pk=meeting.pk)
    return render(request, "registers/form.html", {"title": _("Plan a secret meeting"), "form": form,
                  "back": reverse("meetings:list"), "subnav": _subnav(), "sub": "meetings"})  # fmt: skip


OPEN = (MeetingStatus.PLANNED, MeetingStatus.APPROVED, MeetingStatus.IN_SESSION)
ACTIONS = [
    Action("attendee", gettext_lazy("Add to the list"), "manage",
           lambda u, m, d: services.add_attendee(u, m, **d), gettext_lazy("The person was added."),
           form=forms.AttendeeForm, button=gettext_lazy("Add"), form_kwargs=lambda u, m: {"meeting": m},
           note=gettext_lazy("Nobody cleared below the meeting's level can be added (R-SITE-2)."),
           when=lambda m: m.status in OPEN),
    Action("issue", gettext_lazy("Issue a carrier"), "manage", lambda u, m, d: services.issue_carrier(u, m, **d),
           gettext_lazy("The carrier's loan was requested from the registry."), form=forms.IssueForm,
           button=pgettext_lazy("registers", "Issue"), form_kwargs=lambda u, m: {"viewer": u, "meeting": m},
           note=gettext_lazy("The registry lends it to the attendee once approved with the meeting."),
           when=lambda m: m.status in OPEN),
    Action("open", gettext_lazy("Open the meeting"), "manage", lambda u, m, d: services.open_meeting(u, m),
           gettext_lazy("The meeting is in session."), when=lambda m: m.status == MeetingStatus.APPROVED),
    Action("close", gettext_lazy("Close the meeting"), "manage", lambda u, m, d: services.close_meeting(u, m),
           gettext_lazy("The meeting was closed."), when=lambda m: m.status == MeetingStatus.IN_SESSION),
    Action("cancel", gettext_lazy("Cancel the meeting"), "manage", lambda u, m, d: services.cancel_meeting(u, m, **d),
           gettext_lazy("The meeting was cancelled."), form=forms.ReasonForm, button=gettext_lazy("Cancel the meeting"),
           danger=True, when=lambda m: m.status in (MeetingStatus.PLANNED, MeetingStatus.APPROVED)),
]  # fmt: skip
APPROVAL_ACTIONS = [
    Action("approve", gettext_lazy("Approve the secrecy plan"), "decide",
           lambda u, a, d: services.approve_meeting(u, a, **d), gettext_lazy("The meeting was approved."),
           form=forms.DecisionForm, button=gettext_lazy("Approve"), when=lambda a: a.status == RequestStatus.PENDING),
    Action("reject", gettext_lazy("Refuse the secrecy plan"), "decide",
           lambda u, a, d: services.reject_meeting(u, a, **d), gettext_lazy("The meeting was refused."),
           form=forms.ReasonForm, button=gettext_lazy("Refuse"), danger=True,
           when=lambda a: a.status == RequestStatus.PENDING),
]  # fmt: skip


@page
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    m = selectors.get_meeting(request.user, pk)
    u = request.user
    manage = can(u, "manage", m)
    facts = [(_("Level"), cell(m.get_level_display())), (_("Venue"), link_if(u, m.venue, "sites:place")),
             (_("Starts at"), _when(m.starts_at)), (_("Ends at"), _when(m.ends_at)), (pgettext("registers", "Organiser"), person(m.organiser)),
             (_("Equipment"), cell(m.equipment)), (_("Video or telephone meeting"),
             cell(m.remote_measures if m.remote else _("No"))), (_("Secrecy plan"), cell(m.plan))]  # fmt: skip
    live = m.status in OPEN

    def post(name: str, label: str, target: Any) -> Any:
        url = reverse("meetings:part-action", args=[m.pk, name, target.pk])
        return {"url": url, "label": label}

    attendees = []
    for a in selectors.attendees_of(u, m):
        buttons = []
        if manage and live and not a.briefed_at:
            buttons.append(post("check", _("Identity checked and briefed"), a))
        if manage and live and a.user_id != m.organiser_id:
            buttons.append(post("remove", _("Remove"), a))
        attendees.append([person(a.user), cell(a.user.department or "—"), a.get_role_display(),
                          _when(a.identity_checked_at), _when(a.briefed_at), ({"forms": buttons} if buttons else cell(None))])  # fmt: skip
    issues = []
    for i in selectors.carriers_of(u, m):
        buttons = []
        if manage and i.status == IssueStatus.REQUESTED:
            buttons += [post("hand-out", _("Hand out (signed for)"), i), post("withdraw", _("Withdraw"), i)]
        if manage and i.status == IssueStatus.HANDED_OUT:
            buttons += [post("recover", _("Recovered"), i), post("missing", _("Report missing"), i)]
        issues.append([link_if(u, i.carrier, "carriers:detail", i.carrier.registry_number), i.carrier.get_level_display(),
                       person(i.attendee.user), cell(i.loan.get_status_display()), _status(i), _when(i.handed_out_at),
                       _when(i.recovered_at), (link_if(u, i.incident, "incidents:detail", f"#{i.incident_id}") if i.incident_id else cell(None)),
                       ({"forms": buttons} if buttons else cell(None))])  # fmt: skip
    panels = action_panels(request, m, ACTIONS, "meetings:meeting-action")
    approval = selectors.approval_of(m)
    if approval is not None:
        extra = action_panels(request, approval, APPROVAL_ACTIONS, "meetings:approval-action")
        panels["forms"] = extra["forms"] + panels["forms"]
    warnings, alerts = [], []
    if m.status == MeetingStatus.PLANNED:
        warnings.append(_("The secrecy plan awaits the approval of the unit head or the leading group."))
    out = selectors.carriers_of(u, m).filter(status__in=OPEN_ISSUES).count()
    if out and m.ends_at < timezone.now():
        alerts.append(_("The meeting is over and %(count)s carriers are not recovered; it cannot close until they are "
                        "recovered or reported missing.") % {"count": out})  # fmt: skip
    sections = [
        {"title": _("Attendees and staff"), "headers": [_("Person"), _("Department"), _("Role"),
         _("Identity checked at"), _("Briefed at"), ""], "rows": attendees, "empty": _("Nobody on the list.")},
        {"title": _("Carriers issued"), "headers": [_("Carrier"), _("Level"), _("Issued to"), _("Loan"), _("Status"),
         _("Signed for at"), _("Recovered at"), _("Incident"), ""], "rows": issues,
         "empty": _("No carrier issued.")},
    ]  # fmt: skip
    ctx = {"title": m.title, "status": _status(m), "facts": facts, "sections": sections, "warnings": warnings,
           "alerts": alerts, "subnav": _subnav(), "sub": "meetings", **panels}  # fmt: skip
    return render(request, "registers/detail.html", ctx)


@page
def meeting_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    m = selectors.get_meeting(request.user, pk)
    handle_action(request, m, ACTIONS, action)
    return redirect("meetings:meeting", pk=m.pk)


@page
def part_action(request: HttpRequest, pk: int, action: str, part: int) -> HttpResponse:
    """A button on one row of the meeting page: an attendee's check or removal, a carrier's
    hand-out, withdrawal, recovery or loss."""
    m = selectors.get_meeting(request.user, pk)
    if request.method != "POST":
        raise Http404
    u = request.user
    calls = {
        "check": (lambda: services.check_attendee(u, selectors.get_attendee(u, m, part)), _("Recorded.")),
        "remove": (lambda: services.remove_attendee(u, selectors.get_attendee(u, m, part)), _("Removed from the list.")),
        "hand-out": (lambda: services.hand_out(u, selectors.get_issue(u, m, part)), _("Handed out and signed for.")),
        "withdraw": (lambda: services.withdraw_issue(u, selectors.get_issue(u, m, part)), _("Withdrawn.")),
        "recover": (lambda: services.recover_carrier(u, selectors.get_issue(u, m, part)), _("Recovered.")),
        "missing": (lambda: services.report_missing(u, selectors.get_issue(u, m, part),
                    note=request.POST.get("note", "") or str(_("Not returned at the end of the meeting."))),
                    _("Reported missing; an incident was opened.")),
    }  # fmt: skip
    if action not in calls:
        raise Http404
    call, ok = calls[action]
    run_service(request, call, ok)
    return redirect("meetings:meeting", pk=m.pk)


@page
def approval_list(request: HttpRequest) -> HttpResponse:
    need(request, "meetings_browse")
    u = request.user
    qs = selectors.approvals(u)
    rows = [[link_if(u, a.meeting, "meetings:meeting", a.meeting.title), a.meeting.get_level_display(),
             link_if(u, a.meeting.venue, "sites:place"), _when(a.meeting.starts_at), person(a.requested_by)]
            for a in qs[:500]]  # fmt: skip
    headers = [_("Title"), _("Level"), _("Venue"), _("Starts at"), pgettext("registers", "Organiser")]
    return list_page(request, title=_("Meetings awaiting my approval"), headers=headers, rows=rows, count=qs.count(),
                     subnav=_subnav(), sub="approvals")  # fmt: skip


@page
def approval_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    a = selectors.get_approval(request.user, pk)
    handle_action(request, a, APPROVAL_ACTIONS, action)
    return redirect("meetings:meeting", pk=a.meeting_id)
