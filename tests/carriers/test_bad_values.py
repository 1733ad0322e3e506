"""Bad values refused with clear Chinese reasons (issue 12 §5): a 公开 item registered as a
涉密 carrier (CAR-1, R-CLS-3); a loan due ten years ahead (CAR-6, ``CARRIERS_LOAN_MAX_DAYS``);
a program uploaded as a classified document's content (CAR-2); Django's NUL-character message
said properly (SEC-7)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from baomi.carriers import services
from baomi.carriers.models import Carrier
from baomi.core.errors import ValidationFailed
from baomi.core.levels import Level
from tests.carriers.factories import make_carrier, make_item

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_public_item_has_no_classified_carrier(org):
    """CAR-1, R-CLS-3: registering a carrier of a 公开 item is refused on ``item``, in Chinese."""
    item = make_item(org, Level.PUBLIC, title="政务公开指南", reference="办〔2026〕30号")
    r = _api(org.security_officer).post("/api/v1/carriers/", {"item": item.pk, "kind": "paper",
                                        "custodian": org.staff_secret.pk, "copies": 1}, format="json")  # fmt: skip
    assert r.status_code == 400, r.content
    assert "涉密事项" in r.json()["error"]["fields"]["item"][0]  # the form and API do not offer it
    with pytest.raises(ValidationFailed, match="密级为公开"):  # nor does the service take it (imports)
        services.register_carrier(org.security_officer, item=item, kind="paper", custodian=org.staff_secret)
    assert not Carrier.objects.filter(item=item).exists()


def test_loan_ten_years_ahead_is_refused(org, settings):
    """CAR-6: a loan is for days, not years; the limit is a setting (default 90 days)."""
    carrier = make_carrier(org, scope=[org.case_handler])
    api = _api(org.case_handler)
    far = timezone.localdate() + dt.timedelta(days=3650)
    r = api.post(f"/api/v1/carriers/{carrier.pk}/lend/", {"place": "阅文室", "due_on": far, "reason": "学习"},
                 format="json")  # fmt: skip
    assert r.status_code == 400
    assert r.json()["error"]["fields"]["due_on"] == ["借阅期限最长 90 天；需要更长时间的，请办理载体移交。"]
    settings.CARRIERS_LOAN_MAX_DAYS = 3650
    r = api.post(f"/api/v1/carriers/{carrier.pk}/lend/", {"place": "阅文室", "due_on": far, "reason": "学习"},
                 format="json")  # fmt: skip
    assert r.status_code == 200, r.content


@pytest.mark.parametrize(("name", "data"), [("会议纪要.pdf", b"MZ\x90\x00\x03\x00\x00\x00"),
                                            ("setup.exe", b"%PDF-1.4 not really"),
                                            ("run.sh", b"#!/bin/sh\nrm -rf /\n")])  # fmt: skip
def test_program_is_not_a_document(org, name, data):
    """CAR-2: an executable or script (by its first bytes or its name) is refused as the
    content of a classified carrier, with the reason on the page."""
    carrier = make_carrier(org, kind="electronic")
    c = Client()
    c.force_login(org.staff_secret)
    r = c.post(reverse("carriers:action", args=[carrier.pk, "upload"]),
               {"file": SimpleUploadedFile(name, data, content_type="application/octet-stream")})  # fmt: skip
    assert "不能作为涉密载体的电子内容上传" in r.content.decode()
    carrier.refresh_from_db()
    assert carrier.blob_id is None


def test_nul_character_is_told_properly(org):
    """SEC-7: a NUL character in a text field is refused with a proper Chinese sentence, not
    Django's 「不允许是用空字符串」."""
    carrier = make_carrier(org, scope=[org.case_handler])
    r = _api(org.case_handler).post(f"/api/v1/carriers/{carrier.pk}/lend/",
                                    {"place": "阅文\x00室", "due_on": timezone.localdate(), "reason": "学习"},
                                    format="json")  # fmt: skip
    assert r.status_code == 400
    message = r.json()["error"]["fields"]["place"][0]
    assert message == "不能包含空字符（NUL，\\0）：请删除后重新输入。" and "是用" not in message
