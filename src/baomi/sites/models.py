"""Key departments and key places (保密要害部门部位, SUP-5, R-SITE-1), their cabinets (保密柜)
and their periodic checks.

A *key department* handles 绝密 or larger amounts of 机密/秘密; a *key place* is a dedicated
place where carriers are produced, stored or kept. Both are designated by the unit and
confirmed by the same-level 保密局 (date and reference), with a responsible person and
technical measures. Carriers are kept in registered cabinets of key places; a 绝密 carrier only
in a place confirmed for 绝密 (R-CAR-12). Only ``sites.services`` changes these rows.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from baomi.core.levels import Level
from baomi.sites.choices import CabinetStatus, CheckStatus, PlaceKind, SiteStatus

USER = "accounts.User"


class KeyDepartment(models.Model):
    """A key department (保密要害部门, R-SITE-1).

    Responsible: its responsible person (usually the head); the security officer keeps the
    register. Invariants: one row per department; ``status`` moves only through
    ``lifecycle.SITE_TRANSITIONS``; ``confirmed_on`` and ``confirmation_ref`` are set exactly
    when it is confirmed.
    """

    department = models.OneToOneField("accounts.Department", verbose_name=_("department"),
                                      on_delete=models.PROTECT, related_name="key_department")  # fmt: skip
    level = models.CharField(_("highest level handled"), max_length=20, choices=Level.choices)
    responsible = models.ForeignKey(USER, verbose_name=_("responsible person"), on_delete=models.PROTECT,
                                    related_name="key_departments")  # fmt: skip
    reason = models.CharField(_("why it is key"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=SiteStatus.choices, default=SiteStatus.PROPOSED,
                              editable=False)  # fmt: skip
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True, editable=False)
    confirmation_ref = models.CharField(
        _("confirmation reference"), max_length=100, blank=True, editable=False
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("key department")
        verbose_name_plural = _("key departments")
        ordering = ["department__sort_order", "department__name"]

    def __str__(self) -> str:
        return str(self.department)

    def audit_label(self) -> str:
        return str(self.department)


class KeyPlace(models.Model):
    """A key place (保密要害部位, R-SITE-1): archive, machine room, confidential office...

    Responsible: its responsible person, who approves visits to it (SUP-4) and self-checks
    it; the security officer keeps the register. ``level`` is the highest level the place is
    designated for; a 绝密 carrier may be kept only where ``level`` is 绝密 and the place is
    confirmed (R-CAR-12). ``next_check_on`` is computed by the services from the last check
    and ``check_months``.
    """

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=PlaceKind.choices)
    department = models.ForeignKey("accounts.Department", verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="key_places")  # fmt: skip
    level = models.CharField(_("highest level"), max_length=20, choices=Level.choices)
    responsible = models.ForeignKey(USER, verbose_name=_("responsible person"), on_delete=models.PROTECT,
                                    related_name="key_places")  # fmt: skip
    location = models.CharField(_("location"), max_length=200, blank=True)
    access_control = models.BooleanField(_("access control"), default=False)
    cctv = models.BooleanField(_("video surveillance"), default=False)
    alarm = models.BooleanField(_("intrusion alarm"), default=False)
    shielding = models.BooleanField(_("electromagnetic shielding"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=SiteStatus.choices, default=SiteStatus.PROPOSED,
                              editable=False, db_index=True)  # fmt: skip
    confirmed_on = models.DateField(_("confirmed on"), null=True, blank=True, editable=False)
    confirmation_ref = models.CharField(
        _("confirmation reference"), max_length=100, blank=True, editable=False
    )
    check_months = models.PositiveSmallIntegerField(_("check every (months)"), default=3)
    next_check_on = models.DateField(_("next check due"), null=True, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("key place")
        verbose_name_plural = _("key places")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(condition=models.Q(check_months__gte=1), name="sites_place_check_months"),
        ]

    def __str__(self) -> str:
        return self.name

    def audit_label(self) -> str:
        return self.code

    def measures(self) -> list[str]:
        """The technical measures present, as translated words (R-SITE-1)."""
        names = [(self.access_control, _("access control")), (self.cctv, _("video surveillance")),
                 (self.alarm, _("intrusion alarm")), (self.shielding, _("electromagnetic shielding"))]  # fmt: skip
        return [str(label) for present, label in names if present]

    def holds_top_secret(self) -> bool:
        """R-CAR-12: only a place confirmed for 绝密 may keep 绝密 carriers."""
        return self.status == SiteStatus.CONFIRMED and self.level == Level.TOP_SECRET


class Cabinet(models.Model):
    """A secrecy cabinet (保密柜) in a key place, with a number and a custodian (SUP-5).

    Invariants: ``number`` is unique; ``level`` (the highest level it may hold) never exceeds
    its place's; a retired cabinet holds no live carrier.
    """

    number = models.CharField(_("number"), max_length=30, unique=True)
    name = models.CharField(
        _("name"), max_length=100, help_text=_("As written on carriers, e.g. 办公室保密柜A-01.")
    )
    place = models.ForeignKey(KeyPlace, verbose_name=_("key place"), on_delete=models.PROTECT,
                              related_name="cabinets")  # fmt: skip
    custodian = models.ForeignKey(USER, verbose_name=_("custodian"), on_delete=models.PROTECT,
                                  related_name="cabinets")  # fmt: skip
    level = models.CharField(_("highest level"), max_length=20, choices=Level.choices)
    status = models.CharField(_("status"), max_length=20, choices=CabinetStatus.choices,
                              default=CabinetStatus.IN_USE, editable=False)  # fmt: skip
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("cabinet")
        verbose_name_plural = _("cabinets")
        ordering = ["place__code", "number"]

    def __str__(self) -> str:
        return self.name

    def audit_label(self) -> str:
        return self.number


class PlaceCheck(models.Model):
    """One periodic check of a key place (SUP-5): planned, then recorded with the result.
    Findings go into the rectification loop of inspections (SUP-1 整改,
    ``baomi.kit.rectification``): a finding naming this check, with its task's owner, deadline,
    reminders and verification; the check is rectified when the loop closes it. The check keeps
    no rectification state of its own."""

    place = models.ForeignKey(KeyPlace, verbose_name=_("key place"), on_delete=models.PROTECT,
                              related_name="checks")  # fmt: skip
    planned_on = models.DateField(_("planned for"))
    status = models.CharField(_("status"), max_length=20, choices=CheckStatus.choices, default=CheckStatus.PLANNED,
                              editable=False, db_index=True)  # fmt: skip
    checked_on = models.DateField(_("checked on"), null=True, blank=True, editable=False)
    checker = models.ForeignKey(USER, verbose_name=_("checked by"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", editable=False)  # fmt: skip
    findings = models.TextField(pgettext_lazy("registers", "findings"), blank=True, editable=False)
    planned_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("place check")
        verbose_name_plural = _("place checks")
        ordering = ["-planned_on", "-id"]

    def __str__(self) -> str:
        return f"{self.place} {self.planned_on}"

    def audit_label(self) -> str:
        return f"#{self.pk}"
