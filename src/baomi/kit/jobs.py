"""Scheduled jobs (OPS-2): idempotent, and safe when several servers run the scheduler.

Apps register jobs with ``@job("name", every=timedelta(...))`` in their ``jobs`` part
(``baomi.<app>.jobs``, ``baomi.kit.registry``). A run
claims the (job, slot) row first; a second server that tries the same slot gets an integrity
error and skips. Each run is audited with channel ``job``.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from baomi.audit.context import audit_context
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.core.models import JobRun
from baomi.kit import registry

log = logging.getLogger("baomi.jobs")


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    func: Callable[[datetime], dict[str, Any] | None]


JOBS: dict[str, Job] = {}


def job(name: str, *, every: timedelta) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def deco(func: Callable[..., Any]) -> Callable[..., Any]:
        JOBS[name] = Job(name, every, func)
        return func

    return deco


def import_job_modules() -> None:
    """Import every app's ``jobs`` part: importing it registers its ``@job`` functions."""
    for _app, _module in registry.modules("jobs"):
        pass


def load_jobs() -> dict[str, Job]:
    import_job_modules()
    return JOBS


def slot_for(j: Job, now: datetime) -> str:
    seconds = max(int(j.every.total_seconds()), 1)
    return str(int(now.timestamp()) // seconds)


def run_job(j: Job, now: datetime | None = None) -> bool:
    """Run ``j`` for the slot of ``now`` unless it already ran; return whether it ran."""

    now = now or timezone.now()
    try:
        with transaction.atomic():
            run = JobRun.objects.create(job=j.name, slot=slot_for(j, now), started_at=timezone.now())
    except IntegrityError:
        return False
    with audit_context("job"):
        try:
            result = j.func(now) or {}
            ok = True
        except Exception as exc:  # a failing job must not stop the others
            log.exception("job %s failed", j.name)
            result, ok = {"error": type(exc).__name__}, False
        with transaction.atomic():
            JobRun.objects.filter(pk=run.pk).update(finished_at=timezone.now(), ok=ok, result=result)
            record(None, AuditEvent.JOB_RAN, ("core.job", j.name, j.name), outcome="ok" if ok else "failed",
                   details={"slot": run.slot, "result": result})  # fmt: skip
    return True


def run_due(now: datetime | None = None) -> list[str]:
    return [j.name for j in load_jobs().values() if run_job(j, now)]


def run_forever(*, interval: int = 60, once: bool = False) -> None:  # pragma: no cover - loop
    while True:
        ran = run_due()
        if ran:
            log.warning("jobs ran: %s", ", ".join(ran))
        if once:
            return
        time.sleep(interval)
