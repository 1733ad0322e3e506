"""What is bound to a tampered item fails closed with it (issue 11 §4; CLS-7, R-CRYPTO-5, SEC-3).

A change, extension or lifting request, a need-to-know expansion and a 密点 matter all act on
their item. Before, the policy checked only the request itself: a request filed before the
item's level was lowered in the database was still approved — and the approval re-sealed the
tampered level under a fresh MAC — and anyone could ask to know a tampered item for themselves.
Now the one policy rule follows what an object is bound to: everything about a tampered item is
refused like not found to all but the security officer, who views it to see the alarm.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from baomi.access import policy
from baomi.access.errors import INTEGRITY_REASON, AccessDenied
from baomi.audit.events import AuditEvent
from baomi.classification import services
from baomi.classification.models import ExpansionRequest, Item
from baomi.core.levels import Level
from tests.support.assertions import assert_audited, last_audit_id

pytestmark = pytest.mark.django_db


def lower(item: Item) -> Item:
    """What an attacker with write access to the database does: no service, no MAC."""
    Item.objects.filter(pk=item.pk).update(level=Level.CONFIDENTIAL)
    item.refresh_from_db()
    assert item.mark_tampered
    return item


def test_a_change_filed_before_the_tampering_is_not_approved(org, determined, api_client):
    """CLS-7, R-CRYPTO-5: the authority cannot approve (and so re-seal) a pending change of a
    tampered item; the request reads as not found to its own proposer and is alarmed; the
    security officer still views it."""
    req = services.propose_change(org.case_handler, determined, kind="extend", reason="延期",
                                  duration={"duration_kind": "period", "duration_value": 8, "duration_unit": "year"})  # fmt: skip
    lower(determined)
    since = last_audit_id()
    with pytest.raises(AccessDenied):
        services.approve_request(org.authority_secret, req)
    denied = assert_audited(AuditEvent.ACCESS_DENIED, req, org.authority_secret, since=since)
    assert denied.details["reason"] == INTEGRITY_REASON
    determined.refresh_from_db()
    assert determined.mark_tampered  # not laundered under a fresh MAC
    with pytest.raises(AccessDenied):
        services.withdraw_request(org.case_handler, req)
    api_client.force_authenticate(org.case_handler)
    assert api_client.get(f"/api/v1/classification/requests/{req.pk}/").status_code == 404
    api_client.force_authenticate(org.security_officer)
    assert api_client.get(f"/api/v1/classification/requests/{req.pk}/").status_code == 200
    assert not policy.can(org.security_officer, "withdraw", req)


def test_nobody_asks_to_know_a_tampered_item_for_themselves(org, determined):
    """R-SCOPE-2 with CLS-7: asking for oneself needs no permission on the item, yet a tampered
    item is refused like not found (by id and by document number), and a pending expansion of
    it is not approved."""
    pending = services.request_expansion(org.case_handler, determined, person=org.staff_other_dept, reason="会办",
                                         ends_on=date.today() + timedelta(days=30))  # fmt: skip
    lower(determined)
    with pytest.raises(AccessDenied):
        services.request_expansion(
            org.staff_confidential, determined, person=org.staff_confidential, reason="了解"
        )
    assert not ExpansionRequest.objects.filter(person=org.staff_confidential).exists()
    if determined.reference:
        with pytest.raises(AccessDenied):
            services.request_expansion_by_reference(org.staff_confidential, reference=determined.reference,
                                                    reason="了解")  # fmt: skip
    with pytest.raises(AccessDenied):
        services.decide_expansion(org.unit_head, pending, approve=True)
    assert not policy.can(org.unit_head, "view", ExpansionRequest.objects.get(pk=pending.pk))


def test_a_dispute_on_a_tampered_item_takes_no_claim(org, determined):
    """CLS-6, R-DET-11 with CLS-7: a claim or the bureau's decision on a 密点 matter would set
    and re-seal the item's level; on a tampered item both are refused."""
    matter = services.open_matter(org.security_officer, determined, kind="dispute", description="争议")
    lower(determined)
    with pytest.raises(AccessDenied):
        services.add_claim(org.security_officer, matter, party="甲", level=Level.TOP_SECRET)
    with pytest.raises(AccessDenied):
        services.report_matter(org.security_officer, matter, reference="报告")
    determined.refresh_from_db()
    assert determined.level == Level.CONFIDENTIAL and determined.mark_tampered
    assert policy.can(org.security_officer, "view", matter)  # the overseer sees the alarm
