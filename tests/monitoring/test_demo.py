"""The demo has alerts of every kind for both recipients (SEC-5; the dashboards are alive)."""

from __future__ import annotations

import pytest

from baomi.kit import demo
from baomi.monitoring.choices import Audience, RuleKind
from baomi.monitoring.models import Alert

pytestmark = pytest.mark.django_db


def test_demo_has_alerts_of_every_kind(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.load()
    kinds = set(Alert.objects.values_list("rule", flat=True))
    assert kinds == set(RuleKind.values)
    assert set(Alert.objects.values_list("audience", flat=True)) == set(Audience.values)
    assert Alert.objects.filter(status="closed").exists()
    assert demo.load() is False  # idempotent: loaded once
