"""Links everywhere (issue 13, kit/links.py): a table cell naming a carrier links to it as far
as the policy lets the viewer follow; the audit trail names targets in Chinese; the exit case
lists the carriers to hand back with a step each; a borrower sees loans and due dates."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from baomi.audit.models import AuditEntry
from baomi.carriers import services as carriers
from baomi.core.levels import Level
from baomi.kit import links
from baomi.personnel import services as personnel
from tests.carriers.factories import make_carrier
from tests.personnel.factories import onboarded, today

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    c = Client()
    c.force_login(user)
    return c


def test_ledger_rows_open_the_carrier(org):
    carrier = make_carrier(org, Level.SECRET, custodian=org.staff_secret)
    html = client_for(org.security_officer).get(reverse("carriers:ledger") + "?scope=unit").content.decode()
    assert f'href="{reverse("carriers:detail", args=[carrier.pk])}"' in html


def test_link_follows_the_policy(org):
    carrier = make_carrier(org, Level.SECRET, custodian=org.staff_secret)
    url = reverse("carriers:detail", args=[carrier.pk])
    assert f'href="{url}"' in links.link_html(org.security_officer, carrier)
    plain = links.link_html(org.outsider, carrier, "x")
    assert plain == "x"  # never a link to a 404 page
    # A person's account page is for the administrators only (SEC-2).
    assert "href" in links.link_html(org.sysadmin, org.staff_secret)
    assert "href" not in links.link_html(org.staff_secret, org.case_handler)


def test_audit_names_targets_in_chinese(org):
    carrier = make_carrier(org, Level.CONFIDENTIAL, custodian=org.staff_secret)
    entries = list(AuditEntry.objects.filter(target_type="carriers.carrier", target_id=str(carrier.pk)))
    assert entries
    html = links.target_html(org.auditor, entries[0], links.resolve(entries))
    assert html.startswith("涉密载体 ") and carrier.registry_number in html
    page = client_for(org.auditor).get(reverse("audit:list")).content.decode()
    assert "carriers.carrier #" not in page and "accounts.user #" not in page
    assert "涉密载体 " in page


def test_exit_case_lists_carriers_to_hand_back_and_a_borrower_sees_due_dates(org):
    """PER-5: the exit case page links each carrier still held and offers the step that brings
    it back; the title is plain text; the borrower's workbench shows the loan and its due date."""
    carrier = make_carrier(org, Level.SECRET, custodian=org.staff_secret, scope=[org.case_handler])
    due = today() + dt.timedelta(days=5)
    loan = carriers.request_loan(org.case_handler, carrier, place="阅文室", due_on=due, reason="学习")
    carriers.approve_loan(org.unit_head, loan)
    mine = client_for(org.case_handler).get(reverse("carriers:workbench")).content.decode()
    assert "my-loans" in mine and due.isoformat() in mine

    file = onboarded(org.security_officer, org.case_handler)
    case = personnel.start_exit(org.security_officer, file, approved_on=today())
    html = client_for(org.security_officer).get(reverse("personnel:exit", args=[case.pk])).content.decode()
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "<" not in title and "csrf" not in title
    assert f'href="{reverse("carriers:detail", args=[carrier.pk])}"' in html
    assert reverse("carriers:action", args=[carrier.pk, "return"]) in html


def test_approval_screen_shows_what_the_decision_is_about(org):
    """The 定密 approval screen shows level, mark, basis, 密点, scope, reason and the history."""
    from baomi.classification import services as classification
    from baomi.classification.models import ClassificationRequest
    from tests.classification.conftest import determine

    item = determine(org, scope_users=[org.staff_secret])
    req = ClassificationRequest.objects.filter(item=item).order_by("pk").first()
    assert classification is not None and req is not None
    html = client_for(org.unit_head).get(reverse("classification:request", args=[req.pk])).content.decode()
    for text in ("密点", "知悉范围", "staff_secret", "request-history", item.mark_text()):
        assert text in html, text
