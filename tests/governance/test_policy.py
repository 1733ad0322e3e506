"""The governance policy matrix (ORG-2, SUP-9..11): the security office keeps the records;
everyone reads the bodies, regulations, plans and education; statements are read by the
security office, oversight and the department's own head."""

from __future__ import annotations

import pytest

from baomi.access import policy
from baomi.governance import services
from tests.governance.factories import plan, regulation, today
from tests.support.assertions import assert_hidden, assert_visible

pytestmark = pytest.mark.django_db

PERSONAS = ["security_officer", "unit_head", "leading_group", "dept_head", "staff_secret", "staff_other_dept",
            "auditor", "sysadmin", "outsider"]  # fmt: skip

GLOBAL = {
    "governance": set(PERSONAS),  # SUP-10: everyone reads the regime's records
    "manage_governance": {"security_officer"},  # ORG-2
    "statements_list": {"security_officer", "unit_head", "leading_group", "dept_head"},
}


@pytest.mark.parametrize("action", sorted(GLOBAL))
def test_global_matrix(org, action):
    for persona in PERSONAS:
        assert policy.can(getattr(org, persona), action) is (persona in GLOBAL[action]), persona


def test_records_are_read_by_all_and_kept_by_the_security_office(org):
    so = org.security_officer
    records = [
        regulation(org), plan(org),
        services.appoint_member(so, body="security_office", user=org.staff_secret, position="staff"),
        services.create_campaign(so, title="宣传月", starts_on=today(), ends_on=today()),
        services.record_event(so, kind="film", title="警示教育片", held_on=today()),
    ]  # fmt: skip
    records.append(services.record_drill(so, records[1], held_on=today(), scenario="演练", findings="良好",
                                         other_participants="全体"))  # fmt: skip
    records.append(records[0].versions.get())
    for obj in records:
        for persona in PERSONAS:
            assert_visible(getattr(org, persona), obj, "view")
            if persona == "security_officer":
                assert_visible(so, obj, "manage")
            else:
                assert_hidden(getattr(org, persona), obj, "manage")


def test_statement_matrix(org):
    """ORG-2: the OFFICE statement is read by the 保密办, oversight and OFFICE's head only."""
    st = services.issue_statement(
        org.security_officer, department=org.departments["OFFICE"], year=today().year
    )
    readers = {"security_officer", "unit_head", "leading_group", "dept_head"}
    for persona in PERSONAS:
        user = getattr(org, persona)
        (assert_visible if persona in readers else assert_hidden)(user, st, "view")
        (assert_visible if persona == "security_officer" else assert_hidden)(user, st, "manage")
