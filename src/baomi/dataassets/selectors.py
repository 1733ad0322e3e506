"""Reads of the data assets register (SUP-8), narrowed by ``access.policy.visible``; the
assessments due (R-DATA-4) and the aggregation risks awaiting review (R-DATA-7)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from baomi.access.policy import access_object, visible
from baomi.accounts.models import Department, User
from baomi.dataassets.choices import OFFICER_GRADES, AggregationReview, AssetStatus
from baomi.dataassets.models import DataAssessment, DataAsset

RELATED = ("department", "owner", "officer", "system")


def assets(viewer: Any, *, q: str = "", grade: str = "", category: str = "", status: str = "",
           aggregation: str = "", action: str = "view") -> QuerySet[DataAsset]:  # fmt: skip
    qs = visible(viewer, DataAsset.objects.select_related(*RELATED), action)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(code__icontains=q))
    if grade:
        qs = qs.filter(grade=grade)
    if category:
        qs = qs.filter(category=category)
    if status:
        qs = qs.filter(status=status)
    if aggregation:
        qs = qs.filter(aggregation=aggregation)
    return qs


def get_asset(viewer: Any, pk: Any, action: str = "view") -> DataAsset:
    return access_object(viewer, DataAsset.objects.select_related(*RELATED), pk, action)


def assessments_of(viewer: Any, asset: DataAsset) -> QuerySet[DataAssessment]:
    qs = DataAssessment.objects.filter(asset=asset)
    return qs if visible(viewer, DataAsset.objects.filter(pk=asset.pk), "view").exists() else qs.none()


def due(viewer: Any, on: date | None = None, days: int | None = None) -> QuerySet[DataAsset]:
    """Important and core data whose yearly assessment is due within ``days`` of ``on``,
    overdue included (R-DATA-4)."""
    day = on or timezone.localdate()
    horizon = day + timedelta(days=settings.REGISTERS_REMINDER_DAYS if days is None else days)
    return assets(viewer, status=AssetStatus.ACTIVE).filter(
        grade__in=OFFICER_GRADES, next_assessment_on__lte=horizon
    )


def overdue(viewer: Any, on: date | None = None) -> QuerySet[DataAsset]:
    return due(viewer, on, days=-1)


def all_due(horizon: date) -> QuerySet[DataAsset]:
    """Every active important or core data set due by ``horizon`` (the scheduler's view)."""
    return DataAsset.objects.filter(status=AssetStatus.ACTIVE, grade__in=OFFICER_GRADES,
                                    next_assessment_on__lte=horizon)  # fmt: skip


def aggregation_pending(viewer: Any) -> QuerySet[DataAsset]:
    return assets(viewer, aggregation=AggregationReview.PENDING)


def departments() -> QuerySet[Department]:
    return Department.objects.all()


def people() -> QuerySet[User]:
    return User.objects.filter(is_active=True).select_related("department").order_by("username")


# --- measured check for inspections (SUP-1, R-DATA-4): one aggregate query ------------------------


def overdue_assets(on: date) -> QuerySet[DataAsset]:
    """Important and core data sets whose yearly risk assessment fell due before ``on`` (R-DATA-4)."""
    return DataAsset.objects.filter(
        status=AssetStatus.ACTIVE, grade__in=OFFICER_GRADES, next_assessment_on__lt=on
    )


def measure_overdue_assessments(on: date | None = None) -> dict[str, int]:
    """Important and core data sets whose yearly risk assessment is overdue on ``on`` (today):
    all of them, and the core ones. One aggregate query."""
    from django.db.models import Count

    from baomi.dataassets.choices import DataGrade

    return overdue_assets(on or timezone.localdate()).aggregate(
        count=Count("pk"), core=Count("pk", filter=Q(grade=DataGrade.CORE))
    )
