"""A URLconf for the error tests: the real one plus views that fail in every way (SEC-7)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path
from rest_framework import serializers
from rest_framework.decorators import api_view, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from baomi.core.errors import CeilingExceeded, Conflict, InvalidTransition, ValidationFailed
from baomi.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401


class _Serializer(serializers.Serializer):
    title = serializers.CharField(max_length=5)
    copies = serializers.IntegerField(min_value=1)


@api_view(["POST"])
@permission_classes([AllowAny])
def validate(request: Request) -> Response:
    s = _Serializer(data=request.data)
    s.is_valid(raise_exception=True)
    return Response(s.validated_data)


@api_view(["GET"])
def authenticated(request: Request) -> Response:
    return Response({"ok": True})


class _Once(AnonRateThrottle):
    rate = "1/hour"
    scope = "errors-test"


@api_view(["GET"])
@permission_classes([AllowAny])
@throttle_classes([_Once])
def throttled(request: Request) -> Response:
    return Response({"ok": True})


@api_view(["GET"])
@permission_classes([AllowAny])
def raises(request: Request) -> Response:
    kind = request.query_params.get("kind", "")
    if kind == "validation":
        raise ValidationFailed(fields={"level": ["bad"]})
    if kind == "conflict":
        raise Conflict()
    if kind == "transition":
        raise InvalidTransition()
    if kind == "ceiling":
        raise CeilingExceeded()
    if kind == "django_validation":
        from django.core.exceptions import ValidationError

        raise ValidationError({"title": ["too long"]})
    if kind == "django_validation_plain":
        from django.core.exceptions import ValidationError

        raise ValidationError("plain")
    if kind == "permission":
        from rest_framework.exceptions import PermissionDenied

        raise PermissionDenied()
    if kind == "not_acceptable":
        from rest_framework.exceptions import NotAcceptable

        raise NotAcceptable()
    if kind == "other_api":
        from rest_framework.exceptions import APIException

        raise APIException()
    raise RuntimeError("secret stack detail: /srv/baomi/keys")


def ui_boom(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("secret stack detail: /srv/baomi/keys")


urlpatterns = [
    path("api/test/validate/", validate),
    path("api/test/authenticated/", authenticated),
    path("api/test/throttled/", throttled),
    path("api/test/raises/", raises),
    path("test/boom/", ui_boom),
    *urlpatterns,
]
