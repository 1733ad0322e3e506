"""The publication review pages (SUP-3): what the submitter and each reviewer see, the forms
that drive the review, the exports, refusals that look like not found."""

from __future__ import annotations

import re

import pytest

from baomi.publication import services
from tests.publication.factories import SECRET_TITLE, make_item, submit, to_office, today, upload
from tests.support.assertions import assert_denied, last_audit_id

pytestmark = pytest.mark.django_db


def hits_panel(html: str) -> str:
    m = re.search(r'<div class="panel" id="hits">(.*?)</div>\s*<div class="panel"><h2>', html, re.S)
    return m.group(1) if m else ""


def test_submitting_through_the_form_tells_the_submitter_only_that_review_is_pending(client, org):
    make_item(org)
    client.force_login(org.staff_confidential)
    r = client.post("/publication/new/", {
        "title": "一季度工作情况", "channel": "website", "intended_on": today().isoformat(), "deadline_kind": "proactive",
        "formed_on": today().isoformat(), "text": f"{SECRET_TITLE}。", "uploads": [upload("说明.txt", "附件".encode())],
    }, follow=True)  # fmt: skip
    html = r.content.decode()
    assert "已提交，等待保密审查" in html and "信息公开保密审查正在进行" in html
    assert 'id="hits"' not in html and "涉密事项标题" not in html and "机密★" not in html
    assert "说明.txt" in html


def test_a_reviewer_sees_hits_as_far_as_their_clearance_allows(client, org):
    """The department head sees their department's item with title and mark, and only the
    message for a 绝密 item (SUP-3, CAR-3); the security officer sees both."""
    top = make_item(org, "top_secret", title="关于某绝密工程总体部署的报告", points="", reference="")
    own = make_item(org, "secret", title="办公室机要工作的年度安排", points="", reference="")
    req = submit(org.staff_confidential, f"{top.title}；{own.title}。")
    client.force_login(org.dept_head)
    panel = hits_panel(client.get(f"/publication/{req.pk}/").content.decode())
    assert own.title in panel and "机密★10年" in panel
    # The submitted text is the reviewer's to read; no hit may attribute its phrase to an item.
    marked = re.findall(r"<mark>(.*?)</mark>", panel)
    attributions = re.sub(r'<div class="ctx">.*?</div>', "", panel, flags=re.S)
    assert top.title not in attributions and "绝密" not in attributions and top.title not in marked
    assert "与一项超出您知悉范围的涉密事项相符，请提交保密办" in panel
    client.force_login(org.security_officer)
    panel = hits_panel(client.get(f"/publication/{req.pk}/").content.decode())
    assert top.title in panel and "绝密★10年" in panel


def test_the_review_runs_through_the_forms(client, org):
    req = submit(org.staff_confidential)
    client.force_login(org.dept_head)
    r = client.post(f"/publication/{req.pk}/forward/", {"reasons": "同意"}, follow=True)
    assert "已同意并报保密办" in r.content.decode()
    client.force_login(org.security_officer)
    r = client.post(f"/publication/{req.pk}/approve/", {"reasons": "不涉密"}, follow=True)
    html = r.content.decode()
    assert "审查版本已固定" in html and 'id="version"' in html
    req.refresh_from_db()
    part = req.approved_version.parts.get()
    client.force_login(org.staff_confidential)
    download = client.get(f"/publication/{req.pk}/parts/{part.pk}/")
    data = b"".join(download.streaming_content)
    r = client.post(f"/publication/{req.pk}/publish/", {"where": "门户网站", "published_on": today().isoformat(),
                                                        "file": upload("x.txt", data)}, follow=True)  # fmt: skip
    assert "发布情况已登记" in r.content.decode()
    req.refresh_from_db()
    assert req.status == "published"


def test_errors_are_shown_on_the_page(client, org):
    make_item(org)
    req = to_office(org, submit(org.staff_confidential, f"{SECRET_TITLE}。"))
    client.force_login(org.security_officer)
    r = client.post(f"/publication/{req.pk}/approve/", {"reasons": "同意"}, follow=True)
    assert "国家秘密不得公开" in r.content.decode()
    r = client.post(f"/publication/{req.pk}/refuse/", {"reasons": ""}, follow=True)
    assert "理由" in r.content.decode()
    r = client.post(
        f"/publication/{req.pk}/refuse/", {"reasons": "涉密", "ground": "state_secret"}, follow=True
    )
    assert "该信息不予公开" in r.content.decode()


def test_exports_from_the_pages(client, org):
    req = submit(org.staff_confidential)
    client.force_login(org.security_officer)
    r = client.get("/publication/register.xlsx")
    assert r.status_code == 200 and r["Content-Type"].startswith("application/vnd.openxml")
    r = client.get(f"/publication/{req.pk}/form.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    client.force_login(org.staff_confidential)
    since = last_audit_id()
    assert_denied(client.get(f"/publication/{req.pk}/form.pdf"), actor=org.staff_confidential, since=since)


def test_forbidden_pages_look_like_not_found(client, org):
    req = submit(org.staff_confidential)
    client.force_login(org.staff_other_dept)
    since = last_audit_id()
    assert_denied(client.get(f"/publication/{req.pk}/"), actor=org.staff_other_dept, since=since)
    assert client.post(f"/publication/{req.pk}/forward/", {"reasons": "x"}).status_code == 404
    assert client.get("/publication/keywords/").status_code == 404
    assert client.get("/publication/register.xlsx").status_code == 404
    assert client.post(f"/publication/{req.pk}/nonsense/").status_code == 404


def test_keywords_page(client, org):
    client.force_login(org.security_officer)
    r = client.post("/publication/keywords/", {"text": "天网工程", "note": "代号"}, follow=True)
    assert "关键词已新增" in r.content.decode()
    kw = services.add_keyword(org.security_officer, text="地网工程")
    r = client.post(f"/publication/keywords/{kw.pk}/toggle/", follow=True)
    assert "关键词已修改" in r.content.decode()


def test_lists_and_start_page(client, org):
    req = submit(org.staff_confidential)
    client.force_login(org.dept_head)
    html = client.get("/publication/").content.decode()
    assert req.number in html and "待您审查" in html
    assert "待您审查的拟公开信息" in client.get("/").content.decode()
    client.force_login(org.staff_confidential)
    html = client.get("/publication/").content.decode()
    assert req.number in html and "我审查或监督的全部申请" not in html
