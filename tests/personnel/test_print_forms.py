"""Printable 审批表 of the exit case and the travel-abroad request (issue 13, PER-5, PER-6):
「内部」 marked, the steps or opinions, the names; audited; only for who may view them."""

from __future__ import annotations

import io
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from baomi.audit.events import AuditEvent
from baomi.personnel import services
from tests.personnel.factories import carrier_for, onboarded, today
from tests.support.assertions import assert_audited, last_audit_id


def get(user, url):
    c = Client()
    c.force_login(user)
    return c.get(url)


def pdf_text(response):
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)


def flat(text):
    """The text without the line breaks and spaces the layout put in."""
    return "".join(text.split())


def test_exit_and_travel_forms(org):
    so = org.security_officer
    file = onboarded(so, org.staff_secret, "important")
    carrier = carrier_for(org.staff_secret)
    case = services.start_exit(so, file, approved_on=today())
    since = last_audit_id()
    text = pdf_text(get(so, reverse("personnel:exit-form", args=[case.pk])))
    entry = assert_audited(AuditEvent.APPROVAL_FORM_PRINTED, case, so, since=since)
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    assert lines[:2] == [f"{entry.pk:06d}", "内部"]
    assert "涉密人员离岗离职保密审批表" in flat(text) and f"LG-{case.pk}" in flat(text)
    assert org.staff_secret.full_name in flat(text) and carrier.registry_number in flat(
        text
    )  # outstanding carrier
    assert get(org.staff_other_dept, reverse("personnel:exit-form", args=[case.pk])).status_code == 404
    onboarded(so, org.staff_confidential, "general")
    trip = services.request_travel(org.staff_confidential, traveller=org.staff_confidential, destination="新加坡",
                                   purpose="学术会议", departs_on=today() + timedelta(days=10),
                                   returns_on=today() + timedelta(days=15))  # fmt: skip
    text = pdf_text(get(org.staff_confidential, reverse("personnel:travel-form", args=[trip.pk])))
    assert "涉密人员出国（境）审批表" in flat(text) and "新加坡" in flat(text) and "学术会议" in flat(text)
    assert (today() + timedelta(days=10)).isoformat() in flat(text)
