"""Pages of the reports app: statistics (OPS-3) and the annual report (SUP-14). Thin: the
statistics module and selectors read, services write, the policy decides."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baomi.access import policy
from baomi.core.errors import BaomiError
from baomi.kit.pages import error_text, page, run_service
from baomi.reports import charts, selectors, services
from baomi.reports.forms import DraftForm, PeriodForm
from baomi.reports.models import AnnualReport
from baomi.reports.statistics import Table, tables

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def table_charts(found: list[Table]) -> dict[str, Any]:
    """The charts drawn beside the tables: levels, department ranking, monthly flows."""
    by = {t.key: t for t in found}
    out: dict[str, Any] = {}
    if (t := by.get("carriers_level_status")) and t.rows:
        labels = [r[0].value for r in t.rows]
        from baomi.core.levels import Level

        codes = [next((lv for lv in Level.values if str(Level(lv).label) == lab), "") for lab in labels]
        out[t.key] = charts.bar(labels, [r[-1].value for r in t.rows], colours=charts.level_colours(codes))
    if (t := by.get("carriers_department")) and t.rows:
        top = t.rows[:10]
        out[t.key] = charts.bar([r[0].value for r in top], [r[-1].value for r in top], horizontal=True,
                                height=max(160, 30 * len(top) + 40))  # fmt: skip
    if (t := by.get("flows_month")) and len(t.rows) > 1:
        months = [
            str(r[0].value)[-2:].lstrip("0") + "月" if len(t.rows) <= 13 else r[0].value for r in t.rows[:-1]
        ]
        out[t.key] = charts.lines(
            months, [(t.headers[i], [r[i].value for r in t.rows[:-1]]) for i in range(1, 7)]
        )
    if (t := by.get("personnel_category")) and t.rows:
        out[t.key] = charts.bar([r[0].value for r in t.rows], [r[-1].value for r in t.rows])
    return out


@page
def statistics(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "reports.statistics")
    form = PeriodForm(request.GET or None)
    period = form.period()
    found = tables(request.user, period)
    query = request.GET.urlencode()
    return render(request, "reports/statistics.html", {
        "form": form, "period": period, "tables": found, "charts": table_charts(found), "query": query,
    })  # fmt: skip


@page
def statistics_export(request: HttpRequest, fmt: str) -> HttpResponse:
    if fmt not in services.FORMATS:
        raise Http404
    form = PeriodForm(request.GET or None)
    data = services.export_statistics(request.user, fmt, form.period())
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="statistics.{fmt}"'
    return response


@page
def annual_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "reports.annual")
    from django.utils import timezone

    return render(request, "reports/annual_list.html", {
        "reports": selectors.annual_reports(request.user),
        "form": DraftForm(initial={"year": timezone.localdate().year}),
        "can_draft": policy.can(request.user, "edit", AnnualReport()),
    })  # fmt: skip


@page
@require_POST
def annual_draft(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "reports.annual")
    form = DraftForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(form))
        return redirect("reports:annual")
    year, choice = form.cleaned_data["year"], form.cleaned_data.get("edited")
    try:
        services.draft_annual_report(
            request.user, year, overwrite=choice == "overwrite", keep_edited=choice == "keep"
        )
    except BaomiError as exc:
        if exc.status == 404:
            raise  # refused: the 404 page, audited by the service
        messages.error(request, str(exc))
        if str(year).isdigit() and selectors.annual_reports(request.user).filter(year=year).exists():
            return redirect("reports:annual-report", year=year)
        return redirect("reports:annual")
    messages.success(request, _("The report was drafted from the records."))
    return redirect("reports:annual-report", year=year)


@page
def annual_report(request: HttpRequest, year: int) -> HttpResponse:
    report = selectors.annual_report_for(request.user, year)
    if request.method == "POST":
        report = selectors.annual_report_for(request.user, year, "edit")
        texts = {s["key"]: request.POST.get(f"text-{s['key']}", s["text"]) for s in report.sections}
        run_service(
            request,
            lambda: services.edit_annual_report(request.user, report, texts),
            _("The text was saved."),
        )
        return redirect("reports:annual-report", year=year)
    figures = report.figures_by_key()
    sections = [{**s, "figures": [figures[k] for k in s.get("tables", []) if k in figures],
                 "edited": s.get("text") != s.get("draft")} for s in report.sections]  # fmt: skip
    return render(request, "reports/annual_report.html", {
        "report": report, "sections": sections, "edited": report.edited_sections(),
        "can_edit": policy.can(request.user, "edit", report) and not report.registered_at,
        "can_register": policy.can(request.user, "register", report) and not report.registered_at,
        "form": DraftForm(initial={"year": report.year}),
    })  # fmt: skip


@page
def annual_download(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    if fmt not in services.REPORT_FORMATS:
        raise Http404
    report = selectors.annual_report_for(request.user, year, "export")
    data, name = services.export_annual_report(request.user, report, fmt)
    response = HttpResponse(data, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@page
@require_POST
def annual_register(request: HttpRequest, year: int) -> HttpResponse:
    report = selectors.annual_report_for(request.user, year, "register")
    if not policy.can(request.user, "propose_item"):
        messages.error(request, _("Registering a classified item needs the case-handler role."))
        return redirect("reports:annual-report", year=year)
    run_service(request, lambda: services.register_annual_report(request.user, report),
                _("The report was registered as a work secret and stored in the vault."))  # fmt: skip
    return redirect("reports:annual-report", year=year)
