"""The auditor's screens and API (SEC-3, R-ROLE-5): only the auditor reads the trail; filters,
detail and export work; every look is audited and every refusal too."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from baomi.audit import chain
from baomi.audit.context import audit_context
from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditEntry
from baomi.audit.record import record
from tests.support.assertions import assert_audited, assert_denied, last_audit_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(org):
    """A few distinctive entries on top of what building the organisation recorded."""
    with audit_context("api", "192.0.2.10"):
        denied = record(org.staff_secret, AuditEvent.ACCESS_DENIED, ("carriers.carrier", 77, "载体 BM-2026-077", "secret"),
                        outcome="denied", details={"action": "view", "备注": "越权查看"})  # fmt: skip
    with audit_context("cli"):
        changed = record(org.security_officer, AuditEvent.CLEARANCE_CHANGED, org.staff_confidential,
                         details={"clearance": ["confidential", "secret"]})  # fmt: skip
    return {"denied": denied, "changed": changed}


def _client(client, user):
    client.force_login(user)
    return client


def _ids(response) -> list[int]:
    return [e.pk for e in response.context["page"].object_list]


def test_auditor_sees_the_list_newest_first_and_the_view_is_audited(client, org, trail):
    """SEC-3: the auditor's list shows every entry, newest first; viewing it is an entry itself."""
    since = last_audit_id()
    response = _client(client, org.auditor).get(reverse("audit:list"))
    assert response.status_code == 200
    ids = _ids(response)
    assert ids == sorted(ids, reverse=True) and trail["changed"].pk in ids
    assert "审计日志" in response.content.decode()
    assert_audited(AuditEvent.AUDIT_VIEWED, actor=org.auditor, since=since)


FILTER_CASES = [
    ({"outcome": "denied", "channel": "api"}, "denied"),
    ({"event": int(AuditEvent.CLEARANCE_CHANGED), "actor": "security"}, "changed"),
    ({"actor": "security_off"}, "changed"),
    ({"target": "BM-2026-077"}, "denied"),
    ({"target_type": "carriers.carrier", "target_id": "77"}, "denied"),
    ({"target_level": "secret", "outcome": "denied"}, "denied"),
    ({"q": "越权"}, "denied"),
    ({"q": "confidential", "channel": "cli"}, "changed"),
]


def test_filters_narrow_the_list(client, org, trail):
    """SEC-3: each filter (actor, event, target type/id/label, level, outcome, channel, details)
    narrows the list in SQL to the matching entries."""
    c = _client(client, org.auditor)
    for query, key in FILTER_CASES:
        response = c.get(reverse("audit:list"), query)
        assert response.status_code == 200
        assert _ids(response) == [trail[key].pk], query


def test_date_range_filter(client, org, trail):
    """SEC-3: the date range includes both ends (local days) and rejects an inverted range."""
    today = timezone.localdate()
    c = _client(client, org.auditor)
    assert trail["changed"].pk in _ids(c.get(reverse("audit:list"), {"date_from": today, "date_to": today}))
    assert _ids(c.get(reverse("audit:list"), {"date_to": today - timedelta(days=1)})) == []
    response = c.get(reverse("audit:list"), {"date_from": today, "date_to": today - timedelta(days=1)})
    assert "结束日期早于开始日期" in response.content.decode()


def test_detail_shows_the_entry_and_its_seal(client, org, trail):
    """SEC-3: one entry with its MAC and, once sealed, its sequence number; viewing it is audited."""
    c = _client(client, org.auditor)
    entry = trail["denied"]
    response = c.get(reverse("audit:detail", args=[entry.pk]))
    assert "等待封存" in response.content.decode()
    chain.seal_pending()
    since = last_audit_id()
    response = c.get(reverse("audit:detail", args=[entry.pk]))
    body = response.content.decode()
    assert response.status_code == 200 and entry.mac in body and "越权查看" in body
    assert str(entry.seal.seq) in body
    assert_audited(AuditEvent.AUDIT_VIEWED, ("audit.auditentry", entry.pk), actor=org.auditor, since=since)


def test_export_writes_the_filtered_list_to_xlsx(client, org, trail):
    """SEC-3: the export holds exactly the filtered entries and is audited with its filters."""
    since = last_audit_id()
    response = _client(client, org.auditor).get(reverse("audit:export"), {"outcome": "denied"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "编号" and len(rows) == 2
    assert rows[1][0] == trail["denied"].pk and rows[1][5] == "拒绝访问" and "越权查看" in rows[1][14]
    entry = assert_audited(AuditEvent.AUDIT_EXPORTED, actor=org.auditor, since=since)
    assert entry.details["rows"] == 1 and entry.details["filters"] == {"outcome": "denied"}


@pytest.mark.parametrize("persona", ["sysadmin", "security_officer", "staff_secret", "unit_head"])
def test_nobody_but_the_auditor_reaches_the_trail(client, org, trail, persona):
    """SEC-3, R-ROLE-5: others get the not-found page for list, export and detail, and each
    refusal is audited."""
    user = getattr(org, persona)
    c = _client(client, user)
    for url, args in [("audit:list", []), ("audit:export", []), ("audit:detail", [trail["denied"].pk])]:
        since = last_audit_id()
        response = c.get(reverse(url, args=args))
        assert_denied(response, actor=user, since=since)
        assert "不存在" in response.content.decode()
        looked = [AuditEvent.AUDIT_VIEWED, AuditEvent.AUDIT_EXPORTED]
        assert not AuditEntry.objects.filter(id__gt=since, event__in=looked).exists()


def test_nav_entry_only_for_the_auditor(client, org):
    """SEC-3: the navigation shows the audit trail to the auditor alone."""
    assert "审计日志" in _client(client, org.auditor).get(reverse("accounts:profile")).content.decode()
    client.logout()
    assert "审计日志" not in _client(client, org.sysadmin).get(reverse("accounts:profile")).content.decode()


def test_api_lists_filters_and_details_for_the_auditor(api_client, org, trail):
    """SEC-3: the API takes the same filters; detail carries the sequence number once sealed."""
    api_client.force_authenticate(org.auditor)
    response = api_client.get("/api/v1/audit/entries/", {"outcome": "denied", "q": "越权"})
    assert response.status_code == 200
    assert [e["id"] for e in response.json()["results"]] == [trail["denied"].pk]
    chain.seal_pending()
    detail = api_client.get(f"/api/v1/audit/entries/{trail['denied'].pk}/").json()
    assert (
        detail["event_label"] == "拒绝访问"
        and detail["seq"] is not None
        and detail["details"]["备注"] == "越权查看"
    )


def test_api_rejects_bad_filters_with_a_structured_error(api_client, org):
    api_client.force_authenticate(org.auditor)
    response = api_client.get("/api/v1/audit/entries/", {"date_from": "not-a-date"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid" and "date_from" in response.json()["error"]["fields"]


def test_api_refuses_everyone_else_as_not_found(api_client, org, trail):
    """SEC-3: a 404 not_found error, and an ACCESS_DENIED entry, for list and detail alike."""
    for user in (org.sysadmin, org.security_officer, org.staff_secret):
        api_client.force_authenticate(user)
        for url in ("/api/v1/audit/entries/", f"/api/v1/audit/entries/{trail['denied'].pk}/"):
            since = last_audit_id()
            response = api_client.get(url)
            assert response.json()["error"]["code"] == "not_found"
            assert_denied(response, actor=user, since=since)


def test_api_schema_documents_the_audit_endpoints(api_client, org):
    """The OpenAPI schema builds and lists the audit endpoints with their filters."""
    api_client.force_authenticate(org.auditor)
    response = api_client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    paths = response.json()["paths"]
    names = {p["name"] for p in paths["/api/v1/audit/entries/"]["get"]["parameters"]}
    assert {"actor", "event", "target_level", "date_from", "q"} <= names
    assert "/api/v1/audit/entries/{id}/" in paths


def test_dashboard_tells_the_auditor_what_to_look_at(org, trail):
    """SEC-3: recent denials and a failed verification appear on the auditor's start page only."""
    from baomi.audit import chain
    from baomi.audit.dashboard import tasks

    assert tasks(org.sysadmin) == []
    counts = {t["level"] + str(i): t["count"] for i, t in enumerate(tasks(org.auditor))}
    assert counts["warn2"] >= 1 and counts["bad0"] == 0
    record(None, AuditEvent.AUDIT_VERIFIED, ("audit.chain", 1, "audit chain"), outcome="failed")
    assert tasks(org.auditor)[0]["count"] == 1
    chain.seal_pending()
    assert tasks(org.auditor)[1]["count"] == 0


def test_entries_per_day_are_counted_by_local_day_from_the_first_instant_of_the_first(org, monkeypatch):
    """OPS-1 (the auditor's start page): entries by their day in China Standard Time, from the
    first day's midnight on — a minute before it is not counted; 07:59 and 08:00, either side of
    the UTC midnight, are the same local day. Nobody but the auditor counts anything."""
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    from baomi.audit import selectors

    for when in (
        "2026-11-03 23:59",
        "2026-11-04 00:00",
        "2026-11-04 07:59",
        "2026-11-04 08:00",
        "2026-11-17 23:59",
    ):
        instant = datetime.fromisoformat(when).replace(tzinfo=ZoneInfo("Asia/Shanghai"))
        monkeypatch.setattr(timezone, "now", lambda instant=instant: instant)
        record(None, AuditEvent.SETTING_CHANGED, ("core.setting", "x", "x"))
    monkeypatch.undo()

    per_day = selectors.entries_per_day(org.auditor, date(2026, 11, 4))
    assert date(2026, 11, 3) not in per_day
    assert per_day[date(2026, 11, 4)] == 3
    assert per_day[date(2026, 11, 17)] == 1
    assert selectors.entries_per_day(org.security_officer, date(2026, 11, 4)) == {}
