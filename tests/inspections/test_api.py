"""Inspections API under /api/v1/inspections/ (SUP-1): plan, run, answer, confirm, override,
find, rectify and verify through services; forbidden looks like not found."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.inspections.factories import default_template, open_run, small_template, today
from tests.support.assertions import assert_denied, last_audit_id

BASE = "/api/v1/inspections"


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def test_plan_run_answer_find_rectify_verify(org, api_client):
    so = as_user(api_client, org.security_officer)
    template = small_template(org, probe="carriers.loans_overdue")
    r = so.get(f"{BASE}/templates/{default_template().pk}/")
    assert r.status_code == 200 and len(r.json()["areas"]) == 13
    r = so.get(f"{BASE}/probes/")
    assert any(p["key"] == "carriers.loans_overdue" for p in r.json())
    r = so.post(f"{BASE}/plans/", {"title": "月度自查", "kind": "monthly", "template": template.pk,
                                   "lead": org.security_officer.pk, "due_on": today().isoformat(),
                                   "departments": [org.departments["OFFICE"].pk]}, format="json")  # fmt: skip
    assert r.status_code == 201, r.content
    r = so.post(f"{BASE}/plans/{r.json()['id']}/open/")
    assert r.status_code == 201
    run_id = r.json()[0]["id"]
    r = so.get(f"{BASE}/runs/{run_id}/")
    answers = {a["code"]: a for a in r.json()["answers"]}
    measured = next(a for a in answers.values() if a["measured"])
    plain = next(a for a in answers.values() if not a["measured"])
    assert measured["suggested"] == "compliant" and measured["measured"]["count"] == 0
    assert so.post(f"{BASE}/answers/{measured['id']}/confirm/", {}, format="json").status_code == 200
    r = so.post(
        f"{BASE}/answers/{plain['id']}/answer/", {"result": "non_compliant", "note": "未锁"}, format="json"
    )
    assert r.json()["result"] == "non_compliant"
    r = so.post(f"{BASE}/runs/{run_id}/complete/", {}, format="json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid"
    r = so.post(
        f"{BASE}/runs/{run_id}/findings/", {"description": "保密柜未锁", "item": plain["item"]}, format="json"
    )
    finding = r.json()["id"]
    r = so.post(f"{BASE}/runs/{run_id}/complete/", {"summary": "基本符合"}, format="json")
    assert r.json()["status"] == "completed" and r.json()["score"] == "6.0"
    r = so.post(f"{BASE}/findings/{finding}/tasks/", {"measures": "加锁", "deadline": today().isoformat()},
                format="json")  # fmt: skip
    task = r.json()["id"]
    assert r.json()["owner"] == org.dept_head.pk
    head = as_user(api_client, org.dept_head)
    assert head.get(f"{BASE}/tasks/?mine=1").json()["results"][0]["id"] == task
    assert head.post(f"{BASE}/tasks/{task}/submit/", {"report": "已加锁"}, format="json").status_code == 200
    so = as_user(api_client, org.security_officer)
    r = so.post(f"{BASE}/tasks/{task}/verify/")
    assert r.json()["status"] == "verified"
    assert so.get(f"{BASE}/findings/{finding}/").json()["status"] == "closed"


def test_override_needs_a_reason(org, api_client):
    run = open_run(org, small_template(org, probe="carriers.loans_overdue"))
    answer = run.answers.get(item__probe="carriers.loans_overdue")
    so = as_user(api_client, org.security_officer)
    r = so.post(
        f"{BASE}/answers/{answer.pk}/override/", {"result": "non_compliant", "reason": ""}, format="json"
    )
    assert r.status_code == 400
    r = so.post(f"{BASE}/answers/{answer.pk}/override/", {"result": "non_compliant", "reason": "另查发现逾期借阅"},
                format="json")  # fmt: skip
    assert r.json()["override_reason"] == "另查发现逾期借阅"


def test_forbidden_is_not_found(org, api_client):
    run = open_run(org, small_template(org))
    since = last_audit_id()
    c = as_user(api_client, org.staff_other_dept)
    assert_denied(c.get(f"{BASE}/runs/{run.pk}/"), actor=org.staff_other_dept, since=since)
    assert c.get(f"{BASE}/runs/").json()["results"] == []
    assert c.post(f"{BASE}/plans/", {}, format="json").status_code in (400, 404)
    r = c.post(f"{BASE}/plans/", {"title": "x", "kind": "monthly", "template": default_template().pk,
                                  "lead": org.staff_other_dept.pk, "due_on": (today() + timedelta(1)).isoformat()},
               format="json")  # fmt: skip
    assert r.status_code == 404


def test_evidence_goes_up_with_an_answer_and_a_report_and_comes_back_decrypted(org, api_client):
    """SUP-1 through the API: evidence files (multipart) with an answer and with a rectification
    report are stored encrypted in the vault, listed on the output, and streamed back to whoever
    may see them (the vault audits the read); anyone else gets not found."""
    from baomi.audit.events import AuditEvent
    from baomi.inspections import services
    from baomi.vault.models import Blob
    from tests.support.assertions import assert_audited

    run = open_run(org, small_template(org))
    answer = run.answers.first()
    so = as_user(api_client, org.security_officer)
    photo = SimpleUploadedFile("柜锁.jpg", b"\xff\xd8 photo of the lock", content_type="image/jpeg")
    r = so.post(f"{BASE}/answers/{answer.pk}/answer/", {"result": "compliant", "note": "已查", "evidence": [photo]},
                format="multipart")  # fmt: skip
    assert r.status_code == 200, r.content
    [evidence] = r.json()["evidence"]
    blob = Blob.objects.get(pk=evidence["id"])
    assert evidence["size"] == len(b"\xff\xd8 photo of the lock") and blob.content_type == "image/jpeg"
    since = last_audit_id()
    r = so.get(evidence["url"])
    assert r.status_code == 200 and b"".join(r.streaming_content) == b"\xff\xd8 photo of the lock"
    assert_audited(AuditEvent.BLOB_READ, since=since)
    other = as_user(api_client, org.staff_other_dept)
    assert other.get(evidence["url"]).status_code == 404
    assert other.get(f"{BASE}/answers/{answer.pk}/evidence/not-a-uuid/").status_code == 404

    finding = services.record_finding(
        org.security_officer, run, description="柜未锁", department=org.departments["OFFICE"]
    )
    task = services.assign_task(org.security_officer, finding, deadline=today(), measures="加锁")
    head = as_user(api_client, task.owner)
    report = SimpleUploadedFile("整改.pdf", b"%PDF-1.4 rectified", content_type="application/pdf")
    r = head.post(
        f"{BASE}/tasks/{task.pk}/submit/", {"report": "已加锁", "evidence": [report]}, format="multipart"
    )
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "submitted" and len(r.json()["evidence"]) == 1
    assert b"".join(head.get(r.json()["evidence"][0]["url"]).streaming_content) == b"%PDF-1.4 rectified"
    r = head.post(f"{BASE}/tasks/{task.pk}/submit/", {"report": "json still works"}, format="json")
    assert r.status_code == 409 or r.status_code == 400
