"""``baomi carriers`` verbs (STYLE 2.9): each runs as a named operator, through services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from baomi.carriers import services
from baomi.carriers.models import Carrier
from baomi.cli import main
from tests.carriers.factories import make_carrier, make_item

pytestmark = pytest.mark.django_db


def test_register_show_inventory(org, capsys):
    """CAR-1/CAR-8: register copies, show one, start an inventory."""
    item = make_item(org)
    assert main(["carriers", "register", "--as", "security_officer", "--item", str(item.pk), "--kind", "paper",
                 "--custodian", "staff_secret", "--copies", "2", "--place", "保密柜B-03"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    assert "份号 000001" in out and "份号 000002" in out
    number = Carrier.objects.filter(item=item).order_by("sequence").first().registry_number
    assert main(["carriers", "show", "--as", "staff_secret", number]) == 0
    assert "机密★10年" in capsys.readouterr().out
    assert main(["carriers", "show", "--as", "staff_other_dept", number]) == 1
    assert main(["carriers", "inventory", "--as", "security_officer", "--title", "季度清点"]) == 0
    assert "2 件" in capsys.readouterr().out


def test_register_refused_for_staff(org, capsys):
    """CAR-1: only the security office registers."""
    item = make_item(org)
    assert main(["carriers", "register", "--as", "staff_secret", "--item", str(item.pk), "--kind", "paper",
                 "--custodian", "staff_secret"]) == 1  # fmt: skip
    assert not Carrier.objects.filter(item=item).exists()


def test_overdue_and_unsigned(org, capsys):
    """CAR-5/CAR-6: list overdue loans and unsigned transfers."""
    carrier = make_carrier(org, scope=[org.case_handler])
    loan = services.request_loan(
        org.case_handler, carrier, place="阅文室", due_on=timezone.localdate(), reason="学"
    )
    services.approve_loan(org.unit_head, loan)
    type(loan).objects.filter(pk=loan.pk).update(due_on=timezone.localdate() - dt.timedelta(days=3))
    assert main(["carriers", "overdue", "--as", "security_officer"]) == 0
    assert carrier.registry_number in capsys.readouterr().out
    other = make_carrier(org)
    services.send_carrier(org.staff_secret, other, receiver=org.case_handler, channel="jiyao_tongxin",
                          envelope_number="JY-7")  # fmt: skip
    assert main(["carriers", "unsigned", "--as", "security_officer"]) == 0
    assert "JY-7" in capsys.readouterr().out


def test_overdue_job_is_idempotent(org):
    """CAR-6: the scheduled reminder runs once per slot and reminds once a day."""
    from baomi.audit.events import AuditEvent
    from baomi.audit.models import AuditEntry
    from baomi.kit.jobs import load_jobs, run_job

    carrier = make_carrier(org, scope=[org.case_handler])
    loan = services.request_loan(
        org.case_handler, carrier, place="阅文室", due_on=timezone.localdate(), reason="学"
    )
    services.approve_loan(org.unit_head, loan)
    type(loan).objects.filter(pk=loan.pk).update(due_on=timezone.localdate() - dt.timedelta(days=1))
    job = load_jobs()["carriers.overdue_loans"]
    now = timezone.now()
    assert run_job(job, now) is True
    assert run_job(job, now) is False
    assert AuditEntry.objects.filter(event=int(AuditEvent.LOAN_REMINDED)).count() == 1
