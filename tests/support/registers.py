"""Builders for the supervision registers' tests: records made through the services, so the
audit trail and the policy see them as in production."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from baomi.core.levels import Level


def today() -> dt.date:
    return timezone.localdate()


def place(org: Any, *, code: str = "KP-01", level: str = Level.SECRET, responsible: Any = None,
          confirmed: bool = True, department: str = "OFFICE", **kwargs: Any) -> Any:  # fmt: skip
    """A key place of the OFFICE department, responsible ``staff_secret`` unless named."""
    from baomi.sites import services

    p = services.register_place(
        org.security_officer, name=kwargs.pop("name", f"要害部位{code}"), code=code, kind=kwargs.pop("kind", "archive"),
        department=org.departments[department], level=level, responsible=responsible or org.staff_secret,
        access_control=True, **kwargs,
    )  # fmt: skip
    if confirmed:
        p = services.confirm_place(org.security_officer, p, confirmed_on=today(), reference="保函〔2026〕1号")
    return p


def cabinet(org: Any, p: Any, *, number: str = "A-01", custodian: Any = None, **kwargs: Any) -> Any:
    from baomi.sites import services

    return services.add_cabinet(org.security_officer, place=p, number=number, name=kwargs.pop("name", f"保密柜{number}"),
                                custodian=custodian or org.staff_secret, **kwargs)  # fmt: skip
