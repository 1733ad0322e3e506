"""``/api/v1/marks/``: read and write classification marks through the API (CLS-7).

Importers and other systems check a mark before they store it: ``parse`` reads any mark form
(R-MARK-3, legacy R-DUR-7), ``compose`` writes the exact mark for a level and a duration and
checks it against the legal caps (R-DUR-1/5/6). Both are pure: nothing is stored or audited,
and classified content never passes through them.
"""

from __future__ import annotations

from typing import Any

from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from baomi.core import durations as dur
from baomi.core import marks
from baomi.core.durations import Duration
from baomi.core.levels import Level


class DurationSerializer(serializers.Serializer):
    """The tagged union of R-DUR-2 with the model's column names."""

    duration_kind = serializers.ChoiceField(choices=list(dur.KINDS))
    duration_value = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    duration_unit = serializers.ChoiceField(choices=list(dur.UNITS), required=False, allow_blank=True)
    until_date = serializers.DateField(required=False, allow_null=True)
    condition = serializers.CharField(required=False, allow_blank=True, max_length=dur.CONDITION_MAX_LENGTH)
    long_term = serializers.BooleanField(required=False, default=False)


class ParsedMarkSerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=Level.choices)
    duration = DurationSerializer(allow_null=True)
    legacy = serializers.BooleanField()
    canonical = serializers.CharField()


class ParseRequestSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=400, trim_whitespace=False)


class ComposeRequestSerializer(DurationSerializer):
    level = serializers.ChoiceField(choices=Level.choices)
    duration_kind = serializers.ChoiceField(choices=list(dur.KINDS), required=False, allow_blank=True)
    duration_basis = serializers.CharField(required=False, allow_blank=True, max_length=300)
    period_start = serializers.DateField(required=False, allow_null=True)


class ComposeResponseSerializer(serializers.Serializer):
    mark = serializers.CharField()
    expires_on = serializers.DateField(allow_null=True)
    needs_basis = serializers.BooleanField()


def _duration_fields(duration: Duration | None) -> dict[str, Any] | None:
    return None if duration is None else duration.to_fields()


class ParseMarkView(APIView):
    @extend_schema(request=ParseRequestSerializer, responses=ParsedMarkSerializer, operation_id="marks_parse")
    def post(self, request: Request) -> Response:
        """Read a mark: level, duration, legacy flag and the canonical form (CLS-7)."""
        data = ParseRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        parsed = marks.parse_mark(data.validated_data["text"])
        return Response(
            {
                "level": parsed.level,
                "duration": _duration_fields(parsed.duration),
                "legacy": parsed.legacy,
                "canonical": parsed.canonical,
            }
        )


class ComposeMarkView(APIView):
    @extend_schema(
        request=ComposeRequestSerializer, responses=ComposeResponseSerializer, operation_id="marks_compose"
    )
    def post(self, request: Request) -> Response:
        """Write the mark for a level and duration, refusing what the law does not allow
        (R-DUR-1/5/6, R-WS-2)."""
        data = ComposeRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        duration = Duration.from_fields(v) if v.get("duration_kind") else None
        start = v.get("period_start")
        dur.validate_duration(v["level"], duration, v.get("duration_basis", ""), start=start)
        return Response(
            {
                "mark": marks.make_mark(v["level"], duration),
                "expires_on": duration.expires_on(start) if duration else None,
                "needs_basis": bool(duration and duration.exceeds_cap(v["level"], start)),
            }
        )


urlpatterns = [
    path("parse/", ParseMarkView.as_view(), name="marks-parse"),
    path("compose/", ComposeMarkView.as_view(), name="marks-compose"),
]
