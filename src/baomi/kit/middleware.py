"""Turns domain errors that escape a view into the right page, never a 500 (SEC-7, CAR-3).

A policy refusal (``AccessDenied``, a ``NotFound``) becomes the ordinary not-found page, so
forbidden looks like absent; any other ``BaomiError`` becomes a page with its Chinese message.
Views normally catch these themselves and show the message on the form; this is the net under
them. API views are handled by ``core.api.exception_handler`` before this is reached. A query
string holding a NUL byte is refused up front (400 page, or the JSON envelope under /api/).
Every response passing through gets the ``HEADERS`` below (``Cache-Control: no-store`` ...).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from baomi.core.errors import BaomiError, NotFound
from baomi.kit import views
from baomi.kit.refusals import audit_refusal

#: on every page and JSON answer (static files are served before this, by WhiteNoise): pages
#: and lists may carry classified titles, marks and 密点, so no browser or proxy keeps a copy, no
#: referrer leaks a URL with a search term, and no type is sniffed (issue 11 §6, SEC-7)
HEADERS = {
    # Scripts only from this server's files — no inline script or handler, no eval — and
    # nothing fetched from elsewhere (offices run offline). Inline style attributes stay
    # allowed (progress bars, tree depth); ReDoc builds its page with them and a blob worker.
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; "
        "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
    ),
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}


def _harden(response: HttpResponse) -> HttpResponse:
    for name, value in HEADERS.items():
        # a view's own Cache-Control (e.g. private, max-age) gives way to no-store
        if not response.has_header(name) or (name == "Cache-Control" and "no-store" not in response[name]):
            response[name] = value
    return response


class DomainErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # A NUL byte in the query string (?q=%00) cannot be stored or compared by PostgreSQL and
        # would fail the query wherever a view filters on it raw: refuse it here as a bad request.
        if any("\x00" in key + "".join(values) for key, values in request.GET.lists()):
            return _harden(views.bad_request(request))
        return _harden(self.get_response(request))

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, NotFound):
            audit_refusal(getattr(request, "user", None), exception)
            return views.not_found(request, exception)
        if isinstance(exception, BaomiError):
            return render(
                request,
                "kit/error.html",
                {"title": _("The action could not be completed"), "text": str(exception)},
                status=exception.status,
            )
        return None
