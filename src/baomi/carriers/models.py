"""The carrier registry (涉密载体台账): one row per copy; every ledger is a view of it (CAR-12).

A carrier is one copy of a classified item — paper, electronic file, medium, device, secret
product — with its own permanent registry number, 份号, custodian, place and lifecycle (CAR-1).
Only carrier services change these rows.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.carriers.choices import CarrierKind, CarrierStatus
from baomi.core.levels import Level


class Carrier(models.Model):
    """One registered carrier.

    Responsible: the custodian (责任人) holds it; the security office keeps the registry.
    Invariants: ``registry_number`` is unique and permanent, allocated without gaps per unit,
    year and kind (``RegistrySequence``); ``level`` mirrors the item's level (kept in step by
    the classification services) so ledgers filter without a join; a destroyed carrier stays.
    """

    registry_number = models.CharField(_("registry number"), max_length=40, unique=True, editable=False)
    year = models.PositiveIntegerField(_("year"), editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=CarrierKind.choices)
    sequence = models.PositiveIntegerField(_("sequence"), editable=False)
    copy_number = models.CharField(_("copy number"), max_length=6, editable=False)
    item = models.ForeignKey("classification.Item", verbose_name=_("classified item"), on_delete=models.PROTECT,
                             related_name="carriers")  # fmt: skip
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, editable=False, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(_("status"), max_length=20, choices=CarrierStatus.choices,
                              default=CarrierStatus.REGISTERED, editable=False, db_index=True)  # fmt: skip
    custodian = models.ForeignKey("accounts.User", verbose_name=_("custodian"), on_delete=models.PROTECT,
                                  related_name="custody")  # fmt: skip
    department = models.ForeignKey("accounts.Department", verbose_name=_("department"),
                                   on_delete=models.PROTECT, related_name="carriers")  # fmt: skip
    storage_place = models.CharField(_("storage place"), max_length=200, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    made_on = models.DateField(_("date made"), default=timezone.localdate)
    produced_at = models.CharField(_("where produced"), max_length=200, blank=True)
    produced_on_device = models.CharField(_("device produced on"), max_length=200, blank=True)
    originator = models.CharField(_("originator"), max_length=200, blank=True)
    parent = models.ForeignKey("self", verbose_name=_("copied from"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="copies")  # fmt: skip
    blob = models.ForeignKey("vault.Blob", verbose_name=_("encrypted content"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="carriers")  # fmt: skip
    registered_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("carrier")
        verbose_name_plural = _("carriers")
        ordering = ["-registered_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind", "sequence"], name="carrier_number_once"),
        ]
        indexes = [
            models.Index(fields=["custodian", "status"]),
            models.Index(fields=["department", "status"]),
            models.Index(fields=["-registered_at", "-id"], name="carrier_newest"),
        ]

    def __str__(self) -> str:
        return self.registry_number

    def audit_label(self) -> str:
        return self.registry_number  # the number, never the title (CAR-2)


class RegistrySequence(models.Model):
    """The next registry sequence per year and kind; rows are locked while a number is taken,
    so numbers are unique and gapless under concurrent registration (CAR-1)."""

    year = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=CarrierKind.choices)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "kind"], name="registry_sequence_once")]

    def __str__(self) -> str:
        return f"{self.year}/{self.kind}: {self.last}"
