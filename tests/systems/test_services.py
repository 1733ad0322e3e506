"""Information systems through their services (SUP-7, R-SYS-1..4)."""

from __future__ import annotations

import datetime as dt

import pytest

from baomi.access.errors import AccessDenied
from baomi.core.errors import InvalidTransition, ValidationFailed
from baomi.core.levels import Level
from baomi.systems import selectors, services
from baomi.systems.events import SystemsEvent
from baomi.systems.models import InformationSystem
from tests.support.assertions import assert_audited
from tests.support.registers import device, system, today

pytestmark = pytest.mark.django_db


def test_the_grade_is_refused_below_what_is_registered_on_the_system(org):
    """R-SYS-1: the grade is the highest level held; a 机密 device makes a 秘密 grade wrong."""
    pc = device(org, asset="PC-1", kind="computer", serial="WD-1", level=Level.SECRET)
    with pytest.raises(ValidationFailed) as err:
        system(org, grade=Level.CONFIDENTIAL, devices=[pc])
    assert "grade" in err.value.fields and "机密" in str(err.value)
    assert not InformationSystem.objects.exists()
    s = system(org, grade=Level.SECRET, devices=[pc])
    assert selectors.highest_held(s) == Level.SECRET
    with pytest.raises(ValidationFailed):
        services.change_system(org.security_officer, s, grade=Level.CONFIDENTIAL, isolation=s.isolation,
                               users_scope=s.users_scope, user_count=s.user_count, system_admin=org.case_handler,
                               security_admin=org.security_officer, auditor=org.staff_secret, devices=[pc])  # fmt: skip


def test_an_office_system_holds_no_state_secret(org):
    """R-SYS-4."""
    with pytest.raises(ValidationFailed) as err:
        system(org, kind="office", grade=Level.CONFIDENTIAL)
    assert "grade" in err.value.fields
    s = system(org, kind="office", grade=Level.INTERNAL, code="BG-1", live=True)
    assert s.status == "live" and s.next_assessment_on is None


def test_three_different_cleared_administrators(org):
    from baomi.systems import services as s

    base = {"name": "x", "code": "X", "kind": "classified", "grade": Level.SECRET, "department": org.departments["OFFICE"],
            "isolation": "隔离", "users_scope": "办公室"}  # fmt: skip
    with pytest.raises(ValidationFailed) as err:
        s.register_system(org.security_officer, system_admin=org.case_handler, security_admin=org.case_handler,
                          auditor=org.staff_secret, **base)  # fmt: skip
    assert "三员分立" in str(err.value)
    with pytest.raises(ValidationFailed):
        s.register_system(org.security_officer, system_admin=org.outsider, security_admin=org.security_officer,
                          auditor=org.staff_secret, **base)  # fmt: skip


def test_going_live_needs_evaluation_and_approval(org):
    """R-SYS-2: 测评 then the 保密局's approval; a failed one moves nothing."""
    s = system(org)
    with pytest.raises(InvalidTransition) as err:
        services.go_live(org.security_officer, s)
    assert "检测评估" in str(err.value)
    services.record_review(org.security_officer, s, kind="evaluation", body="测评中心", reference="r1", held_on=today(),
                           outcome="failed")  # fmt: skip
    s.refresh_from_db()
    assert s.status == "planning"
    with pytest.raises(InvalidTransition):
        services.record_review(org.security_officer, s, kind="approval", body="保密局", reference="r2", held_on=today(),
                               outcome="passed")  # fmt: skip
    services.record_review(org.security_officer, s, kind="evaluation", body="测评中心", reference="r3", held_on=today(),
                           outcome="passed")  # fmt: skip
    services.record_review(org.security_officer, s, kind="approval", body="保密局", reference="r4", held_on=today(),
                           outcome="passed")  # fmt: skip
    s = services.go_live(org.security_officer, s)
    assert s.status == "live"
    assert_audited(SystemsEvent.SYSTEM_LIVE, s, org.security_officer)


@pytest.mark.parametrize(
    ("grade", "months"), [(Level.TOP_SECRET, 12), (Level.SECRET, 24), (Level.CONFIDENTIAL, 24)]
)
def test_risk_assessment_cadence(org, grade, months):
    """R-SYS-3: 绝密 yearly, 机密/秘密 every two years."""
    from baomi.registers.dates import add_months

    if grade == Level.TOP_SECRET:
        from baomi.accounts import services as accounts

        for person in (org.case_handler, org.staff_secret):  # the administrators must reach 绝密
            accounts.set_clearance(None, person, Level.TOP_SECRET, bootstrap=True)
            person.refresh_from_db()
    s = system(org, grade=grade, live=True)
    day = today() - dt.timedelta(days=10)
    ra = services.record_assessment(org.security_officer, s, assessed_on=day, reason="periodic", assessor="测评中心",
                                    outcome="passed")  # fmt: skip
    assert ra.next_due_on == add_months(day, months)
    s.refresh_from_db()
    assert s.next_assessment_on == ra.next_due_on


def test_a_change_of_users_makes_an_assessment_due_now_and_an_assessment_clears_it(org):
    s = system(org, live=True)
    services.change_system(org.security_officer, s, grade=s.grade, isolation=s.isolation, users_scope="办公室和财务科",
                           user_count=9, system_admin=org.case_handler, security_admin=org.security_officer,
                           auditor=org.staff_secret)  # fmt: skip
    s.refresh_from_db()
    assert s.reassess_since == today() and s.next_assessment_on == today()
    assert s in selectors.assessments_overdue(org.security_officer, on=today() + dt.timedelta(days=1))
    services.record_assessment(org.security_officer, s, assessed_on=today(), reason="users_change", assessor="本单位",
                               outcome="passed")  # fmt: skip
    s.refresh_from_db()
    assert s.reassess_since is None and s.next_assessment_on > today()


def test_overdue_assessments_remind_and_show_on_the_dashboard(org):
    from baomi.systems.dashboard import tasks

    s = system(org, live=True)
    InformationSystem.objects.filter(pk=s.pk).update(next_assessment_on=today() - dt.timedelta(days=3))
    assert services.raise_reminders()["reminders"] == 1
    assert services.raise_reminders()["reminders"] == 0
    counts = {t["label"]: t["count"] for t in tasks(org.security_officer)}
    assert counts["逾期未做的系统风险评估"] == 1
    # Due soon: from today to the reminder lead time, neither overdue nor later.
    from django.conf import settings

    lead = settings.REGISTERS_REMINDER_DAYS
    for days in (0, lead, lead + 1):
        other = system(org, code=f"SM-D{days}", live=True)
        InformationSystem.objects.filter(pk=other.pk).update(
            next_assessment_on=today() + dt.timedelta(days=days)
        )
    counts = {t["label"]: t["count"] for t in tasks(org.security_officer)}
    assert counts["逾期未做的系统风险评估"] == 1 and counts["即将到期的系统风险评估"] == 2


def test_the_system_administrator_records_patches_and_drills_not_others(org):
    s = system(org, live=True)
    services.record_patch(org.case_handler, s, applied_on=today(), reference="KB-1")
    services.record_drill(
        org.case_handler, s, held_on=today(), scenario="断电", outcome="passed", recovery_minutes=30
    )
    with pytest.raises(AccessDenied):
        services.record_patch(org.staff_secret, s, applied_on=today(), reference="KB-2")  # the auditor
    with pytest.raises(ValidationFailed):
        services.record_patch(
            org.case_handler, s, applied_on=today() + dt.timedelta(days=1), reference="KB-3"
        )
    assert s.patches.count() == 1 and s.drills.count() == 1
