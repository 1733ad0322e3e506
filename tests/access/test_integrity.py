"""Integrity failures fail closed (issue 11 §4; CLS-7, R-CRYPTO-5, SEC-3).

A level lowered directly in the database used to be flagged as tampered while access followed
the tampered level: a 秘密-cleared person read a 机密 item. Now a failed mark check is refused by
the one policy engine to everybody but the security officer, who views it flagged; every check
is audited as INTEGRITY_FAILED and the monitoring raises an alert for the security officer.
Carriers are bound like items (level, registry number, 份号, kind, item), and migration 0008
binds the rows that existed before. Runs on SQLite and PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from baomi.access import policy
from baomi.access.errors import INTEGRITY_REASON, AccessDenied
from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditEntry
from baomi.carriers import services as carrier_services
from baomi.carriers.models import Carrier
from baomi.carriers.services import relevel_carriers
from baomi.classification.models import Item
from baomi.core.levels import Level
from baomi.monitoring.choices import Audience, RuleKind
from baomi.monitoring.models import Alert
from baomi.monitoring.services import evaluate
from tests.carriers.factories import make_carrier, make_item
from tests.support.assertions import assert_audited, last_audit_id

pytestmark = pytest.mark.django_db
TOMORROW = dt.date.today() + dt.timedelta(days=1)


def as_user(api_client, user):
    api_client.force_authenticate(user)
    return api_client


def lower(obj, level: str) -> None:
    """What an attacker with write access to the database does: no service, no MAC."""
    type(obj).objects.filter(pk=obj.pk).update(level=level)
    obj.refresh_from_db()


def _alarms(since: int, target) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            id__gt=since, event=int(AuditEvent.INTEGRITY_FAILED),
            target_type=target._meta.label_lower, target_id=str(target.pk),
        )
    )  # fmt: skip


# --- items --------------------------------------------------------------------------------------


def test_a_level_lowered_in_the_database_is_not_obeyed(org, api_client):
    """CLS-7, R-CRYPTO-5 (issue 11 §4): a 机密 item lowered to 秘密 in the database is refused to
    the 秘密-cleared person in its scope — detail and list — the refusal names the integrity
    failure and the check is alarmed; before the fix the API answered 200 with the item."""
    item = make_item(org, Level.SECRET, scope=[org.staff_secret, org.staff_confidential])
    client = as_user(api_client, org.staff_secret)
    assert client.get(f"/api/v1/classification/items/{item.pk}/").status_code == 200
    lower(item, Level.CONFIDENTIAL)
    assert item.mark_tampered
    since = last_audit_id()
    reader = as_user(api_client, org.staff_confidential)
    assert reader.get(f"/api/v1/classification/items/{item.pk}/").status_code == 404
    denied = assert_audited(AuditEvent.ACCESS_DENIED, item, org.staff_confidential, since=since)
    assert denied.details["reason"] == INTEGRITY_REASON
    assert [a.outcome for a in _alarms(since, item)] == ["denied"]
    listed = reader.get("/api/v1/classification/items/").json()["results"]
    assert item.pk not in [row["id"] for row in listed]
    assert not policy.can(org.staff_secret, "view", item)  # not even under the real level


def test_the_security_officer_sees_the_tampered_item_flagged_and_nothing_more(org, api_client):
    """CLS-7: the security officer keeps the registry and must see the alarm: the item stays
    viewable to them, flagged, in the detail and the list; every other action is refused (a
    change would bind the tampered level under a fresh MAC)."""
    item = make_item(org, Level.SECRET, scope=[org.staff_secret])
    lower(item, Level.CONFIDENTIAL)
    since = last_audit_id()
    officer = as_user(api_client, org.security_officer)
    body = officer.get(f"/api/v1/classification/items/{item.pk}/").json()
    assert body["mark_tampered"] is True
    listed = officer.get("/api/v1/classification/items/").json()["results"]
    assert [row["mark_tampered"] for row in listed if row["id"] == item.pk] == [True]
    assert {a.outcome for a in _alarms(since, item)} == {"ok"}
    assert not policy.can(org.security_officer, "manage_scope", item)
    assert not policy.can(org.security_officer, "knowledge_record", item)


def test_an_integrity_failure_raises_an_alert_for_the_security_officer(org, api_client):
    """SEC-3, SEC-5: the monitoring turns INTEGRITY_FAILED into an alert addressed to the
    security officer (configured by the auditor, so the officer cannot switch it off)."""
    item = make_item(org, Level.SECRET, scope=[org.staff_secret, org.staff_confidential])
    lower(item, Level.CONFIDENTIAL)
    as_user(api_client, org.staff_confidential).get(f"/api/v1/classification/items/{item.pk}/")
    evaluate()
    alert = Alert.objects.get(rule=RuleKind.INTEGRITY_FAILURE)
    assert alert.audience == Audience.SECURITY_OFFICER


def test_a_refused_service_keeps_its_alarm_after_the_rollback(org):
    """A service refused on a tampered object rolls back, with the policy's alarm in it; the
    @service decorator writes it again next to the ACCESS_DENIED entry (SEC-3)."""
    carrier = make_carrier(org, Level.SECRET)
    lower(carrier, Level.CONFIDENTIAL)
    since = last_audit_id()
    with pytest.raises(AccessDenied):
        carrier_services.seal_carrier(org.security_officer, carrier, place="保密柜B")
    denied = assert_audited(AuditEvent.ACCESS_DENIED, carrier, org.security_officer, since=since)
    assert denied.details["reason"] == INTEGRITY_REASON
    assert [a.outcome for a in _alarms(since, carrier)] == ["denied"]


def test_one_alarm_per_request_however_often_the_page_asks(org, client):
    """A detail page asks ``can`` for many actions; the trail gets one entry per request."""
    item = make_item(org, Level.SECRET, scope=[org.staff_secret])
    lower(item, Level.CONFIDENTIAL)
    client.force_login(org.security_officer)
    since = last_audit_id()
    assert client.get(reverse("classification:item", args=[item.pk])).status_code == 200
    assert len(_alarms(since, item)) == 1


# --- carriers -----------------------------------------------------------------------------------


def test_carriers_are_bound_when_registered_and_when_relevelled(org):
    """R-CRYPTO-5: registration binds each carrier; a level change of its item binds it again
    under the new level — unless the binding had already failed (no laundering)."""
    carrier, other = make_carrier(org, Level.SECRET, copies=2)
    assert carrier.mark_mac and not carrier.mark_tampered
    Carrier.objects.filter(pk=other.pk).update(copy_number="000099")  # tampered: another 份号
    item = Item.objects.get(pk=carrier.item_id)
    item.level = Level.TOP_SECRET
    assert relevel_carriers(item) == 2
    carrier.refresh_from_db()
    other.refresh_from_db()
    assert carrier.level == Level.TOP_SECRET and not carrier.mark_tampered
    assert other.level == Level.TOP_SECRET and other.mark_tampered


def test_a_carrier_level_lowered_in_the_database_is_refused(org, api_client):
    """CLS-7, R-CRYPTO-5 (issue 11 §4): carriers had no binding, so a level lowered in the
    database was simply obeyed. Now the custodian is refused, the officer sees it flagged."""
    carrier = make_carrier(org, Level.SECRET, custodian=org.staff_secret)
    assert as_user(api_client, org.staff_secret).get(f"/api/v1/carriers/{carrier.pk}/").status_code == 200
    lower(carrier, Level.CONFIDENTIAL)
    since = last_audit_id()
    assert as_user(api_client, org.staff_secret).get(f"/api/v1/carriers/{carrier.pk}/").status_code == 404
    assert as_user(api_client, org.security_officer).get(f"/api/v1/carriers/{carrier.pk}/").status_code == 200
    assert {a.outcome for a in _alarms(since, carrier)} == {"denied", "ok"}
    assert not policy.can(org.staff_secret, "read_content", carrier)


def test_the_ledger_leaves_out_a_tampered_carrier(org):
    """CLS-7: the ledger page (UI and API) does not list a carrier whose level fails its MAC to
    its custodian; the security officer still finds it."""
    from django.http import QueryDict

    from baomi.carriers.ledger import ledger_page

    carrier = make_carrier(org, Level.SECRET, custodian=org.staff_secret)
    lower(carrier, Level.CONFIDENTIAL)
    assert carrier.pk not in [c.pk for c in ledger_page(org.staff_secret, QueryDict(""))[1].rows]
    assert carrier.pk in [c.pk for c in ledger_page(org.security_officer, QueryDict(""))[1].rows]


def test_the_migration_binds_the_carriers_that_existed_before(org):
    """Migration 0008 binds the rows written before carriers had a binding, as they stand."""
    carrier = make_carrier(org, Level.SECRET)
    Carrier.objects.filter(pk=carrier.pk).update(mark_mac="")
    carrier.refresh_from_db()
    assert carrier.mark_tampered
    migration = importlib.import_module("baomi.carriers.migrations.0008_carrier_mark_mac")
    migration.bind_existing(apps, SimpleNamespace(connection=connection))
    carrier.refresh_from_db()
    assert not carrier.mark_tampered


# --- what is bound to a tampered item or carrier -----------------------------------------------


def test_the_carriers_of_a_tampered_item_fail_with_it(org, api_client):
    """CLS-7, R-CRYPTO-5 (issue 11 §4): a carrier's own binding holds, but its item's level was
    lowered in the database; the carrier is refused like not found to its custodian (detail,
    ledger, loan, copy) and no carrier can be registered against the item (it would be bound
    under the tampered level). Before, only the item was refused; its carriers were obeyed."""
    from django.http import QueryDict

    from baomi.carriers.ledger import ledger_page

    carrier = make_carrier(org, Level.SECRET, custodian=org.staff_secret, scope=[org.case_handler])
    item = Item.objects.get(pk=carrier.item_id)
    lower(item, Level.CONFIDENTIAL)
    carrier = Carrier.objects.get(pk=carrier.pk)
    assert not carrier.mark_tampered  # its own binding holds
    since = last_audit_id()
    assert as_user(api_client, org.staff_secret).get(f"/api/v1/carriers/{carrier.pk}/").status_code == 404
    assert as_user(api_client, org.security_officer).get(f"/api/v1/carriers/{carrier.pk}/").status_code == 200
    assert {a.outcome for a in _alarms(since, carrier)} == {"denied", "ok"}
    assert carrier.pk not in [c.pk for c in ledger_page(org.staff_secret, QueryDict(""))[1].rows]
    with pytest.raises(AccessDenied):
        carrier_services.request_loan(
            org.case_handler, carrier, place="阅文室", due_on=TOMORROW, reason="学习"
        )
    with pytest.raises(AccessDenied):
        carrier_services.request_copy(org.case_handler, carrier, copies=1, reason="分送")
    since = last_audit_id()
    with pytest.raises(AccessDenied):
        carrier_services.register_carrier(org.security_officer, item=item, kind="paper", custodian=org.staff_secret,
                                          storage_place="保密柜A-01")  # fmt: skip
    assert Carrier.objects.filter(item=item).count() == 1
    assert [a.outcome for a in _alarms(since, item)] == ["denied"]


def test_loans_and_copies_of_a_tampered_carrier_are_not_approved(org):
    """CLS-7, R-CRYPTO-5 (issue 11 §4): a loan and a copy asked for before the carrier's level
    was lowered in the database are not approved (a copy would bind the tampered level to new
    carriers); the requests read as not found to the requester, the officer sees them."""
    from baomi.carriers.models import CopyRequest, LoanRequest

    carrier = make_carrier(org, Level.SECRET, custodian=org.staff_secret, scope=[org.case_handler])
    loan = carrier_services.request_loan(
        org.case_handler, carrier, place="阅文室", due_on=TOMORROW, reason="学习"
    )
    copy = carrier_services.request_copy(org.case_handler, carrier, copies=2, reason="分送")
    lower(carrier, Level.CONFIDENTIAL)
    with pytest.raises(AccessDenied):
        carrier_services.approve_loan(org.dept_head, loan)
    with pytest.raises(AccessDenied):
        carrier_services.approve_copy(org.unit_head, copy)
    assert Carrier.objects.filter(parent=carrier).count() == 0
    loan, copy = LoanRequest.objects.get(pk=loan.pk), CopyRequest.objects.get(pk=copy.pk)
    for req in (loan, copy):
        assert not policy.can(org.case_handler, "view", req)
        assert policy.can(org.security_officer, "view", req)
        assert not policy.can(org.security_officer, "approve", req)


def test_request_lists_leave_out_requests_about_a_tampered_carrier(org, client):
    """CLS-7, R-CRYPTO-5 (issue 11 §4): the approval queue and "my requests" list a request about
    a carrier whose level was lowered in the database no more than the ledger lists the carrier;
    an intact one stays listed."""
    intact = make_carrier(org, Level.SECRET, custodian=org.staff_secret, scope=[org.case_handler])
    bad = make_carrier(org, Level.SECRET, custodian=org.staff_secret, scope=[org.case_handler])
    for carrier in (intact, bad):
        carrier_services.request_loan(
            org.case_handler, carrier, place="阅文室", due_on=TOMORROW, reason="学习"
        )
    lower(bad, Level.CONFIDENTIAL)
    for user in (org.case_handler, org.dept_head):
        client.force_login(user)
        body = client.get(reverse("carriers:approvals")).content.decode()
        assert intact.registry_number in body, user
        assert bad.registry_number not in body, user


# --- the persona × action matrix ----------------------------------------------------------------

PERSONAS = ["sysadmin", "security_officer", "auditor", "unit_head", "dept_head", "staff_secret", "outsider"]
# A tampered object: persona -> the actions still allowed (everyone else, everything refused).
TAMPERED_MATRIX = {
    ("item", "view"): {"security_officer"},
    ("item", "manage_scope"): set(),
    ("item", "request_expansion"): set(),
    ("carrier", "view"): {"security_officer"},
    ("carrier", "read_content"): set(),
    ("carrier", "seal"): set(),
    ("carrier", "lend"): set(),
    # A carrier whose own binding holds, registered against a tampered item: it fails with it.
    ("item's carrier", "view"): {"security_officer"},
    ("item's carrier", "lend"): set(),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("kind", "action"), sorted(TAMPERED_MATRIX))
def test_tampered_matrix(org, persona, kind, action):
    """CLS-7, R-CRYPTO-5: on a tampered item or carrier (in everyone's scope, custody of
    staff_secret) only the security officer may view; nobody may do anything else."""
    everyone = [getattr(org, p) for p in PERSONAS]
    carrier = make_carrier(org, Level.SECRET, custodian=org.staff_secret, scope=everyone)
    obj = carrier if kind == "carrier" else Item.objects.get(pk=carrier.item_id)
    lower(obj, Level.CONFIDENTIAL)
    if kind == "item's carrier":
        obj = Carrier.objects.get(pk=carrier.pk)
    assert policy.can(getattr(org, persona), action, obj) is (persona in TAMPERED_MATRIX[(kind, action)])


@pytest.mark.parametrize("persona", PERSONAS)
def test_who_oversees_integrity(org, persona):
    """The object-less action behind the exception: the security officer alone (CLS-7)."""
    assert policy.OVERSEE_INTEGRITY == "oversee_integrity"
    assert policy.can(getattr(org, persona), "oversee_integrity") is (persona == "security_officer")
