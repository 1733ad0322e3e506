"""Monitoring pages, API and CLI (SEC-5): the recipient handles an alert; anyone else gets the
not-found page; rule changes go through the owner's form."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from baomi.accounts import services as accounts
from baomi.cli import main
from baomi.monitoring import services
from baomi.monitoring.choices import AlertStatus, RuleKind
from baomi.monitoring.models import Alert, MonitorRule
from tests.support.assertions import assert_denied, last_audit_id

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


@pytest.fixture
def alert(org, clock) -> Alert:
    for _ in range(5):
        accounts.register_login_failure("staff_secret")
    services.evaluate()
    return Alert.objects.get(rule=RuleKind.LOGIN_FAILURES)


def test_list_filter_detail_and_close(org, alert):
    c = client_for(org.security_officer)
    html = c.get(reverse("monitoring:alerts"), {"status": "open", "rule": "login_failures"}).content.decode()
    assert "登录连续失败" in html and reverse("monitoring:alert", args=[alert.pk]) in html
    assert "staff_secret" in c.get(reverse("monitoring:alerts"), {"subject": "staff"}).content.decode()
    assert "没有符合条件的告警" in c.get(reverse("monitoring:alerts"), {"status": "closed"}).content.decode()
    page = c.get(reverse("monitoring:alert", args=[alert.pk])).content.decode()
    assert "登录失败" in page and "审计记录本身由安全审计员查阅" in page
    r = c.post(reverse("monitoring:alert-action", args=[alert.pk, "close"]), {"note": ""})
    assert r.status_code == 302 and Alert.objects.get(pk=alert.pk).status == AlertStatus.NEW
    c.post(reverse("monitoring:alert-action", args=[alert.pk, "close"]), {"note": "已核实"})
    assert Alert.objects.get(pk=alert.pk).status == AlertStatus.CLOSED


def test_other_roles_get_not_found(org, alert):
    """SEC-5, CAR-3: the alert of another recipient looks absent, and the refusal is audited."""
    for user in (org.auditor, org.sysadmin, org.staff_secret):
        since = last_audit_id()
        assert_denied(
            client_for(user).get(reverse("monitoring:alert", args=[alert.pk])), actor=user, since=since
        )
    since = last_audit_id()
    assert_denied(
        client_for(org.unit_head).get(reverse("monitoring:alerts")), actor=org.unit_head, since=since
    )


def test_the_auditor_gets_links_to_the_audit_entries(org, clock):
    for _ in range(5):
        accounts.register_login_failure("sysadmin")
    services.evaluate()
    alert = Alert.objects.get(subject_user=org.sysadmin)
    page = client_for(org.auditor).get(reverse("monitoring:alert", args=[alert.pk])).content.decode()
    entry_id = alert.entries.first().entry_id
    assert reverse("audit:detail", args=[entry_id]) in page


def test_rules_page_and_change(org):
    c = client_for(org.security_officer)
    html = c.get(reverse("monitoring:rules")).content.decode()
    assert "登录连续失败" in html and "审计封存滞后" in html
    r = c.post(reverse("monitoring:rule-change", args=["login_failures"]), {
        "login_failures-enabled": "on", "login_failures-threshold": "8", "login_failures-window_minutes": "30",
        "login_failures-key": "account",
    })  # fmt: skip
    assert r.status_code == 302
    assert MonitorRule.objects.get(kind="login_failures").threshold == 8
    r = c.post(reverse("monitoring:rule-change", args=["login_failures"]), {"login_failures-threshold": "0"})
    assert r.status_code == 400
    since = last_audit_id()
    assert_denied(c.post(reverse("monitoring:rule-change", args=["sealer_lag"]), {}), actor=org.security_officer,
                  since=since)  # fmt: skip


def test_api(org, alert, api_client):
    api_client.force_authenticate(org.security_officer)
    r = api_client.get("/api/v1/alerts/", {"status": "open"})
    assert r.status_code == 200 and r.json()["results"][0]["id"] == alert.pk
    r = api_client.get(f"/api/v1/alerts/{alert.pk}/")
    assert r.json()["events"][0]["event"] == "登录失败" and r.json()["entry_ids"] == []
    assert (
        api_client.post(f"/api/v1/alerts/{alert.pk}/acknowledge/", {}, format="json").json()["status"]
        == "acknowledged"
    )
    r = api_client.post(f"/api/v1/alerts/{alert.pk}/escalate/", {"note": ""}, format="json")
    assert r.status_code == 400 and r.json()["error"]["fields"]["note"]
    r = api_client.post(f"/api/v1/alerts/{alert.pk}/escalate/", {"note": "立案"}, format="json")
    assert r.json()["status"] == "escalated" and r.json()["incident"]
    assert (
        api_client.post(f"/api/v1/alerts/{alert.pk}/close/", {"note": "x"}, format="json").status_code == 409
    )
    rules = api_client.get("/api/v1/monitoring-rules/").json()
    assert {r["kind"]: r["can_change"] for r in rules}["sealer_lag"] is False
    r = api_client.put("/api/v1/monitoring-rules/bulk_export/", {"enabled": True, "threshold": 30,
                                                                   "window_minutes": 10, "key": "department"},
                       format="json")  # fmt: skip
    assert r.status_code == 200 and r.json()["key"] == "department"
    assert api_client.put("/api/v1/monitoring-rules/nope/", {}, format="json").status_code == 404
    api_client.force_authenticate(org.auditor)
    assert api_client.get(f"/api/v1/alerts/{alert.pk}/").status_code == 404
    api_client.force_authenticate(org.staff_secret)
    assert api_client.get("/api/v1/alerts/").status_code == 404


def test_cli(org, clock, capsys):
    for _ in range(5):
        accounts.register_login_failure("staff_secret")
    assert main(["monitoring", "evaluate"]) == 0
    assert "新告警 1 条" in capsys.readouterr().out
    assert main(["monitoring", "alerts", "--as", "security_officer"]) == 0
    assert "staff_secret" in capsys.readouterr().out
    assert main(["monitoring", "alerts", "--as", "auditor", "--status", "all"]) == 0
    assert "staff_secret" not in capsys.readouterr().out
    assert main(["monitoring", "seed-calendar", "--as", "security_officer", "--year", "2026"]) == 0
    assert "调休" in capsys.readouterr().out
    from baomi.classification.models import CalendarDay

    assert CalendarDay.objects.get(day="2026-10-10").kind == "workday"
    assert CalendarDay.objects.get(day="2026-10-01").kind == "holiday"
    assert main(["monitoring", "seed-calendar", "--as", "security_officer", "--year", "2099"]) == 1
    assert main(["monitoring", "seed-calendar", "--as", "staff_secret", "--year", "2026"]) == 1
