"""The measured checks for the inspection template (SUP-1): one aggregate query each, counted
against a fixture whose answers were counted by hand — on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from baomi.carriers.models import Carrier
from baomi.contractors import services as contractors
from baomi.contractors.models import Contractor, Qualification
from baomi.core.levels import Level
from baomi.dataassets import services as data
from baomi.dataassets.models import DataAsset
from baomi.devices.models import Device
from baomi.meetings import services as meetings
from baomi.meetings.models import MeetingApproval, MeetingCarrier
from baomi.systems.models import InformationSystem
from tests.carriers.factories import make_carrier
from tests.support.assertions import assert_num_queries
from tests.support.registers import cabinet, contractor, device, place, system, today

pytestmark = pytest.mark.django_db
PAST = today() - dt.timedelta(days=5)
FUTURE = today() + dt.timedelta(days=40)


@pytest.fixture
def fixture(org):
    # -- carriers and places: 3 carriers in 2 unregistered places ------------------------------
    p = place(org)
    cab = cabinet(org, p, number="A-01", name="保密柜A-01")
    make_carrier(org, Level.SECRET)  # the factory's words name the cabinet: linked, not counted
    for words in ("走廊柜", "走廊 柜", "办公桌抽屉"):  # "走廊 柜" is other words: 3 distinct as written
        c = make_carrier(org, Level.SECRET)
        Carrier.objects.filter(pk=c.pk).update(cabinet=None, storage_place=words)
    gone = make_carrier(org, Level.SECRET)
    Carrier.objects.filter(pk=gone.pk).update(
        cabinet=None, storage_place="走廊柜", status="destroyed"
    )  # not counted
    empty = make_carrier(org, Level.SECRET)
    Carrier.objects.filter(pk=empty.pk).update(cabinet=None, storage_place="")  # not counted
    assert cab.pk
    # -- devices: 2 in use past their check, 1 of them removable ---------------------------------
    for asset, kind, serial, status, due in [("U-1", "usb_drive", "S1", "in_use", PAST),
                                             ("PC-1", "computer", "W1", "in_use", PAST),
                                             ("U-2", "usb_drive", "S2", "in_use", FUTURE),
                                             ("U-3", "usb_drive", "S3", "lost", PAST)]:  # fmt: skip
        d = device(org, asset=asset, kind=kind, serial=serial)
        Device.objects.filter(pk=d.pk).update(status=status, next_check_on=due)
    # -- systems: 2 live and overdue, 1 of them after a change ---------------------------------
    for code, status, due, changed in [("S-1", "live", PAST, PAST), ("S-2", "live", PAST, None),
                                       ("S-3", "live", FUTURE, None), ("S-4", "planning", PAST, None)]:  # fmt: skip
        s = system(org, code=code)
        InformationSystem.objects.filter(pk=s.pk).update(
            status=status, next_assessment_on=due, reassess_since=changed
        )
    # -- data: 2 important or core overdue, 1 of them core ----------------------------------------
    for code, grade, status, due in [("D-1", "important", "active", PAST), ("D-2", "core", "active", PAST),
                                     ("D-3", "important", "active", FUTURE), ("D-4", "important", "retired", PAST),
                                     ("D-5", "general", "active", PAST)]:  # fmt: skip
        a = data.register_asset(org.security_officer, name=code, code=code, category="business", grade=grade,
                                department=org.departments["OFFICE"], owner=org.dept_head, officer=org.staff_secret,
                                measures="加密")  # fmt: skip
        DataAsset.objects.filter(pk=a.pk).update(status=status, next_assessment_on=due)
    # -- contractors: 2 expired, 1 still relied on by an open engagement -------------------------
    relied = contractor(org, name="甲", code="91110108MA01ABCD1X")
    contractors.start_engagement(org.security_officer, relied, kind="repair", level=Level.SECRET, scope="维修",
                                 agreement_ref="协1", agreement_signed_on=today(), starts_on=today(),
                                 ends_on=FUTURE, responsible=org.security_officer)  # fmt: skip
    contractor(org, name="乙", code="91110108MA01ABCD2X")
    revoked = contractor(org, name="丙", code="91110108MA01ABCD3X")
    suspended = contractor(org, name="丁", code="91110108MA01ABCD4X")
    contractor(org, name="戊", code="91110108MA01ABCD5X")  # valid: not counted
    Qualification.objects.exclude(contractor__name="戊").update(expires_on=PAST)
    Qualification.objects.filter(contractor=revoked).update(revoked_at=timezone.now())
    Contractor.objects.filter(pk=suspended.pk).update(status="suspended")
    # -- meetings: 2 carriers out after 2 ended meetings; one recovered and a future one not counted
    now = timezone.now()
    venue = place(org, code="KP-M", kind="meeting_room")
    copies = make_carrier(
        org, Level.SECRET, custodian=org.security_officer, scope=[org.case_handler], copies=4
    )
    for i, (ends, out) in enumerate([(now - dt.timedelta(hours=1), ["handed", "recovered"]),
                                     (now - dt.timedelta(hours=1), ["requested"]),
                                     (now + dt.timedelta(hours=3), ["handed"])]):  # fmt: skip
        m = meetings.plan_meeting(org.security_officer, title=f"会{i}", level=Level.SECRET, plan="方案", venue=venue,
                                  starts_at=ends - dt.timedelta(hours=2), ends_at=ends)  # fmt: skip
        att = meetings.add_attendee(org.security_officer, m, user=org.case_handler)
        issues = [
            meetings.issue_carrier(org.security_officer, m, carrier=copies.pop(), attendee=att) for _ in out
        ]
        if "handed" in out:
            meetings.approve_meeting(org.unit_head, MeetingApproval.objects.get(meeting=m))
            for issue, what in zip(issues, out, strict=True):
                meetings.hand_out(org.security_officer, issue)
                if what == "recovered":
                    meetings.recover_carrier(org.security_officer, issue)
    assert MeetingCarrier.objects.count() == 4
    return org


EXPECTED = {
    "carriers.unregistered_places": {"count": 3, "places": 3},
    "devices.past_check": {"count": 2, "media": 1},
    "systems.overdue_assessments": {"count": 2, "after_change": 1},
    "dataassets.overdue_assessments": {"count": 2, "core": 1},
    "contractors.expired_qualifications": {"count": 2, "relied_on": 1},
    "meetings.unrecovered_carriers": {"count": 2, "meetings": 2},
}


def _measures():
    from baomi.carriers.queries import measure_unregistered_places
    from baomi.contractors.selectors import measure_expired_qualifications
    from baomi.dataassets.selectors import measure_overdue_assessments as data_overdue
    from baomi.devices.selectors import measure_past_check
    from baomi.meetings.selectors import measure_unrecovered_carriers
    from baomi.systems.selectors import measure_overdue_assessments as systems_overdue

    return {
        "carriers.unregistered_places": measure_unregistered_places,
        "devices.past_check": measure_past_check,
        "systems.overdue_assessments": systems_overdue,
        "dataassets.overdue_assessments": data_overdue,
        "contractors.expired_qualifications": measure_expired_qualifications,
        "meetings.unrecovered_carriers": measure_unrecovered_carriers,
    }


def test_each_measure_is_one_aggregate_query_and_counts_what_was_counted_by_hand(fixture):
    found = {}
    for key, func in _measures().items():
        with assert_num_queries(1):
            found[key] = func()
    assert found == EXPECTED


def test_an_empty_unit_passes_every_check(org):
    for key, func in _measures().items():
        assert func()["count"] == 0, key


PROBES = {
    "carriers.unregistered_places": 3,
    "devices.past_check": 2,
    "systems.overdue_assessments": 2,
    "dataassets.overdue_assessments": 2,
    "contractors.expired_qualifications": 2,
    "meetings.unrecovered_carriers": 2,
}


def test_the_registers_probes_for_the_inspection_template(fixture):
    """The same checks as probes of ``baomi.kit.probes`` (the inspections app's registry): one
    statement each, the count and the first exceptions."""
    from baomi.kit import probes

    for key, count in PROBES.items():
        with assert_num_queries(1):
            m = probes.measure(key, today())
        assert m.count == count, key
        assert len(m.exceptions) == count and all(e["label"] for e in m.exceptions)
    assert probes.measure("sites.places_past_check", today() + dt.timedelta(days=400)).count == 2
