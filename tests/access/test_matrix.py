"""The permission matrix of the object-less actions of the three separated administrators
(SEC-2, R-ROLE-5) — an example of the matrix approach of docs/policy.md: one parametrised table
persona × action → allowed, taken from REQUIREMENTS.md, allowed and denied cases sharing setup."""

from __future__ import annotations

import pytest

from baomi.access import policy
from baomi.supervision.models import Incident

PERSONAS = ["sysadmin", "security_officer", "auditor", "unit_head", "dept_head", "staff_secret", "outsider"]

# action -> personas allowed (everyone else refused)
GLOBAL_MATRIX = {
    "manage_accounts": {"sysadmin"},  # SEC-2: accounts belong to the system administrator
    "manage_departments": {"sysadmin"},
    "assign_role": {"security_officer"},  # SEC-2: the security officer grants permissions
    "read_audit": {"auditor"},  # SEC-3, R-ROLE-5: only the auditor reads the trail
    "is_administrator": {"sysadmin", "security_officer", "auditor"},  # 三员
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", sorted(GLOBAL_MATRIX))
def test_global_action_matrix(org, persona, action):
    """Only the named administrator may do each administrator action (SEC-2)."""
    assert policy.can(getattr(org, persona), action) is (persona in GLOBAL_MATRIX[action])


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", ["view", "manage"])
def test_incident_matrix(org, persona, action):
    """Incidents are the security office's records; a reporter sees their own (SUP-2)."""
    reporter = org.staff_secret
    incident = Incident(pk=1, opened_by=reporter)
    user = getattr(org, persona)
    expected = persona == "security_officer" or (action == "view" and user == reporter)
    assert policy.can(user, action, incident) is expected


# -- the supervision registers (SUP-4..8, SUP-12/13) ----------------------------------------------
# Object-less actions: who opens each register and who keeps it. Department heads see their
# department's rows; responsible persons, custodians and hosts gain access by being named
# (tested in each app's test_policy).
REGISTER_GLOBAL_MATRIX = {
    "sites_browse": {"security_officer", "unit_head", "leading_group", "dept_head"},  # SUP-5
    "sites_manage": {"security_officer"},
    "devices_browse": {"security_officer", "unit_head", "leading_group", "dept_head", "sysadmin"},  # SUP-6
    "devices_manage": {"security_officer"},
    "devices_whitelist": {"security_officer"},  # SUP-6: the security office issues the whitelist
    "contractors_browse": {"security_officer", "unit_head", "leading_group", "dept_head"},  # SUP-13
    "contractors_manage": {"security_officer"},
    "visitors_browse": set(PERSONAS)
    | {"leading_group", "staff_confidential"},  # SUP-4: hosts see their own visits
    "register_visit": set(PERSONAS)
    | {"leading_group", "staff_confidential"},  # SUP-4: a host registers visitors
    "visitors_manage": {"security_officer"},  # SUP-4: reception and the closing-time list
    "systems_browse": {"security_officer", "unit_head", "leading_group", "dept_head", "sysadmin"},  # SUP-7
    "systems_manage": {"security_officer"},
    "data_browse": {"security_officer", "unit_head", "leading_group", "dept_head"},  # SUP-8
    "data_manage": {"security_officer"},
    "meetings_browse": set(PERSONAS)
    | {"leading_group", "staff_confidential"},  # SUP-12: attendees see theirs
    "meetings_organise": {"security_officer", "unit_head", "leading_group", "dept_head"},  # SUP-12
}
REGISTER_PERSONAS = [*PERSONAS, "leading_group", "staff_confidential"]


@pytest.mark.django_db
@pytest.mark.parametrize("persona", REGISTER_PERSONAS)
@pytest.mark.parametrize("action", sorted(REGISTER_GLOBAL_MATRIX))
def test_register_global_action_matrix(org, persona, action):
    """Each register is kept by the security office and overseen by the unit head and the
    leading group (SUP-4..8, SUP-12/13)."""
    assert policy.can(getattr(org, persona), action) is (persona in REGISTER_GLOBAL_MATRIX[action])


# persona -> the actions allowed on an OFFICE device kept by staff_secret (SUP-6)
DEVICE_MATRIX = {
    "security_officer": {"view", "manage", "check", "report_lost"},
    "sysadmin": {"view"},
    "unit_head": {"view"},
    "dept_head": {"view"},
    "staff_secret": {"view", "check", "report_lost"},  # the custodian
    "staff_confidential": set(),
    "outsider": set(),
    "auditor": set(),
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", sorted(DEVICE_MATRIX))
@pytest.mark.parametrize("action", ["view", "manage", "check", "report_lost"])
def test_device_matrix(org, persona, action):
    from tests.support.assertions import assert_hidden, assert_visible
    from tests.support.registers import device

    d = device(org)
    check = assert_visible if action in DEVICE_MATRIX[persona] else assert_hidden
    check(getattr(org, persona), d, action)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona", ["security_officer", "unit_head", "dept_head", "staff_secret", "outsider"]
)
@pytest.mark.parametrize("action", ["view", "manage"])
def test_contractor_matrix(org, persona, action):
    """SUP-13: overseers and heads see contractors and qualifications; the security office keeps them."""
    from tests.support.assertions import assert_hidden, assert_visible
    from tests.support.registers import contractor

    c = contractor(org)
    allowed = persona == "security_officer" or (action == "view" and persona in {"unit_head", "dept_head"})
    for obj in (c, c.qualifications.get()):
        (assert_visible if allowed else assert_hidden)(getattr(org, persona), obj, action)


# persona -> the actions allowed on a visit hosted by staff_secret, escorted by case_handler,
# entering an OFFICE key place whose responsible person is dept_head (SUP-4)
VISIT_MATRIX = {
    "security_officer": {"view", "receive", "cancel", "reveal_identity"},
    "staff_secret": {"view", "receive", "cancel"},  # the host (and registrar)
    "case_handler": {"view", "receive"},  # the escort
    "dept_head": {"view"},  # the key place's responsible person
    "unit_head": set(),
    "outsider": set(),
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", sorted(VISIT_MATRIX))
@pytest.mark.parametrize("action", ["view", "receive", "cancel", "reveal_identity"])
def test_visit_matrix(org, persona, action):
    from tests.support.assertions import assert_hidden, assert_visible
    from tests.support.registers import place, visit

    v = visit(org, places=[place(org, responsible=org.dept_head)], escort=org.case_handler)
    check = assert_visible if action in VISIT_MATRIX[persona] else assert_hidden
    check(getattr(org, persona), v, action)


@pytest.mark.django_db
@pytest.mark.parametrize(("persona", "decides"), [("dept_head", True), ("staff_secret", False),
                                                  ("unit_head", False), ("security_officer", False)])  # fmt: skip
def test_visit_approval_matrix(org, persona, decides):
    """SUP-4: the key place's responsible person decides, never the host."""
    from baomi.visitors.models import VisitApproval
    from tests.support.assertions import assert_hidden, assert_visible
    from tests.support.registers import place, visit

    v = visit(org, places=[place(org, responsible=org.dept_head)])
    (assert_visible if decides else assert_hidden)(
        getattr(org, persona), VisitApproval.objects.get(visit=v), "decide"
    )


# persona -> actions on an OFFICE system run by case_handler (system administrator),
# security_officer and staff_secret (auditor) (SUP-7)
SYSTEM_MATRIX = {
    "security_officer": {"view", "manage", "assess", "maintain"},
    "case_handler": {"view", "maintain"},  # its system administrator keeps the maintenance log
    "staff_secret": {"view"},  # its auditor
    "sysadmin": {"view"},  # IT sees every system
    "dept_head": {"view"},
    "outsider": set(),
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", sorted(SYSTEM_MATRIX))
@pytest.mark.parametrize("action", ["view", "manage", "assess", "maintain"])
def test_system_matrix(org, persona, action):
    from tests.support.assertions import assert_hidden, assert_visible
    from tests.support.registers import system

    s = system(org)
    (assert_visible if action in SYSTEM_MATRIX[persona] else assert_hidden)(getattr(org, persona), s, action)


# persona -> actions on an OFFICE data asset owned by dept_head, officer staff_secret (SUP-8)
DATA_MATRIX = {
    "security_officer": {"view", "manage", "assess", "flag_aggregation", "review_aggregation"},
    "staff_secret": {"view", "assess", "flag_aggregation"},  # the data security officer
    "dept_head": {"view", "flag_aggregation"},  # the owner
    "unit_head": {"view"},
    "outsider": set(),
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", sorted(DATA_MATRIX))
@pytest.mark.parametrize("action", ["view", "manage", "assess", "flag_aggregation", "review_aggregation"])
def test_data_asset_matrix(org, persona, action):
    from baomi.dataassets import services
    from tests.support.assertions import assert_hidden, assert_visible

    a = services.register_asset(org.security_officer, name="数据", code="DA-1", category="business", grade="important",
                                department=org.departments["OFFICE"], owner=org.dept_head, officer=org.staff_secret,
                                measures="加密")  # fmt: skip
    (assert_visible if action in DATA_MATRIX[persona] else assert_hidden)(getattr(org, persona), a, action)


# persona -> actions on a 机密 meeting organised by the security officer with case_handler on
# the list (SUP-12, R-SITE-2; the generic clearance check hides it from anyone below 机密)
MEETING_MATRIX = {
    "security_officer": {"view", "manage"},
    "case_handler": {"view"},
    "unit_head": {"view"},
    "leading_group": {"view"},
    "dept_head": set(),
    "staff_confidential": set(),
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", sorted(MEETING_MATRIX))
@pytest.mark.parametrize("action", ["view", "manage"])
def test_meeting_matrix(org, persona, action):
    import datetime as dt

    from django.utils import timezone

    from baomi.meetings import services
    from tests.support.assertions import assert_hidden, assert_visible
    from tests.support.registers import place

    now = timezone.now()
    m = services.plan_meeting(org.security_officer, title="会", level="secret", plan="方案", venue=place(org),
                              starts_at=now, ends_at=now + dt.timedelta(hours=1))  # fmt: skip
    services.add_attendee(org.security_officer, m, user=org.case_handler)
    (assert_visible if action in MEETING_MATRIX[persona] else assert_hidden)(getattr(org, persona), m, action)
