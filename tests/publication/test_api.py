"""Publication review through the API under /api/v1/publication/ (SUP-3, R-PUB-1..4): the
journey, a refused publication, and a hit beyond the reviewer's clearance that never shows its
title — in the hits, the request, the exported form, the register or the audit details."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from baomi.audit.models import AuditEntry
from tests.publication.factories import SECRET_POINT, SECRET_TITLE, docx_bytes, make_item, today
from tests.support.assertions import assert_denied, last_audit_id

pytestmark = pytest.mark.django_db
BASE = "/api/v1/publication"
HIDDEN = "超出您知悉范围"


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def body(**kw):
    data = {"title": "一季度工作情况", "channel": "website", "intended_on": today().isoformat(),
            "formed_on": today().isoformat(), "deadline_kind": "proactive", "text": "本单位一季度工作情况通报。"}  # fmt: skip
    data.update(kw)
    return data


def test_journey_submit_screen_review_publish(org, api_client):
    """Submit (multipart, with a docx) → screened → department → office approves → publish the
    approved digest; a different file is refused (R-PUB-1)."""
    c = as_user(api_client, org.staff_confidential)
    docx = io.BytesIO(docx_bytes("附件：工作进展。"))
    docx.name = "附件.docx"
    r = c.post(f"{BASE}/requests/", {**body(), "uploads": [docx]}, format="multipart")
    assert r.status_code == 201, r.content
    rid = r.json()["id"]
    assert r.json()["status"] == "dept_review" and "hits" not in r.json()
    assert c.get(f"{BASE}/requests/{rid}/hits/").status_code == 404  # the submitter never sees hits
    c = as_user(api_client, org.dept_head)
    assert c.get(f"{BASE}/requests/{rid}/hits/").json() == []
    r = c.post(f"{BASE}/requests/{rid}/review-department/", {"agree": True, "reasons": "同意"}, format="json")
    assert r.json()["status"] == "office_review"
    c = as_user(api_client, org.security_officer)
    r = c.post(
        f"{BASE}/requests/{rid}/decide/", {"outcome": "approve", "reasons": "不涉密，同意公开"}, format="json"
    )
    assert r.status_code == 200 and r.json()["status"] == "approved"
    digest = r.json()["approved_digest"]
    c = as_user(api_client, org.staff_confidential)
    bad = io.BytesIO("本单位一季度工作情况通报（改）。".encode())
    bad.name = "x.txt"
    r = c.post(f"{BASE}/requests/{rid}/publish/", {"where": "门户网站", "published_on": today().isoformat(),
                                                   "file": bad}, format="multipart")  # fmt: skip
    assert r.status_code == 400 and r.json()["error"]["code"] == "digest_mismatch"
    r = c.post(f"{BASE}/requests/{rid}/publish/", {"where": "门户网站", "published_on": today().isoformat(),
                                                   "digest": digest}, format="json")  # fmt: skip
    assert r.status_code == 200 and r.json()["status"] == "published"


def test_a_refused_publication(org, api_client):
    """A state secret in the text: approval is refused with a message; the office refuses with
    a ground; publishing a withheld request is not allowed (409)."""
    make_item(org)
    c = as_user(api_client, org.staff_confidential)
    rid = c.post(f"{BASE}/requests/", body(text=f"附：{SECRET_TITLE}。"), format="json").json()["id"]
    as_user(api_client, org.dept_head).post(f"{BASE}/requests/{rid}/review-department/",
                                            {"agree": True, "reasons": "请保密办审定"}, format="json")  # fmt: skip
    c = as_user(api_client, org.security_officer)
    r = c.post(f"{BASE}/requests/{rid}/decide/", {"outcome": "approve", "reasons": "同意"}, format="json")
    assert r.status_code == 400 and "R-PUB-2" in r.json()["error"]["message"]
    r = c.post(f"{BASE}/requests/{rid}/decide/", {"outcome": "refuse", "reasons": "涉及国家秘密",
                                                  "ground": "state_secret"}, format="json")  # fmt: skip
    assert r.json()["status"] == "withheld" and r.json()["decisions"][-1]["ground"] == "state_secret"
    c = as_user(api_client, org.staff_confidential)
    r = c.post(f"{BASE}/requests/{rid}/publish/", {"where": "网站", "published_on": today().isoformat(),
                                                   "digest": "0" * 64}, format="json")  # fmt: skip
    assert r.status_code == 409


def test_a_hit_beyond_the_reviewer_s_clearance_never_shows_its_title(org, api_client):
    """The department head (机密) reviews a text naming a 绝密 item and an item of another
    department outside their need-to-know: both hits read the message, without title, level or
    excerpt — in the hits, the form PDF, the register and the audit details. The security officer
    sees both (SUP-3, CAR-3)."""
    top = make_item(org, "top_secret", title="关于某绝密工程总体部署的报告", points="", reference="")
    other = make_item(org, "secret", title="财务科专项审计的初步结论", points=SECRET_POINT, reference="",
                      department="FIN")  # fmt: skip
    own = make_item(org, "secret", title="办公室机要工作的年度安排", points="", reference="")
    c = as_user(api_client, org.staff_confidential)
    text = f"{top.title}。{other.title}。{own.title}。{SECRET_POINT}。"
    rid = c.post(f"{BASE}/requests/", body(text=text), format="json").json()["id"]
    since = last_audit_id()
    head = as_user(api_client, org.dept_head)
    hits = head.get(f"{BASE}/requests/{rid}/hits/").json()
    hidden = [h for h in hits if not h["visible"]]
    shown = [h for h in hits if h["visible"]]
    assert len(hidden) == 3 and len(shown) == 1 and shown[0]["title"] == own.title
    assert all(set(h) == {"id", "kind", "visible", "message"} and HIDDEN in h["message"] for h in hidden)
    # The reviewer reads the submitted text itself; what must never appear is an attribution:
    # no hit names, marks, levels or points at the phrases of the items they may not see.
    named = " ".join(f"{h['title']} {h['mark']} {h['level']} {h['excerpt']['match']}" for h in shown)
    for secret in (top.title, other.title, SECRET_POINT, "绝密", "top_secret"):
        assert secret not in named
    assert top.title not in head.get(f"{BASE}/requests/{rid}/").content.decode()
    pdf = head.get(f"{BASE}/requests/{rid}/form/")
    assert pdf.status_code == 200
    pdf_text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert top.title not in pdf_text and other.title not in pdf_text and own.title in pdf_text
    assert "机密★10年" in pdf_text  # the form carries the mark of the highest item it names
    details = " ".join(str(e.details) + e.target_label for e in AuditEntry.objects.filter(id__gt=since))
    assert top.title not in details and other.title not in details and own.title not in details
    so = as_user(api_client, org.security_officer)
    titles = {h.get("title") for h in so.get(f"{BASE}/requests/{rid}/hits/").json()}
    assert {top.title, other.title, own.title} <= titles
    xlsx = so.get(f"{BASE}/requests/register/")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None)
    assert top.title not in cells and "一季度工作情况" in cells


def test_forbidden_looks_like_not_found(org, api_client):
    c = as_user(api_client, org.staff_confidential)
    rid = c.post(f"{BASE}/requests/", body(), format="json").json()["id"]
    for persona in ("staff_other_dept", "auditor", "sysadmin"):
        since = last_audit_id()
        r = as_user(api_client, getattr(org, persona)).get(f"{BASE}/requests/{rid}/")
        assert_denied(r, actor=getattr(org, persona), since=since)
    r = as_user(api_client, org.staff_confidential).post(f"{BASE}/requests/{rid}/decide/",
                                                         {"outcome": "approve", "reasons": "x"}, format="json")  # fmt: skip
    assert r.status_code == 404
    api_client.force_authenticate(None)
    assert api_client.get(f"{BASE}/requests/").status_code == 401


def test_bad_input_is_a_structured_error(org, api_client):
    c = as_user(api_client, org.staff_confidential)
    r = c.post(f"{BASE}/requests/", body(text="", channel="carrier-pigeon"), format="json")
    assert r.status_code == 400 and "channel" in r.json()["error"]["fields"]
    r = c.post(f"{BASE}/requests/", body(text=""), format="json")
    assert r.status_code == 400 and r.json()["error"]["fields"] == {"text": [r.json()["error"]["message"]]}


def test_referral_extension_reassessment_and_keywords(org, api_client):
    c = as_user(api_client, org.staff_confidential)
    rid = c.post(f"{BASE}/requests/", body(deadline_kind="reply"), format="json").json()["id"]
    r = as_user(api_client, org.unit_head).post(f"{BASE}/requests/{rid}/extend/", {"days": 10, "reason": "征求意见"},
                                                format="json")  # fmt: skip
    assert r.json()["extension_days"] == 10
    as_user(api_client, org.dept_head).post(f"{BASE}/requests/{rid}/review-department/",
                                            {"agree": True, "reasons": "同意"}, format="json")  # fmt: skip
    so = as_user(api_client, org.security_officer)
    r = so.post(f"{BASE}/requests/{rid}/refer/", {"referred_to": "competent_department", "authority": "市统计局",
                                                  "question": "数据能否公开？"}, format="json")  # fmt: skip
    assert r.json()["status"] == "referred"
    r = so.post(f"{BASE}/requests/{rid}/answer/", {"answer": "可以公开"}, format="json")
    assert r.json()["status"] == "office_review"
    r = so.post(f"{BASE}/requests/{rid}/decide/", {"outcome": "refuse", "reasons": "过程性信息", "ground": "internal"},
                format="json")  # fmt: skip
    r = so.post(f"{BASE}/requests/{rid}/reassess/", {"release": True, "reasons": "已办结"}, format="json")
    assert r.json()["status"] == "office_review"
    r = so.post(f"{BASE}/keywords/", {"text": "天网工程", "note": "代号"}, format="json")
    assert r.status_code == 201
    kid = r.json()["id"]
    assert (
        so.post(f"{BASE}/keywords/{kid}/toggle/", {"active": False}, format="json").json()["active"] is False
    )
    assert as_user(api_client, org.dept_head).get(f"{BASE}/keywords/").json()["results"] == []
    r = as_user(api_client, org.staff_confidential).post(
        f"{BASE}/requests/{rid}/withdraw/", {}, format="json"
    )
    assert r.json()["status"] == "withdrawn"
    assert (
        as_user(api_client, org.security_officer).post(f"{BASE}/requests/{rid}/rescreen/").status_code == 409
    )


def test_schema_lists_the_publication_endpoints(org, api_client):
    schema = as_user(api_client, org.security_officer).get("/api/schema/?format=json").json()
    assert "/api/v1/publication/requests/{id}/hits/" in schema["paths"]
