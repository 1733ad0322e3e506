"""Unclear matters, disputes, the working-day calendar and the annual review (CLS-6, CLS-10,
R-DET-10/11, R-DECL-1)."""

from __future__ import annotations

from datetime import date

import pytest

from baomi.access.errors import AccessDenied
from baomi.accounts import services as accounts
from baomi.classification import selectors, services, workdays
from baomi.classification.choices import ItemStatus
from baomi.core.errors import InvalidTransition
from baomi.core.levels import Level
from tests.classification.conftest import determine

pytestmark = pytest.mark.django_db


def test_working_days_skip_weekends_and_holidays_and_count_makeup_days(org):
    """10 working days: weekends and listed holidays excluded, 调休 days included (CLS-6)."""
    # 2026-09-25 is a Friday; National Day week 10-01..10-07, make-up day Sunday 09-27, Saturday 10-10.
    start = date(2026, 9, 25)
    assert workdays.add_working_days(start, 10) == date(2026, 10, 9)
    for d in range(1, 8):
        services.set_calendar_day(org.security_officer, day=date(2026, 10, d), kind="holiday", name="国庆节")
    services.set_calendar_day(org.security_officer, day=date(2026, 9, 27), kind="workday", name="国庆调休")
    services.set_calendar_day(org.security_officer, day=date(2026, 10, 10), kind="workday", name="国庆调休")
    # 09-27 (Sun, make-up), 09-28, 09-29, 09-30, 10-08, 10-09, 10-10 (Sat, make-up), 10-12, 10-13, 10-14
    assert workdays.add_working_days(start, 10) == date(2026, 10, 14)
    assert workdays.working_days_between(start, date(2026, 10, 14)) == 10
    with pytest.raises(AccessDenied):
        services.set_calendar_day(org.staff_secret, day=date(2026, 5, 1), kind="holiday")


def test_unclear_matter_deadlines_and_overdue(org):
    item = determine(org, level=Level.SECRET)
    matter = services.open_matter(org.security_officer, item, kind="unclear", set_on=date(2026, 1, 5))
    assert matter.report_due == date(2026, 1, 19)
    assert matter.report_to == "provincial"
    assert selectors.matters(org.security_officer, overdue_only=True).filter(pk=matter.pk).exists()
    services.report_matter(
        org.security_officer, matter, reported_on=date(2026, 1, 16), reference="报〔2026〕1号"
    )
    matter.refresh_from_db()
    assert matter.decision_due == date(2026, 1, 30)
    with pytest.raises(InvalidTransition):
        services.report_matter(org.security_officer, matter)
    services.decide_matter(org.security_officer, matter, decision="属于国家秘密", level=Level.CONFIDENTIAL)
    item.refresh_from_db()
    assert item.level == Level.CONFIDENTIAL
    assert item.mark_text() == "秘密★5年"


def test_dispute_applies_highest_claim(org):
    """In a dispute the highest level any party claims applies until decided (R-DET-11)."""
    item = determine(org, level=Level.CONFIDENTIAL, scope_users=[org.staff_confidential])
    matter = services.open_matter(org.authority_top_secret, item, kind="dispute",
                                  claims=[{"party": "承办处室", "level": Level.CONFIDENTIAL}])  # fmt: skip
    services.add_claim(org.security_officer, matter, party="上级机关", level=Level.SECRET)
    item.refresh_from_db()
    assert item.level == Level.SECRET
    assert item.mark_text() == "机密★5年"
    assert (
        not selectors.items(org.staff_confidential).filter(pk=item.pk).exists()
    )  # now above their clearance


def test_annual_review_campaign(org):
    """Every live item listed; one decision each by a named authority; progress (CLS-10, R-DECL-1)."""
    a = determine(org, level=Level.SECRET, title="a")
    b = determine(org, level=Level.CONFIDENTIAL, title="b")
    accounts.set_clearance(None, org.case_handler, Level.TOP_SECRET, bootstrap=True)  # CLS-4
    c = determine(org, level=Level.TOP_SECRET, title="c")
    campaign = services.open_review(org.security_officer, year=2026)
    assert campaign.decisions.count() == 3
    rows = {r.item_id: r for r in campaign.decisions.all()}
    services.decide_review(org.authority_secret, rows[a.pk], choice="keep", note="仍需保密")
    services.decide_review(org.authority_secret, rows[b.pk], choice="lift", note="已无保密必要")
    with pytest.raises(AccessDenied):
        services.decide_review(org.authority_secret, rows[c.pk], choice="keep")
    assert selectors.campaign_progress(campaign)["done"] == 2
    with pytest.raises(InvalidTransition):
        services.close_review(org.security_officer, campaign)
    services.decide_review(org.authority_top_secret, rows[c.pk], choice="extend",
                           duration={"duration_kind": "period", "duration_value": 8, "duration_unit": "year"})  # fmt: skip
    services.close_review(org.security_officer, campaign)
    b.refresh_from_db()
    c.refresh_from_db()
    assert b.status == ItemStatus.DECLASSIFIED
    assert c.duration_value == 8
    rows[a.pk].refresh_from_db()
    assert rows[a.pk].decided_by == org.authority_secret
