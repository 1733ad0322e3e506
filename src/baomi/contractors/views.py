"""Contractors UI (SUP-13): thin views on the shared register templates."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from baomi.access.policy import can
from baomi.contractors import forms, selectors, services
from baomi.contractors.choices import ContractorStatus, EngagementStatus, QualificationKind
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

STATE = {"valid": ("ok", gettext_lazy("Valid")), "expired": ("bad", gettext_lazy("Expired")),
         "revoked": ("", gettext_lazy("Revoked"))}  # fmt: skip


def _subnav() -> list[tuple[str, str, str]]:
    return [("contractors", _("Contractors"), reverse("contractors:list")),
            ("qualifications", _("Qualifications"), reverse("contractors:qualifications")),
            ("engagements", _("Engagements"), reverse("contractors:engagements"))]  # fmt: skip


def _ctx(sub: str, **extra: Any) -> dict[str, Any]:
    return {"subnav": _subnav(), "sub": sub, **extra}


def _export(request: HttpRequest, register: str) -> Any:
    def call(*, title: str, headers: list[str], rows: list[list[Any]]) -> bytes:
        return services.export_register(
            request.user, title=title, headers=headers, rows=rows, register=register
        )

    return call


def _state(q: Any) -> Any:
    badge, label = STATE[q.state()]
    if q.state() == "valid" and (q.expires_on - timezone.localdate()).days <= 30:
        return cell(_("Expires soon"), badge="warn")
    return cell(label, badge=badge)


def _status(obj: Any) -> Any:
    ok = obj.status in (ContractorStatus.ACTIVE, EngagementStatus.OPEN)
    return cell(obj.get_status_display(), badge="ok" if ok else "")


@page
def contractor_list(request: HttpRequest) -> HttpResponse:
    need(request, "contractors_browse")
    g, u = request.GET, request.user
    qs = selectors.contractors(u, q=g.get("q", "").strip(), status=g.get("status", ""))
    rows = [[link_if(u, c, "contractors:contractor"), c.credit_code, c.contact or "—", c.phone or "—", _status(c)]
            for c in qs[:500]]  # fmt: skip
    headers = [_("Name"), _("Unified social credit code"), _("Contact person"), _("Phone"), _("Status")]
    new = [(_("Register a contractor"), reverse("contractors:new"))] if can(u, "contractors_manage") else []
    return list_page(request, title=_("Contractors"), headers=headers, rows=rows, count=qs.count(),
                     export=_export(request, "contractors"), filename="contractors.xlsx", search=_("Name or code"),
                     filters=[filter_spec("status", _("Status"), ContractorStatus.choices, g.get("status", ""))],
                     new_links=new, **_ctx("contractors"))  # fmt: skip


@page
def contractor_new(request: HttpRequest) -> HttpResponse:
    need(request, "contractors_manage")
    form = forms.ContractorForm(request.POST or None)
    c = submit(
        request,
        form,
        lambda d: services.register_contractor(request.user, **d),
        _("The contractor was registered."),
    )
    if c:
        return redirect("contractors:contractor", pk=c.pk)
    return render(request, "registers/form.html", _ctx("contractors", title=_("Register a contractor"), form=form,
                                                        back=reverse("contractors:list")))  # fmt: skip


CONTRACTOR_ACTIONS = [
    Action("qualification", gettext_lazy("Record a secrecy qualification"), "manage",
           lambda u, c, d: services.add_qualification(u, c, **d), gettext_lazy("The qualification was recorded."),
           form=forms.QualificationForm, button=gettext_lazy("Record")),
    Action("engage", gettext_lazy("Engage for 涉密 work"), "manage",
           lambda u, c, d: services.start_engagement(u, c, **d), gettext_lazy("The engagement was recorded."),
           form=forms.EngagementForm, button=gettext_lazy("Engage"),
           note=gettext_lazy("Only a current qualification of the kind, whose grade covers the level, may be relied on."),
           when=lambda c: c.status == ContractorStatus.ACTIVE),
    Action("edit", gettext_lazy("Change the contact details"), "manage",
           lambda u, c, d: services.update_contractor(u, c, **d), gettext_lazy("The contractor was updated."),
           form=forms.ContractorForm, button=gettext_lazy("Save"), form_kwargs=lambda u, c: {"edit": True},
           initial=lambda c: {"contact": c.contact, "phone": c.phone, "address": c.address, "note": c.note}),
    Action("suspend", gettext_lazy("Suspend"), "manage",
           lambda u, c, d: services.suspend_contractor(u, c, **d), gettext_lazy("The contractor was suspended."),
           form=forms.ReasonForm, button=gettext_lazy("Suspend"), danger=True,
           when=lambda c: c.status == ContractorStatus.ACTIVE),
    Action("reinstate", gettext_lazy("Reinstate"), "manage",
           lambda u, c, d: services.reinstate_contractor(u, c, **d), gettext_lazy("The contractor was reinstated."),
           form=forms.ReasonForm, button=gettext_lazy("Reinstate"), when=lambda c: c.status == ContractorStatus.SUSPENDED),
]  # fmt: skip


@page
def contractor_detail(request: HttpRequest, pk: int) -> HttpResponse:
    c = selectors.get_contractor(request.user, pk)
    u = request.user
    facts = [(_("Unified social credit code"), cell(c.credit_code)), (_("Contact person"), cell(c.contact)),
             (_("Phone"), cell(c.phone)), (_("Address"), cell(c.address)), (_("Note"), cell(c.note))]  # fmt: skip
    quals = [[link_if(u, q, "contractors:qualification", q.number), q.get_kind_display(), q.get_grade_display(),
              cell(q.issued_on), cell(q.expires_on), _state(q)] for q in selectors.qualifications(u, contractor=c)]  # fmt: skip
    engs = [[link_if(u, e, "contractors:engagement", e.scope[:40]), e.get_kind_display(), e.get_level_display(),
             cell(e.agreement_ref), cell(e.starts_on), cell(e.ends_on), _status(e)]
            for e in selectors.engagements(u, contractor=c)]  # fmt: skip
    sections = [
        {"title": _("Secrecy qualifications"), "headers": [_("Certificate number"), _("Kind"), _("Grade"),
         _("Issued on"), _("Expires on"), _("State")], "rows": quals, "empty": _("No qualification recorded.")},
        {"title": _("Engagements"), "headers": [_("Scope"), _("Kind of work"), _("Level"),
         _("Confidentiality agreement"), _("Starts on"), _("Ends on"), _("Status")], "rows": engs,
         "empty": _("No engagement recorded.")},
    ]  # fmt: skip
    ctx = _ctx("contractors", title=c.name, status=_status(c), facts=facts, sections=sections,
               **action_panels(request, c, CONTRACTOR_ACTIONS, "contractors:contractor-action"))  # fmt: skip
    return render(request, "registers/detail.html", ctx)


@page
def contractor_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    c = selectors.get_contractor(request.user, pk)
    handle_action(request, c, CONTRACTOR_ACTIONS, action)
    return redirect("contractors:contractor", pk=c.pk)


@page
def qualification_list(request: HttpRequest) -> HttpResponse:
    need(request, "contractors_browse")
    g, u = request.GET, request.user
    qs = selectors.qualifications(u, state=g.get("state", ""), kind=g.get("kind", ""))
    rows = [[link_if(u, q, "contractors:qualification", q.number), link_if(u, q.contractor, "contractors:contractor"),
             q.get_kind_display(), q.get_grade_display(), cell(q.issuer), cell(q.issued_on), cell(q.expires_on),
             _state(q)] for q in qs[:500]]  # fmt: skip
    headers = [_("Certificate number"), _("Contractor"), _("Kind"), _("Grade"), _("Issued by"), _("Issued on"),
               _("Expires on"), _("State")]  # fmt: skip
    states = [
        ("valid", STATE["valid"][1]),
        ("expired", STATE["expired"][1]),
        ("revoked", STATE["revoked"][1]),
    ]
    return list_page(request, title=_("Secrecy qualifications"), headers=headers, rows=rows, count=qs.count(),
                     export=_export(request, "qualifications"), filename="qualifications.xlsx",
                     filters=[filter_spec("state", _("State"), states, g.get("state", "")),
                              filter_spec("kind", _("Kind"), QualificationKind.choices, g.get("kind", ""))],
                     **_ctx("qualifications"))  # fmt: skip


QUALIFICATION_ACTIONS = [
    Action("revoke", gettext_lazy("Record a revocation"), "manage",
           lambda u, q, d: services.revoke_qualification(u, q, **d), gettext_lazy("The revocation was recorded."),
           form=forms.ReasonForm, button=gettext_lazy("Revoke"), danger=True, when=lambda q: q.revoked_at is None),
]  # fmt: skip


@page
def qualification_detail(request: HttpRequest, pk: int) -> HttpResponse:
    q = selectors.get_qualification(request.user, pk)
    u = request.user
    facts = [(_("Contractor"), link_if(u, q.contractor, "contractors:contractor")), (_("Kind"), cell(q.get_kind_display())),
             (_("Grade"), cell(q.get_grade_display())), (_("Covers up to"), cell(_level_label(q.ceiling))),
             (_("Issued by"), cell(q.issuer)),
             (_("Issued on"), cell(q.issued_on)), (_("Expires on"), cell(q.expires_on)),
             (_("Revocation reason"), cell(q.revocation_reason))]  # fmt: skip
    ctx = _ctx("qualifications", title=str(q), status=_state(q), facts=facts,
               **action_panels(request, q, QUALIFICATION_ACTIONS, "contractors:qualification-action"))  # fmt: skip
    return render(request, "registers/detail.html", ctx)


def _level_label(level: str) -> str:
    from baomi.core.levels import Level

    return str(Level(level).label)


@page
def qualification_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    q = selectors.get_qualification(request.user, pk)
    handle_action(request, q, QUALIFICATION_ACTIONS, action)
    return redirect("contractors:qualification", pk=q.pk)


@page
def engagement_list(request: HttpRequest) -> HttpResponse:
    need(request, "contractors_browse")
    g, u = request.GET, request.user
    qs = selectors.engagements(u, status=g.get("status", ""))
    rows = [[link_if(u, e, "contractors:engagement", e.scope[:40]), link_if(u, e.contractor, "contractors:contractor"),
             e.get_kind_display(), e.get_level_display(), link_if(u, e.qualification, "contractors:qualification",
             e.qualification.number), cell(e.agreement_ref), cell(e.starts_on), cell(e.ends_on), person(e.responsible),
             _status(e)] for e in qs[:500]]  # fmt: skip
    headers = [_("Scope"), _("Contractor"), _("Kind of work"), _("Level"), _("Qualification relied on"),
               _("Confidentiality agreement"), _("Starts on"), _("Ends on"), _("Responsible person of the unit"),
               _("Status")]  # fmt: skip
    return list_page(request, title=_("Engagements"), headers=headers, rows=rows, count=qs.count(),
                     export=_export(request, "engagements"), filename="engagements.xlsx",
                     filters=[filter_spec("status", _("Status"), EngagementStatus.choices, g.get("status", ""))],
                     **_ctx("engagements"))  # fmt: skip


ENGAGEMENT_ACTIONS = [
    Action("close", gettext_lazy("Close the engagement"), "manage",
           lambda u, e, d: services.close_engagement(u, e, **d), gettext_lazy("The engagement was closed."),
           form=forms.CloseForm, button=gettext_lazy("Close"), when=lambda e: e.status == EngagementStatus.OPEN),
]  # fmt: skip


@page
def engagement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    e = selectors.get_engagement(request.user, pk)
    u = request.user
    facts = [(_("Contractor"), link_if(u, e.contractor, "contractors:contractor")),
             (_("Kind of work"), cell(e.get_kind_display())), (_("Level"), cell(e.get_level_display())),
             (_("Qualification relied on"), link_if(u, e.qualification, "contractors:qualification")),
             (_("Confidentiality agreement"), cell(e.agreement_ref)), (_("Agreement signed on"), cell(e.agreement_signed_on)),
             (_("Starts on"), cell(e.starts_on)), (_("Ends on"), cell(e.ends_on)),
             (_("Responsible person of the unit"), person(e.responsible)), (_("Result"), cell(e.result))]  # fmt: skip
    ctx = _ctx("engagements", title=e.scope, status=_status(e), facts=facts,
               **action_panels(request, e, ENGAGEMENT_ACTIONS, "contractors:engagement-action"))  # fmt: skip
    return render(request, "registers/detail.html", ctx)


@page
def engagement_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    e = selectors.get_engagement(request.user, pk)
    handle_action(request, e, ENGAGEMENT_ACTIONS, action)
    return redirect("contractors:engagement", pk=e.pk)
