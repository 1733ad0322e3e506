"""Approval requests, written once: the model base, the status vocabulary and its transition
table, the ``decide`` / ``withdraw`` steps, the rule base and the approval queue.

A request that needs an approval is its own small model (STYLE 2.5), built on :class:`Request`::

    class VisitRequest(Request):
        beneficiary_field = "visitor_host"        # optional: whom the request is for
        queue_url = "visitors:approvals"          # where its approver decides (start page)
        visitor_host = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
        ...

Its rule subclasses :class:`RequestRule` and says who may decide (``may_decide`` and the same
in SQL, ``decidable``); the base refuses anybody deciding a request that is their own — as
requester *or* beneficiary (R-ROLE-5, "nobody decides their own request") — and lets only the
requester withdraw, while it waits. Where the requester or beneficiary is themself the one who
would decide, the request goes to the next authority up: the rule names it in ``may_decide_above``
/ ``decidable_above`` (e.g. the leading group above the unit head), and :func:`owned_by` builds
the SQL for "a request whose owner holds role X".

Forms that name a second person — a witness, a second signatory, an approver on record — check
with :func:`require_other` that this person is none of the parties (who asks, hands over or
benefits). Its services are one line each, inside ``@service``::

    @service
    def approve_visit(actor, req, *, reason=""):
        return requests.decide(actor, req, APPROVE, reason=reason, event=VisitorEvent.VISIT_APPROVED)

The start page lists, for every installed request model with a ``queue_url``, how many
requests wait for the user's decision (:func:`approval_queue`, read by the dashboard).

Statuses (stored values): ``pending`` → ``approved`` | ``rejected`` | ``withdrawn``;
``approved`` → ``done`` when what was approved has been carried out (:data:`TRANSITIONS`).

A request whose path has more steps declares them on its model, and the base runs them
(issue 10): ``transitions`` — its own table, ``(status, verb) → next status`` or a row with the
next status (``next_state`` / ``target``) and the policy ``action`` the step needs (e.g. an
upward referral: ``pending_upward``, approved with ``record_upward``); ``verb_names`` — its name
for a base verb (``{REJECT: "refuse"}``); ``pending_status`` / ``waiting_statuses`` — where it
waits (withdrawable / counted in the approval queue); ``check_decision(actor, verb, reason)`` — what
must hold before a decision (both opinions given, the decider's authority level and training).
Stored values stay as each model has them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access import policy
from baomi.audit.record import record
from baomi.core.errors import InvalidTransition, ValidationFailed
from baomi.kit import counts


class RequestStatus(models.TextChoices):
    """Where a request stands: one vocabulary for every app."""

    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    DONE = "done", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


APPROVE, REJECT, WITHDRAW, COMPLETE = "approve", "reject", "withdraw", "complete"

#: ``(status, verb) → next status``; every other pair is refused (``InvalidTransition``).
TRANSITIONS: dict[tuple[str, str], str] = {
    (RequestStatus.PENDING, APPROVE): RequestStatus.APPROVED,
    (RequestStatus.PENDING, REJECT): RequestStatus.REJECTED,
    (RequestStatus.PENDING, WITHDRAW): RequestStatus.WITHDRAWN,
    (RequestStatus.APPROVED, COMPLETE): RequestStatus.DONE,
}

#: the policy action each verb needs on the request
ACTIONS = {APPROVE: "decide", REJECT: "decide", WITHDRAW: "withdraw", COMPLETE: "complete"}


def next_status(status: str, verb: str, table: Any = None) -> str:
    """The status after ``verb`` in ``table`` (default :data:`TRANSITIONS`), or
    :class:`InvalidTransition` (a 409)."""
    try:
        return row_target((TRANSITIONS if table is None else table)[(status, verb)])
    except KeyError:
        raise InvalidTransition(_("This request has already been decided.")) from None


def row_target(row: Any) -> str:
    """The next status a transition row names: the row itself (a status) or its
    ``next_state`` / ``target`` (an app's ``Move`` or ``Transition``)."""
    if isinstance(row, str):
        return row
    return str(getattr(row, "next_state", None) or row.target)


class Request(models.Model):
    """Fields every approval request has. Subclasses add what is asked for."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=RequestStatus.choices,
        default=RequestStatus.PENDING,
        editable=False,
        db_index=True,
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_reason = models.CharField(_("decision reason"), max_length=300, blank=True)

    #: the field naming the person the request is for, if not the requester (e.g. a borrower)
    beneficiary_field: ClassVar[str | None] = None
    #: the URL name of the page where approvers decide these requests (start-page entry)
    queue_url: ClassVar[str | None] = None
    #: the model's transition table (module docstring); the base's unless it has more steps
    transitions: ClassVar[Any] = TRANSITIONS
    #: the model's name for a base verb where its table names it otherwise ({REJECT: "refuse"})
    verb_names: ClassVar[dict[str, str]] = {}
    #: the stored status of a filed request (withdrawable while it has it)
    pending_status: ClassVar[str] = RequestStatus.PENDING
    #: the stored statuses in which it waits for a decision (the approval queue counts them)
    waiting_statuses: ClassVar[tuple[str, ...]] = (RequestStatus.PENDING,)
    #: where set, deciding one's own request is refused with this message (a 409) before the
    #: policy is asked, for requests whose owner may see them being decided (a proposal)
    own_request_message: ClassVar[Any] = None

    class Meta:
        abstract = True
        ordering = ["-requested_at", "-id"]

    def owner_ids(self) -> set[Any]:
        """The people whose request this is: the requester and the beneficiary."""
        ids = {self.requested_by_id}  # type: ignore[attr-defined]
        if self.beneficiary_field:
            ids.add(getattr(self, f"{self.beneficiary_field}_id"))
        return ids - {None}

    @property
    def is_pending(self) -> bool:
        return self.status in self.waiting_statuses

    def check_decision(self, actor: Any, verb: str, reason: str, **inputs: Any) -> None:
        """What must hold before ``actor`` decides (``verb``: :data:`APPROVE` / :data:`REJECT`,
        with ``reason`` and the form's other ``inputs``), after the policy allowed it and the
        table the step; raise a ``BaomiError`` otherwise.
        A subclass adds its checks (both opinions given, the authority level); default none."""


#: The decision's name in a request's history, by the status it left.
_DECIDED = {
    RequestStatus.APPROVED: RequestStatus.APPROVED.label,
    RequestStatus.DONE: RequestStatus.APPROVED.label,
    RequestStatus.REJECTED: RequestStatus.REJECTED.label,
    RequestStatus.WITHDRAWN: RequestStatus.WITHDRAWN.label,
}


def alias(field: str, *, writable: bool = True) -> Any:
    """An older name of a base field, kept on a request model that moved onto the base (issue
    10), so forms, tests and the API keep theirs: ``proposed_by = requests.alias("requested_by")``."""

    def get(self: Any) -> Any:
        return getattr(self, field)

    def put(self: Any, value: Any) -> None:
        setattr(self, field, value)

    return property(get, put if writable else None)


def history(req: Any) -> list[dict[str, Any]]:
    """Each step of a request, oldest first, as every approval screen shows it (issue 13, the
    shared ``kit/history.html``): ``{"time", "step", "who", "note"}`` — who filed it and why,
    who decided and why, then what the app adds through the model's ``history_steps()``
    (``(time, step, person, note)``: carried out, returned, signed for …). Read from the request's
    own fields, which the audit trail records step by step; the caller has already been allowed
    to view the request. Works for any object with ``history_steps()`` (e.g. a transfer)."""
    rows: list[tuple[Any, Any, Any, str]] = []
    if getattr(req, "requested_at", None) is not None:
        rows.append((req.requested_at, _("Filed"), req.requested_by, req.reason))
        decided_at = getattr(req, "decided_at", None)
        if decided_at is not None:
            step = _DECIDED.get(req.status, _("Decided"))
            rows.append((decided_at, step, req.decided_by, req.decision_reason))
    steps = getattr(req, "history_steps", None)
    if steps is not None:
        rows.extend(s for s in steps() if s[0] is not None)
    rows.sort(key=lambda r: r[0])
    return [{"time": t, "step": step, "who": who, "note": note or ""} for t, step, who, note in rows]


def _lock(req: Request) -> Request:
    return type(req).objects.select_for_update().get(pk=req.pk)  # type: ignore[attr-defined, no-any-return]


def decide(
    actor: Any, req: Request, verb: str, *, event: int, reason: str = "", details: Any = None
) -> Request:
    """Approve or reject ``req`` (``verb`` is :data:`APPROVE` or :data:`REJECT`): the step every
    app's decide service runs, inside that service's ``@service`` transaction.

    Locks the row, requires ``decide`` on it (never one's own request: :class:`RequestRule`),
    moves the status by :data:`TRANSITIONS`, records who, when and why, and audits ``event``.
    What the approval then causes (lending, copying ...) is the calling service's business."""
    if verb not in (APPROVE, REJECT):
        raise ValueError(f"decide() approves or rejects, not {verb!r}")
    return _move(actor, req, verb, event=event, reason=reason, details=details)


def withdraw(actor: Any, req: Request, *, event: int, details: Any = None) -> Request:
    """The requester withdraws ``req`` while it waits: inside the calling ``@service``;
    requires ``withdraw``; audits ``event``."""
    return _move(actor, req, WITHDRAW, event=event, reason="", details=details)


def complete(actor: Any, req: Request, *, event: int, details: Any = None) -> Request:
    """Mark an approved ``req`` carried out: inside the calling ``@service``; requires
    ``complete``; audits ``event``."""
    return _move(actor, req, COMPLETE, event=event, reason="", details=details)


def step(req: Request, verb: str) -> tuple[str, str | None]:
    """For ``verb`` on ``req`` in its state: the policy action it needs and the next status
    (``None`` when its table has no such step)."""
    table = type(req).transitions
    row = table.get((req.status, type(req).verb_names.get(verb, verb)))
    if row is None:
        return ACTIONS.get(verb, "decide"), None
    return getattr(row, "action", None) or ACTIONS.get(verb, "decide"), row_target(row)


def _move(actor: Any, req: Request, verb: str, *, event: int, reason: str, details: Any) -> Request:
    req, status = begin(actor, req, verb, reason=reason)
    return finish(actor, req, verb, status, event=event, reason=reason, details=details)


def begin(
    actor: Any,
    req: Request,
    verb: str,
    *,
    reason: str = "",
    inputs: dict[str, Any] | None = None,
    check: Callable[..., None] | None = None,
) -> tuple[Request, str]:
    """The checks of a step, without the move, for a service that does its own work between
    the checks and the record (the classification approval writes the item first): locks the
    row, refuses one's own request where the model says how (``own_request_message``), requires
    the step's policy action, finds the next status in the model's table and, for a decision,
    runs ``check_decision`` and the service's own ``check(req, actor, verb, reason, **inputs)``
    (with the form's other ``inputs``, e.g. a superior's decision reference) — the pre-decision
    checks that need more than the model knows (an authority's level and 定密 training).
    Returns the locked row and its next status; :func:`finish` moves it."""
    req = _lock(req)
    action, status = step(req, verb)
    deciding = verb in (APPROVE, REJECT)
    if deciding and req.own_request_message and _allowed_but_own(actor, action, req):
        # R-ROLE-5: an owner who could otherwise take this step is told why it is refused (a
        # 409, ``own_request_message``); the rule refuses it too (``RequestRule.can``), and
        # anybody else refused is refused as not found, by the policy.
        raise InvalidTransition(req.own_request_message)
    policy.require(actor, action, req)
    if status is None:
        raise InvalidTransition(_("This request has already been decided."))
    if deciding:
        req.check_decision(actor, verb, (reason or "").strip(), **(inputs or {}))
        if check is not None:
            check(req, actor, verb, (reason or "").strip(), **(inputs or {}))
    return req, status


def _allowed_but_own(actor: Any, action: str, req: Request) -> bool:
    """``req`` is ``actor``'s own, and the rule would let them take ``action`` were it not."""
    if actor.pk not in req.owner_ids() or not policy.is_active_user(actor) or policy.integrity_failed(req):
        return False
    rule = policy.rule_for(type(req))
    return isinstance(rule, RequestRule) and rule.allows_but_own(actor, action, req)


def finish(
    actor: Any,
    req: Request,
    verb: str,
    status: str,
    *,
    event: int,
    reason: str = "",
    details: Any = None,
    fields: tuple[str, ...] = (),
    at: Any = None,
) -> Request:
    """Move ``req`` (from :func:`begin`) to ``status``: who decided, when and why for a decision,
    the model's own ``fields`` set by the caller, one save, and the audit entry ``event``
    (``at``: the decision's time, when the caller stamped its own work with it)."""
    reason = (reason or "").strip()
    req.status = status
    update = ["status", *fields]
    if verb in (APPROVE, REJECT):
        req.decided_by = actor
        req.decided_at = at or timezone.now()
        req.decision_reason = reason[: _reason_length(req)]
        update += ["decided_by", "decided_at", "decision_reason"]
    req.save(update_fields=update)  # lint: allow (the shared step of every app's request services)
    record(actor, event, req, details={"status": status, **(details or {})})
    return req


def _reason_length(req: Request) -> int | None:
    """How much of a decision's reason the model keeps (300 characters, or all in a text field)."""
    return type(req)._meta.get_field("decision_reason").max_length  # type: ignore[no-any-return]


class RequestRule:
    """The rule base of a request model. A subclass defines who may decide:

    - ``may_decide(user, req) -> bool`` and ``decidable(user, queryset) -> queryset`` (the same
      in SQL), and optionally ``may_view`` / ``viewable`` for others who may read requests
      (the security office), and ``may_complete`` / ``completable``.

    The base adds what holds for every request: nobody decides a request that is their own,
    as requester or beneficiary; only the requester withdraws, and only while it waits;
    requesters and beneficiaries see their own requests; deciders see what they may decide.
    """

    actions = frozenset({"view", "decide", "withdraw", "complete"})

    # -- what a subclass says ---------------------------------------------------------------
    def may_decide(self, user: Any, req: Any) -> bool:
        return False

    def decidable(self, user: Any, queryset: models.QuerySet) -> models.QuerySet:
        return queryset.none()

    def may_view(self, user: Any, req: Any) -> bool:
        return False

    def viewable(self, user: Any, queryset: models.QuerySet) -> models.QuerySet:
        return queryset.none()

    def may_complete(self, user: Any, req: Any) -> bool:
        return False

    def may_decide_above(self, user: Any, req: Any) -> bool:
        """The next authority up (R-ROLE-5): ``user`` may decide ``req`` because its owner is
        the one who would otherwise decide. Default: nobody."""
        return False

    def decidable_above(self, user: Any, queryset: models.QuerySet) -> models.QuerySet:
        return queryset.none()

    def completable(self, user: Any, queryset: models.QuerySet) -> models.QuerySet:
        return queryset.none()

    # -- the base ---------------------------------------------------------------------------
    def allows_but_own(self, user: Any, action: str, req: Any) -> bool:
        """Whether ``user`` could take ``action`` on ``req`` were it not their own request (for
        the 409 of ``Request.own_request_message``): ``decide`` as ``may_decide``, other
        actions as the rule says."""
        if action == "decide":
            return self.may_decide(user, req) or self.may_decide_above(user, req)
        return self.can(user, action, req)

    @staticmethod
    def own(user: Any, queryset: models.QuerySet) -> Q:
        """The requests of ``queryset``'s model that are ``user``'s own (requester or beneficiary)."""
        q = Q(requested_by=user)
        field = getattr(queryset.model, "beneficiary_field", None)
        if field:
            q |= Q(**{field: user})
        return q

    def can(self, user: Any, action: str, obj: Any) -> bool:
        mine = user.pk in obj.owner_ids()
        if action == "decide":
            # R-ROLE-5: nobody decides their own request; the next authority up decides it instead.
            return not mine and (self.may_decide(user, obj) or self.may_decide_above(user, obj))
        if action == "withdraw":
            return obj.requested_by_id == user.pk and obj.status == obj.pending_status
        if action == "complete":
            return self.may_complete(user, obj)
        return (
            mine or self.may_decide(user, obj) or self.may_decide_above(user, obj) or self.may_view(user, obj)
        )  # view

    def visible(self, user: Any, queryset: models.QuerySet, action: str) -> models.QuerySet:
        own = self.own(user, queryset)
        if action == "decide":
            return (self.decidable(user, queryset) | self.decidable_above(user, queryset)).exclude(own)
        if action == "withdraw":
            return queryset.filter(requested_by=user, status=queryset.model.pending_status)
        if action == "complete":
            return self.completable(user, queryset)
        viewable = self.viewable(user, queryset)
        if viewable is queryset:  # the rule lets ``user`` read every request (the security office)
            return queryset
        return (
            queryset.filter(own)
            | self.decidable(user, queryset).exclude(own)
            | self.decidable_above(user, queryset).exclude(own)
            | viewable
        ).distinct()


def owned_by(model: Any, **user_lookup: Any) -> Q:
    """SQL for "a request of ``model`` whose requester or beneficiary matches ``user_lookup``"
    (e.g. ``owned_by(Permit, role_assignments__role="unit_head")``): where the owner is the
    one who would decide, ``decidable_above`` hands the request to the next authority up."""
    q = Q(**{f"requested_by__{k}": v for k, v in user_lookup.items()})
    field = getattr(model, "beneficiary_field", None) or None
    if field:
        q |= Q(**{f"{field}__{k}": v for k, v in user_lookup.items()})
    return q


def require_other(person: Any, parties: Any, *, field: str, message: Any) -> None:
    """R-ROLE-5: ``person`` — a witness, a second signatory, an approver named on a record — is
    none of ``parties`` (who asks, hands over, carries out or benefits); otherwise the form's
    ``field`` is refused with ``message``. Nobody witnesses or countersigns their own act."""
    ids = {getattr(p, "pk", p) for p in parties if p is not None} - {None}
    if person is not None and getattr(person, "pk", person) in ids:
        raise ValidationFailed(message, fields={field: [message]})


def request_models() -> list[type[Request]]:
    """Every installed concrete request model."""
    return [m for m in apps.get_models() if issubclass(m, Request)]


def approval_queue(user: Any) -> list[dict[str, Any]]:
    """For the start page: per request model with a ``queue_url``, how many requests wait for
    ``user``'s decision (``{"label", "count", "url", "level"}``, the dashboard's task shape)."""
    tasks = []
    for model in request_models():
        if not model.queue_url:
            continue
        try:
            url = reverse(model.queue_url)
        except NoReverseMatch:
            continue
        label = _("%(things)s awaiting your decision") % {"things": model._meta.verbose_name_plural}
        try:
            tasks.append(queue_entry(user, model, label=label, url=url))
        except LookupError:  # no rule registered: nobody may decide (fail closed)
            continue
    return tasks


def queue_entry(
    user: Any,
    model: Any,
    *,
    label: Any,
    url: str,
    statuses: tuple[str, ...] | None = None,
    action: str = "decide",
) -> dict[str, Any]:
    """One start-page entry: how many requests of ``model`` in ``statuses`` (default its
    ``waiting_statuses``) ``user`` may take ``action`` on — never their own (the rule base).
    :func:`approval_queue` builds one per model with a ``queue_url``; an app whose entry keeps
    its own wording or status (the classification requests, only ``pending``) calls it itself."""
    waiting = model.objects.filter(status__in=statuses or model.waiting_statuses)
    count = counts.of(policy.visible(user, waiting, action))  # read with the page's other counts
    return {"label": label, "count": count, "url": url, "level": "warn"}
