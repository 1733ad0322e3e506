"""Reads of the information systems register (SUP-7), narrowed by ``access.policy.visible``;
the highest level registered on a system (R-SYS-1) and the assessments due (R-SYS-3)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from baomi.access.policy import access_object, visible
from baomi.accounts.models import Department, User
from baomi.core import levels
from baomi.systems.choices import SystemStatus
from baomi.systems.models import InformationSystem, Patch, RecoveryDrill, RiskAssessment, SystemReview

RELATED = ("department", "place", "system_admin", "security_admin", "auditor")


def systems(viewer: Any, *, q: str = "", kind: str = "", status: str = "", grade: str = "",
            action: str = "view") -> QuerySet[InformationSystem]:  # fmt: skip
    qs = visible(viewer, InformationSystem.objects.select_related(*RELATED), action)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if grade:
        qs = qs.filter(grade=grade)
    return qs


def get_system(viewer: Any, pk: Any, action: str = "view") -> InformationSystem:
    return access_object(viewer, InformationSystem.objects.select_related(*RELATED), pk, action)


def _of(model: Any, viewer: Any, system: InformationSystem) -> QuerySet:
    qs = model.objects.filter(system=system)
    return (
        qs if visible(viewer, InformationSystem.objects.filter(pk=system.pk), "view").exists() else qs.none()
    )


def reviews_of(viewer: Any, system: InformationSystem) -> QuerySet[SystemReview]:
    return _of(SystemReview, viewer, system)


def assessments_of(viewer: Any, system: InformationSystem) -> QuerySet[RiskAssessment]:
    return _of(RiskAssessment, viewer, system)


def patches_of(viewer: Any, system: InformationSystem) -> QuerySet[Patch]:
    return _of(Patch, viewer, system).select_related("applied_by")


def drills_of(viewer: Any, system: InformationSystem) -> QuerySet[RecoveryDrill]:
    return _of(RecoveryDrill, viewer, system)


def last_assessment(system: InformationSystem) -> RiskAssessment | None:
    return RiskAssessment.objects.filter(system=system).order_by("-assessed_on", "-id").first()


def assessments_due(
    viewer: Any, on: date | None = None, days: int | None = None
) -> QuerySet[InformationSystem]:
    """Live systems whose risk assessment is due within ``days`` (the reminder lead time) of
    ``on`` — overdue ones included (R-SYS-3)."""
    day = on or timezone.localdate()
    horizon = day + timedelta(days=settings.REGISTERS_REMINDER_DAYS if days is None else days)
    return systems(viewer, status=SystemStatus.LIVE).filter(next_assessment_on__lte=horizon)


def assessments_overdue(viewer: Any, on: date | None = None) -> QuerySet[InformationSystem]:
    return assessments_due(viewer, on, days=-1)


def highest_held(system: InformationSystem | None, devices: list[Any] | None = None) -> str | None:
    """The highest level registered on a system (R-SYS-1): its devices' levels, and the live
    carriers kept on those devices (once carriers name devices); None when nothing is."""
    found = [d.level for d in (devices if devices is not None else (system.devices.all() if system else []))]
    carrier_levels = _carrier_levels([d.pk for d in devices] if devices is not None else None, system)
    found += carrier_levels
    return levels.highest(found) if found else None


def _carrier_levels(device_ids: list[int] | None, system: InformationSystem | None) -> list[str]:
    from baomi.carriers.models import Carrier

    if not any(f.name == "device" for f in Carrier._meta.get_fields()):
        return []
    if device_ids is None:
        device_ids = list(system.devices.values_list("pk", flat=True)) if system else []
    qs = Carrier.objects.filter(device_id__in=device_ids).exclude(status__in=["destroyed", "returned"])
    return list(qs.values_list("level", flat=True).distinct())


def departments() -> QuerySet[Department]:
    return Department.objects.all()


def people() -> QuerySet[User]:
    return User.objects.filter(is_active=True).select_related("department").order_by("username")


# --- measured check for inspections (SUP-1, R-SYS-3): one aggregate query -------------------------


def overdue_systems(on: date) -> QuerySet[InformationSystem]:
    """Systems in operation whose risk assessment fell due before ``on`` (R-SYS-3)."""
    return InformationSystem.objects.filter(status=SystemStatus.LIVE, next_assessment_on__lt=on)


def measure_overdue_assessments(on: date | None = None) -> dict[str, int]:
    """Systems in operation whose risk assessment is overdue on ``on`` (today): all of them, and
    those overdue because of a change of level, users or environment. One aggregate query."""
    from django.db.models import Count

    return overdue_systems(on or timezone.localdate()).aggregate(
        count=Count("pk"), after_change=Count("pk", filter=Q(reassess_since__isnull=False))
    )
