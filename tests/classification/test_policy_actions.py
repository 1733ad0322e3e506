"""The classification policy matrix for the actions not covered elsewhere (STYLE 2.10):
``acknowledge`` (R-SCOPE-4), ``approve_expansion`` (R-SCOPE-2), ``record_upward`` (R-DET-5),
``withdraw`` (R-DET-2) and the screens ``view_items``, ``view_notices``, ``view_matters``,
``view_reviews``, ``manage_reviews`` (CLS-2, CLS-6, CLS-10). Each persona is either allowed or
refused; ``can`` and ``visible`` agree; a refusal through a real entry point looks like not found
and is audited (CAR-3, SEC-3)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from baomi.access import policy
from baomi.access.errors import AccessDenied
from baomi.accounts import services as accounts
from baomi.audit.events import AuditEvent
from baomi.classification import services
from baomi.classification.choices import ItemStatus, RequestKind, RequestStatus
from baomi.classification.models import ClassificationRequest, ExpansionRequest, Notice, ReviewCampaign
from baomi.core.levels import Level
from tests.classification.conftest import determine, propose
from tests.support.assertions import (
    assert_audited,
    assert_denied,
    assert_hidden,
    assert_not_audited,
    assert_visible,
    last_audit_id,
)
from tests.support.personas import PERSONAS

ALL = sorted(PERSONAS)


def _disabled(org, persona):
    user = getattr(org, persona)
    user.is_active = False
    return user


# -- acknowledge (R-SCOPE-4) ------------------------------------------------------------------------


@pytest.fixture
def notice(org, determined):
    return Notice.objects.filter(recipient=org.staff_secret, item=determined).first()


@pytest.mark.parametrize("persona", ALL)
def test_acknowledge_is_for_the_recipient_only(org, notice, persona):
    """R-SCOPE-4: only the person notified confirms receipt (the proof of delivery); the security
    office, the authority and everyone else are refused."""
    me = getattr(org, persona)
    if persona == "staff_secret":
        assert_visible(me, notice, "acknowledge")
    else:
        assert_hidden(me, notice, "acknowledge")


def test_acknowledge_survives_a_level_raised_above_the_recipients_clearance(org):
    """R-SCOPE-4: whoever was in scope confirms receipt even when the change raised the item above
    their clearance (``acknowledge`` is clearance-exempt; the acknowledgement shows no content)."""
    determined_c = determine(org, level=Level.CONFIDENTIAL, scope_users=[org.staff_confidential], title="b")
    notice = Notice.objects.filter(recipient=org.staff_confidential, item=determined_c).first()
    req = services.propose_change(org.case_handler, determined_c, kind=RequestKind.CHANGE, reason="升级",
                                  level=Level.SECRET)  # fmt: skip
    services.approve_request(org.authority_top_secret, req, reason="同意")
    changed = Notice.objects.filter(recipient=org.staff_confidential, item=determined_c).exclude(pk=notice.pk)
    assert changed.exists()
    for n in changed:
        assert_visible(org.staff_confidential, n, "acknowledge")
        assert_hidden(org.staff_secret, n, "acknowledge")


def test_acknowledging_another_persons_notice_is_not_found_and_audited(org, notice, client, api_client):
    """R-SCOPE-4, CAR-3: someone else's notice looks absent in the UI and the API; the refusal is
    audited and the notice stays unacknowledged; the recipient's own acknowledgement is audited."""
    client.force_login(org.security_officer)
    since = last_audit_id()
    response = client.post(reverse("classification:notice-ack", args=[notice.pk]))
    assert_denied(response, actor=org.security_officer, since=since)
    api_client.force_authenticate(org.staff_other_dept)
    since = last_audit_id()
    assert_denied(api_client.post(f"/api/v1/classification/notices/{notice.pk}/acknowledge/"),
                  actor=org.staff_other_dept, since=since)  # fmt: skip
    notice.refresh_from_db()
    assert notice.acknowledged_at is None
    services.acknowledge_notice(org.staff_secret, notice)
    assert_audited(AuditEvent.NOTICE_ACKNOWLEDGED, notice, org.staff_secret, since=since)


# -- approve_expansion (R-SCOPE-2) ------------------------------------------------------------------


@pytest.fixture
def expansion(org, determined):
    return services.request_expansion(
        org.case_handler, determined, person=org.staff_other_dept, reason="工作需要"
    )


@pytest.mark.parametrize("persona", ALL)
def test_approve_expansion_is_for_the_unit_head(org, expansion, persona):
    """R-SCOPE-2: only the unit's 主要负责人 (unit head) approves widening the scope — not the
    security office, not an authority, not the requester."""
    me = getattr(org, persona)
    if persona == "unit_head":
        assert_visible(me, expansion, "approve_expansion")
    else:
        assert_hidden(me, expansion, "approve_expansion")


def test_approve_expansion_needs_clearance_for_the_items_level(org, expansion):
    """R-SCOPE-2, CAR-3: a unit head cleared below the item's level may not approve (no read up)."""
    accounts.set_clearance(None, org.unit_head, Level.CONFIDENTIAL, authority_level=Level.CONFIDENTIAL,
                           bootstrap=True)  # fmt: skip
    org.unit_head.refresh_from_db()
    assert_hidden(org.unit_head, expansion, "approve_expansion")


def test_deciding_an_expansion_without_the_role_is_not_found_and_audited(org, expansion, client):
    """R-SCOPE-2, CAR-3: the security officer posting a decision gets 404, the refusal is audited
    and the request stays pending; the unit head's approval grants the scope and is audited."""
    client.force_login(org.security_officer)
    since = last_audit_id()
    response = client.post(
        reverse("classification:expansion-decide", args=[expansion.pk]), {"action": "approve"}
    )
    assert_denied(response, actor=org.security_officer, since=since)
    with pytest.raises(AccessDenied):
        services.decide_expansion(org.authority_top_secret, expansion, approve=True)
    assert_audited(AuditEvent.ACCESS_DENIED, actor=org.authority_top_secret, outcome="denied", since=since)
    assert_not_audited(AuditEvent.EXPANSION_APPROVED, expansion, since=since)
    services.decide_expansion(org.unit_head, expansion, approve=True)
    assert_audited(AuditEvent.EXPANSION_APPROVED, ExpansionRequest.objects.get(pk=expansion.pk), org.unit_head,
                   since=since)  # fmt: skip


# -- record_upward (R-DET-5) ------------------------------------------------------------------------


@pytest.fixture
def upward(org, settings):
    settings.UNIT_AUTHORITY = "secret"
    accounts.set_clearance(None, org.case_handler, Level.TOP_SECRET, bootstrap=True)
    org.case_handler.refresh_from_db()
    item = propose(org, level=Level.TOP_SECRET, years=10)
    assert item.status == ItemStatus.PENDING_UPWARD
    req = item.requests.get()
    assert req.status == RequestStatus.PENDING_UPWARD
    return req


# R-DET-5: the security office or a classification authority records the superior's decision —
# always within clearance (CAR-3: the item is 绝密).
RECORD_UPWARD = {"security_officer", "unit_head", "authority_top_secret"}


@pytest.mark.parametrize("persona", ALL)
def test_record_upward_is_for_the_security_office_and_cleared_authorities(org, upward, persona):
    """R-DET-5: the superior's determination is recorded by the security office or a cleared
    classification authority; the proposer, an authority cleared below 绝密 and staff are refused
    — on the request and on its item alike."""
    me = getattr(org, persona)
    if persona in RECORD_UPWARD:
        assert_visible(me, upward, "record_upward")
        assert_visible(me, upward.item, "record_upward")
    else:
        assert_hidden(me, upward, "record_upward")
        assert_hidden(me, upward.item, "record_upward")


def test_recording_upward_without_the_right_is_not_found_and_audited(org, upward, api_client):
    """R-DET-5, CAR-3: the proposer cannot record the superior's decision — 404 through the API,
    an ACCESS_DENIED entry, the item still pending upward; the security office records it."""
    api_client.force_authenticate(org.case_handler)
    since = last_audit_id()
    response = api_client.post(f"/api/v1/classification/requests/{upward.pk}/approve/",
                               {"reason": "", "upward_reference": "省保密局〔2026〕5号"}, format="json")  # fmt: skip
    assert_denied(response, actor=org.case_handler, since=since)
    assert ClassificationRequest.objects.get(pk=upward.pk).status == RequestStatus.PENDING_UPWARD
    services.approve_request(org.security_officer, upward, upward_reference="省保密局〔2026〕5号")
    assert_audited(AuditEvent.REQUEST_APPROVED, upward, org.security_officer, since=since)


# -- withdraw (R-DET-2) ------------------------------------------------------------------------------


@pytest.fixture
def change_request(org, determined):
    return services.propose_change(org.case_handler, determined, kind=RequestKind.CHANGE, reason="降低密级",
                                   level=Level.CONFIDENTIAL)  # fmt: skip


@pytest.mark.parametrize("persona", ALL)
def test_withdraw_is_for_the_proposer_only(org, change_request, persona):
    """R-DET-2: the case handler who proposed a change withdraws it; the authority who would
    decide, the security office and everyone else are refused."""
    me = getattr(org, persona)
    if persona == "case_handler":
        assert_visible(me, change_request, "withdraw")
    else:
        assert_hidden(me, change_request, "withdraw")


def test_withdrawing_someone_elses_request_is_not_found_and_audited(org, change_request, api_client):
    """R-DET-2, CAR-3: an authority who may see the request still cannot withdraw it — 404, audited,
    the request pending; the proposer's withdrawal is audited REQUEST_WITHDRAWN."""
    api_client.force_authenticate(org.authority_top_secret)
    since = last_audit_id()
    response = api_client.post(f"/api/v1/classification/requests/{change_request.pk}/withdraw/")
    assert_denied(response, actor=org.authority_top_secret, since=since)
    assert ClassificationRequest.objects.get(pk=change_request.pk).status == RequestStatus.PENDING
    services.withdraw_request(org.case_handler, change_request)
    assert_audited(AuditEvent.REQUEST_WITHDRAWN, change_request, org.case_handler, since=since)


# -- screens (global actions) ------------------------------------------------------------------------

# CLS-6: the security office and the classification authorities keep unclear matters.
# CLS-10: they take part in the annual review; the security office runs it.
GLOBAL_ALLOWED = {
    "view_items": set(ALL),  # CLS-2: the register is open; its rows are filtered by visible()
    "view_notices": set(ALL),  # R-SCOPE-4: everyone reads their own notices
    "view_matters": {"security_officer", "unit_head", "authority_top_secret", "authority_secret"},
    "view_reviews": {"security_officer", "unit_head", "authority_top_secret", "authority_secret"},
    "manage_reviews": {"security_officer"},
}


@pytest.mark.parametrize("action", sorted(GLOBAL_ALLOWED))
@pytest.mark.parametrize("persona", ALL)
def test_classification_screens(org, action, persona):
    """CLS-2, CLS-6, CLS-10, R-SCOPE-4: who may open each screen; a disabled account opens none
    (SEC-1)."""
    me = getattr(org, persona)
    assert policy.can(me, action) is (persona in GLOBAL_ALLOWED[action])
    assert policy.can(_disabled(org, persona), action) is False


def test_view_items_shows_each_person_only_the_rows_they_may_see(org, determined, client):
    """CLS-2, CAR-3: everyone opens the register, but an item outside one's scope is neither listed
    nor reachable: its page is 404 and audited."""
    client.force_login(org.staff_other_dept)
    page = client.get(reverse("classification:items"))
    assert page.status_code == 200
    assert determined.title not in page.content.decode()
    since = last_audit_id()
    assert_denied(client.get(reverse("classification:item", args=[determined.pk])), actor=org.staff_other_dept,
                  since=since)  # fmt: skip
    client.force_login(org.staff_secret)
    assert determined.title in client.get(reverse("classification:items")).content.decode()


def test_view_notices_lists_only_ones_own(org, notice, api_client):
    """R-SCOPE-4: the notices screen lists one's own notices only — the security office does not
    see staff's notices there."""
    api_client.force_authenticate(org.staff_secret)
    ids = [n["id"] for n in api_client.get("/api/v1/classification/notices/").json()["results"]]
    assert notice.pk in ids
    api_client.force_authenticate(org.security_officer)
    ids = [n["id"] for n in api_client.get("/api/v1/classification/notices/").json()["results"]]
    assert notice.pk not in ids


@pytest.mark.parametrize(("url", "persona"), [("classification:matters", "staff_secret"),
                                              ("classification:campaigns", "case_handler")])  # fmt: skip
def test_matters_and_reviews_screens_refused_look_like_not_found(org, client, url, persona):
    """CLS-6, CLS-10, CAR-3: staff and case handlers opening the matters or the review screen get
    the same 404 as a missing page; the security officer gets the page. (The refusal of these two
    screens is not audited yet — views.py calls ``require`` without ``deny``; reported.)"""
    me = getattr(org, persona)
    client.force_login(me)
    assert client.get(reverse(url)).status_code == 404
    client.force_login(org.security_officer)
    assert client.get(reverse(url)).status_code == 200


def test_manage_reviews_refused_for_an_authority_is_audited(org):
    """CLS-10: an authority takes part in the review but does not open it — the service refuses
    (not found), audits the refusal and opens nothing; the security officer opens it."""
    since = last_audit_id()
    with pytest.raises(AccessDenied):
        services.open_review(org.authority_top_secret, year=2026)
    assert_audited(AuditEvent.ACCESS_DENIED, actor=org.authority_top_secret, outcome="denied", since=since)
    assert not ReviewCampaign.objects.exists()
    services.open_review(org.security_officer, year=2026)
    assert_audited(AuditEvent.REVIEW_OPENED, actor=org.security_officer, since=since)


@pytest.mark.parametrize("who", ["person", "requester"])
def test_an_approver_never_decides_an_expansion_for_themself(org, determined, who):
    """R-SCOPE-2: the unit head who is the person to be added, or who asked for the addition,
    may not approve it — one person never both asks and decides; the list hides it and a
    decision is refused as not found and audited. Another approver (a designee) may."""
    if who == "person":
        req = services.request_expansion(org.unit_head, determined, person=org.unit_head, reason="工作需要")
    else:
        services.grant_scope(org.security_officer, determined, user=org.unit_head, reason="承办")
        req = services.request_expansion(
            org.unit_head, determined, person=org.staff_other_dept, reason="工作需要"
        )
    assert_hidden(org.unit_head, req, "approve_expansion")
    since = last_audit_id()
    with pytest.raises(AccessDenied):
        services.decide_expansion(org.unit_head, req, approve=True)
    assert_audited(AuditEvent.ACCESS_DENIED, actor=org.unit_head, outcome="denied", since=since)
    req.refresh_from_db()
    assert req.status == "pending"
    services.designate_expansion_approver(org.unit_head, user=org.dept_head)
    org.dept_head.refresh_from_db()
    assert_visible(org.dept_head, req, "approve_expansion")
    services.decide_expansion(org.dept_head, req, approve=True)


def test_the_register_shows_declassified_marks_without_a_query_each(org, client):
    """R-MARK-8: the item register shows each declassified item's old mark cancelled with
    「解密」; ten such rows cost the queries of one."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from baomi.classification.models import Item, MarkRecord
    from tests.support.integrity import bind

    def lift(n: int) -> None:
        for i in range(n):
            item = Item.objects.create(title=f"已解密事项{i}", level=Level.SECRET, department=org.departments["OFFICE"],
                                       proposed_by=org.case_handler, status="declassified")  # fmt: skip
            MarkRecord.objects.create(item=item, text="秘密★5年", cancelled_at=timezone.now())
            bind(item)  # as the services do (R-CRYPTO-5)

    client.force_login(org.security_officer)
    lift(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("classification:items")).status_code == 200
    lift(9)
    with CaptureQueriesContext(connection) as ten:
        page = client.get(reverse("classification:items")).content.decode()
    assert page.count("秘密★5年") == 10 and "解密" in page
    assert len(ten.captured_queries) == len(one.captured_queries)
