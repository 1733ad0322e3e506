"""Rules for carriers (CAR-3, CAR-4, CAR-12).

Access to a carrier needs all of: clearance at or above its level (no read up), a reason to
know — the item's need-to-know scope (person or department, with dates), or being its custodian,
or running the registry (security officer), or heading its department (the department ledger) —
and a role that permits the action. Reading or using the *content* needs the scope: holding a
carrier is not knowing it (R-SCOPE-2), so a custodian outside the scope keeps and lends it but
asks for an expansion before reading it; the registry roles see the ledger row (metadata), not
the content.

``can`` decides one carrier; ``visible`` is the same rule as a SQL filter (see
``carriers_visible``, which the ledger work tunes for a million rows).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import BooleanField, Exists, F, Func, OuterRef, Q, QuerySet, Value

from baomi.access import policy
from baomi.accounts.choices import Role
from baomi.accounts.models import User
from baomi.carriers import models as m
from baomi.carriers.models import Carrier, ContentConsent
from baomi.classification.models import Item, ItemScope
from baomi.classification.selectors import current_entries, in_scope, scope_entries_for
from baomi.core import levels
from baomi.kit import requests
from baomi.kit.requests import RequestRule, RequestStatus

METADATA_ACTIONS = frozenset({"view"})
CONTENT_ACTIONS = frozenset({"read_content"})
# Up to this many scoped item ids go into the SQL as a list (SQLite allows 32766 variables; on
# PostgreSQL planning a long array costs more than it saves — docs/ledger.md); above, a subquery.
LITERAL_IDS_MAX = {"sqlite": 10_000, "postgresql": 2_000}
# Lifecycle and content-use actions (CAR-4..11); decided by the rule classes appended below.
LIFECYCLE_ACTIONS = frozenset({
    "register_copies", "upload", "download", "approve_download", "lend", "approve_loan", "return",
    "copy", "approve_copy", "transfer", "receive", "print", "repair", "finish_repair", "take_out",
    "approve_take_out", "bring_back", "seal", "unseal", "archive", "recall", "mark_missing",
    "found", "destroy", "approve_destruction", "execute_destruction", "consent",
})  # fmt: skip


class AnyOf(Func):
    """``column = ANY(%s::bigint[])`` — the column is compiled (so table aliases in subqueries
    stay right), the ids travel as one array parameter (PostgreSQL only)."""

    arg_joiner = " = ANY("
    template = "(%(expressions)s::bigint[]))"
    output_field = BooleanField()


@dataclass
class Reach:
    """What one person's ledger visibility is made of, read in one round trip: up to
    ``most + 1`` scoped item ids, the departments they head and, on PostgreSQL, the planner's
    row counts of carriers and items (the ledger weighs its search plan by them)."""

    item_ids: list[int]
    heads: list[int]
    carriers: int | None = None
    items: int | None = None
    everything: bool = False  # the registry: every row the clearance allows
    wide: bool = False  # more scoped items than go into the SQL as a list


def _reasons(user: Any, db: str, most: int, pg: bool) -> Reach:
    """The inputs of the filter (see ``Reach``).

    On PostgreSQL one round trip also brings the user's roles (primed into the per-instance
    role cache unless already there), since under load each round trip costs more than the
    query; elsewhere plain queries."""
    # Person and department entries as two index-only scans glued by UNION ALL and cut at
    # ``most + 1`` rows: a large department's scope is never made distinct here (that cost
    # 10 ms for the largest one; duplicates are dropped below).
    ids_qs = scope_entry_items(user)[: most + 1]
    heads_qs = user.headed_departments.values_list("pk", flat=True)
    if not pg:
        return Reach(sorted(set(ids_qs)), list(heads_qs))
    parts = [ids_qs.query.sql_with_params(), heads_qs.query.sql_with_params()]
    roles_qs = user.role_assignments.values_list("role", flat=True)
    parts.append(roles_qs.query.sql_with_params())
    sql = "SELECT " + ", ".join(f"ARRAY({part})" for part, _ in parts)
    sql += ", (SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass)" * 2
    tables = [Carrier._meta.db_table, Item._meta.db_table]
    with connections[db].cursor() as cur:
        cur.execute(sql, [p for _, params in parts for p in params] + tables)
        ids, heads, roles, carriers, items = cur.fetchone()
    if getattr(user, "_role_cache", None) is None:
        user._role_cache = frozenset(roles)
    # More than ``most`` rows (duplicates included) means a wide scope either way.
    ids = sorted(set(ids)) if len(ids) <= most else list(ids)
    return Reach(ids, list(heads), carriers=max(0, carriers), items=max(0, items))


class ReachRecorder:
    """Keeps the ``Reach`` behind ``carriers_visible`` while a ``with recording_reach()`` block
    runs, so the ledger plans its search with it without reading it again — explicit working
    state, never attributes on the user."""

    def __init__(self) -> None:
        self.reach: Reach | None = None


_RECORDER: ContextVar[ReachRecorder | None] = ContextVar("carrier_reach_recorder", default=None)


@contextmanager
def recording_reach() -> Iterator[ReachRecorder]:
    """``with recording_reach() as seen: qs = policy.visible(...)`` — then ``seen.reach``."""
    recorder = ReachRecorder()
    token = _RECORDER.set(recorder)
    try:
        yield recorder
    finally:
        _RECORDER.reset(token)


def _keeps_registry(user: Any, action: str) -> bool:
    """CAR-12: the security office keeps the registry and sees, for the metadata actions, every
    carrier of the levels it is cleared for — the one statement of that rule for the filter
    (``carriers_visible``), the ledger's plan (``reach_for``) and the kept counts (``whole_levels``)."""
    return action in METADATA_ACTIONS and user.has_role(Role.SECURITY_OFFICER)


def reach_for(user: Any, db: str, action: str) -> Reach:
    """The inputs of ``carriers_visible`` for ``user`` and ``action`` (see ``Reach``)."""
    pg = connections[db].vendor == "postgresql"
    most = LITERAL_IDS_MAX["postgresql" if pg else "sqlite"]
    reach = _reasons(user, db, most, pg)
    reach.wide = len(reach.item_ids) > most
    # CAR-12: the security office keeps the registry and sees every row it is cleared for.
    reach.everything = _keeps_registry(user, action)
    return reach


def _scope_parts(user: Any) -> list[QuerySet]:
    """The item ids of the user's current scope entries (the rows of ``scoped_item_ids``) as
    one query per principal — the person, then their department — each an index-only scan of
    a covering index (carriers migration 0004). The system administrator is in no scope
    (三员分立, R-ROLE-1..3)."""
    if user.has_role(Role.SYSTEM_ADMINISTRATOR):
        # a query that finds no row (not .none(): the SQL of these parts is compiled as text)
        return [ItemScope.objects.filter(item_id__isnull=True).values_list("item_id", flat=True)]
    parts = [Q(user_id=user.pk)] + ([Q(department_id=user.department_id)] if user.department_id else [])
    current = current_entries()
    return [ItemScope.objects.filter(who & current).values_list("item_id", flat=True) for who in parts]


def scope_reaches_item(user: Any) -> Exists:
    """``EXISTS`` a current scope entry of ``user`` for the outer row's ``item_id`` (CAR-3): the
    entries of ``classification.selectors.scope_entries_for``, probed per row through the
    (principal, item) indexes where a few rows are tested, instead of reading the whole scope."""
    return Exists(scope_entries_for(user).filter(item_id=OuterRef("item_id")))


def scope_entry_items(user: Any) -> QuerySet:
    """``_scope_parts`` glued by UNION ALL (duplicates kept): one row per current scope entry."""
    first, *rest = _scope_parts(user)
    return first.union(*rest, all=True) if rest else first


class CarrierRule:
    actions = METADATA_ACTIONS | CONTENT_ACTIONS | LIFECYCLE_ACTIONS

    def can(self, user: Any, action: str, obj: Carrier) -> bool:
        # CAR-3: no read up, whatever the role.
        if not policy.clearance_dominates(user, obj.level):
            return False
        if action in METADATA_ACTIONS | CONTENT_ACTIONS:
            return _may_read(user, action, obj)
        check = _LIFECYCLE_CHECKS[action]
        return bool(check(user, obj))

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        return carriers_visible(user, queryset, action)


def _may_read(user: Any, action: str, obj: Carrier) -> bool:
    if action in CONTENT_ACTIONS:
        # CAR-3, R-SCOPE-2: holding a carrier is not knowing it — its content is for the
        # need-to-know scope only (a custodian outside it asks for an expansion first).
        return in_scope(user, obj.item)
    # CAR-3: the custodian holds it.
    if obj.custodian_id == user.pk:
        return True
    # CAR-6: the borrower (or the person who took it out) holds it for now.
    if obj.holder_id is not None and obj.holder_id == user.pk:
        return True
    # CAR-3: need-to-know scope of the item (person or department, current dates).
    if in_scope(user, obj.item):
        return True
    if action in METADATA_ACTIONS:
        # CAR-12: the security office keeps the registry; a head sees the department ledger.
        if user.has_role(Role.SECURITY_OFFICER):
            return True
        return obj.department_id in user.headed_department_ids()
    return False


def carriers_visible(user: Any, queryset: QuerySet, action: str) -> QuerySet:
    """The rule of ``CarrierRule.can`` as one SQL filter (no filtering in Python).

    Tuned for the ledgers over a million rows (CAR-12, docs/ledger.md): the reasons become an
    OR of plain index conditions — ``custodian_id = me``, ``item_id IN (<my scoped item ids>)``,
    ``department_id IN (<departments I head>)`` — so PostgreSQL can choose between walking the
    newest-first index and a bitmap OR of the per-reason indexes from real statistics. The scope
    ids are read in one small query here (a literal list estimates well; a subquery inside an
    OR cannot use an index). The level filter is left out when every level is allowed. Always
    a fixed number of queries, whatever the page.
    """
    # CAR-3: no read up — only levels the clearance dominates.
    allowed_levels = [lv for lv in levels.Level.values if policy.clearance_dominates(user, lv)]
    if not allowed_levels:
        return queryset.none()
    qs = (
        queryset
        if len(allowed_levels) == len(levels.Level.values)
        else queryset.filter(level__in=allowed_levels)
    )
    recorder = _RECORDER.get()
    if recorder is None and _keeps_registry(user, action):
        # CAR-12: the registry's keeper sees every row of those levels; nothing to read about
        # their scope unless a ledger records the reach to plan its search (``reach_for``).
        return qs
    pg = connections[queryset.db].vendor == "postgresql"
    reach = reach_for(user, queryset.db, action)
    if recorder is not None:
        recorder.reach = reach
    item_ids, heads = reach.item_ids, reach.heads
    # CAR-12: the security office keeps the registry and sees every row it is cleared for.
    if reach.everything:
        return qs
    reason = Q(pk__in=[])
    if action in METADATA_ACTIONS:
        # CAR-3: the custodian holds it (holding is not knowing: content needs the scope).
        reason |= Q(custodian_id=user.pk)
        # CAR-6: the borrower (or the person who took it out) holds it for now.
        reason |= Q(holder_id=user.pk)
    # CAR-3: need-to-know scope of the item (person or department, current dates).
    if reach.wide:
        # A wide scope (a large department): the database joins; many rows are visible, so
        # walking the newest-first index with this filter finds a page at once.
        # One subquery per principal (an OR inside one subquery would need a bitmap of both
        # indexes and a heap visit per scope entry).
        for part in _scope_parts(user):
            reason |= Q(item_id__in=part)
    elif item_ids and pg:
        # A narrow scope: one array parameter the planner estimates, so it can pick a bitmap
        # of the few visible rows.
        reason |= Q(AnyOf(F("item_id"), Value(sorted(item_ids))))
    elif item_ids:
        reason |= Q(item_id__in=sorted(item_ids))
    if action in METADATA_ACTIONS and heads:
        # CAR-12: a head sees the department ledger.
        reason |= Q(department_id__in=heads)
    return qs.filter(reason)


policy.register(Carrier, CarrierRule())


def whole_levels(user: Any, action: str = "view") -> list[str] | None:
    """The levels of which ``user`` sees *every* carrier for ``action`` — then their visible set
    is whole cells of the kept count (``carriers/tally.py``) — or None when their visibility is
    made of reasons (custody, scope, headed departments) that cells cannot express. The same
    rule as ``carriers_visible``: the security office keeps the registry (CAR-12) up to its
    clearance (CAR-3)."""
    if not _keeps_registry(user, action):
        return None
    return _viewable_levels(user)


def _viewable_levels(user: Any) -> list[str]:
    # As ``policy.visible`` narrows any model with a level: SEC-8 the ceiling, CAR-3 no read up.
    return [
        lv for lv in levels.Level.values if levels.within_ceiling(lv) and policy.clearance_dominates(user, lv)
    ]


@dataclass
class VisibleCells:
    """A reader's visible carriers (``view``) as whole cells of the kept count
    (``carriers/tally.py``) plus the rest:

    - ``levels``: the levels they may see (CAR-3, no read up);
    - ``departments``: the departments of which they see every carrier of those levels — None
      for every department (the security office, CAR-12), the departments they head for a head;
    - ``rest``: the carriers they see outside those departments, as disjoint querysets: those
      their need-to-know scope reaches, and those they hold outside it.

    The same rule as ``carriers_visible``, cut so that a head of a large department is not
    counted by a pass over the registry: his departments' cells are read from the kept count,
    and only the carriers his scope reaches elsewhere are counted row by row (through the index
    on item, department, level and status, without visiting the table)."""

    levels: list[str]
    departments: list[int] | None
    rest: list[QuerySet]


def visible_cells(user: Any) -> VisibleCells:
    """``VisibleCells`` of ``user`` for ``view``; tests/carriers/test_tally.py checks the cut
    against ``carriers_visible`` for every persona over a mixed registry."""
    if not policy.is_active_user(user):  # SEC-1
        return VisibleCells([], [], [])
    whole = whole_levels(user)
    if whole is not None:
        return VisibleCells(whole, None, [])
    allowed = _viewable_levels(user)
    if not allowed:
        return VisibleCells([], [], [])
    heads = user.headed_department_ids()  # CAR-12: a head sees the department ledger.
    outside = Carrier.objects.filter(level__in=allowed).exclude(department_id__in=heads)
    scoped = scope_entry_items(user)  # CAR-3: need-to-know scope (person or department, dates)
    held = Q(custodian_id=user.pk) | Q(holder_id=user.pk)  # CAR-3, CAR-6: custody, loan, take-out
    return VisibleCells(allowed, heads, [
        outside.filter(item_id__in=scoped),
        outside.filter(held).exclude(scope_reaches_item(user)),
    ])  # fmt: skip


# --- lifecycle decisions for one carrier (CAR-4..11) -----------------------------------------
# Each predicate runs after the clearance check of ``CarrierRule.can``; one condition per line.


def _is_registry(user: Any) -> bool:
    # CAR-1: the security office (保密办) keeps the registry and runs its actions.
    return user.has_role(Role.SECURITY_OFFICER)


def _may_have_carriers(user: Any) -> bool:
    if _is_registry(user) or _is_unit_head(user):
        return True
    if user.has_role(Role.SYSTEM_ADMINISTRATOR, Role.AUDITOR):
        return False
    return levels.dominates(getattr(user, "clearance", None), levels.Level.WORK_SECRET)


def _is_unit_head(user: Any) -> bool:
    # CAR-4, R-CAR-6: approvals belong to the unit head (单位负责人).
    return user.has_role(Role.UNIT_HEAD)


def _holds(user: Any, obj: Carrier) -> bool:
    # CAR-3: custody, or holding it on loan / taken out (CAR-6, CAR-9).
    return obj.custodian_id == user.pk or (obj.holder_id is not None and obj.holder_id == user.pk)


def _reader(user: Any, obj: Carrier) -> bool:
    # CAR-3, R-SCOPE-2: only the need-to-know scope gives a reason to use the content; custody
    # alone does not (a custodian outside the scope holds it for others).
    return in_scope(user, obj.item)


def has_consent(item_id: Any, kind: str) -> bool:
    """A live originator consent for ``kind`` (download / copy / print) on the item (R-AC-3)."""

    return ContentConsent.objects.filter(
        item_id=item_id, revoked_at__isnull=True, **{f"allow_{kind}": True}
    ).exists()


def _top_secret_unlocked(obj: Carrier, kind: str) -> bool:
    # R-AC-3, R-CAR-12: 绝密 download, copy and print are blocked unless the originator consented.
    if obj.level != levels.Level.TOP_SECRET:
        return True
    return has_consent(obj.item_id, kind)


def _can_download(user: Any, obj: Carrier) -> bool:
    return _reader(user, obj) and _top_secret_unlocked(obj, "download")


def _can_approve_download(user: Any, obj: Carrier) -> bool:
    return _is_unit_head(user) and _top_secret_unlocked(obj, "download")


def _can_copy(user: Any, obj: Carrier) -> bool:
    return _reader(user, obj) and _top_secret_unlocked(obj, "copy")


def _can_approve_copy(user: Any, obj: Carrier) -> bool:
    return _is_unit_head(user) and _top_secret_unlocked(obj, "copy")


def _can_print(user: Any, obj: Carrier) -> bool:
    return _reader(user, obj) and _top_secret_unlocked(obj, "print")


def _can_lend(user: Any, obj: Carrier) -> bool:
    # CAR-6: a person in scope asks for themselves; the registry or custodian lends on behalf.
    return _is_registry(user) or obj.custodian_id == user.pk or _reader(user, obj)


def _can_approve_loan(user: Any, obj: Carrier) -> bool:
    # CAR-6: the unit head, or the head of the carrier's department.
    return _is_unit_head(user) or obj.department_id in user.headed_department_ids()


def _custodian_or_registry(user: Any, obj: Carrier) -> bool:
    # CAR-5/6/9/11: the custodian or the security office acts on the carrier it holds.
    return obj.custodian_id == user.pk or _is_registry(user)


def _can_receive(user: Any, obj: Carrier) -> bool:
    # CAR-5, R-CAR-2: only the named receiver signs for an open transfer.
    return obj.transfers.filter(receiver_id=user.pk, status="sent").exclude(sender_id=user.pk).exists()


def _can_take_out(user: Any, obj: Carrier) -> bool:
    # CAR-9: the custodian or a person in scope asks to take it out.
    return obj.custodian_id == user.pk or _reader(user, obj)


def _can_bring_back(user: Any, obj: Carrier) -> bool:
    return _holds(user, obj) or _is_registry(user)


def _can_consent(user: Any, obj: Carrier) -> bool:
    # R-AC-3: only 绝密 needs consent; recorded by the unit head or the item's authority.
    if obj.level != levels.Level.TOP_SECRET:
        return False
    return _is_unit_head(user) or obj.item.determined_by_id == user.pk


_LIFECYCLE_CHECKS: dict[str, Any] = {
    "register_copies": lambda u, o: _is_registry(u),
    "upload": _custodian_or_registry,
    "download": _can_download,
    "approve_download": _can_approve_download,
    "lend": _can_lend,
    "approve_loan": _can_approve_loan,
    "return": _custodian_or_registry,
    "copy": _can_copy,
    "approve_copy": _can_approve_copy,
    "transfer": _custodian_or_registry,
    "receive": _can_receive,
    "print": _can_print,
    "repair": _custodian_or_registry,
    "finish_repair": _custodian_or_registry,
    "take_out": _can_take_out,
    "approve_take_out": lambda u, o: _is_unit_head(u),
    "bring_back": _can_bring_back,
    "seal": lambda u, o: _is_registry(u),
    "unseal": lambda u, o: _is_registry(u),
    "archive": lambda u, o: _is_registry(u),
    "recall": lambda u, o: _is_registry(u),
    "mark_missing": lambda u, o: _is_registry(u),
    "found": lambda u, o: _is_registry(u),
    "destroy": _custodian_or_registry,
    "approve_destruction": lambda u, o: _is_unit_head(u),
    "execute_destruction": lambda u, o: _is_registry(u),
    "consent": _can_consent,
}
assert set(_LIFECYCLE_CHECKS) == LIFECYCLE_ACTIONS


# --- the carrier app's own records -----------------------------------------------------------


def _level_allowed(user: Any) -> list[str]:
    return [lv for lv in levels.Level.values if policy.clearance_dominates(user, lv)]


class CarrierRequestRule:
    """Loan, copy, download and take-out requests (CAR-4, CAR-6, CAR-9): the requester (and a
    borrower) see their own; approvers and the security office see the queue; approving needs
    the carrier's approval action, and nobody approves their own request."""

    actions = frozenset({"view", "approve", "withdraw"})
    approve_action = ""

    def can(self, user: Any, action: str, obj: Any) -> bool:
        # CAR-3: no read up on the request either (it names a classified carrier).
        if not policy.clearance_dominates(user, obj.carrier.level):
            return False
        mine = user.pk in _request_owners(obj)
        if action == "view":
            return (
                mine
                or _is_registry(user)
                or bool(_LIFECYCLE_CHECKS[self.approve_action](user, obj.carrier))
                or self._above(user, obj)
            )
        if action == "withdraw":
            # The requester may withdraw while it waits.
            return obj.requested_by_id == user.pk
        # CAR-4, R-ROLE-5: nobody approves their own request — as requester or as the person it
        # benefits (a borrower); the unit head stands above a department head who borrows, and
        # the leading group above the unit head (the next authority up).
        if mine:
            return False
        if _unit_head_among(_request_owners(obj)):
            return self._above(user, obj)  # not a department head below the unit head
        return bool(_LIFECYCLE_CHECKS[self.approve_action](user, obj.carrier))

    def _above(self, user: Any, obj: Any) -> bool:
        """R-ROLE-5: a unit head's own request goes up to the leading group (within what 绝密
        consent allows, R-AC-3)."""
        owners = _request_owners(obj)
        if not user.has_role(Role.LEADING_GROUP) or user.pk in owners or not _unit_head_among(owners):
            return False
        kind = _CONSENT_KIND.get(self.approve_action)
        return kind is None or _top_secret_unlocked(obj.carrier, kind)

    def _above_q(self, user: Any, model: Any) -> Q:
        """SQL twin of :meth:`_above` (the owner test; ``visible`` excludes the user's own)."""
        if not user.has_role(Role.LEADING_GROUP):
            return Q(pk__in=[])
        above = _owned_by_unit_head(model)
        kind = _CONSENT_KIND.get(self.approve_action)
        if kind:
            consented = ContentConsent.objects.filter(revoked_at__isnull=True, **{f"allow_{kind}": True})
            above &= ~Q(carrier__level=levels.Level.TOP_SECRET) | Q(
                carrier__item_id__in=consented.values("item_id")
            )
        return above

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        # Neither the unit head, nor an approver (a department head, for loans), nor the next
        # authority up: nothing to approve, and nothing to build to find that out.
        if (
            action == "approve"
            and not _is_unit_head(user)
            and not user.has_role(Role.LEADING_GROUP)
            and not (self.approve_action == "approve_loan" and user.headed_department_ids())
        ):
            return queryset.none()
        qs = queryset.filter(carrier__level__in=_level_allowed(user))
        if action == "withdraw":
            # As in ``can``: only the requester withdraws.
            return qs.filter(requested_by_id=user.pk)
        if action == "view" and (_is_registry(user) or _is_unit_head(user)):
            return qs
        mine = Q(requested_by_id=user.pk)
        if hasattr(queryset.model, "borrower"):
            mine |= Q(borrower_id=user.pk)
        if action == "approve" and _is_unit_head(user):
            return qs.exclude(mine)
        above = self._above_q(user, queryset.model)
        approvers = Q(pk__in=[])
        if self.approve_action == "approve_loan":
            # CAR-6: the department head approves — never a loan to the unit head (R-ROLE-5).
            approvers = Q(carrier__department_id__in=user.headed_department_ids()) & ~_owned_by_unit_head(
                queryset.model
            )
        if action == "approve":
            return qs.filter(approvers | above).exclude(mine).distinct()
        return qs.filter(mine | approvers | above).distinct()


def _request_owners(obj: Any) -> set[Any]:
    """The people whose request this is: who filed it and whom it benefits (a borrower)."""
    return {obj.requested_by_id, getattr(obj, "borrower_id", None)} - {None}


#: the approvals that 绝密 opens only with the originator's consent (R-AC-3)
_CONSENT_KIND = {"approve_copy": "copy", "approve_download": "download"}


def _unit_head_among(owners: set[Any]) -> bool:
    return User.objects.filter(pk__in=owners, role_assignments__role=Role.UNIT_HEAD).exists()


def _above_unit_head(user: Any, owners: set[Any]) -> bool:
    """R-ROLE-5, REQUIREMENTS "Users": the unit head and the leading group approve; where the
    unit head asks or benefits, a member of the leading group (not an owner) is the next
    authority up and decides."""
    return user.has_role(Role.LEADING_GROUP) and user.pk not in owners and _unit_head_among(owners)


def _owned_by_unit_head(model: Any) -> Q:
    """SQL twin of the owner test of :func:`_above_unit_head` (requester or borrower)."""
    q = requests.owned_by(model, role_assignments__role=Role.UNIT_HEAD)
    if hasattr(model, "borrower"):
        q |= Q(borrower__role_assignments__role=Role.UNIT_HEAD)
    return q


class LoanRequestRule(CarrierRequestRule):
    approve_action = "approve_loan"


class CopyRequestRule(CarrierRequestRule):
    approve_action = "approve_copy"


class DownloadRequestRule(CarrierRequestRule):
    approve_action = "approve_download"


class TakeOutRequestRule(CarrierRequestRule):
    approve_action = "approve_take_out"


class TransferRule:
    """Transfers (CAR-5): the sender, the receiver, the second person and the registry."""

    actions = frozenset({"view", "receive"})

    def can(self, user: Any, action: str, obj: Any) -> bool:
        # CAR-3: no read up.
        if not policy.clearance_dominates(user, obj.carrier.level):
            return False
        if action == "receive":
            # R-CAR-2, R-ROLE-5: the named receiver signs, once — never the sender signing for
            # what they handed over themselves.
            return obj.receiver_id == user.pk and obj.sender_id != user.pk and obj.status == "sent"
        return user.pk in {obj.sender_id, obj.receiver_id, obj.escort_id} or _is_registry(user)

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        qs = queryset.filter(carrier__level__in=_level_allowed(user))
        if action == "receive":
            return qs.filter(receiver_id=user.pk, status="sent").exclude(sender_id=user.pk)
        if _is_registry(user):
            return qs
        return qs.filter(Q(sender_id=user.pk) | Q(receiver_id=user.pk) | Q(escort_id=user.pk))


class DestructionRequestRule:
    """Destruction (CAR-11): the registry prepares and executes, the unit head approves."""

    actions = frozenset({"view", "approve", "execute", "export_list"})

    def can(self, user: Any, action: str, obj: Any) -> bool:
        # CAR-3: no read up (the level is the highest of the listed carriers).
        if not policy.clearance_dominates(user, obj.level):
            return False
        if action == "approve":
            # CAR-11: the unit head approves, never their own request; the unit head's own
            # request goes up to the leading group (R-ROLE-5).
            if obj.requested_by_id == user.pk:
                return False
            return _is_unit_head(user) or _above_unit_head(user, {obj.requested_by_id})
        if action == "execute":
            # CAR-11: the security office carries it out.
            return _is_registry(user)
        return (
            _is_registry(user)
            or _is_unit_head(user)
            or obj.requested_by_id == user.pk
            or _above_unit_head(user, {obj.requested_by_id})
        )

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        if action == "approve" and not _is_unit_head(user) and not user.has_role(Role.LEADING_GROUP):
            return queryset.none()
        qs = queryset.filter(level__in=_level_allowed(user))
        if action == "approve":
            if _is_unit_head(user):
                return qs.exclude(requested_by_id=user.pk)
            # The leading group (the check above): a unit head's own list goes up to it.
            return qs.filter(
                requests.owned_by(queryset.model, role_assignments__role=Role.UNIT_HEAD)
            ).exclude(requested_by_id=user.pk)
        if action == "execute":
            return qs if _is_registry(user) else qs.none()
        if _is_registry(user) or _is_unit_head(user):
            return qs
        if user.has_role(Role.LEADING_GROUP):
            return qs.filter(
                Q(requested_by_id=user.pk)
                | requests.owned_by(queryset.model, role_assignments__role=Role.UNIT_HEAD)
            )
        return qs.filter(requested_by_id=user.pk)


class CampaignRule:
    """Inventory and recall campaigns (CAR-8, CAR-9): run by the security office; a custodian
    sees the inventories that list something they hold and signs their part."""

    actions = frozenset({"view", "manage", "sign"})

    def can(self, user: Any, action: str, obj: Any) -> bool:
        # CAR-8: the security office runs campaigns.
        if _is_registry(user):
            return True
        if not hasattr(obj, "signoffs"):
            return False  # recalls are the registry's alone (R-CAR-10)
        # CAR-8: each custodian checks and signs their own list.
        return action in {"view", "sign"} and obj.entries.filter(custodian_id=user.pk).exists()

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        if _is_registry(user):
            return queryset
        if action == "manage" or not hasattr(queryset.model, "signoffs"):
            return queryset.none()
        return queryset.filter(entries__custodian_id=user.pk).distinct()


class InventoryEntryRule:
    actions = frozenset({"view", "check"})

    def can(self, user: Any, action: str, obj: Any) -> bool:
        # CAR-3: no read up.
        if not policy.clearance_dominates(user, obj.carrier.level):
            return False
        # CAR-8: the custodian checks what they hold; the security office may check anything.
        return obj.custodian_id == user.pk or _is_registry(user)

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        qs = queryset.filter(carrier__level__in=_level_allowed(user))
        return qs if _is_registry(user) else qs.filter(custodian_id=user.pk)


class ReviewNoticeRule:
    """Declassification review notices raised by archiving (CAR-10): the item's authority,
    the unit head and the security office see them."""

    actions = frozenset({"view", "handle"})

    def can(self, user: Any, action: str, obj: Any) -> bool:
        # CAR-3: no read up.
        if not policy.clearance_dominates(user, obj.level):
            return False
        # CAR-10, R-DECL-4: the authority (or the unit head) reviews and marks it handled.
        if obj.authority_id == user.pk or _is_unit_head(user):
            return True
        # CAR-10: the security office follows up.
        return action == "view" and _is_registry(user)

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        qs = queryset.filter(carrier__level__in=_level_allowed(user))
        if _is_unit_head(user) or (action == "view" and _is_registry(user)):
            return qs
        return qs.filter(authority_id=user.pk)


class ConsentRule:
    """Originator consents (R-AC-3) are recorded by the unit head or the item's authority."""

    actions = frozenset({"view", "revoke"})

    def can(self, user: Any, action: str, obj: Any) -> bool:
        # CAR-3: no read up (consents exist only for 绝密 items).
        if not policy.clearance_dominates(user, obj.item.level):
            return False
        # R-AC-3: the unit head or the item's authority record and revoke consents.
        if _is_unit_head(user) or obj.item.determined_by_id == user.pk:
            return True
        # CAR-1: the security office sees them, as part of the registry.
        return action == "view" and _is_registry(user)

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        qs = queryset.filter(item__level__in=_level_allowed(user))
        if _is_unit_head(user) or (action == "view" and _is_registry(user)):
            return qs
        return qs.filter(item__determined_by_id=user.pk)


def _register_carrier_records() -> None:
    policy.register(m.LoanRequest, LoanRequestRule())
    policy.register(m.CopyRequest, CopyRequestRule())
    policy.register(m.DownloadRequest, DownloadRequestRule())
    policy.register(m.TakeOutRequest, TakeOutRequestRule())
    policy.register(m.Transfer, TransferRule())
    policy.register(m.DestructionRequest, DestructionRequestRule())
    policy.register(m.InventoryCampaign, CampaignRule())
    policy.register(m.RecallCampaign, CampaignRule())
    policy.register(m.InventoryEntry, InventoryEntryRule())
    policy.register(m.DeclassificationReview, ReviewNoticeRule())
    policy.register(m.ContentConsent, ConsentRule())
    # Object-less actions: opening the registry and starting campaigns (CAR-1, CAR-8, CAR-9).
    policy.register_global("carriers.register", _is_registry)
    policy.register_global("carriers.campaigns", _is_registry)
    policy.register_global("carriers.browse", lambda u: True)
    # The carrier menus (issue 13): only for someone who can ever have a carrier there — the
    # registry, the approvers, and people cleared for work secrets or above who are not one of
    # the separated system administrator and auditor; the others' ledgers would only ever be empty.
    policy.register_global("carriers.menu", _may_have_carriers)
    # R-AC-3: the consents page — the unit head and authorities record, the registry follows.
    policy.register_global(
        "carriers.consents",
        lambda u: _is_unit_head(u) or u.has_role(Role.CLASSIFICATION_AUTHORITY) or _is_registry(u),
    )
    policy.register_global(
        "carriers.approvals", lambda u: _is_unit_head(u) or bool(u.headed_department_ids()) or _is_registry(u)
    )


_register_carrier_records()

# --- 发文 and 收文: exchange with other units (issue 12 §3) ---------------------------------
#
# Policy for the exchange with other units (发文 and 收文; CAR-4, CAR-5, R-CAR-3; issue 12 §3).
#
# - External units: the security officer keeps the list (``carriers.external_units``); anyone who
#   may dispatch or register a carrier picks from it.
# - A dispatch is a request on the shared base (``baomi.kit.requests``): its requester and the
#   security office see it; the head of the carrier's department decides it (机密 and above),
#   never their own; the requester or the security office sends it once approved and records
#   the returned receipt.
# - A carrier received from another unit is registered by the security office (CAR-1), which
#   sees the incoming register; the carrier itself then follows the ordinary carrier rule.


def _heads(user: Any, obj: Any) -> bool:
    return obj.carrier.department_id in user.headed_department_ids()


class DispatchRule(RequestRule):
    """发文 (CAR-4: outward transmission is approved first; CAR-5, R-CAR-3)."""

    actions = RequestRule.actions | {"record_receipt"}

    def may_decide(self, user: Any, req: Any) -> bool:
        # CAR-4: the head of the carrier's department approves an outward dispatch.
        return req.status == RequestStatus.PENDING and _heads(user, req)

    def decidable(self, user: Any, queryset: QuerySet) -> QuerySet:
        return queryset.filter(carrier__department_id__in=user.headed_department_ids())

    def may_view(self, user: Any, req: Any) -> bool:
        return _is_registry(user) or _heads(user, req)

    def viewable(self, user: Any, queryset: QuerySet) -> QuerySet:
        if _is_registry(user):
            return queryset
        return queryset.filter(carrier__department_id__in=user.headed_department_ids())

    def may_complete(self, user: Any, req: Any) -> bool:
        # Sending: the requester or the security office, once approved.
        return req.status == RequestStatus.APPROVED and (req.requested_by_id == user.pk or _is_registry(user))

    def completable(self, user: Any, queryset: QuerySet) -> QuerySet:
        qs = queryset.filter(status=RequestStatus.APPROVED)
        return qs if _is_registry(user) else qs.filter(requested_by=user)

    def can(self, user: Any, action: str, obj: Any) -> bool:
        # CAR-3: no read up — the dispatch names a classified carrier.
        if not policy.clearance_dominates(user, obj.carrier.level):
            return False
        if action == "record_receipt":
            # CAR-5: the returned 回执 is recorded by whoever sent it or by the security office.
            return (
                obj.status == RequestStatus.DONE
                and obj.receipt_on is None
                and (obj.requested_by_id == user.pk or obj.sent_by_id == user.pk or _is_registry(user))
            )
        return super().can(user, action, obj)

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        qs = queryset.filter(carrier__level__in=_level_allowed(user))
        if action == "record_receipt":
            qs = qs.filter(status=RequestStatus.DONE, receipt_on__isnull=True)
            return qs if _is_registry(user) else qs.filter(Q(requested_by=user) | Q(sent_by=user))
        return super().visible(user, qs, action)


class IncomingRule:
    """收文: the security office registers and sees the incoming register (CAR-1)."""

    actions = frozenset({"view"})

    def can(self, user: Any, action: str, obj: Any) -> bool:
        return policy.clearance_dominates(user, obj.carrier.level) and _is_registry(user)

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        if not _is_registry(user):
            return queryset.none()
        return queryset.filter(carrier__level__in=_level_allowed(user))


class ExternalUnitRule:
    """The list of external units: everyone who exchanges carriers reads it; the security
    officer keeps it."""

    actions = frozenset({"view", "manage"})

    def can(self, user: Any, action: str, obj: Any) -> bool:
        return action == "view" or _is_registry(user)

    def visible(self, user: Any, queryset: QuerySet, action: str) -> QuerySet:
        return queryset if action == "view" or _is_registry(user) else queryset.none()


def _register_exchange() -> None:
    policy.register(m.Dispatch, DispatchRule())
    policy.register(m.IncomingCarrier, IncomingRule())
    policy.register(m.ExternalUnit, ExternalUnitRule())
    policy.register_global("carriers.external_units", _is_registry)


_register_exchange()
