"""The audit trail (SEC-3): append-only entries, each bound by a keyed MAC.

Who is responsible: the auditor (安全审计员) reads it; nobody changes it. ``save()`` refuses
updates, ``delete()`` refuses, and on PostgreSQL a trigger refuses UPDATE and DELETE. Entries
keep the actor's name and the target's label and level as text at that time, so they stay
readable when the user or the target changes later.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from baomi.audit.events import AuditEvent


class AppendOnlyError(Exception):
    pass


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit entries are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit entries are append-only")


class Outcome(models.TextChoices):
    OK = "ok", _("Succeeded")
    DENIED = "denied", _("Denied")
    FAILED = "failed", _("Failed")


class AuditEntry(models.Model):
    """One audited action. The MAC covers every field but itself (R-AUD, R-CRYPTO-4)."""

    time = models.DateTimeField(_("time"), db_index=True)
    actor_id = models.BigIntegerField(_("actor id"), null=True, db_index=True)
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    actor_roles = models.CharField(_("actor roles"), max_length=200, blank=True)
    event = models.PositiveIntegerField(_("event"), choices=AuditEvent.choices, db_index=True)
    target_type = models.CharField(_("target type"), max_length=60, blank=True, db_index=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True, db_index=True)
    target_label = models.CharField(_("target"), max_length=300, blank=True)
    target_level = models.CharField(_("target level"), max_length=20, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.OK)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10)
    request_id = models.CharField(_("request id"), max_length=32, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True)
    mac = models.CharField(_("MAC"), max_length=64, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_event_display()}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or kwargs.get("force_update"):
            raise AppendOnlyError("audit entries are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("audit entries are append-only")
