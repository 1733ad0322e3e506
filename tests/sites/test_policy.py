"""Who sees and manages key departments, places, cabinets and checks (SUP-5); ``can`` and its
SQL twin ``visible`` agree (STYLE 2.10)."""

from __future__ import annotations

import pytest

from baomi.access import policy
from baomi.core.levels import Level
from baomi.sites import services
from baomi.sites.models import KeyDepartment
from tests.support.assertions import assert_hidden, assert_visible
from tests.support.registers import cabinet, place, today

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(org):
    p = place(org, responsible=org.staff_secret)  # OFFICE, headed by dept_head
    cab = cabinet(org, p, custodian=org.case_handler)
    chk = services.plan_check(org.security_officer, p, planned_on=today())
    return p, cab, chk


@pytest.mark.parametrize(
    ("persona", "sees"),
    [("security_officer", True), ("unit_head", True), ("leading_group", True), ("dept_head", True),
     ("staff_secret", True), ("case_handler", True), ("staff_confidential", False), ("outsider", False),
     ("sysadmin", False), ("auditor", False)],
)  # fmt: skip
def test_who_sees_a_place_its_cabinets_and_checks(org, site, persona, sees):
    """Overseers, the department head, the responsible person and a cabinet's custodian."""
    user = getattr(org, persona)
    for obj in site:
        (assert_visible if sees else assert_hidden)(user, obj, "view")


def test_only_the_security_officer_manages(org, site):
    p, cab, _chk = site
    for persona in ("unit_head", "dept_head", "staff_secret", "sysadmin"):
        assert_hidden(getattr(org, persona), p, "manage")
        assert_hidden(getattr(org, persona), cab, "manage")
    assert_visible(org.security_officer, p, "manage")
    assert_visible(org.security_officer, cab, "manage")


def test_the_responsible_person_checks_their_place(org, site):
    """SUP-5: self-check by the responsible person; the security office checks any place."""
    p, _cab, chk = site
    assert_visible(org.staff_secret, p, "check")
    assert_visible(org.staff_secret, chk, "record")
    assert_hidden(org.dept_head, p, "check")
    assert_hidden(org.dept_head, chk, "record")
    assert_visible(org.security_officer, chk, "record")


def test_place_metadata_is_exempt_from_clearance_but_checking_is_not(org):
    """A 绝密 place's row is registry metadata; going in to check it needs the clearance."""
    p = place(
        org, code="KP-TS", level=Level.TOP_SECRET, responsible=org.security_officer, department="OFFICE"
    )
    assert_visible(org.dept_head, p, "view")  # head of OFFICE, cleared 机密
    chk = services.plan_check(org.security_officer, p, planned_on=today())
    assert_visible(org.security_officer, chk, "record")


def test_key_department_visibility(org):
    kd = services.designate_department(org.security_officer, department=org.departments["OFFICE"],
                                       level=Level.SECRET, responsible=org.staff_secret)  # fmt: skip
    for persona in ("security_officer", "unit_head", "dept_head", "staff_secret"):
        assert_visible(getattr(org, persona), kd, "view")
    for persona in ("outsider", "staff_confidential", "sysadmin"):
        assert_hidden(getattr(org, persona), kd, "view")
    assert_visible(org.security_officer, kd, "manage")
    assert_hidden(org.unit_head, kd, "manage")
    assert isinstance(KeyDepartment.objects.first(), KeyDepartment)


@pytest.mark.parametrize(
    ("persona", "browse", "manage"),
    [("security_officer", True, True), ("unit_head", True, False), ("dept_head", True, False),
     ("staff_secret", False, False), ("outsider", False, False), ("sysadmin", False, False)],
)  # fmt: skip
def test_global_actions(org, persona, browse, manage):
    user = getattr(org, persona)
    assert policy.can(user, "sites_browse") is browse
    assert policy.can(user, "sites_manage") is manage


def test_a_responsible_person_browses_once_named(org):
    assert not policy.can(org.staff_confidential, "sites_browse")
    place(org, code="KP-C", level=Level.CONFIDENTIAL, responsible=org.staff_confidential)
    org.staff_confidential.forget_posts()
    assert policy.can(org.staff_confidential, "sites_browse")
