"""The API schema class named in the settings (``DEFAULT_SCHEMA_CLASS``; apart from
``kit.drf``, which DRF's settings import before drf-spectacular can be)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, saying what the API really answers (issue 11 §6):

    - a read-only choice field whose model column may be blank (or null) documents the blank
      (``BlankEnum``) or null value it then answers — DRF drops ``allow_blank`` from read-only
      fields, so without this an unset level or opinion (``""``) violated the schema;
    - a ViewSet whose ``list`` answers one object (figures, a summary) says so with
      ``single_answer = True`` instead of being documented as an array.
    """

    def _map_serializer_field(self, field: Any, direction: Any, bypass_extensions: bool = False) -> Any:
        from rest_framework import serializers as drf_serializers

        if isinstance(field, drf_serializers.ChoiceField) and field.read_only:
            column = _model_field(field)
            if column is not None:
                field.allow_blank = field.allow_blank or bool(getattr(column, "blank", False))
                field.allow_null = field.allow_null or bool(getattr(column, "null", False))
        return super()._map_serializer_field(field, direction, bypass_extensions)

    def _is_list_view(self, serializer: Any = None) -> bool:
        if getattr(self.view, "single_answer", False):
            return False
        return bool(super()._is_list_view(serializer))


def _model_field(field: Any) -> Any:
    """The model column behind a serializer field, if it is a plain ``source`` on a model."""
    parent = getattr(field, "parent", None)
    model = getattr(getattr(parent, "Meta", None), "model", None)
    source = getattr(field, "source", "") or ""
    if model is None or not source or "." in source:
        return None
    try:
        return model._meta.get_field(source)
    except Exception:  # a property or an annotation: nothing to learn
        return None
