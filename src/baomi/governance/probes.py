"""Measured checks of the governance records for inspections (SUP-1, R-SITE-4 areas 1, 2 and
13; ``baomi.kit.probes``): the exception querysets of ``governance.selectors``, each one
statement of ``(pk, label)`` rows; the labels (department names, regulation codes, plan titles)
are not classified."""

from __future__ import annotations

from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from baomi.governance import selectors
from baomi.kit.probes import probe


@probe("governance.statements_missing", area=1, label=_("Departments without this year's signed responsibility statement"),
       help=_("Every department below the unit signs a 保密工作责任书 each year with the unit head (ORG-2)."))  # fmt: skip
def statements_missing(on: date) -> QuerySet:
    return selectors.departments_without_statement(on)


@probe("governance.regulation_reviews_overdue", area=2, url="governance:regulation",
       label=_("Regulations whose periodic review is past due"),
       help=_("Regulations in force whose next review date has passed (SUP-10)."))  # fmt: skip
def regulation_reviews_overdue(on: date) -> QuerySet:
    return selectors.regulations_review_overdue(on)


@probe("governance.drills_overdue", area=13, url="governance:plan", label=_("Emergency plans whose drill is past due"),
       help=_("Emergency plans in force not drilled within their interval (SUP-9)."))  # fmt: skip
def drills_overdue(on: date) -> QuerySet:
    return selectors.plans_drill_overdue(on)
