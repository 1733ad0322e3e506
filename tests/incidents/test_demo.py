"""The incidents demo: an open incident with its 24-hour clock running (SUP-2, R-INC-1)."""

from __future__ import annotations

from baomi.incidents import selectors


def test_demo_has_a_running_clock(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    from baomi.kit import demo

    demo.load()
    from baomi.accounts.models import User

    officer = User.objects.get(username="secofficer")
    running = list(selectors.running_clocks(officer))
    assert running, "an incident with its clock running"
    incident = running[0]
    clock = selectors.clock_of(incident)
    assert clock.state == "running" and clock.missing == ("superior",)
    assert incident.carrier_links.filter(lost=True, carrier__status="missing").exists()
    assert incident.handler.username == "lina"
