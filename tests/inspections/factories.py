"""Inspection states built through the services (as in production)."""

from __future__ import annotations

import importlib
from datetime import timedelta
from typing import Any

from django.apps import apps
from django.utils import timezone

from baomi.inspections import selectors, services
from baomi.inspections.choices import Result


def today() -> Any:
    return timezone.localdate()


def default_template() -> Any:
    """The shipped checklist (migrations 0002 and 0004: version 2); recreated if a transactional
    test emptied the tables."""
    template = selectors.default_template()
    if template is None:
        importlib.import_module("baomi.inspections.migrations.0002_default_template").create(apps, None)
        importlib.import_module("baomi.inspections.migrations.0004_default_template_v2").forwards(apps, None)
        template = selectors.default_template()
    return template


def small_template(org: Any, probe: str = "") -> Any:
    """A published two-item checklist of the unit's own: one plain item (evidence required),
    one measured by ``probe`` when given."""
    officer = org.security_officer
    draft = services.copy_template(officer, default_template(), name="办公室月度自查表", new_version=False)
    for area in list(draft.areas.all()):
        for item in list(area.items.all()):
            services.remove_item(officer, item)
    first = draft.areas.get(number=1)
    services.add_item(officer, first, text="保密柜上锁", score=4, evidence_required=True)
    if probe:
        services.add_item(officer, first, text="数据核查", score=6, probe=probe)
    return services.publish_template(officer, draft)


def open_run(org: Any, template: Any = None, **kw: Any) -> Any:
    return services.open_run(
        org.security_officer, template=template or default_template(), kind=kw.pop("kind", "ad_hoc"),
        title=kw.pop("title", "专项检查"), lead=kw.pop("lead", org.security_officer),
        due_on=kw.pop("due_on", today() + timedelta(days=7)), **kw,
    )  # fmt: skip


def answer_all(org: Any, run: Any, *, result: str = Result.COMPLIANT) -> None:
    """Answer every item: measured ones confirmed, plain ones ``result`` with evidence."""
    officer = org.security_officer
    for answer in selectors.answers_of(run):
        if answer.suggested:
            services.confirm_measured(officer, answer)
        else:
            services.answer_item(officer, answer, result=result, note="已查", uploads=[b"evidence"])
