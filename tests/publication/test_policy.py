"""The publication policy matrix (SUP-3, SEC-2): persona × action → allowed, for a request of the
office (OFFICE department) submitted by ``staff_confidential``. ``can`` and its SQL twin
``visible`` must agree on every cell."""

from __future__ import annotations

import pytest

from baomi.access import policy
from baomi.publication import services
from tests.publication.factories import submit
from tests.support.assertions import assert_hidden, assert_visible

pytestmark = pytest.mark.django_db

PERSONAS = ["submitter", "dept_head", "staff_secret", "security_officer", "unit_head", "leading_group",
            "staff_other_dept", "auditor", "sysadmin", "outsider"]  # fmt: skip
REVIEWERS = {"dept_head", "staff_secret", "security_officer", "unit_head", "leading_group"}

# action -> personas allowed on a request of OFFICE submitted by staff_confidential
MATRIX = {
    "view": {"submitter", *REVIEWERS},  # SUP-3: submitter, department reviewers, 保密办, oversight
    "view_hits": REVIEWERS,  # SUP-3: never the submitter
    "export": REVIEWERS,
    "review_department": {"dept_head", "staff_secret"},  # head and secrecy officer of the department
    "review_office": {"security_officer"},
    "reassess": {"security_officer"},  # R-PUB-2 Art 18
    "extend": {"unit_head", "leading_group"},  # R-PUB-3 Art 33
    "publish": {"submitter", "security_officer"},  # R-PUB-1 (the state is the lifecycle's)
    "withdraw": {"submitter"},
}


def user(org, persona):
    return org.staff_confidential if persona == "submitter" else getattr(org, persona)


@pytest.mark.parametrize("action", sorted(MATRIX))
def test_request_matrix(org, action):
    """One request, every persona: allowed and denied cases share the set-up (STYLE 2.10)."""
    req = submit(org.staff_confidential)
    for persona in PERSONAS:
        if persona in MATRIX[action]:
            assert_visible(user(org, persona), req, action)
        else:
            assert_hidden(user(org, persona), req, action)


@pytest.mark.parametrize("action", ["view_hits", "review_office", "export", "extend", "reassess"])
def test_a_reviewer_never_acts_on_their_own_request(org, action):
    """SEC-2: even the security officer and the unit head see no hits on their own request."""
    for persona in ("security_officer", "unit_head"):
        assert_hidden(getattr(org, persona), submit(getattr(org, persona)), action)


GLOBAL = {
    "submit_publication": set(PERSONAS) - {"submitter"} | {"staff_confidential"},
    "publication_list": set(PERSONAS) - {"submitter"} | {"staff_confidential"},
    "publication_reviews": REVIEWERS,
    "manage_keywords": {"security_officer"},
    "export_publication_register": {"security_officer", "unit_head", "leading_group"},
}


@pytest.mark.parametrize("action", sorted(GLOBAL))
def test_global_matrix(org, action):
    for persona in [*PERSONAS[1:], "staff_confidential"]:
        assert policy.can(getattr(org, persona), action) is (persona in GLOBAL[action]), persona


def test_keywords_are_the_security_office_s(org):
    kw = services.add_keyword(org.security_officer, text="天网工程")
    for persona in PERSONAS[1:]:
        for action in ("view", "manage"):
            if persona == "security_officer":
                assert_visible(getattr(org, persona), kw, action)
            else:
                assert_hidden(getattr(org, persona), kw, action)
