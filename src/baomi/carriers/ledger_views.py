"""Ledger pages (台账, CAR-12): one page for the unit, department and personal ledgers, a filter
toolbar, marks on every row, keyset paging, exports (CAR-13). Thin: selectors read, the export
service audits."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from baomi.carriers import exports, selectors
from baomi.carriers import ledger as ledger_mod
from baomi.carriers.choices import CarrierKind, CarrierStatus
from baomi.core import levels
from baomi.core.errors import BaomiError, ValidationFailed
from baomi.kit.downloads import content_disposition
from baomi.kit.pages import page

KEEP = ("scope", "q", "level", "kind", "status", "department", "custodian", "date_from", "date_to", "sort")


def _query(params: QueryDict, **changes: Any) -> str:
    """The current filters as a query string, with ``changes`` applied (None drops a key)."""
    pairs = [(k, v) for k in KEEP for v in params.getlist(k) if v and k not in changes]
    pairs += [(k, v) for k, v in changes.items() if v is not None]
    return urlencode(pairs)


@page
def ledger_view(request: HttpRequest) -> HttpResponse:
    params = request.GET
    errors: dict[str, Any] = {}
    try:
        flt, page = selectors.ledger(request.user, params)
    except ValidationFailed as exc:
        errors = exc.fields
        flt, page = selectors.ledger(request.user, QueryDict(_query(params, **dict.fromkeys(exc.fields))))
    page_level = levels.highest([c.level for c in page.rows]) if page.rows else None
    context = {
        "flt": flt,
        "page": page,
        "rows": [(c, ledger_mod.row_mark(c)) for c in page.rows],
        "errors": errors,
        "scopes": [
            (s, ledger_mod.SCOPE_LABELS[s], f"?{_query(QueryDict(), scope=s)}") for s in ledger_mod.SCOPES
        ],
        "scope_label": ledger_mod.SCOPE_LABELS[flt.scope],
        "level_choices": list(reversed(levels.Level.choices)),
        "kind_choices": CarrierKind.choices,
        "status_choices": CarrierStatus.choices,
        "sort_choices": list(ledger_mod.SORT_LABELS.items()),
        "departments": selectors.ledger_departments(),
        "page_level": page_level,
        "page_mark": ledger_mod.mark_for(page_level) if page_level else "",
        "next_url": _page_url(params, page, page.next_cursor),
        "prev_url": _page_url(params, page, page.prev_cursor),
        "export_query": _query(params),
        "count_exact_max": ledger_mod.COUNT_EXACT_MAX,
    }
    return render(request, "carriers/ledger.html", context)


def _page_url(params: QueryDict, page: ledger_mod.Page, token: str | None) -> str | None:
    if token is None:
        return None
    if page.page is not None:
        return "?" + _query(params, page=token, cursor=None)
    return "?" + _query(params, cursor=token, page=None)


@page
def ledger_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """Export what the ledger shows (same filters); the service audits it (CAR-12, CAR-13).
    Only a POST exports; a followed or bookmarked link goes back to the ledger, not to a bare
    "405" page."""
    if request.method != "POST":
        return redirect(reverse("carriers:ledger") + "?" + _query(request.GET))
    params = QueryDict(request.POST.get("query", ""))
    try:
        result = exports.export_ledger(request.user, params, fmt)
    except BaomiError as exc:
        return render(request, "carriers/ledger_export_error.html", {"message": str(exc),
                      "back": "?" + _query(params)}, status=exc.status)  # fmt: skip
    response = HttpResponse(result.data, content_type=result.content_type)
    response["Content-Disposition"] = content_disposition(result.filename)
    response["Cache-Control"] = "no-store"
    return response


# --- API: /api/v1/carriers/ledger/ ------------------------------------------------------------

from django.utils import timezone  # noqa: E402
from drf_spectacular.types import OpenApiTypes  # noqa: E402
from drf_spectacular.utils import OpenApiParameter, extend_schema  # noqa: E402
from rest_framework.request import Request  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.views import APIView  # noqa: E402

API_PARAMS = [
    OpenApiParameter("scope", str, enum=list(ledger_mod.SCOPES), description="unit | department | personal"),
    OpenApiParameter("q", str, description="Substring of title or registry number"),
    OpenApiParameter("level", str, many=True, enum=list(levels.Level.values)),
    OpenApiParameter("kind", str, many=True, enum=list(CarrierKind.values)),
    OpenApiParameter("status", str, many=True, enum=list(CarrierStatus.values)),
    OpenApiParameter("department", int),
    OpenApiParameter("custodian", int),
    OpenApiParameter("date_from", OpenApiTypes.DATE),
    OpenApiParameter("date_to", OpenApiTypes.DATE),
    OpenApiParameter("sort", str, enum=list(ledger_mod.SORTS)),
    OpenApiParameter("cursor", str, description="Keyset cursor (newest/oldest sorts)"),
    OpenApiParameter("page", int, description="Page number (other sorts)"),
    OpenApiParameter("page_size", int),
]


def carrier_row(c: Any) -> dict[str, Any]:
    return {
        "id": c.pk,
        "registry_number": c.registry_number,
        "copy_number": c.copy_number,
        "level": c.level,
        "mark": ledger_mod.row_mark(c),
        "title": c.title,
        "kind": c.kind,
        "status": c.status,
        "custodian": {"id": c.custodian_id, "name": c.custodian.get_short_name()},
        "department": {"id": c.department_id, "name": c.department.name},
        "storage_place": c.storage_place,
        "made_on": c.made_on.isoformat() if c.made_on else None,
        "registered_at": timezone.localtime(c.registered_at).isoformat(),
    }


class LedgerAPI(APIView):
    """The ledgers as JSON: same filters and visibility as the pages; keyset cursors (CAR-12)."""

    @extend_schema(parameters=API_PARAMS, responses=OpenApiTypes.OBJECT, operation_id="carriers_ledger")
    def get(self, request: Request) -> Response:
        size = ledger_mod.PAGE_SIZE
        if request.query_params.get("page_size"):
            try:
                size = int(request.query_params["page_size"])
            except ValueError:
                raise ValidationFailed(
                    _("Check the ledger filters."), fields={"page_size": [_("Enter a whole number.")]}
                ) from None
        flt, page = selectors.ledger(request.user, request.query_params, size=size)
        base = request.build_absolute_uri(request.path)
        return Response({
            "scope": flt.scope,
            "sort": flt.sort,
            "count": page.total.as_dict(),
            "page": page.page,
            "next_cursor": page.next_cursor,
            "previous_cursor": page.prev_cursor,
            "next": f"{base}?{_page_query(request.query_params, page, page.next_cursor)}" if page.next_cursor else None,
            "previous": f"{base}?{_page_query(request.query_params, page, page.prev_cursor)}" if page.prev_cursor else None,
            "results": [carrier_row(c) for c in page.rows],
        })  # fmt: skip


def _page_query(params: QueryDict, page: ledger_mod.Page, token: str | None) -> str:
    if page.page is not None:
        return _query(params, page=token, cursor=None)
    return _query(params, cursor=token, page=None)


class LedgerExportAPI(APIView):
    """POST exports the filtered ledger as xlsx or pdf; audited like the page export (CAR-13)."""

    @extend_schema(parameters=API_PARAMS, request=None, responses={(200, "application/octet-stream"): OpenApiTypes.BINARY},
                   operation_id="carriers_ledger_export")  # fmt: skip
    def post(self, request: Request, fmt: str) -> HttpResponse:
        result = exports.export_ledger(request.user, request.query_params, fmt)
        response = HttpResponse(result.data, content_type=result.content_type)
        response["Content-Disposition"] = content_disposition(result.filename)
        response["Cache-Control"] = "no-store"
        return response
