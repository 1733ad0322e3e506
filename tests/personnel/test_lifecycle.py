"""Transition tables of personnel (STYLE 2.5): each row moves as written, every other pair is
refused, and every row's audit event and policy action exist (PER-1, PER-5, PER-6, PER-8)."""

from __future__ import annotations

import itertools

import pytest

from baomi.audit.events import AuditEvent
from baomi.core.errors import InvalidTransition
from baomi.personnel import lifecycle, services
from baomi.personnel.choices import FileStatus, ReportStatus, TravelStatus
from baomi.personnel.rules import PersonnelFileRule, TravelRule, ViolationReportRule

TABLES = [
    (lifecycle.FILE_TRANSITIONS, FileStatus, PersonnelFileRule.actions),
    (lifecycle.TRAVEL_TRANSITIONS, TravelStatus, TravelRule.actions),
    (lifecycle.REPORT_TRANSITIONS, ReportStatus, ViolationReportRule.actions),
]


@pytest.mark.parametrize(("table", "states", "actions"), TABLES)
def test_rows_are_well_formed(table, states, actions):
    """Every row names a real state, policy action and audit event."""
    for (state, _action), move in table.items():
        assert state in states.values and move.next_state in states.values
        assert move.action in actions
        assert isinstance(move.event, AuditEvent)


@pytest.mark.parametrize(("table", "states", "actions"), TABLES)
def test_every_other_pair_is_refused(table, states, actions):
    """Pairs not in the table raise InvalidTransition."""
    verbs = {a for (_s, a) in table}
    for state, verb in itertools.product(states.values, verbs):
        if (state, verb) in table:
            assert lifecycle.next_move(table, state, verb) == table[(state, verb)]
        else:
            with pytest.raises(InvalidTransition):
                lifecycle.next_move(table, state, verb)


def test_every_file_verb_has_a_service():
    """Meta-test: each lifecycle verb is carried out by a decorated service."""
    verbs = {
        "clear": services.clear_person, "fail_review": services.record_review, "start_exit": services.start_exit,
        "complete_exit": services.complete_exit, "end_separation": services.end_separation,
        "reopen": services.reopen_file, "personnel_opinion": services.give_travel_opinion,
        "security_opinion": services.give_travel_opinion, "approve": services.decide_travel,
        "refuse": services.decide_travel, "depart": services.mark_departed, "return": services.mark_returned,
        "report": services.file_travel_report, "open_incident": services.handle_violation_report,
        "dismiss": services.handle_violation_report,
    }  # fmt: skip
    table_verbs = {a for table, _s, _a in TABLES for (_st, a) in table}
    assert table_verbs == set(verbs)
    assert all(getattr(fn, "is_service", False) for fn in verbs.values())


def test_released_person_can_be_reopened(org):
    """released → onboarding (PER-2): a returning person goes through 保密准入 again."""
    from datetime import timedelta

    from tests.personnel.factories import onboarded, today, versions

    so, person = org.security_officer, org.staff_work_secret
    file = onboarded(so, person, "general")
    _p, exit_v = versions(so)
    case = services.start_exit(so, file, kind="post_change", approved_on=today() - timedelta(days=800))
    services.record_exit_interview(so, case, held_on=today())
    services.record_exit_undertaking(so, case, exit_v, signed_on=today())
    services.revoke_exit_access(so, case)
    services.fix_separation(so, case, years=1)
    services.complete_exit(so, case)
    services.end_separation(so, file)
    with pytest.raises(InvalidTransition):
        services.start_exit(so, file, approved_on=today())
    services.reopen_file(so, file, category="important")
    file.refresh_from_db()
    assert file.status == FileStatus.ONBOARDING and file.category == "important"
    assert file.category_changes.count() == 1
