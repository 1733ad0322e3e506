"""Incident pages: render in Chinese for the right people, refuse others like not found, keep
the reporter to the security office, and work an incident through the forms (SUP-2)."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from baomi.incidents import services
from baomi.incidents.models import Incident
from tests.incidents.factories import ago, concluded, local_input, open_one
from tests.support.assertions import assert_denied, last_audit_id


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_pages_render_for_the_security_officer(org):
    incident = open_one(org, kind="personal_information")
    closed = concluded(org)
    services.close_incident(org.security_officer, closed)
    c = client_for(org.security_officer)
    for url in [reverse("incidents:list"), reverse("incidents:list") + "?clock=overdue&kind=other&status=open&q=x",
                reverse("incidents:detail", args=[incident.pk]), reverse("incidents:detail", args=[closed.pk]),
                reverse("incidents:report"), reverse("incidents:mine")]:  # fmt: skip
        r = c.get(url)
        assert r.status_code == 200, url
        assert "保密事件" in r.content.decode(), url


def test_report_by_a_staff_member_through_the_form(org):
    c = client_for(org.staff_work_secret)
    r = c.post(reverse("incidents:report"), {
        "kind": "suspected_leak", "title": "发现疑似泄密", "description": "外网邮箱中发现内部文件",
        "discovered_at": local_input(ago(1)), "place": "信息中心", "carriers": "",
    })  # fmt: skip
    incident = Incident.objects.get(title="发现疑似泄密")
    assert r.status_code == 302 and r.url == reverse("incidents:detail", args=[incident.pk])
    page = c.get(r.url).content.decode()
    assert "发现疑似泄密" in page and "仅保密办可见" not in page
    officer_page = client_for(org.security_officer).get(r.url).content.decode()
    assert (
        "staff_work_secret" in officer_page and "仅保密办可见" in officer_page
    )  # the reporter, for the office
    assert "剩" in officer_page or "小时" in officer_page  # the clock shows


def test_unknown_carrier_number_is_a_message_not_a_500(org):
    c = client_for(org.staff_secret)
    r = c.post(reverse("incidents:report"), {"kind": "lost_carrier", "title": "x", "description": "y",
                                             "discovered_at": local_input(ago(1)),
                                             "carriers": "NOPE-0001"})  # fmt: skip
    assert r.status_code == 200 and not Incident.objects.exists()


def test_work_an_incident_through_the_forms(org):
    incident = open_one(org)
    c = client_for(org.security_officer)
    url = lambda a: reverse("incidents:action", args=[incident.pk, a])  # noqa: E731
    when = local_input(ago(0.2))
    c.post(
        url("upward"),
        {"recipient": "same_level", "reported_at": when, "channel": "phone", "reference": "记录1"},
    )
    c.post(
        url("upward"),
        {"recipient": "superior", "reported_at": when, "channel": "document", "reference": "报2"},
    )
    c.post(url("action"), {"text": "封存保密柜", "occurred_at": when})
    c.post(url("case"), {"case_number": "案-1", "note": ""})
    c.post(url("conclude"), {"review_result": "not_leaked", "conclusion": "未泄密"})
    r = c.post(url("close"))
    assert r.status_code == 302
    incident.refresh_from_db()
    assert incident.status == "closed"
    r = c.post(url("note"), {"text": "晚到的记录"}, follow=True)
    assert "已办结" in r.content.decode()  # the service's refusal, in Chinese, not a 500
    assert c.post(url("nonsense")).status_code == 404


def test_strangers_get_not_found(org):
    incident = open_one(org)
    since = last_audit_id()
    c = client_for(org.staff_other_dept)
    assert_denied(
        c.get(reverse("incidents:detail", args=[incident.pk])), actor=org.staff_other_dept, since=since
    )
    assert c.get(reverse("incidents:list")).status_code == 404
    r = c.post(reverse("incidents:action", args=[incident.pk, "close"]))
    assert r.status_code == 404
