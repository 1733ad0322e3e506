"""``baomi governance`` commands and the governance demo (ORG-2, SUP-9..11)."""

from __future__ import annotations

import json

import pytest

from baomi.cli import main
from baomi.governance.models import Drill, EducationEvent, Membership, Regulation, ResponsibilityStatement

pytestmark = pytest.mark.django_db


def test_load_regulations_and_checks_commands(org, capsys):
    assert (
        main(["governance", "load-regulations", "--as", "security_officer", "--approver", "unit_head"]) == 0
    )
    assert Regulation.objects.count() == 9 and "共登记 9 项制度" in capsys.readouterr().out
    assert main(["governance", "checks", "--as", "unit_head", "--on", "2026-01-01"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["regulation_reviews"]["total"] == 9
    assert main(["governance", "checks", "--as", "staff_secret"]) == 1


@pytest.mark.django_db(transaction=True)
def test_demo_records():
    from baomi.kit import demo

    demo.load()
    assert Membership.objects.filter(ended_on__isnull=False).exists()  # a change kept in the history
    assert ResponsibilityStatement.objects.filter(unit_signed_on__isnull=False).exists()
    assert Regulation.objects.count() == 9
    assert Drill.objects.exists() and EducationEvent.objects.filter(training_session__isnull=False).exists()
