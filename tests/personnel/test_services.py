"""Personnel services: derived clearance, onboarding, agreements, exit, travel, sanctions
(PER-1..7, R-PER, R-AC-4, R-AC-6)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings

from baomi.access.errors import AccessDenied
from baomi.accounts.choices import Role
from baomi.audit.events import AuditEvent
from baomi.classification.models import ItemScope
from baomi.core.errors import InvalidTransition, ValidationFailed
from baomi.personnel import selectors, services
from baomi.personnel.choices import FileStatus, TravelStatus
from tests.personnel.factories import carrier_for, onboarded, today, versions
from tests.support.assertions import assert_audited, last_audit_id
from tests.support.integrity import bind


def _reload(user):
    user.refresh_from_db()
    user.forget_roles()
    return user


def test_opening_a_file_drops_clearance_until_onboarding_is_complete(org):
    """The clearance is derived: a person in onboarding has the non-classified default (PER-2, R-AC-4)."""
    so, person = org.security_officer, org.staff_secret
    file = services.open_file(so, person, category="important")
    assert _reload(person).clearance == "work_secret"
    assert file.status == FileStatus.ONBOARDING
    assert_audited(AuditEvent.PERSONNEL_FILE_OPENED, file, so)


def test_clear_refused_until_all_three_steps_done(org):
    """Review, training and pledge all come before any clearance (PER-2, R-PER-3)."""
    so, person = org.security_officer, org.staff_confidential
    pledge, _ = versions(so)
    file = services.open_file(so, person, category="core")
    with pytest.raises(ValidationFailed) as exc:
        services.clear_person(so, file)
    assert "上岗前保密审查" in str(exc.value) or "Pre-assignment" in str(exc.value)
    services.record_review(so, file, kind="pre_assignment", result="passed", reviewed_on=today())
    services.sign_pledge(so, file, pledge, signed_on=today())
    with pytest.raises(ValidationFailed):
        services.clear_person(so, file)  # training still missing
    assert _reload(person).clearance == "work_secret"
    session = services.create_session(so, title="保密教育", kind="lecture", held_on=today())
    services.record_attendance(so, session, person)
    services.clear_person(so, file)
    assert _reload(person).clearance == "top_secret"  # 核心 → 绝密
    file.refresh_from_db()
    assert file.status == FileStatus.ACTIVE and file.next_review_on > today()
    assert_audited(AuditEvent.PERSONNEL_CLEARED, file, so)


@pytest.mark.parametrize(("category", "level"), [("core", "top_secret"), ("important", "secret"),
                                                  ("general", "confidential")])  # fmt: skip
def test_category_sets_the_ceiling(org, category, level):
    """核心→绝密, 重要→机密, 一般→秘密 (PER-1, R-PER-2)."""
    onboarded(org.security_officer, org.staff_work_secret, category)
    assert _reload(org.staff_work_secret).clearance == level


def test_ceiling_is_configurable(org, settings):
    """The category link is a configurable default (R-PER-2 [S])."""
    settings.PERSONNEL_CEILINGS = "core=secret,important=confidential,general=work_secret"
    onboarded(org.security_officer, org.staff_work_secret, "core")
    assert _reload(org.staff_work_secret).clearance == "secret"


def test_category_change_keeps_history_and_moves_clearance(org):
    """PER-1: the history of category changes is kept; the clearance follows."""
    so, person = org.security_officer, org.staff_work_secret
    file = onboarded(so, person, "general")
    services.change_category(so, file, "important", reason="调任机要岗位")
    assert _reload(person).clearance == "secret"
    change = file.category_changes.get()
    assert (change.before, change.after) == ("general", "important")
    assert_audited(AuditEvent.PERSONNEL_CATEGORY_CHANGED, file, so)


def test_clearance_drops_the_moment_the_pledge_lapses(org, settings):
    """A lapsed 保密承诺书 lowers the clearance: immediate check and the scheduled sweep (PER-3)."""
    settings.PERSONNEL_AGREEMENT_MONTHS = 12
    so, person = org.security_officer, org.staff_work_secret
    file = onboarded(so, person, "important", signed_on=today() - timedelta(days=364))
    assert _reload(person).clearance == "secret"
    tomorrow = today() + timedelta(days=1)
    assert selectors.derived_clearance(file, tomorrow) == "work_secret"
    # the sweep run for tomorrow's date lowers it, once
    since = last_audit_id()
    result = services.run_checks(timezone_at(tomorrow))
    assert result["lapsed"] == 1
    assert _reload(person).clearance == "work_secret"
    assert_audited(AuditEvent.AGREEMENT_LAPSED, file, since=since)
    assert services.run_checks(timezone_at(tomorrow))["lapsed"] == 0  # idempotent
    # renewal restores it
    pledge, _ = versions(so)
    services.sign_pledge(so, file, pledge, signed_on=today())
    assert _reload(person).clearance == "secret"


def timezone_at(day):
    from datetime import datetime, time

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time(12)))


def test_security_officer_cannot_manage_own_file(org):
    """Nobody clears themself (SEC-2, PER-1)."""
    since = last_audit_id()
    with pytest.raises(AccessDenied):
        services.open_file(org.security_officer, org.security_officer, category="core")
    assert_audited(AuditEvent.ACCESS_DENIED, actor=org.security_officer, since=since)


@pytest.mark.parametrize("persona", ["sysadmin", "auditor", "dept_head", "staff_secret", "unit_head"])
def test_only_security_officer_opens_files(org, persona):
    """PER-1: the security officer manages personnel files."""
    with pytest.raises(AccessDenied):
        services.open_file(getattr(org, persona), org.staff_confidential, category="general")


def test_failed_re_review_lowers_clearance(org):
    """PER-2: a failed 复审 sends the person back to onboarding."""
    so, person = org.security_officer, org.staff_work_secret
    file = onboarded(so, person, "general")
    services.record_review(so, file, kind="re_review", result="failed", reviewed_on=today())
    file.refresh_from_db()
    assert file.status == FileStatus.ONBOARDING
    assert _reload(person).clearance == "work_secret"


def test_exit_start_drops_clearance_at_once(org):
    """Starting an exit lowers the clearance immediately (PER-5, R-AC-4)."""
    so, person = org.security_officer, org.staff_work_secret
    file = onboarded(so, person, "core")
    assert _reload(person).clearance == "top_secret"
    services.start_exit(so, file, approved_on=today())
    assert _reload(person).clearance == "work_secret"
    file.refresh_from_db()
    assert file.status == FileStatus.EXITING


def test_exit_cannot_complete_with_an_outstanding_carrier(org):
    """Every carrier returned before release: the ledger must show none outstanding (PER-5, R-PER-6)."""
    so, person = org.security_officer, org.staff_work_secret
    file = onboarded(so, person, "general")
    carrier = carrier_for(person)
    _pledge, exit_v = versions(so)
    case = services.start_exit(so, file, approved_on=today())
    services.record_exit_interview(so, case, held_on=today(), note="已告知脱密期义务")
    services.record_exit_undertaking(so, case, exit_v, signed_on=today())
    services.revoke_exit_access(so, case)
    services.fix_separation(so, case, years=1)
    with pytest.raises(ValidationFailed) as exc:
        services.complete_exit(so, case)
    assert exc.value.fields["outstanding"] == ["1"]
    case.refresh_from_db()
    assert case.completed_at is None
    # the carrier is handed back (destroyed here for brevity): the exit completes
    from baomi.carriers.models import Carrier

    Carrier.objects.filter(pk=carrier.pk).update(status="destroyed")
    services.complete_exit(so, case)
    file.refresh_from_db()
    assert file.status == FileStatus.SEPARATION
    assert_audited(AuditEvent.EXIT_COMPLETED, case, so)


def test_exit_needs_all_five_steps(org):
    """R-PER-6: interview, undertaking, carriers, access, separation period."""
    so, person = org.security_officer, org.staff_work_secret
    file = onboarded(so, person, "general")
    case = services.start_exit(so, file, approved_on=today())
    with pytest.raises(ValidationFailed) as exc:
        services.complete_exit(so, case)
    assert len(exc.value.fields["steps"]) == 4  # carriers: none held


def test_revoking_access_disables_account_and_removes_scopes_and_roles(org):
    """R-AC-6: on exit the account is disabled and scopes and roles removed, audited."""
    so, person = org.security_officer, org.case_handler
    file = onboarded(so, person, "important")
    carrier = carrier_for(org.staff_secret)
    ItemScope.objects.create(item=carrier.item, user=person)
    bind(carrier.item)  # the scope is bound into the item's mark MAC (R-CRYPTO-5)
    case = services.start_exit(so, file, approved_on=today())
    since = last_audit_id()
    services.revoke_exit_access(so, case)
    person = _reload(person)
    assert not person.is_active
    assert not person.role_codes()
    assert not ItemScope.objects.filter(user=person).exists()
    assert_audited(AuditEvent.SCOPE_REVOKED, ("classification.item", carrier.item_id), so, since=since)
    assert_audited(AuditEvent.USER_DISABLED, person, so, since=since)
    assert_audited(AuditEvent.EXIT_ACCESS_REVOKED, case, so, since=since)


def test_post_change_keeps_account_and_staff_role(org):
    """A post change revokes classified access but not the account (PER-5)."""
    so, person = org.security_officer, org.case_handler
    file = onboarded(so, person, "important")
    case = services.start_exit(so, file, kind="post_change", approved_on=today())
    services.revoke_exit_access(so, case)
    person = _reload(person)
    assert person.is_active and person.role_codes() == {Role.STAFF}


@pytest.mark.parametrize(("category", "ok", "bad"), [("core", 3, 2), ("important", 2, 1), ("general", 1, 0)])
def test_separation_period_range_by_category(org, category, ok, bad):
    """脱密期 defaults: 核心 3–5年, 重要 2–3年, 一般 1–2年; longer only with a reason (R-PER-7)."""
    so = org.security_officer
    file = onboarded(so, org.staff_work_secret, category)
    case = services.start_exit(so, file, approved_on=today())
    with pytest.raises(ValidationFailed):
        services.fix_separation(so, case, years=bad)
    with pytest.raises(ValidationFailed):
        services.fix_separation(so, case, years=6)
    services.fix_separation(so, case, years=6, reason="掌握大量核心秘密")
    services.fix_separation(so, case, years=ok)
    case.refresh_from_db()
    assert case.separation_start == today()
    assert case.separation_end.year == today().year + ok


def test_separation_end_releases_the_person(org):
    """The job releases persons whose 脱密期 has ended; idempotent (PER-5, OPS-2)."""
    so, person = org.security_officer, org.staff_work_secret
    file = onboarded(so, person, "general")
    _p, exit_v = versions(so)
    case = services.start_exit(so, file, approved_on=today() - timedelta(days=800))
    services.record_exit_interview(so, case, held_on=today())
    services.record_exit_undertaking(so, case, exit_v, signed_on=today())
    services.revoke_exit_access(so, case)
    services.fix_separation(so, case, years=2)
    services.complete_exit(so, case)
    assert services.run_checks()["released"] == 1
    file.refresh_from_db()
    assert file.status == FileStatus.RELEASED
    assert services.run_checks()["released"] == 0


def test_travel_abroad_flow(org):
    """Two opinions, an approver, pre-trip training, post-trip report (PER-6, R-PER-5)."""
    so, person = org.security_officer, org.staff_secret
    onboarded(so, person, "important")
    travel = services.request_travel(person, traveller=person, destination="新加坡", purpose="学术会议",
                                     departs_on=today() + timedelta(days=10), returns_on=today() + timedelta(days=15))  # fmt: skip
    with pytest.raises(ValidationFailed):
        services.decide_travel(org.unit_head, travel, approve=True)  # opinions missing
    with pytest.raises(AccessDenied):
        services.give_travel_opinion(person, travel, side="personnel", opinion="agree")  # not on own trip
    services.give_travel_opinion(org.dept_head, travel, side="personnel", opinion="agree")
    services.give_travel_opinion(so, travel, side="security", opinion="agree")
    with pytest.raises(AccessDenied):
        services.decide_travel(org.dept_head, travel, approve=True)
    services.decide_travel(org.unit_head, travel, approve=True)
    with pytest.raises(ValidationFailed):
        services.mark_departed(person, travel)  # no pre-trip briefing yet
    brief = services.create_session(so, title="出国前保密提醒", kind="pre_trip", held_on=today())
    services.record_attendance(so, brief, person)
    services.mark_departed(person, travel)
    services.mark_returned(person, travel, returned_on=today() - timedelta(days=30))
    assert list(selectors.travel_reports_overdue(so)) == [travel]
    services.file_travel_report(person, travel, report="未携带涉密载体，无异常接触。")
    travel.refresh_from_db()
    assert travel.status == TravelStatus.CLOSED
    with pytest.raises(InvalidTransition):
        services.mark_returned(person, travel, returned_on=today())


def test_security_disagreement_blocks_approval(org):
    """Approval is refused where the security office sees harm (R-PER-5)."""
    so, person = org.security_officer, org.staff_secret
    onboarded(so, person, "important")
    travel = services.request_travel(person, traveller=person, destination="某国", purpose="旅游",
                                     departs_on=today(), returns_on=today())  # fmt: skip
    services.give_travel_opinion(org.unit_head, travel, side="personnel", opinion="agree")
    services.give_travel_opinion(so, travel, side="security", opinion="disagree")
    with pytest.raises(ValidationFailed):
        services.decide_travel(org.unit_head, travel, approve=True)
    services.decide_travel(org.unit_head, travel, approve=False)


def test_person_in_separation_period_needs_travel_approval(org):
    """People in their 脱密期 are treated as cleared personnel (PER-6, R-PER-8)."""
    so, person = org.security_officer, org.staff_work_secret
    file = onboarded(so, person, "general")
    services.start_exit(so, file, kind="post_change", approved_on=today())
    assert selectors.is_cleared_person(person)
    with pytest.raises(ValidationFailed):
        services.request_travel(org.outsider, traveller=org.outsider, destination="x", purpose="y",
                                departs_on=today(), returns_on=today())  # fmt: skip


def test_determination_training_is_tracked(org, settings):
    """定密责任人 and 承办人 need current 定密 training (R-DET-12, PER-4)."""
    so = org.security_officer
    gaps = {u.username for u in selectors.determination_training_gaps(so)}
    assert {"case_handler", "authority_secret"} <= gaps
    session = services.create_session(
        so, title="定密培训", kind="determination", held_on=today(), has_exam=True
    )
    with pytest.raises(ValidationFailed):
        services.record_attendance(so, session, org.case_handler)  # score needed
    services.record_attendance(so, session, org.case_handler, score=50)
    assert not selectors.has_current_determination_training(org.case_handler)  # failed the exam
    services.record_attendance(so, session, org.case_handler, score=85)
    assert selectors.has_current_determination_training(org.case_handler)
    assert not selectors.has_current_determination_training(
        org.case_handler, today() + timedelta(days=31 * settings.PERSONNEL_DETERMINATION_TRAINING_MONTHS)
    )
    assert "case_handler" not in {u.username for u in selectors.determination_training_gaps(so)}
    # OPS-1: the start page's figure counts the same people as the list, for the security office
    # only.
    assert (
        selectors.shared_count(so, "training_gaps") == selectors.determination_training_gaps(so).count() >= 2
    )
    assert selectors.shared_count(org.dept_head, "training_gaps") == 0


def test_penalty_must_refer_to_incident_or_report(org):
    """Rewards and penalties are linked to what they refer to (PER-7)."""
    so = org.security_officer
    with pytest.raises(ValidationFailed):
        services.record_sanction(so, user=org.staff_secret, kind="warning", decided_on=today(), reason="违规")
    with pytest.raises(ValidationFailed):
        services.record_sanction(so, user=org.staff_secret, kind="demerit", decided_on=today(), reason="违规",
                                 merit="x")  # fmt: skip
    report = services.file_violation_report(
        org.staff_confidential, kind="violation", description="将涉密文件带回家"
    )
    sanction = services.record_sanction(so, user=org.staff_secret, kind="warning", decided_on=today(),
                                        reason="违规携带涉密文件外出", report=report)  # fmt: skip
    assert_audited(AuditEvent.SANCTION_RECORDED, sanction, so)
    services.record_sanction(so, user=org.staff_secret, kind="commendation", decided_on=today(),
                             reason="及时发现并报告隐患", merit="发现保密柜故障")  # fmt: skip
    with pytest.raises(AccessDenied):
        services.record_sanction(org.dept_head, user=org.staff_secret, kind="commendation", decided_on=today(),
                                 reason="x", merit="y")  # fmt: skip


def test_report_turns_into_incident(org):
    """A report can become an incident; the incident names the officer, not the reporter (PER-8, SUP-2)."""
    so = org.security_officer
    report = services.file_violation_report(
        org.staff_confidential, kind="leak", description="疑似在微信群传播文件"
    )
    services.handle_violation_report(so, report, open_incident=True, note="立即核查")
    report.refresh_from_db()
    assert report.incident is not None
    assert report.incident.opened_by_id == so.pk
    assert report.incident.source_ref == str(report.pk)
    with pytest.raises(InvalidTransition):
        services.handle_violation_report(so, report, open_incident=False)
    with pytest.raises(AccessDenied):
        services.handle_violation_report(org.auditor, report, open_incident=False)


def test_reminders_are_raised_once(org, settings):
    """Scheduled reminders are idempotent (OPS-2)."""
    so = org.security_officer
    onboarded(so, org.staff_work_secret, "general", signed_on=today() - timedelta(days=350))
    first = services.raise_reminders()["reminders"]
    assert first >= 1
    assert services.raise_reminders()["reminders"] == 0


def test_separation_breach_opens_an_incident(org):
    """A breach during the 脱密期 opens an incident to report to the 保密局 (R-PER-9)."""
    so, person = org.security_officer, org.staff_work_secret
    file = onboarded(so, person, "general")
    case = services.start_exit(so, file, approved_on=today())
    with pytest.raises(ValidationFailed):
        services.report_separation_breach(so, case, description=" ")
    incident = services.report_separation_breach(so, case, description="未经批准出境")
    assert incident.source == "separation_breach" and incident.source_ref == str(case.pk)
    with pytest.raises(AccessDenied):
        services.report_separation_breach(org.dept_head, case, description="x")


def test_pretrip_briefing_window_is_a_setting(org):
    """PER-6, R-PER-5 ¶3: the pre-trip briefing counts only within
    ``PERSONNEL_PRETRIP_BRIEFING_DAYS`` before departure — 40 days old passes the default 90
    but not a 30-day window."""
    so, person = org.security_officer, org.staff_secret
    onboarded(so, person, "important")
    brief = services.create_session(
        so, title="出国前保密提醒", kind="pre_trip", held_on=today() - timedelta(days=40)
    )
    services.record_attendance(so, brief, person)
    travel = services.request_travel(person, traveller=person, destination="新加坡", purpose="学术会议",
                                     departs_on=today(), returns_on=today() + timedelta(days=5))  # fmt: skip
    services.give_travel_opinion(org.dept_head, travel, side="personnel", opinion="agree")
    services.give_travel_opinion(so, travel, side="security", opinion="agree")
    services.decide_travel(org.unit_head, travel, approve=True)
    with override_settings(PERSONNEL_PRETRIP_BRIEFING_DAYS=30), pytest.raises(ValidationFailed):
        services.mark_departed(person, travel)
    services.mark_departed(person, travel)  # default: 90 days
    travel.refresh_from_db()
    assert travel.status == TravelStatus.DEPARTED


def test_renewals_due_are_found_in_sql_whatever_the_number_of_files(org, settings):
    """PER-3 on the start page (OPS-1: aggregates, not row loops): the pledges to renew are the
    active files whose *last* pledge is missing or ends within the reminder days — the same
    answer as reading ``last_pledge`` file by file, in a fixed number of queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from baomi.personnel.models import PersonnelFile

    settings.PERSONNEL_AGREEMENT_MONTHS = 12
    so = org.security_officer
    pledge, _ = versions(so)
    onboarded(so, org.staff_secret, signed_on=today() - timedelta(days=360))  # ends within 30 days
    onboarded(so, org.staff_confidential)  # a year ahead
    renewed = onboarded(so, org.staff_work_secret, signed_on=today() - timedelta(days=360))
    services.sign_pledge(so, renewed, pledge, signed_on=today())  # the newer pledge decides

    def by_loop() -> set[str]:
        horizon = today() + timedelta(days=settings.PERSONNEL_REMINDER_DAYS)
        return {
            f.user.username
            for f in PersonnelFile.objects.filter(status="active")
            if (s := selectors.last_pledge(f)) is None
            or (s.valid_until is not None and s.valid_until <= horizon)
        }

    def reads() -> int:
        with CaptureQueriesContext(connection) as ctx:
            due = selectors.renewals_due(so)
        assert {f.user.username for f, _sig in due} == by_loop() == {"staff_secret"}
        assert all(sig == selectors.last_pledge(f) for f, sig in due)
        assert selectors.renewals_due_files(so).count() == len(due)
        return len(ctx.captured_queries)

    first = reads()
    onboarded(so, org.case_handler, signed_on=today() - timedelta(days=360))
    onboarded(so, org.staff_other_dept)
    assert by_loop() == {"staff_secret", "case_handler"}
    with CaptureQueriesContext(connection) as ctx:
        due = selectors.renewals_due(so)
    assert {f.user.username for f, _sig in due} == {"staff_secret", "case_handler"}
    assert len(ctx.captured_queries) == first <= 2


def test_training_gaps_are_found_in_one_query(org, settings):
    """R-DET-12, PER-4: the classification roles without a passed 定密 training within the period
    are those ``has_current_determination_training`` refuses, read in one query, not one per
    person: a training held before the period does not count, a failed one does not either."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from baomi.accounts.models import User
    from baomi.personnel.selectors import add_months

    so = org.security_officer
    old = services.create_session(so, title="定密培训（上期）", kind="determination", has_exam=True,
                                  held_on=add_months(today(), -settings.PERSONNEL_DETERMINATION_TRAINING_MONTHS)
                                  - timedelta(days=1))  # fmt: skip
    services.record_attendance(so, old, org.authority_secret, score=90)
    now = services.create_session(so, title="定密培训", kind="determination", held_on=today(), has_exam=True)
    services.record_attendance(so, now, org.case_handler, score=85)
    services.record_attendance(so, now, org.authority_top_secret, score=40)
    with CaptureQueriesContext(connection) as ctx:
        gaps = {u.username for u in selectors.determination_training_gaps(so)}
    assert len(ctx.captured_queries) == 1
    assert (
        len(gaps) >= 3 and {"authority_secret", "authority_top_secret"} <= gaps and "case_handler" not in gaps
    )
    assert gaps == {
        u.username for u in User.objects.filter(username__in=gaps | {"case_handler"})
        if not selectors.has_current_determination_training(u)
    }  # fmt: skip


def test_training_coverage_is_counted_per_department_in_two_queries(org):
    """PER-4: per department, the persons on file (onboarding or active), how many attended at
    least one session of the year, the hours attended and the share. By hand: each person is
    trained once on being put on file (a 2-hour course today); 办公室 has two on file, one of whom
    also attended two more sessions (1.5 + 2 hours): 7.5 hours; 财务科 has one, whose session of
    last year adds nothing: 2 hours. Two grouped queries, however many departments."""
    from decimal import Decimal

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    so = org.security_officer
    onboarded(so, org.staff_secret)
    onboarded(so, org.staff_confidential, clear=False)
    onboarded(so, org.staff_other_dept)
    for i, hours in enumerate((Decimal("1.5"), Decimal("2"))):
        session = services.create_session(
            so, title=f"保密培训{i}", kind="course", held_on=today(), hours=hours
        )
        services.record_attendance(so, session, org.staff_secret)
    last_year = services.create_session(
        so, title="去年培训", kind="course", held_on=today() - timedelta(days=400)
    )
    services.record_attendance(so, last_year, org.staff_other_dept)
    with CaptureQueriesContext(connection) as ctx:
        rows = {r["department"].name: r for r in selectors.coverage(so, today().year)}
    assert len(ctx.captured_queries) <= 3  # the departments, the files, the attendances
    office, fin = rows["办公室"], rows["财务科"]
    assert (office["total"], office["trained"], office["hours"], office["percent"]) == (
        2,
        2,
        Decimal("7.5"),
        100,
    )
    assert (fin["total"], fin["trained"], fin["hours"], fin["percent"]) == (1, 1, Decimal("2"), 100)
    assert (str(office["hours"]), str(fin["hours"])) == ("7.5", "2.0")  # shown as the sessions' hours are
    assert all(r["total"] == 0 and r["hours"] == 0 and r["percent"] is None
               for name, r in rows.items() if name not in ("办公室", "财务科"))  # fmt: skip
