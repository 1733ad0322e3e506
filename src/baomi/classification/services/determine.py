"""Determination (CLS-4, CLS-5, R-DET-2..9): proposals, approval, refusal, withdrawal, reporting upward; applying an approved change or lifting."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access.policy import check_ceiling, require
from baomi.accounts.models import Department, User
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.classification import lifecycle, marking
from baomi.classification.choices import (
    DeclassifyReason,
    ItemStatus,
    LiftGround,
    NoticeKind,
    Origin,
    RequestKind,
    RequestStatus,
    StartBasis,
)
from baomi.classification.models import ClassificationRequest, GuideEntry, Item, ItemScope
from baomi.classification.services._common import (
    DURATION_FIELDS,
    _changed_scope_recipients,
    _check_handler_cleared,
    _expires_on,
    _invalid,
    _notify,
    _seal,
    _set_level,
    build_duration,
    check_determination_training,
    check_period_start,
    duration_columns,
    scope_people,
    unit_authority_covers,
    validate,
)
from baomi.core import durations as dur
from baomi.core import levels
from baomi.core.durations import Duration
from baomi.core.errors import InvalidTransition
from baomi.core.levels import Level
from baomi.kit import requests
from baomi.kit.service import service


def _derive(sources: list[Item], start: date) -> tuple[str, Duration | None]:
    """CLS-5, R-DET-6, R-MARK-6: the highest level and the longest duration of the sources."""
    level = levels.highest([s.level for s in sources])
    durations = [d for d in (marking.item_duration(s) for s in sources) if d is not None]
    longest = dur.longest(durations, start) if durations else None
    if durations and longest is None:
        raise _invalid(
            "duration_kind",
            _("The sources have declassification conditions that cannot be compared; decide the duration."),
        )
    return level, longest


@service
def propose_item(
    actor: User,
    *,
    title: str,
    level: str,
    department: Department,
    reference: str = "",
    duration: dict[str, Any] | None = None,
    duration_basis: str = "",
    period_start: date | None = None,
    start_basis: str = StartBasis.MARKED_ISSUE_DATE,
    guide_entry: GuideEntry | None = None,
    basis_text: str = "",
    origin: str = Origin.ORIGINAL,
    sources: Iterable[Item] = (),
    secret_points: str = "",
    personal_info: bool = False,
    personal_info_sensitive: bool = False,
    scope_users: Iterable[User] = (),
    scope_departments: Iterable[Department] = (),
    external_originator: str = "",
    reason: str = "",
) -> Item:
    """A case handler proposes a classification (CLS-4, R-DET-2): the item is protected at the
    proposed level from now on; a request awaits a classification authority.

    Derived items and compilations take the highest level and the longest duration of their
    sources and inherit their scopes, whatever is proposed (CLS-5, R-DET-6). An original
    determination above the unit's authority is reported upward at once (R-DET-5).

    *Requires* ``propose_item``. *Audits* ITEM_PROPOSED (and ITEM_REFERRED_UPWARD).
    *Raises* ValidationFailed, CeilingExceeded.
    """
    require(actor, "propose_item")
    sources = list(sources)
    # R-DET-12: 定密 training when a state-secret level is at stake (derived items take their sources').
    check_determination_training(actor, deciding=False, at_levels=[level, *(s.level for s in sources)])
    title = (title or "").strip()
    if not title:
        raise _invalid("title", _("Enter a title."))
    if Origin(origin) != Origin.ORIGINAL:
        source_list = list(sources)
        if not source_list:
            raise _invalid("sources", _("A derived determination or a compilation names its source items."))
        for src in source_list:
            require(actor, "view", src)  # CAR-3: one may only derive from what one knows
        level, derived = _derive(source_list, period_start or timezone.localdate())
        if derived is not None:
            duration = derived.to_fields()
            if derived.exceeds_cap(level, period_start) and not duration_basis.strip():
                # R-DET-6, R-DUR-6: a 长期 or above-cap duration is inherited with its recorded basis.
                inherited = dict.fromkeys(
                    s.duration_basis.strip() for s in source_list if s.duration_basis.strip()
                )
                duration_basis = "；".join(inherited)[:300]
    else:
        source_list = []
    check_ceiling(level)
    _check_handler_cleared(actor, level)
    if (
        not (guide_entry or basis_text.strip())
        and levels.is_state_secret(level)
        and origin == Origin.ORIGINAL
    ):
        raise _invalid("basis_text", _("Name the basis: a guide entry or a 保密事项范围 clause (R-DET-8)."))
    d = build_duration(level, duration or {})
    validate(level, d, duration_basis, period_start)
    check_period_start(d, period_start)
    if (
        d is not None
        and d.kind == dur.PERIOD
        and not d.long_term
        and start_basis != StartBasis.WRITTEN_NOTICE_DATE
        and period_start is None
    ):
        # R-DUR-3, CLS-9: a period runs from the issue date marked on the carrier; without it the
        # period would never end and the item would never be declassified on expiry.
        raise _invalid(
            "period_start",
            _("Enter the issue date marked on the carrier: the period runs from it. If no date can be "
              "marked, choose the written-notice date as the start basis."),
        )  # fmt: skip
    if start_basis == StartBasis.WRITTEN_NOTICE_DATE and period_start is None:
        period_start = timezone.localdate()  # R-DUR-3: the notice goes out with the proposal
    if reference and Item.objects.filter(reference=reference).exists():
        raise _invalid("reference", _("An item with this document number already exists."))
    item = Item(
        title=title[:300], reference=reference[:100], level=level, department=department, proposed_by=actor,
        duration_basis=duration_basis[:300], period_start=period_start, start_basis=start_basis,
        guide_entry=guide_entry, basis_text=basis_text[:300], origin=origin, secret_points=secret_points,
        personal_info=personal_info or personal_info_sensitive, personal_info_sensitive=personal_info_sensitive,
        external_originator=external_originator[:200], **duration_columns(d),
    )  # fmt: skip
    item.save()
    if source_list:
        item.sources.set(source_list)
    # Scope: the proposal's people and departments, plus the sources' scope (R-DET-6).
    users = {u.pk: u for u in scope_users}
    depts = {dp.pk: dp for dp in scope_departments}
    for src in source_list:
        for entry in src.scope.all():
            if entry.user_id:
                users.setdefault(entry.user_id, entry.user)  # type: ignore[arg-type]
            else:
                depts.setdefault(entry.department_id, entry.department)  # type: ignore[arg-type]
    users.setdefault(actor.pk, actor)  # the handler knows what they propose
    for u in users.values():
        ItemScope(item=item, user=u, granted_by=actor, reason=str(_("Proposed scope"))).save()
    for dp in depts.values():
        ItemScope(item=item, department=dp, granted_by=actor, reason=str(_("Proposed scope"))).save()
    req = ClassificationRequest(
        item=item, kind=RequestKind.DETERMINE, level=level, duration_basis=duration_basis[:300],
        reason=reason, requested_by=actor, **duration_columns(d),
    )  # fmt: skip
    req.save()
    item.expires_on = _expires_on(item)
    item.save(update_fields=["expires_on"])
    record(actor, AuditEvent.ITEM_PROPOSED, item,
           details={"request": req.pk, "level": level, "origin": origin, "sources": [s.pk for s in source_list],
                    "guide_entry": guide_entry.pk if guide_entry else None})  # fmt: skip
    if origin == Origin.ORIGINAL and not unit_authority_covers(level):
        _refer_upward(actor, item, req)
    _seal(item, request=req)
    if start_basis == StartBasis.WRITTEN_NOTICE_DATE or item.status == ItemStatus.PENDING_UPWARD:
        _notify(item, NoticeKind.PROVISIONAL, new_mark=marking.item_mark(item))
    return item


def _refer_upward(actor: User, item: Item, req: ClassificationRequest) -> None:
    """R-DET-5: above the unit's authority the item waits, protected, for the superior."""
    t = lifecycle.next_state(lifecycle.ITEM, item.status, "refer_upward")
    r = lifecycle.next_state(lifecycle.REQUEST, req.status, "refer_upward")
    item.status = t.target
    item.save(update_fields=["status"])
    req.status = r.target
    req.save(update_fields=["status"])
    record(actor, t.event, item, details={"request": req.pk, "unit_authority": settings.UNIT_AUTHORITY})


def _lock_request(req: ClassificationRequest) -> tuple[ClassificationRequest, Item]:
    req = ClassificationRequest.objects.select_for_update().get(pk=req.pk)
    item = Item.objects.select_for_update().get(pk=req.item_id)
    req.item = item
    return req, item


def _item_action(req: ClassificationRequest, approve: bool) -> str:
    if req.kind == RequestKind.DETERMINE:
        return "approve" if approve else "refuse"
    return str(req.kind)


def _check_decision(req: Any, actor: User, verb: str, reason: str, *, upward_reference: str = "") -> None:
    """What must hold before a classification authority decides (the request base's pre-decision
    check, after the policy allowed ``decide`` / ``record_upward``): current 定密 training unless
    a superior's decision is only recorded (R-DET-12); for an approval, the superior's reference
    of a request reported upward (R-DET-5), the ceiling, and an original determination or change
    within the unit's authority (R-DET-4); for a refusal, its reason."""
    item = req.item
    if req.status == RequestStatus.PENDING:
        check_determination_training(actor, deciding=True, at_levels=[req.level, item.level])
    if verb == requests.REJECT:
        if not reason:
            raise _invalid("reason", _("Give the reason for the refusal."))
        return
    if req.status == RequestStatus.PENDING_UPWARD and not upward_reference.strip():
        raise _invalid("upward_reference", _("Enter the reference of the superior's decision."))
    new_level = req.level or item.level
    check_ceiling(new_level)
    if (
        req.status == RequestStatus.PENDING
        and item.origin == Origin.ORIGINAL
        and req.kind in (RequestKind.DETERMINE, RequestKind.CHANGE)
        and not unit_authority_covers(new_level)
    ):
        raise InvalidTransition(
            _("This is above the unit's determination authority; it must be reported upward.")
        )


@service
def approve_request(actor: User, req: ClassificationRequest, *, reason: str = "", upward_reference: str = "") -> ClassificationRequest:  # fmt: skip
    """A classification authority approves a proposal (CLS-4, CLS-8, R-DET-2).

    The authority must cover the level (R-DET-1/4) and may not be the proposer. A request
    reported upward is approved by recording the superior's decision reference (R-DET-5).
    Changes, extensions and liftings apply to the item, re-mark it (R-MARK-7/8), re-level its
    carriers and notify everyone in scope (R-SCOPE-4).

    *Requires* ``decide`` (or ``record_upward``). *Audits* REQUEST_APPROVED and the item event.
    *Raises* InvalidTransition, ValidationFailed, CeilingExceeded.
    """
    req, item = _lock_request(req)
    lifecycle.next_state(lifecycle.REQUEST, req.status, "approve")  # a decided request: 409 first
    # The shared request step (kit.requests): never the proposer (R-DET-2), ``decide`` — or
    # ``record_upward`` for a request reported upward — and ``check_decision`` (R-DET-1/4/5/12).
    req, status = requests.begin(actor, req, requests.APPROVE, reason=reason, check=_check_decision,  # type: ignore[assignment]
                                 inputs={"upward_reference": upward_reference})  # fmt: skip
    req.item = item
    it = lifecycle.next_state(lifecycle.ITEM, item.status, _item_action(req, True))
    old_mark = marking.item_mark(item)
    now = timezone.now()
    if req.kind == RequestKind.DETERMINE:
        item.status = it.target
        item.determined_by = actor
        item.determined_at = now
        item.save(update_fields=["status", "determined_by", "determined_at"])
        _seal(item, request=req)
        _notify(item, NoticeKind.DETERMINED, new_mark=marking.item_mark(item))
    elif req.kind in (RequestKind.CHANGE, RequestKind.EXTEND):
        before = scope_people(item)
        _apply_change(actor, item, req)
        _seal(item, request=req)
        _notify(item, NoticeKind.CHANGED, old_mark=old_mark, new_mark=marking.item_mark(item),
                recipients=_changed_scope_recipients(item, before))  # fmt: skip
    else:  # lift
        _apply_lift(item, req)
        _seal(item, request=req)
        _notify(item, NoticeKind.DECLASSIFIED, old_mark=old_mark, new_mark=marking.item_mark(item),
                note=req.evidence)  # fmt: skip
    req.upward_reference = upward_reference[:200]
    requests.finish(actor, req, requests.APPROVE, status, event=AuditEvent.REQUEST_APPROVED, reason=reason,
                    details={"item": item.pk, "kind": req.kind}, fields=("upward_reference",), at=now)  # fmt: skip
    record(actor, it.event, item,
           details={"request": req.pk, "before": req.before, "level": item.level, "mark_changed":
                    old_mark != marking.item_mark(item)})  # fmt: skip
    return req


def _apply_change(actor: User, item: Item, req: ClassificationRequest) -> None:
    if req.kind == RequestKind.EXTEND and item.expires_on and item.expires_on <= timezone.localdate():
        # R-CHG-2: after expiry the item is already declassified; no extension.
        raise InvalidTransition(
            _("The period has already ended; an extension must be decided before expiry.")
        )
    fields = ["level", *DURATION_FIELDS, "duration_basis", "expires_on", "reminded_on"]
    if req.level:
        _set_level(item, req.level)
    if req.duration_kind or req.level:
        d = (
            build_duration(item.level, {k: getattr(req, k) for k in DURATION_FIELDS})
            if req.duration_kind
            else (marking.item_duration(item))
        )
        if item.level in levels.NON_SECRET_LEVELS:
            d = None
        validate(item.level, d, req.duration_basis or item.duration_basis, item.period_start)
        for k, v in duration_columns(d).items():
            setattr(item, k, v)
        if req.duration_basis:
            item.duration_basis = req.duration_basis
    item.expires_on = _expires_on(item)
    item.reminded_on = None
    item.save(update_fields=fields)
    changes = req.scope_changes or {}
    for uid in changes.get("add_users", []):
        ItemScope(item=item, user_id=uid, granted_by=actor, reason=str(_("Scope change"))).save()
    for did in changes.get("add_departments", []):
        ItemScope(item=item, department_id=did, granted_by=actor, reason=str(_("Scope change"))).save()
    if changes.get("remove_entries"):
        item.scope.filter(pk__in=changes["remove_entries"]).delete()


def _apply_lift(item: Item, req: ClassificationRequest) -> None:
    reason = {
        LiftGround.CONDITION_MET: DeclassifyReason.CONDITION,
        LiftGround.PUBLICATION: DeclassifyReason.PUBLICATION,
    }.get(req.lift_ground, DeclassifyReason.LIFTED)  # type: ignore[call-overload]
    _declassify(item, reason, req.evidence)


def _declassify(item: Item, reason: str, reference: str) -> None:
    """Make the item declassified (R-DECL-2/3, R-DUR-8). Declassified is not publishable
    (R-DECL-7): the item becomes 内部, only a publication makes it 公开."""
    current = item.marks.filter(cancelled_at__isnull=True).order_by("-valid_from", "-id").first()
    if current is not None:
        current.cancelled_at = timezone.now()
        current.save(update_fields=["cancelled_at"])
    item.status = ItemStatus.DECLASSIFIED
    item.declassified_at = timezone.now()
    item.declassify_reason = reason
    item.declassify_reference = (reference or "")[:300]
    _set_level(item, Level.PUBLIC if reason == DeclassifyReason.PUBLICATION else Level.INTERNAL)
    item.save(
        update_fields=["status", "declassified_at", "declassify_reason", "declassify_reference", "level"]
    )


@service
def refuse_request(actor: User, req: ClassificationRequest, *, reason: str, upward_reference: str = "") -> ClassificationRequest:  # fmt: skip
    """A classification authority refuses a proposal with a reason (CLS-4, R-DET-2). A refused
    determination leaves the item not classified; a refused change leaves it as it was.

    *Requires* ``decide``. *Audits* REQUEST_REFUSED (and ITEM_NOT_CLASSIFIED).
    """
    req, item = _lock_request(req)
    lifecycle.next_state(lifecycle.REQUEST, req.status, "refuse")  # a decided request: 409 first
    # The shared request step (kit.requests): never the proposer (R-DET-2), ``decide`` or
    # ``record_upward``, and ``check_decision`` (R-DET-12 training, a reason for the refusal).
    req, status = requests.begin(actor, req, requests.REJECT, reason=reason, check=_check_decision)  # type: ignore[assignment]
    req.item = item
    if req.kind == RequestKind.DETERMINE:
        it = lifecycle.next_state(lifecycle.ITEM, item.status, "refuse")
        item.status = it.target
        item.save(update_fields=["status"])
        _seal(item, request=req)
        record(actor, it.event, item, details={"request": req.pk})
    req.upward_reference = upward_reference[:200]
    return requests.finish(  # type: ignore[return-value]  # the ClassificationRequest it was given
        actor, req, requests.REJECT, status, event=AuditEvent.REQUEST_REFUSED, reason=reason,
        details={"item": item.pk, "kind": req.kind}, fields=("upward_reference",),
    )  # fmt: skip


@service
def withdraw_request(actor: User, req: ClassificationRequest) -> ClassificationRequest:
    """The proposer withdraws a pending change, extension or lifting (not a determination: the
    item would stay protected without a decision). *Requires* ``withdraw``. *Audits* REQUEST_WITHDRAWN."""
    req, item = _lock_request(req)
    lifecycle.next_state(lifecycle.REQUEST, req.status, "withdraw")  # a decided request: 409 first
    # the shared step: requires withdraw; it returns the ClassificationRequest it was given
    req, status = requests.begin(actor, req, requests.WITHDRAW)  # type: ignore[assignment]
    if req.kind == RequestKind.DETERMINE:
        raise InvalidTransition(_("A proposed determination cannot be withdrawn; it must be decided."))
    return requests.finish(  # type: ignore[return-value]  # the ClassificationRequest it was given
        actor, req, requests.WITHDRAW, status, event=AuditEvent.REQUEST_WITHDRAWN, details={"item": item.pk}
    )
