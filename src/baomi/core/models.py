"""Core models: the scheduler's run record (OPS-2) and the demo-data marker."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """One run of a scheduled job for one time slot. The unique (job, slot) pair is the lock
    that makes a job run once per slot even when several servers run the scheduler (OPS-2)."""

    job = models.CharField(_("job"), max_length=100)
    slot = models.CharField(_("slot"), max_length=40)
    started_at = models.DateTimeField(_("started at"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    ok = models.BooleanField(_("succeeded"), null=True)
    result = models.JSONField(_("result"), default=dict, blank=True)
    # Whether the run was written to the audit trail as JOB_RAN: a quiet run (it changed nothing
    # and did not fail) is written only as the job's periodic heartbeat (kit/jobs.py).
    audited = models.BooleanField(_("audited"), default=False)

    class Meta:
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")
        constraints = [models.UniqueConstraint(fields=["job", "slot"], name="core_jobrun_once_per_slot")]

    def __str__(self) -> str:
        return f"{self.job}@{self.slot}"


class DemoMarker(models.Model):
    """Present once the demo data of a part has been loaded, so ``baomi demo`` is idempotent."""

    part = models.CharField(max_length=50, unique=True)
    loaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("demo marker")

    def __str__(self) -> str:
        return self.part


class ExportSequence(models.Model):
    """The last 份号 given to each kind of exported document (issue 12 §4, R-MARK-5): every
    export of a document — the ledger, the user list, a report — takes the next number of its
    own sequence, so a sheet found on a desk names its place in that series, not an audit id.
    The row is locked while a number is taken: numbers are unique and gapless per document
    (a rolled-back export gives its number back)."""

    document = models.CharField(_("document"), max_length=60, unique=True)
    last = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("export sequence")
        verbose_name_plural = _("export sequences")

    def __str__(self) -> str:
        return f"{self.document}: {self.last}"

    @classmethod
    def take(cls, document: str) -> int:
        """The next number of ``document``'s sequence; call inside the export's transaction."""
        from django.db import IntegrityError, transaction

        row = cls.objects.select_for_update().filter(document=document).first()
        if row is None:
            try:
                with transaction.atomic():
                    cls.objects.create(document=document, last=0)
            except IntegrityError:
                pass  # another export created it first; lock theirs below
            row = cls.objects.select_for_update().get(document=document)
        row.last += 1
        row.save(update_fields=["last"])
        return row.last
