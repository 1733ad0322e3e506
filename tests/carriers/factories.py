"""Test factories for carriers: items are written directly (the classification services are
not this app's), carriers always through ``register_carrier``."""

from __future__ import annotations

from typing import Any

from baomi.carriers import services
from baomi.classification.models import Item, ItemScope
from baomi.core.levels import Level
from tests.support.integrity import bind


def make_item(org: Any, level: str = Level.SECRET, *, scope: list[Any] | None = None, **kw: Any) -> Item:
    item = Item.objects.create(
        title=kw.pop("title", "关于某专项工作的请示"), reference=kw.pop("reference", "办〔2026〕9号"), level=level,
        duration_kind="period", duration_value=kw.pop("years", 10), duration_unit="year",
        department=org.departments["OFFICE"], proposed_by=org.case_handler,
        determined_by=kw.pop("determined_by", org.authority_top_secret), **kw,
    )  # fmt: skip
    Item.objects.filter(pk=item.pk).update(status="determined")
    item.refresh_from_db()
    for person in scope or []:
        ItemScope.objects.create(item=item, user=person)
    return bind(item)


def make_carrier(org: Any, level: str = Level.SECRET, *, custodian: Any = None, scope: list[Any] | None = None,
                 kind: str = "paper", copies: int = 1, item: Item | None = None, **kw: Any) -> Any:  # fmt: skip
    custodian = custodian or org.staff_secret
    if item is None:
        # The custodian is normally in the need-to-know scope (CAR-3): holding is not knowing,
        # so content reads and uses need the scope; ``outsider_custodian=True`` leaves them out.
        outsider = kw.pop("outsider_custodian", False)
        item = make_item(org, level, scope=[*(scope or []), *([] if outsider else [custodian])])
    made = services.register_carrier(
        org.security_officer, item=item, kind=kind, custodian=custodian, copies=copies,
        storage_place="保密柜A-01", pages=kw.pop("pages", 12), **kw,
    )  # fmt: skip
    return made[0] if copies == 1 else made
