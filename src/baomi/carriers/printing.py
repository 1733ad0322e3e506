"""The 审批表 of the carrier requests (issue 13): loan, copy, download, take-out, transfer and
destruction print as signed-and-filed forms through ``baomi.kit.printing``. This module says
what each form holds; the helper checks the policy, audits, numbers and renders."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from baomi.carriers.destruction_list import list_mark
from baomi.carriers.models import (
    CopyRequest,
    DestructionRequest,
    DownloadRequest,
    LoanRequest,
    TakeOutRequest,
    Transfer,
)
from baomi.kit import printing
from baomi.kit.printing import when, who

#: kind → (model, reference prefix, form title, template)
FORMS: dict[str, tuple[type, str, Any, str]] = {
    "loan": (LoanRequest, "JY", lambda: _("Classified carrier loan approval form"), "carriers/print/loan.html"),
    "copy": (CopyRequest, "FZ", lambda: _("Classified carrier copy approval form"), "carriers/print/copy.html"),
    "download": (DownloadRequest, "XZ", lambda: _("Classified content download approval form"),
                 "carriers/print/download.html"),
    "take_out": (TakeOutRequest, "XD", lambda: _("Classified carrier take-out approval form"),
                 "carriers/print/take_out.html"),
    "transfer": (Transfer, "CD", lambda: _("Classified carrier transfer form"), "carriers/print/transfer.html"),
    "destruction": (DestructionRequest, "XH", lambda: _("Classified carrier destruction approval form"),
                    "carriers/print/destruction.html"),
}  # fmt: skip


def _decision(req: Any) -> dict[str, Any]:
    return {
        "decision": req.get_status_display(),
        "decision_reason": req.decision_reason,
        "approver": who(req.decided_by) if req.decided_by_id else "",
        "decided_on": when(req.decided_at) if req.decided_at else "",
    }


def _carrier(c: Any) -> dict[str, Any]:
    return {
        "carrier_number": c.registry_number,
        "carrier_copy": c.copy_number,
        "carrier_title": c.title,
        "carrier_mark": c.mark_text(),
        "carrier_kind": c.get_kind_display(),
        "custodian": who(c.custodian),
    }


def print_request(actor: Any, kind: str, req: Any) -> printing.Printed:
    """Print the 审批表 of carrier request ``req`` of ``kind`` (a key of :data:`FORMS`)."""
    _model, prefix, title, template = FORMS[kind]
    ctx: dict[str, Any] = {"when": when}
    if kind == "destruction":
        carriers = list(req.carriers.select_related("custodian").order_by("registry_number"))
        mark = list_mark(carriers, req.level)
        ctx.update(**_decision(req), carriers=carriers, requester=who(req.requested_by),
                   requested_on=when(req.requested_at), witnesses=f"{who(req.witness_1)}、{who(req.witness_2)}",
                   executed_by=who(req.executed_by) if req.executed_by_id else "—",
                   destroyed_on=when(req.destroyed_on), method=req.get_method_display() or "—",
                   signature_labels=[_("Requester"), _("Approver"), _("Witness"), _("Witness")])  # fmt: skip
    elif kind == "transfer":
        mark = req.carrier.mark_text()
        ctx.update(**_carrier(req.carrier), sender=who(req.sender), receiver=who(req.receiver),
                   escort=who(req.escort) if req.escort_id else "—", channel=req.get_channel_display(),
                   sent_on=when(req.sent_at, with_time=True), received_on=when(req.received_at, with_time=True),
                   status=req.get_status_display(),
                   signature_labels=[_("Sender"), _("Receiver")])  # fmt: skip
    else:
        mark = req.carrier.mark_text()
        ctx.update(**_carrier(req.carrier), **_decision(req), requester=who(req.requested_by),
                   requested_on=when(req.requested_at), signature_labels=[_("Requester"), _("Approver")])  # fmt: skip
        if kind == "loan":
            ctx.update(borrower=who(req.borrower), due_on=when(req.due_on),
                       lent_on=when(req.lent_at), returned_on=when(req.returned_at))  # fmt: skip
        elif kind == "copy":
            ctx.update(custodian_of_copies=who(req.custodian),
                       produced=", ".join(c.registry_number for c in req.produced.order_by("registry_number")))  # fmt: skip
        elif kind == "take_out":
            ctx.update(leaves_on=when(req.leaves_on), returns_on=when(req.returns_on))
    return printing.print_form(actor, req, template=template, title=str(title()), mark=mark,
                               reference=f"{prefix}-{req.pk}", context=ctx)  # fmt: skip
