"""Reads of the governance records for the UI, the API and the CLI (ORG-2, SUP-9..11), and the
measured checks of the self-inspection (R-SITE-4 areas 1 and 2: 责任制, rules and regulations).

The checks come in two shapes, each ONE SQL statement:

* figures — ``statement_figures(on)``, ``regulation_review_figures(on)``, ``drill_figures(on)``:
  one aggregate query each, ``{"total": …, "ok": …, "missing": …}``;
* exceptions — ``departments_without_statement(on)``, ``regulations_review_overdue(on)``,
  ``plans_drill_overdue(on)``: a queryset of ``(pk, label)`` rows, the shape of the inspections
  app's probes (``baomi.kit.probes``), registered there as this app's ``probes`` part once that
  registry exists.

What they count: every department except the top of the tree (the unit itself signs with each
department, not with itself) should have this year's 保密工作责任书 signed by both sides; every
regulation in force should have its next review on or after ``on``; every plan in force should
have had its drill before its due date (``next_drill_on``, moved by each drill).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from baomi.access.policy import access_object, visible
from baomi.accounts.models import Department, User
from baomi.governance.choices import PlanStatus, RegulationStatus
from baomi.governance.models import (
    Campaign,
    Drill,
    EducationEvent,
    EmergencyPlan,
    Membership,
    Regulation,
    RegulationVersion,
    ResponsibilityStatement,
)

# --- the measured checks ---------------------------------------------------------------------------


def _signed_this_year(on: date) -> Exists:
    return Exists(
        ResponsibilityStatement.objects.filter(
            department=OuterRef("pk"),
            year=on.year,
            department_signed_on__isnull=False,
            unit_signed_on__isnull=False,
        )
    )


def _departments_needing_statement() -> QuerySet[Department]:
    return Department.objects.filter(parent__isnull=False)


def statement_figures(on: date) -> dict[str, int]:
    """Departments that need a statement this year and how many have it signed (ORG-2)."""
    agg = _departments_needing_statement().aggregate(
        total=Count("pk"), ok=Count("pk", filter=Q(_signed_this_year(on)))
    )
    return {"total": agg["total"], "ok": agg["ok"], "missing": agg["total"] - agg["ok"]}


def departments_without_statement(on: date) -> QuerySet:
    """The departments without a signed statement for ``on``'s year: ``(pk, name)``."""
    return (
        _departments_needing_statement()
        .exclude(_signed_this_year(on))
        .order_by("sort_order", "name")
        .values_list("pk", "name")
    )


def regulation_review_figures(on: date) -> dict[str, int]:
    """Regulations in force and how many are reviewed on time (SUP-10)."""
    overdue = Q(next_review_on__lt=on)
    agg = Regulation.objects.filter(status=RegulationStatus.EFFECTIVE).aggregate(
        total=Count("pk"), missing=Count("pk", filter=overdue)
    )
    return {"total": agg["total"], "ok": agg["total"] - agg["missing"], "missing": agg["missing"]}


def regulations_review_overdue(on: date) -> QuerySet:
    """Regulations in force whose review is past due: ``(pk, code)``."""
    return (
        Regulation.objects.filter(status=RegulationStatus.EFFECTIVE, next_review_on__lt=on)
        .order_by("next_review_on", "code")
        .values_list("pk", "code")
    )


def drill_figures(on: date) -> dict[str, int]:
    """Plans in force, how many had their drill in time, and drills held in ``on``'s year (SUP-9)."""
    agg = EmergencyPlan.objects.filter(status=PlanStatus.ACTIVE).aggregate(
        total=Count("pk", distinct=True),
        missing=Count("pk", filter=Q(next_drill_on__lt=on), distinct=True),
        held=Count("drills", filter=Q(drills__held_on__year=on.year), distinct=True),
    )
    return {
        "total": agg["total"],
        "ok": agg["total"] - agg["missing"],
        "missing": agg["missing"],
        "held": agg["held"],
    }


def plans_drill_overdue(on: date) -> QuerySet:
    """Plans in force whose drill is past due: ``(pk, title)``."""
    return (
        EmergencyPlan.objects.filter(status=PlanStatus.ACTIVE, next_drill_on__lt=on)
        .order_by("next_drill_on", "pk")
        .values_list("pk", "title")
    )


# --- reads for pages, API and CLI -----------------------------------------------------------------


def members(viewer: Any, *, body: str = "", current: bool = True) -> QuerySet[Membership]:
    qs = visible(viewer, Membership.objects.select_related("user", "user__department"), "view")
    if body:
        qs = qs.filter(body=body)
    return qs.filter(ended_on__isnull=True) if current else qs.exclude(ended_on__isnull=True)


def membership_for(viewer: Any, pk: Any, action: str = "view") -> Membership:
    return access_object(viewer, Membership.objects.select_related("user"), pk, action)


def statements(viewer: Any, *, year: int | None = None) -> QuerySet[ResponsibilityStatement]:
    qs = visible(viewer, ResponsibilityStatement.objects.select_related("department", "department_signatory",
                                                                         "unit_signatory"), "view")  # fmt: skip
    return qs.filter(year=year) if year else qs


def statement_for(viewer: Any, pk: Any, action: str = "view") -> ResponsibilityStatement:
    qs = ResponsibilityStatement.objects.select_related("department", "department__head")
    return access_object(viewer, qs, pk, action)


def statement_board(viewer: Any, year: int) -> list[dict[str, Any]]:
    """Every department needing a statement, with its statement of ``year`` as ``viewer`` may
    see it (the dashboard list of departments without a current one, ORG-2)."""
    by_dept = {s.department_id: s for s in statements(viewer, year=year)}
    return [{"department": d, "statement": by_dept.get(d.pk)}
            for d in _departments_needing_statement().select_related("head").order_by("sort_order", "name")]  # fmt: skip


def regulations(viewer: Any, *, status: str = RegulationStatus.EFFECTIVE) -> QuerySet[Regulation]:
    qs = visible(viewer, Regulation.objects.select_related("department"), "view")
    return qs.filter(status=status) if status else qs


def regulation_for(viewer: Any, pk: Any, action: str = "view") -> Regulation:
    return access_object(viewer, Regulation.objects.all(), pk, action)


def versions(regulation: Regulation) -> QuerySet[RegulationVersion]:
    return regulation.versions.select_related("approved_by")


def current_version(regulation: Regulation, on: date | None = None) -> RegulationVersion | None:
    day = on or timezone.localdate()
    return regulation.versions.filter(effective_on__lte=day).order_by("-effective_on", "-id").first()


def version_for(viewer: Any, pk: Any) -> RegulationVersion:
    return access_object(viewer, RegulationVersion.objects.select_related("regulation"), pk, "view")


def plans(viewer: Any, *, active_only: bool = True) -> QuerySet[EmergencyPlan]:
    qs = visible(viewer, EmergencyPlan.objects.all(), "view")
    return qs.filter(status=PlanStatus.ACTIVE) if active_only else qs


def plan_for(viewer: Any, pk: Any, action: str = "view") -> EmergencyPlan:
    return access_object(viewer, EmergencyPlan.objects.all(), pk, action)


def drills(viewer: Any, plan: EmergencyPlan | None = None) -> QuerySet[Drill]:
    qs = visible(viewer, Drill.objects.select_related("plan").prefetch_related("participants"), "view")
    return qs.filter(plan=plan) if plan is not None else qs


def campaigns(viewer: Any) -> QuerySet[Campaign]:
    return visible(viewer, Campaign.objects.prefetch_related("materials"), "view")


def campaign_for(viewer: Any, pk: Any, action: str = "view") -> Campaign:
    return access_object(viewer, Campaign.objects.all(), pk, action)


def events(viewer: Any, *, year: int | None = None) -> QuerySet[EducationEvent]:
    rows = EducationEvent.objects.select_related("campaign").annotate(attended=Count("attendances"))
    qs = visible(viewer, rows, "view").order_by("-held_on", "-pk")  # a stable order for the API's pages
    return qs.filter(held_on__year=year) if year else qs


def event_for(viewer: Any, pk: Any, action: str = "view") -> EducationEvent:
    return access_object(
        viewer, EducationEvent.objects.select_related("campaign", "training_session"), pk, action
    )


def people() -> QuerySet[User]:
    """Active accounts, for the choices of forms (members, participants, attendance)."""
    return User.objects.filter(is_active=True).select_related("department").order_by("department__sort_order",
                                                                                      "username")  # fmt: skip


def unit_heads() -> QuerySet[User]:
    return people().filter(role_assignments__role="unit_head").distinct()


def approvers() -> QuerySet[User]:
    return people().filter(role_assignments__role__in=["unit_head", "leading_group"]).distinct()


def departments() -> QuerySet[Department]:
    return Department.objects.order_by("sort_order", "name")
