"""The accounts API under /api/v1/accounts/ (API-1, SEC-2): bearer tokens (shown once, revoked
tokens refused), me, users for those allowed, departments, structured errors."""

from __future__ import annotations

from rest_framework.test import APIClient

from baomi.accounts import services
from baomi.accounts.models import ApiToken
from baomi.audit.events import AuditEvent
from tests.support.assertions import assert_audited, last_audit_id


def bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def test_token_authenticates_and_revoked_token_is_refused(org):
    """A token works as ``Authorization: Bearer <key>``; only its digest is stored; once revoked
    it is refused with a structured error (API-1)."""
    since = last_audit_id()
    token, key = services.create_token(org.staff_secret, name="脚本")
    assert_audited(AuditEvent.TOKEN_CREATED, token, org.staff_secret, since=since)
    assert key not in ApiToken.objects.get(pk=token.pk).key_digest
    response = bearer(key).get("/api/v1/accounts/me/")
    assert response.status_code == 200
    assert response.json()["username"] == "staff_secret"
    services.revoke_token(org.staff_secret, token)
    response = bearer(key).get("/api/v1/accounts/me/")
    assert response.status_code in (401, 403)
    assert set(response.json()["error"]) == {"code", "message", "fields"}
    assert bearer("bm_nope_nope").get("/api/v1/accounts/me/").status_code in (401, 403)


def test_token_of_disabled_account_is_refused(org):
    _token, key = services.create_token(org.staff_work_secret, name="x")
    services.set_active(org.sysadmin, org.staff_work_secret, False)
    assert bearer(key).get("/api/v1/accounts/me/").status_code in (401, 403)


def test_unauthenticated_is_refused(db):
    response = APIClient().get("/api/v1/accounts/me/")
    assert response.status_code in (401, 403)
    assert "error" in response.json()


def test_tokens_endpoint_creates_lists_and_revokes_own_tokens(org, api_client):
    api_client.force_authenticate(org.staff_work_secret)
    response = api_client.post("/api/v1/accounts/tokens/", {"name": "报表"}, format="json")
    assert response.status_code == 201
    key = response.json()["key"]
    assert key.startswith("bm_")
    listed = api_client.get("/api/v1/accounts/tokens/").json()["results"]
    assert [t["name"] for t in listed] == ["报表"] and "key" not in listed[0]
    token_id = listed[0]["id"]
    # Someone else's token looks absent.
    other = APIClient()
    other.force_authenticate(org.staff_secret)
    assert other.delete(f"/api/v1/accounts/tokens/{token_id}/").status_code == 404
    assert api_client.delete(f"/api/v1/accounts/tokens/{token_id}/").status_code == 204
    assert bearer(key).get("/api/v1/accounts/me/").status_code in (401, 403)


def test_token_needs_a_name(org, api_client):
    api_client.force_authenticate(org.staff_work_secret)
    response = api_client.post("/api/v1/accounts/tokens/", {"name": ""}, format="json")
    assert response.status_code == 400 and response.json()["error"]["code"] == "invalid"


def test_users_list_only_for_the_administrators_who_manage_accounts(org, api_client):
    """The system administrator and the security officer see the accounts; others get an empty
    list and a 404 for a detail (SEC-2, CAR-3)."""
    for persona in ("sysadmin", "security_officer"):
        api_client.force_authenticate(getattr(org, persona))
        data = api_client.get("/api/v1/accounts/users/").json()
        assert data["count"] == len(org.users)
        detail = api_client.get(f"/api/v1/accounts/users/{org.staff_secret.pk}/").json()
        assert detail["clearance"] == "secret" and detail["roles"] == ["staff"]
    for persona in ("auditor", "staff_secret"):
        api_client.force_authenticate(getattr(org, persona))
        assert api_client.get("/api/v1/accounts/users/").json()["count"] == 0
        response = api_client.get(f"/api/v1/accounts/users/{org.staff_secret.pk}/")
        assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_users_filter_by_role(org, api_client):
    api_client.force_authenticate(org.sysadmin)
    data = api_client.get("/api/v1/accounts/users/?role=auditor").json()
    assert [u["username"] for u in data["results"]] == ["auditor"]


def test_role_assignment_through_the_api(org, api_client):
    """The security officer assigns and revokes; the system administrator is refused as not found."""
    api_client.force_authenticate(org.security_officer)
    url = f"/api/v1/accounts/users/{org.staff_work_secret.pk}/roles/"
    response = api_client.post(url, {"role": "case_handler"}, format="json")
    assert response.status_code == 200 and "case_handler" in response.json()["roles"]
    response = api_client.post(url + "revoke/", {"role": "case_handler"}, format="json")
    assert "case_handler" not in response.json()["roles"]
    api_client.force_authenticate(org.sysadmin)
    since = last_audit_id()
    assert api_client.post(url, {"role": "case_handler"}, format="json").status_code == 404
    assert_audited(AuditEvent.ACCESS_DENIED, actor=org.sysadmin, since=since)


def test_departments_are_listed_for_everyone(org, api_client):
    api_client.force_authenticate(org.staff_work_secret)
    data = api_client.get("/api/v1/accounts/departments/").json()
    assert {d["code"] for d in data["results"]} == {"ORG", "OFFICE", "SEC", "FIN", "IT"}
    office = next(d for d in data["results"] if d["code"] == "OFFICE")
    assert office["head"] == org.dept_head.pk and office["secrecy_officer"] == org.staff_secret.pk


def test_schema_builds(db, api_client, org):
    api_client.force_authenticate(org.staff_work_secret)
    response = api_client.get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/accounts/tokens/" in response.content
