"""The import page of the security office (issue 19): download a template, upload a filled
ledger, check it or import it, download the report of refused rows. Only the ledgers whose
hand entry the user may do are offered; anything else is the ordinary 404."""

from __future__ import annotations

import base64
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from baomi.access import policy
from baomi.core.errors import BaomiError
from baomi.imports import selectors, services
from baomi.imports.forms import UploadForm
from baomi.imports.ledgers import LEDGERS
from baomi.kit.pages import form_errors, page

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REPORT_KEY = "imports.report"
MAX_REPORT_IN_SESSION = 5 * 1024 * 1024
SHOWN = 20


def _kinds(user: Any) -> list[tuple[str, Any]]:
    return [(kind, spec.title) for kind, spec in LEDGERS.items() if policy.can(user, spec.action)]


def _xlsx(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@page
def upload(request: HttpRequest) -> HttpResponse:
    kinds = _kinds(request.user)
    if not kinds:
        raise Http404
    form = UploadForm(request.POST or None, request.FILES or None, kinds=kinds)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        mode = form.cleaned_data["mode"]
        if len(data) >= settings.IMPORTS_BACKGROUND_BYTES:
            # A large file: the scheduler imports it (imports.run); the run's page shows the progress.
            try:
                queued = services.queue_import(request.user, form.cleaned_data["kind"], data, mode=mode,
                                               file_name=getattr(upload, "name", ""))  # fmt: skip
            except BaomiError as exc:
                form_errors(form, exc)
            else:
                return redirect("imports:run", queued.pk)
        else:
            try:
                rows = services.read(form.cleaned_data["kind"], data)
                result = services.import_ledger(request.user, form.cleaned_data["kind"], rows,
                                                dry_run=mode == "check", valid_only=mode == "valid",
                                                source=data)  # fmt: skip
            except BaomiError as exc:
                form_errors(form, exc)
            else:
                request.session.pop(REPORT_KEY, None)
                if result.refused:
                    report = result.report()
                    if len(report) <= MAX_REPORT_IN_SESSION:
                        request.session[REPORT_KEY] = base64.b64encode(report).decode()
    context = {
        "form": form,
        "kinds": kinds,
        "result": result,
        "shown": result.refused[:SHOWN] if result else [],
        "has_report": REPORT_KEY in request.session and result is not None,
    }
    return render(request, "imports/upload.html", context)


@page
def template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in dict(_kinds(request.user)):
        raise Http404
    return _xlsx(services.template(kind), f"baomi-{kind}-template.xlsx")


@page
def report(request: HttpRequest) -> HttpResponse:
    data = request.session.get(REPORT_KEY)
    if not data or not _kinds(request.user):
        raise Http404
    return _xlsx(base64.b64decode(data), "baomi-import-report.xlsx")


@page
def run(request: HttpRequest, pk: int) -> HttpResponse:
    """A background import: its progress while it runs (the page polls :func:`run_status`),
    then its result as the upload page shows it, and the report of refused rows."""
    item = selectors.run_for(request.user, pk)
    result = item.result or {}
    phases = {"queued": _("Waiting for the scheduler (it starts within a minute)."), "reading": _("Reading the file…"),
              "checking": _("Checking every row…"), "writing": _("Writing:"), "running": _("Running…")}  # fmt: skip
    context = {"run": item, "result": result, "status": services.run_status(item), "phases": phases,
               "title": dict(_kinds(request.user)).get(item.kind, item.kind)}  # fmt: skip
    return render(request, "imports/run.html", context)


@page
def run_status(request: HttpRequest, pk: int) -> HttpResponse:
    return JsonResponse(services.run_status(selectors.run_for(request.user, pk)))


@page
def run_report(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.run_for(request.user, pk)
    if not item.report:
        raise Http404
    return _xlsx(
        services.unseal(item.report, f"report:{item.file_sha256}"), f"baomi-import-{item.pk}-report.xlsx"
    )
