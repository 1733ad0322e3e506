"""The personal inbox (issue 13): every notice, to-do and reminder in one place, the count in
the header, notices acknowledged several at once through the service (R-SCOPE-4)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from baomi.carriers import services as carriers
from baomi.classification.models import Notice
from baomi.core.levels import Level
from baomi.personnel import services as personnel
from tests.carriers.factories import make_carrier
from tests.classification.conftest import determine
from tests.personnel.factories import onboarded, today

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def lent_due_soon(org):
    """A 秘密 carrier lent to staff_secret, due back in two days: a reminder in the inbox."""
    carrier = make_carrier(org, Level.SECRET, custodian=org.case_handler, scope=[org.staff_secret])
    loan = carriers.request_loan(org.staff_secret, carrier, place="阅文室", due_on=today() + dt.timedelta(days=2),
                                 reason="学习")  # fmt: skip
    carriers.approve_loan(org.unit_head, loan)
    return carrier


def test_inbox_gathers_notices_todos_and_reminders_and_acknowledges_in_bulk(org):
    determine(org, scope_users=[org.staff_secret])
    determine(org, scope_users=[org.staff_secret])
    carrier = lent_due_soon(org)
    me = client_for(org.staff_secret)
    unread = list(Notice.objects.filter(recipient=org.staff_secret, acknowledged_at__isnull=True))
    assert len(unread) >= 2
    html = me.get(reverse("dashboard:inbox")).content.decode()
    assert 'id="inbox-notices"' in html and carrier.registry_number in html  # the loan due back
    assert me.get(reverse("dashboard:inbox-count")).json()["count"] >= len(unread) + 1
    r = me.post(reverse("dashboard:inbox-acknowledge"), {"notice": [n.pk for n in unread]})
    assert r.status_code == 302
    assert not Notice.objects.filter(recipient=org.staff_secret, acknowledged_at__isnull=True).exists()
    # Someone else's notice cannot be acknowledged from here: it looks absent.
    other = determine(org, scope_users=[org.staff_confidential])
    theirs = Notice.objects.filter(recipient=org.staff_confidential).first()
    assert (
        other and me.post(reverse("dashboard:inbox-acknowledge"), {"notice": [theirs.pk]}).status_code == 404
    )


def test_the_person_leaving_sees_what_to_hand_back(org):
    carrier = make_carrier(org, Level.SECRET, custodian=org.staff_secret)
    file = onboarded(org.security_officer, org.staff_secret)
    personnel.start_exit(org.security_officer, file, approved_on=today())
    html = client_for(org.staff_secret).get(reverse("dashboard:inbox")).content.decode()
    assert carrier.registry_number in html and "交回" in html


def test_the_header_count_is_not_activity(org):
    """SEC-1: the page's background count request neither keeps the session alive nor rewrites
    its cookie; a real request does."""
    c = client_for(org.staff_secret)
    quiet = c.get(reverse("dashboard:inbox-count"), headers={"X-Baomi-Background": "1"})
    assert quiet.status_code == 200 and "sessionid" not in quiet.cookies
    assert "sessionid" in c.get(reverse("dashboard:inbox")).cookies


def test_the_start_page_writes_the_header_count_itself_and_other_pages_fetch_it(org):
    """OPS-1 speed: the start page counts every to-do anyway, so its header shows the number
    the count request would return and does not ask for it again; any other page fetches it
    after loading."""
    import re

    determine(org, scope_users=[org.staff_secret])
    lent_due_soon(org)
    me = client_for(org.staff_secret)
    expected = me.get(reverse("dashboard:inbox-count")).json()["count"]
    assert expected >= 2  # the notice and the loan due back
    home = me.get("/").content.decode()
    badge = re.search(
        r'class="inbox-link"([^>]*)>[^<]*<span class="count" data-inbox-count([^>]*)>([^<]*)<', home
    )
    assert badge and "data-count-url" not in badge.group(1) and "hidden" not in badge.group(2)
    assert badge.group(3) == str(expected)
    inbox = me.get(reverse("dashboard:inbox")).content.decode()
    assert 'data-count-url="/inbox/count/"' in inbox
    assert re.search(r'id="inbox-total">(\d+)<', inbox).group(1) == str(expected)  # the inbox's own total


def test_the_header_counts_what_a_person_leaving_must_hand_back(org):
    """PER-5: while an exit is open, the carriers still held are in the header's count — the
    start page's, the count request's and the inbox's alike — and not before."""
    import re

    make_carrier(org, Level.SECRET, custodian=org.staff_secret)
    file = onboarded(org.security_officer, org.staff_secret)
    me = client_for(org.staff_secret)
    before = me.get(reverse("dashboard:inbox-count")).json()["count"]
    personnel.start_exit(org.security_officer, file, approved_on=today())
    after = me.get(reverse("dashboard:inbox-count")).json()["count"]
    assert after == before + 1
    home = me.get("/").content.decode()
    assert re.search(r"data-inbox-count>(\d+)<", home).group(1) == str(after)
    inbox = me.get(reverse("dashboard:inbox")).content.decode()
    assert re.search(r'id="inbox-total">(\d+)<', inbox).group(1) == str(after)
