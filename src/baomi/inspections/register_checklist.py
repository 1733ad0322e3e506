"""The supervision registers' measured checks as items of an inspection checklist (SUP-1,
issue 16 §8).

Version 1 of the shipped default checklist (migration 0002) measured the carriers, personnel and
定密 items; version 2 (migration 0004) adds the registers' probes (key places, devices, systems,
data, meetings, contractors and carriers kept outside registered cabinets), each an item of its
实施条例 Art 58 area (``default_template.REGISTER_ITEMS``). :func:`unit_checklist` makes a
checklist of the unit's own through the services: a copy of the default checklist with any
register probe it lacks added to the probe's area, published. The demo uses it; an office may
do the same by hand in 「检查表和计划」. The probes are named by key only, so this module
imports none of the register apps (docs/registers.md).
"""

from __future__ import annotations

from typing import Any

from baomi.inspections import selectors, services
from baomi.inspections.default_template import REGISTER_ITEMS
from baomi.inspections.models import CheckItem, Template
from baomi.kit import probes

NAME = "本单位保密自查表（含要害部位、设备、系统、会议和外协登记簿测量项）"

# (probe, item text, how to check, score): the items version 2 of the default checklist ships
ITEMS: list[tuple[str, str, str, int]] = [(probe, text, how, score) for _area, text, how, score, _ev, probe
                                          in REGISTER_ITEMS]  # fmt: skip


def unit_checklist(actor: Any, *, name: str = NAME) -> Template | None:
    """Publish a copy of the default checklist with :data:`ITEMS` added to their areas (SUP-1).
    *Requires* ``manage_inspections`` (the services check it and audit each step). Returns
    None when there is no default checklist to copy."""
    default = selectors.default_template()
    if default is None:
        return None
    draft = services.copy_template(actor, default, name=name, new_version=False)
    areas = {a.number: a for a in draft.areas.all()}
    present = set(CheckItem.objects.filter(area__template=draft).values_list("probe", flat=True))
    for key, text, how, score in ITEMS:
        probe = probes.get(key)
        if probe is None or probe.area not in areas or key in present:
            continue
        services.add_item(actor, areas[probe.area], text=text, how_to_check=how, score=score, probe=key)
    return services.publish_template(actor, draft)
