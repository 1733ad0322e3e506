"""Clearance only through the rules that grant it (PER-2, R-PER-2/3, R-AC-4; issue 11 §3).

The clearance derives from the personnel file — the category's ceiling once 准入 is complete
and the pledge is valid — and nobody types it. A change (rise, lapsed pledge, exit) counts from
the person's next request in every session and for every API token, not from the next hourly
job or the person's next visit to the start page.
"""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from baomi.access.errors import AccessDenied
from baomi.accounts import services as accounts
from baomi.audit.events import AuditEvent
from baomi.personnel import services
from baomi.personnel.models import Signature
from tests.personnel.factories import days, onboarded, today
from tests.support.assertions import assert_audited, last_audit_id

pytestmark = pytest.mark.django_db

ME = "/api/v1/accounts/me/"


def _clients(user):
    """Two browser sessions and one API token of ``user``, all signed in before the change."""
    sessions = []
    for _ in range(2):
        c = Client()
        c.force_login(user)
        sessions.append(c)
    _token, key = accounts.create_token(user, name="脚本")
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return sessions, api


def test_a_lapsed_pledge_counts_from_the_next_request_of_a_token(org):
    """R-PER-3, R-AC-4: the day after the pledge ran out, the token's first request already
    carries the uncleared level (before: the old clearance until the hourly job), and so does
    every session; AGREEMENT_LAPSED is audited once."""
    person = org.staff_confidential
    file = onboarded(org.security_officer, person, "important", signed_on=today() - days(30))
    sessions, api = _clients(person)
    assert api.get(ME).json()["clearance"] == "secret"
    # The pledge ran out yesterday; the system last derived the clearance the day before.
    Signature.objects.filter(file=file).update(valid_until=today() - days(1))
    services.check_agreement(None, file, on=today() - days(2))
    person.refresh_from_db()
    assert person.clearance == "secret" and person.clearance_check_on == today()
    since = last_audit_id()
    assert api.get(ME).json()["clearance"] == "work_secret"
    assert_audited(AuditEvent.AGREEMENT_LAPSED, file, since=since)
    for c in sessions:
        assert c.get(ME).json()["clearance"] == "work_secret"
    person.refresh_from_db()
    assert person.clearance_check_on is None


def test_a_lapse_counts_from_the_next_page_of_a_session(org):
    """The same through a browser session's first request (not the start page)."""
    person = org.staff_confidential
    file = onboarded(org.security_officer, person, "important", signed_on=today() - days(30))
    (session, _other), _api = _clients(person)
    Signature.objects.filter(file=file).update(valid_until=today() - days(1))
    services.check_agreement(None, file, on=today() - days(2))
    assert session.get("/accounts/me/").status_code == 200
    person.refresh_from_db()
    assert person.clearance == "work_secret"


def test_rise_and_exit_count_from_the_next_request(org):
    """Completing 准入 raises, starting an exit lowers the clearance — seen by the sessions and
    the token already signed in (R-AC-4, R-PER-6)."""
    person = org.staff_confidential
    file = onboarded(org.security_officer, person, "important", clear=False)
    sessions, api = _clients(person)
    assert api.get(ME).json()["clearance"] == "work_secret"  # in 准入: not cleared
    services.clear_person(org.security_officer, file)
    assert api.get(ME).json()["clearance"] == "secret"
    assert all(c.get(ME).json()["clearance"] == "secret" for c in sessions)
    services.start_exit(org.security_officer, file, approved_on=today())
    assert api.get(ME).json()["clearance"] == "work_secret"
    assert all(c.get(ME).json()["clearance"] == "work_secret" for c in sessions)


def test_nobody_clears_a_person_by_hand(org):
    """The security officer cannot give a clearance to a person in 准入 or without a file
    (before: any level up to 绝密 from the account page); the refusal is audited (PER-2)."""
    file = onboarded(org.security_officer, org.staff_confidential, "core", clear=False)
    since = last_audit_id()
    for person in (org.staff_confidential, org.outsider):
        with pytest.raises(AccessDenied):
            accounts.set_clearance(org.security_officer, person, "top_secret")
        person.refresh_from_db()
        assert person.clearance != "top_secret"
    assert_audited(AuditEvent.ACCESS_DENIED, actor=org.security_officer, outcome="denied", since=since)
    assert file.user.clearance == "work_secret"


def test_a_due_clearance_without_a_file_fails_closed(org):
    """A clearance due to be derived again for someone without a personnel file (one set by
    hand before this release) falls to the uncleared level at the next request (R-AC-4)."""
    person = org.staff_other_dept
    accounts.derive_clearance(None, person, "secret", check_on=today(), reason="test")
    _sessions, api = _clients(person)
    assert api.get(ME).json()["clearance"] == "work_secret"
