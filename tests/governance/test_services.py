"""Governance records through the services (ORG-2, SUP-9, SUP-10, SUP-11)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from baomi.core.errors import NotFound, ValidationFailed
from baomi.governance import seed, selectors, services
from baomi.governance.events import GovernanceEvent
from baomi.personnel.models import Attendance
from tests.governance.factories import plan, regulation, signed_statement, today
from tests.support.assertions import assert_audited

pytestmark = pytest.mark.django_db


def test_members_keep_their_history(org):
    """A change of position ends one seat and opens the next; leaving closes it (ORG-2)."""
    so = org.security_officer
    m = services.appoint_member(so, body="leading_group", user=org.unit_head, position="leader",
                                duties="全面领导本单位保密工作", started_on=today() - timedelta(days=100),
                                reference="党组〔2026〕1号")  # fmt: skip
    with pytest.raises(ValidationFailed):
        services.appoint_member(so, body="leading_group", user=org.unit_head, position="member")
    services.appoint_member(
        so, body="leading_group", user=org.leading_group, position="member", duties="分管保密"
    )
    new = services.change_member(so, m, position="deputy_leader", duties="协助组长", reason="分工调整")
    m.refresh_from_db()
    assert m.ended_on == today() and new.started_on == today() and new.position == "deputy_leader"
    assert selectors.members(org.outsider, body="leading_group").count() == 2  # everyone reads the bodies
    services.end_membership(so, new, reason="工作调动")
    assert selectors.members(so, body="leading_group", current=False).count() == 2
    assert_audited(GovernanceEvent.MEMBER_LEFT, new, so)
    with pytest.raises(NotFound):
        services.appoint_member(
            org.unit_head, body="security_office", user=org.staff_secret, position="staff"
        )


def test_statements_are_signed_by_the_head_and_the_unit_head(org):
    """ORG-2: one statement per department and year; the department side is its head, the unit
    side a unit head; a signed statement is current."""
    so, office = org.security_officer, org.departments["OFFICE"]
    st = services.issue_statement(so, department=office, year=today().year)
    assert "保密工作责任制" in st.text
    with pytest.raises(ValidationFailed):
        services.issue_statement(so, department=office, year=today().year)
    with pytest.raises(ValidationFailed):
        services.record_statement_signature(so, st, side="unit", signed_on=today(), signatory=org.dept_head)
    st = services.record_statement_signature(so, st, side="department", signed_on=today())
    assert st.department_signatory == org.dept_head and not st.signed
    with pytest.raises(ValidationFailed):
        services.record_statement_signature(so, st, side="department", signed_on=today())
    st = services.record_statement_signature(so, st, side="unit", signed_on=today(), signatory=org.unit_head)
    assert st.signed
    fin = services.issue_statement(so, department=org.departments["FIN"], year=today().year)
    with pytest.raises(ValidationFailed):  # FIN has no head on record
        services.record_statement_signature(so, fin, side="department", signed_on=today())
    with pytest.raises(ValidationFailed):
        services.record_statement_signature(so, fin, side="unit", signed_on=today() + timedelta(days=1),
                                            signatory=org.unit_head)  # fmt: skip


def test_regulations_have_versions_reviews_and_approvers(org):
    """SUP-10: versions with effective date and approver, revision history, next review date."""
    so = org.security_officer
    reg = regulation(org)
    assert reg.next_review_on == services.add_months(today() - timedelta(days=30), 12)
    with pytest.raises(ValidationFailed):  # the approver must be the unit head or leading group
        services.revise_regulation(so, reg, version="2027版", effective_on=today(), approved_by=org.dept_head,
                                   change_note="修订", text="新文本")  # fmt: skip
    with pytest.raises(ValidationFailed):
        services.revise_regulation(so, reg, version="2026版", effective_on=today(), approved_by=org.unit_head,
                                   change_note="修订", text="新文本")  # fmt: skip
    upload = SimpleUploadedFile("制度.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    v = services.revise_regulation(so, reg, version="2026修订版", effective_on=today(), approved_by=org.leading_group,
                                   change_note="增加信息公开审查条款", upload=upload)  # fmt: skip
    assert v.blob is not None and v.filename == "制度.pdf"
    assert selectors.current_version(reg) == v and selectors.versions(reg).count() == 2
    rv = services.review_regulation(so, reg, outcome="kept", note="仍然适用")
    reg.refresh_from_db()
    assert reg.next_review_on == rv.next_review_on > today()
    services.repeal_regulation(so, reg, reason="被新制度替代")
    reg.refresh_from_db()
    assert reg.status == "repealed" and reg.next_review_on is None
    with pytest.raises(ValidationFailed):
        services.review_regulation(so, reg, outcome="kept")


def test_the_nine_templates_load_as_regulations(org):
    """The seed's nine 保密制度 templates load as regulations in force, once (SUP-10)."""
    templates = seed.load_file()
    assert len(templates) == 9 and len({t.code for t in templates}) == 9
    made = services.load_template_regulations(org.security_officer, approved_by=org.unit_head)
    assert len(made) == 9
    assert services.load_template_regulations(org.security_officer, approved_by=org.unit_head) == []
    first = selectors.current_version(made[0])
    assert first.text.startswith("行政办公室管理保密制度模版") and first.approved_by == org.unit_head
    with pytest.raises(ValueError):
        seed.split_templates("无关的文字")


def test_drills_move_the_next_due_date(org):
    """SUP-9: a drill with date, participants and findings; the next one falls due an interval later."""
    so = org.security_officer
    p = plan(org, months=6)
    with pytest.raises(ValidationFailed):
        services.record_drill(so, p, held_on=today(), scenario="涉密U盘丢失", findings="处置及时")
    d = services.record_drill(so, p, held_on=today() - timedelta(days=3), scenario="涉密U盘丢失",
                              findings="报告及时，流程需细化", participants=[org.staff_secret, org.dept_head])  # fmt: skip
    p.refresh_from_db()
    assert p.next_drill_on == services.add_months(today() - timedelta(days=3), 6)
    assert d.participants.count() == 2
    services.revise_plan(so, p, version="2026修订版", effective_on=today(), approved_by=org.unit_head,
                         change_note="细化报告流程", text="修订后的预案")  # fmt: skip
    services.retire_plan(so, p, reason="并入综合预案")
    with pytest.raises(ValidationFailed):
        services.record_drill(so, p, held_on=today(), scenario="x", findings="y", other_participants="全体")


def test_events_that_count_as_training_reach_the_training_records(org):
    """SUP-11 linked to PER-4: a lecture counting as training writes a personnel session and
    every attendance into it."""
    so = org.security_officer
    camp = services.create_campaign(
        so, title="2026年保密宣传月", starts_on=today(), ends_on=today() + timedelta(days=30)
    )
    services.add_material(so, camp, title="宣传海报", upload=SimpleUploadedFile("海报.pdf", b"%PDF poster"))
    lecture = services.record_event(so, kind="lecture", title="保密形势报告会", held_on=today(), campaign=camp,
                                    counts_as_training=True)  # fmt: skip
    film = services.record_event(so, kind="film", title="警示教育片观看", held_on=today())
    services.record_event_attendance(so, lecture, org.staff_secret)
    services.record_event_attendance(so, lecture, org.staff_secret, score=95)
    services.record_event_attendance(so, film, org.staff_confidential)
    att = Attendance.objects.get(session=lecture.training_session, user=org.staff_secret)
    assert att.score == 95 and lecture.training_session.kind == "lecture"
    assert (
        film.training_session is None and not Attendance.objects.filter(user=org.staff_confidential).exists()
    )
    assert selectors.events(org.outsider, year=today().year).count() == 2


def test_reminders_once_per_due_date(org):
    regulation(org, review_in=5)
    plan(org, months=1, effective_days_ago=40)
    assert services.raise_reminders()["reminders"] == 2
    assert services.raise_reminders()["reminders"] == 0


def test_only_the_security_office_keeps_the_records(org):
    for user in (org.unit_head, org.dept_head, org.staff_secret):
        with pytest.raises(NotFound):
            services.issue_statement(user, department=org.departments["OFFICE"], year=today().year)
        with pytest.raises(NotFound):
            services.create_campaign(user, title="x", starts_on=today(), ends_on=today())
    st = signed_statement(org, org.departments["OFFICE"])
    assert st.signed
