"""``/api/v1/marks/``: reading and writing marks over the API (CLS-7, R-DUR-*, SEC-7)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(api_client, org):
    api_client.force_authenticate(org.case_handler)
    return api_client


@pytest.mark.parametrize(
    ("text", "level", "kind", "canonical", "legacy"),
    [
        ("机密★10年", "secret", "period", "机密★10年", False),
        ("秘密★6个月", "confidential", "period", "秘密★6个月", False),
        ("机密★2030-06-30", "secret", "until", "机密★2030年6月30日", False),
        ("机密★项目验收后", "secret", "condition", "机密★项目验收后", False),
        ("绝密★长期", "top_secret", "period", "绝密★长期", False),
        ("机密★", "secret", "period", "机密★", True),
    ],
)
def test_parse(api, text, level, kind, canonical, legacy):
    r = api.post("/api/v1/marks/parse/", {"text": text}, format="json")
    assert r.status_code == 200, r.json()
    body = r.json()
    assert (body["level"], body["duration"]["duration_kind"], body["canonical"], body["legacy"]) == (
        level, kind, canonical, legacy,
    )  # fmt: skip


def test_parse_a_work_secret_mark(api):
    body = api.post("/api/v1/marks/parse/", {"text": "内部事项 注意保管"}, format="json").json()
    assert body == {
        "level": "work_secret",
        "duration": None,
        "legacy": False,
        "canonical": "内部事项 注意保管",
    }


@pytest.mark.parametrize("text", ["内部★", "机密★18个月", "机密"])
def test_parse_refuses_non_marks_in_chinese(api, text):
    """A bad mark is a 400 with a Chinese message on the ``mark`` field (SEC-7, R-WS-2)."""
    r = api.post("/api/v1/marks/parse/", {"text": text}, format="json")
    assert r.status_code == 400
    err = r.json()["error"]
    assert err["code"] == "invalid_mark" and "mark" in err["fields"]


def test_parse_validates_shape(api):
    r = api.post("/api/v1/marks/parse/", {}, format="json")
    assert r.status_code == 400 and "text" in r.json()["error"]["fields"]


def test_compose(api):
    r = api.post("/api/v1/marks/compose/", {"level": "secret", "duration_kind": "period", "duration_value": 10,
                                            "duration_unit": "year", "period_start": "2026-01-15"}, format="json")  # fmt: skip
    assert r.status_code == 200, r.json()
    assert r.json() == {"mark": "机密★10年", "expires_on": "2036-01-16", "needs_basis": False}


def test_compose_work_secret_and_non_secret(api):
    assert (
        api.post("/api/v1/marks/compose/", {"level": "work_secret"}, format="json").json()["mark"] == "内部"
    )
    assert api.post("/api/v1/marks/compose/", {"level": "internal"}, format="json").json()["mark"] == ""


def test_compose_above_the_cap_needs_a_basis(api):
    """R-DUR-6: beyond 20 years for 机密 only with a recorded basis."""
    data = {"level": "secret", "duration_kind": "period", "duration_value": 25, "duration_unit": "year"}
    r = api.post("/api/v1/marks/compose/", data, format="json")
    assert r.status_code == 400 and "duration_basis" in r.json()["error"]["fields"]
    r = api.post("/api/v1/marks/compose/", {**data, "duration_basis": "保密事项范围 第5条"}, format="json")
    assert r.json() == {"mark": "机密★25年", "expires_on": None, "needs_basis": True}


def test_compose_refuses_a_state_secret_without_duration(api):
    r = api.post("/api/v1/marks/compose/", {"level": "top_secret"}, format="json")
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid"


def test_compose_refuses_a_mixed_duration(api):
    r = api.post("/api/v1/marks/compose/", {"level": "secret", "duration_kind": "until", "duration_value": 3},
                 format="json")  # fmt: skip
    assert r.status_code == 400 and "until_date" in r.json()["error"]["fields"]


def test_marks_need_a_signed_in_user(api_client):
    assert api_client.post("/api/v1/marks/parse/", {"text": "机密★10年"}, format="json").status_code == 401
