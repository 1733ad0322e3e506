"""Visits through their services (SUP-4): identity sealed and masked, approvals of key places
by their responsible persons before check-in, times in order, the closing-time list."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from baomi.access.errors import AccessDenied
from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditEntry
from baomi.core.errors import InvalidTransition, ValidationFailed
from baomi.vault.models import Blob
from baomi.visitors import selectors, services
from baomi.visitors.events import VisitorsEvent
from baomi.visitors.models import Visit, VisitApproval
from tests.support.assertions import assert_audited, last_audit_id
from tests.support.registers import RESIDENT_ID, place, visit

pytestmark = pytest.mark.django_db


def test_the_identity_number_is_sealed_and_shown_masked(org):
    """SUP-4: stored encrypted (a vault blob), only a masked form in the clear; reading it back
    is the security office's, and audited."""
    v = visit(org)
    assert v.id_masked == "**************0017"
    assert RESIDENT_ID not in json.dumps(list(Visit.objects.values()), default=str)
    assert Blob.objects.filter(pk=v.identity_id, wrapped_key__isnull=False).exists()
    since = last_audit_id()
    assert services.reveal_identity(org.security_officer, v) == RESIDENT_ID
    assert_audited(VisitorsEvent.VISITOR_IDENTITY_REVEALED, v, org.security_officer, since=since)
    assert_audited(AuditEvent.BLOB_READ, v, org.security_officer, since=since)
    with pytest.raises(AccessDenied):
        services.reveal_identity(org.staff_secret, v)  # not even the host
    assert not any(RESIDENT_ID in json.dumps(e.details) for e in AuditEntry.objects.all())


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        (
            {"expected_end": timezone.now() - dt.timedelta(hours=1)},
            "expected_end",
            "离开时间不能早于到达时间",
        ),
        ({"id_number": "110101198003070018"}, "id_number", "校验码不正确"),
        ({"id_number": "1101011980"}, "id_number", "18 位"),
        ({"id_type": "passport", "id_number": "E1"}, "id_number", "5 至 20 位"),
    ],
)
def test_bad_input_is_refused_in_chinese_and_changes_nothing(org, changes, field, words):
    """A visit that ends before it starts, or a wrong document number: a clear Chinese message
    on the field, nothing stored (SEC-7)."""
    blobs = Blob.objects.count()
    with pytest.raises(ValidationFailed) as err:
        visit(org, **changes)
    assert field in err.value.fields and words in str(err.value), str(err.value)
    assert not Visit.objects.exists() and Blob.objects.count() == blobs


def test_check_in_is_refused_until_the_place_responsible_approves(org):
    """SUP-4: a visit to a key place needs its responsible person's approval first."""
    p = place(org, responsible=org.dept_head)
    v = visit(org, places=[p])
    approval = VisitApproval.objects.get(visit=v)
    with pytest.raises(ValidationFailed) as err:
        services.check_in(org.security_officer, v)
    assert p.name in str(err.value) and "批准" in str(err.value)
    v.refresh_from_db()
    assert v.status == "registered"
    with pytest.raises(AccessDenied):
        services.approve_visit(org.staff_secret, approval)  # the host does not approve their own visit
    services.approve_visit(org.dept_head, approval, reason="同意")
    services.check_in(org.security_officer, v)
    v.refresh_from_db()
    assert v.status == "on_site" and v.checked_in_by == org.security_officer
    assert_audited(VisitorsEvent.VISIT_APPROVED, approval, org.dept_head)
    assert_audited(VisitorsEvent.VISITOR_CHECKED_IN, v, org.security_officer)


def test_a_refused_place_keeps_the_visitor_out(org):
    p = place(org, responsible=org.dept_head)
    v = visit(org, places=[p])
    services.reject_visit(org.dept_head, VisitApproval.objects.get(visit=v), reason="当日有涉密会议")
    with pytest.raises(ValidationFailed):
        services.check_in(org.staff_secret, v)


def test_the_unit_head_decides_when_the_responsible_person_is_the_host(org):
    p = place(org, responsible=org.staff_secret)
    v = visit(org, places=[p])  # hosted by staff_secret, the place's responsible person
    approval = VisitApproval.objects.get(visit=v)
    with pytest.raises(AccessDenied):
        services.approve_visit(org.staff_secret, approval)
    services.approve_visit(org.unit_head, approval)
    services.check_in(org.staff_secret, v)


def test_key_places_need_a_cleared_escort(org):
    p = place(org)
    with pytest.raises(ValidationFailed) as err:
        visit(org, places=[p], escort=org.outsider)
    assert "escort" in err.value.fields


def test_only_own_visitors_unless_security_office(org):
    from baomi.visitors import services as s

    now = timezone.now()
    with pytest.raises(ValidationFailed) as err:
        s.register_visit(org.staff_secret, visitor_name="x", id_type="passport", id_number="E1234567", organisation="y",
                         host=org.dept_head, purpose="z", expected_start=now, expected_end=now + dt.timedelta(hours=1))  # fmt: skip
    assert "host" in err.value.fields
    s.register_visit(org.security_officer, visitor_name="x", id_type="passport", id_number="E1234567",
                     organisation="y", host=org.dept_head, purpose="z", expected_start=now,
                     expected_end=now + dt.timedelta(hours=1))  # fmt: skip


def test_check_out_and_cancel(org):
    v = services.check_in(org.staff_secret, visit(org))
    with pytest.raises(ValidationFailed):
        services.check_out(org.staff_secret, v, at=v.checked_in_at - dt.timedelta(minutes=1))
    services.check_out(org.staff_secret, v)
    with pytest.raises(InvalidTransition):
        services.cancel_visit(org.staff_secret, v, reason="x")
    w = visit(org, visitor_name="访客乙")
    services.cancel_visit(org.staff_secret, w, reason="改期")
    with pytest.raises(InvalidTransition):
        services.check_in(org.staff_secret, w)


def test_visitors_on_site_at_closing(org, settings):
    """SUP-4: after closing time every visitor on site; before it, those from an earlier day."""
    settings.VISITORS_CLOSING_TIME = "18:00"
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    early = visit(
        org, expected_start=today - dt.timedelta(hours=10), expected_end=today - dt.timedelta(hours=8)
    )
    services.check_in(org.security_officer, early, at=today - dt.timedelta(hours=9))
    now_visit = visit(org, visitor_name="访客乙")
    services.check_in(org.security_officer, now_visit)  # today, after midnight
    morning = today + dt.timedelta(hours=10)
    evening = today + dt.timedelta(hours=19)
    assert set(selectors.on_site_at_closing(None, morning)) == {early}
    assert set(selectors.on_site_at_closing(None, evening)) == {early, now_visit}
    assert services.raise_closing_alerts(evening)["alerts"] == 2
    assert services.raise_closing_alerts(evening + dt.timedelta(minutes=30))["alerts"] == 0
    from baomi.visitors.dashboard import tasks

    labels = {t["label"] for t in tasks(org.security_officer)}
    assert "下班时仍未离开的访客" in labels
