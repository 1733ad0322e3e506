"""Rules for classified items and their requests (CLS-4..11, CAR-3, R-SCOPE-1..4, R-DET-1..5).

Seeing an item needs all of:
- clearance at or above its level (no read up, CAR-3) — whatever the role;
- a reason to know: membership of its need-to-know scope (a person or department entry with
  current dates, or an approved expansion, R-SCOPE-1/2), having proposed or determined it, running
  the registry (security officer), heading its department, or being a classification authority
  whose authority covers its level (the approval queue, R-DET-2).
Non-secret items (公开, 内部) are visible to every active account.

Deciding (approving or refusing) needs the classification-authority role with an authority level
at or above the level concerned (R-DET-1/4); never the proposer (R-DET-2) — that last check is in
the service, which knows the request. Changing or lifting is only for the originating unit
(CLS-8, R-CHG-1). Refused looks like not found (CAR-3).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from baomi.access import policy
from baomi.accounts.choices import Role
from baomi.accounts.models import AuthorityDesignation
from baomi.classification.choices import ItemStatus
from baomi.classification.models import (
    CalendarDay,
    ClassificationRequest,
    ExpansionDesignee,
    ExpansionRequest,
    GuideEntry,
    Item,
    Matter,
    Notice,
    ReviewCampaign,
    ReviewDecision,
)
from baomi.classification.selectors import in_scope, scoped_item_ids
from baomi.core import levels
from baomi.kit.requests import RequestRule as BaseRequestRule

LIVE = (ItemStatus.PROPOSED, ItemStatus.PENDING_UPWARD, ItemStatus.DETERMINED)


def authority_ceiling(user: Any) -> str | None:
    """The highest level ``user`` may approve today: the classification authority role and the
    written designation in force (R-DET-1, R-DET-4, R-DET-7), or ``None``. Cached per instance
    for one request, like the roles."""
    if not user.has_role(Role.CLASSIFICATION_AUTHORITY):
        return None
    cache = user.__dict__.get("_designation_cache")
    today = timezone.localdate()
    if cache is None or cache[0] != today:
        designation = AuthorityDesignation.in_force_for(user, today)
        cache = (today, designation.level if designation is not None else None)
        user.__dict__["_designation_cache"] = cache
    ceiling: str | None = cache[1]
    if ceiling is None or not user.authority_level:
        return None
    # The account's level is kept in step with the designation; the lower of the two counts.
    return ceiling if levels.dominates(user.authority_level, ceiling) else user.authority_level


def authority_covers(user: Any, level: str) -> bool:
    """A classification authority designated in writing at or above ``level`` (R-DET-1/4/7)."""
    ceiling = authority_ceiling(user)
    return ceiling is not None and levels.dominates(ceiling, level)


def has_reason_to_know(user: Any, item: Item) -> bool:
    """The need-to-know part of CAR-3 for one item."""
    # R-CLS-3: non-secret information needs no reason.
    if item.level in levels.NON_SECRET_LEVELS:
        return True
    # CAR-3, R-SCOPE-1/2: a person or department scope entry (incl. approved expansions).
    if in_scope(user, item):
        return True
    # R-DET-2: the case handler who proposed it and the authority who determined it.
    if user.pk in (item.proposed_by_id, item.determined_by_id):
        return True
    # CAR-12: the security office keeps the registry.
    if user.has_role(Role.SECURITY_OFFICER):
        return True
    # ORG-1: the department head is first responsible for the department's secrets.
    if item.department_id in user.headed_department_ids():
        return True
    # R-DET-2: an authority covering the level reviews proposals and changes.
    return authority_covers(user, item.level)


class ItemRule:
    actions = frozenset(
        {
            "view",  # see the item, its mark, history and scope
            "request_change",  # propose a change, an extension or lifting (承办人)
            "decide",  # approve or refuse a request on this item (定密责任人)
            "record_upward",  # record the superior's determination (R-DET-5)
            "manage_scope",  # grant or revoke need-to-know directly (保密办)
            "request_expansion",  # ask for someone to be added to the scope
            "knowledge_record",  # read and export the 知悉记录 (R-SCOPE-3)
            "open_matter",  # record an unclear matter or dispute (CLS-6)
            "record_consent",  # record the originator's consent for 绝密 content (R-AC-3)
        }
    )

    def can(self, user: Any, action: str, obj: Item) -> bool:
        # CAR-3: no read up, whatever the role.
        if not policy.clearance_dominates(user, obj.level):
            return False
        if action == "record_consent":
            # R-AC-3: the unit head or the item's 定密责任人 record the originator's consent for a
            # live 绝密 item — without a reason to know: recording it reads no content and widens
            # no scope (the consent page shows the document number and the mark only).
            return consent_keeper(user, obj)
        # CAR-3: a reason to know, for every action.
        if not has_reason_to_know(user, obj):
            return False
        if action == "view":
            return True
        if action == "request_change":
            # CLS-8, R-CHG-1: only the originating unit; a live determined item; a case handler.
            return obj.is_own and obj.status == ItemStatus.DETERMINED and user.has_role(Role.CASE_HANDLER)
        if action == "decide":
            # R-DET-1/4: authority at or above the level; CLS-8: a determined item of another
            # unit is not ours to change or lift.
            return authority_covers(user, obj.level) and (obj.is_own or obj.status != ItemStatus.DETERMINED)
        if action == "record_upward":
            # R-DET-5: the superior decided; an authority or the security office records it.
            return user.has_role(Role.SECURITY_OFFICER) or user.has_role(Role.CLASSIFICATION_AUTHORITY)
        if action == "manage_scope":
            # R-SCOPE-1: the security office grants need-to-know (SEC-2 授权).
            return obj.status in LIVE and user.has_role(Role.SECURITY_OFFICER)
        if action == "request_expansion":
            # R-SCOPE-2: the handler or anyone who knows the item may ask for someone.
            return obj.status in LIVE
        if action == "knowledge_record":
            # R-SCOPE-3: the security office keeps the knowledge record.
            return user.has_role(Role.SECURITY_OFFICER)
        if action == "open_matter":
            # CLS-6: the security office or an authority records unclear matters and disputes.
            return obj.status in LIVE and (
                user.has_role(Role.SECURITY_OFFICER) or user.has_role(Role.CLASSIFICATION_AUTHORITY)
            )
        return False

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        return items_visible(user, queryset, action)


def consent_keeper(user: Any, item: Item) -> bool:
    """R-AC-3: who records the originator's consent for a live 绝密 item — the unit head, or the
    classification authority who determined it."""
    if item.level != levels.Level.TOP_SECRET or item.status not in LIVE:
        return False
    return user.has_role(Role.UNIT_HEAD) or item.determined_by_id == user.pk


def items_visible(user: Any, queryset: QuerySet, action: str = "view") -> QuerySet:
    """The ``view`` rule of :class:`ItemRule` as one SQL filter; other actions narrow it further."""
    allowed = [lv for lv in levels.Level.values if policy.clearance_dominates(user, lv)]
    qs = queryset.filter(level__in=allowed)  # CAR-3: no read up
    if action == "record_consent":
        # R-AC-3: a live 绝密 item; the unit head, or the authority who determined it (no scope).
        qs = qs.filter(level=levels.Level.TOP_SECRET, status__in=LIVE)
        return qs if user.has_role(Role.UNIT_HEAD) else qs.filter(determined_by_id=user.pk)
    if not user.has_role(Role.SECURITY_OFFICER):
        reason = Q(level__in=levels.NON_SECRET_LEVELS) | Q(pk__in=scoped_item_ids(user))
        reason |= Q(proposed_by_id=user.pk) | Q(determined_by_id=user.pk)
        reason |= Q(department_id__in=user.headed_department_ids())
        if user.has_role(Role.CLASSIFICATION_AUTHORITY):
            covered = [lv for lv in levels.Level.values if authority_covers(user, lv)]
            reason |= Q(level__in=covered)
        qs = qs.filter(reason)
    # Each action below mirrors its branch of ItemRule.can, condition by condition (STYLE 2.3);
    # tests/classification/test_visible_equals_can.py checks that they agree.
    officer = user.has_role(Role.SECURITY_OFFICER)
    authority = user.has_role(Role.CLASSIFICATION_AUTHORITY)
    if action == "view":
        return qs
    if action == "request_change":
        # CLS-8, R-CHG-1: a case handler; only the originating unit; a live determined item.
        if not user.has_role(Role.CASE_HANDLER):
            return qs.none()
        return qs.filter(external_originator="", status=ItemStatus.DETERMINED)
    if action == "decide":
        # R-DET-1/4: authority at or above the level.
        if not authority:
            return qs.none()
        covered = [lv for lv in levels.Level.values if authority_covers(user, lv)]
        # CLS-8: a determined item of another unit is not ours to change or lift.
        return qs.filter(level__in=covered).exclude(~Q(external_originator=""), status=ItemStatus.DETERMINED)
    if action == "record_upward":
        # R-DET-5: an authority or the security office records the superior's decision.
        return qs if officer or authority else qs.none()
    if action == "manage_scope":
        # R-SCOPE-1: the security office grants need-to-know on a live item.
        return qs.filter(status__in=LIVE) if officer else qs.none()
    if action == "request_expansion":
        # R-SCOPE-2: anyone who knows a live item may ask for someone.
        return qs.filter(status__in=LIVE)
    if action == "knowledge_record":
        # R-SCOPE-3: the security office keeps the knowledge record.
        return qs if officer else qs.none()
    if action == "open_matter":
        # CLS-6: the security office or an authority, on a live item.
        return qs.filter(status__in=LIVE) if officer or authority else qs.none()
    return qs.none()


class RequestRule(BaseRequestRule):
    """A request is seen by whoever sees its item; deciding follows the item's ``decide``.

    On the shared rule base (``kit.requests.RequestRule``, issue 10): the base never lets the
    proposer decide their own proposal (R-DET-2: one person never both proposes and approves)."""

    #: ``review_decide``: the annual review's authority applies the change they decided
    #: (R-DECL-1) — the same cover of both levels as ``decide`` (R-DET-1/4), on the request the
    #: review itself files in their name, which is a record of their decision, not a proposal.
    actions = BaseRequestRule.actions | {"record_upward", "review_decide"}

    @staticmethod
    def _level(obj: ClassificationRequest) -> str:
        return levels.highest([obj.item.level, obj.level or obj.item.level])

    def may_decide(self, user: Any, req: Any) -> bool:
        # R-DET-1/4: the authority must cover the higher of the old and the proposed level.
        level = self._level(req)
        return (
            policy.clearance_dominates(user, level)
            and ItemRule().can(user, "decide", req.item)
            and authority_covers(user, level)
        )

    def decidable(self, user: Any, queryset: QuerySet) -> QuerySet:
        # R-DET-1/4: clearance and authority both cover the higher of the item's and the
        # proposed level; both conditions are downward closed, so "the higher one is covered"
        # is "each one is covered" (an empty proposed level means the item's own).
        covered = [
            lv
            for lv in levels.Level.values
            if policy.clearance_dominates(user, lv) and authority_covers(user, lv)
        ]
        return queryset.filter(
            item__in=items_visible(user, Item.objects.all(), "decide"),
            item__level__in=covered,
        ).filter(Q(level__in=covered) | Q(level=""))

    def can(self, user: Any, action: str, obj: ClassificationRequest) -> bool:
        item = obj.item
        # CAR-3: the request reveals the item.
        if not ItemRule().can(user, "view", item):
            return False
        if action == "view":
            return True
        if action == "withdraw":
            # R-DET-2: the proposer withdraws their own proposal.
            return obj.requested_by_id == user.pk
        if action == "record_upward":
            return bool(ItemRule().can(user, "record_upward", item))
        if action == "review_decide":
            return self.may_decide(user, obj)
        return super().can(user, action, obj)  # decide: never one's own proposal (R-DET-2)

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        items = items_visible(user, Item.objects.all(), "view")
        qs = queryset.filter(item__in=items)
        if action == "view":
            return qs
        if action == "withdraw":
            # R-DET-2: the proposer's own proposals.
            return qs.filter(requested_by_id=user.pk)
        if action == "record_upward":
            return qs.filter(item__in=items_visible(user, Item.objects.all(), "record_upward"))
        if action == "review_decide":
            return self.decidable(user, qs)
        return super().visible(user, qs, action)  # decide: never one's own proposal (R-DET-2)


class GuideRule:
    """The 一览表: read by handlers, authorities and the security office; kept by the latter."""

    actions = frozenset({"view", "manage"})

    def can(self, user: Any, action: str, obj: GuideEntry) -> bool:
        # CAR-3: an entry names its level; no read up.
        if not policy.clearance_dominates(user, obj.level):
            return False
        if action == "manage":
            return user.has_role(Role.SECURITY_OFFICER)  # R-DET-8
        return guide_reader(user)

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        allowed = [lv for lv in levels.Level.values if policy.clearance_dominates(user, lv)]
        if action == "manage" and not user.has_role(Role.SECURITY_OFFICER):
            return queryset.none()
        if not guide_reader(user):
            return queryset.none()
        return queryset.filter(level__in=allowed)


def guide_reader(user: Any) -> bool:
    return user.has_role(
        Role.SECURITY_OFFICER, Role.CASE_HANDLER, Role.CLASSIFICATION_AUTHORITY, Role.UNIT_HEAD
    )


class NoticeRule:
    """A notice belongs to its recipient (R-SCOPE-4)."""

    actions = frozenset({"view", "acknowledge"})
    # R-SCOPE-4: a person in scope must be told in writing even when the change raised the level
    # above their clearance; the notice carries the document number and the mark, not content.
    clearance_exempt = frozenset({"view", "acknowledge"})

    def can(self, user: Any, action: str, obj: Notice) -> bool:
        # R-SCOPE-4: a notice is its recipient's. The security office checks delivery through
        # the item's knowledge record (``selectors.item_notices``), not by opening notices.
        return bool(obj.recipient_id == user.pk)

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        return queryset.filter(recipient_id=user.pk)


class MatterRule:
    actions = frozenset({"view", "manage"})

    def can(self, user: Any, action: str, obj: Matter) -> bool:
        # CLS-6: the item's own rule, then the security office or an authority.
        if action == "view":
            return ItemRule().can(user, "view", obj.item)
        return ItemRule().can(user, "open_matter", obj.item)

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        qs = queryset.filter(item__in=items_visible(user, Item.objects.all(), "view"))
        if action == "view":
            return qs
        return qs if matter_keeper(user) else qs.none()


def matter_keeper(user: Any) -> bool:
    return user.has_role(Role.SECURITY_OFFICER, Role.CLASSIFICATION_AUTHORITY)


class CalendarRule:
    actions = frozenset({"view", "manage"})

    def can(self, user: Any, action: str, obj: CalendarDay) -> bool:
        # CLS-6: the security office keeps the working-day calendar; everyone may read it.
        return action == "view" or user.has_role(Role.SECURITY_OFFICER)

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        return queryset if action == "view" or user.has_role(Role.SECURITY_OFFICER) else queryset.none()


class ReviewCampaignRule:
    actions = frozenset({"view", "manage"})

    def can(self, user: Any, action: str, obj: ReviewCampaign) -> bool:
        # CLS-10: the security office runs the campaign; authorities decide its items.
        if action == "manage":
            return user.has_role(Role.SECURITY_OFFICER)
        return review_participant(user)

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        ok = user.has_role(Role.SECURITY_OFFICER) if action == "manage" else review_participant(user)
        return queryset if ok else queryset.none()


def review_participant(user: Any) -> bool:
    return user.has_role(Role.SECURITY_OFFICER, Role.CLASSIFICATION_AUTHORITY)


class ReviewDecisionRule:
    actions = frozenset({"view", "decide"})

    def can(self, user: Any, action: str, obj: ReviewDecision) -> bool:
        if action == "view":
            return ItemRule().can(user, "view", obj.item)
        # R-DECL-1: a named authority covering the item's level.
        return ItemRule().can(user, "decide", obj.item)

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        return queryset.filter(item__in=items_visible(user, Item.objects.all(), action))


def expansion_approver(user: Any) -> bool:
    """R-SCOPE-2: the unit's 主要负责人 (unit head) or a person they designated (not revoked)."""
    if user.has_role(Role.UNIT_HEAD):
        return True
    return ExpansionDesignee.objects.filter(user_id=user.pk, revoked_at__isnull=True).exists()


def designation_keeper(user: Any) -> bool:
    """R-SCOPE-2: the security office or the unit head records who is designated."""
    return user.has_role(Role.SECURITY_OFFICER, Role.UNIT_HEAD)


class ExpansionRule(BaseRequestRule):
    """An expansion request on the shared rule base (``kit.requests.RequestRule``, issue 10):
    ``approve_expansion`` is the base's ``decide``, which never lets the requester or the
    person to be let in decide (one person never both asks and decides)."""

    actions = BaseRequestRule.actions | {"approve_expansion"}

    def may_decide(self, user: Any, req: Any) -> bool:
        # R-SCOPE-2: the unit head or their designee decides; CAR-3: cleared for the level.
        return expansion_approver(user) and policy.clearance_dominates(user, req.item.level)

    def decidable(self, user: Any, queryset: QuerySet) -> QuerySet:
        if not expansion_approver(user):
            return queryset.none()
        allowed = [lv for lv in levels.Level.values if policy.clearance_dominates(user, lv)]
        return queryset.filter(item__level__in=allowed)

    def can(self, user: Any, action: str, obj: ExpansionRequest) -> bool:
        if action in ("approve_expansion", "decide"):
            return super().can(user, "decide", obj)
        if action == "view":
            # The requester sees their own request; the item's viewers see requests about it.
            return obj.requested_by_id == user.pk or ItemRule().can(user, "view", obj.item)
        return super().can(user, action, obj)

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        if action in ("approve_expansion", "decide"):
            return super().visible(user, queryset, "decide")
        if action == "view":
            items = items_visible(user, Item.objects.all(), "view")
            return queryset.filter(Q(requested_by_id=user.pk) | Q(item__in=items))
        return super().visible(user, queryset, action)


class DesigneeRule:
    """A designation of an expansion approver (R-SCOPE-2): kept by the security office and the
    unit head; it carries no classified content."""

    actions = frozenset({"view", "revoke"})

    def can(self, user: Any, action: str, obj: ExpansionDesignee) -> bool:
        # R-SCOPE-2: the security office or the unit head sees and revokes designations.
        return designation_keeper(user)

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        return queryset if designation_keeper(user) else queryset.none()


policy.register(Item, ItemRule())
policy.register(ClassificationRequest, RequestRule())
policy.register(GuideEntry, GuideRule())
policy.register(Notice, NoticeRule())
policy.register(Matter, MatterRule())
policy.register(CalendarDay, CalendarRule())
policy.register(ReviewCampaign, ReviewCampaignRule())
policy.register(ReviewDecision, ReviewDecisionRule())
policy.register(ExpansionRequest, ExpansionRule())
policy.register(ExpansionDesignee, DesigneeRule())

# Object-less actions (screens and creation).
policy.register_global("propose_item", lambda u: u.has_role(Role.CASE_HANDLER))  # CLS-4
policy.register_global("view_items", lambda u: True)  # the register; rows are filtered by visible()
policy.register_global("decide_requests", lambda u: u.has_role(Role.CLASSIFICATION_AUTHORITY))  # R-DET-2
policy.register_global("view_guide", guide_reader)  # CLS-11
policy.register_global("manage_guide", lambda u: u.has_role(Role.SECURITY_OFFICER))  # R-DET-8
# Issue 19 §4: the security office records the determinations made before baomi (ledger import).
policy.register_global("record_existing_determination", lambda u: u.has_role(Role.SECURITY_OFFICER))
policy.register_global("view_matters", matter_keeper)  # CLS-6
policy.register_global("manage_calendar", lambda u: u.has_role(Role.SECURITY_OFFICER))  # CLS-6
policy.register_global("view_reviews", review_participant)  # CLS-10
policy.register_global("manage_reviews", lambda u: u.has_role(Role.SECURITY_OFFICER))  # CLS-10
policy.register_global("approve_expansions", expansion_approver)  # R-SCOPE-2: unit head or designee
policy.register_global("designate_expansion_approver", designation_keeper)  # R-SCOPE-2
policy.register_global("revoke_scopes", lambda u: u.has_role(Role.SECURITY_OFFICER))  # R-AC-6 (exit)
policy.register_global("view_notices", lambda u: True)  # R-SCOPE-4: one's own notices


def may_have_items(user: Any) -> bool:
    """Role-fit navigation (issue 13): whether the 定密 register can ever list something for
    ``user`` beyond the non-secret rows — the security office, the 定密 roles and the unit head,
    and people cleared for work secrets or above who are not the separated system administrator
    or auditor (三员: their scope is the system, not the items)."""
    if user.has_role(Role.SECURITY_OFFICER, Role.CASE_HANDLER, Role.CLASSIFICATION_AUTHORITY, Role.UNIT_HEAD):
        return True
    if user.has_role(Role.SYSTEM_ADMINISTRATOR, Role.AUDITOR):
        return False
    return levels.dominates(getattr(user, "clearance", None), levels.Level.WORK_SECRET)


# The menu entries (kit/nav.py): the register for whom it can hold an item; the notices also for
# anyone who has been sent one (R-SCOPE-4: e.g. a scope revoked on exit, clearance already gone).
policy.register_global("items_menu", may_have_items)
policy.register_global(
    "notices_menu", lambda u: may_have_items(u) or Notice.objects.filter(recipient_id=u.pk).exists()
)
# CLS-7, R-CRYPTO-5, SEC-3: a failed mark check is refused to all but the security officer, who
# keeps the registry and sees the alarm (access/policy.py "integrity").
policy.register_global(policy.OVERSEE_INTEGRITY, lambda u: u.has_role(Role.SECURITY_OFFICER))
