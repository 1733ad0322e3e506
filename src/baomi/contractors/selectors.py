"""Reads of the contractors register (SUP-13), narrowed by ``access.policy.visible``; and the
question other registers ask: which contractors may do this work at this level today."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from baomi.access.policy import access_object, visible
from baomi.accounts.models import User
from baomi.contractors.choices import GRADE_CEILING, ContractorStatus, EngagementStatus
from baomi.contractors.models import Contractor, Engagement, Qualification
from baomi.core import levels


def contractors(viewer: Any, *, q: str = "", status: str = "") -> QuerySet[Contractor]:
    qs = visible(viewer, Contractor.objects.all(), "view")
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(credit_code__icontains=q))
    return qs.filter(status=status) if status else qs


def get_contractor(viewer: Any, pk: Any, action: str = "view") -> Contractor:
    return access_object(viewer, Contractor.objects.all(), pk, action)


def qualifications(viewer: Any, *, contractor: Contractor | None = None, state: str = "",
                   kind: str = "") -> QuerySet[Qualification]:  # fmt: skip
    qs = visible(viewer, Qualification.objects.select_related("contractor"), "view")
    if contractor is not None:
        qs = qs.filter(contractor=contractor)
    if kind:
        qs = qs.filter(kind=kind)
    today = timezone.localdate()
    if state == "valid":
        qs = qs.filter(revoked_at__isnull=True, expires_on__gte=today)
    elif state == "expired":
        qs = qs.filter(revoked_at__isnull=True, expires_on__lt=today)
    elif state == "revoked":
        qs = qs.filter(revoked_at__isnull=False)
    return qs


def get_qualification(viewer: Any, pk: Any, action: str = "view") -> Qualification:
    return access_object(viewer, Qualification.objects.select_related("contractor"), pk, action)


def engagements(
    viewer: Any, *, contractor: Contractor | None = None, status: str = ""
) -> QuerySet[Engagement]:
    qs = visible(
        viewer, Engagement.objects.select_related("contractor", "qualification", "responsible"), "view"
    )
    if contractor is not None:
        qs = qs.filter(contractor=contractor)
    return qs.filter(status=status) if status else qs


def get_engagement(viewer: Any, pk: Any, action: str = "view") -> Engagement:
    return access_object(viewer, Engagement.objects.select_related("contractor", "qualification"), pk, action)


def expiring(viewer: Any, days: int | None = None, on: date | None = None) -> QuerySet[Qualification]:
    """Current qualifications that expire within the lead time (SUP-13 reminders)."""
    day = on or timezone.localdate()
    horizon = day + timedelta(days=settings.REGISTERS_REMINDER_DAYS if days is None else days)
    return qualifications(viewer, state="valid").filter(expires_on__lte=horizon)


def expired_in_use(viewer: Any, on: date | None = None) -> QuerySet[Qualification]:
    """Expired qualifications that an open engagement still relies on."""
    day = on or timezone.localdate()
    return (
        qualifications(viewer)
        .filter(revoked_at__isnull=True, expires_on__lt=day, engagements__status=EngagementStatus.OPEN)
        .distinct()
    )


# --- the question other registers ask (R-SITE-3) ------------------------------------------------------


def covering_qualifications(kind: str, level: str, on: date | None = None) -> QuerySet[Qualification]:
    """Qualifications of active contractors that cover ``kind`` at ``level`` on ``on``: current,
    not revoked, of a grade whose ceiling reaches the level. Expired ones are not among them,
    so they cannot be chosen."""
    day = on or timezone.localdate()
    grades = [g for g, ceiling in GRADE_CEILING.items() if levels.rank(ceiling) >= levels.rank(level)]
    return Qualification.objects.filter(
        kind=kind, grade__in=grades, revoked_at__isnull=True, issued_on__lte=day, expires_on__gte=day,
        contractor__status=ContractorStatus.ACTIVE,
    ).select_related("contractor")  # fmt: skip


def qualified_contractors(kind: str, level: str, on: date | None = None) -> QuerySet[Contractor]:
    """Contractors that may do ``kind`` work at ``level`` today (the choice offered by forms)."""
    ids = covering_qualifications(kind, level, on).values("contractor_id")
    return Contractor.objects.filter(pk__in=ids)


def people() -> QuerySet[User]:
    return User.objects.filter(is_active=True).select_related("department").order_by("username")


def register_kept() -> bool:
    """Whether the unit keeps a contractor register (any contractor registered): from then on
    outside repair and destruction name a registered, qualified contractor (R-SITE-3)."""
    return Contractor.objects.exists()


def contractor_named(name: str) -> Contractor | None:
    """The registered contractor called exactly ``name`` (spaces ignored), if any."""
    key = "".join((name or "").split())
    if not key:
        return None
    return next((c for c in Contractor.objects.all() if "".join(c.name.split()) == key), None)


# --- measured check for inspections (SUP-1, SUP-13): one aggregate query --------------------------


def expired_qualifications(on: date) -> QuerySet[Qualification]:
    """Qualifications of active contractors expired before ``on`` and not revoked (SUP-13)."""
    return Qualification.objects.filter(
        revoked_at__isnull=True, expires_on__lt=on, contractor__status=ContractorStatus.ACTIVE
    )


def measure_expired_qualifications(on: date | None = None) -> dict[str, int]:
    """Qualifications of active contractors that have expired by ``on`` (today) and were not
    revoked: how many, and how many an open engagement still relies on. One aggregate query."""
    from django.db.models import Count

    return expired_qualifications(on or timezone.localdate()).aggregate(
        count=Count("pk", distinct=True),
        relied_on=Count("pk", distinct=True, filter=Q(engagements__status=EngagementStatus.OPEN)),
    )
