"""The register of removable media and devices (涉密U盘/移动硬盘, computers, printers,
密码设备, shielding — SUP-6, R-CAR-14).

Each device has its identity (serial, and for removable media the USB vendor:product:serial),
level, custodian, department and place, and moves through procurement → in use → maintenance
(on site, by a qualified contractor, under a supervisor of the unit) → scrapped (sanitised,
handed to a qualified destruction body with a reference). A loss opens an incident. Only
registered, in-use removable media are exported to the endpoints' USB whitelist. Only
``devices.services`` changes these rows.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.core.levels import Level
from baomi.devices.choices import REMOVABLE_KINDS, CheckResult, DeviceKind, DeviceStatus

USER = "accounts.User"


class Device(models.Model):
    """One registered medium or device.

    Responsible: the custodian holds it; the security officer keeps the register.
    Invariants: ``asset_number`` is unique; ``identity`` (the normalised serial, for removable
    media ``usb:vendor:product:serial``) is unique, so a serial is registered once; removable
    media carry a USB vendor and product id; ``status`` moves only through
    ``lifecycle.DEVICE_TRANSITIONS``.
    """

    asset_number = models.CharField(_("asset number"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DeviceKind.choices)
    model_name = models.CharField(_("make and model"), max_length=100)
    serial = models.CharField(_("serial number"), max_length=64)
    usb_vendor = models.CharField(_("USB vendor id"), max_length=4, blank=True)
    usb_product = models.CharField(_("USB product id"), max_length=4, blank=True)
    identity = models.CharField(_("identity"), max_length=120, unique=True, editable=False)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    custodian = models.ForeignKey(
        USER, verbose_name=_("custodian"), on_delete=models.PROTECT, related_name="devices"
    )
    department = models.ForeignKey("accounts.Department", verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="devices")  # fmt: skip
    place = models.ForeignKey("sites.KeyPlace", verbose_name=_("place"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="devices")  # fmt: skip
    hosts = models.ManyToManyField("self", verbose_name=_("computers it may be used on"), symmetrical=False,
                                   blank=True, related_name="media")  # fmt: skip
    status = models.CharField(_("status"), max_length=20, choices=DeviceStatus.choices, default=DeviceStatus.PROCURED,
                              editable=False, db_index=True)  # fmt: skip
    procured_on = models.DateField(_("procured on"), default=timezone.localdate)
    commissioned_on = models.DateField(_("in use since"), null=True, blank=True, editable=False)
    check_months = models.PositiveSmallIntegerField(_("check every (months)"), default=6)
    next_check_on = models.DateField(_("next check due"), null=True, blank=True, editable=False)
    sanitised_on = models.DateField(_("sanitised on"), null=True, blank=True, editable=False)
    sanitisation = models.CharField(_("sanitisation method"), max_length=200, blank=True, editable=False)
    destroyed_by = models.ForeignKey("contractors.Contractor", verbose_name=_("destruction body"), null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+", editable=False)  # fmt: skip
    destruction_ref = models.CharField(_("destruction reference"), max_length=100, blank=True, editable=False)
    scrapped_on = models.DateField(_("scrapped on"), null=True, blank=True, editable=False)
    incident = models.ForeignKey("incidents.Incident", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", editable=False)  # fmt: skip
    note = models.TextField(_("note"), blank=True)
    registered_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["asset_number"]
        indexes = [models.Index(fields=["kind", "status"]), models.Index(fields=["department", "status"])]

    def __str__(self) -> str:
        return f"{self.asset_number} {self.model_name}"

    def audit_label(self) -> str:
        return self.asset_number

    @property
    def removable(self) -> bool:
        return self.kind in REMOVABLE_KINDS

    def usb_id(self) -> str:
        """``vendor:product`` as USBGuard writes it, or empty."""
        return f"{self.usb_vendor}:{self.usb_product}" if self.usb_vendor else ""


class DeviceCheck(models.Model):
    """A periodic check of a device: present, as registered, seals intact (SUP-6)."""

    device = models.ForeignKey(
        Device, verbose_name=_("device"), on_delete=models.PROTECT, related_name="checks"
    )
    checked_on = models.DateField(_("checked on"))
    result = models.CharField(_("result"), max_length=10, choices=CheckResult.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    checker = models.ForeignKey(
        USER, verbose_name=_("checked by"), on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("device check")
        verbose_name_plural = _("device checks")
        ordering = ["-checked_on", "-id"]

    def __str__(self) -> str:
        return f"{self.device_id} {self.checked_on}"

    def audit_label(self) -> str:
        return f"#{self.pk}"


class Maintenance(models.Model):
    """Maintenance of a device on site by a qualified contractor's technician, under a cleared
    supervisor of the unit (SUP-6, R-CAR-8, R-SITE-3)."""

    device = models.ForeignKey(Device, verbose_name=_("device"), on_delete=models.PROTECT,
                               related_name="maintenances")  # fmt: skip
    contractor = models.ForeignKey("contractors.Contractor", verbose_name=_("contractor"), on_delete=models.PROTECT,
                                   related_name="+")  # fmt: skip
    qualification = models.ForeignKey("contractors.Qualification", verbose_name=_("qualification relied on"),
                                      on_delete=models.PROTECT, related_name="+")  # fmt: skip
    technician = models.CharField(_("technician"), max_length=100)
    supervisor = models.ForeignKey(USER, verbose_name=_("on-site supervisor"), on_delete=models.PROTECT,
                                   related_name="+")  # fmt: skip
    fault = models.CharField(_("fault"), max_length=300)
    started_on = models.DateField(_("started on"))
    finished_on = models.DateField(_("finished on"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("maintenance")
        verbose_name_plural = _("maintenances")
        ordering = ["-started_on", "-id"]

    def __str__(self) -> str:
        return f"{self.device_id} {self.started_on}"

    def audit_label(self) -> str:
        return f"#{self.pk}"
