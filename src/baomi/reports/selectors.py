"""Reads of the reports app (OPS-3, SUP-14), through the policy."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from baomi.access import policy
from baomi.reports.models import AnnualReport


def annual_reports(user: Any) -> QuerySet[AnnualReport]:
    return policy.visible(user, AnnualReport.objects.all(), "view")


def annual_report_for(user: Any, year: Any, action: str = "view") -> AnnualReport:
    """One year's report; absent and forbidden raise the same not-found error (audited)."""
    report = AnnualReport.objects.filter(year=year).first() if str(year).isdigit() else None
    if report is None:
        raise policy.deny(user, action, ("reports.annualreport", year, str(year)))
    return policy.access_object(user, AnnualReport.objects.all(), report.pk, action)
