"""Hardening (issue 11 §6, SEC-7): oversized numbers in filters and pagination are Chinese
validation errors, never a 500; every response carries the headers that keep classified titles
out of caches and referrers; downloads name Chinese files by RFC 6266."""

from __future__ import annotations

import pytest
from django.urls import reverse

HUGE = "99999999999999999999"


@pytest.mark.parametrize("field", ["department", "custodian", "page", "page_size"])
def test_oversized_numbers_in_the_ledger_api_are_validation_errors(org, api_client, field):
    """SEC-7, CAR-12: ?department=99999999999999999999 (and custodian, page) is a 400 with a
    field error in Chinese, not a 500."""
    api_client.force_authenticate(org.security_officer)
    query = f"{field}={HUGE}" + ("&sort=level" if field == "page" else "")
    response = api_client.get("/api/v1/carriers/ledger/?" + query)
    if field == "page_size":  # clamped to the largest page, as before
        assert response.status_code == 200
        return
    assert response.status_code == 400, response.content[:300]
    body = response.json()
    assert field in str(body)
    assert "数" in response.content.decode()


@pytest.mark.parametrize("field", ["department", "custodian", "page"])
def test_oversized_numbers_on_the_ledger_page_show_a_message(org, client, field):
    """SEC-7, CAR-12: the ledger page answers an oversized number with its Chinese message."""
    client.force_login(org.security_officer)
    query = f"{field}={HUGE}" + ("&sort=level" if field == "page" else "")
    response = client.get(reverse("carriers:ledger") + "?" + query)
    assert response.status_code in (200, 400)
    assert "数" in response.content.decode()
