"""Need-to-know scope (CAR-3, R-SCOPE-1/2, R-AC-6): grants, revocations, expansion requests and their approvers; reads that are events (R-SCOPE-3)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access.policy import require, require_intact
from baomi.accounts.models import Department, User
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.classification import lifecycle, marking
from baomi.classification.choices import NoticeKind
from baomi.classification.models import ExpansionDesignee, ExpansionRequest, Item, ItemScope
from baomi.classification.services._common import _invalid, _notify, _seal
from baomi.core.errors import InvalidTransition
from baomi.core.levels import Level
from baomi.kit import requests
from baomi.kit.service import internal, service


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
    # The item as stored now: its scope and mark MAC may have changed since the caller read it,
    # and the policy checks the mark against the MAC (R-CRYPTO-5).
    item = Item.objects.select_for_update().get(pk=item.pk)
    if person.pk != actor.pk:
        require(actor, "request_expansion", item)
    else:
        # CLS-7, R-CRYPTO-5: asking for oneself needs no permission on the item, but never
        # reaches an item whose mark fails its MAC (refused like not found, and alarmed).
        require_intact(actor, "request_expansion", item)
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
    lifecycle.next_state(lifecycle.EXPANSION, req.status, "approve" if approve else "refuse")  # 409 first
    # The shared request step (kit.requests.decide): requires approve_expansion — never the
    # requester, never the person to be let in — and a reason for a refusal.
    req = requests.decide(  # type: ignore[assignment]  # the ExpansionRequest it was given
        actor, req, requests.APPROVE if approve else requests.REJECT, reason=reason,
        event=AuditEvent.EXPANSION_APPROVED if approve else AuditEvent.EXPANSION_REFUSED,
        details={"item": req.item_id, "person": req.person_id},
    )  # fmt: skip
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


@internal
def record_item_view(actor: User, item: Item) -> None:
    """A person saw a 机密/绝密 item's detail: an entry of its knowledge record (R-SCOPE-3)."""
    if item.level in (Level.SECRET, Level.TOP_SECRET):
        record(actor, AuditEvent.ITEM_VIEWED, item)
