"""A ledger import run in the background (issue 19 §4: progress for long imports).

A large file is not imported inside the upload request (a worker's request timeout is two
minutes; 10,000 rows take about that): the upload queues an :class:`ImportRun`, the scheduler's
``imports.run`` job claims and runs it through the same ``import_ledger`` service, and the
upload page polls a small JSON status. The uploaded file is kept only until the run ends.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for the scheduler")
    RUNNING = "running", _("Running")
    DONE = "done", _("Finished")
    FAILED = "failed", _("Failed")


class ImportRun(models.Model):
    """One background import: who asked, which ledger and mode, how far it got, what it did.

    Responsible: the officer who uploaded it (only they see it). ``source`` holds the uploaded
    file, sealed, until the run ends; ``report`` the xlsx of the refused rows, sealed; ``result`` the counts and
    the first refused rows with their reasons."""

    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("ledger"), max_length=20)
    mode = models.CharField(_("import"), max_length=10)
    status = models.CharField(_("status"), max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED)
    file_name = models.CharField(_("file"), max_length=200, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    source = models.BinaryField(blank=True, default=b"")
    report = models.BinaryField(blank=True, default=b"")
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(_("queued at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("ledger import run")
        verbose_name_plural = _("ledger import runs")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"

    def audit_label(self) -> str:
        return f"#{self.pk} ({self.kind})"
