"""Where an audited action comes from: IP, channel and request id, held in a context variable.

Middleware sets it for web and API requests, the CLI entry point for ``baomi`` commands and the
scheduler for jobs. With nothing set, ``record()`` still writes, with channel ``system`` — never
a silent skip (STYLE 2.4).
"""

from __future__ import annotations

import contextlib
import contextvars
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class AuditContext:
    channel: str = "system"  # web | api | cli | job | system
    ip: str | None = None
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex)


_current: contextvars.ContextVar[AuditContext | None] = contextvars.ContextVar("baomi_audit", default=None)


def current() -> AuditContext:
    return _current.get() or AuditContext()


@contextlib.contextmanager
def audit_context(channel: str, ip: str | None = None) -> Iterator[AuditContext]:
    ctx = AuditContext(channel=channel, ip=ip)
    token = _current.set(ctx)
    try:
        yield ctx
    finally:
        _current.reset(token)
