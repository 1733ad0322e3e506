from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from baomi.core.levels import Level
from baomi.meetings import services
from tests.carriers.factories import make_carrier
from tests.support.registers import place


@pytest.fixture
def meeting(org):
    """A 机密 meeting organised by the security officer in a confirmed key place, with
    case_handler (cleared 机密) on the list."""
    venue = place(org, code="KP-M", kind="meeting_room", responsible=org.staff_secret)
    now = timezone.now()
    m = services.plan_meeting(org.security_officer, title="专题会议", level=Level.SECRET, plan="会前提醒，会后清点收回",
                              venue=venue, starts_at=now - dt.timedelta(hours=2), ends_at=now - dt.timedelta(hours=1))  # fmt: skip
    m.attendee = services.add_attendee(org.security_officer, m, user=org.case_handler)  # type: ignore[attr-defined]
    return m


@pytest.fixture
def copies(org):
    """Two paper copies kept by the security office, case_handler in the item's scope."""
    return make_carrier(org, Level.SECRET, custodian=org.security_officer, scope=[org.case_handler], copies=2)
