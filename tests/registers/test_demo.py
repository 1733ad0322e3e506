"""The registers' demo data (issue 16 §8): every register has rows in ``make run``, consistent
with the carriers demo — cabinets that hold the demo carriers, a meeting with one carrier not
yet recovered, a system whose assessment is overdue — and the measured checks find what the
demo set up (SUP-1, SUP-4..8, SUP-12, SUP-13)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from baomi.carriers.models import Carrier
from baomi.contractors.models import Contractor, Engagement, Qualification
from baomi.dataassets.models import DataAsset
from baomi.devices.models import Device
from baomi.kit import probes
from baomi.meetings.models import Meeting, MeetingCarrier
from baomi.sites.models import Cabinet, KeyDepartment, KeyPlace, PlaceCheck
from baomi.systems.models import InformationSystem
from baomi.visitors.models import Visit

pytestmark = pytest.mark.django_db


def test_the_demo_fills_every_register_and_feeds_the_measured_checks(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from baomi.kit import demo

    demo.load()
    for model in (KeyDepartment, KeyPlace, Cabinet, PlaceCheck, Device, InformationSystem, DataAsset, Meeting,
                  Visit, Contractor, Qualification, Engagement):  # fmt: skip
        assert model.objects.exists(), model.__name__
    # R-CAR-12: the demo carriers are kept in registered cabinets; 绝密 ones in a place confirmed for 绝密.
    kept = Carrier.objects.exclude(cabinet=None)
    assert kept.count() >= 5
    assert not kept.filter(level="top_secret").exclude(cabinet__place__level="top_secret").exists()
    # R-SITE-2: one carrier issued at the meeting is not back yet.
    out = MeetingCarrier.objects.filter(recovered_at=None, handed_out_at__isnull=False)
    assert out.count() == 1 and MeetingCarrier.objects.exclude(recovered_at=None).exists()
    day = timezone.localdate()
    found = {key: probes.measure(key, day).count for key in (
        "sites.places_past_check", "devices.past_check", "systems.overdue_assessments",
        "contractors.expired_qualifications", "dataassets.overdue_assessments")}  # fmt: skip
    # The archive's check, U-31's check, the office network's biennial assessment, the printing
    # company's qualification — one each; the important statistics fall due next month.
    assert found == {"sites.places_past_check": 1, "devices.past_check": 1, "systems.overdue_assessments": 1,
                     "contractors.expired_qualifications": 1, "dataassets.overdue_assessments": 0}  # fmt: skip
