"""The 审批表 of the personnel procedures (issue 13, PER-5, PER-6): the exit (离岗离职) case and
the travel-abroad request, printed through ``baomi.kit.printing`` (policy, audit, 份号 and
rendering are the helper's). Personnel records are 工作秘密: the forms carry 「内部」."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from baomi.core.levels import Level
from baomi.core.marks import make_mark
from baomi.kit import printing
from baomi.kit.printing import when, who
from baomi.personnel import selectors, services


def _mark() -> str:
    return make_mark(Level.WORK_SECRET)


def print_exit(actor: Any, case: Any) -> printing.Printed:
    """Print the exit case's 审批表: the five steps (R-PER-6) with their dates, and the carriers
    still outstanding."""
    person = case.file.user
    ctx = {
        "person": who(person),
        "department": getattr(person.department, "name", "—"),
        "category": case.file.get_category_display(),
        "steps": services.exit_steps(case),
        "outstanding": list(selectors.outstanding_carriers(person)[:50]),
        "approved_on": when(case.approved_on),
        "started_by": who(case.started_by),
        "started_on": when(case.started_at),
        "interview": f"{when(case.interview_on)} {who(case.interview_by) if case.interview_by_id else ''}".strip(),
        "access_revoked": when(case.access_revoked_at),
        "separation": f"{when(case.separation_start)} — {when(case.separation_end)}",
        "decision": case.get_status_display(),
        "decided_on": when(case.completed_at) if case.completed_at else "",
        "signature_labels": [_("Person leaving"), _("Security office"), _("Unit head")],
    }
    return printing.print_form(actor, case, template="personnel/print/exit.html",
                               title=_("Exit (离岗离职) secrecy approval form"), mark=_mark(),
                               reference=f"LG-{case.pk}", context=ctx)  # fmt: skip


def print_travel(actor: Any, travel: Any) -> printing.Printed:
    """Print the travel-abroad 审批表: the two opinions, the decision, the pre-trip training."""
    ctx = {
        "traveller": who(travel.traveller),
        "period": f"{when(travel.departs_on)} — {when(travel.returns_on)}",
        "personnel_opinion": travel.get_personnel_opinion_display() or "—",
        "personnel_by": who(travel.personnel_opinion_by) if travel.personnel_opinion_by_id else "",
        "security_opinion": travel.get_security_opinion_display() or "—",
        "security_by": who(travel.security_opinion_by) if travel.security_opinion_by_id else "",
        "requested_on": when(travel.requested_at),
        "decision": travel.get_status_display(),
        "decision_reason": travel.decision_reason,
        "approver": who(travel.decided_by) if travel.decided_by_id else "",
        "decided_on": when(travel.decided_at) if travel.decided_at else "",
        "returned_on": when(travel.returned_on),
        "reported_on": when(travel.reported_on),
        "signature_labels": [_("Traveller"), _("Personnel department"), _("Security office"), _("Approver")],
    }
    return printing.print_form(actor, travel, template="personnel/print/travel.html",
                               title=_("Travel abroad approval form"), mark=_mark(),
                               reference=f"CG-{travel.pk}", context=ctx)  # fmt: skip
