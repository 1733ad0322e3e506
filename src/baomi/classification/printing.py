"""The 审批表 of the classification requests (issue 13, CLS-4, CLS-8, R-SCOPE-2): 定密, change,
extension and lifting, and need-to-know expansions, printed through ``baomi.kit.printing``
(policy, audit, 份号 and rendering are the helper's)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from baomi.classification.choices import RequestKind
from baomi.core.levels import MARK_WORD
from baomi.kit import printing
from baomi.kit.printing import when, who

PREFIX = {
    RequestKind.DETERMINE: "DM",
    RequestKind.CHANGE: "BG",
    RequestKind.EXTEND: "YC",
    RequestKind.LIFT: "JC",
}


def _mark(item: Any) -> str:
    return item.mark_text() or MARK_WORD.get(item.level, "")


def _duration(req: Any) -> str:
    if not req.duration_kind:
        return "—"
    if req.long_term:
        return "长期"
    if req.duration_value:
        return f"{req.duration_value} {req.get_duration_unit_display()}"
    if req.until_date:
        return when(req.until_date)
    return req.condition or "—"


def print_request(actor: Any, req: Any) -> printing.Printed:
    """Print the 定密/变更/延期/解除 审批表 of ``req`` (a ``ClassificationRequest``)."""
    item = req.item
    scope = req.scope_changes or {}
    ctx = {
        "item": item,
        "current_mark": _mark(item),
        "proposed_level": (
            item.get_level_display() if req.kind == RequestKind.DETERMINE else req.get_level_display()
        ),
        "duration": _duration(req),
        "scope_added": len(scope.get("add_users", [])) + len(scope.get("add_departments", [])),
        "scope_removed": len(scope.get("remove_entries", [])),
        "requester": who(req.requested_by),
        "requested_on": when(req.requested_at),
        "decision": req.get_status_display(),
        "decision_reason": req.decision_reason,
        "approver": who(req.decided_by) if req.decided_by_id else "",
        "decided_on": when(req.decided_at) if req.decided_at else "",
        "signature_labels": [_("Case handler"), _("Classification authority")],
    }
    title = _("%(kind)s approval form") % {"kind": req.get_kind_display()}
    return printing.print_form(actor, req, template="classification/print/request.html", title=title,
                               mark=_mark(item), reference=f"{PREFIX.get(req.kind, 'DM')}-{req.pk}",
                               context=ctx)  # fmt: skip


def print_expansion(actor: Any, req: Any) -> printing.Printed:
    """Print the need-to-know expansion 审批表 of ``req`` (an ``ExpansionRequest``)."""
    ctx = {
        "item": req.item,
        "person": who(req.person),
        "period": f"{when(req.starts_on)} — {when(req.ends_on)}",
        "requester": who(req.requested_by),
        "requested_on": when(req.requested_at),
        "decision": req.get_status_display(),
        "decision_reason": req.decision_reason,
        "approver": who(req.decided_by) if req.decided_by_id else "",
        "decided_on": when(req.decided_at) if req.decided_at else "",
        "signature_labels": [_("Requester"), _("Unit head")],
    }
    return printing.print_form(actor, req, template="classification/print/expansion.html",
                               title=_("Need-to-know expansion approval form"), mark=_mark(req.item),
                               reference=f"KZ-{req.pk}", context=ctx)  # fmt: skip
