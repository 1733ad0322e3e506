"""Key departments, places, cabinets and checks through their services (SUP-5, R-SITE-1)."""

from __future__ import annotations

import datetime as dt

import pytest

from baomi.access.errors import AccessDenied
from baomi.audit.events import AuditEvent
from baomi.core.errors import InvalidTransition, ValidationFailed
from baomi.core.levels import Level
from baomi.sites import services
from baomi.sites.events import SitesEvent
from baomi.sites.models import Cabinet, KeyDepartment, KeyPlace, PlaceCheck
from tests.support.assertions import assert_audited, last_audit_id
from tests.support.registers import cabinet, place, today

pytestmark = pytest.mark.django_db


def test_register_and_confirm_a_key_place(org):
    """A key place is registered with level, responsible person and measures, awaits the
    保密局's confirmation, and is confirmed with date and reference (R-SITE-1)."""
    p = place(org, confirmed=False, cctv=True)
    assert p.status == "proposed"
    assert p.measures() == ["门禁", "视频监控"]
    assert not p.holds_top_secret()
    assert_audited(SitesEvent.KEY_PLACE_REGISTERED, p, org.security_officer)
    services.confirm_place(org.security_officer, p, confirmed_on=today(), reference="市保函〔2026〕3号")
    p.refresh_from_db()
    assert p.status == "confirmed" and p.confirmation_ref == "市保函〔2026〕3号"
    assert p.next_check_on is not None
    assert_audited(SitesEvent.KEY_PLACE_CONFIRMED, p, org.security_officer)


def test_only_a_place_confirmed_for_top_secret_keeps_top_secret(org):
    """R-CAR-12: designated for 绝密 *and* confirmed."""
    p = place(org, code="KP-TS", level=Level.TOP_SECRET, responsible=org.security_officer, confirmed=False)
    assert not p.holds_top_secret()
    services.confirm_place(org.security_officer, p, confirmed_on=today(), reference="r")
    p.refresh_from_db()
    assert p.holds_top_secret()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": "KP-01"}, "code"),  # duplicate code
        ({"level": Level.WORK_SECRET}, "level"),  # not a state secret
        ({"responsible": "outsider"}, "responsible"),  # not cleared for 机密
        ({"name": "  "}, "name"),
        ({"check_months": 0}, "check_months"),
    ],
)
def test_bad_place_input_is_refused_and_changes_nothing(org, changes, field):
    """Bad input gets a Chinese message on its field and writes nothing (SEC-7)."""
    place(org)
    before, since = KeyPlace.objects.count(), last_audit_id()
    kwargs = {"name": "新部位", "code": "KP-02", "kind": "archive", "department": org.departments["OFFICE"],
              "level": Level.SECRET, "responsible": org.staff_secret}  # fmt: skip
    kwargs.update({k: getattr(org, v) if k == "responsible" else v for k, v in changes.items()})
    with pytest.raises(ValidationFailed) as err:
        services.register_place(org.security_officer, **kwargs)
    assert field in err.value.fields
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(err.value)), str(err.value)
    assert KeyPlace.objects.count() == before
    from baomi.audit.models import AuditEntry

    assert not AuditEntry.objects.filter(id__gt=since, event=int(SitesEvent.KEY_PLACE_REGISTERED)).exists()


def test_only_the_security_officer_registers_places(org):
    """SUP-5: the security office keeps the register; the refusal is audited after rollback."""
    since = last_audit_id()
    with pytest.raises(AccessDenied):
        place(org, code="KP-X")
        services.register_place(org.dept_head, name="x", code="KP-9", kind="archive",
                                department=org.departments["OFFICE"], level=Level.SECRET, responsible=org.dept_head)  # fmt: skip
    assert not KeyPlace.objects.filter(code="KP-9").exists()
    assert_audited(AuditEvent.ACCESS_DENIED, actor=org.dept_head, outcome="denied", since=since)


def test_cabinets_stay_within_their_place(org):
    """A cabinet's level never exceeds its place's; its custodian is cleared for it; numbers
    are unique (SUP-5)."""
    p = place(org)
    cab = cabinet(org, p)
    assert cab.level == Level.SECRET
    assert_audited(SitesEvent.CABINET_ADDED, cab, org.security_officer)
    with pytest.raises(ValidationFailed) as err:
        cabinet(org, p, number="A-02", level=Level.TOP_SECRET)
    assert "level" in err.value.fields
    with pytest.raises(ValidationFailed) as err:
        cabinet(org, p, number="A-02", custodian=org.outsider)
    assert "custodian" in err.value.fields
    with pytest.raises(ValidationFailed) as err:
        cabinet(org, p, number="A-01")
    assert "number" in err.value.fields
    assert Cabinet.objects.count() == 1


def test_a_place_with_cabinets_in_use_is_not_revoked(org):
    p = place(org)
    cab = cabinet(org, p)
    with pytest.raises(ValidationFailed):
        services.revoke_place(org.security_officer, p, reason="撤销")
    services.retire_cabinet(org.security_officer, cab, reason="报废")
    services.revoke_place(org.security_officer, p, reason="撤销")
    p.refresh_from_db()
    assert p.status == "revoked"
    with pytest.raises(InvalidTransition):
        services.confirm_place(org.security_officer, p, confirmed_on=today(), reference="x")


def test_lowering_a_place_below_its_cabinets_is_refused(org):
    p = place(org, level=Level.TOP_SECRET, responsible=org.security_officer)
    cabinet(org, p, custodian=org.security_officer)
    with pytest.raises(ValidationFailed) as err:
        services.update_place(org.security_officer, p, name=p.name, kind=p.kind, department=p.department,
                              level=Level.SECRET, responsible=org.security_officer)  # fmt: skip
    assert "level" in err.value.fields


def test_checks_pass_or_find_and_rectify(org):
    """A check passes, or its findings get a deadline and stay open until rectified; the
    place's next check follows the check date (SUP-5, SUP-1 整改)."""
    p = place(org)
    chk = services.plan_check(org.staff_secret, p, planned_on=today())  # the responsible person self-checks
    with pytest.raises(ValidationFailed) as err:
        services.record_check(org.staff_secret, chk, checked_on=today(), findings="门禁失效")
    assert "rectify_by" in err.value.fields
    services.record_check(org.staff_secret, chk, checked_on=today(), findings="门禁失效",
                          rectify_by=today() + dt.timedelta(days=10))  # fmt: skip
    chk.refresh_from_db()
    p.refresh_from_db()
    assert chk.status == "findings" and p.next_check_on > today()
    # The findings are rectified in THE rectification loop (SUP-1): the owner reports, the
    # office verifies, and the check follows (tests/sites/test_rectification_loop.py).
    from baomi.inspections import services as loop
    from baomi.inspections.models import RectificationTask

    task = RectificationTask.objects.get(finding__origin="sites.place_check", finding__origin_id=chk.pk)
    loop.submit_task(task.owner, task, report="已更换门禁")
    loop.verify_task(org.security_officer, task)
    chk.refresh_from_db()
    assert chk.status == "rectified"
    assert_audited(SitesEvent.PLACE_CHECK_RECTIFIED, chk, org.security_officer)
    ok = services.plan_check(org.security_officer, p, planned_on=today())
    services.record_check(org.security_officer, ok, checked_on=today())
    assert PlaceCheck.objects.get(pk=ok.pk).status == "passed"


def test_a_check_in_the_future_is_refused(org):
    chk = services.plan_check(org.security_officer, place(org), planned_on=today())
    with pytest.raises(ValidationFailed) as err:
        services.record_check(org.security_officer, chk, checked_on=today() + dt.timedelta(days=1))
    assert "checked_on" in err.value.fields


def test_key_departments_are_designated_once_and_confirmed(org):
    kd = services.designate_department(org.security_officer, department=org.departments["OFFICE"],
                                       level=Level.SECRET, responsible=org.dept_head)  # fmt: skip
    with pytest.raises(ValidationFailed):
        services.designate_department(org.security_officer, department=org.departments["OFFICE"],
                                      level=Level.SECRET, responsible=org.dept_head)  # fmt: skip
    with pytest.raises(ValidationFailed) as err:
        services.confirm_department(org.security_officer, kd, confirmed_on=today(), reference=" ")
    assert "reference" in err.value.fields
    services.confirm_department(org.security_officer, kd, confirmed_on=today(), reference="市保函〔2026〕1号")
    services.update_department(org.security_officer, kd, level=Level.SECRET, responsible=org.staff_secret)
    services.revoke_department(org.security_officer, kd, reason="职能调整")
    kd.refresh_from_db()
    assert kd.status == "revoked" and kd.responsible == org.staff_secret
    assert KeyDepartment.objects.count() == 1
    assert_audited(SitesEvent.KEY_DEPARTMENT_REVOKED, kd, org.security_officer)


def test_reminders_are_raised_once_per_due_date(org):
    from baomi.sites.models import KeyPlace

    p = place(org)
    KeyPlace.objects.filter(pk=p.pk).update(next_check_on=today())
    assert services.raise_reminders()["reminders"] == 1
    assert services.raise_reminders()["reminders"] == 0
    assert_audited(SitesEvent.SITES_REMINDED, p)
