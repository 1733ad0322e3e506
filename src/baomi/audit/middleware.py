"""Sets the audit context (channel, IP, request id) for every web and API request."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from baomi.audit.context import audit_context


def client_ip(request: HttpRequest) -> str | None:
    # Behind the documented nginx the real address arrives in X-Real-IP; REMOTE_ADDR otherwise.
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR")


class AuditContextMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        channel = "api" if request.path.startswith("/api/") else "web"
        with audit_context(channel, client_ip(request)):
            return self.get_response(request)
