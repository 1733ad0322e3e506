"""Structured errors in the API and Chinese error pages in the UI (SEC-7, CAR-3).

Every error kind answers ``{"error": {"code", "message", "fields"}}`` with a Chinese message, and
no answer — API or page — ever carries a stack trace.
"""

from __future__ import annotations

import json
import re

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.error_urls")]

CJK = re.compile(r"[\u4e00-\u9fff]")
LEAK = "secret stack detail"


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = json.loads(response.content)
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    assert CJK.search(body["error"]["message"]), body["error"]["message"]
    assert LEAK not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    return body["error"]


def test_validation_errors_name_each_field(api_client):
    """400 with field errors, in Chinese (SEC-7)."""
    err = assert_error(api_client.post("/api/test/validate/", {"title": "太长的标题文字", "copies": 0},
                                       format="json"), 400, "invalid")  # fmt: skip
    assert set(err["fields"]) == {"title", "copies"}
    assert all(CJK.search(m) for msgs in err["fields"].values() for m in msgs)


def test_malformed_json_is_a_parse_error(api_client):
    r = api_client.post("/api/test/validate/", data="{not json", content_type="application/json")
    assert_error(r, 400, "parse_error")


def test_an_unsupported_media_type_is_415(api_client):
    r = api_client.post("/api/test/validate/", data="<x/>", content_type="application/xml")
    assert_error(r, 415, "unsupported_media_type")


def test_a_wrong_method_is_405(api_client):
    assert_error(api_client.get("/api/test/validate/"), 405, "method_not_allowed")


def test_no_credentials_is_401_with_a_challenge(api_client):
    """401 with WWW-Authenticate: Bearer, so clients know how to sign in (SEC-1)."""
    r = api_client.get("/api/test/authenticated/")
    assert_error(r, 401, "not_authenticated")
    assert r["WWW-Authenticate"] == "Bearer"


def test_a_bad_token_is_401(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer nonsense")
    assert_error(api_client.get("/api/test/authenticated/"), 401, "not_authenticated")


def test_forbidden_is_404_never_403(api_client):
    """A DRF PermissionDenied answers 404 like an absent object (CAR-3)."""
    assert_error(api_client.get("/api/test/raises/", {"kind": "permission"}), 404, "not_found")


def test_an_unknown_api_path_is_a_json_404(api_client):
    assert_error(api_client.get("/api/v1/no-such-thing/"), 404, "not_found")


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [
        ("validation", 400, "invalid"),
        ("ceiling", 400, "above_ceiling"),
        ("conflict", 409, "conflict"),
        ("transition", 409, "invalid_transition"),
        ("django_validation", 400, "invalid"),
        ("django_validation_plain", 400, "invalid"),
        ("not_acceptable", 406, "not_acceptable"),
        ("other_api", 500, "error"),
    ],
)
def test_domain_errors_keep_their_code_and_status(api_client, kind, status, code):
    err = assert_error(api_client.get("/api/test/raises/", {"kind": kind}), status, code)
    if kind == "validation":
        assert err["fields"] == {"level": ["bad"]}
    if kind == "django_validation":
        assert err["fields"] == {"title": ["too long"]}
    if kind == "django_validation_plain":
        assert err["fields"] == {"non_field_errors": ["plain"]}


def test_throttling_is_429_with_retry_after(api_client):
    cache.clear()
    assert api_client.get("/api/test/throttled/").status_code == 200
    r = api_client.get("/api/test/throttled/")
    assert_error(r, 429, "throttled")
    assert int(r["Retry-After"]) > 0


def test_an_unexpected_api_error_is_a_json_500_without_stack(api_client, caplog):
    """A bug answers 500 JSON in Chinese; the stack goes to the log only (SEC-7)."""
    r = api_client.get("/api/test/raises/", {"kind": "boom"})
    assert_error(r, 500, "server_error")
    assert LEAK in caplog.text


def test_the_ui_500_page_is_chinese_without_stack():
    client = Client(raise_request_exception=False)
    r = client.get("/test/boom/")
    assert r.status_code == 500
    html = r.content.decode()
    assert "系统" in html and LEAK not in html and "Traceback" not in html
    assert "<html" in html


def test_the_500_handler_answers_json_under_api():
    from django.test import RequestFactory

    from baomi.kit.views import server_error

    r = server_error(RequestFactory().get("/api/v1/x/"))
    assert_error(r, 500, "server_error")


def test_the_ui_404_page_is_chinese():
    r = Client().get("/no-such-page/")
    assert r.status_code == 404
    html = r.content.decode()
    assert "不存在" in html and "<html" in html


def test_the_400_handler():
    from django.test import RequestFactory

    from baomi.kit.views import bad_request

    r = bad_request(RequestFactory().get("/x/"))
    assert r.status_code == 400
    assert CJK.search(r.content.decode())
    assert_error(bad_request(RequestFactory().get("/api/v1/x/")), 400, "invalid")


def test_csrf_failure_page_is_chinese():
    """A POST without a CSRF token is refused with a Chinese page, not Django's English one."""
    client = Client(enforce_csrf_checks=True)
    r = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert r.status_code == 403
    html = r.content.decode()
    assert "安全" in html and "CSRF verification failed" not in html


def test_csrf_failure_under_api_is_json():
    from django.test import RequestFactory

    from baomi.kit.views import csrf_failure

    assert_error(csrf_failure(RequestFactory().post("/api/v1/x/"), reason="no token"), 403, "csrf_failed")


@override_settings(DEBUG=False)
def test_healthz(client):
    r = client.get("/healthz")
    assert r.status_code == 200 and r.content == b"ok"
