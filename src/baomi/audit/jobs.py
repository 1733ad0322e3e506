"""Scheduled job of the audit app: seal committed entries into the chain (SEC-3).

The window between an entry's commit and its seal is at most one interval of the scheduler
(plus the longest open transaction); ``verify`` and ``checkpoint`` seal on demand as well.
Idempotent: a run with nothing pending does nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from baomi.audit import chain
from baomi.kit.jobs import job


@job("audit_seal", every=timedelta(minutes=1))
def seal(now: datetime) -> dict[str, Any]:
    sealed = chain.seal_pending()
    seq, _mac = chain.head()
    return {"sealed": sealed, "head_seq": seq}
