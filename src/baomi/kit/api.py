"""Helpers of every app's REST API, written once: input, picking people and records, the base
viewset. The plumbing named in the settings (pagination, the error handler, the schema hook)
is ``baomi.kit.drf``; every error an app raises becomes ``{"error": {"code", "message",
"fields"}}`` there, so an app's API code never builds an error body itself.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework import serializers, viewsets
from rest_framework.request import Request

from baomi.core.errors import ValidationFailed
from baomi.kit.drf import error_body

__all__ = ["ViewSet", "error_body", "parse", "pick", "pick_many"]


def parse(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    """The request body validated by ``serializer_class`` (shape only; services check the
    rest). Invalid input raises DRF's ``ValidationError``: a 400 ``invalid`` with field errors."""
    s = serializer_class(data=request.data)
    s.is_valid(raise_exception=True)
    return dict(s.validated_data)


def pick(queryset: QuerySet, pk: Any, field: str, *, required: bool = True, missing: Any = None) -> Any:
    """The row ``pk`` of ``queryset`` (a selector's choices: the people, departments ... this
    user may name), or a 400 ``invalid`` on ``field``: required and absent, or not among the
    choices (``missing``: the message for that; by default "Unknown id, or not available to you.")."""
    if pk in (None, ""):
        if required:
            raise ValidationFailed(fields={field: [_("This field is required.")]})
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ValidationFailed(fields={field: [missing or _("Unknown id, or not available to you.")]})
    return found


def pick_many(queryset: QuerySet, ids: list[Any], field: str) -> list[Any]:
    """Every row of ``ids`` among ``queryset``'s choices, or a 400 ``invalid`` on ``field``."""
    if not ids:
        return []
    found = list(queryset.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        raise ValidationFailed(fields={field: [_("Unknown id, or not available to you.")]})
    return found


class ViewSet(viewsets.GenericViewSet):
    """The base of the apps' viewsets: ``get_queryset`` is the app's selector; reads go through
    selectors, writes and ``@action`` transitions through services; errors need no code (the
    handler below). ``self.actor`` is the signed-in user, ``self.input(Serializer)`` the body."""

    @property
    def actor(self) -> Any:
        return self.request.user

    def input(self, serializer_class: type[serializers.Serializer]) -> dict[str, Any]:
        return parse(serializer_class, self.request)


class RectificationTaskRef(serializers.Serializer):
    """A task of the rectification loop opened for a register check's findings (SUP-1 整改,
    ``baomi.kit.rectification.tasks_of``): what a check's API shows of it."""

    id = serializers.IntegerField(source="pk")
    finding = serializers.IntegerField()
    owner = serializers.CharField()
    deadline = serializers.DateField()
    status = serializers.CharField()
    overdue = serializers.BooleanField()
