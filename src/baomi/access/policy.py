"""Policy: ``can``, ``require``, ``visible`` and the ``access_*`` fetchers.

Every decision "may this user do this to that" goes through here (ARCHITECTURE rule 1). The
generic conditions — an active, authenticated account, clearance dominance (no read up), the
accreditation ceiling — are decided in this module; the rules for each kind of object live in
``access/rules/<app>.py`` and are registered with :func:`register`. There is no superuser or
staff bypass: the user model has no such flag (SEC-2).

Actions are a closed vocabulary per model, listed by each rule's ``actions``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models

from baomi.access.errors import AccessDenied
from baomi.core import levels

M = TypeVar("M", bound=models.Model)


class Rule(Protocol):
    """What an app registers for one model: its action vocabulary and two decisions."""

    actions: frozenset[str]

    def can(self, user: Any, action: str, obj: Any) -> bool: ...

    def visible(self, user: Any, queryset: models.QuerySet, action: str) -> models.QuerySet: ...


_RULES: dict[type[models.Model], Rule] = {}
# Rules for actions that have no object (creating things, opening a screen): name -> predicate.
_GLOBAL: dict[str, Callable[[Any], bool]] = {}


def register(model: type[models.Model], rule: Rule) -> None:
    _RULES[model] = rule


def register_global(action: str, predicate: Callable[[Any], bool]) -> None:
    _GLOBAL[action] = predicate


def rule_for(model: type[models.Model]) -> Rule:
    _load_rules()
    for klass in model.__mro__:
        if klass in _RULES:
            return _RULES[klass]
    # Fail closed: a model nobody wrote a rule for is visible to nobody (STYLE 2.12).
    raise LookupError(f"no access rule registered for {model.__name__}")


def registered_actions() -> dict[str, frozenset[str]]:
    """Every model's action vocabulary, for forms and the policy-matrix tests."""
    _load_rules()
    return {m._meta.label_lower: r.actions for m, r in _RULES.items()}


def is_active_user(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def clearance_dominates(user: Any, level: str) -> bool:
    """No read up (CAR-3): the user's clearance reaches the level."""
    return levels.dominates(getattr(user, "clearance", None), level)


def can(user: Any, action: str, obj: Any = None) -> bool:
    """Whether ``user`` may do ``action`` to ``obj`` (or, with no object, at all)."""
    if not is_active_user(user):
        return False
    if obj is None:
        _load_rules()
        predicate = _GLOBAL.get(action)
        return bool(predicate and predicate(user))
    rule = rule_for(type(obj))
    if action not in rule.actions:
        raise LookupError(f"unknown action {action!r} for {type(obj).__name__}")
    return bool(rule.can(user, action, obj))


def require(user: Any, action: str, obj: Any = None) -> None:
    """Raise :class:`AccessDenied` (which looks like not found) unless ``can``."""
    if not can(user, action, obj):
        raise AccessDenied(action=action, target=obj)


def visible(user: Any, queryset: models.QuerySet[M], action: str = "view") -> models.QuerySet[M]:
    """``queryset`` narrowed in SQL to what ``user`` may ``action``."""
    if not is_active_user(user):
        return queryset.none()
    rule = rule_for(queryset.model)
    if action not in rule.actions:
        raise LookupError(f"unknown action {action!r} for {queryset.model.__name__}")
    return rule.visible(user, queryset, action)


def access_object(user: Any, queryset: models.QuerySet[M], pk: Any, action: str = "view") -> M:
    """Fetch one object the user may ``action``; absent and forbidden raise the same error."""
    try:
        obj = visible(user, queryset, action).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError):
        raise deny(user, action, (queryset.model._meta.label_lower, pk, "")) from None
    if not can(user, action, obj):
        raise deny(user, action, obj)
    return obj


def deny(user: Any, action: str, target: Any) -> AccessDenied:
    """Audit a refused read (SEC-3) and return the error to raise.

    Refused *changes* are audited by the ``@service`` decorator after rollback instead.
    """
    from baomi.audit.events import AuditEvent
    from baomi.audit.record import record

    record(user, AuditEvent.ACCESS_DENIED, target, outcome="denied", details={"action": action})
    return AccessDenied(action=action, target=target)


_loaded = False


def _load_rules() -> None:
    """Import every rules module once, so registration does not depend on import order."""
    global _loaded
    if _loaded:
        return
    import importlib
    import pkgutil

    from baomi.access import rules

    for info in pkgutil.iter_modules(rules.__path__):
        importlib.import_module(f"baomi.access.rules.{info.name}")
    _loaded = True


def all_actions(names: Iterable[str]) -> frozenset[str]:
    return frozenset(names)
