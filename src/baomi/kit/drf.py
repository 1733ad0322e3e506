"""API plumbing named in the settings (DRF and drf-spectacular): pagination and structured
errors with Chinese messages (SEC-7). Every error, whatever raised it, is ``{"error": {"code", "message", "fields"}}``:

======  =========================  ==============================================================
status  code                       when
======  =========================  ==============================================================
400     ``invalid``                validation failed; ``fields`` maps field → list of messages
400     ``parse_error``            the body is not valid JSON (or form data)
400     ``above_ceiling`` ...      any ``BaomiError`` keeps its own code and status
401     ``not_authenticated``      no or bad credentials (``WWW-Authenticate: Bearer``)
404     ``not_found``              absent *or forbidden* — a 403 is never sent (CAR-3)
405     ``method_not_allowed``
406     ``not_acceptable``
409     ``conflict`` ...           ``Conflict``, ``InvalidTransition``
415     ``unsupported_media_type``
429     ``throttled``              ``Retry-After`` kept
500     ``server_error``           anything unexpected: logged, rolled back, no stack trace
======  =========================  ==============================================================
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from baomi.core.errors import BaomiError
from baomi.kit.refusals import audit_refusal

log = logging.getLogger("baomi.api")


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def error_body(code: str, message: Any, fields: dict[str, Any] | None = None) -> dict[str, Any]:
    """The error envelope of the API (also used by the JSON 404/500 handlers)."""
    return {"error": {"code": code, "message": str(message), "fields": fields or {}}}


def _error(code: str, message: Any, fields: dict[str, Any] | None, http_status: int,
           headers: dict[str, str] | None = None) -> Response:  # fmt: skip
    set_rollback()
    return Response(error_body(code, message, fields), status=http_status, headers=headers)


def _flatten(detail: Any) -> Any:
    """DRF/Django error details as plain strings: ``{field: [message, ...]}`` recursively."""
    if isinstance(detail, dict):
        return {str(k): _flatten(v) for k, v in detail.items()}
    if isinstance(detail, list | tuple):
        return [str(x) if not isinstance(x, dict | list | tuple) else _flatten(x) for x in detail]
    return [str(detail)]


def _messages() -> dict[type[exceptions.APIException], tuple[str, str]]:
    # Built per call so the messages follow the active language.
    return {
        exceptions.ParseError: ("parse_error", _("The request body could not be read (malformed JSON?).")),
        exceptions.NotAuthenticated: ("not_authenticated", _("Sign in or send a valid API token.")),
        exceptions.AuthenticationFailed: ("not_authenticated", _("The credentials are not valid.")),
        exceptions.MethodNotAllowed: ("method_not_allowed", _("This method is not allowed here.")),
        exceptions.NotAcceptable: ("not_acceptable", _("The requested response format is not available.")),
        exceptions.UnsupportedMediaType: (
            "unsupported_media_type",
            _("Unsupported content type; send application/json."),
        ),
        exceptions.Throttled: ("throttled", _("Too many requests; try again later.")),
    }


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's EXCEPTION_HANDLER: every error as the envelope above, in Chinese (SEC-7)."""
    fields: Any
    if isinstance(exc, BaomiError):
        request = context.get("request")
        audit_refusal(getattr(request, "user", None), exc)
        fields = {k: _flatten(v) for k, v in exc.fields.items()}
        return _error(exc.code, exc.message, fields, exc.status)
    if isinstance(exc, Http404 | exceptions.NotFound | PermissionDenied | exceptions.PermissionDenied):
        # CAR-3: forbidden looks like absent — a 403 is never sent.
        return _error("not_found", _("Not found."), None, status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DjangoValidationError):
        fields = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return _error("invalid", _("The data is not valid."), _flatten(fields), status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        return _error("invalid", _("The data is not valid."), _flatten(fields), status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.APIException):
        response = drf_exception_handler(exc, context)
        assert response is not None  # DRF answers every APIException
        headers = {k: v for k, v in response.headers.items() if k in {"WWW-Authenticate", "Retry-After"}}
        for klass, (code, message) in _messages().items():
            if isinstance(exc, klass):
                return _error(code, message, None, response.status_code, headers)
        return _error("error", _("The request could not be completed."), None, response.status_code, headers)
    # Anything else is a bug: log it with the stack, answer without one (SEC-7).
    view = context.get("view")
    log.exception("unhandled error in API view %s", type(view).__name__ if view else "?")
    return _error(
        "server_error",
        _("Something went wrong. The error was logged; try again later or tell the system administrator."),
        None,
        status.HTTP_500_INTERNAL_SERVER_ERROR,
    )


# --------------------------------------------------------------------------------------------
# OpenAPI: the error envelope is part of every operation's contract


ERROR_SCHEMA = {
    "type": "object",
    "description": "Every error of the API (SEC-7). Forbidden answers 404 like absent (CAR-3).",
    "properties": {
        "error": {
            "type": "object",
            "properties": {
                "code": {"type": "string", "example": "invalid"},
                "message": {"type": "string", "description": "Chinese, for people", "example": "数据无效。"},
                "fields": {
                    "type": "object",
                    "description": "field name → list of messages (validation errors only)",
                    "additionalProperties": {},
                },
            },
            "required": ["code", "message", "fields"],
        }
    },
    "required": ["error"],
}
ERROR_RESPONSES = {
    "400": "Invalid data (code `invalid`, `parse_error`, `above_ceiling`, ...)",
    "401": "Not signed in or bad token (`not_authenticated`)",
    "404": "Absent, or not visible to you (`not_found`)",
    "500": "Unexpected error, logged (`server_error`)",
}


def postprocess_schema(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular hook: declare the ``Error`` component and the error responses of every
    operation (a 409 on writes), so clients know the envelope."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for item in result.get("paths", {}).values():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            codes = dict(ERROR_RESPONSES)
            if method in {"post", "put", "patch", "delete"}:
                codes["409"] = (
                    "Not allowed in the current state, or changed meanwhile (`invalid_transition`, `conflict`)"
                )
            for code, description in codes.items():
                operation["responses"].setdefault(code, {"description": description, "content": ref})
    return result
