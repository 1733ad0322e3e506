"""The auditor's screens (SEC-3): the list with filters, one entry, the xlsx export.

Only the auditor reaches them (``read_audit``); anyone else gets the not-found page and an
ACCESS_DENIED entry. Looking and exporting are audited themselves (AUDIT_VIEWED, AUDIT_EXPORTED).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from baomi.access.errors import AccessDenied
from baomi.audit import selectors, services
from baomi.audit.export import MAX_ROWS, export
from baomi.audit.forms import AuditFilterForm
from baomi.kit import links
from baomi.kit.pages import page

PAGE_SIZE = 50


def auditor_only(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A signed-in auditor's GET page; anyone else gets the 404 page, audited (SEC-3, CAR-3)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        services.require_reader(request.user)
        return view(request, *args, **kwargs)

    return page(require_GET(wrapper))


def _filtered(request: HttpRequest) -> tuple[AuditFilterForm, Any]:
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    return form, selectors.entries(request.user, filters)


@auditor_only
def entry_list(request: HttpRequest) -> HttpResponse:
    form, qs = _filtered(request)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # read before the view's own entry is written
    services.viewed(request.user, filters={**form.active(), "page": page.number})
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/list.html", {
        "audit_targets": links.resolve(page.object_list),
        "form": form, "page": page, "query": query.urlencode(), "max_rows": MAX_ROWS,
        "filtered": bool(form.active()),
    })  # fmt: skip


@auditor_only
def entry_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        entry = selectors.entry(request.user, pk)
    except AccessDenied:
        raise Http404 from None
    services.viewed(request.user, entry=entry)
    details = json.dumps(entry.details, ensure_ascii=False, indent=2, sort_keys=True)
    return render(
        request,
        "audit/detail.html",
        {"entry": entry, "seal": selectors.seal_of(entry), "details_json": details},
    )


@auditor_only
def entry_export(request: HttpRequest) -> HttpResponseBase:
    form, qs = _filtered(request)
    data, rows = export(qs)
    services.exported(request.user, filters=form.active(), rows=rows, fmt="xlsx")
    name = timezone.localtime().strftime("audit-%Y%m%d-%H%M%S.xlsx")
    return FileResponse(
        data, as_attachment=True, filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )  # fmt: skip
