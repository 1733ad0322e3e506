"""Changing, extending and lifting a classification (CLS-8, R-DUR-8) and declassification on expiry with its reminders (CLS-9, R-DECL-2, R-DECL-4)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access.policy import check_ceiling, require
from baomi.accounts.choices import Role
from baomi.accounts.models import Department, User
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.classification import lifecycle, marking
from baomi.classification.choices import (
    DeclassifyReason,
    ItemStatus,
    LiftGround,
    NoticeKind,
    RequestKind,
    RequestStatus,
)
from baomi.classification.models import ClassificationRequest, Item
from baomi.classification.services._common import (
    _check_handler_cleared,
    _invalid,
    _notify,
    _seal,
    build_duration,
    check_determination_training,
    validate,
)
from baomi.classification.services.determine import _declassify
from baomi.core import levels
from baomi.core.durations import Duration
from baomi.core.errors import InvalidTransition
from baomi.kit.service import internal, service


def _check_not_lifting_in_disguise(item: Item, level: str) -> None:
    """CLS-8, R-MARK-8: making a secret non-secret (内部, 公开) is lifting, recorded and marked
    「解密」; a change of level may not do it silently."""
    if level in levels.NON_SECRET_LEVELS and item.level not in levels.NON_SECRET_LEVELS:
        raise _invalid("level", _("To make the item non-secret, request lifting (解除) instead of a change."))


def _check_extension(item: Item, d: Duration | None) -> None:
    """R-CHG-2: an extension is decided before expiry, on an item with a fixed end, and ends
    later than the current period (otherwise it would be a shortening in disguise)."""
    if item.expires_on is None:
        raise _invalid("duration_kind", _("Only an item with a fixed end can be extended."))
    if item.expires_on <= timezone.localdate():
        raise InvalidTransition(
            _("The period has already ended; an extension must be decided before expiry.")
        )
    new_end = d.expires_on(item.period_start) if d is not None else None
    if d is None or (new_end is not None and new_end <= item.expires_on):
        raise _invalid("duration_value", _("An extension must end later than the current period."))


@service
def propose_change(
    actor: User,
    item: Item,
    *,
    kind: str,
    reason: str,
    level: str = "",
    duration: dict[str, Any] | None = None,
    duration_basis: str = "",
    add_users: Iterable[User] = (),
    add_departments: Iterable[Department] = (),
    remove_entries: Iterable[int] = (),
    lift_ground: str = "",
    evidence: str = "",
) -> ClassificationRequest:
    """A case handler of the originating unit proposes a change (level, duration, scope), an
    extension or lifting (CLS-8, R-CHG-1/2, R-DECL-3, R-DUR-8). A met condition needs evidence;
    publication needs the publication reference; an extension is only possible before expiry.

    *Requires* ``request_change``. *Audits* REQUEST_PROPOSED.
    """
    item = Item.objects.select_for_update().get(pk=item.pk)
    require(actor, "request_change", item)
    check_determination_training(actor, deciding=False, at_levels=[item.level, level or ""])  # R-DET-12
    kind = RequestKind(kind)
    if kind == RequestKind.DETERMINE:
        raise _invalid("kind", _("Choose change, extension or lifting."))
    lifecycle.next_state(lifecycle.ITEM, item.status, str(kind))
    if not (reason or "").strip():
        raise _invalid("reason", _("Give the reason."))
    if item.requests.filter(status__in=[RequestStatus.PENDING, RequestStatus.PENDING_UPWARD]).exists():
        raise InvalidTransition(_("Another request on this item is still open."))
    req = ClassificationRequest(item=item, kind=kind, reason=reason, requested_by=actor,
                                duration_basis=duration_basis[:300])  # fmt: skip
    req.before = {"level": item.level, "mark": marking.item_mark(item),
                  "scope": list(item.scope.values_list("pk", flat=True))}  # fmt: skip
    if kind in (RequestKind.CHANGE, RequestKind.EXTEND):
        new_level = level or item.level
        _check_not_lifting_in_disguise(item, new_level)
        check_ceiling(new_level)
        _check_handler_cleared(actor, new_level)
        d = build_duration(new_level, duration or {}) if (duration or {}).get("duration_kind") else None
        if kind == RequestKind.EXTEND:
            _check_extension(item, d)
        if d is not None or level:
            validate(new_level, d if d is not None else marking.item_duration(item),
                     duration_basis or item.duration_basis, item.period_start)  # fmt: skip
        if level and level != item.level:
            req.level = level
        if d is not None:
            for k, v in d.to_fields().items():
                setattr(req, k, v)
        remove = sorted({int(e) for e in remove_entries})
        if remove and item.scope.filter(pk__in=remove).count() != len(remove):
            # R-SCOPE-1: only this item's own scope entries can be removed.
            raise _invalid("remove_entries", _("A scope entry to remove does not belong to this item."))
        req.scope_changes = {
            "add_users": [u.pk for u in add_users],
            "add_departments": [dp.pk for dp in add_departments],
            "remove_entries": remove,
        }
        if not (req.level or d is not None or any(req.scope_changes.values())):
            raise _invalid("level", _("Nothing would change."))
    else:
        ground = LiftGround(lift_ground or LiftGround.NO_LONGER_SECRET)
        if ground == LiftGround.CONDITION_MET and item.duration_kind != "condition":
            raise _invalid("lift_ground", _("This item has no declassification condition."))
        if ground in (LiftGround.CONDITION_MET, LiftGround.PUBLICATION) and not evidence.strip():
            # CLS-9: a condition needs evidence; R-DUR-8: publication needs its reference.
            raise _invalid("evidence", _("Give the evidence or the publication reference."))
        req.lift_ground = ground
        req.evidence = evidence[:300]
    req.save()
    record(actor, AuditEvent.REQUEST_PROPOSED, req, details={"item": item.pk, "kind": kind})
    return req


@internal
def due_for_expiry(today: date) -> Any:
    """Determined items whose period or date has ended by ``today`` (a query for the job)."""
    return Item.objects.filter(status=ItemStatus.DETERMINED, expires_on__isnull=False, expires_on__lte=today)


@internal
def expire_items(today: date | None = None, *, dry_run: bool = False) -> list[int]:
    """Declassify every determined item whose period or date has ended (R-DECL-2).

    Idempotent and safe with several servers: each item is locked with ``skip_locked`` and its
    state is checked again under the lock, so a second runner skips what the first holds or has
    done. Audited per item with the channel of the caller (job or cli).
    """
    from django.db import transaction

    today = today or timezone.localdate()
    ids = list(due_for_expiry(today).values_list("pk", flat=True))
    if dry_run:
        return ids
    done: list[int] = []
    for pk in ids:
        with transaction.atomic():
            item = Item.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if (
                item is None
                or item.status != ItemStatus.DETERMINED
                or not item.expires_on
                or item.expires_on > today
            ):
                continue
            t = lifecycle.next_state(lifecycle.ITEM, item.status, "expire")
            old_mark = marking.item_mark(item)
            _declassify(item, DeclassifyReason.EXPIRY, "")
            _seal(item)
            _notify(item, NoticeKind.DECLASSIFIED, old_mark=old_mark, new_mark=marking.item_mark(item))
            record(None, t.event, item, details={"expires_on": item.expires_on.isoformat()})
            done.append(pk)
    return done


@internal
def reminder_lead_days() -> int:
    """How many days ahead of expiry the reminder goes out (``BAOMI_EXPIRY_REMINDER_DAYS``)."""
    return int(getattr(settings, "EXPIRY_REMINDER_DAYS", 90))


@internal
def send_expiry_reminders(today: date | None = None) -> list[int]:
    """Remind the handler, the authority and the security office of periods ending within the
    configured lead time (R-DECL-4), once per item and period."""
    from django.db import transaction

    today = today or timezone.localdate()
    horizon = today + timedelta(days=reminder_lead_days())
    ids = list(
        Item.objects.filter(
            status=ItemStatus.DETERMINED,
            reminded_on__isnull=True,
            expires_on__gt=today,
            expires_on__lte=horizon,
        ).values_list("pk", flat=True)
    )
    officers = list(User.objects.filter(is_active=True, role_assignments__role=Role.SECURITY_OFFICER))
    sent: list[int] = []
    for pk in ids:
        with transaction.atomic():
            item = (
                Item.objects.select_for_update(skip_locked=True)
                .filter(pk=pk, reminded_on__isnull=True)
                .first()
            )
            if item is None:
                continue
            people = [p for p in (item.proposed_by, item.determined_by) if p is not None and p.is_active]
            _notify(item, NoticeKind.EXPIRY_REMINDER, new_mark=marking.item_mark(item),
                    note=item.expires_on.isoformat() if item.expires_on else "",
                    recipients=[*people, *officers])  # fmt: skip
            item.reminded_on = today
            item.save(update_fields=["reminded_on"])
            record(None, AuditEvent.EXPIRY_REMINDED, item,
                   details={"expires_on": str(item.expires_on)})  # fmt: skip
            sent.append(pk)
    return sent
