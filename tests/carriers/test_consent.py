"""Reads of the secret are recorded, and 绝密 originator consent is recorded by the people the
rule names (issue 11 §5; R-SCOPE-3, R-AC-3). Runs on SQLite and PostgreSQL.

- The item list API carried 密点 without recording the read in the items' 知悉记录: lists now omit
  them; the detail, which records the read, carries them (docs/classification.md).
- 绝密 originator consent could only be recorded from a carrier's page, which the unit head
  cannot open without being in the item's scope, and there was no API: now the unit head or the
  item's 定密责任人 record it on the item — in the UI (/carriers/consents/) and the API
  (/api/v1/carrier-consents/) — without entering the scope; everyone else gets not found.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from baomi.access import policy
from baomi.audit.events import AuditEvent
from baomi.carriers.models import ContentConsent
from baomi.carriers.rules import has_consent
from baomi.classification import selectors
from baomi.classification.models import Item
from baomi.core.levels import Level
from tests.carriers.factories import make_carrier, make_item
from tests.support.assertions import assert_audited, assert_denied, last_audit_id

pytestmark = pytest.mark.django_db

CONSENT = {"download": True, "copy": False, "print": True, "originator": "国家某部办公厅",
           "reference": "某办函〔2026〕12号"}  # fmt: skip


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


# --- R-SCOPE-3: lists carry no 密点 ---------------------------------------------------------------


def test_the_item_list_carries_no_secret_points_and_the_detail_records_the_read(org, api_client):
    """R-SCOPE-3 (issue 11 §5): the list answered 密点 of 机密 items without a 知悉记录 entry.
    Now the list has no 密点 field at all; the detail has them and records ITEM_VIEWED, so the
    reader appears in the item's knowledge record."""
    item = make_item(org, Level.SECRET, scope=[org.staff_secret], secret_points="第三节所列数据")
    client = as_user(api_client, org.staff_secret)
    rows = client.get("/api/v1/classification/items/").json()["results"]
    row = next(r for r in rows if r["id"] == item.pk)
    assert "secret_points" not in row and "第三节所列数据" not in str(rows)
    assert not [r for r in selectors.knowledge_record(item) if r["user_id"] == org.staff_secret.pk]
    since = last_audit_id()
    assert client.get(f"/api/v1/classification/items/{item.pk}/").json()["secret_points"] == "第三节所列数据"
    assert_audited(AuditEvent.ITEM_VIEWED, item, org.staff_secret, since=since)
    assert [r["user_id"] for r in selectors.knowledge_record(item)] == [org.staff_secret.pk]


# --- R-AC-3: consent recorded by the unit head or the item's authority ----------------------------


def test_the_unit_head_records_consent_through_the_api_without_entering_the_scope(org, api_client):
    """R-AC-3 (issue 11 §5): there was no consent API; the unit head now records one on the item.
    The consent unlocks the uses it names; nobody was added to the scope, and the unit head still
    cannot open the carrier or its content."""
    carrier = make_carrier(org, Level.TOP_SECRET, custodian=org.security_officer, kind="electronic")
    item = Item.objects.get(pk=carrier.item_id)
    scope_before = list(item.scope.values_list("user_id", "department_id"))
    since = last_audit_id()
    r = as_user(api_client, org.unit_head).post(
        "/api/v1/carrier-consents/", {"item": item.pk, **CONSENT}, format="json"
    )
    assert r.status_code == 201, r.content
    body = r.json()
    assert (body["item"], body["download"], body["copy"], body["print"]) == (item.pk, True, False, True)
    assert "title" not in body
    assert_audited(AuditEvent.CONSENT_RECORDED, item, org.unit_head, since=since)
    assert has_consent(item.pk, "download") and not has_consent(item.pk, "copy")
    assert list(item.scope.values_list("user_id", "department_id")) == scope_before
    assert not selectors.in_scope(org.unit_head, item)
    assert not policy.can(org.unit_head, "read_content", carrier)
    assert not item.mark_tampered  # recording it changed nothing the mark binds
    listed = as_user(api_client, org.unit_head).get("/api/v1/carrier-consents/").json()["results"]
    assert [c["id"] for c in listed] == [body["id"]]
    r = as_user(api_client, org.unit_head).post(
        f"/api/v1/carrier-consents/{body['id']}/revoke/", format="json"
    )
    assert r.status_code == 200 and r.json()["revoked_at"]
    assert not has_consent(item.pk, "download")


def test_the_items_authority_records_consent(org, api_client):
    """R-AC-3: the item's 定密责任人 (who determined it) records a consent too."""
    item = make_item(org, Level.TOP_SECRET, determined_by=org.authority_top_secret)
    r = as_user(api_client, org.authority_top_secret).post(
        "/api/v1/carrier-consents/", {"item": item.pk, **CONSENT}, format="json"
    )
    assert r.status_code == 201, r.content
    assert ContentConsent.objects.get(item=item).recorded_by == org.authority_top_secret


@pytest.mark.parametrize(
    "persona", ["security_officer", "staff_secret", "authority_secret", "dept_head", "sysadmin"]
)
def test_everyone_else_gets_not_found(org, api_client, persona):
    """R-AC-3, CAR-3: anyone the rule does not name — even in the scope, even the registry —
    gets not found, audited, and nothing is recorded."""
    item = make_item(org, Level.TOP_SECRET, scope=[org.staff_secret])
    user = getattr(org, persona)
    since = last_audit_id()
    r = as_user(api_client, user).post(
        "/api/v1/carrier-consents/", {"item": item.pk, **CONSENT}, format="json"
    )
    assert_denied(r, actor=user, since=since)
    assert not ContentConsent.objects.exists()


def test_a_consent_is_for_top_secret_items_only(org, api_client):
    """R-AC-3: only 绝密 needs a consent; for a 机密 item the answer is not found."""
    item = make_item(org, Level.SECRET)
    r = as_user(api_client, org.unit_head).post("/api/v1/carrier-consents/", {"item": item.pk, **CONSENT},
                                                format="json")  # fmt: skip
    assert r.status_code == 404


def test_bad_consent_input_is_a_chinese_field_error(org, api_client):
    """SEC-7: nothing to unlock, or an id beyond 64 bits, is a 400 with a message — never a 500."""
    item = make_item(org, Level.TOP_SECRET)
    c = as_user(api_client, org.unit_head)
    r = c.post("/api/v1/carrier-consents/", {**CONSENT, "item": item.pk, "download": False, "print": False},
               format="json")  # fmt: skip
    assert r.status_code == 400 and "至少" in r.content.decode()
    r = c.post("/api/v1/carrier-consents/", {**CONSENT, "item": 2**70}, format="json")
    assert r.status_code == 400


CONSENT_MATRIX = {"unit_head", "authority_top_secret"}  # R-AC-3: the unit head, the item's authority
PERSONAS = ["sysadmin", "security_officer", "auditor", "unit_head", "authority_top_secret", "authority_secret",
            "dept_head", "staff_secret", "outsider"]  # fmt: skip


@pytest.mark.parametrize("persona", PERSONAS)
def test_record_consent_matrix(org, persona):
    """Persona × record_consent on a 绝密 item in staff_secret's scope: can() and visible()
    agree, and only the people R-AC-3 names may."""
    item = make_item(org, Level.TOP_SECRET, scope=[org.staff_secret], determined_by=org.authority_top_secret)
    user = getattr(org, persona)
    expected = persona in CONSENT_MATRIX
    assert policy.can(user, "record_consent", item) is expected
    assert policy.visible(user, Item.objects.filter(pk=item.pk), "record_consent").exists() is expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_consents_page_matrix(org, persona):
    """Who opens the consents page: the unit head and authorities record, the registry follows."""
    allowed = {"unit_head", "authority_top_secret", "authority_secret", "security_officer"}
    assert policy.can(getattr(org, persona), "carriers.consents") is (persona in allowed)


# --- the UI ---------------------------------------------------------------------------------------


def test_the_consents_page_records_a_consent_and_shows_no_title(org, client):
    """R-AC-3 in the UI: the unit head finds the 绝密 item by document number and mark (never its
    title), records the consent, and sees it listed; someone else gets the not-found page."""
    item = make_item(org, Level.TOP_SECRET, title="某绝密专项方案", reference="办〔2026〕77号")
    client.force_login(org.unit_head)
    page = client.get(reverse("carriers:consents")).content.decode()
    assert "办〔2026〕77号" in page and "某绝密专项方案" not in page
    form = client.get(reverse("carriers:consent-item", args=[item.pk])).content.decode()
    assert "某绝密专项方案" not in form
    r = client.post(reverse("carriers:consent-item", args=[item.pk]),
                    {"download": "on", "originator": "国家某部办公厅", "reference": "某办函〔2026〕12号"})  # fmt: skip
    assert r.status_code == 302
    assert ContentConsent.objects.get(item=item).allow_download
    assert "某办函〔2026〕12号" in client.get(reverse("carriers:consents")).content.decode()
    client.force_login(org.staff_secret)
    since = last_audit_id()
    assert_denied(
        client.get(reverse("carriers:consent-item", args=[item.pk])), actor=org.staff_secret, since=since
    )
