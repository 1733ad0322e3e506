"""Helpers that build governance records through the services."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from baomi.governance import services


def today() -> date:
    return timezone.localdate()


def regulation(
    org: Any, code: str = "BM-01", *, effective_days_ago: int = 30, review_in: int | None = None
) -> Any:
    eff = today() - timedelta(days=effective_days_ago)
    return services.create_regulation(
        org.security_officer, code=code, title=f"保密制度{code}", version="2026版", effective_on=eff,
        approved_by=org.unit_head, text="第一条 为加强保密管理……",
        next_review_on=today() + timedelta(days=review_in) if review_in is not None else None,
    )  # fmt: skip


def plan(org: Any, kind: str = "leak", *, months: int = 12, effective_days_ago: int = 30) -> Any:
    return services.create_plan(
        org.security_officer, kind=kind, title=f"{kind}应急预案", version="2026版",
        effective_on=today() - timedelta(days=effective_days_ago), approved_by=org.unit_head,
        text="一、适用范围……", drill_interval_months=months,
    )  # fmt: skip


def signed_statement(org: Any, department: Any, year: int | None = None) -> Any:
    year = year or today().year
    day = today() if year == today().year else date(year, 6, 30)
    st = services.issue_statement(org.security_officer, department=department, year=year)
    services.record_statement_signature(org.security_officer, st, side="department", signed_on=day)
    return services.record_statement_signature(org.security_officer, st, side="unit", signed_on=day,
                                               signatory=org.unit_head)  # fmt: skip
