"""Contractors, 保密资质 and engagements through their services (SUP-13, R-SITE-3)."""

from __future__ import annotations

import datetime as dt

import pytest

from baomi.access.errors import AccessDenied
from baomi.audit.events import AuditEvent
from baomi.contractors import selectors, services
from baomi.contractors.events import ContractorsEvent
from baomi.contractors.models import Contractor, Engagement, Qualification
from baomi.core.errors import InvalidTransition, ValidationFailed
from baomi.core.levels import Level
from tests.support.assertions import assert_audited, last_audit_id
from tests.support.registers import contractor, today

pytestmark = pytest.mark.django_db


def _engage(org, c, **kw):
    args = {"kind": "repair", "level": Level.SECRET, "scope": "涉密计算机维修", "agreement_ref": "保协1号",
            "agreement_signed_on": today(), "starts_on": today(), "ends_on": today() + dt.timedelta(days=30),
            "responsible": org.security_officer}  # fmt: skip
    args.update(kw)
    return services.start_engagement(org.security_officer, c, **args)


def test_register_a_contractor_with_a_qualification(org):
    c = contractor(org)
    q = Qualification.objects.get(contractor=c)
    assert (
        q.state() == "valid" and q.covers("repair", Level.SECRET) and not q.covers("repair", Level.TOP_SECRET)
    )
    assert_audited(ContractorsEvent.CONTRACTOR_REGISTERED, c, org.security_officer)
    assert_audited(ContractorsEvent.QUALIFICATION_ADDED, q, org.security_officer)


@pytest.mark.parametrize("code", ["9111010", "91110108MA01ABCD3Z", "91110108ma01abcd3O", ""])
def test_a_malformed_credit_code_is_refused_in_chinese(org, code):
    with pytest.raises(ValidationFailed) as err:
        services.register_contractor(org.security_officer, name="某公司", credit_code=code)
    assert "credit_code" in err.value.fields and "统一社会信用代码" in str(err.value)
    assert not Contractor.objects.exists()


def test_duplicates_are_refused(org):
    contractor(org)
    with pytest.raises(ValidationFailed):
        services.register_contractor(
            org.security_officer, name="某维修公司", credit_code="91110108MA01ABCD4X"
        )
    with pytest.raises(ValidationFailed):
        services.register_contractor(org.security_officer, name="另一公司", credit_code="91110108MA01ABCD3X")


def test_an_engagement_needs_a_covering_current_qualification(org):
    """R-SITE-3: kind, grade and validity must cover the work; the agreement comes first."""
    c = contractor(org)
    e = _engage(org, c)
    assert e.qualification.kind == "repair"
    assert_audited(ContractorsEvent.ENGAGEMENT_STARTED, e, org.security_officer)
    with pytest.raises(ValidationFailed) as err:
        _engage(org, c, level=Level.TOP_SECRET, responsible=org.security_officer)  # 乙级 stops at 机密
    assert "contractor" in err.value.fields
    with pytest.raises(ValidationFailed):
        _engage(org, c, kind="destruction")
    with pytest.raises(ValidationFailed) as err:
        _engage(org, c, ends_on=today() - dt.timedelta(days=1))
    assert "ends_on" in err.value.fields
    with pytest.raises(ValidationFailed) as err:
        _engage(org, c, agreement_ref=" ")
    assert "agreement_ref" in err.value.fields
    assert Engagement.objects.count() == 1
    services.close_engagement(org.security_officer, e, result="已完成维修")
    with pytest.raises(InvalidTransition):
        services.close_engagement(org.security_officer, e, result="again")


def test_an_expired_qualification_cannot_be_chosen(org):
    """SUP-13: expired → not offered, and refused if named anyway."""
    c = contractor(org, expires_in=-1)
    assert not selectors.qualified_contractors("repair", Level.SECRET).exists()
    with pytest.raises(ValidationFailed) as err:
        services.require_qualified(c, "repair", Level.SECRET)
    assert "过期" in str(err.value)
    with pytest.raises(ValidationFailed):
        _engage(org, c)


def test_a_suspended_or_revoked_contractor_cannot_be_chosen(org):
    c = contractor(org)
    assert list(selectors.qualified_contractors("repair", Level.SECRET)) == [c]
    services.suspend_contractor(org.security_officer, c, reason="违规")
    assert not selectors.qualified_contractors("repair", Level.SECRET).exists()
    with pytest.raises(ValidationFailed):
        services.require_qualified(c, "repair", Level.SECRET)
    services.reinstate_contractor(org.security_officer, c, reason="整改完毕")
    services.revoke_qualification(org.security_officer, c.qualifications.get(), reason="发证机关撤销")
    assert not selectors.qualified_contractors("repair", Level.SECRET).exists()


def test_qualification_dates_and_numbers(org):
    c = contractor(org)
    with pytest.raises(ValidationFailed) as err:
        services.add_qualification(org.security_officer, c, kind="repair", grade="grade_a", number="X-1",
                                   issued_on=today(), expires_on=today())  # fmt: skip
    assert "expires_on" in err.value.fields
    with pytest.raises(ValidationFailed) as err:
        services.add_qualification(org.security_officer, c, kind="repair", grade="grade_a", number="Q-ABCD3X",
                                   issued_on=today(), expires_on=today() + dt.timedelta(days=9))  # fmt: skip
    assert "number" in err.value.fields


def test_only_the_security_officer_manages_contractors(org):
    since = last_audit_id()
    with pytest.raises(AccessDenied):
        services.register_contractor(org.unit_head, name="x", credit_code="91110108MA01ABCD3X")
    assert_audited(AuditEvent.ACCESS_DENIED, actor=org.unit_head, since=since)


def test_expiry_reminders_once_per_date_and_dashboard(org):
    from baomi.contractors.dashboard import tasks

    contractor(org, expires_in=10)
    contractor(org, name="已过期公司", code="91110108MA01ABCD5X", expires_in=-1)
    assert services.raise_reminders()["reminders"] == 2
    assert services.raise_reminders()["reminders"] == 0
    counts = {t["label"]: t["count"] for t in tasks(org.security_officer)}
    assert counts["即将到期的外协单位保密资质"] == 1
    assert tasks(org.staff_secret) == []
