"""Classification UI: thin views over selectors and services (STYLE 2.9).

Absent and forbidden both become the Chinese 404 page (CAR-3); service errors become messages
on the form (SEC-7).
"""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baomi.access.policy import can, require, screen
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.classification import forms, printing, selectors, services, workdays
from baomi.classification.choices import ItemStatus, MatterStatus, RequestStatus
from baomi.core.errors import BaomiError, NotFound
from baomi.core.levels import Level
from baomi.kit import printing as kit_printing
from baomi.kit import sheets
from baomi.kit.exports import issue_export
from baomi.kit.pages import error_text, form_errors, page


def actor(request: HttpRequest) -> Any:
    """The signed-in user (``web`` guarantees one)."""
    return request.user


# =============================================================================================
# Items


@page
def item_list(request: HttpRequest) -> HttpResponse:
    """The item register (CLS-2): filter by level, status, department; search; export."""
    require(request.user, "view_items")
    g = request.GET
    qs = selectors.items(request.user, level=g.get("level", ""), status=g.get("status", ""),
                         department=g.get("department") or None, q=g.get("q", "").strip())  # fmt: skip
    if g.get("export") == "xlsx":
        return _export_items(request, qs)
    page = Paginator(qs, 50).get_page(g.get("page"))
    # CLS-7, R-CRYPTO-5: rows whose mark fails its MAC are left out (the officer sees them flagged).
    page.object_list = screen(request.user, page.object_list)
    return render(request, "classification/item_list.html", {
        "page": page, "levels": forms.level_choices(), "statuses": ItemStatus.choices,
        "departments": forms.departments(request.user), "f": g,
    })  # fmt: skip


def declassified_after(item: Any) -> str:
    """The register's 解密日期 column as the screen shows it (item_list.html): the day it was
    declassified, a dash for a refused proposal, else the day it expires or a dash (issue 13:
    the xlsx printed the expiry date of declassified items instead)."""
    if item.status == ItemStatus.DECLASSIFIED:
        return timezone.localtime(item.declassified_at).strftime("%Y-%m-%d") if item.declassified_at else "—"
    if item.status == ItemStatus.REFUSED or not item.expires_on:
        return "—"
    return item.expires_on.strftime("%Y-%m-%d")


def _export_items(request: HttpRequest, qs: Any) -> HttpResponse:
    """The item register as xlsx, issued by the one audited export service with its own 份号
    (CLS-2; issue 12 §4: who, which filter, how many rows)."""
    from openpyxl import Workbook

    # CLS-7, R-CRYPTO-5: rows whose mark fails its MAC are left out, as on the screen.
    items = list(screen(request.user, qs[:10000]))
    g = request.GET
    filters: dict[str, Any] = {k: g.get(k, "") for k in ("level", "status", "department") if g.get(k)}
    if g.get("q"):
        filters["q_length"] = len(g["q"])  # the search words may be content: only their length
    ticket = issue_export(request.user, AuditEvent.ITEM_REGISTER_EXPORTED,
                          ("classification.register", "items", "items"), document="classification.items",
                          fmt="xlsx", rows=len(items), filters=filters)  # fmt: skip
    wb = Workbook()
    ws = wb.active
    ws.title = sheets.sheet_name(_("Classified items"))  # type: ignore[union-attr]
    ws.append([ticket.number, ticket.watermark])  # type: ignore[union-attr]  # line 1: the 份号 (R-MARK-5)
    ws.append([_("Document number"), _("Title"), _("Mark"), _("Level"), _("Status"), _("Department"),  # type: ignore[union-attr]
               _("Declassified after")])  # fmt: skip
    for item in items:
        ws.append([item.reference, item.title, item.mark_text(), str(Level(item.level).label),  # type: ignore[union-attr]
                   str(item.get_status_display()), item.department.name, declassified_after(item)])  # fmt: skip
    # The list's mark: the items still in force (a lifted item's 「解密」 mark raises nothing).
    in_force = [(item.level, item.mark_text()) for item in items if item.status != ItemStatus.DECLASSIFIED]
    sheets.mark_sheet(ws, sheets.export_mark(in_force))
    buf = BytesIO()
    wb.save(buf)  # lint: allow - an in-memory workbook, not a model
    resp = HttpResponse(
        buf.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    resp["Content-Disposition"] = f'attachment; filename="classified-items-{ticket.number}.xlsx"'
    return resp


@page
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Item detail with mark banner, history, scope, carriers count, notices (CLS-7, R-MARK-7)."""
    item = selectors.item_for(request.user, pk)
    services.record_item_view(actor(request), item)
    ctx = {
        "item": item,
        "marks": item.marks.all(),
        "requests": item.requests.select_related("requested_by", "decided_by"),
        "scope": selectors.scope_of(request.user, item),
        "carrier_count": item.carriers.count(),  # type: ignore[attr-defined]
        "sources": selectors.items(request.user).filter(pk__in=item.sources.values("pk")),
        "notices": selectors.item_notices(request.user, item),
        "matters": selectors.matters(request.user).filter(item=item),
        "expansions": selectors.expansions(request.user).filter(item=item),
        "scope_form": forms.ScopeForm(request.user) if can(request.user, "manage_scope", item) else None,
        "expansion_form": forms.ExpansionForm(request.user)
        if can(request.user, "request_expansion", item)
        else None,
    }
    return render(request, "classification/item_detail.html", ctx)


@page
def item_propose(request: HttpRequest) -> HttpResponse:
    """The case handler's proposal (CLS-4); the guide entry suggests level and duration (CLS-11)."""
    require(request.user, "propose_item")
    form = forms.ProposeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            item = services.propose_item(actor(request),
                title=d["title"], reference=d["reference"], level=d["level"], department=d["department"],
                duration=form.duration(), duration_basis=d["duration_basis"], period_start=d["period_start"],
                start_basis=d["start_basis"], guide_entry=d["guide_entry"], basis_text=d["basis_text"],
                origin=d["origin"], sources=d["sources"], secret_points=d["secret_points"],
                personal_info=d["personal_info"], personal_info_sensitive=d["personal_info_sensitive"],
                scope_users=d["scope_users"], scope_departments=d["scope_departments"],
                external_originator=d["external_originator"], reason=d["reason"],
            )  # fmt: skip
        except BaomiError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The proposal was submitted; the item is protected from now on."))
            return redirect("classification:item", pk=item.pk)
    return render(request, "classification/item_form.html", {"form": form})


@page
def guide_suggestion(request: HttpRequest, pk: int) -> JsonResponse:
    """What a guide entry suggests for the propose form (CLS-11): never the legal maximum (R-DUR-4)."""
    entry = selectors.guide_entry_for(request.user, pk)
    return JsonResponse({
        "level": entry.level, "duration_kind": entry.duration_kind, "duration_value": entry.duration_value,
        "duration_unit": entry.duration_unit, "basis_ref": entry.basis_ref, "scope_note": entry.scope_note,
    })  # fmt: skip


@page
def item_change(request: HttpRequest, pk: int) -> HttpResponse:
    """Propose a change, an extension or lifting (CLS-8)."""
    item = selectors.item_for(request.user, pk, "request_change")
    form = forms.ChangeForm(
        request.user, item, request.POST or None, initial={"kind": request.GET.get("kind", "change")}
    )
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.propose_change(actor(request), item, kind=d["kind"], reason=d["reason"], level=d["level"],
                duration=form.duration(), duration_basis=d["duration_basis"], add_users=d["add_users"],
                add_departments=d["add_departments"], remove_entries=[int(x) for x in d["remove_entries"]],
                lift_ground=d["lift_ground"], evidence=d["evidence"],
            )  # fmt: skip
        except BaomiError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The request was submitted to the classification authority."))
            return redirect("classification:item", pk=item.pk)
    return render(request, "classification/change_form.html", {"form": form, "item": item})


@page
@require_POST
def scope_grant(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_for(request.user, pk, "manage_scope")
    form = forms.ScopeForm(request.user, request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.grant_scope(actor(request), item, user=d["user"], department=d["department"],
                                 starts_on=d["starts_on"], ends_on=d["ends_on"], reason=d["reason"])  # fmt: skip
            messages.success(request, _("Need-to-know granted."))
        except BaomiError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("Check the entries: a person or a department and a reason are needed."))
    return redirect("classification:item", pk=item.pk)


@page
@require_POST
def scope_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    entry = selectors.scope_entry_for(request.user, pk)
    item_pk = entry.item_id
    try:
        services.revoke_scope(actor(request), entry, reason=request.POST.get("reason", ""))
        messages.success(request, _("Need-to-know revoked."))
    except BaomiError as exc:
        messages.error(request, str(exc))
    return redirect("classification:item", pk=item_pk)


@page
def knowledge_record(request: HttpRequest, pk: int) -> HttpResponse:
    """The 知悉记录 of an item for the security office, viewable and exportable (R-SCOPE-3)."""

    item = selectors.item_for(request.user, pk, "knowledge_record")
    rows = selectors.knowledge_record(item)
    if request.GET.get("export") == "xlsx":
        from openpyxl import Workbook

        ticket = issue_export(request.user, AuditEvent.KNOWLEDGE_RECORD_EXPORTED, item,
                              document="classification.knowledge_record", fmt="xlsx", rows=len(rows),
                              filters={"item": item.pk})  # fmt: skip
        wb = Workbook()
        ws = wb.active
        ws.title = sheets.sheet_name(_("Knowledge record"))  # type: ignore[union-attr]
        sheets.mark_sheet(ws, item.mark_text() or sheets.internal_mark())
        ws.append([ticket.number, ticket.watermark])  # type: ignore[union-attr]  # the 份号 (R-MARK-5)
        ws.append([item.mark_text(), item.reference])  # type: ignore[union-attr]
        ws.append([_("Name"), _("Department"), _("First known"), _("Last access"), _("Reads"), _("How")])  # type: ignore[union-attr]
        for r in rows:
            ws.append([r["name"], r["department"], timezone.localtime(r["first"]).strftime("%Y-%m-%d %H:%M"),  # type: ignore[union-attr]
                       timezone.localtime(r["last"]).strftime("%Y-%m-%d %H:%M"), r["reads"], ",".join(r["how"])])  # fmt: skip
        buf = BytesIO()
        wb.save(buf)  # lint: allow - an in-memory workbook, not a model
        resp = HttpResponse(buf.getvalue(),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")  # fmt: skip
        resp["Content-Disposition"] = f'attachment; filename="knowledge-record-{item.pk}.xlsx"'
        return resp
    record(request.user, AuditEvent.KNOWLEDGE_RECORD_VIEWED, item, details={"rows": len(rows)})
    return render(request, "classification/knowledge_record.html", {"item": item, "rows": rows})


# =============================================================================================
# Requests and approvals


@page
def queue(request: HttpRequest) -> HttpResponse:
    """The authority's approval queue (R-DET-2) and the requests reported upward (R-DET-5)."""
    require(request.user, "decide_requests")
    # CLS-7, R-CRYPTO-5: a request about an item whose mark fails its MAC is not listed (its page
    # and every action refuse it; the security officer sees it flagged).
    user = request.user
    return render(request, "classification/queue.html", {
        "pending": screen(user, selectors.approval_queue(user)),
        "upward": screen(user, selectors.upward_queue(user)),
        "decided": screen(user, selectors.requests(user).filter(decided_by=user)[:20]),
    })  # fmt: skip


@page
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = selectors.request_for(request.user, pk)
    form = forms.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        d = form.cleaned_data
        try:
            if action == "approve":
                services.approve_request(
                    actor(request), req, reason=d["reason"], upward_reference=d["upward_reference"]
                )
                messages.success(request, _("Approved."))
            elif action == "refuse":
                services.refuse_request(
                    actor(request), req, reason=d["reason"], upward_reference=d["upward_reference"]
                )
                messages.success(request, _("Refused."))
            elif action == "withdraw":
                services.withdraw_request(actor(request), req)
                messages.success(request, _("Withdrawn."))
            else:
                raise Http404
        except BaomiError as exc:
            if isinstance(exc, NotFound):
                raise
            form_errors(form, exc)
        else:
            return redirect("classification:item", pk=req.item_id)
    item = req.item
    return render(request, "classification/request_detail.html", {
        "req": req, "item": item, "form": form, "is_open": req.status in (RequestStatus.PENDING,
                                                                          RequestStatus.PENDING_UPWARD),
        # Everything the decision is about, on the approval screen itself (issue 13).
        "scope": selectors.scope_of(request.user, item), "sources": item.sources.all()[:50],
        "changes": selectors.scope_change_names(request.user, req.scope_changes or {}),
        "history": selectors.request_history(request.user, req),
    })  # fmt: skip


@page
def request_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable 审批表 of a classification request (issue 13)."""
    req = selectors.request_for(request.user, pk)
    return kit_printing.pdf_response(printing.print_request(actor(request), req))


@page
def expansion_form(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable 审批表 of a need-to-know expansion (issue 13, R-SCOPE-2)."""
    req = selectors.expansion_for(request.user, pk)
    return kit_printing.pdf_response(printing.print_expansion(actor(request), req))


# =============================================================================================
# Notices (R-SCOPE-4)


@page
def notice_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.notices(request.user, unread_only=request.GET.get("unread") == "1")
    return render(
        request, "classification/notices.html", {"page": Paginator(qs, 50).get_page(request.GET.get("page"))}
    )


@page
@require_POST
def notice_ack(request: HttpRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_for(request.user, pk, "acknowledge")
    services.acknowledge_notice(actor(request), notice)
    messages.success(request, _("Receipt acknowledged."))
    return redirect("classification:notices")


# =============================================================================================
# Need-to-know expansion (R-SCOPE-2)


@page
def expansion_list(request: HttpRequest) -> HttpResponse:
    ask = forms.AccessRequestForm(request.POST or None)
    if request.method == "POST" and ask.is_valid():
        services.request_expansion_by_reference(actor(request), reference=ask.cleaned_data["reference"],
                                                reason=ask.cleaned_data["reason"])  # fmt: skip
        # The same answer whether or not the number exists (CAR-3).
        messages.success(request, _("Your request was recorded; the unit head decides it."))
        return redirect("classification:expansions")
    return render(request, "classification/expansions.html", {
        "pending": selectors.expansions(request.user, pending_for_approval=True)
        if can(request.user, "approve_expansions") else [],
        "mine": selectors.expansions(request.user).filter(requested_by=request.user)[:50],
        "ask": ask,
        "designees": selectors.expansion_designees(request.user)
        if can(request.user, "designate_expansion_approver") else None,
        "designee_form": forms.DesigneeForm(request.user)
        if can(request.user, "designate_expansion_approver") else None,
    })  # fmt: skip


@page
@require_POST
def designee_add(request: HttpRequest) -> HttpResponse:
    """R-SCOPE-2: the security office or the unit head designates an expansion approver."""
    require(request.user, "designate_expansion_approver")
    form = forms.DesigneeForm(request.user, request.POST)
    if form.is_valid():
        try:
            services.designate_expansion_approver(actor(request), user=form.cleaned_data["user"],
                                                  note=form.cleaned_data["note"])  # fmt: skip
            messages.success(request, _("The designee may now approve need-to-know requests."))
        except BaomiError as exc:
            if isinstance(exc, NotFound):
                raise
            messages.error(request, str(exc))
    else:
        messages.error(request, error_text(form))
    return redirect("classification:expansions")


@page
@require_POST
def designee_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    designee = selectors.expansion_designee_for(request.user, pk, "revoke")
    try:
        services.revoke_expansion_designee(actor(request), designee)
        messages.success(request, _("The designation was revoked."))
    except BaomiError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, str(exc))
    return redirect("classification:expansions")


@page
@require_POST
def expansion_request(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_for(request.user, pk, "request_expansion")
    form = forms.ExpansionForm(request.user, request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.request_expansion(actor(request), item, person=d["person"], reason=d["reason"],
                                       starts_on=d["starts_on"], ends_on=d["ends_on"])  # fmt: skip
            messages.success(request, _("The expansion request was sent to the unit head."))
        except BaomiError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("Check the entries: a person and a reason are needed."))
    return redirect("classification:item", pk=item.pk)


@page
@require_POST
def expansion_decide(request: HttpRequest, pk: int) -> HttpResponse:
    req = selectors.expansion_for(request.user, pk, "approve_expansion")
    # The reason goes through its form (length, no NUL byte) before it reaches the database (SEC-7).
    form = forms.ExpansionDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(form))
        return redirect("classification:expansions")
    try:
        services.decide_expansion(actor(request), req, approve=request.POST.get("action") == "approve",
                                  reason=form.cleaned_data["reason"])  # fmt: skip
        messages.success(request, _("Decision recorded."))
    except BaomiError as exc:
        if isinstance(exc, NotFound):
            raise
        messages.error(request, str(exc))
    return redirect("classification:expansions")


# =============================================================================================
# Guide (CLS-11)


@page
def guide_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "view_guide")
    return render(
        request, "classification/guide_list.html", {"entries": selectors.guide_entries(request.user)}
    )


@page
def guide_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    require(request.user, "manage_guide")
    entry = selectors.guide_entry_for(request.user, pk, "manage") if pk else None
    initial = {f: getattr(entry, f) for f in services.GUIDE_FIELDS} if entry else {"active": True}
    form = forms.GuideEntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if entry is None:
                services.create_guide_entry(actor(request), **form.cleaned_data)
            else:
                services.update_guide_entry(actor(request), entry, **form.cleaned_data)
        except BaomiError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The guide entry was saved."))
            return redirect("classification:guide")
    return render(request, "classification/guide_form.html", {"form": form, "entry": entry})


# =============================================================================================
# Unclear matters and disputes (CLS-6)


@page
def matter_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "view_matters")
    qs = selectors.matters(request.user, overdue_only=request.GET.get("overdue") == "1")
    return render(request, "classification/matters.html", {"matters": qs, "today": timezone.localdate(),
                                                            "overdue": request.GET.get("overdue") == "1",
                                                            "uncovered": _uncovered(qs)})  # fmt: skip


def _uncovered(matters: Any) -> list[int]:
    """Years of open deadlines the working-day calendar does not cover (CLS-6, issue 12 §4)."""
    open_ = [m for m in matters if m.status in (MatterStatus.OPEN, MatterStatus.REPORTED)]
    return workdays.uncovered_years([m.report_due for m in open_] + [m.decision_due for m in open_])


@page
def matter_open(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_for(request.user, pk, "open_matter")
    form = forms.MatterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        claims = [{"party": d["claim_party"], "level": d["claim_level"]}] if d["claim_level"] else []
        try:
            matter = services.open_matter(actor(request), item, kind=d["kind"], description=d["description"],
                                          report_to=d["report_to"], set_on=d["set_on"], claims=claims)  # fmt: skip
        except BaomiError as exc:
            form_errors(form, exc)
        else:
            return redirect("classification:matter", pk=matter.pk)
    return render(request, "classification/matter_form.html", {"form": form, "item": item})


@page
def matter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    matter = selectors.matter_for(request.user, pk)
    manage = can(request.user, "manage", matter)
    forms_ = {
        "claim": forms.ClaimForm(request.POST if request.POST.get("action") == "claim" else None),
        "report": forms.ReportForm(request.POST if request.POST.get("action") == "report" else None),
        "decide": forms.MatterDecisionForm(request.POST if request.POST.get("action") == "decide" else None),
    }
    if request.method == "POST" and manage:
        action = request.POST.get("action", "")
        form = forms_.get(action)
        if form is not None and form.is_valid():
            d = form.cleaned_data
            try:
                if action == "claim":
                    services.add_claim(actor(request), matter, party=d["party"], level=d["level"])
                elif action == "report":
                    services.report_matter(
                        actor(request), matter, reported_on=d["reported_on"], reference=d["reference"]
                    )
                else:
                    services.decide_matter(actor(request), matter, decision=d["decision"], level=d["level"],
                                           decided_on=d["decided_on"])  # fmt: skip
            except BaomiError as exc:
                if isinstance(exc, NotFound):
                    raise
                form_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("classification:matter", pk=matter.pk)
    return render(request, "classification/matter_detail.html", {"matter": matter, "manage": manage,
                                                                  "uncovered": _uncovered([matter]),
                                                                  "today": timezone.localdate(), **forms_})  # fmt: skip


# =============================================================================================
# Working-day calendar (CLS-6)


@page
def calendar(request: HttpRequest) -> HttpResponse:
    manage = can(request.user, "manage_calendar")
    form = forms.CalendarDayForm(request.POST or None)
    if request.method == "POST":
        require(request.user, "manage_calendar")
        if request.POST.get("remove"):
            entry = selectors.calendar_day_for(request.user, request.POST["remove"], "manage")
            services.remove_calendar_day(actor(request), entry)
            messages.success(request, _("Removed."))
            return redirect("classification:calendar")
        if request.POST.get("seed"):
            year = int(request.POST["seed"]) if request.POST["seed"].isdigit() else 0
            try:
                counts = services.seed_calendar(actor(request), year)
            except BaomiError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, _("Seeded %(year)s from the published arrangement: %(added)s added, "
                                            "%(changed)s updated, %(kept)s of your own entries kept.")
                                 % {"year": year, **counts})  # fmt: skip
            return redirect("classification:calendar")
        if form.is_valid():
            try:
                services.set_calendar_day(actor(request), **form.cleaned_data)
            except BaomiError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("classification:calendar")
    this_year = timezone.localdate().year
    years = [y for y in (this_year, this_year + 1) if workdays.published_covers(y)]
    return render(request, "classification/calendar.html", {"days": selectors.calendar_days(request.user),
                                                             "form": form, "manage": manage, "seed_years": years,
                                                             "uncovered": workdays.uncovered_years(
                                                                 [date(this_year, 1, 1), date(this_year + 1, 1, 1)])})  # fmt: skip


# =============================================================================================
# Annual review (CLS-10)


@page
def campaign_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "view_reviews")
    form = forms.CampaignForm(request.POST or None, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.open_review(actor(request), **form.cleaned_data)
        except BaomiError as exc:
            form_errors(form, exc)
        else:
            return redirect("classification:campaign", pk=campaign.pk)
    rows = [(c, selectors.campaign_progress(c)) for c in selectors.campaigns(request.user)]
    return render(request, "classification/campaigns.html", {"rows": rows, "form": form,
                                                              "manage": can(request.user, "manage_reviews")})  # fmt: skip


@page
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = selectors.campaign_for(request.user, pk)
    if request.method == "POST" and request.POST.get("action") == "close":
        try:
            services.close_review(actor(request), campaign)
            messages.success(request, _("The review is closed."))
        except BaomiError as exc:
            if isinstance(exc, NotFound):
                raise
            messages.error(request, str(exc))
        return redirect("classification:campaign", pk=campaign.pk)
    rows = selectors.campaign_rows(request.user, campaign)
    if request.GET.get("open") == "1":
        rows = rows.filter(decision="", item__status=ItemStatus.DETERMINED)
    return render(request, "classification/campaign_detail.html", {
        "campaign": campaign, "rows": rows, "progress": selectors.campaign_progress(campaign),
        "manage": can(request.user, "manage", campaign),
    })  # fmt: skip


@page
def review_decide(request: HttpRequest, pk: int) -> HttpResponse:
    decision = selectors.review_decision_for(request.user, pk, "decide")
    form = forms.ReviewDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        duration = {
            k: d.get(k)
            for k in (
                "duration_kind",
                "duration_value",
                "duration_unit",
                "until_date",
                "condition",
                "long_term",
            )
        }
        try:
            services.decide_review(actor(request), decision, choice=d["choice"], note=d["note"], level=d["level"],
                                   duration=duration, duration_basis=d["duration_basis"])  # fmt: skip
        except BaomiError as exc:
            if isinstance(exc, NotFound):
                raise
            form_errors(form, exc)
        else:
            messages.success(request, _("Decision recorded."))
            return redirect("classification:campaign", pk=decision.campaign_id)
    return render(request, "classification/review_form.html", {"decision": decision, "item": decision.item,
                                                                "form": form})  # fmt: skip
