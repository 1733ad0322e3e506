"""Error pages (Chinese, never a stack trace: SEC-7) and the health check."""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def _page(request: HttpRequest, status: int, title: str, text: str) -> HttpResponse:
    if request.path.startswith("/api/"):
        code = {400: "invalid", 404: "not_found", 500: "server_error"}.get(status, "error")
        return JsonResponse({"error": {"code": code, "message": text, "fields": {}}}, status=status)
    return render(request, "core/error.html", {"title": title, "text": text}, status=status)


def not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 404, _("Not found"), _("The page or record does not exist, or you may not see it."))


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _page(request, 400, _("Bad request"), _("The request could not be understood."))


def server_error(request: HttpRequest) -> HttpResponse:
    return _page(
        request, 500, _("System error"), _("Something went wrong. The error was logged; nothing was saved.")
    )


def healthz(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cur:
        cur.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
