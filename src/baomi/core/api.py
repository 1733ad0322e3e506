"""API plumbing shared by every app: pagination and structured errors with Chinese messages
(SEC-7). Errors look like ``{"error": {"code": ..., "message": ..., "fields": {...}}}``."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, pagination, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from baomi.core.errors import BaomiError


class Pagination(pagination.PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


def _error(code: str, message: Any, fields: dict[str, Any] | None, http_status: int) -> Response:
    return Response(
        {"error": {"code": code, "message": str(message), "fields": fields or {}}}, status=http_status
    )


def _flatten(detail: Any) -> Any:
    if isinstance(detail, dict):
        return {k: _flatten(v) for k, v in detail.items()}
    if isinstance(detail, list):
        return [str(x) if not isinstance(x, dict | list) else _flatten(x) for x in detail]
    return [str(detail)]


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, BaomiError):
        return _error(exc.code, exc.message, {k: _flatten(v) for k, v in exc.fields.items()}, exc.status)
    if isinstance(exc, Http404 | exceptions.NotFound):
        return _error("not_found", _("Not found."), None, status.HTTP_404_NOT_FOUND)
    if isinstance(exc, PermissionDenied):
        return _error("not_found", _("Not found."), None, status.HTTP_404_NOT_FOUND)
    if isinstance(exc, DjangoValidationError):
        fields: Any = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        return _error("invalid", _("The data is not valid."), _flatten(fields), status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}  # type: ignore[assignment]  # DRF detail union
        return _error("invalid", _("The data is not valid."), _flatten(fields), status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.APIException):
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else "error"
        return _error(str(code), exc.detail if isinstance(exc.detail, str) else exc.default_detail, None,
                      response.status_code)  # fmt: skip
    return response
