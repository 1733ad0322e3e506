"""Secret meetings API and pages (SUP-12)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from baomi.meetings.models import MeetingApproval
from tests.support.registers import place

pytestmark = pytest.mark.django_db


def test_api_plan_list_issue_approve_and_refuse_closing(org, api_client, copies):
    venue = place(org, code="KP-A", kind="meeting_room")
    now = timezone.now()
    api_client.force_authenticate(org.security_officer)
    r = api_client.post("/api/v1/meetings/", {"title": "会", "level": "secret", "plan": "方案", "venue": venue.pk,
                        "starts_at": now.isoformat(), "ends_at": (now + dt.timedelta(hours=2)).isoformat()},
                        format="json")  # fmt: skip
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    r = api_client.post(
        f"/api/v1/meetings/{pk}/attendees/", {"user": org.staff_confidential.pk}, format="json"
    )
    assert r.status_code == 400 and "低于会议密级" in r.json()["error"]["message"]
    r = api_client.post(f"/api/v1/meetings/{pk}/attendees/", {"user": org.case_handler.pk}, format="json")
    attendee = next(a["id"] for a in r.json()["attendees"] if a["user"] == org.case_handler.pk)
    r = api_client.post(
        f"/api/v1/meetings/{pk}/issue/", {"carrier": copies[0].pk, "attendee": attendee}, format="json"
    )
    assert r.status_code == 200, r.content
    issue = r.json()["carriers"][0]["id"]
    api_client.force_authenticate(org.unit_head)
    approval = api_client.get("/api/v1/meeting-approvals/").json()["results"][0]["id"]
    assert (
        api_client.post(f"/api/v1/meeting-approvals/{approval}/approve/", {}, format="json").status_code
        == 200
    )
    api_client.force_authenticate(org.security_officer)
    api_client.post(f"/api/v1/meetings/{pk}/open/")
    r = api_client.post(f"/api/v1/meetings/{pk}/carriers/{issue}/hand-out/")
    assert r.json()["carriers"][0]["status"] == "handed_out"
    r = api_client.post(f"/api/v1/meetings/{pk}/close/")
    assert r.status_code == 400 and copies[0].registry_number in r.json()["error"]["message"]
    api_client.post(f"/api/v1/meetings/{pk}/carriers/{issue}/recover/")
    assert api_client.post(f"/api/v1/meetings/{pk}/close/").json()["status"] == "closed"
    api_client.force_authenticate(org.staff_confidential)  # below the level: the meeting is not there
    assert api_client.get(f"/api/v1/meetings/{pk}/").status_code == 404


def test_meeting_page_rows_link_and_buttons(org, client, meeting, copies):
    from baomi.meetings import services

    issue = services.issue_carrier(
        org.security_officer, meeting, carrier=copies[0], attendee=meeting.attendee
    )
    client.force_login(org.unit_head)
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert "批准保密方案" in html
    client.post(
        f"/meetings/approvals/{MeetingApproval.objects.get(meeting=meeting).pk}/approve/", {"reason": "同意"}
    )
    client.force_login(org.security_officer)
    client.post(f"/meetings/{meeting.pk}/open/")
    client.post(f"/meetings/{meeting.pk}/hand-out/{issue.pk}/")
    html = client.get(f"/meetings/{meeting.pk}/").content.decode()
    assert f'href="/carriers/{copies[0].pk}/"' in html and "件载体未收回" in html
    r = client.post(f"/meetings/{meeting.pk}/close/", follow=True)
    assert "不能结束会议" in r.content.decode()
    r = client.get("/meetings/", {"export": "xlsx"})
    assert list(load_workbook(io.BytesIO(r.content)).active.iter_rows(values_only=True))[3][0] == "专题会议"
    client.force_login(org.outsider)
    assert client.get(f"/meetings/{meeting.pk}/").status_code == 404
