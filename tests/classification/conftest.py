"""Helpers for classification tests: propose and determine items through the services."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.test import override_settings

from baomi.classification import services
from baomi.classification.models import Item
from baomi.core.durations import Duration
from baomi.core.levels import Level


def _trained(org: Any, person: Any) -> None:
    """R-DET-12: the helpers propose and decide as trained people, whatever ``org`` fixture the
    calling test uses (other apps' tests build on them)."""
    from baomi.personnel.selectors import has_current_determination_training
    from tests.support import personas

    if not has_current_determination_training(person):
        name = next(n for n, u in org.users.items() if u.pk == person.pk)
        personas.train_determiners(org, (name,))


def propose(org: Any, *, level: str = Level.SECRET, years: int | None = 5, **kw: Any) -> Item:
    handler = kw.pop("actor", org.case_handler)
    _trained(org, handler)
    duration = kw.pop("duration", None)
    if duration is None and years is not None and level not in (Level.PUBLIC, Level.INTERNAL):
        duration = {"duration_kind": "period", "duration_value": years, "duration_unit": "year"}
    kw.setdefault("basis_text", "保密事项范围 第3条")
    kw.setdefault("period_start", date(2026, 1, 15))
    kw.setdefault("department", org.departments["OFFICE"])
    start = kw["period_start"]
    if (
        start is not None
        and duration
        and duration.get("duration_kind") == "period"
        and not duration.get("long_term")
    ):
        ends = Duration.from_fields({**duration, "until_date": None, "condition": ""}).expires_on(start)
        if ends is not None and ends <= date.today():
            # An item registered long ago whose period has run out by now: a new proposal would be
            # refused as born expired (issue 12 §5); these tests need such history.
            with override_settings(CLASSIFICATION_REFUSE_BORN_EXPIRED=False):
                return services.propose_item(
                    handler, title=kw.pop("title", "年度工作计划"), level=level, duration=duration, **kw
                )
    return services.propose_item(
        handler, title=kw.pop("title", "年度工作计划"), level=level, duration=duration, **kw
    )


def determine(org: Any, **kw: Any) -> Item:
    authority = kw.pop("authority", org.authority_top_secret)
    _trained(org, authority)
    item = propose(org, **kw)
    services.approve_request(authority, item.requests.get(), reason="同意")
    item.refresh_from_db()
    return item


@pytest.fixture
def determined(org):
    return determine(org, scope_users=[org.staff_secret])


@pytest.fixture
def org(db, settings):
    """The personas with a fast password hasher: these tests are about classification, and
    Argon2 for thirteen accounts dominates their run time on a busy machine."""
    from tests.support import personas

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    org = personas.build()
    personas.train_determiners(org)  # R-DET-12: they propose and decide
    return org
