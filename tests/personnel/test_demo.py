"""The personnel demo loads files in every state (PER-1..8) on top of the accounts demo."""

from __future__ import annotations

from baomi.accounts import demo as accounts_demo
from baomi.personnel import demo
from baomi.personnel.models import ExitCase, PersonnelFile, TravelRequest, ViolationReport


def test_demo_loads_every_state(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    accounts_demo.load()
    from baomi.accounts.models import User
    from tests.personnel.factories import carrier_for

    liuyang = User.objects.get(username="liuyang")
    carrier_for(liuyang)  # as the carriers demo would: the exit goes to whoever holds carriers
    demo.load()
    case = ExitCase.objects.get(status="open")
    assert case.file.user == liuyang
    states = set(PersonnelFile.objects.values_list("status", flat=True))
    assert {"onboarding", "active", "exiting", "separation"} <= states
    assert ExitCase.objects.filter(status="open").exists()
    assert TravelRequest.objects.filter(status="returned").exists()
    assert ViolationReport.objects.filter(status="incident").exists()
    zhangwei = PersonnelFile.objects.get(user__username="zhangwei").user
    assert zhangwei.clearance == "top_secret"
    zhoujie = PersonnelFile.objects.get(user__username="zhoujie").user
    assert not zhoujie.is_active
