"""Alert lifecycle, rule ownership and what each recipient may see (SEC-5, R-ROLE-2, R-ROLE-5)."""

from __future__ import annotations

import pytest

from baomi.access import policy
from baomi.access.errors import AccessDenied
from baomi.accounts import services as accounts
from baomi.audit.events import AuditEvent
from baomi.core.errors import InvalidTransition, ValidationFailed
from baomi.incidents.models import Incident
from baomi.monitoring import lifecycle, selectors, services
from baomi.monitoring.choices import AlertStatus, KeyKind, RuleKind
from baomi.monitoring.events import MonitoringEvent
from baomi.monitoring.models import Alert, MonitorRule
from tests.support.assertions import assert_audited, assert_hidden, assert_visible, last_audit_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def alert(org, clock) -> Alert:
    for _ in range(5):
        accounts.register_login_failure("staff_secret")
        clock.advance(seconds=30)
    services.evaluate()
    return Alert.objects.get(rule=RuleKind.LOGIN_FAILURES)


@pytest.fixture
def admin_alert(org, clock) -> Alert:
    for _ in range(5):
        accounts.register_login_failure("sysadmin")
    services.evaluate()
    return Alert.objects.get(rule=RuleKind.LOGIN_FAILURES, subject_user=org.sysadmin)


def test_lifecycle_table_in_words():
    """SEC-5: new → acknowledged → closed or escalated; nothing leaves closed or escalated."""
    assert lifecycle.allowed(AlertStatus.NEW) == ["acknowledge", "close", "escalate"]
    assert lifecycle.allowed(AlertStatus.ACKNOWLEDGED) == ["close", "escalate"]
    for done in (AlertStatus.CLOSED, AlertStatus.ESCALATED):
        for action in lifecycle.MOVES:
            with pytest.raises(InvalidTransition):
                lifecycle.next_state(done, action)


def test_acknowledge_then_close_with_a_note(org, alert):
    officer = org.security_officer
    services.acknowledge_alert(officer, alert)
    assert_audited(MonitoringEvent.ALERT_ACKNOWLEDGED, alert, officer)
    with pytest.raises(ValidationFailed):
        services.close_alert(officer, alert, note="  ")
    closed = services.close_alert(officer, alert, note="本人忘记口令, 已重置")
    assert (closed.status, closed.closed_by, closed.note) == (
        AlertStatus.CLOSED,
        officer,
        "本人忘记口令, 已重置",
    )
    assert_audited(MonitoringEvent.ALERT_CLOSED, alert, officer)
    with pytest.raises(InvalidTransition):
        services.acknowledge_alert(officer, closed)


def test_escalate_opens_an_incident_without_audit_details(org, alert):
    """SEC-5, SUP-2: escalation opens an incident through the incidents seam."""
    done = services.escalate_alert(org.security_officer, alert, note="疑似口令猜测")
    incident = Incident.objects.get(pk=done.incident_id)
    assert done.status == AlertStatus.ESCALATED
    assert (incident.source, incident.source_ref) == ("monitoring", f"alert:{alert.pk}")
    assert "疑似口令猜测" in incident.description
    assert_audited(MonitoringEvent.ALERT_ESCALATED, alert, org.security_officer)
    assert_audited(AuditEvent.INCIDENT_OPENED, incident, org.security_officer)


def test_only_the_recipient_sees_and_handles_an_alert(org, alert, admin_alert):
    """R-ROLE-2: the officer's alerts are hidden from the auditor and the reverse; handling
    someone else's alert is refused and audited after the rollback."""
    assert_visible(org.security_officer, alert)
    assert_visible(org.security_officer, alert, "handle")
    assert_hidden(org.auditor, alert)
    assert_visible(org.auditor, admin_alert)
    assert_visible(org.auditor, admin_alert, "handle")
    assert_hidden(org.security_officer, admin_alert)
    for user in (org.sysadmin, org.unit_head, org.staff_secret):
        assert_hidden(user, alert)
        assert_hidden(user, admin_alert, "handle")
    since = last_audit_id()
    with pytest.raises(AccessDenied):
        services.close_alert(org.auditor, alert, note="x")
    assert_audited(AuditEvent.ACCESS_DENIED, actor=org.auditor, outcome="denied", since=since)
    assert Alert.objects.get(pk=alert.pk).status == AlertStatus.NEW


def test_the_alert_list_action_is_for_the_two_recipients(org):
    assert policy.can(org.security_officer, "monitoring.alerts")
    assert policy.can(org.auditor, "monitoring.alerts")
    assert not policy.can(org.sysadmin, "monitoring.alerts")
    assert not policy.can(org.unit_head, "monitoring.alerts")


def test_each_rule_is_changed_by_its_owner_only(org):
    """SEC-5, R-ROLE-5: the officer sets the rules about users; the auditor those that watch the
    administrators and the trail; the system administrator none."""
    officer_rules = {
        r.kind
        for r in selectors.rules_for(org.security_officer)
        if policy.can(org.security_officer, "change", r)
    }
    auditor_rules = {r.kind for r in selectors.rules_for(org.auditor) if policy.can(org.auditor, "change", r)}
    assert officer_rules == {"login_failures", "bulk_export", "off_hours", "denial_burst", "many_items"}
    # integrity_failure (issue 11 §4) alerts the officer but is the auditor's to configure.
    assert auditor_rules == {"admin_out_of_role", "chain_failure", "sealer_lag", "integrity_failure"}
    assert selectors.rules_for(org.sysadmin) == []
    with pytest.raises(AccessDenied):
        services.update_rule(org.security_officer, RuleKind.ADMIN_OUT_OF_ROLE, enabled=False, threshold=1,
                             window_minutes=60, key=KeyKind.ACCOUNT)  # fmt: skip
    rule = services.update_rule(org.auditor, RuleKind.SEALER_LAG, enabled=True, threshold=20, window_minutes=60,
                                key=KeyKind.SYSTEM)  # fmt: skip
    assert_visible(org.auditor, rule, "change")
    assert_hidden(org.security_officer, rule, "change")
    assert_visible(org.security_officer, rule, "view")
    assert selectors.rules_in_force()[RuleKind.SEALER_LAG].threshold == 20


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"threshold": 0}, "threshold"),
        ({"window_minutes": 0}, "window_minutes"),
        ({"key": KeyKind.CARRIER}, "key"),
    ],
)
def test_rule_values_are_checked(org, changes, field):
    values = {"enabled": True, "threshold": 5, "window_minutes": 15, "key": KeyKind.ACCOUNT, **changes}
    with pytest.raises(ValidationFailed) as err:
        services.update_rule(org.security_officer, RuleKind.LOGIN_FAILURES, **values)
    assert field in err.value.fields
    assert not MonitorRule.objects.exists()


def test_a_carrier_above_the_readers_clearance_is_masked(org, clock):
    """SEC-5: an alert never shows what its reader could not otherwise see: a carrier above the
    reader's clearance reads as "a carrier above your clearance"."""
    from baomi.monitoring.detectors import summarize

    alert = Alert(rule=RuleKind.BULK_EXPORT, audience="auditor", key="c1", key_kind=KeyKind.CARRIER,
                  subject_label="JM-2026-1", subject_level="top_secret", first_at=clock.now, last_at=clock.now,
                  threshold=1, window_minutes=1,
                  summary=summarize([[0, 1, 304, "carriers.carrier", "1", "JM-2026-1", "top_secret"],
                                     [0, 2, 304, "carriers.carrier", "2", "NB-2026-2", "work_secret"]]))  # fmt: skip
    view = selectors.present(org.auditor, alert)  # the auditor is cleared for 工作秘密 only
    assert [t.label for t in view["targets"]] == ["NB-2026-2", "高于您知悉权限的载体"]
    assert selectors.subject_text(org.auditor, alert) == "高于您知悉权限的载体"
    officer_view = selectors.present(org.security_officer, alert)  # cleared for 绝密
    assert [t.label for t in officer_view["targets"]] == ["JM-2026-1", "NB-2026-2"]
    assert officer_view["entry_ids"] == [] and officer_view["reads_trail"] is False
