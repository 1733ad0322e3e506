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
