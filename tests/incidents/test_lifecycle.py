"""The incident lifecycle (SUP-2, R-INC-5): every row of the table, the refusal of every other
pair, and each transition through its service."""

from __future__ import annotations

import pytest

from baomi.access import policy
from baomi.core.errors import InvalidTransition
from baomi.incidents import lifecycle, services
from baomi.incidents.choices import IncidentStatus
from baomi.incidents.events import IncidentEvent
from baomi.incidents.models import Incident, IncidentEntry
from tests.incidents.factories import ago, concluded, open_one
from tests.support.assertions import assert_audited, last_audit_id

STATES = list(IncidentStatus.values)
PAIRS = [(s, a) for s in STATES for a in lifecycle.ACTIONS]


@pytest.mark.parametrize(("state", "action"), sorted(lifecycle.TRANSITIONS))
def test_every_row_moves_as_the_table_says(state, action):
    """Each row names a next state, a policy action of the incident rule and an audit event."""
    move = lifecycle.next_move(state, action)
    assert move == lifecycle.TRANSITIONS[(state, action)]
    assert move.next_state in STATES
    assert move.action in policy.rule_for(Incident).actions


@pytest.mark.parametrize(("state", "action"), [p for p in PAIRS if p not in lifecycle.TRANSITIONS])
def test_every_other_pair_is_refused(state, action):
    with pytest.raises(InvalidTransition):
        lifecycle.next_move(state, action)


def test_closed_accepts_only_the_addendum():
    """R-INC-5: a closed record never changes; corrections are addenda."""
    allowed = [a for a in lifecycle.ACTIONS if lifecycle.permits(IncidentStatus.CLOSED, a)]
    assert allowed == ["addendum"]


@pytest.mark.django_db
def test_open_file_case_conclude_close(org):
    """open → investigating → concluded → closed, each move audited (SUP-2)."""
    officer = org.security_officer
    incident = open_one(org)
    since = last_audit_id()
    services.file_case(officer, incident, case_number="保密〔2026〕1号", note="立案调查")
    incident.refresh_from_db()
    assert incident.status == "investigating" and incident.case_number == "保密〔2026〕1号"
    assert_audited(IncidentEvent.INCIDENT_CASE_FILED, incident, officer, since=since)
    services.record_action(officer, incident, text="收回载体")
    for r in ("same_level", "superior"):
        services.report_upward(officer, incident, recipient=r, reported_at=ago(0.2), channel="document",
                               reference="保密〔2026〕报1号")  # fmt: skip
    services.conclude_incident(
        officer, incident, review_result="possibly_leaked", conclusion="不能排除泄密可能"
    )
    incident.refresh_from_db()
    assert incident.status == "concluded"
    services.close_incident(org.unit_head, incident)
    incident.refresh_from_db()
    assert incident.status == "closed" and incident.closed_by == org.unit_head
    assert_audited(IncidentEvent.INCIDENT_CLOSED, incident, org.unit_head, since=since)


@pytest.mark.django_db
def test_open_straight_to_conclusion(org):
    """A minor incident may be concluded without a case (open → concluded)."""
    incident = open_one(org)
    services.conclude_incident(
        org.security_officer, incident, review_result="not_secret", conclusion="不涉密"
    )
    incident.refresh_from_db()
    assert incident.status == "concluded"


def _calls(org, incident):
    o = org.security_officer
    return {
        "assign": lambda: services.assign_incident(o, incident, handler=org.dept_head),
        "correct": lambda: services.correct_incident(o, incident, place="会议室"),
        "report_upward": lambda: services.report_upward(o, incident, recipient="same_level", reported_at=ago(0.1),
                                                        channel="phone", reference="x"),
        "record_action": lambda: services.record_action(o, incident, text="x"),
        "record_note": lambda: services.record_note(o, incident, text="x"),
        "notify": lambda: services.notify_incident(o, incident, text="x", audience="全体干部"),
        "file_case": lambda: services.file_case(o, incident, case_number="1"),
        "conclude": lambda: services.conclude_incident(o, incident, review_result="not_leaked", conclusion="x"),
        "close": lambda: services.close_incident(o, incident),
    }  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["assign", "correct", "report_upward", "record_action", "record_note", "notify",
                                    "file_case", "conclude", "close"])  # fmt: skip
def test_a_closed_incident_refuses_every_change(org, action):
    """R-INC-5: the services refuse any change of a closed incident, and nothing is written."""
    incident = concluded(org)
    services.close_incident(org.security_officer, incident)
    entries = IncidentEntry.objects.count()
    with pytest.raises(InvalidTransition, match=r"addendum|补充|已办结"):
        _calls(org, incident)[action]()
    assert IncidentEntry.objects.count() == entries
    incident.refresh_from_db()
    assert incident.status == "closed"


@pytest.mark.django_db
def test_addendum_on_a_closed_incident(org):
    """R-INC-5: corrections of a closed record are appended as addenda."""
    incident = concluded(org)
    services.close_incident(org.security_officer, incident)
    entry = services.add_addendum(org.unit_head, incident, text="更正：上报时间应为 9 时 05 分")
    assert entry.kind == "addendum" and entry.incident_id == incident.pk


@pytest.mark.django_db
@pytest.mark.parametrize("action", ["file_case", "close"])
def test_concluded_refuses_going_back(org, action):
    incident = concluded(org)
    if action == "close":
        incident = Incident.objects.get(pk=incident.pk)
        services.close_incident(org.security_officer, incident)
        action = "file_case"
    with pytest.raises(InvalidTransition):
        _calls(org, incident)[action]()
