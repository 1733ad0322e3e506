"""The annual review shows last year's decision on each item (CLS-10, R-DECL-1): choice, who and
when, on the campaign page and in the API."""

from __future__ import annotations

from datetime import datetime

import pytest
from django.urls import reverse

from baomi.classification import selectors, services
from baomi.core.levels import Level
from tests.classification.conftest import determine

pytestmark = pytest.mark.django_db


def _two_years(org):
    kept = determine(org, level=Level.SECRET, title="甲")
    fresh = determine(org, level=Level.SECRET, title="乙")
    last = services.open_review(org.security_officer, year=2025)
    row = last.decisions.get(item=kept)
    services.decide_review(org.authority_secret, row, choice="keep", note="继续保密")
    last.decisions.filter(item=fresh).delete()  # 乙 was not in last year's review
    services.close_review(org.security_officer, last)
    this = services.open_review(org.security_officer, year=2026)
    row.refresh_from_db()
    return this, kept, fresh, row


def test_rows_carry_the_previous_decision(org):
    """CLS-10: each row names the previous campaign's choice, authority and date; none when the
    item was not reviewed then."""
    this, kept, fresh, last_row = _two_years(org)
    rows = {r.item_id: r for r in selectors.campaign_rows(org.security_officer, this)}
    assert rows[kept.pk].prev_decision == "keep"
    assert rows[kept.pk].prev_decided_by == org.authority_secret.full_name
    assert rows[kept.pk].prev_decided_at == last_row.decided_at
    assert rows[kept.pk].prev_decision_display == "维持不变"
    assert rows[fresh.pk].prev_decision is None and rows[fresh.pk].prev_decision_display == ""
    # The first campaign has nothing before it.
    first = selectors.campaign_rows(org.security_officer, last_row.campaign)
    assert all(r.prev_decision == "" for r in first)


def test_campaign_page_and_api_show_it(org, client, api_client):
    """CLS-10: the campaign page has a "last review" column; the API row has ``previous``."""
    this, kept, fresh, last_row = _two_years(org)
    client.force_login(org.security_officer)
    html = client.get(reverse("classification:campaign", args=[this.pk])).content.decode()
    assert "上次审核" in html and "维持不变" in html and org.authority_secret.full_name in html
    api_client.force_authenticate(org.security_officer)
    r = api_client.get(f"/api/v1/classification/reviews/{this.pk}/rows/")
    assert r.status_code == 200, r.content
    rows = {row["item"]: row for row in r.json()["results"]}
    prev = rows[kept.pk]["previous"]
    assert prev["decision"] == "keep" and prev["decided_by"] == org.authority_secret.full_name
    assert datetime.fromisoformat(prev["decided_at"]) == last_row.decided_at
    assert rows[fresh.pk]["previous"] is None
    # CAR-3: someone outside the review sees no campaign at all.
    api_client.force_authenticate(org.staff_secret)
    assert api_client.get(f"/api/v1/classification/reviews/{this.pk}/rows/").status_code == 404
