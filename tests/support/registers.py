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


def contractor(org: Any, *, name: str = "某维修公司", code: str = "91110108MA01ABCD3X", kind: str = "repair",
               grade: str = "grade_b", expires_in: int = 365, number: str | None = None) -> Any:  # fmt: skip
    """A contractor with one qualification of ``kind`` and ``grade`` expiring in ``expires_in`` days."""
    from baomi.contractors import services

    c = services.register_contractor(org.security_officer, name=name, credit_code=code)
    services.add_qualification(org.security_officer, c, kind=kind, grade=grade, number=number or f"Q-{code[-6:]}",
                               issued_on=today() - dt.timedelta(days=400),
                               expires_on=today() + dt.timedelta(days=expires_in))  # fmt: skip
    return c


def device(org: Any, *, asset: str = "U-01", kind: str = "usb_drive", serial: str = "4C530001230110118393",
           vendor: str = "0781", product: str = "5567", level: str = Level.SECRET, custodian: Any = None,
           department: str = "OFFICE", commission: bool = True, **kwargs: Any) -> Any:  # fmt: skip
    """A device of ``department`` kept by ``staff_secret`` unless named, in use unless told."""
    from baomi.devices import services

    usb = kind in ("usb_drive", "portable_disk")
    d = services.register_device(
        org.security_officer, asset_number=asset, kind=kind, model_name="测试型号", serial=serial,
        usb_vendor=vendor if usb else "", usb_product=product if usb else "", level=level,
        custodian=custodian or org.staff_secret, department=org.departments[department], **kwargs,
    )  # fmt: skip
    if commission:
        d = services.commission_device(org.security_officer, d)
    return d


RESIDENT_ID = "110101198003070017"  # a valid check digit (GB 11643)


def visit(
    org: Any, *, places: Any = (), host: Any = None, escort: Any = None, hours: int = 2, **kwargs: Any
) -> Any:
    """A visit hosted by ``staff_secret`` (or ``host``) starting now, registered by the host."""
    from baomi.visitors import services

    now = timezone.now()
    host = host or org.staff_secret
    return services.register_visit(
        host, visitor_name=kwargs.pop("visitor_name", "访客甲"), id_type=kwargs.pop("id_type", "resident_id"),
        id_number=kwargs.pop("id_number", RESIDENT_ID), organisation="某单位", host=host, purpose="业务交流",
        expected_start=kwargs.pop("expected_start", now - dt.timedelta(minutes=5)),
        expected_end=kwargs.pop("expected_end", now + dt.timedelta(hours=hours)), places=list(places),
        escort=escort if escort is not None else (host if places else None), **kwargs,
    )  # fmt: skip


def system(org: Any, *, code: str = "SM-01", kind: str = "classified", grade: str = Level.SECRET,
           devices: Any = (), live: bool = False, **kwargs: Any) -> Any:  # fmt: skip
    """A system of OFFICE run by case_handler (system administrator), security_officer and
    staff_secret (auditor); evaluated, approved and live when ``live``."""
    from baomi.systems import services

    s = services.register_system(
        org.security_officer, name=kwargs.pop("name", f"系统{code}"), code=code, kind=kind, grade=grade,
        department=org.departments["OFFICE"], isolation="物理隔离", users_scope="办公室", user_count=5,
        system_admin=org.case_handler, security_admin=org.security_officer, auditor=org.staff_secret,
        devices=list(devices), **kwargs,
    )  # fmt: skip
    if live:
        if kind == "classified":
            for k in ("evaluation", "approval"):
                services.record_review(org.security_officer, s, kind=k, body="测评机构", reference=f"{k}-1",
                                       held_on=today(), outcome="passed")  # fmt: skip
        s = services.go_live(org.security_officer, s)
    return s
