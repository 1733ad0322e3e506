"""The governance pages (ORG-2, SUP-9..11): the overview with its figures and the departments
without a signed statement, and the forms that keep each record."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from baomi.governance.models import Regulation
from tests.governance.factories import plan, regulation, today

pytestmark = pytest.mark.django_db


def test_overview_lists_departments_without_a_signed_statement(client, org):
    regulation(org, review_in=-3)
    client.force_login(org.security_officer)
    html = client.get("/governance/").content.decode()
    assert 'id="missing"' in html and "财务科" in html and "未印发" in html
    assert "逾期未复审的保密制度" in html
    client.force_login(org.outsider)
    html = client.get("/governance/").content.decode()
    assert 'id="missing"' not in html  # statements are not for everyone
    assert client.get("/governance/statements/").status_code == 404


def test_statement_issue_and_sign_through_the_pages(client, org):
    client.force_login(org.security_officer)
    r = client.post("/governance/statements/", {"department": org.departments["OFFICE"].pk, "year": today().year},
                    follow=True)  # fmt: skip
    assert "责任书已印发" in r.content.decode()
    st = org.departments["OFFICE"].responsibility_statements.get()
    client.post(f"/governance/statements/{st.pk}/sign/department/", {"signed_on": today().isoformat()})
    r = client.post(f"/governance/statements/{st.pk}/sign/unit/", {"signed_on": today().isoformat(),
                                                                   "signatory": org.unit_head.pk}, follow=True)  # fmt: skip
    assert 'id="status">已签订' in r.content.decode()


def test_regulations_templates_and_versions(client, org):
    client.force_login(org.security_officer)
    r = client.post("/governance/regulations/templates/", {"approved_by": org.unit_head.pk}, follow=True)
    assert "保密制度模板已导入" in r.content.decode() and Regulation.objects.count() == 9
    reg = Regulation.objects.get(code="BMZD-02")
    html = client.get(f"/governance/regulations/{reg.pk}/").content.decode()
    assert 'id="regtext"' in html and "成立行政单位保密工作领导小组" in html
    r = client.post(f"/governance/regulations/{reg.pk}/revise/", {
        "version": "2026修订", "effective_on": today().isoformat(), "approved_by": org.unit_head.pk,
        "change_note": "以文件形式修订", "upload": SimpleUploadedFile("制度.txt", "新制度".encode()),
    }, follow=True)  # fmt: skip
    assert "新版本已登记" in r.content.decode()
    version = reg.versions.get(version="2026修订")
    download = client.get(f"/governance/versions/{version.pk}/file/")
    assert b"".join(download.streaming_content) == "新制度".encode()
    r = client.post(f"/governance/regulations/{reg.pk}/review/", {"outcome": "kept",
                                                                 "reviewed_on": today().isoformat()}, follow=True)  # fmt: skip
    assert "复审已登记" in r.content.decode()
    client.force_login(org.staff_secret)
    assert client.post(f"/governance/regulations/{reg.pk}/repeal/", {"reason": "x"}).status_code == 404


def test_plans_drills_members_and_education(client, org):
    p = plan(org)
    client.force_login(org.security_officer)
    r = client.post(f"/governance/plans/{p.pk}/drill/", {"held_on": today().isoformat(), "scenario": "载体丢失",
                                                         "participants": [org.staff_secret.pk],
                                                         "findings": "流程清楚"}, follow=True)  # fmt: skip
    assert "演练已登记" in r.content.decode()
    r = client.post("/governance/members/", {"body": "security_office", "user": org.staff_secret.pk,
                                             "position": "staff", "started_on": today().isoformat()}, follow=True)  # fmt: skip
    assert "成员已任命" in r.content.decode()
    r = client.post("/governance/education/", {"form": "event", "kind": "lecture", "title": "保密讲座",
                                               "held_on": today().isoformat(), "hours": "2",
                                               "counts_as_training": "on"}, follow=True)  # fmt: skip
    assert "活动已登记" in r.content.decode()
    from baomi.governance.models import EducationEvent

    event = EducationEvent.objects.get()
    r = client.post(f"/governance/events/{event.pk}/", {"user": org.staff_secret.pk}, follow=True)
    assert "参训情况已登记" in r.content.decode() and "已计入培训记录" in r.content.decode()
    r = client.post("/governance/education/", {"form": "campaign", "title": "宣传月", "starts_on": today().isoformat(),
                                               "ends_on": today().isoformat()}, follow=True)  # fmt: skip
    assert "宣传活动已登记" in r.content.decode()
