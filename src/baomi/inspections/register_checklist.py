"""The supervision registers' measured checks as items of an inspection checklist (SUP-1,
issue 16 §8).

The shipped default checklist (migration 0002, version 1) measures the carriers, personnel and
定密 items; the registers' probes (key places, devices, systems, data, meetings, contractors and
carriers kept outside registered cabinets) go into a checklist of the unit's own.
:func:`unit_checklist` makes one through the services: a copy of the default checklist with each
register probe as an item of its 实施条例 Art 58 area (the probe's ``area``), published. The
demo uses it; an office may do the same by hand in 「检查表和计划」. The probes are named by key
only, so this module imports none of the register apps (docs/registers.md).
"""

from __future__ import annotations

from typing import Any

from baomi.inspections import selectors, services
from baomi.inspections.models import Template
from baomi.kit import probes

NAME = "本单位保密自查表（含要害部位、设备、系统、会议和外协登记簿测量项）"

# (probe, item text, how to check, score)
ITEMS: list[tuple[str, str, str, int]] = [
    ("carriers.unregistered_places", "涉密载体存放在已登记的保密柜中", "由系统按载体台账存放位置和保密柜登记计算", 4),
    ("sites.places_past_check", "保密要害部位按期开展保密检查", "由系统按要害部位检查到期日计算", 3),
    ("devices.past_check", "涉密设备和移动存储介质按期检查", "由系统按设备和介质检查到期日计算", 4),
    ("systems.overdue_assessments", "涉密信息系统按期开展风险评估（绝密每年，机密、秘密每两年）",
     "由系统按信息系统风险评估到期日计算", 4),
    ("contractors.expired_qualifications", "外协单位的保密资质在有效期内", "由系统按保密资质有效期计算", 3),
    ("meetings.unrecovered_carriers", "涉密会议发放的载体会后全部收回", "由系统按会议载体发放和收回记录计算", 4),
    ("dataassets.overdue_assessments", "重要数据和核心数据每年开展风险评估", "由系统按数据风险评估到期日计算", 3),
]  # fmt: skip


def unit_checklist(actor: Any, *, name: str = NAME) -> Template | None:
    """Publish a copy of the default checklist with :data:`ITEMS` added to their areas (SUP-1).
    *Requires* ``manage_inspections`` (the services check it and audit each step). Returns
    None when there is no default checklist to copy."""
    default = selectors.default_template()
    if default is None:
        return None
    draft = services.copy_template(actor, default, name=name, new_version=False)
    areas = {a.number: a for a in draft.areas.all()}
    for key, text, how, score in ITEMS:
        probe = probes.get(key)
        if probe is None or probe.area not in areas:
            continue
        services.add_item(actor, areas[probe.area], text=text, how_to_check=how, score=score, probe=key)
    return services.publish_template(actor, draft)
