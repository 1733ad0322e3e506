"""The classification requests on the shared request base (issue 10): the rule base, not only
the service, keeps the proposer from deciding (R-DET-2), the queues agree, and the annual
review — whose request is filed in the reviewer's own name — goes by ``review_decide``."""

from __future__ import annotations

import pytest

from baomi.access.policy import can, visible
from baomi.classification import services
from baomi.classification.models import ClassificationRequest, ExpansionRequest
from baomi.core.levels import Level
from tests.classification.conftest import determine, propose

pytestmark = pytest.mark.django_db


def test_the_rule_base_refuses_the_proposer_and_the_queue_leaves_them_out(org):
    """R-DET-2, R-ROLE-5: a case handler who is also an authority covering the level may not
    ``decide`` their own proposal — by the rule (``can`` and its SQL), not only by the service."""
    from baomi.accounts import services as acc

    item = propose(org, actor=org.case_handler)
    acc.assign_role(None, org.case_handler, "classification_authority", bootstrap=True)
    acc.set_clearance(None, org.case_handler, Level.SECRET, authority_level=Level.SECRET, bootstrap=True)
    org.case_handler.forget_roles()
    req = item.requests.get()
    assert req.requested_by_id == org.case_handler.pk and req.proposed_by == org.case_handler
    assert not can(org.case_handler, "decide", req)
    assert (
        not visible(org.case_handler, ClassificationRequest.objects.all(), "decide")
        .filter(pk=req.pk)
        .exists()
    )
    assert can(org.authority_secret, "decide", req)
    assert (
        visible(org.authority_secret, ClassificationRequest.objects.all(), "decide")
        .filter(pk=req.pk)
        .exists()
    )


def test_the_review_authority_applies_their_own_review_request_by_review_decide(org):
    """R-DECL-1: the annual review files the change in the reviewer's name as the record of their
    decision; ``review_decide`` allows it (R-DET-1/4 cover), ``decide`` — one's own request — not."""
    item = determine(org, level=Level.CONFIDENTIAL, years=5)
    campaign = services.open_review(org.security_officer, year=2026)
    row = campaign.decisions.get(item=item)
    services.decide_review(org.authority_secret, row, choice="extend",
                           duration={"duration_kind": "period", "duration_value": 8, "duration_unit": "year"})  # fmt: skip
    req = item.requests.get(kind="extend")
    assert req.requested_by_id == org.authority_secret.pk and req.status == "approved"
    assert can(org.authority_secret, "review_decide", req)
    assert not can(org.authority_secret, "decide", req)
    qs = ClassificationRequest.objects.filter(pk=req.pk)
    assert visible(org.authority_secret, qs, "review_decide").exists()
    assert not visible(org.authority_secret, qs, "decide").exists()
    # An authority below the item's level is refused either way (R-DET-1/4).
    assert not can(org.staff_secret, "review_decide", req)


def test_an_expansion_for_oneself_is_refused_by_the_rule_base(org):
    """R-SCOPE-2, R-ROLE-5: the person to be let in is the request's beneficiary; the unit head
    asking for themself may neither decide nor see it in the queue."""
    from baomi.classification.services import scope

    item = determine(org, level=Level.SECRET)
    req = scope.request_expansion(org.unit_head, item, person=org.unit_head, reason="工作需要")
    assert req.owner_ids() == {org.unit_head.pk}
    assert not can(org.unit_head, "approve_expansion", req)
    qs = ExpansionRequest.objects.filter(pk=req.pk)
    assert not visible(org.unit_head, qs, "approve_expansion").exists()
