"""Classification services: determination, change, extension, lifting, expiry, scope, notices,
the guide, disputes, the calendar and the annual review (CLS-1..11, R-DET, R-CHG, R-DECL,
R-SCOPE, R-MARK-7/8).

Every service takes the acting user first and follows STYLE 2.2: lock → policy → lifecycle →
mutate → save(update_fields) → audit, in one transaction (``@service``). Whenever an item's level
changes the item's carriers are re-levelled in the same transaction (CLS-2). Audit details carry
ids and codes, never titles (CAR-2).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access.policy import check_ceiling, clearance_dominates, require
from baomi.accounts.choices import Role
from baomi.accounts.models import Department, User
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.carriers.services import relevel_carriers
from baomi.classification import lifecycle, marking, workdays
from baomi.classification.choices import (
    DeclassifyReason,
    ItemStatus,
    LiftGround,
    MatterKind,
    MatterStatus,
    NoticeKind,
    Origin,
    ReportTo,
    RequestKind,
    RequestStatus,
    ReviewDecisionKind,
    StartBasis,
)
from baomi.classification.models import (
    CalendarDay,
    ClassificationRequest,
    ExpansionDesignee,
    ExpansionRequest,
    GuideEntry,
    Item,
    ItemScope,
    MarkRecord,
    Matter,
    Notice,
    ReviewCampaign,
    ReviewDecision,
)
from baomi.core import durations as dur
from baomi.core import levels
from baomi.core.durations import Duration
from baomi.core.errors import InvalidTransition, ValidationFailed
from baomi.core.levels import Level
from baomi.kit.service import internal, service

DURATION_FIELDS = ("duration_kind", "duration_value", "duration_unit", "until_date", "condition", "long_term")
EMPTY_DURATION: dict[str, Any] = {
    "duration_kind": "",
    "duration_value": None,
    "duration_unit": "",
    "until_date": None,
    "condition": "",
    "long_term": False,
}


def _invalid(field: str, message: Any) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


# =============================================================================================
# Checks shared by proposals


def _check_handler_cleared(actor: User, level: str) -> None:
    """CLS-4, CAR-3: a case handler proposes only levels within their own clearance; otherwise
    they could not see the item they proposed (no read up) and the proposal would be unattended."""
    if not clearance_dominates(actor, level):
        message = _(
            "The case handler's clearance is below the proposed level ({level}); the proposal must come from "
            "a case handler cleared for that level."
        )
        raise _invalid("level", str(message).format(level=levels.Level(level).label))


@internal
def unit_authority_covers(level: str) -> bool:
    """ORG-4, R-DET-4: the unit's 定密权限 covers an original determination at ``level``.

    Only state-secret levels are limited; an empty setting means the unit has no authority.
    """
    if not levels.is_state_secret(level):
        return True
    authority = getattr(settings, "UNIT_AUTHORITY", "") or ""
    if authority not in Level.values:
        return False
    return levels.rank(level) <= levels.rank(authority)


@internal
def build_duration(level: str, fields: dict[str, Any]) -> Duration | None:
    """The duration of the proposal as the tagged union (CLS-3), or ``None`` when none is given."""
    if level in levels.NON_SECRET_LEVELS:
        return None
    if not fields.get("duration_kind"):
        if levels.is_state_secret(level):
            raise _invalid(
                "duration_kind",
                _("A state secret needs a period, a declassification date or a declassification condition."),
            )
        return None
    clean = {k: fields.get(k) for k in DURATION_FIELDS}
    kind = clean["duration_kind"]
    # The form sends every field; keep only the ones of the chosen form (R-DUR-2).
    if kind != "period":
        clean["duration_value"], clean["duration_unit"], clean["long_term"] = None, "", False
    if kind != "until":
        clean["until_date"] = None
    if kind != "condition":
        clean["condition"] = ""
    if clean.get("long_term"):
        clean["duration_value"], clean["duration_unit"] = None, ""
    return Duration.from_fields(clean)


@internal
def duration_columns(duration: Duration | None) -> dict[str, Any]:
    """The model columns of a duration, empty ones for none (a pure helper)."""
    return dict(EMPTY_DURATION) if duration is None else duration.to_fields()


@internal
def validate(level: str, duration: Duration | None, basis: str, start: date | None) -> None:
    """R-DUR-1/2/6 through ``core.durations``; a state secret's condition needs justification."""
    if level not in Level.values:
        raise _invalid("level", _("Choose a level."))
    today = timezone.localdate()
    dur.validate_duration(level, duration, basis, start=start, today=today)
    if (
        duration is not None
        and duration.kind == dur.UNTIL
        and duration.until is not None
        and duration.until <= today
    ):
        # CLS-3, R-DECL-2: a declassification date already reached would be declassified at once.
        raise _invalid(
            "until_date",
            _("The declassification date {day} has already been reached; enter a later date.").format(
                day=dur.format_date(duration.until)
            ),
        )


def _expires_on(item: Item) -> date | None:
    d = marking.item_duration(item)
    return d.expires_on(item.period_start) if d is not None else None


# =============================================================================================
# Marks, notices, re-levelling


def _seal(item: Item, *, request: ClassificationRequest | None = None, new_mark: bool = True) -> None:
    """Record the current mark (cancelling the previous one, R-MARK-7) and bind it by MAC."""
    now = timezone.now()
    text = marking.item_mark(item)
    current = item.marks.filter(cancelled_at__isnull=True).order_by("-valid_from", "-id").first()
    if new_mark and (current is None or current.text != text):
        if current is not None:
            current.cancelled_at = now
            current.save(update_fields=["cancelled_at"])
        if item.status != ItemStatus.DECLASSIFIED and text:
            MarkRecord(item=item, text=text, valid_from=now, request=request,
                       mac=marking.compute_mac(item)).save()  # fmt: skip
    item.mark_mac = marking.compute_mac(item)
    item.save(update_fields=["mark_mac"])


@internal
def scope_people(item: Item, on: date | None = None) -> list[User]:
    """Everyone in the item's scope today: named people and members of named departments."""
    day = on or timezone.localdate()
    entries = item.scope.filter(
        (Q(starts_on__isnull=True) | Q(starts_on__lte=day)) & (Q(ends_on__isnull=True) | Q(ends_on__gte=day))
    )
    user_ids = {e.user_id for e in entries if e.user_id}
    dept_ids = {e.department_id for e in entries if e.department_id}
    people = User.objects.filter(Q(pk__in=user_ids) | Q(department_id__in=dept_ids), is_active=True)
    return list(people.order_by("pk"))


def _notify(item: Item, kind: str, *, old_mark: str = "", new_mark: str = "", note: str = "",
            recipients: Iterable[User] | None = None) -> int:  # fmt: skip
    """Send a written notice to each recipient (default: the item's scope and its handler),
    R-SCOPE-4; acknowledging it is the proof of delivery."""
    people = {u.pk: u for u in (recipients if recipients is not None else scope_people(item))}
    if recipients is None and item.proposed_by_id:
        people.setdefault(item.proposed_by_id, item.proposed_by)
    for user in people.values():
        Notice(
            item=item, recipient=user, kind=kind, old_mark=old_mark, new_mark=new_mark, note=note[:300]
        ).save()
    if people:
        record(None, AuditEvent.NOTICE_SENT, item,
               details={"kind": kind, "recipients": sorted(people)})  # fmt: skip
    return len(people)


def _changed_scope_recipients(item: Item, before: list[User]) -> list[User]:
    """R-SCOPE-4: a change is notified to everyone in the scope before and after it (a person
    taken out of the scope is told so in writing too) and to the case handler."""
    people = {u.pk: u for u in [*before, *scope_people(item)]}
    if item.proposed_by_id:
        people.setdefault(item.proposed_by_id, item.proposed_by)
    return list(people.values())


def _set_level(item: Item, level: str) -> None:
    item.level = level
    relevel_carriers(item)  # CLS-2: every carrier shows the item's mark


# =============================================================================================
# Determination (CLS-4, CLS-5, R-DET-2..9)


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
        reason=reason, proposed_by=actor, **duration_columns(d),
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
    rt = lifecycle.next_state(lifecycle.REQUEST, req.status, "approve")
    require(actor, rt.action, req)
    if req.proposed_by_id == actor.pk:
        # R-DET-2: one person never both proposes and approves.
        raise InvalidTransition(_("You proposed this; another classification authority must decide it."))
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
    req.status = rt.target
    req.decided_by = actor
    req.decided_at = now
    req.decision_reason = reason
    req.upward_reference = upward_reference[:200]
    req.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "upward_reference"])
    record(actor, rt.event, req, details={"item": item.pk, "kind": req.kind})
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
    rt = lifecycle.next_state(lifecycle.REQUEST, req.status, "refuse")
    require(actor, rt.action, req)
    if req.proposed_by_id == actor.pk:
        raise InvalidTransition(_("You proposed this; another classification authority must decide it."))
    if not (reason or "").strip():
        raise _invalid("reason", _("Give the reason for the refusal."))
    now = timezone.now()
    if req.kind == RequestKind.DETERMINE:
        it = lifecycle.next_state(lifecycle.ITEM, item.status, "refuse")
        item.status = it.target
        item.save(update_fields=["status"])
        _seal(item, request=req)
        record(actor, it.event, item, details={"request": req.pk})
    req.status = rt.target
    req.decided_by = actor
    req.decided_at = now
    req.decision_reason = reason
    req.upward_reference = upward_reference[:200]
    req.save(update_fields=["status", "decided_by", "decided_at", "decision_reason", "upward_reference"])
    record(actor, rt.event, req, details={"item": item.pk, "kind": req.kind})
    return req


@service
def withdraw_request(actor: User, req: ClassificationRequest) -> ClassificationRequest:
    """The proposer withdraws a pending change, extension or lifting (not a determination: the
    item would stay protected without a decision). *Requires* ``withdraw``. *Audits* REQUEST_WITHDRAWN."""
    req, item = _lock_request(req)
    rt = lifecycle.next_state(lifecycle.REQUEST, req.status, "withdraw")
    require(actor, rt.action, req)
    if req.kind == RequestKind.DETERMINE:
        raise InvalidTransition(_("A proposed determination cannot be withdrawn; it must be decided."))
    req.status = rt.target
    req.save(update_fields=["status"])
    record(actor, rt.event, req, details={"item": item.pk})
    return req


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
    kind = RequestKind(kind)
    if kind == RequestKind.DETERMINE:
        raise _invalid("kind", _("Choose change, extension or lifting."))
    lifecycle.next_state(lifecycle.ITEM, item.status, str(kind))
    if not (reason or "").strip():
        raise _invalid("reason", _("Give the reason."))
    if item.requests.filter(status__in=[RequestStatus.PENDING, RequestStatus.PENDING_UPWARD]).exists():
        raise InvalidTransition(_("Another request on this item is still open."))
    req = ClassificationRequest(item=item, kind=kind, reason=reason, proposed_by=actor,
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


# =============================================================================================
# Expiry and reminders (CLS-9, R-DECL-2, R-DECL-4)


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


# =============================================================================================
# Need-to-know scope (CAR-3, R-SCOPE-1/2, R-AC-6)


@service
def grant_scope(
    actor: User,
    item: Item,
    *,
    user: User | None = None,
    department: Department | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    reason: str = "",
) -> ItemScope:
    """The security office adds a person or a department to the scope, optionally dated
    (CAR-3, R-SCOPE-1). The person is notified (R-SCOPE-4).

    *Requires* ``manage_scope``. *Audits* SCOPE_GRANTED.
    """
    item = Item.objects.select_for_update().get(pk=item.pk)
    require(actor, "manage_scope", item)
    return _grant(actor, item, user=user, department=department, starts_on=starts_on, ends_on=ends_on,
                  reason=reason)  # fmt: skip


def _grant(actor: User, item: Item, *, user: User | None, department: Department | None,
           starts_on: date | None, ends_on: date | None, reason: str) -> ItemScope:  # fmt: skip
    if (user is None) == (department is None):
        raise _invalid("user", _("Name either a person or a department."))
    if starts_on and ends_on and ends_on < starts_on:
        raise _invalid("ends_on", _("The end date lies before the start date."))
    entry = ItemScope(item=item, user=user, department=department, starts_on=starts_on, ends_on=ends_on,
                      granted_by=actor, reason=reason[:300])  # fmt: skip
    entry.save()
    _seal(item, new_mark=False)
    record(actor, AuditEvent.SCOPE_GRANTED, item,
           details={"entry": entry.pk, "user": user.pk if user else None,
                    "department": department.pk if department else None,
                    "starts_on": starts_on, "ends_on": ends_on})  # fmt: skip
    recipients = [user] if user is not None else list(department.members.filter(is_active=True))  # type: ignore[union-attr]
    _notify(item, NoticeKind.SCOPE_GRANTED, new_mark=marking.item_mark(item), recipients=recipients)
    return entry


@service
def revoke_scope(actor: User, entry: ItemScope, *, reason: str) -> None:
    """Remove one scope entry (R-SCOPE-1). *Requires* ``manage_scope``. *Audits* SCOPE_REVOKED."""
    item = Item.objects.select_for_update().get(pk=entry.item_id)
    require(actor, "manage_scope", item)
    details = {"entry": entry.pk, "user": entry.user_id, "department": entry.department_id, "reason": reason}
    entry.delete()
    _seal(item, new_mark=False)
    record(actor, AuditEvent.SCOPE_REVOKED, item, details=details)


@service
def revoke_person_from_scopes(actor: Any, user: User, *, reason: str) -> int:
    """Remove every scope entry naming ``user`` — on exit all access is revoked (PER-5, R-AC-6).

    Department entries are not touched (they name the department, which the person leaves).
    *Requires* ``revoke_scopes`` (security officer), unless called by the system (``actor`` None,
    a job). *Audits* SCOPE_REVOKED per item. Returns the number of entries removed.
    """
    if actor is not None:
        require(actor, "revoke_scopes")
    entries = list(ItemScope.objects.select_for_update().filter(user_id=user.pk).order_by("item_id", "pk"))
    for entry in entries:
        item = entry.item
        pk = entry.pk
        entry.delete()
        _seal(item, new_mark=False)
        record(actor, AuditEvent.SCOPE_REVOKED, item,
               details={"entry": pk, "user": user.pk, "reason": reason[:300], "exit": True})  # fmt: skip
    return len(entries)


@service
def request_expansion(actor: User, item: Item, *, person: User, reason: str, starts_on: date | None = None,
                      ends_on: date | None = None) -> ExpansionRequest:  # fmt: skip
    """Ask for a person outside the scope to know the item (R-SCOPE-2); the unit head decides.

    *Requires* ``request_expansion`` on the item (the handler asks for someone), or the person
    asking for themself. *Audits* EXPANSION_REQUESTED.
    """
    if person.pk != actor.pk:
        require(actor, "request_expansion", item)
    if not (reason or "").strip():
        raise _invalid("reason", _("Give the reason."))
    if starts_on and ends_on and ends_on < starts_on:
        raise _invalid("ends_on", _("The end date lies before the start date."))
    req = ExpansionRequest(item=item, person=person, reason=reason[:300], starts_on=starts_on, ends_on=ends_on,
                           requested_by=actor)  # fmt: skip
    req.save()
    record(actor, AuditEvent.EXPANSION_REQUESTED, req, details={"item": item.pk, "person": person.pk})
    return req


@service
def request_expansion_by_reference(actor: User, *, reference: str, reason: str) -> ExpansionRequest | None:
    """An outsider asks to know an item by its document number (R-SCOPE-2). The answer is the
    same whether or not the number exists (CAR-3: forbidden looks like not found)."""
    item = Item.objects.filter(reference=reference.strip()).first() if reference.strip() else None
    if item is None or not item.is_live:
        record(actor, AuditEvent.EXPANSION_REQUESTED, None, outcome="denied", details={"found": False})
        return None
    return request_expansion(actor, item, person=actor, reason=reason)


@service
def decide_expansion(
    actor: User, req: ExpansionRequest, *, approve: bool, reason: str = ""
) -> ExpansionRequest:
    """The unit head approves (a dated scope entry is added) or refuses (R-SCOPE-2).

    *Requires* ``approve_expansion``. *Audits* EXPANSION_APPROVED / EXPANSION_REFUSED.
    """
    req = ExpansionRequest.objects.select_for_update().get(pk=req.pk)
    t = lifecycle.next_state(lifecycle.EXPANSION, req.status, "approve" if approve else "refuse")
    require(actor, t.action, req)
    if not approve and not reason.strip():
        raise _invalid("reason", _("Give the reason for the refusal."))
    req.status = t.target
    req.decided_by = actor
    req.decided_at = timezone.now()
    req.decision_reason = reason[:300]
    req.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    record(actor, t.event, req, details={"item": req.item_id, "person": req.person_id})
    if approve:
        item = Item.objects.select_for_update().get(pk=req.item_id)
        _grant(actor, item, user=req.person, department=None, starts_on=req.starts_on, ends_on=req.ends_on,
               reason=str(_("Expansion request #{n}")).format(n=req.pk))  # fmt: skip
    return req


@service
def designate_expansion_approver(actor: User, *, user: User, note: str = "") -> ExpansionDesignee:
    """Record a designee of the unit head who may approve need-to-know expansions (R-SCOPE-2:
    "主要负责人或者其指定的人员"). Recorded by the security officer or the unit head.

    *Requires* ``designate_expansion_approver``. *Audits* EXPANSION_DESIGNEE_SET.
    *Raises* ValidationFailed (inactive person, already designated).
    """
    require(actor, "designate_expansion_approver")
    if not user.is_active:
        raise _invalid("user", _("This account is not active."))
    if ExpansionDesignee.objects.select_for_update().filter(user=user, revoked_at__isnull=True).exists():
        raise _invalid("user", _("This person is already designated."))
    designee = ExpansionDesignee(user=user, designated_by=actor, note=(note or "").strip()[:300])
    designee.save()
    record(actor, AuditEvent.EXPANSION_DESIGNEE_SET, designee, details={"user": user.pk})
    return designee


@service
def revoke_expansion_designee(actor: User, designee: ExpansionDesignee) -> ExpansionDesignee:
    """End a designation (R-SCOPE-2); the record stays, with who revoked it and when.

    *Requires* ``revoke`` on the designation. *Audits* EXPANSION_DESIGNEE_REVOKED.
    *Raises* InvalidTransition when it was already revoked.
    """
    designee = ExpansionDesignee.objects.select_for_update().get(pk=designee.pk)
    require(actor, "revoke", designee)
    if designee.revoked_at is not None:
        raise InvalidTransition(_("This designation was already revoked."))
    designee.revoked_at = timezone.now()
    designee.revoked_by = actor
    designee.save(update_fields=["revoked_at", "revoked_by"])
    record(actor, AuditEvent.EXPANSION_DESIGNEE_REVOKED, designee, details={"user": designee.user_id})
    return designee


# =============================================================================================
# Notices (R-SCOPE-4)


@service
def acknowledge_notice(actor: User, notice: Notice) -> Notice:
    """The recipient confirms receipt: the proof of delivery (R-SCOPE-4). Idempotent.

    *Requires* ``acknowledge``. *Audits* NOTICE_ACKNOWLEDGED.
    """
    notice = Notice.objects.select_for_update().get(pk=notice.pk)
    require(actor, "acknowledge", notice)
    if notice.acknowledged_at is None:
        notice.acknowledged_at = timezone.now()
        notice.save(update_fields=["acknowledged_at"])
        record(actor, AuditEvent.NOTICE_ACKNOWLEDGED, notice, details={"item": notice.item_id})
    return notice


# =============================================================================================
# The guide (CLS-11, R-DET-8)

GUIDE_FIELDS = ("code", "title", "level", "duration_kind", "duration_value", "duration_unit", "scope_note",
                "basis_ref", "active")  # fmt: skip


def _guide_values(data: dict[str, Any]) -> dict[str, Any]:
    values = {k: data[k] for k in GUIDE_FIELDS if k in data}
    level = values.get("level", "")
    if level not in Level.values:
        raise _invalid("level", _("Choose a level."))
    check_ceiling(level)
    if not str(values.get("code", "")).strip() or not str(values.get("title", "")).strip():
        raise _invalid("code", _("Enter the code and the matter."))
    kind = values.get("duration_kind") or "period"
    if kind == "period" and values.get("duration_value"):
        if values.get("duration_unit") not in ("year", "month"):
            # CLS-11: a suggested period says whether it counts years or months.
            raise _invalid("duration_unit", _("Choose years or months."))
        Duration.years(values["duration_value"]) if values.get(
            "duration_unit"
        ) == "year" else Duration.months(values["duration_value"])
        cap = dur.cap_years(level)
        months = values["duration_value"] * (12 if values.get("duration_unit") == "year" else 1)
        if cap is not None and months > cap * 12:
            raise _invalid("duration_value", _("A guide entry may not suggest more than the legal maximum."))
    else:
        values["duration_value"], values["duration_unit"] = None, ""
    values["duration_kind"] = kind
    return values


@service
def create_guide_entry(actor: User, **data: Any) -> GuideEntry:
    """Add an entry to the 一览表 (R-DET-8). *Requires* ``manage_guide``. *Audits* GUIDE_ENTRY_CREATED."""
    require(actor, "manage_guide")
    values = _guide_values(data)
    if GuideEntry.objects.filter(code=values["code"]).exists():
        raise _invalid("code", _("An entry with this code already exists."))
    entry = GuideEntry(**values)
    entry.save()
    record(
        actor,
        AuditEvent.GUIDE_ENTRY_CREATED,
        ("classification.guideentry", entry.pk, entry.code, entry.level),
    )
    return entry


@service
def update_guide_entry(actor: User, entry: GuideEntry, **data: Any) -> GuideEntry:
    """Change an entry (or deactivate it with ``active=False``). *Requires* ``manage``."""
    entry = GuideEntry.objects.select_for_update().get(pk=entry.pk)
    require(actor, "manage", entry)
    values = _guide_values({**{k: getattr(entry, k) for k in GUIDE_FIELDS}, **data})
    if GuideEntry.objects.filter(code=values["code"]).exclude(pk=entry.pk).exists():
        raise _invalid("code", _("An entry with this code already exists."))
    before = {k: getattr(entry, k) for k in values}
    for k, v in values.items():
        setattr(entry, k, v)
    entry.save(update_fields=list(values))
    changed = {k: [before[k], values[k]] for k in values if before[k] != values[k]}
    record(actor, AuditEvent.GUIDE_ENTRY_UPDATED, ("classification.guideentry", entry.pk, entry.code, entry.level),
           details={"changed": changed})  # fmt: skip
    return entry


# =============================================================================================
# Unclear matters and disputes (CLS-6, R-DET-10/11)


@internal
def default_report_to(level: str) -> str:
    """R-DET-10: proposed 绝密 goes to the national bureau, otherwise the provincial one."""
    return ReportTo.NATIONAL if level == Level.TOP_SECRET else ReportTo.PROVINCIAL


@service
def open_matter(actor: User, item: Item, *, kind: str, description: str = "", report_to: str = "",
                set_on: date | None = None, claims: list[dict[str, str]] | None = None) -> Matter:  # fmt: skip
    """Record an unclear matter or a dispute with provisional protection (CLS-6). The report is
    due 10 working days after the provisional protection was set (R-DET-10). In a dispute the
    item is protected at the highest level any party claims (R-DET-11).

    *Requires* ``open_matter``. *Audits* MATTER_OPENED.
    """
    item = Item.objects.select_for_update().get(pk=item.pk)
    require(actor, "open_matter", item)
    kind = MatterKind(kind)
    set_on = set_on or timezone.localdate()
    claims = [c for c in (claims or []) if c.get("level")]
    for c in claims:
        if c["level"] not in Level.values:
            raise _invalid("claims", _("Choose a level."))
        check_ceiling(c["level"])
    matter = Matter(item=item, kind=kind, description=description, set_on=set_on,
                    report_to=report_to or default_report_to(item.level),
                    report_due=workdays.add_working_days(set_on, settings.MATTER_DEADLINE_WORKING_DAYS),
                    claims=claims, opened_by=actor)  # fmt: skip
    matter.save()
    record(actor, AuditEvent.MATTER_OPENED, matter, details={"item": item.pk, "kind": kind})
    _apply_highest_claim(actor, item, matter)
    return matter


def _apply_highest_claim(actor: User, item: Item, matter: Matter) -> None:
    if matter.kind != MatterKind.DISPUTE or not matter.claims:
        return
    highest = levels.highest([item.level, *[c["level"] for c in matter.claims]])
    if highest != item.level:
        old_mark = marking.item_mark(item)
        before = item.level
        _set_level(item, highest)
        if levels.is_state_secret(highest) and not item.duration_kind:
            raise _invalid("claims", _("Give the item a duration before protecting it as a state secret."))
        item.save(update_fields=["level"])
        _seal(item)
        _notify(item, NoticeKind.PROVISIONAL, old_mark=old_mark, new_mark=marking.item_mark(item))
        record(actor, AuditEvent.ITEM_CHANGED, item,
               details={"matter": matter.pk, "before": before, "level": highest, "dispute": True})  # fmt: skip


@service
def add_claim(actor: User, matter: Matter, *, party: str, level: str) -> Matter:
    """A party claims a level in a dispute; the highest claim applies at once (R-DET-11)."""
    matter = Matter.objects.select_for_update().get(pk=matter.pk)
    item = Item.objects.select_for_update().get(pk=matter.item_id)
    require(actor, "manage", matter)
    if matter.kind != MatterKind.DISPUTE or matter.status == MatterStatus.DECIDED:
        raise InvalidTransition(_("Claims can only be added to an open dispute."))
    if level not in Level.values:
        raise _invalid("level", _("Choose a level."))
    check_ceiling(level)
    matter.claims = [*matter.claims, {"party": party[:100], "level": level}]
    matter.save(update_fields=["claims"])
    record(actor, AuditEvent.MATTER_CLAIM_ADDED, matter, details={"level": level})
    _apply_highest_claim(actor, item, matter)
    return matter


@service
def report_matter(
    actor: User, matter: Matter, *, reported_on: date | None = None, reference: str = ""
) -> Matter:
    """Record the report to the bureau; its decision is due 10 working days later (R-DET-10)."""
    matter = Matter.objects.select_for_update().get(pk=matter.pk)
    require(actor, "manage", matter)
    if matter.status != MatterStatus.OPEN:
        raise InvalidTransition(_("This action is not allowed in the current state."))
    reported_on = reported_on or timezone.localdate()
    if reported_on < matter.set_on:
        # CLS-6, R-DET-10: the report follows the provisional protection; its deadlines count from it.
        raise _invalid(
            "reported_on", _("The report date lies before the date of the provisional protection.")
        )
    if reported_on > timezone.localdate():
        raise _invalid("reported_on", _("The report date lies in the future."))
    matter.reported_on = reported_on
    matter.report_reference = reference[:200]
    matter.decision_due = workdays.add_working_days(matter.reported_on, settings.MATTER_DEADLINE_WORKING_DAYS)
    matter.status = MatterStatus.REPORTED
    matter.save(update_fields=["reported_on", "report_reference", "decision_due", "status"])
    record(actor, AuditEvent.MATTER_REPORTED, matter,
           details={"late": matter.reported_on > matter.report_due})  # fmt: skip
    return matter


@service
def decide_matter(actor: User, matter: Matter, *, decision: str, level: str, decided_on: date | None = None) -> Matter:  # fmt: skip
    """Record the bureau's decision; the item takes the decided level (R-DET-10/11)."""
    matter = Matter.objects.select_for_update().get(pk=matter.pk)
    item = Item.objects.select_for_update().get(pk=matter.item_id)
    require(actor, "manage", matter)
    if matter.status != MatterStatus.REPORTED:
        raise InvalidTransition(_("Record the report before the decision."))
    if level not in Level.values:
        raise _invalid("level", _("Choose a level."))
    check_ceiling(level)
    if not decision.strip():
        raise _invalid("decision", _("Enter the decision."))
    decided_on = decided_on or timezone.localdate()
    if matter.reported_on and decided_on < matter.reported_on:
        # CLS-6, R-DET-10: the bureau decides on the report it received.
        raise _invalid("decided_on", _("The decision date lies before the report date."))
    matter.status = MatterStatus.DECIDED
    matter.decided_on = decided_on
    matter.decision = decision[:300]
    matter.decided_level = level
    matter.save(update_fields=["status", "decided_on", "decision", "decided_level"])
    record(actor, AuditEvent.MATTER_DECIDED, matter, details={"level": level})
    if level != item.level and item.is_live:
        old_mark = marking.item_mark(item)
        before = item.level
        _set_level(item, level)
        if levels.is_state_secret(level) and not item.duration_kind:
            raise _invalid("level", _("Give the item a duration before protecting it as a state secret."))
        if not levels.is_state_secret(level) and level != Level.WORK_SECRET:
            for k, v in EMPTY_DURATION.items():
                setattr(item, k, v)
        item.expires_on = _expires_on(item)
        item.save(update_fields=["level", *DURATION_FIELDS, "expires_on"])
        _seal(item)
        _notify(item, NoticeKind.CHANGED, old_mark=old_mark, new_mark=marking.item_mark(item))
        record(
            actor,
            AuditEvent.ITEM_CHANGED,
            item,
            details={"matter": matter.pk, "before": before, "level": level},
        )
    return matter


# =============================================================================================
# Working-day calendar (CLS-6)


@service
def set_calendar_day(actor: User, *, day: date, kind: str, name: str = "") -> CalendarDay:
    """Add or change a holiday or make-up working day. *Requires* ``manage_calendar``."""
    require(actor, "manage_calendar")
    entry = CalendarDay.objects.select_for_update().filter(day=day).first() or CalendarDay(day=day)
    entry.kind = kind
    entry.name = name[:100]
    entry.save()
    record(actor, AuditEvent.CALENDAR_CHANGED, entry, details={"day": day, "kind": kind, "set": True})
    return entry


@service
def remove_calendar_day(actor: User, entry: CalendarDay) -> None:
    """Remove a calendar entry. *Requires* ``manage``. *Audits* CALENDAR_CHANGED."""
    require(actor, "manage", entry)
    record(
        actor,
        AuditEvent.CALENDAR_CHANGED,
        entry,
        details={"day": entry.day, "kind": entry.kind, "set": False},
    )
    entry.delete()


# =============================================================================================
# Annual review (CLS-10, R-DECL-1)


@service
def open_review(actor: User, *, year: int, title: str = "") -> ReviewCampaign:
    """Open the annual review listing every live item of the unit (R-DECL-1).

    *Requires* ``manage_reviews``. *Audits* REVIEW_OPENED.
    """
    require(actor, "manage_reviews")
    if ReviewCampaign.objects.filter(year=year).exists():
        raise _invalid("year", _("The review of this year is already open."))
    campaign = ReviewCampaign(year=year, title=title or str(_("Annual review {year}")).format(year=year),
                              opened_by=actor)  # fmt: skip
    campaign.save()
    items = (
        Item.objects.filter(status=ItemStatus.DETERMINED, external_originator="")
        .exclude(level__in=levels.NON_SECRET_LEVELS)
        .order_by("pk")
    )
    for item in items:
        ReviewDecision(campaign=campaign, item=item).save()
    record(actor, AuditEvent.REVIEW_OPENED, campaign, details={"items": items.count()})
    return campaign


@service
def decide_review(
    actor: User,
    decision: ReviewDecision,
    *,
    choice: str,
    note: str = "",
    level: str = "",
    duration: dict[str, Any] | None = None,
    duration_basis: str = "",
) -> ReviewDecision:
    """A named authority records the decision on one item (R-DECL-1). Keep is final; change,
    extension and lifting are applied at once through an approved request of the same flow (the
    reviewing authority decides; the request records the security office's review as proposer).

    *Requires* ``decide`` on the item. *Audits* REVIEW_DECIDED (and the request's events).
    """
    decision = (
        ReviewDecision.objects.select_for_update().select_related("campaign", "item").get(pk=decision.pk)
    )
    require(actor, "decide", decision)
    if decision.campaign.closed_at is not None:
        raise InvalidTransition(_("The review is closed."))
    if decision.decision:
        raise InvalidTransition(_("This item has already been reviewed."))
    choice = ReviewDecisionKind(choice)
    item = decision.item
    if choice == ReviewDecisionKind.KEEP:
        if item.status != ItemStatus.DETERMINED:
            raise InvalidTransition(_("This action is not allowed in the current state."))
    else:
        kind = {ReviewDecisionKind.CHANGE: RequestKind.CHANGE, ReviewDecisionKind.EXTEND: RequestKind.EXTEND,
                ReviewDecisionKind.LIFT: RequestKind.LIFT}[choice]  # fmt: skip
        lifecycle.next_state(lifecycle.ITEM, item.status, str(kind))
        req = ClassificationRequest(item=item, kind=kind, reason=note or str(_("Annual review")),
                                    proposed_by=actor, duration_basis=duration_basis[:300])  # fmt: skip
        req.before = {"level": item.level, "mark": marking.item_mark(item), "review": decision.pk}
        if level and level != item.level:
            _check_not_lifting_in_disguise(item, level)
            check_ceiling(level)
            req.level = level
        d = (
            build_duration(level or item.level, duration or {})
            if (duration or {}).get("duration_kind")
            else None
        )
        if d is not None:
            for k, v in d.to_fields().items():
                setattr(req, k, v)
        if kind == RequestKind.EXTEND:
            _check_extension(item, d)  # R-CHG-2, as in propose_change
        if kind == RequestKind.CHANGE and not (req.level or d is not None):
            raise _invalid("level", _("Nothing would change."))
        if req.level and item.origin == Origin.ORIGINAL and not unit_authority_covers(req.level):
            # ORG-4, R-DET-5: above the unit's authority the superior decides, not the review.
            raise InvalidTransition(
                _("This is above the unit's determination authority; it must be reported upward.")
            )
        if kind == RequestKind.LIFT:
            req.lift_ground = LiftGround.NO_LONGER_SECRET
        req.save()
        # R-DET-1/4: the reviewing authority must cover the new level as well as the old one
        # (the same rule as approving a request; refused looks like not found, audited).
        require(actor, "decide", req)
        record(
            actor,
            AuditEvent.REQUEST_PROPOSED,
            req,
            details={"item": item.pk, "kind": kind, "review": decision.pk},
        )
        _approve_review_request(actor, item, req)
        decision.request = req
    decision.decision = choice
    decision.note = note[:300]
    decision.decided_by = actor
    decision.decided_at = timezone.now()
    decision.save(update_fields=["decision", "note", "decided_by", "decided_at", "request"])
    record(actor, AuditEvent.REVIEW_DECIDED, decision, details={"item": item.pk, "decision": choice})
    return decision


def _approve_review_request(actor: User, item: Item, req: ClassificationRequest) -> None:
    """The annual review is itself the authority's decision (R-DECL-1): apply the request."""
    it = lifecycle.next_state(lifecycle.ITEM, item.status, str(req.kind))
    old_mark = marking.item_mark(item)
    if req.kind == RequestKind.LIFT:
        _apply_lift(item, req)
        _seal(item, request=req)
        _notify(item, NoticeKind.DECLASSIFIED, old_mark=old_mark, new_mark=marking.item_mark(item))
    else:
        before = scope_people(item)
        _apply_change(actor, item, req)
        _seal(item, request=req)
        _notify(item, NoticeKind.CHANGED, old_mark=old_mark, new_mark=marking.item_mark(item),
                recipients=_changed_scope_recipients(item, before))  # fmt: skip
    req.status = RequestStatus.APPROVED
    req.decided_by = actor
    req.decided_at = timezone.now()
    req.decision_reason = str(_("Annual review"))
    req.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    record(actor, AuditEvent.REQUEST_APPROVED, req, details={"item": item.pk, "kind": req.kind})
    record(actor, it.event, item, details={"request": req.pk, "level": item.level})


@service
def close_review(actor: User, campaign: ReviewCampaign) -> ReviewCampaign:
    """Close the campaign once every item has a decision (R-DECL-1)."""
    campaign = ReviewCampaign.objects.select_for_update().get(pk=campaign.pk)
    require(actor, "manage", campaign)
    if campaign.closed_at is not None:
        raise InvalidTransition(_("The review is closed."))
    # Items declassified since the campaign opened (expiry, lifting) need no decision (R-DECL-1).
    open_count = campaign.decisions.filter(decision="", item__status=ItemStatus.DETERMINED).count()
    if open_count:
        raise InvalidTransition(_("{n} items have no decision yet.").format(n=open_count))
    campaign.closed_at = timezone.now()
    campaign.save(update_fields=["closed_at"])
    record(actor, AuditEvent.REVIEW_CLOSED, campaign, details={"items": campaign.decisions.count()})
    return campaign


# =============================================================================================
# Reads that are events (R-SCOPE-3)


@internal
def record_item_view(actor: User, item: Item) -> None:
    """A person saw a 机密/绝密 item's detail: an entry of its knowledge record (R-SCOPE-3)."""
    if item.level in (Level.SECRET, Level.TOP_SECRET):
        record(actor, AuditEvent.ITEM_VIEWED, item)
