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
