"""Run by tests/kit/test_registry.py in a fresh process whose settings add the throwaway app:
every part it declares is found, and nothing else names it."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse

from baomi.access import policy
from baomi.audit.events import event_label
from baomi.audit.record import record
from baomi.cli import build_parser
from baomi.dashboard.views import tasks_for
from baomi.kit import demo, jobs, registry
from baomi.kit.nav import items_for
from tests.kit.throwaway.events import ThrowawayEvent

pytestmark = pytest.mark.django_db


def test_every_part_is_found(org):
    assert reverse("throwaway:home") == "/throwaway/"
    assert reverse("throwaway-ping") == "/api/v1/throwaway/ping/"
    client = Client()
    client.force_login(org.security_officer)
    assert client.get("/throwaway/").content == b"throwaway"
    assert client.get("/api/v1/throwaway/ping/").json() == {"ok": True}
    # The rule: registered when Django became ready, decided by the one policy engine.
    assert "throwaway_open" in policy.global_actions()
    assert policy.can(org.security_officer, "throwaway_open")
    assert not policy.can(org.staff_secret, "throwaway_open")
    # The nav entry follows the rule.
    assert "Throwaway" in [e["label"] for e in items_for(org.security_officer)]
    assert "Throwaway" not in [e["label"] for e in items_for(org.staff_secret)]
    # The start page's task, the scheduler's job, the command, the demo after its dependency.
    assert "Throwaway task" in [t["label"] for t in tasks_for(org.staff_secret)]
    assert "throwaway.tick" in jobs.load_jobs()
    assert jobs.run_job(jobs.load_jobs()["throwaway.tick"])
    ns = build_parser().parse_args(["throwaway"])
    assert ns.func(ns) == 0
    order = [app.label for app in registry.demo_order()]
    assert order.index("throwaway") > order.index("carriers")
    out = io.StringIO()
    demo.print_accounts(out)
    assert "a demo account of the throwaway app" in out.getvalue()
    # The audit events: its own block, labelled like the others.
    entry = record(org.security_officer, ThrowawayEvent.THING_DONE, ("throwaway.thing", 1, "x"))
    assert entry.event == 9900
    assert event_label(9900) == "Throwaway thing done"
