"""Hardening (issue 11 §6, SEC-7): oversized numbers in filters and pagination are Chinese
validation errors, never a 500; every response carries the headers that keep classified titles
out of caches and referrers; downloads name Chinese files by RFC 6266."""

from __future__ import annotations

import re

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


_INLINE = (
    r"""\son[a-z]+\s*=""",  # an inline event handler
    r"""<script(?![^>]*\ssrc=)[^>]*>""",  # a <script> without src
    r"""javascript:""",
)


def test_no_template_holds_inline_script():
    """Issue 11 §6, SEC-7: the Content-Security-Policy allows scripts only from this server's
    files, so no template of the product holds an inline handler, an inline ``<script>`` or a
    ``javascript:`` URL (the filters that submit on change use ``data-autosubmit``, app.js)."""
    import re
    from pathlib import Path

    import baomi

    root = Path(baomi.__file__).parent
    found = []
    for template in root.glob("**/templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        for pattern in _INLINE:
            found += [f"{template.relative_to(root)}: {m.group(0)}" for m in re.finditer(pattern, text, re.I)]
    assert not found, "\n".join(found)


def test_every_answer_carries_the_content_security_policy(org, client, api_client):
    """Issue 11 §6: pages, the sign-in page, errors, JSON and the API browsers (Swagger UI with
    its script served as a file, ReDoc without an inline init) all carry a CSP that admits no
    inline or foreign script and no framing."""
    anonymous = client.get(reverse("accounts:login"))
    client.force_login(org.security_officer)
    api_client.force_authenticate(org.security_officer)
    responses = {
        "login": anonymous,
        "page": client.get(reverse("personnel:travel-list")),
        "404": client.get("/no-such-page/"),
        "json": api_client.get("/api/v1/carriers/ledger/"),
        "swagger": client.get("/api/docs/"),
        "swagger-js": client.get("/api/docs/?script="),
        "redoc": client.get("/api/redoc/"),
    }
    for name, response in responses.items():
        csp = response.get("Content-Security-Policy", "")
        assert "script-src 'self';" in csp, (name, csp)
        assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";", 1)[0], name
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, name
    for name in ("swagger", "redoc", "page"):
        body = responses[name].content.decode()
        assert responses[name].status_code == 200, name
        assert not re.search(_INLINE[1], body) and not re.search(_INLINE[0], body), name
    assert "javascript" in responses["swagger-js"]["Content-Type"]


def test_charts_carry_no_inline_script():
    """Issue 11 §6: the start page's and reports' SVG charts (pygal) are drawn without the
    inline ``<script>`` pygal adds, which the Content-Security-Policy would block."""
    from baomi.reports import charts

    svgs = [charts.bar(["秘密", "机密"], [3, 1], title="按密级"), charts.lines(["1月"], [("载体", [2])])]
    for svg in svgs:
        assert "<svg" in svg and not re.search(_INLINE[1], svg) and not re.search(_INLINE[0], svg)
