"""Personnel UI (PER-1..8): thin views — selectors read, services write, the policy decides."""

from __future__ import annotations

import csv
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baomi.access.policy import can, deny
from baomi.kit.pages import error_text, page, run_service
from baomi.personnel import forms, selectors, services
from baomi.personnel.choices import Category, ExitStatus, FileStatus, ReportStatus, TravelStatus


def _need(request: HttpRequest, action: str) -> None:
    """Object-less screens: refuse like not found, audited (CAR-3)."""
    if not can(request.user, action):
        raise deny(request.user, action, ("personnel.screen", action, action))


# --- files ----------------------------------------------------------------------------------------


@page
def file_list(request: HttpRequest) -> HttpResponse:
    """Personnel list with filters and CSV export (PER-1); heads see their department."""
    _need(request, "personnel_list")
    g = request.GET
    qs = selectors.files(request.user, q=g.get("q", "").strip(), category=g.get("category", ""),
                         status=g.get("status", ""), department=g.get("department", ""))  # fmt: skip
    if g.get("export") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="personnel.csv"'
        response.write("\ufeff")
        w = csv.writer(response)
        w.writerow([_("Name"), _("Username"), _("Department"), _("Person type"), _("Classified post"),
                    _("Category"), _("Status"), _("Clearance"), _("Next re-review due")])  # fmt: skip
        for f in qs:
            w.writerow([f.user.full_name, f.user.username, f.user.department or "", f.user.get_person_type_display(),
                        f.secret_post, f.get_category_display(), f.get_status_display(),
                        f.user.get_clearance_display(), f.next_review_on or ""])  # fmt: skip
        return response
    return render(request, "personnel/list.html", {
        "files": qs[:500], "count": qs.count(), "categories": Category.choices, "statuses": FileStatus.choices,
        "departments": selectors.departments(), "f": g, "can_manage": can(request.user, "manage_personnel"),
    })  # fmt: skip


@page
def my_file(request: HttpRequest) -> HttpResponse:
    file = selectors.own_file(request.user)
    if file is None:
        return render(request, "personnel/no_file.html")
    return redirect("personnel:file", pk=file.pk)


@page
def file_new(request: HttpRequest) -> HttpResponse:
    _need(request, "manage_personnel")
    form = forms.OpenFileForm(request.POST or None, viewer=request.user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        result: dict[str, Any] = {}

        def call() -> None:
            result["file"] = services.open_file(request.user, d["user"], category=d["category"],
                                                secret_post=d["secret_post"], note=d["note"])  # fmt: skip

        if run_service(request, call, _("The personnel file was opened.")):
            return redirect("personnel:file", pk=result["file"].pk)
    return render(request, "personnel/file_new.html", {"form": form})


@page
def file_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The person file: facts, onboarding checklist, reviews, agreements, training, exits (PER-1..5)."""
    file = selectors.get_file(request.user, pk, "view")
    user = request.user
    manage = can(user, "manage", file)
    ctx = {
        "file": file, "person": file.user, "manage": manage,
        "checklist": selectors.onboarding_checklist(file),
        "derived": selectors.derived_clearance(file),
        "pledge": selectors.current_pledge(file), "last_pledge": selectors.last_pledge(file),
        "reviews": selectors.reviews_of(user, file), "signatures": selectors.signatures_of(user, file),
        "history": selectors.category_history(user, file), "trainings": selectors.trainings_of(user, file.user),
        "sanctions": selectors.sanctions(user, user=file.user),
        "exits": selectors.exit_cases(user).filter(file=file),
        "determination_ok": selectors.has_current_determination_training(file.user),
        "needs_determination": file.user.has_role("classification_authority", "case_handler"),
        "open_exit": selectors.open_exit_case(file),
    }  # fmt: skip
    if manage:
        ctx.update({  # lint: allow - a dict, not a model
            "category_form": forms.CategoryForm(initial={"category": file.category, "secret_post": file.secret_post}),
            "review_form": forms.ReviewForm(), "pledge_form": forms.PledgeForm(viewer=user),
            "exit_form": forms.StartExitForm(),
        })  # fmt: skip
    return render(request, "personnel/file.html", ctx)


def _file_action(request: HttpRequest, pk: int, form_class: Any, call: Callable[[Any, dict[str, Any]], Any],
                 ok: str, **form_kwargs: Any) -> HttpResponse:  # fmt: skip
    file = selectors.get_file(request.user, pk, "view")
    form = form_class(request.POST, request.FILES, **form_kwargs) if form_class else None
    if form is not None and not form.is_valid():
        messages.error(request, error_text(form, labelled=True))
    else:
        run_service(request, lambda: call(file, form.cleaned_data if form else {}), ok)
    return redirect("personnel:file", pk=file.pk)


@page
@require_POST
def file_category(request: HttpRequest, pk: int) -> HttpResponse:
    return _file_action(request, pk, forms.CategoryForm, lambda f, d: services.change_category(
        request.user, f, d["category"], reason=d["reason"], secret_post=d["secret_post"]),
        _("The category was changed."))  # fmt: skip


@page
@require_POST
def file_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _file_action(request, pk, forms.ReviewForm, lambda f, d: services.record_review(
        request.user, f, kind=d["kind"], result=d["result"], reviewed_on=d["reviewed_on"], note=d["note"],
        uploads=[d["attachment"]] if d.get("attachment") else []),
        _("The review was recorded."))  # fmt: skip


@page
@require_POST
def file_pledge(request: HttpRequest, pk: int) -> HttpResponse:
    return _file_action(request, pk, forms.PledgeForm, lambda f, d: services.sign_pledge(
        request.user, f, d["version"], signed_on=d["signed_on"]), _("The signature was recorded."),
        viewer=request.user)  # fmt: skip


@page
@require_POST
def file_clear(request: HttpRequest, pk: int) -> HttpResponse:
    return _file_action(request, pk, None, lambda f, d: services.clear_person(request.user, f),
                        _("Onboarding is complete; the clearance was granted."))  # fmt: skip


@page
@require_POST
def file_exit(request: HttpRequest, pk: int) -> HttpResponse:
    file = selectors.get_file(request.user, pk, "view")
    form = forms.StartExitForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(form, labelled=True))
        return redirect("personnel:file", pk=pk)
    d = form.cleaned_data
    result: dict[str, Any] = {}

    def call() -> None:
        result["case"] = services.start_exit(request.user, file, kind=d["kind"], approved_on=d["approved_on"],
                                             reason=d["reason"])  # fmt: skip

    if run_service(request, call, _("The exit was started; the clearance was lowered.")):
        return redirect("personnel:exit", pk=result["case"].pk)
    return redirect("personnel:file", pk=pk)


@page
def review_attachment(request: HttpRequest, pk: int, blob: str) -> HttpResponseBase:
    """Download a review attachment, decrypted by the vault, audited (PER-2, CAR-2)."""
    from django.http import FileResponse

    found, reader = selectors.open_review_attachment(request.user, pk, blob)
    response = FileResponse(reader, content_type=found.content_type or "application/octet-stream")
    response["Content-Disposition"] = f'attachment; filename="review-{pk}-attachment"'
    return response


@page
def due(request: HttpRequest) -> HttpResponse:
    """What falls due: renewals, re-reviews, separation ends, post-trip reports, 定密 training gaps."""
    _need(request, "manage_personnel")
    u = request.user
    return render(request, "personnel/due.html", {
        "renewals": selectors.renewals_due(u), "reviews": selectors.reviews_due(u),
        "separations": selectors.separations_ending(u), "travel": selectors.travel_reports_due(u),
        "gaps": selectors.determination_training_gaps(u), "today": timezone.localdate(),
    })  # fmt: skip


# --- agreements ---------------------------------------------------------------------------------


@page
def agreements(request: HttpRequest) -> HttpResponse:
    """Agreement versions, kept as text (PER-3)."""
    manage = can(request.user, "manage_personnel")
    form = forms.AgreementVersionForm(request.POST or None)
    if request.method == "POST":
        _need(request, "manage_personnel")
        if form.is_valid():
            d = form.cleaned_data
            if run_service(request, lambda: services.add_agreement_version(
                    request.user, kind=d["kind"], version=d["version"], text=d["text"],
                    effective_on=d["effective_on"]), _("The version was added.")):  # fmt: skip
                return redirect("personnel:agreements")
    return render(request, "personnel/agreements.html",
                  {"versions": selectors.agreement_versions(request.user), "form": form, "manage": manage})  # fmt: skip


# --- training -----------------------------------------------------------------------------------


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        return timezone.localdate().year
    # A year the date type cannot hold (e.g. 999999999) would fail in the query (SEC-7).
    return year if 1 <= year <= 9999 else timezone.localdate().year


@page
def training_list(request: HttpRequest) -> HttpResponse:
    year = _year(request)
    manage = can(request.user, "manage_personnel")
    form = forms.SessionForm(request.POST or None)
    if request.method == "POST":
        _need(request, "manage_personnel")
        if form.is_valid():
            d = form.cleaned_data
            result: dict[str, Any] = {}

            def call() -> None:
                result["s"] = services.create_session(request.user, **d)

            if run_service(request, call, _("The session was recorded.")):
                return redirect("personnel:training", pk=result["s"].pk)
    return render(request, "personnel/training_list.html", {
        "sessions": selectors.training_sessions(request.user, year=year), "year": year, "form": form,
        "manage": manage, "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
    })  # fmt: skip


@page
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.get_session(request.user, pk)
    manage = can(request.user, "manage", session)
    form = forms.AttendanceForm(request.POST or None)
    if request.method == "POST":
        if not manage:
            raise deny(request.user, "manage", session)
        if form.is_valid():
            d = form.cleaned_data
            if run_service(request, lambda: services.record_attendance(request.user, session, d["user"], score=d["score"]),
                    _("The attendance was recorded.")):  # fmt: skip
                return redirect("personnel:training", pk=pk)
    return render(request, "personnel/training_detail.html", {
        "session": session, "attendances": selectors.attendances_of_session(request.user, session),
        "form": form, "manage": manage,
    })  # fmt: skip


@page
def coverage(request: HttpRequest) -> HttpResponse:
    """Training coverage per department and year (PER-4), with the 定密 training gaps (R-DET-12)."""
    _need(request, "training_coverage")
    year = _year(request)
    return render(request, "personnel/coverage.html", {
        "rows": selectors.coverage(request.user, year), "year": year,
        "years": range(timezone.localdate().year, timezone.localdate().year - 5, -1),
        "gaps": selectors.determination_training_gaps(request.user),
    })  # fmt: skip


# --- exit ---------------------------------------------------------------------------------------


@page
def exit_list(request: HttpRequest) -> HttpResponse:
    _need(request, "manage_personnel")
    status = request.GET.get("status", "")
    return render(request, "personnel/exit_list.html", {
        "cases": selectors.exit_cases(request.user, status=status), "status": status, "statuses": ExitStatus.choices,
    })  # fmt: skip


@page
def exit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The exit case: the five steps and the carriers still outstanding (PER-5, R-PER-6)."""
    case = selectors.get_exit_case(request.user, pk)
    manage = can(request.user, "manage", case)
    low, high = selectors.separation_range(case.file.category)
    return render(request, "personnel/exit.html", {
        "case": case, "file": case.file, "person": case.file.user, "manage": manage,
        "steps": services.exit_steps(case),
        "outstanding": selectors.outstanding_with_steps(request.user, case.file.user),
        "interview_form": forms.InterviewForm(), "undertaking_form": forms.PledgeForm(viewer=request.user, kind="exit"),
        "separation_form": forms.SeparationForm(initial={"years": low}), "range": (low, high),
        "breach_form": forms.BreachForm(),
    })  # fmt: skip


@page
@require_POST
def exit_step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    case = selectors.get_exit_case(request.user, pk)
    u = request.user
    steps: dict[str, tuple[Any, Callable[[dict[str, Any]], Any], str]] = {
        "interview": (forms.InterviewForm, lambda d: services.record_exit_interview(
            u, case, held_on=d["held_on"], note=d["note"]), _("The interview was recorded.")),
        "undertaking": (lambda data: forms.PledgeForm(data, viewer=u, kind="exit"),
                        lambda d: services.record_exit_undertaking(u, case, d["version"], signed_on=d["signed_on"]),
                        _("The exit undertaking was recorded.")),
        "access": (None, lambda d: services.revoke_exit_access(u, case), _("All access was revoked.")),
        "separation": (forms.SeparationForm, lambda d: services.fix_separation(
            u, case, years=d["years"], reason=d["reason"]), _("The separation period was fixed.")),
        "complete": (None, lambda d: services.complete_exit(u, case), _("The exit is completed.")),
        "breach": (forms.BreachForm, lambda d: services.report_separation_breach(u, case, description=d["description"]),
                   _("An incident was opened; report it to the secrecy bureau at the same level.")),
    }  # fmt: skip
    if step not in steps:
        raise Http404
    form_class, call, ok = steps[step]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        messages.error(request, error_text(form, labelled=True))
    else:
        run_service(request, lambda: call(form.cleaned_data if form else {}), ok)
    return redirect("personnel:exit", pk=pk)


# --- travel abroad ------------------------------------------------------------------------------


@page
def travel_list(request: HttpRequest) -> HttpResponse:
    """Travel requests: one's own, those to give an opinion on or approve; a new request (PER-6)."""
    u = request.user
    form = forms.TravelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        result: dict[str, Any] = {}

        def call() -> None:
            result["t"] = services.request_travel(u, traveller=u, **d)

        if run_service(request, call, _("The travel request was submitted.")):
            return redirect("personnel:travel", pk=result["t"].pk)
    status = request.GET.get("status", "")
    return render(request, "personnel/travel_list.html", {
        "requests": selectors.travel_requests(u, status=status), "form": form, "status": status,
        "statuses": TravelStatus.choices, "can_request": selectors.is_cleared_person(u), "today": timezone.localdate(),
    })  # fmt: skip


@page
def travel_detail(request: HttpRequest, pk: int) -> HttpResponse:
    travel = selectors.get_travel(request.user, pk)
    return render(request, "personnel/travel.html", {
        "t": travel, "opinion_form": forms.OpinionForm(), "decision_form": forms.DecisionForm(),
        "return_form": forms.ReturnForm(), "report_form": forms.TravelReportForm(), "today": timezone.localdate(),
    })  # fmt: skip


@page
@require_POST
def travel_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    t = selectors.get_travel(request.user, pk)
    u = request.user
    table: dict[str, tuple[Any, Callable[[dict[str, Any]], Any], str]] = {
        "personnel_opinion": (forms.OpinionForm, lambda d: services.give_travel_opinion(
            u, t, side="personnel", opinion=d["opinion"], note=d["note"]), _("The opinion was recorded.")),
        "security_opinion": (forms.OpinionForm, lambda d: services.give_travel_opinion(
            u, t, side="security", opinion=d["opinion"], note=d["note"]), _("The opinion was recorded.")),
        "approve": (forms.DecisionForm, lambda d: services.decide_travel(u, t, approve=True, note=d["note"]),
                    _("The trip was approved.")),
        "refuse": (forms.DecisionForm, lambda d: services.decide_travel(u, t, approve=False, note=d["note"]),
                   _("The trip was refused.")),
        "depart": (None, lambda d: services.mark_departed(u, t), _("Departure recorded.")),
        "return": (forms.ReturnForm, lambda d: services.mark_returned(u, t, returned_on=d["returned_on"]),
                   _("Return recorded; the post-trip report is due.")),
        "report": (forms.TravelReportForm, lambda d: services.file_travel_report(u, t, report=d["report"]),
                   _("The post-trip report was filed.")),
    }  # fmt: skip
    if action not in table:
        raise Http404
    form_class, call, ok = table[action]
    form = form_class(request.POST) if form_class else None
    if form is not None and not form.is_valid():
        messages.error(request, error_text(form, labelled=True))
    else:
        run_service(request, lambda: call(form.cleaned_data if form else {}), ok)
    return redirect("personnel:travel", pk=pk)


# --- rewards and penalties ----------------------------------------------------------------------


@page
def sanction_list(request: HttpRequest) -> HttpResponse:
    """Rewards and penalties (PER-7): the security officer records; a person sees their own."""
    u = request.user
    manage = can(u, "manage_personnel")
    form = forms.SanctionForm(request.POST or None, viewer=u)
    if request.method == "POST":
        _need(request, "manage_personnel")
        if form.is_valid():
            d = form.cleaned_data
            if run_service(request, lambda: services.record_sanction(u, **d), _("The record was saved.")):
                return redirect("personnel:sanctions")
    return render(request, "personnel/sanctions.html",
                  {"sanctions": selectors.sanctions(u), "form": form, "manage": manage})  # fmt: skip


# --- violation reports --------------------------------------------------------------------------


@page
def report_new(request: HttpRequest) -> HttpResponse:
    """Any staff member reports a violation or suspected leak (PER-8)."""
    _need(request, "report_violation")
    form = forms.ViolationReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run_service(request, lambda: services.file_violation_report(request.user, **d),
                _("Thank you. The report was received by the security office.")):  # fmt: skip
            return redirect("personnel:report-list")
    return render(request, "personnel/report_new.html", {"form": form})


@page
def report_list(request: HttpRequest) -> HttpResponse:
    """The security officer's list (with reporters); anyone else sees only their own reports."""
    u = request.user
    officer = can(u, "review_reports")
    status = request.GET.get("status", "")
    reports = list(selectors.violation_reports(u, status=status)[:500])
    rows = [(r, selectors.reporter_of(u, r)) for r in reports]
    return render(request, "personnel/report_list.html",
                  {"rows": rows, "officer": officer, "status": status, "statuses": ReportStatus.choices})  # fmt: skip


@page
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.get_report(request.user, pk)
    return render(request, "personnel/report.html", {
        "r": report, "reporter": selectors.reporter_of(request.user, report),
        "handle": can(request.user, "handle", report), "form": forms.HandleReportForm(),
    })  # fmt: skip


@page
@require_POST
def report_handle(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    report = selectors.get_report(request.user, pk)
    if action not in ("incident", "dismiss"):
        raise Http404
    form = forms.HandleReportForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    run_service(request, lambda: services.handle_violation_report(request.user, report, open_incident=action == "incident",
                                                           note=note), _("The report was handled."))  # fmt: skip
    return redirect("personnel:report", pk=pk)
