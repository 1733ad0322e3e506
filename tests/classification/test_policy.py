"""The permission matrix: persona × action × level × scope → allowed (CAR-3, R-DET-1/2,
R-SCOPE-1..3, CLS-8), drawn from REQUIREMENTS.md. Allowed and denied cases share the setup."""

from __future__ import annotations

import pytest

from baomi.access import policy
from baomi.classification import selectors
from baomi.core.levels import Level
from tests.classification.conftest import determine
from tests.support.integrity import bind

pytestmark = pytest.mark.django_db

S, C, TS, WS = Level.SECRET, Level.CONFIDENTIAL, Level.TOP_SECRET, Level.WORK_SECRET

# persona, action, level, in scope → allowed
MATRIX = [
    # CAR-3: in scope and cleared → sees; out of scope → not; under-cleared → not, even in scope.
    ("staff_secret", "view", S, True, True),
    ("staff_secret", "view", S, False, False),
    ("staff_confidential", "view", S, True, False),  # no read up
    ("staff_confidential", "view", C, True, True),
    ("staff_other_dept", "view", C, False, False),
    ("outsider", "view", WS, True, False),  # 内部 clearance < 工作秘密
    # CAR-12: the security office keeps the registry (within clearance).
    ("security_officer", "view", TS, False, True),
    # ORG-1: the department head sees the department's items.
    ("dept_head", "view", S, False, True),
    # R-DET-2: authorities covering the level see items for their queue.
    ("authority_secret", "view", S, False, True),
    ("authority_secret", "view", TS, False, False),
    # The administrators read no classified content (SEC-2).
    ("sysadmin", "view", C, False, False),
    ("auditor", "view", C, False, False),
    # CLS-8: a case handler proposes changes; staff do not.
    ("case_handler", "request_change", S, True, True),
    ("staff_secret", "request_change", S, True, False),
    # R-DET-1/4: authority at or above the level decides.
    ("authority_secret", "decide", S, False, True),
    ("authority_secret", "decide", C, False, True),
    ("authority_secret", "decide", TS, False, False),
    ("authority_top_secret", "decide", TS, False, True),
    ("case_handler", "decide", S, True, False),
    ("security_officer", "decide", S, False, False),
    # R-SCOPE-1: only the security office grants need-to-know directly.
    ("security_officer", "manage_scope", S, False, True),
    ("dept_head", "manage_scope", S, False, False),
    ("unit_head", "manage_scope", S, True, False),
    # R-SCOPE-3: the knowledge record is the security office's.
    ("security_officer", "knowledge_record", S, False, True),
    ("authority_top_secret", "knowledge_record", S, True, False),
    # R-SCOPE-2: anyone who knows a live item may ask for someone else.
    ("staff_secret", "request_expansion", S, True, True),
    ("staff_other_dept", "request_expansion", S, False, False),
    # CLS-6: the security office and authorities record unclear matters.
    ("security_officer", "open_matter", S, False, True),
    ("staff_secret", "open_matter", S, True, False),
]


@pytest.mark.parametrize(("persona", "action", "level", "scoped", "allowed"), MATRIX)
def test_matrix(org, persona, action, level, scoped, allowed):
    from baomi.accounts import services as acc

    acc.set_clearance(None, org.case_handler, TS, bootstrap=True)
    user = getattr(org, persona)
    item = determine(org, level=level, years=3 if level != WS else None,
                     scope_users=[user] if scoped else [], department=org.departments["OFFICE"])  # fmt: skip
    if not scoped and persona == "case_handler":
        pytest.fail("the proposer is always in scope")
    assert policy.can(user, action, item) is allowed
    # The SQL filter agrees with the object decision (STYLE 2.3).
    assert selectors.items(user).filter(pk=item.pk).exists() is policy.can(user, "view", item)


GLOBAL = [
    ("case_handler", "propose_item", True),
    ("staff_secret", "propose_item", False),
    ("authority_secret", "decide_requests", True),
    ("case_handler", "decide_requests", False),
    ("security_officer", "manage_guide", True),
    ("authority_top_secret", "manage_guide", False),
    ("unit_head", "approve_expansions", True),
    ("security_officer", "approve_expansions", False),
    ("security_officer", "manage_calendar", True),
    ("security_officer", "revoke_scopes", True),
    ("staff_secret", "revoke_scopes", False),
    ("sysadmin", "view_guide", False),
    ("security_officer", "record_existing_determination", True),  # issue 19 §4: the ledger import
    ("authority_top_secret", "record_existing_determination", False),
    ("unit_head", "record_existing_determination", False),
]


@pytest.mark.parametrize(("persona", "action", "allowed"), GLOBAL)
def test_global_actions(org, persona, action, allowed):
    assert policy.can(getattr(org, persona), action) is allowed


def test_non_secret_items_are_visible_to_everyone(org):
    item = determine(org, level=Level.INTERNAL, years=None)
    assert policy.can(org.outsider, "view", item)
    assert selectors.items(org.outsider).filter(pk=item.pk).exists()


def test_proposed_item_is_protected(org):
    """A proposed (not yet approved) item is visible only within scope and clearance (R-DET-2)."""
    from tests.classification.conftest import propose

    item = propose(org, level=S, scope_users=[org.staff_secret])
    assert policy.can(org.staff_secret, "view", item)
    assert not policy.can(org.staff_other_dept, "view", item)
    assert not policy.can(org.staff_confidential, "view", item)


MORE_GLOBAL = [
    ("staff_secret", "view_items", True),  # the register; rows filtered by visible()
    ("staff_secret", "view_notices", True),  # R-SCOPE-4: one's own notices
    ("authority_secret", "view_matters", True),  # CLS-6
    ("staff_secret", "view_matters", False),
    ("authority_secret", "view_reviews", True),  # CLS-10
    ("staff_secret", "view_reviews", False),
    ("security_officer", "manage_reviews", True),
    ("authority_top_secret", "manage_reviews", False),
]


@pytest.mark.parametrize(("persona", "action", "allowed"), MORE_GLOBAL)
def test_more_global_actions(org, persona, action, allowed):
    assert policy.can(getattr(org, persona), action) is allowed


def test_request_actions(org):
    """The proposer may ``withdraw``; ``record_upward`` is for an authority or the security
    office (R-DET-2, R-DET-5)."""
    from tests.classification.conftest import propose

    item = propose(org, level=S)
    req = item.requests.get()
    assert policy.can(org.case_handler, "withdraw", req)
    assert not policy.can(org.staff_secret, "withdraw", req)
    assert policy.can(org.security_officer, "record_upward", req)
    assert not policy.can(org.case_handler, "record_upward", req)


def test_notice_and_expansion_actions(org):
    """Only the recipient may ``acknowledge`` a notice, even when the level went above their
    clearance (R-SCOPE-4); only the unit head may ``approve_expansion`` (R-SCOPE-2)."""
    from baomi.classification import services
    from baomi.classification.models import Notice

    item = determine(org, level=C, scope_users=[org.staff_confidential])
    notice = Notice.objects.get(item=item, recipient=org.staff_confidential)
    assert policy.can(org.staff_confidential, "acknowledge", notice)
    assert not policy.can(org.staff_secret, "acknowledge", notice)
    x = services.request_expansion(org.case_handler, item, person=org.staff_other_dept, reason="会签")
    assert policy.can(org.unit_head, "approve_expansion", x)
    assert not policy.can(org.security_officer, "approve_expansion", x)


def test_scope_seam_used_by_the_carrier_rule(org):
    """The carriers rule asks ``selectors.in_scope`` (person or department entries, current
    dates): someone in the item's scope may ``read_content`` of its carrier; a grant that has
    ended no longer counts (CAR-3)."""
    from datetime import timedelta

    from django.utils import timezone

    from baomi.carriers.models import Carrier
    from baomi.classification import services

    item = determine(org, level=C, scope_departments=[org.departments["FIN"]])
    carrier = Carrier(registry_number="T-2026-1", year=2026, kind="paper", sequence=1, copy_number="000001",
                      item=item, level=item.level, title="t", custodian=org.case_handler,
                      department=org.departments["OFFICE"], registered_by=org.case_handler)  # fmt: skip
    carrier.save()
    bind(carrier)  # as registration does (R-CRYPTO-5)
    assert policy.can(org.staff_other_dept, "read_content", carrier)  # FIN department entry
    assert not policy.can(org.staff_secret, "read_content", carrier)
    yesterday = timezone.localdate() - timedelta(days=1)
    services.grant_scope(
        org.security_officer, item, user=org.staff_secret, ends_on=yesterday, reason="已结束"
    )
    assert not policy.can(org.staff_secret, "read_content", carrier)
