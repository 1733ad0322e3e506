"""Error pages (Chinese, never a stack trace: SEC-7), the CSRF failure page and the health check.

Under ``/api/`` the same handlers answer with the API's JSON error envelope instead of a page.
The 500 page is rendered without context processors or the database: it must work when the
database is what failed.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _
from drf_spectacular.views import SpectacularRedocView

from baomi.kit.drf import error_body

CODES = {400: "invalid", 403: "csrf_failed", 404: "not_found", 500: "server_error"}


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _page(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    if _is_api(request):
        return JsonResponse(error_body(CODES.get(status, "error"), text), status=status)
    return render(request, "kit/error.html", {"title": title, "text": text}, status=status)


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    """404, and 403 too: forbidden looks like not found (CAR-3)."""
    return _page(request, 404, _("Not found"), _("The page or record does not exist, or you may not see it."))


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 400, _("Bad request"), _("The request could not be understood."))


def server_error(request: HttpRequest) -> HttpResponse:
    text = _("Something went wrong. The error was logged; try again later or tell the system administrator.")
    if _is_api(request):
        return JsonResponse(error_body("server_error", text), status=500)
    html = loader.get_template("kit/500.html").render({"title": _("System error"), "text": text})
    return HttpResponse(html, status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a Chinese page (or JSON under /api/), never Django's English one."""
    text = _(
        "The form has expired or was not sent from this system (security check failed). "
        "Go back, reload the page and try again."
    )
    if _is_api(request):
        return JsonResponse(error_body("csrf_failed", text), status=403)
    return render(request, "kit/error.html", {"title": _("Security check failed"), "text": text}, status=403)


def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")


class RedocView(SpectacularRedocView):
    """ReDoc from drf-spectacular-sidecar without the upstream page's Google Fonts links."""

    template_name = "kit/redoc.html"
