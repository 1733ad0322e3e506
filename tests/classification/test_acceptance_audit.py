"""Gaps found by the acceptance audit of CLS-1..11 against REQUIREMENTS.md and LAW.md: each test
states the behaviour the requirement asks for and failed before its fix."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from baomi.access.errors import AccessDenied
from baomi.classification import selectors, services
from baomi.classification.choices import NoticeKind
from baomi.classification.models import Notice, ReviewDecision
from baomi.core.errors import InvalidTransition, ValidationFailed
from baomi.core.levels import Level
from tests.classification.conftest import determine, propose

pytestmark = pytest.mark.django_db
BASE = "/api/v1/classification"
YEARS = {"duration_kind": "period", "duration_unit": "year"}


def _row(campaign, item) -> ReviewDecision:
    return campaign.decisions.get(item=item)


def test_review_change_cannot_raise_above_the_authoritys_level(org):
    """CLS-10, R-DET-1/4: in the annual review a 定密责任人 authorised for 机密 may not raise an item
    to 绝密; the higher level needs an authority covering it, as in the normal approval."""
    item = determine(org, level=Level.CONFIDENTIAL)
    campaign = services.open_review(org.security_officer, year=2026)
    with pytest.raises(AccessDenied):
        services.decide_review(
            org.authority_secret, _row(campaign, item), choice="change", level=Level.TOP_SECRET
        )
    item.refresh_from_db()
    assert item.level == Level.CONFIDENTIAL
    assert _row(campaign, item).decision == ""


def test_review_change_above_unit_authority_is_refused(org, settings):
    """CLS-10, ORG-4, R-DET-5: a review cannot raise an original item above the unit's 定密权限;
    that goes upward through the normal flow."""
    settings.UNIT_AUTHORITY = Level.SECRET
    item = determine(org, level=Level.CONFIDENTIAL)
    campaign = services.open_review(org.security_officer, year=2026)
    with pytest.raises(InvalidTransition):
        services.decide_review(org.unit_head, _row(campaign, item), choice="change", level=Level.TOP_SECRET)
    item.refresh_from_db()
    assert item.level == Level.CONFIDENTIAL


def test_review_extension_must_end_later(org):
    """CLS-10, R-CHG-2: an "extension" in the review that ends earlier is refused, as in
    propose_change; it would shorten the period."""
    item = determine(org, level=Level.CONFIDENTIAL, years=5)
    campaign = services.open_review(org.security_officer, year=2026)
    with pytest.raises(ValidationFailed) as exc:
        services.decide_review(org.authority_secret, _row(campaign, item), choice="extend",
                               duration={**YEARS, "duration_value": 1})  # fmt: skip
    assert "duration_value" in exc.value.fields
    item.refresh_from_db()
    assert item.mark_text() == "秘密★5年"


def test_review_extension_needs_a_fixed_end(org):
    """CLS-10, R-CHG-2: an item under a condition has no end to extend."""
    item = determine(
        org, level=Level.CONFIDENTIAL, duration={"duration_kind": "condition", "condition": "项目验收后"}
    )
    campaign = services.open_review(org.security_officer, year=2026)
    with pytest.raises(ValidationFailed):
        services.decide_review(org.authority_secret, _row(campaign, item), choice="extend",
                               duration={**YEARS, "duration_value": 5})  # fmt: skip
    assert item.mark_text() == "秘密★项目验收后"


def test_review_closes_when_an_item_expired_meanwhile(org, client):
    """CLS-10, R-DECL-1/2: an item declassified on expiry after the campaign opened needs no
    decision; the campaign can still be closed and its progress is complete."""
    kept = determine(org, level=Level.CONFIDENTIAL, years=5, title="a")
    gone = determine(org, level=Level.CONFIDENTIAL, years=1, title="b")
    campaign = services.open_review(org.security_officer, year=2026)
    assert services.expire_items(date(2027, 6, 1)) == [gone.pk]
    services.decide_review(org.authority_secret, _row(campaign, kept), choice="keep", note="仍需保密")
    assert selectors.campaign_progress(campaign) == {"total": 1, "done": 1, "percent": 100}
    client.force_login(org.security_officer)
    body = client.get(reverse("classification:campaign", args=[campaign.pk])).content.decode()
    assert "已解除保密，无需审核" in body
    services.close_review(org.security_officer, campaign)
    campaign.refresh_from_db()
    assert campaign.closed_at is not None


def test_derived_from_long_term_source_inherits_the_basis(org):
    """CLS-5, R-DET-6, R-DUR-6: a derived item takes the source's 长期 duration together with
    its recorded basis; the case handler need not (and cannot) invent one."""
    source = determine(org, level=Level.CONFIDENTIAL, duration={"duration_kind": "period", "long_term": True},
                       duration_basis="保密事项范围第5条另有规定", scope_users=[org.staff_secret])  # fmt: skip
    derived = propose(org, origin="derived", sources=[source], basis_text="", title="汇报提纲")
    assert derived.mark_text() == "秘密★长期"
    assert derived.duration_basis == "保密事项范围第5条另有规定"


def test_period_needs_the_marked_issue_date(org):
    """R-DUR-3, CLS-9: a period runs from the marked issue date; a period without it would never
    end, so the proposal asks for it (or for the written-notice start basis)."""
    with pytest.raises(ValidationFailed) as exc:
        propose(org, level=Level.CONFIDENTIAL, years=2, period_start=None)
    assert "period_start" in exc.value.fields
    item = propose(
        org, level=Level.CONFIDENTIAL, years=2, period_start=None, start_basis="written_notice_date"
    )
    assert item.expires_on is not None


def test_period_start_missing_is_a_chinese_form_error(client, org):
    """R-DUR-3, SEC-7: the propose form shows the missing issue date as a Chinese field error."""
    client.force_login(org.case_handler)
    r = client.post(reverse("classification:propose"), {
        "title": "招标方案", "department": org.departments["OFFICE"].pk, "origin": "original",
        "level": Level.CONFIDENTIAL, "basis_text": "第5条", "duration_kind": "period", "duration_value": 2,
        "duration_unit": "year", "start_basis": "marked_issue_date",
    })  # fmt: skip
    assert r.status_code == 200
    assert "保密期限自载体上标明的制发日起算" in r.content.decode()


def test_api_unknown_ids_are_chinese_field_errors(api_client, org, determined):
    """SEC-7, CLS-8: an unknown person in a change is a structured error on that field, in Chinese."""
    api_client.force_authenticate(org.case_handler)
    r = api_client.post(f"{BASE}/items/{determined.pk}/change/",
                        {"kind": "change", "reason": "调整", "add_users": [999999]}, format="json")  # fmt: skip
    assert r.status_code == 400
    fields = r.json()["error"]["fields"]
    assert list(fields) == ["add_users"]
    assert "不存在" in fields["add_users"][0]


def test_change_cannot_remove_entries_of_another_item(org, determined):
    """CLS-8, R-SCOPE-1: a change removes only the item's own scope entries."""
    other = determine(org, level=Level.CONFIDENTIAL, scope_users=[org.staff_confidential], title="其他")
    foreign = other.scope.first()
    with pytest.raises(ValidationFailed) as exc:
        services.propose_change(org.case_handler, determined, kind="change", reason="调整",
                                remove_entries=[foreign.pk])  # fmt: skip
    assert "remove_entries" in exc.value.fields


def test_guide_entry_period_needs_a_unit(org):
    """CLS-11: a suggested period says years or months; 5 without a unit is refused."""
    with pytest.raises(ValidationFailed) as exc:
        services.create_guide_entry(org.security_officer, code="A-9", title="招标文件", level=Level.CONFIDENTIAL,
                                    duration_kind="period", duration_value=5, duration_unit="")  # fmt: skip
    assert "duration_unit" in exc.value.fields


def test_person_removed_from_scope_is_notified(org):
    """R-SCOPE-4, CLS-8: a scope change is notified in writing to everyone in the scope, including
    the person it takes out, with proof of delivery by acknowledgement."""
    item = determine(org, level=Level.CONFIDENTIAL, scope_users=[org.staff_secret, org.staff_confidential])
    entry = item.scope.get(user=org.staff_confidential)
    req = services.propose_change(org.case_handler, item, kind="change", reason="缩小知悉范围",
                                  remove_entries=[entry.pk])  # fmt: skip
    services.approve_request(org.authority_secret, req, reason="同意")
    kept = Notice.objects.filter(item=item, kind=NoticeKind.CHANGED)
    assert set(kept.values_list("recipient", flat=True)) >= {org.staff_secret.pk, org.staff_confidential.pk}
    notice = kept.get(recipient=org.staff_confidential)
    services.acknowledge_notice(org.staff_confidential, notice)
    notice.refresh_from_db()
    assert notice.acknowledged_at is not None


def test_declassification_date_already_reached_is_refused(org, api_client):
    """CLS-3, R-DECL-2: a 解密时间 already reached cannot be proposed (the item would be
    declassified at once), even when the period start lies further back; the API answers with a
    structured Chinese error on ``until_date``."""
    past = date.today() - timedelta(days=1)
    with pytest.raises(ValidationFailed) as exc:
        propose(org, level=Level.CONFIDENTIAL, duration={"duration_kind": "until", "until_date": past},
                period_start=date.today() - timedelta(days=400))  # fmt: skip
    assert "until_date" in exc.value.fields
    api_client.force_authenticate(org.case_handler)
    r = api_client.post(f"{BASE}/items/", {
        "title": "会议纪要", "level": Level.CONFIDENTIAL, "department": org.departments["OFFICE"].pk,
        "basis_text": "第2条", "duration_kind": "until", "until_date": past.isoformat(),
        "period_start": (date.today() - timedelta(days=400)).isoformat(),
    }, format="json")  # fmt: skip
    assert r.status_code == 400
    assert "已届至" in r.json()["error"]["fields"]["until_date"][0]


def test_lists_of_classified_items_show_the_mark(client, org):
    """CLS-7: the mark appears wherever a classified item appears: the approval queue, the list of
    disputes and the expansion requests show 「秘密★6个月」, not only the level word."""
    item = propose(org, level=Level.CONFIDENTIAL, years=None, title="采购方案", scope_users=[org.staff_secret],
                   duration={"duration_kind": "period", "duration_value": 6, "duration_unit": "month"},
                   period_start=date.today())  # fmt: skip
    client.force_login(org.authority_secret)
    assert "秘密★6个月" in client.get(reverse("classification:queue")).content.decode()
    services.approve_request(org.authority_secret, item.requests.get(), reason="同意")
    services.open_matter(org.security_officer, item, kind="unclear", description="范围未列明")
    client.force_login(org.security_officer)
    assert "秘密★6个月" in client.get(reverse("classification:matters")).content.decode()
    services.request_expansion(org.case_handler, item, person=org.staff_other_dept, reason="会商需要")
    client.force_login(org.unit_head)
    assert "秘密★6个月" in client.get(reverse("classification:expansions")).content.decode()


def test_review_form_can_extend_to_long_term_with_a_basis(client, org):
    """CLS-10, R-DUR-6: the review form offers 长期 (with its recorded basis) for an extension, as
    the propose and change forms do."""
    item = determine(org, level=Level.CONFIDENTIAL, years=5)
    campaign = services.open_review(org.security_officer, year=2026)
    client.force_login(org.authority_secret)
    r = client.post(reverse("classification:review-decide", args=[_row(campaign, item).pk]), {
        "choice": "extend", "duration_kind": "period", "long_term": "on", "duration_basis": "保密事项范围第5条另有规定",
        "note": "长期保密",
    })  # fmt: skip
    assert r.status_code == 302, r.content.decode()
    item.refresh_from_db()
    assert item.mark_text() == "秘密★长期"
    assert item.duration_basis == "保密事项范围第5条另有规定"


def test_lowering_to_non_secret_is_lifting_not_a_change(org, determined):
    """CLS-8, R-MARK-8: a secret made non-secret must be lifted (recorded and marked 「解密」); a
    change to 内部 is refused with a message that says so, in the change flow and in the review."""
    with pytest.raises(ValidationFailed) as exc:
        services.propose_change(
            org.case_handler, determined, kind="change", reason="降为内部", level=Level.INTERNAL
        )
    assert "level" in exc.value.fields and "解除" in str(exc.value.message)
    campaign = services.open_review(org.security_officer, year=2026)
    with pytest.raises(ValidationFailed):
        services.decide_review(
            org.authority_secret, _row(campaign, determined), choice="change", level=Level.INTERNAL
        )
    determined.refresh_from_db()
    assert determined.mark_text() == "机密★5年"


def test_matter_dates_out_of_order_are_chinese_form_errors(client, org, determined):
    """CLS-6, R-DET-10: a report dated before the provisional protection, or a decision dated
    before the report, is refused on its field with a Chinese message (deadlines count from them)."""
    matter = services.open_matter(org.security_officer, determined, kind="unclear", set_on=date(2026, 3, 2))
    with pytest.raises(ValidationFailed) as exc:
        services.report_matter(
            org.security_officer, matter, reported_on=date(2026, 2, 27), reference="办〔2026〕7号"
        )
    assert "reported_on" in exc.value.fields
    client.force_login(org.security_officer)
    url = reverse("classification:matter", args=[matter.pk])
    r = client.post(url, {"action": "report", "reported_on": "2026-02-27", "reference": "办〔2026〕7号"})
    assert r.status_code == 200 and "报送日期早于采取临时保密措施的日期" in r.content.decode()
    services.report_matter(
        org.security_officer, matter, reported_on=date(2026, 3, 5), reference="办〔2026〕7号"
    )
    with pytest.raises(ValidationFailed) as exc:
        services.decide_matter(org.security_officer, matter, decision="属于国家秘密", level=Level.SECRET,
                               decided_on=date(2026, 3, 4))  # fmt: skip
    assert "decided_on" in exc.value.fields
