"""定密 only by trained people (R-DET-12) under a written designation (R-DET-7): the same rule for
the page, the API and the annual review, since all of them call the services."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from baomi.accounts import services as accounts
from baomi.accounts.models import AuthorityDesignation
from baomi.classification import services
from baomi.classification.choices import RequestStatus
from baomi.core.durations import format_date
from baomi.core.errors import ValidationFailed
from baomi.core.levels import Level
from baomi.personnel import services as personnel
from baomi.personnel.selectors import add_months
from tests.classification.conftest import determine, propose
from tests.support import personas

BASE = "/api/v1/classification"
ITEM = {"title": "采购方案", "level": Level.CONFIDENTIAL, "basis_text": "第2条", "duration_kind": "period",
        "duration_value": 6, "duration_unit": "month", "period_start": date.today().isoformat()}  # fmt: skip


@pytest.fixture
def untrained(db, settings):
    """The personas, nobody trained yet."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return personas.build()


def _lapsed(org, *names: str) -> date:
    """A 定密 training held 13 months ago (the period is 12): returns the day it ran out."""
    held = add_months(timezone.localdate(), -13)
    session = personnel.create_session(org.security_officer, title="定密培训（上年度）", kind="determination",
                                       held_on=held)  # fmt: skip
    for name in names:
        personnel.record_attendance(org.security_officer, session, org.users[name])
    return add_months(held, 12)


def test_work_secrets_are_determined_without_state_secret_training(untrained, api_client):
    """R-DET-12 is the training for determining 国家秘密 (实施条例 Art 14); a 工作秘密 is determined
    under its own rules (R-WS-3). An untrained case handler proposes 「内部」 but not 秘密, and a
    work secret derived from a 秘密 source is a state-secret determination after all."""
    org = untrained
    api_client.force_authenticate(org.case_handler)
    work = {**ITEM, "level": Level.WORK_SECRET, "department": org.departments["OFFICE"].pk}
    r = api_client.post(f"{BASE}/items/", work, format="json")
    assert r.status_code == 201, r.content
    r = api_client.post(f"{BASE}/items/", {**work, "level": Level.SECRET}, format="json")
    assert r.status_code == 400 and "training" in r.json()["error"]["fields"]
    secret = propose(org, level=Level.SECRET)  # by a trained handler
    other = org.staff_secret  # a second case handler, untrained
    accounts.assign_role(org.security_officer, other, "case_handler")
    with pytest.raises(ValidationFailed) as exc:
        services.propose_item(other, title="汇编", level=Level.WORK_SECRET, department=other.department,
                              origin="derived", sources=[secret], basis_text="第3条")  # fmt: skip
    assert "training" in exc.value.fields


def test_untrained_case_handler_cannot_propose_through_the_api(untrained, api_client):
    """R-DET-12: no 定密 training, no proposal; the API answers a structured refusal in Chinese."""
    org = untrained
    api_client.force_authenticate(org.case_handler)
    r = api_client.post(f"{BASE}/items/", {**ITEM, "department": org.departments["OFFICE"].pk}, format="json")
    assert r.status_code == 400
    body = r.json()["error"]
    assert "training" in body["fields"] and "没有定密培训记录" in body["message"]
    ran_out = _lapsed(org, "case_handler")
    r = api_client.post(f"{BASE}/items/", {**ITEM, "department": org.departments["OFFICE"].pk}, format="json")
    assert r.status_code == 400 and format_date(ran_out) in r.json()["error"]["message"]
    personas.train_determiners(org, ("case_handler",))
    r = api_client.post(f"{BASE}/items/", {**ITEM, "department": org.departments["OFFICE"].pk}, format="json")
    assert r.status_code == 201, r.content


def test_authority_with_lapsed_training_cannot_decide_on_the_page(untrained, client):
    """R-DET-12: the approval page refuses an authority whose training ran out, naming the day;
    the request stays pending. Refusing a proposal is a decision too."""
    org = untrained
    personas.train_determiners(org, ("case_handler",))
    ran_out = _lapsed(org, "authority_secret")
    item = propose(org, level=Level.CONFIDENTIAL)
    req = item.requests.get()
    client.force_login(org.authority_secret)
    url = reverse("classification:request", args=[req.pk])
    body = client.post(url, {"action": "approve", "reason": "同意"}).content.decode()
    assert f"定密培训已于{format_date(ran_out)}到期" in body
    body = client.post(url, {"action": "refuse", "reason": "不予定密"}).content.decode()
    assert f"定密培训已于{format_date(ran_out)}到期" in body
    req.refresh_from_db()
    assert req.status == RequestStatus.PENDING
    personas.train_determiners(org, ("authority_secret",))
    assert client.post(url, {"action": "approve", "reason": "同意"}).status_code == 302
    req.refresh_from_db()
    assert req.status == RequestStatus.APPROVED


def test_annual_review_needs_current_training(untrained):
    """R-DET-12 in the annual review (CLS-10): an untrained authority records no decision."""
    org = untrained
    personas.train_determiners(org, ("case_handler", "authority_top_secret"))
    item = determine(org, level=Level.CONFIDENTIAL)
    campaign = services.open_review(org.security_officer, year=2026)
    row = campaign.decisions.get(item=item)
    with pytest.raises(ValidationFailed, match="没有定密培训记录"):
        services.decide_review(org.authority_secret, row, choice="keep")
    personas.train_determiners(org, ("authority_secret",))
    assert services.decide_review(org.authority_secret, row, choice="keep").decision == "keep"


def test_designation_is_recorded_from_the_account_page(org, client):
    """R-DET-7: the security office records the designation with its document and first day on
    the person's page, which lists the designations."""
    tomorrow = timezone.localdate() + timedelta(days=1)
    client.force_login(org.security_officer)
    url = reverse("accounts:user-authority", args=[org.staff_secret.pk])
    client.post(url, {"authority_level": Level.SECRET,
                      "designation_document": "办〔2026〕9号", "valid_from": tomorrow.isoformat()})  # fmt: skip
    d = AuthorityDesignation.objects.get(user=org.staff_secret)
    assert (d.document, d.valid_from, d.designated_by) == ("办〔2026〕9号", tomorrow, org.security_officer)
    body = client.get(reverse("accounts:user", args=[org.staff_secret.pk])).content.decode()
    assert "书面指定记录" in body and "办〔2026〕9号" in body


def test_designation_is_a_written_record_the_approval_rule_reads(org, api_client):
    """R-DET-7: who designated whom, for which levels, from when, by which document; the
    approval rule reads the designation in force, not the role flag alone."""
    so = org.security_officer
    tomorrow = timezone.localdate() + timedelta(days=1)
    accounts.assign_role(so, org.staff_secret, "classification_authority")
    accounts.set_authority_level(so, org.staff_secret, Level.SECRET, designation_document="办〔2026〕7号",
                                 valid_from=tomorrow)  # fmt: skip
    personas.train_determiners(org, ("staff_secret",))
    d = AuthorityDesignation.objects.get(user=org.staff_secret)
    assert (d.level, d.designated_by, d.document, d.valid_from) == (
        Level.SECRET,
        so,
        "办〔2026〕7号",
        tomorrow,
    )
    item = propose(org, level=Level.CONFIDENTIAL)
    req = item.requests.get()
    api_client.force_authenticate(org.staff_secret)
    # Not in force before its first day: the request is not this person's to decide.
    assert api_client.get(f"{BASE}/requests/?queue=1").json()["count"] == 0
    assert (
        api_client.post(f"{BASE}/requests/{req.pk}/approve/", {"reason": "同意"}, format="json").status_code
        == 404
    )
    # The authority levels of the personas were designated when they were set (from today).
    assert AuthorityDesignation.in_force_for(org.authority_secret).level == Level.SECRET
    # A lower designation ends the previous one; the history stays.
    accounts.set_authority_level(
        so, org.authority_secret, Level.WORK_SECRET, designation_document="办〔2026〕8号"
    )
    history = list(AuthorityDesignation.objects.filter(user=org.authority_secret).order_by("id"))
    assert [h.level for h in history] == [Level.SECRET, Level.WORK_SECRET]
    assert history[0].ended_on == timezone.localdate() and history[0].ended_by == so
    api_client.force_authenticate(org.authority_secret)
    assert (
        api_client.post(f"{BASE}/requests/{req.pk}/approve/", {"reason": "同意"}, format="json").status_code
        == 404
    )
    api_client.force_authenticate(org.authority_top_secret)
    assert (
        api_client.post(f"{BASE}/requests/{req.pk}/approve/", {"reason": "同意"}, format="json").status_code
        == 200
    )
