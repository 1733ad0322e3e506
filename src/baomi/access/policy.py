"""Policy: ``can``, ``require``, ``visible``, ``access_object`` and ``check_ceiling``.

Every decision "may this user do this to that" goes through here (ARCHITECTURE rule 1). The
generic conditions are decided in this module, before any rule is asked:

1. an active, authenticated account (an anonymous or disabled user may do nothing);
2. the accreditation ceiling: nothing above ``BAOMI_CEILING`` exists for anybody (SEC-8);
3. clearance dominance — no read up (CAR-3): an object whose ``level`` is above the user's
   clearance is refused and filtered out, whatever the rule says, unless the rule lists the
   action in ``clearance_exempt`` (for actions on metadata that is not itself classified);
4. integrity (CLS-7, R-CRYPTO-5, SEC-3): an object whose integrity binding fails (its model's
   ``integrity_failed()`` says the stored MAC no longer matches its level, mark or number) is
   refused to everybody — only the one who oversees integrity (the security officer, global
   action ``oversee_integrity``) may still *view* it, to see the alarm — and every such check
   is audited as INTEGRITY_FAILED, which the monitoring turns into an alert. A tampered level
   is never obeyed: it fails closed.

The rules for each kind of object live in each app's ``<app>/rules.py`` and are registered
with :func:`register` (object actions) or :func:`register_global` (actions without an object:
opening a screen, creating a thing). This module knows no app: an app's rules module is
imported when Django is ready (the ``rules`` part of its ``AppConfig``,
``baomi.kit.registry``). A model without a rule is visible to nobody and an
unknown action is a programming error (``LookupError``): the policy fails closed. There is no
superuser or staff bypass: the user model has no such flag (SEC-2).

Actions are a closed vocabulary per model, listed by each rule's ``actions``;
:func:`registered_actions` and :func:`global_actions` enumerate them for forms and tests.
See docs/policy.md for how rules are written and tested.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Protocol, TypeVar

from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import prefetch_related_objects
from django.utils.translation import gettext_lazy as _

from baomi.access.errors import INTEGRITY_REASON, AccessDenied
from baomi.audit.context import current as audit_context
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.core import levels
from baomi.core.errors import CeilingExceeded, ValidationFailed

M = TypeVar("M", bound=models.Model)


class Rule(Protocol):
    """What an app registers for one model: its action vocabulary and two decisions.

    ``can`` and ``visible`` are only asked after the generic conditions hold; ``visible`` must
    be the same rule as ``can``, expressed as a SQL filter. A rule may also define
    ``clearance_exempt`` (a frozenset of actions the clearance check does not apply to).
    """

    actions: frozenset[str]

    def can(self, user: Any, action: str, obj: Any) -> bool: ...

    def visible(self, user: Any, queryset: models.QuerySet, action: str) -> models.QuerySet: ...


_RULES: dict[type[models.Model], Rule] = {}
# Rules for actions that have no object (creating things, opening a screen): name -> predicate.
_GLOBAL: dict[str, Callable[[Any], bool]] = {}


# --------------------------------------------------------------------------------------------
# Registration and enumeration


def register(model: type[models.Model], rule: Rule) -> None:
    """Register the rule for ``model`` (and its subclasses); its ``actions`` must not be empty."""
    if not rule.actions:
        raise ValueError(f"the rule for {model.__name__} declares no actions")
    _RULES[model] = rule


def register_global(action: str, predicate: Callable[[Any], bool]) -> None:
    """Register an object-less action: ``can(user, action)`` asks ``predicate(user)``."""
    _GLOBAL[action] = predicate


def rule_for(model: type[models.Model]) -> Rule:
    for klass in model.__mro__:
        if klass in _RULES:
            return _RULES[klass]
    # Fail closed: a model nobody wrote a rule for is visible to nobody (STYLE 2.12).
    raise LookupError(f"no access rule registered for {model.__name__}")


def registered_rules() -> dict[type[models.Model], Rule]:
    """Every registered model and its rule (for the meta-tests)."""
    return dict(_RULES)


def registered_actions() -> dict[str, frozenset[str]]:
    """Every model's action vocabulary, keyed by ``app_label.model``, for forms and tests."""
    return {m._meta.label_lower: r.actions for m, r in _RULES.items()}


def global_actions() -> frozenset[str]:
    """The names of every object-less action (for nav entries, forms and tests)."""
    return frozenset(_GLOBAL)


def all_actions(names: Iterable[str]) -> frozenset[str]:
    return frozenset(names)


# --------------------------------------------------------------------------------------------
# Generic conditions


def is_active_user(user: Any) -> bool:
    """An authenticated, active account (SEC-1): nothing else may do anything."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def clearance_dominates(user: Any, level: str) -> bool:
    """No read up (CAR-3): the user's clearance reaches the level."""
    return levels.dominates(getattr(user, "clearance", None), level)


def check_ceiling(level: str) -> None:
    """Refuse to store content or metadata above the accreditation ceiling (SEC-8, R-ARCH-1).

    Services that create or change anything carrying a level call this before writing:
    ``policy.check_ceiling(item.level)``. Raises :class:`CeilingExceeded` (HTTP 400, code
    ``above_ceiling``) naming the level and the ceiling; an unknown level raises
    :class:`ValidationFailed`.
    """
    message: Any
    try:
        level = levels.Level(level)
    except ValueError:
        message = _("Unknown classification level.")
        raise ValidationFailed(message, fields={"level": [message]}) from None
    if levels.within_ceiling(level):
        return
    message = _(
        "This system is accredited only up to “{ceiling}”; it may not hold “{level}” content or metadata. "
        "Handle this matter on an accredited classified information system."
    ).format(ceiling=levels.Level(levels.ceiling()).label, level=level.label)
    raise CeilingExceeded(message, fields={"level": [message]})


def _object_level(obj: Any) -> str | None:
    level = getattr(obj, "level", None)
    return level if isinstance(level, str) and level in levels.Level.values else None


def _generic_can(user: Any, action: str, obj: Any, rule: Rule) -> bool:
    level = _object_level(obj)
    if level is None:
        return True
    # SEC-8: nothing above the ceiling exists in this deployment.
    if not levels.within_ceiling(level):
        return False
    # CAR-3: no read up, whatever the role.
    if action in getattr(rule, "clearance_exempt", frozenset()):
        return True
    return clearance_dominates(user, level)


def _generic_visible(user: Any, queryset: models.QuerySet[M], action: str, rule: Rule) -> models.QuerySet[M]:
    try:
        queryset.model._meta.get_field("level")
    except FieldDoesNotExist:
        return queryset
    exempt = action in getattr(rule, "clearance_exempt", frozenset())
    refused = [
        lv
        for lv in levels.Level.values
        # SEC-8 above the ceiling; CAR-3 above the clearance (unless exempt).
        if not levels.within_ceiling(lv) or (not exempt and not clearance_dominates(user, lv))
    ]
    return queryset.exclude(level__in=refused) if refused else queryset


# --------------------------------------------------------------------------------------------
# Integrity (CLS-7, R-CRYPTO-5, SEC-3)

#: The object-less action of whoever may still view an object whose integrity check failed, to
#: see the alarm (the security officer; registered by the classification rules). Nobody else.
OVERSEE_INTEGRITY = "oversee_integrity"
#: What the overseer may still do to a tampered object: look at it. Never change it (a change
#: would bind the tampered values under a fresh MAC).
INTEGRITY_READS = frozenset({"view"})
# (request id, target type, target id) already alarmed: one entry per request and object,
# however often a page asks ``can`` about it. Bounded; requests without a context never match.
_ALARMED: dict[tuple[str, str, str], None] = {}
_ALARMED_MAX = 512


# How far the integrity of what an object is bound to is followed: a loan's carrier, that
# carrier's item (and a copy's source carrier and its item).
_BOUND_DEPTH = 4
_BOUND_FIELDS: dict[type[models.Model], tuple[str, ...]] = {}


def _binds(model: Any) -> bool:
    return callable(getattr(model, "integrity_failed", None))


def bound_fields(model: type[models.Model]) -> tuple[str, ...]:
    """The forward relations of ``model`` to objects that carry an integrity binding (a request's
    item, a loan's carrier, a carrier's item): an object is only as sound as what it is about."""
    names = _BOUND_FIELDS.get(model)
    if names is None:
        names = tuple(
            f.name
            for f in model._meta.concrete_fields
            if f.is_relation
            and (f.many_to_one or f.one_to_one)
            and not getattr(f.remote_field, "parent_link", False)
            and _binds(f.related_model)
        )
        _BOUND_FIELDS[model] = names
    return names


def integrity_failed(obj: Any, _depth: int = 0) -> bool:
    """Whether ``obj``'s integrity binding fails, or that of anything it is bound to (CLS-7,
    R-CRYPTO-5): a model that binds its level (or mark, number) by MAC declares
    ``integrity_failed()``; an object related to such a one (a change request or 密点 matter of
    an item, a carrier registered against it, a loan or copy of a carrier) fails with it. One
    rule, so no service acting on a request can obey — or re-seal — a tampered level."""
    check = getattr(obj, "integrity_failed", None)
    if callable(check) and check():
        return True
    if _depth >= _BOUND_DEPTH or not isinstance(obj, models.Model):
        return False
    for name in bound_fields(type(obj)):
        # The key column (``item_id``): an unset relation has nothing to fail, and asking it
        # costs no query.
        if getattr(obj, f"{name}_id", None) is None:
            continue
        if integrity_failed(getattr(obj, name), _depth + 1):
            return True
    return False


def _integrity_prefetch(model: Any, prefix: str = "", depth: int = 0) -> list[str]:
    """The relations a list's rows need to check their integrity without a query per row: each
    bound relation, and what its model names in ``INTEGRITY_PREFETCH`` (an item's scope)."""
    paths = [prefix + p for p in getattr(model, "INTEGRITY_PREFETCH", ())]
    if depth >= _BOUND_DEPTH or not isinstance(model, type) or not issubclass(model, models.Model):
        return paths
    for name in bound_fields(model):
        related = model._meta.get_field(name).related_model
        paths.append(prefix + name)
        paths.extend(_integrity_prefetch(related, f"{prefix}{name}__", depth + 1))
    return paths


def oversees_integrity(user: Any) -> bool:
    """The security officer, who sees integrity alarms (fail closed without a registered rule)."""
    predicate = _GLOBAL.get(OVERSEE_INTEGRITY)
    return bool(predicate is not None and is_active_user(user) and predicate(user))


def _integrity_alarm(user: Any, action: str, obj: Any, allowed: bool) -> None:
    """Audit INTEGRITY_FAILED for ``obj`` once per request (SEC-3); monitoring raises the alert."""
    outcome = "ok" if allowed else "denied"
    request_id = audit_context().request_id
    key = (request_id, obj._meta.label_lower, str(obj.pk))
    if key in _ALARMED:
        return
    if len(_ALARMED) >= _ALARMED_MAX:
        _ALARMED.clear()
    _ALARMED[key] = None
    record(user, AuditEvent.INTEGRITY_FAILED, obj, outcome=outcome, details={"action": action})


# --------------------------------------------------------------------------------------------
# Decisions


def scope_key(user: Any) -> str:
    """Who cached figures are for (OPS-1, ``baomi.audit.cache``): the key part that keeps one
    reader's numbers from another's — their roles, clearance and the departments they head, all
    the inputs of the rules' filters besides the records themselves (need-to-know scope grants
    are records, audited like the rest)."""
    heads = ",".join(str(d) for d in sorted(user.headed_department_ids()))
    return f"u{user.pk}|{','.join(sorted(user.role_codes()))}|{user.clearance}|{heads}"


def can(user: Any, action: str, obj: Any = None) -> bool:
    """Whether ``user`` may do ``action`` to ``obj`` (or, with no object, at all).

    Unknown actions and unregistered models raise ``LookupError`` (a programming error)."""
    if obj is None:
        if action not in _GLOBAL:
            raise LookupError(f"unknown global action {action!r}")
        # SEC-1: inactive and anonymous users may do nothing.
        if not is_active_user(user):
            return False
        return bool(_GLOBAL[action](user))
    rule = rule_for(type(obj))
    if action not in rule.actions:
        raise LookupError(f"unknown action {action!r} for {type(obj).__name__}")
    # SEC-1: inactive and anonymous users may do nothing.
    if not is_active_user(user):
        return False
    # CLS-7, R-CRYPTO-5: a failed integrity check is never obeyed — only the overseer views it.
    if integrity_failed(obj):
        allowed = action in INTEGRITY_READS and oversees_integrity(user)
        allowed = allowed and _generic_can(user, action, obj, rule) and bool(rule.can(user, action, obj))
        _integrity_alarm(user, action, obj, allowed)
        return allowed
    # SEC-8, CAR-3: ceiling and clearance, before the rule.
    if not _generic_can(user, action, obj, rule):
        return False
    return bool(rule.can(user, action, obj))


def require(user: Any, action: str, obj: Any = None, *, reason: str = "") -> None:
    """Raise :class:`AccessDenied` (which looks like not found) unless ``can``.

    Inside a ``@service`` the decorator audits the denial after rollback."""
    if not can(user, action, obj):
        # The @service decorator audits the refusal after rollback; an integrity failure is
        # named so that its alarm survives the rollback too (``baomi.kit.service``).
        if obj is not None and integrity_failed(obj):
            reason = INTEGRITY_REASON
        raise AccessDenied(action=action, target=obj, reason=reason)


def require_intact(user: Any, action: str, obj: Any) -> None:
    """Refuse, like not found, to act on ``obj`` when its integrity binding — or that of what it
    is bound to — fails (CLS-7, R-CRYPTO-5), alarmed like ``can``. For services that act on an
    object under an object-less permission (registering carriers against an item, asking to
    know an item for oneself): what ``can`` decides for every object action."""
    if integrity_failed(obj):
        _integrity_alarm(user, action, obj, False)
        raise AccessDenied(action=action, target=obj, reason=INTEGRITY_REASON)


def visible(user: Any, queryset: models.QuerySet[M], action: str = "view") -> models.QuerySet[M]:
    """``queryset`` narrowed in SQL to what ``user`` may ``action``."""
    rule = rule_for(queryset.model)
    if action not in rule.actions:
        raise LookupError(f"unknown action {action!r} for {queryset.model.__name__}")
    # SEC-1: inactive and anonymous users see nothing.
    if not is_active_user(user):
        return queryset.none()
    queryset = _generic_visible(user, queryset, action, rule)
    return rule.visible(user, queryset, action)


def access_object(user: Any, queryset: models.QuerySet[M], pk: Any, action: str = "view") -> M:
    """Fetch one object the user may ``action``; absent and forbidden raise the same error
    (:class:`AccessDenied`, a ``NotFound``), and the refusal is audited (CAR-3, SEC-3)."""
    try:
        obj = visible(user, queryset, action).get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError, ValidationError):
        raise deny(user, action, (queryset.model._meta.label_lower, pk, "")) from None
    if not can(user, action, obj):
        raise deny(user, action, obj, reason=INTEGRITY_REASON if integrity_failed(obj) else "")
    return obj


def screen(user: Any, objects: Iterable[M], action: str = "view") -> list[M]:
    """The rows of a list page without those whose integrity check failed (CLS-7, R-CRYPTO-5).

    ``visible`` filters in SQL, where no MAC can be checked; a list calls this on the page it
    shows, so a row whose level was lowered in the database is never listed under that level —
    except to the overseer, who sees it flagged. Each failed row is alarmed like ``can``."""
    rows = list(objects)
    if rows:
        prefetch_related_objects(rows, *_integrity_prefetch(type(rows[0])))
    kept = []
    for obj in rows:
        if integrity_failed(obj):
            allowed = action in INTEGRITY_READS and oversees_integrity(user)
            _integrity_alarm(user, action, obj, allowed)
            if not allowed:
                continue
        kept.append(obj)
    return kept


def deny(user: Any, action: str, target: Any, *, reason: str = "") -> AccessDenied:
    """Audit a refused read (SEC-3) and return the error to raise.

    ``target`` is a model instance or ``(type, id, label[, level])``. Refused *changes* are
    audited by the ``@service`` decorator after rollback instead. The entry never carries the
    object's title or content (CAR-2): only type, id, action and reason.
    """

    details = {"action": action}
    if reason:
        details["reason"] = reason
    record(user, AuditEvent.ACCESS_DENIED, target, outcome="denied", details=details)
    error = AccessDenied(action=action, target=target, reason=reason)
    error.audited = True
    return error


def _load_rules() -> None:
    """Rules register themselves when Django is ready: each app's ``rules`` part is imported by
    its ``AppConfig.ready`` (``baomi.kit.registry``). This only checks that moment has come."""
    from django.apps import apps

    apps.check_apps_ready()
