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


SAFE_HEADERS = {
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",
    "X-Content-Type-Options": "nosniff",
}


def test_pages_and_json_are_never_cached_nor_sniffed(org, client, api_client):
    """SEC-7 (issue 11 §6): pages and JSON that may carry classified titles are ``no-store``,
    with ``Referrer-Policy: same-origin`` and ``nosniff`` — signed in or not, errors too."""
    client.force_login(org.security_officer)
    api_client.force_authenticate(org.security_officer)
    responses = [
        client.get(reverse("carriers:ledger")),
        client.get("/no-such-page/"),
        api_client.get("/api/v1/carriers/ledger/"),
        api_client.get("/api/v1/carriers/ledger/?department=x"),
    ]
    for response in responses:
        for name, value in SAFE_HEADERS.items():
            assert value in response.get(name, ""), (response.status_code, name, response.get(name))


def test_download_names_follow_rfc_6266():
    """Issue 11 §6: a Chinese registry number goes in ``filename*=UTF-8''…`` with an ASCII
    ``filename=`` fallback; a plain name stays plain; quotes and line breaks never get in."""
    from baomi.kit.downloads import content_disposition

    header = content_disposition("机密-2026-001.pdf")
    assert header.startswith('attachment; filename="')
    assert "filename*=UTF-8''%E6%9C%BA%E5%AF%86-2026-001.pdf" in header
    fallback = header.split('filename="', 1)[1].split('"', 1)[0]
    assert fallback.isascii() and fallback.endswith(".pdf")
    assert content_disposition("ledger.csv") == 'attachment; filename="ledger.csv"'
    assert content_disposition("a.pdf", inline=True) == 'inline; filename="a.pdf"'
    evil = content_disposition('秘"\r\nX-Evil: 1.pdf')
    assert "\r" not in evil and "\n" not in evil and evil.count('"') == 2
