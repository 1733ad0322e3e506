"""The registers' measured checks in an inspection checklist (SUP-1, issue 16 §8): the unit's
checklist is the default one plus one measured item per register probe, in the probe's Art 58
area; a run on it measures them from the registers at once."""

from __future__ import annotations

import datetime as dt

import pytest

from baomi.devices.models import Device
from baomi.inspections import services
from baomi.inspections.models import CheckItem
from baomi.inspections.register_checklist import ITEMS, unit_checklist
from baomi.inspections.selectors import default_template
from baomi.kit import probes
from tests.support.registers import device, today

pytestmark = pytest.mark.django_db


def test_the_unit_checklist_measures_the_registers(org):
    officer = org.security_officer
    checklist = unit_checklist(officer)
    assert checklist is not None and checklist.status == "published" and not checklist.is_default
    assert default_template().pk != checklist.pk  # the shipped default stays as it was
    added = {i.probe: i.area.number for i in CheckItem.objects.filter(area__template=checklist)
             if i.probe in {key for key, *_rest in ITEMS}}  # fmt: skip
    assert added == {key: probes.get(key).area for key, *_rest in ITEMS}
    late = device(org)  # a U盘 in use whose half-yearly check fell due last week
    Device.objects.filter(pk=late.pk).update(next_check_on=today() - dt.timedelta(days=7))
    run = services.open_run(officer, template=checklist, kind="ad_hoc", title="登记簿专项检查", lead=officer,
                            due_on=today() + dt.timedelta(days=7))  # fmt: skip
    answer = run.answers.get(item__probe="devices.past_check")
    assert answer.measured["count"] == 1 and answer.suggested == "non_compliant"
    assert run.answers.get(item__probe="systems.overdue_assessments").measured["count"] == 0
