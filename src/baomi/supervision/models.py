"""Supervision records. For now the minimal incident (保密事件) that inventories and violation
reports open; the supervision work grows it (SUP-2)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class IncidentStatus(models.TextChoices):
    OPEN = "open", _("Open")
    INVESTIGATING = "investigating", _("Under investigation")
    CLOSED = "closed", _("Closed")


class Incident(models.Model):
    """A secrecy incident: something lost, leaked or suspected (SUP-2, R-INC).

    Responsible: the security officer. Invariant: immutable once closed.
    """

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=50, blank=True)  # inventory, report, ...
    source_ref = models.CharField(_("source reference"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=IncidentStatus.choices,
                              default=IncidentStatus.OPEN, editable=False)  # fmt: skip
    discovered_at = models.DateTimeField(_("discovered at"), default=timezone.now)
    opened_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")  # fmt: skip
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-opened_at"]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return f"#{self.pk}"
