"""Data assets (SUP-8, R-DATA-2..4, R-DATA-7): services, API and pages."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from baomi.access.errors import AccessDenied
from baomi.core.errors import InvalidTransition, ValidationFailed
from baomi.dataassets import selectors, services
from baomi.dataassets.events import DataAssetsEvent
from baomi.dataassets.models import DataAsset
from baomi.registers.dates import add_months
from tests.support.assertions import assert_audited
from tests.support.registers import today

pytestmark = pytest.mark.django_db


def _asset(org, **kw):
    args = {"name": "监测数据", "code": "DA-1", "category": "statistics", "grade": "important",
            "department": org.departments["OFFICE"], "owner": org.dept_head, "officer": org.staff_secret,
            "measures": "加密备份"}  # fmt: skip
    args.update(kw)
    return services.register_asset(org.security_officer, **args)


def test_important_data_needs_a_named_officer(org):
    """R-DATA-4."""
    with pytest.raises(ValidationFailed) as err:
        _asset(org, officer=None)
    assert "officer" in err.value.fields and "网络数据安全负责人" in str(err.value)
    assert not DataAsset.objects.exists()
    general = _asset(org, code="DA-2", grade="general", officer=None)
    assert general.next_assessment_on is None


def test_yearly_assessment_due_and_reminders(org):
    """R-DATA-4: the next assessment a year after the last; reminders once per due date."""
    a = _asset(org)
    assert a.next_assessment_on == add_months(today(), 12)
    day = today() - dt.timedelta(days=360)
    services.record_assessment(org.staff_secret, a, assessed_on=day, assessor="工作组", outcome="passed",
                               reported_on=day + dt.timedelta(days=5))  # fmt: skip
    a.refresh_from_db()
    assert a.next_assessment_on == add_months(day, 12)
    assert a in selectors.due(org.security_officer)
    assert services.raise_reminders()["reminders"] == 1
    assert services.raise_reminders()["reminders"] == 0
    with pytest.raises(ValidationFailed) as err:
        services.record_assessment(org.staff_secret, a, assessed_on=today(), assessor="x", outcome="passed",
                                   reported_on=today() - dt.timedelta(days=1))  # fmt: skip
    assert "reported_on" in err.value.fields
    with pytest.raises(AccessDenied):
        services.record_assessment(
            org.dept_head, a, assessed_on=today(), assessor="x", outcome="passed"
        )  # the owner


def test_regrading_moves_the_due_date(org):
    a = _asset(org, grade="general", officer=None)
    services.change_asset(org.security_officer, a, category=a.category, grade="core", owner=a.owner,
                          officer=org.staff_secret, measures=a.measures)  # fmt: skip
    a.refresh_from_db()
    assert a.next_assessment_on == add_months(today(), 12)
    with pytest.raises(ValidationFailed):
        services.change_asset(org.security_officer, a, category=a.category, grade="important", owner=a.owner,
                              officer=None, measures=a.measures)  # fmt: skip


def test_aggregation_risk_is_flagged_and_reviewed(org):
    """R-DATA-7: the owner flags; the security office decides."""
    a = _asset(org)
    services.flag_aggregation(org.dept_head, a, note="多源汇聚")
    with pytest.raises(AccessDenied):
        services.review_aggregation(org.dept_head, a, manage_as_secret=True, note="x")
    services.review_aggregation(org.security_officer, a, manage_as_secret=True, note="汇聚后涉及国家秘密")
    a.refresh_from_db()
    assert a.aggregation == "manage_as_secret"
    assert_audited(DataAssetsEvent.AGGREGATION_REVIEWED, a, org.security_officer)
    with pytest.raises(InvalidTransition):
        services.flag_aggregation(org.dept_head, a, note="again")


def test_api_and_pages(org, api_client, client):
    api_client.force_authenticate(org.security_officer)
    body = {"name": "数据", "code": "DA-9", "category": "business", "grade": "important",
            "department": org.departments["OFFICE"].pk, "owner": org.dept_head.pk, "measures": "加密"}  # fmt: skip
    r = api_client.post("/api/v1/data-assets/", body, format="json")
    assert r.status_code == 400 and "officer" in r.json()["error"]["fields"]
    r = api_client.post("/api/v1/data-assets/", {**body, "officer": org.staff_secret.pk}, format="json")
    assert r.status_code == 201
    pk = r.json()["id"]
    api_client.force_authenticate(org.dept_head)
    r = api_client.post(f"/api/v1/data-assets/{pk}/flag-aggregation/", {"note": "汇聚"}, format="json")
    assert r.json()["aggregation"] == "pending"
    client.force_login(org.security_officer)
    html = client.get("/data/").content.decode()
    assert f'href="/data/{pk}/"' in html and "重要数据" in html
    assert "审查汇聚风险" in client.get(f"/data/{pk}/").content.decode()
    r = client.get("/data/", {"export": "xlsx"})
    assert list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))[3][0] == "DA-9"
    client.force_login(org.outsider)
    assert client.get(f"/data/{pk}/").status_code == 404
