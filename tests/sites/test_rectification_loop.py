"""A key place's or a device's check feeds THE rectification loop of inspections (SUP-1 整改,
SUP-5, SUP-6; issue 16 §1): its findings become a finding naming the check with a task — owner,
deadline, reminders, overdue, verification — and the check follows the loop. Through services,
API and pages; the migration that moved the checks' own rectification rows is
tests/sites/test_migration.py."""

from __future__ import annotations

import datetime as dt

import pytest

from baomi.access.errors import AccessDenied
from baomi.devices import services as devices
from baomi.inspections import services as loop
from baomi.inspections.events import InspectionEvent
from baomi.inspections.models import Finding, RectificationTask
from baomi.sites import services
from baomi.sites.events import SitesEvent
from baomi.sites.models import PlaceCheck
from tests.support.assertions import assert_audited
from tests.support.registers import device, place, today

pytestmark = pytest.mark.django_db


def _found(org, *, checker=None, days=10):
    p = place(org)
    checker = checker or org.security_officer
    chk = services.plan_check(checker, p, planned_on=today())
    services.record_check(checker, chk, checked_on=today(), findings="保密柜密码三个月未更换",
                          rectify_by=today() + dt.timedelta(days=days))  # fmt: skip
    return p, PlaceCheck.objects.get(pk=chk.pk)


def test_a_place_check_finding_opens_a_task_in_the_loop(org):
    """The finding names the check and its page; the task goes to the place's responsible person
    by the deadline; both are audited by the loop, the check's entry names the task."""
    p, chk = _found(org)
    finding = Finding.objects.get(origin="sites.place_check", origin_id=chk.pk)
    assert finding.run is None and finding.status == "rectifying"
    assert finding.origin_url == f"/sites/checks/{chk.pk}/" and p.name in finding.origin_label
    assert finding.department == p.department and finding.recorded_by == org.security_officer
    task = finding.tasks.get()
    assert task.owner == org.staff_secret and task.deadline == today() + dt.timedelta(days=10)
    assert task.status == "assigned" and task.measures == "保密柜密码三个月未更换"
    assert_audited(InspectionEvent.FINDING_RECORDED, finding, org.security_officer)
    assert_audited(InspectionEvent.TASK_ASSIGNED, task, org.security_officer)
    entry = assert_audited(SitesEvent.PLACE_CHECK_RECORDED, chk, org.security_officer)
    assert entry.details["task"] == task.pk


def test_a_passed_check_opens_nothing(org):
    p = place(org)
    chk = services.plan_check(org.security_officer, p, planned_on=today())
    services.record_check(org.security_officer, chk, checked_on=today())
    assert not Finding.objects.exists()


def test_the_check_is_rectified_when_the_loop_verifies(org):
    """The owner reports, the checker (in the inspector's place) returns it once, then verifies:
    the finding closes and the check is rectified in the same transaction."""
    _p, chk = _found(org)
    task = RectificationTask.objects.get(finding__origin_id=chk.pk)
    loop.submit_task(org.staff_secret, task, report="已更换密码")
    loop.return_task(org.security_officer, task, reason="未附更换记录")
    assert PlaceCheck.objects.get(pk=chk.pk).status == "findings"
    loop.submit_task(org.staff_secret, task, report="已更换密码，附记录")
    loop.verify_task(org.security_officer, task)
    assert Finding.objects.get(pk=task.finding_id).status == "closed"
    chk.refresh_from_db()
    assert chk.status == "rectified"
    entry = assert_audited(SitesEvent.PLACE_CHECK_RECTIFIED, chk, org.security_officer)
    assert entry.details["finding"] == task.finding_id


def test_nobody_verifies_their_own_task_and_outsiders_do_not_verify(org):
    """The responsible person checked their own place: they own the task and cannot verify it;
    the office does. Someone neither checker nor office cannot either."""
    _p, chk = _found(org, checker=org.staff_secret)
    task = RectificationTask.objects.get(finding__origin_id=chk.pk)
    loop.submit_task(org.staff_secret, task, report="已整改")
    for who in (org.staff_secret, org.unit_head, org.dept_head):
        with pytest.raises(AccessDenied):
            loop.verify_task(who, task)
    loop.verify_task(org.security_officer, task)
    assert PlaceCheck.objects.get(pk=chk.pk).status == "rectified"


def test_overdue_and_reminded_by_the_loop(org):
    """The loop's reminders and overdue marks apply; the register no longer reminds of it."""
    _p, chk = _found(org, days=0)
    RectificationTask.objects.filter(finding__origin_id=chk.pk).update(
        deadline=today() - dt.timedelta(days=1)
    )
    task = RectificationTask.objects.get(finding__origin_id=chk.pk)
    assert task.is_overdue()
    assert loop.raise_reminders()["tasks"] == 1
    assert services.raise_reminders()["reminders"] == 0  # the place's next check is months away


def test_a_device_check_with_a_problem_opens_a_task(org):
    """SUP-6: a problem goes into the loop, owned by the head of the device's department by
    default 30 days later; an OK check opens nothing."""
    d = device(org)
    devices.check_device(org.security_officer, d, checked_on=today(), result="ok")
    assert not Finding.objects.exists()
    chk = devices.check_device(org.security_officer, d, checked_on=today(), result="problem", note="封条破损")
    finding = Finding.objects.get(origin="devices.device_check", origin_id=chk.pk)
    task = finding.tasks.get()
    assert task.owner == org.dept_head and task.deadline == today() + dt.timedelta(days=30)
    assert finding.origin_url == f"/devices/{d.pk}/"
    loop.submit_task(org.dept_head, task, report="已更换封条")
    loop.verify_task(org.security_officer, task)
    assert Finding.objects.get(pk=finding.pk).status == "closed"


def test_the_check_api_shows_its_tasks(org, api_client):
    _p, chk = _found(org)
    api_client.force_authenticate(org.security_officer)
    body = api_client.get(f"/api/v1/place-checks/{chk.pk}/").json()
    [task] = body["rectification_tasks"]
    assert task["status"] == "assigned" and task["overdue"] is False
    assert task["deadline"] == (today() + dt.timedelta(days=10)).isoformat()
    # The loop's own API serves the task to its owner, who reports there.
    api_client.force_authenticate(org.staff_secret)
    r = api_client.get(f"/api/v1/inspections/tasks/{task['id']}/")
    assert r.status_code == 200
    finding = api_client.get(f"/api/v1/inspections/findings/{task['finding']}/").json()
    assert (
        finding["origin"] == "sites.place_check" and finding["origin_id"] == chk.pk and finding["run"] is None
    )


def test_the_check_page_and_the_task_page_link_each_other(org, client):
    _p, chk = _found(org)
    task = RectificationTask.objects.get(finding__origin_id=chk.pk)
    client.force_login(org.security_officer)
    page = client.get(f"/sites/checks/{chk.pk}/").content.decode()
    assert f"/inspections/rectification/{task.pk}/" in page and "已下达" in page
    page = client.get(f"/inspections/rectification/{task.pk}/").content.decode()
    assert f"/sites/checks/{chk.pk}/" in page
    listing = client.get("/inspections/rectification/").content.decode()
    assert f"/sites/checks/{chk.pk}/" in listing
