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
