"""Personnel API under /api/v1/personnel/ (PER-1..8): reads through selectors, writes through
services, structured errors, the reporter only in the security officer's responses."""

from __future__ import annotations

import json
from datetime import timedelta

from baomi.personnel import services
from tests.personnel.factories import carrier_for, onboarded, today, versions

BASE = "/api/v1/personnel"


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def test_onboard_and_exit_through_the_api(org, api_client):
    """Open, review, train, sign, clear; start an exit, blocked by an outstanding carrier (PER-2, PER-5)."""
    so, person = org.security_officer, org.staff_work_secret
    pledge, _exit_v = versions(so)
    c = as_user(api_client, so)
    r = c.post(f"{BASE}/files/", {"user": person.pk, "category": "important"}, format="json")
    assert r.status_code == 201, r.content
    fid = r.json()["id"]
    assert r.json()["clearance"] == "work_secret"
    r = c.post(f"{BASE}/files/{fid}/clear/", format="json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid"
    c.post(f"{BASE}/files/{fid}/review/", {"kind": "pre_assignment", "result": "passed",
                                            "reviewed_on": today().isoformat()}, format="json")  # fmt: skip
    r = c.post(f"{BASE}/training/", {"title": "岗前培训", "kind": "course", "held_on": today().isoformat(),
                                     "hours": "2.0"}, format="json")  # fmt: skip
    assert r.status_code == 201, r.content
    c.post(f"{BASE}/training/{r.json()['id']}/attend/", {"user": person.pk}, format="json")
    c.post(
        f"{BASE}/files/{fid}/pledge/", {"version": pledge.pk, "signed_on": today().isoformat()}, format="json"
    )
    r = c.post(f"{BASE}/files/{fid}/clear/", format="json")
    assert r.status_code == 200 and r.json()["clearance"] == "secret"
    carrier_for(person)
    r = c.post(f"{BASE}/files/{fid}/start-exit/", {"approved_on": today().isoformat()}, format="json")
    assert r.status_code == 201
    case = r.json()
    assert len(case["outstanding"]) == 1
    person.refresh_from_db()
    assert person.clearance == "work_secret"
    r = c.post(f"{BASE}/exits/{case['id']}/complete/", format="json")
    assert r.status_code == 400
    assert "outstanding" in r.json()["error"]["fields"]


def test_api_denies_like_not_found(org, api_client):
    """Forbidden looks like not found (CAR-3)."""
    file = onboarded(org.security_officer, org.staff_secret, "important")
    c = as_user(api_client, org.staff_confidential)
    assert c.get(f"{BASE}/files/{file.pk}/").status_code == 404
    assert c.post(f"{BASE}/files/", {"user": org.staff_work_secret.pk, "category": "core"},
                  format="json").status_code == 404  # fmt: skip
    assert c.get(f"{BASE}/files/").json()["results"] == []


def test_reporter_only_in_security_officer_responses(org, api_client):
    """PER-8: the API never shows the reporter to anyone else, including the reporter's own listing."""
    reporter = org.staff_confidential
    c = as_user(api_client, reporter)
    r = c.post(f"{BASE}/reports/", {"kind": "leak", "description": "在公共场所谈论涉密事项"}, format="json")
    assert r.status_code == 201
    rid = r.json()["id"]
    assert "reporter" not in r.json()
    assert "reporter" not in c.get(f"{BASE}/reports/{rid}/").json()
    so = as_user(api_client, org.security_officer)
    body = so.get(f"{BASE}/reports/{rid}/").json()
    assert body["reporter"]["username"] == reporter.username
    for persona in ("auditor", "dept_head", "unit_head", "sysadmin"):
        c = as_user(api_client, getattr(org, persona))
        assert c.get(f"{BASE}/reports/{rid}/").status_code == 404
        assert reporter.username not in json.dumps(c.get(f"{BASE}/reports/").json())
    so = as_user(api_client, org.security_officer)
    r = so.post(f"{BASE}/reports/{rid}/handle/", {"open_incident": True}, format="json")
    assert r.status_code == 200 and r.json()["incident"]


def test_travel_and_determination_training_api(org, api_client):
    """PER-6 flow endpoints and the R-DET-12 query."""
    so, person = org.security_officer, org.staff_secret
    onboarded(so, person, "important")
    c = as_user(api_client, person)
    r = c.post(f"{BASE}/travel/", {"destination": "法国", "purpose": "培训", "departs_on": today().isoformat(),
                                   "returns_on": today().isoformat()}, format="json")  # fmt: skip
    assert r.status_code == 201, r.content
    tid = r.json()["id"]
    assert as_user(api_client, org.dept_head).post(f"{BASE}/travel/{tid}/opinion/", {
        "side": "personnel", "opinion": "agree"}, format="json").status_code == 200  # fmt: skip
    assert as_user(api_client, so).post(f"{BASE}/travel/{tid}/opinion/", {
        "side": "security", "opinion": "agree"}, format="json").status_code == 200  # fmt: skip
    r = as_user(api_client, org.unit_head).post(
        f"{BASE}/travel/{tid}/decide/", {"approve": True}, format="json"
    )
    assert r.json()["status"] == "approved"
    r = as_user(api_client, person).post(f"{BASE}/travel/{tid}/depart/", format="json")
    assert r.status_code == 400  # no pre-trip briefing
    assert as_user(api_client, so).get(f"{BASE}/determination-training/{org.case_handler.pk}/").json() == {
        "user": org.case_handler.pk, "current": False}  # fmt: skip
    assert as_user(api_client, org.staff_work_secret).get(
        f"{BASE}/determination-training/{org.case_handler.pk}/").status_code == 404  # fmt: skip


def test_openapi_schema_lists_personnel(org, api_client):
    """The schema documents the personnel endpoints."""
    r = as_user(api_client, org.security_officer).get("/api/schema/")
    assert r.status_code == 200
    assert "/api/v1/personnel/files/" in r.content.decode()


def test_sanctions_api(org, api_client):
    """PER-7 through the API, linked to a report."""
    so = org.security_officer
    report = services.file_violation_report(org.staff_confidential, kind="violation", description="x")
    r = as_user(api_client, so).post(f"{BASE}/sanctions/", {
        "user": org.staff_secret.pk, "kind": "warning", "decided_on": today().isoformat(), "reason": "违规",
        "report": report.pk}, format="json")  # fmt: skip
    assert r.status_code == 201, r.content
    assert as_user(api_client, org.staff_secret).get(f"{BASE}/sanctions/").json()["count"] == 1
    assert as_user(api_client, org.staff_confidential).get(f"{BASE}/sanctions/").json()["count"] == 0


def test_determination_training_query_is_in_the_schema(org, client):
    """R-DET-12, STYLE 2.9: the 定密-training query is documented in /api/schema/ with its answer
    shape, and generating it raises no warning about that view besides the project-wide
    authenticator note."""
    from drf_spectacular.drainage import GENERATOR_STATS

    GENERATOR_STATS.reset()
    client.force_login(org.security_officer)
    r = client.get("/api/schema/", {"format": "json"}, HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert r.status_code == 200
    schema = r.json()
    op = schema["paths"]["/api/v1/personnel/determination-training/{id}/"]["get"]
    assert op["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/DeterminationTraining"
    }
    assert set(schema["components"]["schemas"]["DeterminationTraining"]["properties"]) == {"user", "current"}
    assert [p["schema"]["type"] for p in op["parameters"] if p["name"] == "id"] == ["integer"]
    assert not [e for e in GENERATOR_STATS._error_cache if "DeterminationTraining" in e]
    warnings = [w for w in GENERATOR_STATS._warn_cache if "DeterminationTraining" in w]
    assert all("authenticator" in w for w in warnings), warnings


def test_training_list_pages_are_ordered_newest_first(org, api_client):
    """PER-4: the paginated training list is ordered (newest session first) — DRF's
    UnorderedObjectListWarning would mean pages that skip or repeat sessions."""
    import warnings

    from django.core.paginator import UnorderedObjectListWarning

    so = org.security_officer
    for days in (30, 0, 10):
        services.create_session(
            so, title=f"培训{days}", kind="course", held_on=today() - timedelta(days=days)
        )
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnorderedObjectListWarning)
        r = as_user(api_client, so).get(f"{BASE}/training/")
    assert r.status_code == 200, r.content
    rows = r.json()["results"] if isinstance(r.json(), dict) else r.json()
    assert [row["title"] for row in rows] == ["培训0", "培训10", "培训30"]
