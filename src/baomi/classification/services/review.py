"""The annual review (CLS-10, R-DECL-1)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access.policy import check_ceiling, require
from baomi.accounts.models import User
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.classification import lifecycle, marking
from baomi.classification.choices import (
    ItemStatus,
    LiftGround,
    NoticeKind,
    Origin,
    RequestKind,
    RequestStatus,
    ReviewDecisionKind,
)
from baomi.classification.models import ClassificationRequest, Item, ReviewCampaign, ReviewDecision
from baomi.classification.services._common import (
    _changed_scope_recipients,
    _invalid,
    _notify,
    _seal,
    build_duration,
    check_determination_training,
    scope_people,
    unit_authority_covers,
)
from baomi.classification.services.change import _check_extension, _check_not_lifting_in_disguise
from baomi.classification.services.determine import _apply_change, _apply_lift
from baomi.core import levels
from baomi.core.errors import InvalidTransition
from baomi.kit.service import service


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
    check_determination_training(actor, deciding=True, at_levels=[decision.item.level])  # R-DET-12
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
                                    requested_by=actor, duration_basis=duration_basis[:300])  # fmt: skip
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
        # (the same rule as approving a request; refused looks like not found, audited). The
        # request is filed in their name as the record of their own decision (R-DECL-1), so
        # it is ``review_decide``, not ``decide`` (which never decides one's own request).
        require(actor, "review_decide", req)
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
