"""The inspections demo: a finished quarterly patrol with rectification in progress and the
annual self-assessment in progress with measured checks (SUP-1)."""

from __future__ import annotations

from baomi.inspections.default_template import REGISTER_ITEMS
from baomi.inspections.models import Finding, RectificationTask, Run


def test_demo(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from baomi.kit import demo
    from tests.inspections.factories import default_template

    default_template()
    demo.load()
    patrol = Run.objects.get(kind="quarterly")
    assert patrol.status == "completed" and patrol.score is not None
    assert Finding.objects.filter(run=patrol, status="rectifying").exists()
    states = set(RectificationTask.objects.values_list("status", flat=True))
    assert {"submitted", "returned", "verified"} <= states
    annual = Run.objects.get(kind="annual")
    # the default checklist's eleven measured items, and the registers' seven of version 2
    assert annual.status == "open" and annual.answers.exclude(measured=None).count() == 11 + len(
        REGISTER_ITEMS
    )
    # one returned task has run past its deadline: the overdue list is not empty on first run
    from baomi.accounts.models import User
    from baomi.inspections import selectors

    officer = User.objects.get(username="secofficer")
    overdue = list(selectors.tasks(officer, overdue=True))
    assert [t.status for t in overdue] == ["returned"]
