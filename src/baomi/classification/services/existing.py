"""Determinations made before baomi, recorded from the unit's ledger (issue 19 §4).

An office that adopts baomi already holds 国家秘密 and 工作秘密 determined years ago on paper.
They are not proposed and approved again — the determination happened, by a named authority on
a known date — but recorded as determined, under the same rules a hand proposal meets, with the
original authority and date in the item's history. Only the ledger import calls this service.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access.policy import check_ceiling, clearance_dominates, require
from baomi.accounts.models import Department, User
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.classification.choices import ItemStatus, Origin, RequestKind, RequestStatus, StartBasis
from baomi.classification.models import ClassificationRequest, Item, ItemScope
from baomi.classification.services._common import (
    _expires_on,
    _invalid,
    _seal,
    build_duration,
    check_period_start,
    duration_columns,
    unit_authority_covers,
    validate,
)
from baomi.core import durations as dur
from baomi.core import levels
from baomi.kit.service import service

RECORDED_LEVELS = (
    levels.Level.TOP_SECRET,
    levels.Level.SECRET,
    levels.Level.CONFIDENTIAL,
    levels.Level.WORK_SECRET,
)
TITLE_MAX, REFERENCE_MAX, TEXT_MAX, AUTHORITY_MAX = 300, 100, 300, 100


def _too_long(field: str, label: Any, value: str, limit: int) -> None:
    if len(value) > limit:
        raise _invalid(field, _("{field}: {length} characters, at most {max}.").format(
            field=label, length=len(value), max=limit))  # fmt: skip


def _check_not_expired(duration: dur.Duration | None, start: dt.date | None, today: dt.date) -> None:
    """R-DECL-2, R-CHG-2 (保密法 Art 24 ¶2): a period or date that has run out declassified the
    item with no further act; an extension had to be decided before. So an expired row is not a
    secret to record: the officer enters the extended duration, or leaves the row out."""
    if duration is None:
        return
    expires = duration.expires_on(start)
    if expires is not None and expires <= today:
        message = _(
            "The duration {duration} has run out: by law the item was declassified on {day} (R-DECL-2). If it "
            "was extended before that day, enter the extended duration; otherwise it is no longer a secret "
            "to record."
        ).format(duration=duration.text(), day=dur.format_date(expires))
        raise _invalid("until_date" if duration.kind == dur.UNTIL else "period_start", message)


@service
def record_existing_determination(
    actor: User,
    *,
    title: str,
    level: str,
    department: Department,
    authority: str,
    determined_on: dt.date,
    reference: str = "",
    duration: dict[str, Any] | None = None,
    duration_basis: str = "",
    period_start: dt.date | None = None,
    basis_text: str = "",
    origin: str = Origin.ORIGINAL,
    secret_points: str = "",
    scope_departments: Iterable[Department] = (),
    note: str = "",
) -> Item:
    """Record an item a classification authority determined before baomi (issue 19 §4; CLS-2..4).

    Held to the rules of a hand proposal: a state secret or a work secret; within the ceiling
    (SEC-8) and the recording officer's clearance (CAR-3); an original state-secret
    determination within the unit's 定密权限 (ORG-4, R-DET-4) — a derived one names its source
    document as the basis; the basis of a state secret (R-DET-8); the duration rules (CLS-3,
    R-DUR-1..6); the document number unique. What only a past determination can get wrong is
    refused too: a determination date or a period start in the future, and a duration that has
    already run out (R-DECL-2: the item was declassified then; see :func:`_check_not_expired`).
    A period without a start runs from the determination date (R-DUR-3: the issue date is
    usually the day of the determination; the import's template says so).

    The item is DETERMINED at once; its history holds a DETERMINE request, approved on the
    recorded date, naming the authority as recorded (``recorded_authority``; ``decided_by`` is
    empty — the authority may have no account here) and the recording officer as proposer. The
    mark is bound by MAC (R-CRYPTO-5). No written notices go out (R-SCOPE-4 was served on paper
    when the item was determined); no 定密 training is asked (nobody decides anything now).

    *Requires* ``record_existing_determination`` (the security office).
    *Audits* ITEM_DETERMINATION_RECORDED (ids, level, dates; never the title, CAR-2).
    *Raises* ValidationFailed, CeilingExceeded.
    """
    require(actor, "record_existing_determination")
    today = timezone.localdate()
    title = (title or "").strip()
    reference = (reference or "").strip()
    authority = (authority or "").strip()
    if not title:
        raise _invalid("title", _("Enter a title."))
    _too_long("title", _("Title"), title, TITLE_MAX)
    _too_long("reference", _("Document number"), reference, REFERENCE_MAX)
    _too_long("basis_text", _("Basis"), basis_text, TEXT_MAX)
    _too_long("duration_basis", _("Basis for a long or above-cap duration"), duration_basis, TEXT_MAX)
    if level not in RECORDED_LEVELS:
        raise _invalid("level", _("Only state secrets (绝密, 机密, 秘密) and work secrets are recorded as "
                                  "determined items."))  # fmt: skip
    if origin not in (Origin.ORIGINAL, Origin.DERIVED):
        raise _invalid("origin", _("Choose an original or a derived determination."))
    check_ceiling(level)
    if not clearance_dominates(actor, level):
        raise _invalid(
            "level", _("Your clearance is below this level; an officer cleared for it records it.")
        )
    if origin == Origin.ORIGINAL and not unit_authority_covers(level):
        raise _invalid("level", _(
            "This level is above the unit's determination authority ({authority}): the unit cannot have "
            "determined it originally. If it followed a superior's document, record it as a derived "
            "determination naming that document as the basis."
        ).format(authority=levels.Level(settings.UNIT_AUTHORITY).label if settings.UNIT_AUTHORITY in
                 levels.Level.values else "—"))  # fmt: skip
    if levels.is_state_secret(level) and not basis_text.strip():
        raise _invalid("basis_text", _("Name the basis: a guide entry or a 保密事项范围 clause, or for a derived "
                                       "determination the source document (R-DET-8)."))  # fmt: skip
    if not authority:
        raise _invalid("authority", _("Name the classification authority who determined it."))
    _too_long("authority", _("Classification authority"), authority, AUTHORITY_MAX)
    if determined_on is None:
        raise _invalid("determined_on", _("Enter the date of the determination."))
    if determined_on > today:
        raise _invalid("determined_on", _("The determination date {day} lies in the future.").format(
            day=dur.format_date(determined_on)))  # fmt: skip
    d = build_duration(level, duration or {})
    if period_start is None and d is not None and d.kind == dur.PERIOD and not d.long_term:
        period_start = determined_on  # R-DUR-3: the issue date, usually the day of the determination
    if period_start is not None and period_start > today:
        raise _invalid("period_start", _("The period start {day} lies in the future.").format(
            day=dur.format_date(period_start)))  # fmt: skip
    _check_not_expired(d, period_start, today)
    validate(level, d, duration_basis, period_start)
    check_period_start(d, period_start)
    if reference and Item.objects.filter(reference=reference).exists():
        raise _invalid("reference", _("An item with this document number already exists."))

    determined_at = timezone.make_aware(dt.datetime.combine(determined_on, dt.time(9)))
    item = Item(
        title=title, reference=reference, level=level, department=department, proposed_by=actor,
        status=ItemStatus.DETERMINED, determined_at=determined_at, duration_basis=duration_basis.strip(),
        period_start=period_start, start_basis=StartBasis.MARKED_ISSUE_DATE, basis_text=basis_text.strip(),
        origin=origin, secret_points=secret_points, **duration_columns(d),
    )  # fmt: skip
    item.save()
    depts = {dp.pk: dp for dp in scope_departments}
    for dp in depts.values():
        ItemScope(
            item=item, department=dp, granted_by=actor, reason=str(_("Scope recorded from the ledger"))
        ).save()
    req = ClassificationRequest(
        item=item, kind=RequestKind.DETERMINE, status=RequestStatus.APPROVED, level=level,
        duration_basis=duration_basis.strip(), reason=note, requested_by=actor, decided_at=determined_at,
        decision_reason=str(_("Determined before baomi; recorded from the unit's ledger.")),
        recorded_authority=authority, **duration_columns(d),
    )  # fmt: skip
    req.save()
    item.expires_on = _expires_on(item)
    item.save(update_fields=["expires_on"])
    _seal(item, request=req)
    record(actor, AuditEvent.ITEM_DETERMINATION_RECORDED, item,
           details={"request": req.pk, "level": level, "origin": origin, "determined_on": determined_on.isoformat(),
                    "period_start": period_start.isoformat() if period_start else None,
                    "scope_departments": sorted(depts)})  # fmt: skip
    return item
