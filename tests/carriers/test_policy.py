"""The carrier policy as a matrix: persona × action × level × scope → allowed (CAR-3, CAR-4,
CAR-6, CAR-11, R-AC-3). Expectations are written out by hand, not derived from the rule."""

from __future__ import annotations

import pytest

from baomi.access import policy
from baomi.carriers import services
from baomi.carriers.models import Carrier
from baomi.classification.models import ItemScope
from baomi.core.levels import Level
from tests.carriers.factories import make_carrier
from tests.support.assertions import assert_audited, last_audit_id
from tests.support.integrity import bind

pytestmark = pytest.mark.django_db

READER = {"view", "read_content", "lend", "copy", "download", "print", "take_out"}
REGISTRY = {"view", "lend", "return", "transfer", "repair", "finish_repair", "bring_back", "seal", "unseal",
            "archive", "recall", "mark_missing", "found", "destroy", "execute_destruction", "register_copies",
            "upload"}  # fmt: skip
UNIT_HEAD = {"approve_loan", "approve_copy", "approve_download", "approve_take_out", "approve_destruction"}
ACTIONS = sorted(policy.registered_actions()["carriers.carrier"])
LEVELS = [Level.CONFIDENTIAL, Level.SECRET, Level.TOP_SECRET]
PERSONAS = ["case_handler", "staff_confidential", "staff_other_dept", "security_officer", "unit_head", "dept_head",
            "auditor", "outsider"]  # fmt: skip


def expected(persona: str, level: str, scoped: bool) -> set[str]:
    """What each persona may do to a carrier held by someone else in the office."""
    top = level == Level.TOP_SECRET
    if persona == "case_handler":  # clearance 机密; in scope when ``scoped``
        return READER if scoped and not top else set()
    if persona == "staff_confidential":  # clearance 秘密
        return READER if scoped and level == Level.CONFIDENTIAL else set()
    if persona == "security_officer":  # clearance 绝密, runs the registry, not in scope
        return REGISTRY
    if persona == "unit_head":  # clearance 绝密; approvals; 绝密 copy/download only with consent
        allowed = set(UNIT_HEAD)
        if top:
            allowed -= {"approve_copy", "approve_download"}
            allowed |= {"consent"}
        return allowed
    if persona == "dept_head":  # clearance 机密; heads the office that holds the carrier
        return set() if top else {"view", "approve_loan"}
    return set()  # other department, auditor, outsider


@pytest.fixture
def carriers(org):
    made = {}
    for level in LEVELS:
        custodian = org.authority_top_secret if level == Level.TOP_SECRET else org.staff_secret
        for scoped in (False, True):
            carrier = make_carrier(org, level, custodian=custodian)
            if scoped:
                ItemScope.objects.create(item=carrier.item, user=org.case_handler)
                ItemScope.objects.create(item=carrier.item, user=org.staff_confidential)
                bind(carrier.item)  # the scope is bound into the item's mark MAC (R-CRYPTO-5)
            made[(level, scoped)] = carrier
    return made


@pytest.mark.parametrize("persona", PERSONAS)
def test_matrix(org, carriers, persona):
    """Each (persona, action, level, scope) cell matches the hand-written expectation."""
    user = getattr(org, persona)
    for (level, scoped), carrier in carriers.items():
        want = expected(persona, level, scoped)
        for action in ACTIONS:
            if action == "receive":
                continue  # depends on an open transfer; tested below
            assert policy.can(user, action, carrier) == (action in want), (persona, action, level, scoped)


def test_consent_unlocks_top_secret_uses(org, carriers):
    """R-AC-3: with the originator's consent, 绝密 copy and download open to the scope."""
    carrier = carriers[(Level.TOP_SECRET, True)]
    ItemScope.objects.create(item=carrier.item, user=org.unit_head)
    bind(carrier.item)
    assert not policy.can(org.unit_head, "copy", carrier)
    services.record_consent(
        org.unit_head, carrier, copy=True, originator="发文机关", reference="函〔2026〕1号"
    )
    assert policy.can(org.unit_head, "copy", carrier)
    assert policy.can(org.unit_head, "approve_copy", carrier)
    assert not policy.can(org.unit_head, "download", carrier)


def test_receive_only_by_named_receiver(org, carriers):
    """CAR-5: only the named receiver signs for an open transfer."""
    carrier = carriers[(Level.SECRET, False)]
    services.send_carrier(org.staff_secret, carrier, receiver=org.case_handler, channel="jiyao_tongxin",
                          envelope_number="X1")  # fmt: skip
    assert policy.can(org.case_handler, "receive", carrier)
    assert not policy.can(org.staff_other_dept, "receive", carrier)


def test_visible_matches_can_for_view(org, carriers):
    """CAR-12: the SQL filter and the decision agree on viewing."""
    for persona in PERSONAS:
        user = getattr(org, persona)
        ids = set(policy.visible(user, Carrier.objects.all(), "view").values_list("pk", flat=True))
        assert ids == {c.pk for c in Carrier.objects.all() if policy.can(user, "view", c)}, persona


def test_refused_fetch_looks_like_not_found_and_is_audited(org, carriers):
    """CAR-3: forbidden looks like absent; the refusal is in the audit trail."""
    from baomi.access.errors import AccessDenied
    from baomi.audit.events import AuditEvent
    from baomi.carriers import queries

    carrier = carriers[(Level.SECRET, False)]
    since = last_audit_id()
    with pytest.raises(AccessDenied):
        queries.carrier_for(org.staff_other_dept, carrier.pk)
    assert_audited(AuditEvent.ACCESS_DENIED, actor=org.staff_other_dept, since=since)
    with pytest.raises(AccessDenied):
        queries.carrier_for(org.staff_other_dept, 999999)


def test_global_actions(org):
    """CAR-1, CAR-8/9: the registry and campaigns belong to the security office; approvals open
    to approvers and heads; every active account may browse its own carriers."""
    assert policy.can(org.security_officer, "carriers.register")
    assert not policy.can(org.staff_secret, "carriers.register")
    assert policy.can(org.security_officer, "carriers.campaigns")
    assert not policy.can(org.unit_head, "carriers.campaigns")
    assert policy.can(org.unit_head, "carriers.approvals")
    assert policy.can(org.dept_head, "carriers.approvals")
    assert not policy.can(org.staff_secret, "carriers.approvals")
    assert policy.can(org.outsider, "carriers.browse")


def test_record_rules_withdraw_sign_revoke_export_list(org, carriers):
    """CAR-4/8/11, R-AC-3: the requester withdraws; a custodian signs their inventory list;
    the unit head revokes a consent; the registry and the unit head export a 销毁清单."""
    import datetime as dt

    from django.utils import timezone

    carrier = carriers[(Level.SECRET, True)]
    loan = services.request_loan(org.case_handler, carrier, place="阅文室", reason="学",
                                 due_on=timezone.localdate() + dt.timedelta(days=1))  # fmt: skip
    assert policy.can(org.case_handler, "withdraw", loan)
    assert not policy.can(org.dept_head, "withdraw", loan)
    campaign = services.start_inventory(org.security_officer, title="清点", due_on=timezone.localdate())
    assert policy.can(org.staff_secret, "sign", campaign)
    assert not policy.can(org.case_handler, "sign", campaign)
    top = carriers[(Level.TOP_SECRET, False)]
    consent = services.record_consent(org.unit_head, top, print_=True, originator="发文机关", reference="函")
    assert policy.can(org.unit_head, "revoke", consent)
    assert not policy.can(org.staff_secret, "revoke", consent)
    req = services.request_destruction(
        org.security_officer, [carriers[(Level.CONFIDENTIAL, False)]], reason="到期"
    )
    assert policy.can(org.security_officer, "export_list", req)
    assert policy.can(org.unit_head, "export_list", req)
    assert not policy.can(org.staff_other_dept, "export_list", req)
