"""Bad values refused with clear Chinese reasons (issue 12 §5): a 定密 period start that would
make the item born expired (1990) or lies years ahead (2030), R-DUR-3; a 不予定密 item carries
no mark (R-CLS-3, R-MARK-8)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from baomi.classification import services
from baomi.core.levels import Level
from tests.classification.conftest import propose

BASE = "/api/v1/classification"


def _body(org, start: str) -> dict:
    return {"title": "采购方案", "level": Level.CONFIDENTIAL, "department": org.departments["OFFICE"].pk,
            "basis_text": "第2条", "duration_kind": "period", "duration_value": 10, "duration_unit": "year",
            "period_start": start}  # fmt: skip


@pytest.mark.parametrize(
    ("start", "words"),
    [
        ("1990-03-01", ["自1990年3月1日起算", "已于2000年3月1日届满"]),
        ("2030-03-01", ["2030年3月1日", "30 天"]),
    ],
)
def test_period_start_far_back_or_ahead_is_refused(org, api_client, start, words):
    """R-DUR-3: 1990 (born expired: 10 years end in 2000) and 2030 (years ahead) are refused
    on ``period_start`` with the dates in Chinese; today's date is accepted."""
    api_client.force_authenticate(org.case_handler)
    r = api_client.post(f"{BASE}/items/", _body(org, start), format="json")
    assert r.status_code == 400, r.content
    message = r.json()["error"]["fields"]["period_start"][0]
    assert all(w in message for w in words), message
    r = api_client.post(f"{BASE}/items/", _body(org, date.today().isoformat()), format="json")
    assert r.status_code == 201, r.content


def test_refused_item_shows_no_mark(org, api_client, client):
    """R-CLS-3: an item the authority refused to classify (不予定密) shows no 秘密★6个月 — not in
    the API, not on its page, not in the register."""
    item = propose(org, level=Level.CONFIDENTIAL, years=None, title="采购方案", period_start=date.today(),
                   duration={"duration_kind": "period", "duration_value": 6, "duration_unit": "month"})  # fmt: skip
    services.refuse_request(org.authority_secret, item.requests.get(), reason="不属于保密事项范围")
    api_client.force_authenticate(org.case_handler)
    data = api_client.get(f"{BASE}/items/{item.pk}/").json()
    assert data["mark"] == "" and data["mark_tampered"] is False
    client.force_login(org.case_handler)
    for url in (reverse("classification:item", args=[item.pk]), reverse("classification:items")):
        body = client.get(url).content.decode()
        # Only the mark history may show the provisional mark, struck through as cancelled.
        assert body.count("秘密★6个月") == body.count('已作废的标志">秘密★6个月</s>') and "不予定密" in body


def test_internal_has_one_meaning(org, client):
    """GLOSSARY, R-WS-3: the bare word 「内部」 is the work secret's mark; the non-secret level
    `internal` reads 「内部（非涉密）」 wherever a level is named (register, forms, ledgers), so a
    document stamped 「内部」 is not taken for a non-secret one."""
    from django.utils import translation

    from baomi.carriers.ledger import mark_for
    from baomi.core import marks

    work = propose(org, level=Level.WORK_SECRET, years=None, title="工作要点", period_start=None,
                   basis_text="")  # fmt: skip
    internal = propose(
        org, level=Level.INTERNAL, years=None, title="通讯录", period_start=None, basis_text=""
    )
    client.force_login(org.case_handler)
    body = client.get(reverse("classification:items")).content.decode()
    assert "内部（非涉密）" in body and ">内部<" in body  # the level word, and the work secret's mark
    form = client.get(reverse("classification:propose")).content.decode()
    assert ">内部（非涉密）</option>" in form and ">内部</option>" not in form
    with translation.override("zh-hans"):
        assert marks.make_mark(Level.WORK_SECRET) == "内部" != mark_for(Level.INTERNAL) == "内部（非涉密）"
    assert work.level == Level.WORK_SECRET and internal.level == Level.INTERNAL
