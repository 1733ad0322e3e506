"""``baomi personnel …`` commands (PER-1..5, R-DET-12): each verb tested."""

from __future__ import annotations

from datetime import timedelta

from baomi.cli import main
from baomi.personnel import services
from tests.personnel.factories import onboarded, today


def test_list_as_officer_and_as_staff(org, capsys):
    """The list obeys the policy of the named account (PER-1)."""
    onboarded(org.security_officer, org.staff_secret, "important")
    assert main(["personnel", "list", "--as", "security_officer"]) == 0
    assert "staff_secret" in capsys.readouterr().out
    assert main(["personnel", "list", "--as", "staff_confidential"]) == 0
    out = capsys.readouterr().out
    assert "staff_secret" not in out and "共 0 人" in out
    assert main(["personnel", "list", "--as", "nobody"]) == 1


def test_due_and_check(org, capsys, settings):
    """``due`` lists renewals; ``check`` lowers a lapsed clearance (PER-3, OPS-2)."""
    from baomi.personnel.models import Signature

    file = onboarded(
        org.security_officer, org.staff_secret, "important", signed_on=today() - timedelta(days=350)
    )
    assert main(["personnel", "due", "--as", "security_officer"]) == 0
    assert "承诺书续签\tstaff_secret" in capsys.readouterr().out
    Signature.objects.filter(file=file).update(valid_until=today() - timedelta(days=1))  # the pledge lapsed
    assert main(["personnel", "check"]) == 0
    assert "承诺书过期降低涉密资格: 1 人" in capsys.readouterr().out
    org.staff_secret.refresh_from_db()
    assert org.staff_secret.clearance == "work_secret"


def test_determination_training_command(org, capsys):
    """R-DET-12 query by CLI; exit code 3 when missing."""
    assert main(["personnel", "determination-training", "case_handler", "--as", "security_officer"]) == 3
    session = services.create_session(
        org.security_officer, title="定密培训", kind="determination", held_on=today()
    )
    services.record_attendance(org.security_officer, session, org.case_handler)
    assert main(["personnel", "determination-training", "case_handler", "--as", "security_officer"]) == 0
    assert "有效" in capsys.readouterr().out
    assert main(["personnel", "determination-training", "case_handler", "--as", "staff_secret"]) == 1
