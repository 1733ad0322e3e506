"""The governance API under /api/v1/governance/ (ORG-2, SUP-9..11): reads for all, writes for
the security office, forbidden as not found, the self-inspection figures."""

from __future__ import annotations

import pytest

from tests.governance.factories import today
from tests.support.assertions import assert_denied, last_audit_id

pytestmark = pytest.mark.django_db
BASE = "/api/v1/governance"


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def test_members_statements_and_checks(org, api_client):
    c = as_user(api_client, org.security_officer)
    r = c.post(f"{BASE}/members/", {"body": "leading_group", "user": org.unit_head.pk, "position": "leader",
                                    "duties": "负总责"}, format="json")  # fmt: skip
    assert r.status_code == 201, r.content
    mid = r.json()["id"]
    r = c.post(f"{BASE}/members/{mid}/change/", {"position": "member", "duties": "协助"}, format="json")
    assert r.json()["position"] == "member"
    assert len(c.get(f"{BASE}/members/?history=1").json()["results"]) == 1
    r = c.post(f"{BASE}/statements/", {"department": org.departments["OFFICE"].pk, "year": today().year},
               format="json")  # fmt: skip
    sid = r.json()["id"]
    c.post(
        f"{BASE}/statements/{sid}/sign/",
        {"side": "department", "signed_on": today().isoformat()},
        format="json",
    )
    r = c.post(f"{BASE}/statements/{sid}/sign/", {"side": "unit", "signed_on": today().isoformat(),
                                                  "signatory": org.unit_head.pk}, format="json")  # fmt: skip
    assert r.json()["signed"] is True
    r = c.get(f"{BASE}/checks/?on={today().isoformat()}")
    assert r.json()["statements"] == {"total": 4, "ok": 1, "missing": 3}
    assert c.get(f"{BASE}/checks/?on=yesterday").status_code == 400
    r = as_user(api_client, org.dept_head).get(f"{BASE}/statements/{sid}/")
    assert r.status_code == 200
    since = last_audit_id()
    assert_denied(as_user(api_client, org.staff_secret).get(f"{BASE}/statements/{sid}/"), actor=org.staff_secret,
                  since=since)  # fmt: skip
    assert as_user(api_client, org.staff_secret).get(f"{BASE}/checks/").status_code == 404


def test_regulations_plans_and_events(org, api_client):
    c = as_user(api_client, org.security_officer)
    r = c.post(f"{BASE}/regulations/", {"code": "BM-9", "title": "涉密载体管理制度", "version": "2026版",
                                        "effective_on": today().isoformat(), "approved_by": org.unit_head.pk,
                                        "text": "第一条……"}, format="json")  # fmt: skip
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    r = c.post(f"{BASE}/regulations/{rid}/revise/", {"version": "2026修订", "effective_on": today().isoformat(),
                                                     "approved_by": org.leading_group.pk, "change_note": "增补",
                                                     "text": "第一条（修订）"}, format="json")  # fmt: skip
    assert len(r.json()["versions"]) == 2
    r = c.post(f"{BASE}/regulations/{rid}/revise/", {"version": "2027", "effective_on": today().isoformat(),
                                                     "approved_by": org.dept_head.pk, "change_note": "x",
                                                     "text": "y"}, format="json")  # fmt: skip
    assert r.status_code == 400 and "approved_by" in r.json()["error"]["fields"]
    c.post(f"{BASE}/regulations/{rid}/review/", {"outcome": "kept"}, format="json")
    assert (
        c.post(f"{BASE}/regulations/{rid}/repeal/", {"reason": "替代"}, format="json").json()["status"]
        == "repealed"
    )
    r = c.post(f"{BASE}/plans/", {"kind": "cyber", "title": "网络安全事件应急预案", "version": "v1",
                                  "effective_on": today().isoformat(), "approved_by": org.unit_head.pk,
                                  "text": "一、……"}, format="json")  # fmt: skip
    pid = r.json()["id"]
    r = c.post(f"{BASE}/plans/{pid}/drill/", {"held_on": today().isoformat(), "scenario": "勒索病毒",
                                              "findings": "隔离及时", "participants": [org.sysadmin.pk]},
               format="json")  # fmt: skip
    assert r.json()["drills"][0]["participants"] == ["sysadmin"]
    r = c.post(f"{BASE}/events/", {"kind": "lecture", "title": "保密讲座", "held_on": today().isoformat(), "hours": "2.0",
                                   "counts_as_training": True}, format="json")  # fmt: skip
    assert r.status_code == 201 and r.json()["training_session"] is not None
    eid = r.json()["id"]
    assert (
        c.post(f"{BASE}/events/{eid}/attend/", {"user": org.staff_secret.pk}, format="json").status_code
        == 201
    )
    c = as_user(api_client, org.outsider)
    assert c.get(f"{BASE}/regulations/?status=all").json()["count"] == 1
    assert c.post(f"{BASE}/campaigns/", {"title": "x", "starts_on": today().isoformat(),
                                         "ends_on": today().isoformat()}, format="json").status_code == 404  # fmt: skip
    assert c.post(f"{BASE}/events/{eid}/attend/", {"user": org.outsider.pk}, format="json").status_code == 404
