"""The permission matrix of the object-less actions of the three separated administrators
(SEC-2, R-ROLE-5) — an example of the matrix approach of docs/policy.md: one parametrised table
persona × action → allowed, taken from REQUIREMENTS.md, allowed and denied cases sharing setup."""

from __future__ import annotations

import pytest

from baomi.access import policy
from baomi.incidents.models import Incident

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


# The system administrator's account and department actions (SEC-2, R-ROLE-1..3, R-ROLE-5,
# PER-2, R-AC-4; issue 11): action on another person's account (staff_secret) -> who may.
ACCOUNT_MATRIX = {
    "administer": {"sysadmin", "security_officer"},
    "manage_accounts": {"sysadmin"},  # create, edit, disable, unlock, reset (learning no password)
    "set_clearance": set(),  # nobody: the clearance derives from the personnel file
    "set_authority_level": {"security_officer"},
    "assign_role": {"security_officer"},
    "reset_totp": {"security_officer"},
    "hand_over_password": {"security_officer"},  # the one-time password, in person
}
# On one's own account: nobody grants, clears, resets or hands over to themself.
ACCOUNT_SELF_MATRIX = {
    "manage_accounts": {"sysadmin"},
    "set_clearance": set(),
    "set_authority_level": set(),
    "assign_role": set(),
    "reset_totp": set(),
    "hand_over_password": set(),
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", sorted(ACCOUNT_MATRIX))
def test_account_action_matrix(org, persona, action):
    """Who acts on another person's account, and on their own (三员分立, R-ROLE-1..3, R-ROLE-5);
    can() and visible() agree."""
    from baomi.accounts.models import User

    user, other = getattr(org, persona), org.staff_secret if persona != "staff_secret" else org.outsider
    expected = persona in ACCOUNT_MATRIX[action]
    assert policy.can(user, action, other) is expected
    assert policy.visible(user, User.objects.filter(pk=other.pk), action).exists() is expected
    if action in ACCOUNT_SELF_MATRIX:
        assert policy.can(user, action, user) is (persona in ACCOUNT_SELF_MATRIX[action])


# On a department (ORG-1, R-ROLE-1..3): the tree is the system administrator's; nobody names
# a head or 保密责任人 directly — only a confirmed organisation change does.
DEPARTMENT_MATRIX = {
    "view": set(PERSONAS),
    "manage_departments": {"sysadmin"},
    "appoint_department_officers": set(),
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", sorted(DEPARTMENT_MATRIX))
def test_department_matrix(org, persona, action):
    from baomi.accounts.models import Department

    user, dept = getattr(org, persona), org.departments["FIN"]
    expected = persona in DEPARTMENT_MATRIX[action]
    assert policy.can(user, action, dept) is expected
    assert policy.visible(user, Department.objects.filter(pk=dept.pk), action).exists() is expected


# Organisation changes (R-ROLE-1..3): a move of staff_secret proposed by the system administrator
# ("S" = the person moved, who never decides their own), and appointments are alike.
ORG_CHANGE_MATRIX = {
    "view": {"sysadmin", "security_officer", "S"},
    "decide": {"security_officer"},  # the security officer confirms; not the proposer
    "withdraw": {"sysadmin"},  # the proposer, while it waits
}
ORG_CHANGE_GLOBAL = {
    "org_changes": {"sysadmin", "security_officer"},
    "manage_departments": {"sysadmin"},  # proposes appointments
}


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", sorted(ORG_CHANGE_MATRIX))
def test_org_change_matrix(org, persona, action):
    """Department moves and head appointments: proposed by one, confirmed by the other; the
    person moved never confirms it (R-ROLE-1..3, R-ROLE-5). can() and visible() agree."""
    from baomi.accounts import services
    from baomi.accounts.models import OrgChange

    change = services.propose_org_change(org.sysadmin, kind="move", person=org.staff_secret,
                                         department=org.departments["FIN"])  # fmt: skip
    user = getattr(org, persona)
    allowed = ORG_CHANGE_MATRIX[action]
    expected = persona in allowed or (persona == "staff_secret" and "S" in allowed)
    assert policy.can(user, action, change) is expected
    assert policy.visible(user, OrgChange.objects.filter(pk=change.pk), action).exists() is expected


@pytest.mark.django_db
def test_org_change_of_the_security_officer_goes_up(org):
    """A change moving or appointing the security officer: he may not confirm it; it goes to
    the next authority up, the unit head (R-ROLE-5: never a self-decision)."""
    from baomi.accounts import services
    from baomi.accounts.models import OrgChange

    change = services.propose_org_change(org.sysadmin, kind="head", person=org.security_officer,
                                         department=org.departments["FIN"])  # fmt: skip
    for persona in PERSONAS:
        expected = persona == "unit_head"
        assert policy.can(getattr(org, persona), "decide", change) is expected, persona
        qs = OrgChange.objects.filter(pk=change.pk)
        assert policy.visible(getattr(org, persona), qs, "decide").exists() is expected, persona


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", sorted(ORG_CHANGE_GLOBAL))
def test_org_change_global_matrix(org, persona, action):
    assert policy.can(getattr(org, persona), action) is (persona in ORG_CHANGE_GLOBAL[action])


# Incidents (SUP-2, R-INC-1..5): action -> who may, for an unclassified incident reported by
# staff_secret and assigned to dept_head (reporter = "R", handler = "H").
INCIDENT_MATRIX = {
    "view": {"security_officer", "unit_head", "R", "H"},
    "view_record": {"security_officer", "unit_head", "H"},
    "view_reporter": {"security_officer"},  # PER-8: the reporter stays protected
    "manage": {"security_officer", "H"},
    "report_upward": {"security_officer", "unit_head", "H"},  # R-INC-1: the unit reports
    "close": {"security_officer", "unit_head"},
    "addendum": {"security_officer", "unit_head", "H"},
}
INCIDENT_GLOBAL = {
    "report_incident": set(PERSONAS),  # R-INC-2: anyone
    "incident_list": {"security_officer", "unit_head", "H"},
    "manage_incidents": {"security_officer"},
}


def _allowed(persona, allowed):
    roles = {"staff_secret": "R", "dept_head": "H"}
    return persona in allowed or roles.get(persona) in allowed


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", sorted(INCIDENT_MATRIX))
def test_incident_matrix(org, persona, action):
    """Incidents are the security office's records, followed by the unit head and worked by the
    handler; a reporter sees their own, and only the security officer sees who reported (SUP-2,
    PER-8). can() and its SQL twin visible() agree."""
    incident = Incident.objects.create(title="t", opened_by=org.staff_secret, handler=org.dept_head)
    user = getattr(org, persona)
    expected = _allowed(persona, INCIDENT_MATRIX[action])
    assert policy.can(user, action, incident) is expected
    assert policy.visible(user, Incident.objects.filter(pk=incident.pk), action).exists() is expected


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", sorted(INCIDENT_GLOBAL))
def test_incident_global_matrix(org, persona, action):
    """Who reports, lists and runs incidents (R-INC-2, SUP-2)."""
    Incident.objects.create(title="t", opened_by=org.staff_secret, handler=org.dept_head)
    assert policy.can(getattr(org, persona), action) is _allowed(persona, INCIDENT_GLOBAL[action])


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_classified_incident_needs_the_clearance(org, persona):
    """An incident involving a 绝密 item is seen only by those cleared for 绝密 — the security
    officer and the unit head of the personas — whatever their role (CAR-3, SUP-2)."""
    incident = Incident.objects.create(title="t", level="top_secret", opened_by=org.staff_secret,
                                       handler=org.dept_head)  # fmt: skip
    expected = persona in {"security_officer", "unit_head"}
    assert policy.can(getattr(org, persona), "view", incident) is expected


# Inspections (SUP-1): a run of OFFICE (headed by dept_head) led by staff_secret, a finding of
# it, and a rectification task owned by dept_head. "L" = the lead, "H" = the head and owner.
INSPECTION_MATRIX = {
    ("run", "view"): {"security_officer", "unit_head", "H", "L"},
    ("run", "export"): {"security_officer", "unit_head", "H", "L"},
    ("run", "answer"): {"security_officer", "L"},  # never the head of the inspected department
    ("run", "complete"): {"security_officer", "L"},
    ("run", "cancel"): {"security_officer"},
    ("finding", "view"): {"security_officer", "unit_head", "H", "L"},
    ("finding", "manage"): {"security_officer", "L"},
    ("task", "view"): {"security_officer", "unit_head", "H", "L"},
    ("task", "submit"): {"H"},  # the owner
    ("task", "verify"): {"security_officer", "L"},  # nobody verifies their own task
    ("template", "view"): set(PERSONAS),
    ("template", "manage"): {"security_officer"},
    ("plan", "view"): {"security_officer", "unit_head", "H", "L"},
    ("plan", "manage"): {"security_officer"},
    ("answer", "view"): {"security_officer", "unit_head", "H", "L"},
}
INSPECTION_GLOBAL = {
    "manage_inspections": {"security_officer"},
    "inspection_list": {"security_officer", "unit_head", "H", "L"},
    "rectification_list": {"security_officer", "unit_head", "H", "L"},
}


def _inspection_objects(org):
    from baomi.inspections.models import Answer, Finding, Plan, RectificationTask, Run
    from tests.inspections.factories import default_template, today

    template = default_template()
    office = org.departments["OFFICE"]
    plan = Plan.objects.create(
        title="p", kind="monthly", template=template, lead=org.staff_secret, due_on=today()
    )
    plan.departments.add(office)
    run = Run.objects.create(plan=plan, template=template, kind="monthly", title="r", department=office,
                             lead=org.staff_secret, due_on=today())  # fmt: skip
    answer = Answer.objects.create(run=run, item=template.areas.first().items.first())
    finding = Finding.objects.create(run=run, department=office, description="d")
    task = RectificationTask.objects.create(
        finding=finding, owner=org.dept_head, deadline=today(), measures="m"
    )
    return {
        "run": run,
        "finding": finding,
        "task": task,
        "template": template,
        "plan": plan,
        "answer": answer,
    }


def _inspection_allowed(persona, allowed):
    roles = {"staff_secret": "L", "dept_head": "H"}
    return persona in allowed or roles.get(persona) in allowed


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("kind", "action"), sorted(INSPECTION_MATRIX))
def test_inspection_matrix(org, persona, kind, action):
    """Who plans, inspects, answers, completes, rectifies and verifies (SUP-1); can() and its SQL
    twin visible() agree."""
    obj = _inspection_objects(org)[kind]
    user = getattr(org, persona)
    expected = _inspection_allowed(persona, INSPECTION_MATRIX[(kind, action)])
    assert policy.can(user, action, obj) is expected
    assert policy.visible(user, type(obj).objects.filter(pk=obj.pk), action).exists() is expected


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", sorted(INSPECTION_GLOBAL))
def test_inspection_global_matrix(org, persona, action):
    _inspection_objects(org)
    assert policy.can(getattr(org, persona), action) is _inspection_allowed(
        persona, INSPECTION_GLOBAL[action]
    )


# -- supervision: publication review (SUP-3) and the governance records (ORG-2, SUP-9..11) ------------

SUPERVISION_MATRIX = {
    "submit_publication": set(PERSONAS),  # SUP-3: anyone asks for a publication review
    "publication_list": set(PERSONAS),
    "publication_reviews": {
        "security_officer",
        "unit_head",
        "dept_head",
        "staff_secret",
    },  # reviewers, oversight
    "manage_keywords": {"security_officer"},  # SUP-3 (e)
    "export_publication_register": {"security_officer", "unit_head"},
    "governance": set(PERSONAS),  # SUP-10: everyone reads the regime's records
    "manage_governance": {"security_officer"},  # ORG-2
    "statements_list": {"security_officer", "unit_head", "dept_head"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(SUPERVISION_MATRIX))
def test_supervision_global_matrix(org, action):
    for persona in PERSONAS:
        assert policy.can(getattr(org, persona), action) is (persona in SUPERVISION_MATRIX[action]), persona


# A request of the office (OFFICE) submitted by staff_secret, its secrecy officer.
PUBLICATION_MATRIX = {
    "view": {"staff_secret", "dept_head", "security_officer", "unit_head"},
    "view_hits": {"dept_head", "security_officer", "unit_head"},  # never the submitter (SUP-3)
    "export": {"dept_head", "security_officer", "unit_head"},
    "review_department": {"dept_head"},  # not the submitter, though secrecy officer (SEC-2)
    "review_office": {"security_officer"},
    "reassess": {"security_officer"},
    "extend": {"unit_head"},  # R-PUB-3
    "publish": {"staff_secret", "security_officer"},
    "withdraw": {"staff_secret"},
}


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(PUBLICATION_MATRIX))
def test_publication_request_matrix(org, action):
    from baomi.publication.models import PublicationRequest

    req = PublicationRequest(pk=1, submitter=org.staff_secret, department=org.departments["OFFICE"])
    for persona in PERSONAS:
        assert policy.can(getattr(org, persona), action, req) is (persona in PUBLICATION_MATRIX[action]), (
            persona
        )


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
    # SUP-12: organisers and overseers; attendees once on a meeting's list (tests/meetings)
    "meetings_browse": {"security_officer", "unit_head", "leading_group", "dept_head"},
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
