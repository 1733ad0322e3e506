"""The evaluator over the real audit trail, with a fixed clock (SEC-5, R-SYS-5).

Entries are written by the real services (failed logins, sign-ins) at the times the clock says;
the evaluator reads them from the chain after its cursor.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from baomi.accounts import services as accounts
from baomi.audit import chain
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.classification import services as cls_services
from baomi.monitoring import selectors, services
from baomi.monitoring.choices import Audience, KeyKind, RuleKind
from baomi.monitoring.events import MonitoringEvent
from baomi.monitoring.models import Alert, AlertEntry, MonitorCursor
from tests.monitoring.conftest import at
from tests.support.assertions import assert_audited

pytestmark = pytest.mark.django_db


def fail(username: str, n: int, clock, every: timedelta = timedelta(minutes=1)) -> None:
    for _ in range(n):
        accounts.register_login_failure(username)
        clock.advance(seconds=every.total_seconds())


def alerts(rule: str = RuleKind.LOGIN_FAILURES) -> list[Alert]:
    return list(Alert.objects.filter(rule=rule).order_by("id"))


def test_five_failed_logins_raise_one_alert_for_the_security_officer(org, clock):
    """SEC-5: the default rule (5 in 15 minutes per account) raises one alert, audited, linked
    to the five audit entries."""
    fail("staff_secret", 5, clock)
    result = services.evaluate()
    [alert] = alerts()
    assert result["raised"] >= 1
    assert (alert.audience, alert.subject_user, alert.count) == (
        Audience.SECURITY_OFFICER,
        org.staff_secret,
        5,
    )
    assert AlertEntry.objects.filter(alert=alert).count() == 5
    assert_audited(MonitoringEvent.ALERT_RAISED, alert)
    assert alert.raised_at == clock.now


def test_restart_mid_window_loses_and_repeats_nothing(org, clock):
    """SEC-5: three failures, a run, two more, a run: one alert of five; runs after that raise
    nothing new, and failures within the window grow the same alert."""
    fail("staff_secret", 3, clock)
    services.evaluate()
    assert alerts() == []
    cursor = MonitorCursor.objects.get()
    assert cursor.state["keys"], "the window state was kept with the cursor"
    fail("staff_secret", 2, clock)
    services.evaluate()
    services.evaluate()
    [alert] = alerts()
    assert alert.count == 5
    fail("staff_secret", 2, clock)
    services.evaluate()
    [alert] = alerts()
    assert alert.count == 7
    assert AlertEntry.objects.filter(alert=alert).count() == 7


def test_a_batch_that_fails_is_repeated_whole(org, clock, monkeypatch):
    """SEC-5: a crash before the batch commits leaves neither alert nor cursor move; the next run
    raises the alert exactly once."""
    fail("staff_secret", 5, clock)
    real_flush = services._Sink.flush

    def crash(self):
        raise RuntimeError("power cut")

    monkeypatch.setattr(services._Sink, "flush", crash)
    with pytest.raises(RuntimeError):
        services.evaluate()
    assert alerts() == [] and MonitorCursor.objects.get().seq == 0
    monkeypatch.setattr(services._Sink, "flush", real_flush)
    services.evaluate()
    assert len(alerts()) == 1


def test_batches_carry_the_window_across(org, clock):
    """SEC-5: the window state crosses batch boundaries: small batches find the same alert."""
    fail("staff_secret", 5, clock)
    services.evaluate(batch=2)
    assert len(alerts()) == 1


@pytest.mark.parametrize(
    ("when", "alert"),
    [
        ("2026-10-10 10:00", False),  # Saturday, a 调休 working day after 国庆
        ("2026-10-10 20:00", True),  # the same Saturday, after working hours
        ("2026-10-01 10:00", True),  # 国庆 (Thursday)
        ("2026-10-07 10:00", True),  # last day of the 国庆 holiday (Wednesday)
        ("2026-10-09 10:00", False),  # an ordinary Friday
        ("2026-11-14 10:00", True),  # an ordinary Saturday
        ("2026-11-17 07:59", True),  # Tuesday, before hours
        ("2026-11-17 08:00", False),  # Tuesday, the first working minute
        ("2026-11-17 18:00", True),  # Tuesday, the hours end (excluded)
    ],
)
def test_working_hours_follow_the_chinese_calendar(org, clock, when, alert):
    """SEC-5: access outside working hours, by the published holiday arrangement with its 调休
    days (chinesecalendar) and the configured hours 08:00–18:00."""
    clock.set(at(when))
    accounts.register_login_success(org.staff_secret)
    services.evaluate()
    assert bool(alerts(RuleKind.OFF_HOURS)) is alert


def test_the_units_own_calendar_overrides_the_published_one(org, clock):
    """SEC-5, CLS-6: a day the security officer marks as a holiday is not a working day."""
    cls_services.set_calendar_day(org.security_officer, day=at("2026-11-17 00:00").date(), kind="holiday",
                                  name="单位调整")  # fmt: skip
    clock.set(at("2026-11-17 10:00"))
    accounts.register_login_success(org.staff_secret)
    services.evaluate()
    mine = [a for a in alerts(RuleKind.OFF_HOURS) if a.subject_user == org.staff_secret]
    assert len(mine) == 1 and mine[0].audience == Audience.SECURITY_OFFICER
    # The officer marked the day at 10:00 of that holiday too: that alert goes to the auditor.
    assert {a.audience for a in alerts(RuleKind.OFF_HOURS) if a not in mine} == {Audience.AUDITOR}


def test_weekdays_calendar_when_configured(org, clock, settings):
    """SEC-5: BAOMI_MONITOR_CALENDAR=weekdays ignores the published arrangement."""
    settings.MONITOR_CALENDAR = "weekdays"
    clock.set(at("2026-10-01 10:00"))
    accounts.register_login_success(org.staff_secret)
    services.evaluate()
    assert alerts(RuleKind.OFF_HOURS) == []


def test_per_department_key_from_the_accounts(org, clock):
    """SEC-5: counted per department, failures of two accounts of one department add up."""
    services.update_rule(org.security_officer, RuleKind.LOGIN_FAILURES, enabled=True, threshold=4,
                         window_minutes=15, key=KeyKind.DEPARTMENT)  # fmt: skip
    fail("staff_secret", 2, clock)
    fail("staff_confidential", 2, clock)
    services.evaluate()
    [alert] = alerts()
    assert alert.subject_department == org.staff_secret.department
    assert selectors.subject_text(org.security_officer, alert) == "办公室"


def test_administrator_actions_alert_the_auditor(org, clock):
    """R-ROLE-2, SEC-5: the system administrator's failed logins go to the auditor, not to the
    security officer."""
    fail("sysadmin", 5, clock)
    services.evaluate()
    [alert] = alerts()
    assert alert.audience == Audience.AUDITOR
    assert list(selectors.alerts(org.security_officer)) == []
    assert list(selectors.alerts(org.auditor)) == [alert]


def test_a_failed_verification_alerts_the_auditor(org, clock):
    """SEC-3, SEC-5: an AUDIT_VERIFIED entry with outcome failed raises a chain alert."""
    record(org.auditor, AuditEvent.AUDIT_VERIFIED, None, outcome="failed", details={"problems": 1})
    services.evaluate()
    [alert] = alerts(RuleKind.CHAIN_FAILURE)
    assert alert.audience == Audience.AUDITOR


def test_sealer_lag_raises_one_alert(org, clock):
    """SEC-3, SEC-5: an entry waiting for its seal longer than the threshold (10 minutes) raises
    one alert; it does not repeat while the lag lasts."""
    chain.seal_pending()
    record(None, AuditEvent.SETTING_CHANGED, ("core.setting", "x", "x"))
    clock.advance(minutes=9)
    services.evaluate(seal=False)
    assert alerts(RuleKind.SEALER_LAG) == []
    clock.advance(minutes=2)
    services.evaluate(seal=False)
    clock.advance(minutes=5)
    services.evaluate(seal=False)
    assert len(alerts(RuleKind.SEALER_LAG)) == 1
    chain.seal_pending()
    services.evaluate()
    assert MonitorCursor.objects.get().state["lag"] is None


def test_changing_a_rule_applies_to_the_next_run(org, clock):
    """SEC-5: a disabled rule raises nothing; the change is audited with before and after."""
    rule = services.update_rule(org.security_officer, RuleKind.LOGIN_FAILURES, enabled=False, threshold=5,
                                window_minutes=15, key=KeyKind.ACCOUNT)  # fmt: skip
    entry = assert_audited(MonitoringEvent.MONITOR_RULE_CHANGED, rule, org.security_officer)
    assert entry.details["before"]["enabled"] is True and entry.details["after"]["enabled"] is False
    fail("staff_secret", 6, clock)
    services.evaluate()
    assert alerts() == []


def test_the_first_alert_comes_within_one_run_of_its_entry(org, clock):
    """SEC-5: the evaluator seals what is pending first, so an entry written before a run is
    evaluated by that run (the job runs every minute)."""
    fail("staff_secret", 5, clock, every=timedelta(seconds=1))
    result = services.evaluate()
    assert result["raised"] == 1 and alerts()[0].raised_at - alerts()[0].last_at < timedelta(minutes=1)
