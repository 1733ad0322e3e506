"""The ``@service`` decorator: a transaction per service call, denials audited after rollback.

Services are the only writers of domain models (STYLE 2.2). Inside a service the order is:
``select_for_update`` → ``access.require`` → lifecycle check → mutate → ``save(update_fields=…)``
→ ``audit.record`` → ``transaction.on_commit`` side effects. If the policy refuses, the
transaction rolls back and this decorator then writes the ACCESS_DENIED entry, so the denial
survives while the refused change does not.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import transaction

from baomi.access.errors import INTEGRITY_REASON, AccessDenied
from baomi.audit.events import AuditEvent
from baomi.audit.record import record

P = ParamSpec("P")
R = TypeVar("R")


def service(fn: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            with transaction.atomic():
                return fn(*args, **kwargs)
        except AccessDenied as exc:
            actor = args[0] if args else kwargs.get("actor")
            with transaction.atomic():
                record(
                    actor,
                    AuditEvent.ACCESS_DENIED,
                    exc.target if exc.target is not None else None,
                    outcome="denied",
                    details={"action": exc.action, "service": fn.__name__, "reason": exc.reason},
                )
                if exc.reason == INTEGRITY_REASON and exc.target is not None:
                    # CLS-7, R-CRYPTO-5: the policy's alarm rolled back with the service; keep it.
                    record(actor, AuditEvent.INTEGRITY_FAILED, exc.target, outcome="denied",
                           details={"action": exc.action, "service": fn.__name__})  # fmt: skip
            exc.audited = True
            raise

    wrapper.is_service = True  # type: ignore[attr-defined]  # marker for the meta-test
    return wrapper


F = TypeVar("F", bound=Callable[..., object])


def internal(fn: F) -> F:
    """Mark a function of a ``services.py`` that is not a service itself — a pure predicate, or
    a helper that runs inside another service's transaction — so the meta-test
    (tests/test_meta.py) accepts it. Its docstring must say which, and who checks policy."""
    fn.is_internal_helper = True  # type: ignore[attr-defined]  # marker for the meta-test
    return fn


def own_transaction(fn: F) -> F:
    """Mark a writer of a ``services.py`` that manages its own transactions instead of running in
    one ``@service`` transaction — it streams a file before recording it, works in batches, or is
    a scheduled job that calls one service per object. Its docstring must say how it checks
    policy and audits; the meta-test (tests/test_meta.py) accepts it on that condition."""
    fn.is_own_transaction = True  # type: ignore[attr-defined]  # marker for the meta-test
    return fn
