"""Incident API under /api/v1/incidents/ (SUP-2, R-INC-1..5): report, work and close through
services; the reporter only for the security officer; forbidden looks like not found."""

from __future__ import annotations

from baomi.audit.events import AuditEvent
from tests.carriers.factories import make_carrier
from tests.incidents.factories import ago, open_one
from tests.support.assertions import assert_audited, last_audit_id

BASE = "/api/v1/incidents"


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def test_report_work_and_close_through_the_api(org, api_client):
    carrier = make_carrier(org, "confidential", custodian=org.staff_secret)
    c = as_user(api_client, org.staff_secret)
    r = c.post(f"{BASE}/", {"kind": "lost_carrier", "title": "载体丢失", "description": "出差途中遗失",
                            "discovered_at": ago(2).isoformat(), "carriers": [carrier.registry_number]},
               format="json")  # fmt: skip
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["clock"]["state"] == "running" and "reporter" not in r.json()
    assert "entries" not in r.json()  # the reporter follows the status, not the record
    so = as_user(api_client, org.security_officer)
    r = so.get(f"{BASE}/{pk}/")
    assert r.json()["reporter"]["username"] == "staff_secret"
    assert r.json()["carriers"][0]["lost"] is True
    r = so.post(
        f"{BASE}/{pk}/carriers/", {"registry_number": carrier.registry_number, "lost": True}, format="json"
    )
    assert r.json()["carriers"][0]["status"] == "missing"
    r = so.post(f"{BASE}/{pk}/assign/", {"handler": org.dept_head.pk}, format="json")
    assert r.json()["handler"] == org.dept_head.pk
    for body in [{"recipient": "same_level", "reported_at": ago(1).isoformat(), "channel": "phone",
                  "reference": "电话记录 2026-001"},
                 {"recipient": "superior", "reported_at": ago(0.5).isoformat(), "channel": "document",
                  "reference": "报告〔2026〕2号"}]:  # fmt: skip
        r = so.post(f"{BASE}/{pk}/report-upward/", body, format="json")
        assert r.status_code == 200, r.content
    assert r.json()["clock"]["state"] == "met"
    so.post(
        f"{BASE}/{pk}/actions/", {"text": "通知沿途车站协查", "taken_by": org.dept_head.pk}, format="json"
    )
    so.post(f"{BASE}/{pk}/notes/", {"text": "经调查，载体遗失于出租车上"}, format="json")
    so.post(f"{BASE}/{pk}/file-case/", {"case_number": "2026-07"}, format="json")
    so.post(f"{BASE}/{pk}/notify/", {"audience": "全体干部", "text": "通报情况"}, format="json")
    r = so.post(f"{BASE}/{pk}/conclude/", {"review_result": "possibly_leaked", "conclusion": "不能排除"},
                format="json")  # fmt: skip
    assert r.json()["status"] == "concluded" and r.json()["closing_gaps"] == []
    r = as_user(api_client, org.unit_head).post(f"{BASE}/{pk}/close/")
    assert r.status_code == 200 and r.json()["status"] == "closed"
    r = so.post(f"{BASE}/{pk}/notes/", {"text": "x"}, format="json")
    assert r.status_code == 409 and r.json()["error"]["code"] == "invalid_transition"
    r = so.post(f"{BASE}/{pk}/addenda/", {"text": "补充说明"}, format="json")
    assert r.status_code == 200 and r.json()["entries"][-1]["kind"] == "addendum"


def test_lists_follow_the_policy(org, api_client):
    mine = open_one(org)
    secret = open_one(org, level="top_secret")
    r = as_user(api_client, org.unit_head).get(f"{BASE}/")
    assert {row["id"] for row in r.json()["results"]} >= {mine.pk, secret.pk}
    r = as_user(api_client, org.staff_secret).get(f"{BASE}/")
    assert r.json()["results"] == []
    r = as_user(api_client, org.security_officer).get(f"{BASE}/?clock=running")
    assert {row["id"] for row in r.json()["results"]} == {mine.pk, secret.pk}


def test_forbidden_looks_like_not_found_and_is_audited(org, api_client):
    incident = open_one(org)
    since = last_audit_id()
    c = as_user(api_client, org.staff_other_dept)
    assert c.get(f"{BASE}/{incident.pk}/").status_code == 404
    assert c.get(f"{BASE}/999999/").status_code == 404
    r = c.post(f"{BASE}/{incident.pk}/close/")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert_audited(AuditEvent.ACCESS_DENIED, actor=org.staff_other_dept, outcome="denied", since=since)


def test_bad_input_is_a_structured_error(org, api_client):
    incident = open_one(org)
    so = as_user(api_client, org.security_officer)
    r = so.post(f"{BASE}/{incident.pk}/report-upward/", {"recipient": "x"}, format="json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid"
    r = so.post(f"{BASE}/{incident.pk}/report-upward/", {"recipient": "same_level", "channel": "phone",
                "reference": "x", "reported_at": ago(-2).isoformat()}, format="json")  # fmt: skip
    assert r.status_code == 400 and "reported_at" in r.json()["error"]["fields"]
    r = so.post(f"{BASE}/", {"kind": "other", "title": "x", "description": "y", "carriers": ["NOPE-1"]},
                format="json")  # fmt: skip
    assert r.status_code == 404


def test_a_penalty_is_recorded_against_the_incident_through_the_api(org, api_client):
    """PER-7 through the API: a penalty linked to the incident, by the personnel service; not on
    oneself; someone who may not see the incident gets not found."""
    incident = open_one(org)
    so = as_user(api_client, org.security_officer)
    since = last_audit_id()
    body = {"user": org.staff_secret.pk, "kind": "warning", "decided_on": ago(24).date().isoformat(),
            "reason": "违规携带涉密载体外出"}  # fmt: skip
    r = so.post(f"{BASE}/{incident.pk}/penalties/", body, format="json")
    assert r.status_code == 200, r.content
    assert [(p["user"], p["kind"]) for p in r.json()["penalties"]] == [(org.staff_secret.pk, "warning")]
    assert_audited(AuditEvent.SANCTION_RECORDED, since=since)
    r = so.post(f"{BASE}/{incident.pk}/penalties/", {**body, "kind": "commendation"}, format="json")
    assert r.status_code == 400
    r = so.post(f"{BASE}/{incident.pk}/penalties/", {**body, "user": org.security_officer.pk}, format="json")
    assert r.status_code == 404  # nobody decides about themselves
    r = so.post(f"{BASE}/{incident.pk}/penalties/", {**body, "user": 10**12}, format="json")
    assert r.status_code == 400
    other = as_user(api_client, org.staff_other_dept)
    assert other.post(f"{BASE}/{incident.pk}/penalties/", body, format="json").status_code == 404
    assert (
        len(as_user(api_client, org.security_officer).get(f"{BASE}/{incident.pk}/").json()["penalties"]) == 1
    )
