"""Incident services (SUP-2, R-INC-1..5): reporting by anyone, the protected reporter, carriers
lost through the carriers service, levels and visibility, closing conditions, penalties."""

from __future__ import annotations

from datetime import timedelta

import pytest

from baomi.access.errors import AccessDenied
from baomi.audit.events import AuditEvent
from baomi.audit.models import AuditEntry
from baomi.core.errors import CeilingExceeded, ValidationFailed
from baomi.incidents import selectors, services
from baomi.incidents.events import IncidentEvent
from baomi.incidents.models import Incident, IncidentCarrier
from tests.carriers.factories import make_carrier, make_item
from tests.incidents.factories import ago, concluded, open_one
from tests.support.assertions import assert_audited, last_audit_id


@pytest.mark.django_db
def test_anyone_reports_and_the_reporter_stays_protected(org):
    """R-INC-2, PER-8: a staff member reports; the audit entry carries neither actor nor IP,
    only the security officer sees who reported, the reporter follows the status."""
    since = last_audit_id()
    incident = services.report_incident(org.staff_confidential, kind="suspected_leak", title="复印机内遗留文件",
                                        description="在复印室发现遗留的文件", discovered_at=ago(0.5))  # fmt: skip
    entry = assert_audited(IncidentEvent.INCIDENT_REPORTED, incident, since=since)
    assert entry.actor_id is None and not entry.ip and entry.details["reporter"] == "protected"
    assert selectors.reporter_of(org.security_officer, incident) == org.staff_confidential
    assert selectors.reporter_of(org.unit_head, incident) is None
    assert selectors.get_incident(org.staff_confidential, incident.pk) == incident
    assert not selectors.entries_of(org.staff_confidential, incident).exists()  # status only, not the record
    assert incident.deadline_at == incident.discovered_at + timedelta(hours=24)


@pytest.mark.django_db
def test_a_reported_lost_carrier_is_linked_and_the_officer_marks_it_missing(org):
    """SUP-2, CAR-8: the reporter names the carrier; it becomes 丢失 in the registry through
    the carriers service, without a second incident, and the incident takes its level."""
    carrier = make_carrier(org, "secret", custodian=org.staff_secret)
    incident = services.report_incident(org.staff_secret, kind="lost_carrier", title="文件丢失",
                                        description="出差途中丢失", carriers=[carrier])  # fmt: skip
    assert incident.level == "secret"
    link = IncidentCarrier.objects.get(incident=incident)
    assert link.lost and services.may_mark_lost(org.security_officer, link)
    assert not services.may_mark_lost(org.staff_secret, link)
    before = Incident.objects.count()
    services.involve_carrier(org.security_officer, incident, carrier, lost=True)
    carrier.refresh_from_db()
    assert carrier.status == "missing"
    assert Incident.objects.count() == before
    assert_audited(AuditEvent.CARRIER_MISSING, carrier, org.security_officer)


@pytest.mark.django_db
def test_reporter_may_name_only_carriers_they_may_see(org):
    carrier = make_carrier(org, "top_secret", custodian=org.authority_top_secret)
    with pytest.raises(AccessDenied):
        services.report_incident(org.staff_confidential, kind="lost_carrier", title="x", description="y",
                                 carriers=[carrier])  # fmt: skip
    assert not Incident.objects.exists()
    assert_audited(AuditEvent.ACCESS_DENIED, actor=org.staff_confidential, outcome="denied")


@pytest.mark.django_db
def test_missing_carrier_from_the_registry_opens_a_linked_incident(org):
    """The carriers app still opens incidents through the seam (CAR-8): kind lost carrier, the
    carrier linked, the clock running."""
    from baomi.carriers import services as carriers

    carrier = make_carrier(org, "confidential")
    carriers.mark_missing(org.security_officer, carrier, note="清点未见")
    incident = Incident.objects.get(source="carrier", source_ref=carrier.registry_number)
    assert incident.kind == "lost_carrier" and incident.deadline_at is not None
    assert IncidentCarrier.objects.filter(incident=incident, carrier=carrier, lost=True).exists()


@pytest.mark.django_db
def test_violation_report_of_a_leak_opens_a_suspected_leak(org):
    from baomi.personnel import services as personnel

    report = personnel.file_violation_report(
        org.staff_secret, kind="leak", description="微信群里转发了涉密通知"
    )
    personnel.handle_violation_report(org.security_officer, report, open_incident=True)
    report.refresh_from_db()
    assert report.incident.kind == "suspected_leak" and report.incident.opened_by == org.security_officer


@pytest.mark.django_db
def test_item_raises_the_level_and_hides_the_incident_from_the_uncleared(org):
    """CAR-3: linking a 绝密 item makes the incident 绝密; the handler below that clearance and
    the reporter lose sight of it."""
    incident = services.report_incident(org.staff_secret, kind="suspected_leak", title="x", description="y")
    services.assign_incident(org.security_officer, incident, handler=org.dept_head)
    item = make_item(org, "top_secret")
    services.involve_item(org.security_officer, incident, item)
    incident.refresh_from_db()
    assert incident.level == "top_secret"
    for user in (org.staff_secret, org.dept_head):
        with pytest.raises(AccessDenied):
            selectors.get_incident(user, incident.pk)
    assert selectors.get_incident(org.unit_head, incident.pk) == incident


@pytest.mark.django_db
def test_assign_refuses_an_uncleared_handler_and_the_reporter(org):
    incident = open_one(org, level="secret")
    with pytest.raises(ValidationFailed, match=r"cleared|涉密资格|密级"):
        services.assign_incident(org.security_officer, incident, handler=org.staff_confidential)
    reported = services.report_incident(org.staff_secret, kind="other", title="x", description="y")
    with pytest.raises(ValidationFailed):
        services.assign_incident(org.security_officer, reported, handler=org.staff_secret)
    with pytest.raises(AccessDenied):
        services.assign_incident(org.unit_head, incident, handler=org.dept_head)  # SUP-2: the officer assigns


@pytest.mark.django_db
def test_the_handler_works_but_does_not_close(org):
    officer = org.security_officer
    incident = open_one(org)
    services.assign_incident(officer, incident, handler=org.dept_head)
    services.record_action(org.dept_head, incident, text="更换保密柜密码")
    services.report_upward(org.dept_head, incident, recipient="same_level", reported_at=ago(0.2), channel="phone",
                           reference="x")  # fmt: skip
    services.report_upward(org.unit_head, incident, recipient="superior", reported_at=ago(0.1), channel="phone",
                           reference="y")  # fmt: skip
    services.conclude_incident(org.dept_head, incident, review_result="not_leaked", conclusion="未泄密")
    since = last_audit_id()
    with pytest.raises(AccessDenied):
        services.close_incident(org.dept_head, incident)
    assert_audited(AuditEvent.ACCESS_DENIED, actor=org.dept_head, outcome="denied", since=since)
    incident.refresh_from_db()
    assert incident.status == "concluded"


@pytest.mark.django_db
def test_a_stranger_is_told_not_found(org):
    incident = open_one(org)
    with pytest.raises(AccessDenied):
        services.record_note(org.staff_other_dept, incident, text="x")
    with pytest.raises(AccessDenied):
        selectors.get_incident(org.staff_other_dept, incident.pk)


@pytest.mark.django_db
def test_closing_needs_reports_action_and_conclusion(org):
    officer = org.security_officer
    incident = open_one(org)
    services.conclude_incident(officer, incident, review_result="not_leaked", conclusion="x")
    with pytest.raises(ValidationFailed) as err:
        services.close_incident(officer, incident)
    gaps = err.value.fields["gaps"]
    assert len(gaps) == 3  # no remedial action, two reports missing
    services.record_action(officer, incident, text="x")
    for r in ("same_level", "superior"):
        services.report_upward(
            officer, incident, recipient=r, reported_at=ago(0.1), channel="phone", reference="x"
        )
    assert services.close_incident(officer, incident).status == "closed"


@pytest.mark.django_db
def test_personal_information_incident_needs_both_notices(org):
    """R-INC-3: the notice to the individuals and to the supervising department, with every
    required content, before the incident closes."""
    officer = org.security_officer
    incident = open_one(org, kind="personal_information")
    services.record_action(officer, incident, text="关闭泄露接口")
    services.conclude_incident(officer, incident, review_result="not_secret", conclusion="个人信息泄露")
    with pytest.raises(ValidationFailed):
        services.close_incident(officer, incident)
    content = {
        "notified_at": ago(0.1), "channel": "document", "info_types": "姓名、身份证号", "cause": "接口配置错误",
        "likely_harm": "可能被冒用身份", "measures": "已关闭接口并修改配置", "remedies": "留意异常来电，可申请挂失",
        "contact": "保密办 010-12345678",
    }  # fmt: skip
    with pytest.raises(ValidationFailed):
        services.record_notice(officer, incident, audience="individuals", **{**content, "remedies": " "})
    services.record_notice(officer, incident, audience="individuals", **content)
    services.record_notice(officer, incident, audience="supervisor", **content)
    with pytest.raises(ValidationFailed):
        services.record_notice(officer, incident, audience="supervisor", **content)
    assert services.close_incident(officer, incident).status == "closed"
    other = open_one(org)
    with pytest.raises(ValidationFailed):
        services.record_notice(officer, other, audience="individuals", **content)


@pytest.mark.django_db
def test_times_are_checked(org):
    officer = org.security_officer
    incident = open_one(org, hours_ago=2)
    with pytest.raises(ValidationFailed):
        services.report_upward(officer, incident, recipient="same_level", reported_at=ago(3), channel="phone",
                               reference="x")  # before discovery  # fmt: skip
    with pytest.raises(ValidationFailed):
        services.record_action(officer, incident, text="x", occurred_at=ago(-1))  # in the future
    with pytest.raises(ValidationFailed):
        services.report_upward(officer, incident, recipient="nobody", reported_at=ago(1), channel="phone",
                               reference="x")  # fmt: skip
    services.report_upward(officer, incident, recipient="same_level", reported_at=ago(1), channel="phone",
                           reference="x")  # fmt: skip
    with pytest.raises(ValidationFailed):  # once per recipient; corrections are addenda
        services.report_upward(officer, incident, recipient="same_level", reported_at=ago(1), channel="phone",
                               reference="x")  # fmt: skip


@pytest.mark.django_db
def test_level_cannot_be_lowered_and_the_ceiling_holds(org, settings):
    incident = open_one(org, level="secret")
    with pytest.raises(ValidationFailed):
        services.correct_incident(org.security_officer, incident, level="confidential")
    settings.CEILING = "secret"
    with pytest.raises(CeilingExceeded):
        services.open_incident(org.security_officer, title="x", level="top_secret")


@pytest.mark.django_db
def test_penalty_links_to_the_incident(org):
    """PER-7: the penalty is a personnel record naming the incident; the incident lists it."""
    from baomi.personnel import services as personnel

    incident = concluded(org)
    personnel.record_sanction(org.security_officer, user=org.staff_secret, kind="warning",
                              decided_on=ago().date(), reason="违规携带涉密载体外出", incident=incident)  # fmt: skip
    assert [s.kind for s in selectors.sanctions_of(org.security_officer, incident)] == ["warning"]


@pytest.mark.django_db
def test_notification_and_case_are_journaled(org):
    incident = open_one(org)
    services.file_case(org.security_officer, incident, case_number="2026-01", note="立案")
    services.notify_incident(org.security_officer, incident, text="通报全局", audience="全局各处室")
    kinds = list(selectors.entries_of(org.security_officer, incident).values_list("kind", flat=True))
    assert kinds == ["note", "notification"]
    assert AuditEntry.objects.filter(event=int(IncidentEvent.INCIDENT_NOTIFIED)).exists()
