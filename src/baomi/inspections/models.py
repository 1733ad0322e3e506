"""Inspections and self-assessment (保密检查, 自查自评; SUP-1, R-SITE-4) and rectification (整改).

- A ``Template`` is one version of a checklist: areas (the 13 of 实施条例 Art 58 in the default
  template) with check items (text, how to check, score, evidence required, optional probe).
  Drafts are edited; a published version never changes, so a run keeps the version it used.
  Versions of one checklist share a ``family``.
- A ``Plan`` recurs (monthly self-check, quarterly patrol, annual self-assessment) or runs once
  (ad hoc), over departments and places, with inspectors and a due date; the scheduler opens its
  runs when due.
- A ``Run`` is one inspection of one department, place or the whole unit: an ``Answer`` per check
  item (符合/不符合/不适用, notes, evidence in the vault; a measured figure where the item names a
  probe, ``baomi.kit.probes``), ``Finding``\\ s with severity, and scores per area and in total.
- A ``RectificationTask`` is what a finding asks of its owner (the department head by default):
  measures, deadline, the owner's report and evidence, the inspector's verification. A finding
  closes only when all its tasks are verified.

Only the services in ``inspections/services.py`` write.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.inspections.choices import (
    FindingStatus,
    PlanKind,
    Result,
    RunStatus,
    Severity,
    TaskStatus,
    TemplateStatus,
)

USER = "accounts.User"


class Template(models.Model):
    """One version of a checklist template (SUP-1). Responsible: the security officer.
    Invariant: only a draft's areas and items change; ``(family, version)`` is unique."""

    family = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    name = models.CharField(_("name"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=TemplateStatus.choices,
                              default=TemplateStatus.DRAFT, editable=False)  # fmt: skip
    is_default = models.BooleanField(_("shipped default"), default=False, editable=False)
    based_on = models.ForeignKey("self", verbose_name=_("copied from"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+", editable=False)  # fmt: skip
    created_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("checklist template")
        ordering = ["name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["family", "version"], name="inspection_template_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"

    def audit_label(self) -> str:
        return f"{self.name} v{self.version}"


class Area(models.Model):
    """An area of a checklist (one of the 13 of 实施条例 Art 58 in the default template)."""

    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="areas")
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)

    class Meta:
        verbose_name = _("area")
        ordering = ["template", "number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="inspection_area_once")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


class CheckItem(models.Model):
    """A check item: what to check, how, its score, whether evidence is required and, for a
    measured check, the key of the probe that computes it (``baomi.kit.probes``)."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="items")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.CharField(_("check item"), max_length=500)
    how_to_check = models.TextField(_("how to check"), blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1, default=Decimal("5"))
    evidence_required = models.BooleanField(_("evidence required"), default=False)
    probe = models.CharField(_("measured by"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("check item")
        ordering = ["area__number", "number"]
        constraints = [models.UniqueConstraint(fields=["area", "number"], name="inspection_item_once")]

    def __str__(self) -> str:
        return f"{self.area.number}.{self.number} {self.text}"


class Plan(models.Model):
    """An inspection plan (SUP-1): kind, checklist, scope (departments and places), inspectors
    and the next due date. Responsible: the security officer."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PlanKind.choices)
    template = models.ForeignKey(Template, verbose_name=_("checklist"), on_delete=models.PROTECT,
                                 related_name="plans")  # fmt: skip
    departments = models.ManyToManyField("accounts.Department", verbose_name=_("departments"), blank=True,
                                         related_name="+")  # fmt: skip
    places = models.CharField(_("places"), max_length=500, blank=True,
                              help_text=_("Key places or other places, separated by semicolons."))  # fmt: skip
    lead = models.ForeignKey(
        USER, verbose_name=_("lead inspector"), on_delete=models.PROTECT, related_name="+"
    )
    inspectors = models.ManyToManyField(USER, verbose_name=_("inspectors"), blank=True, related_name="+")  # type: ignore[var-annotated]
    due_on = models.DateField(_("next due"))
    active = models.BooleanField(_("active"), default=True, editable=False)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("inspection plan")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return f"#{self.pk}"

    def place_list(self) -> list[str]:
        return [p.strip() for p in self.places.replace("；", ";").split(";") if p.strip()]


class Run(models.Model):
    """One inspection (SUP-1) of a department, a place or the whole unit, on one template
    version. Invariant: answers and findings change only while it is open; ``score`` and
    ``max_score`` are fixed when it completes."""

    plan = models.ForeignKey(Plan, verbose_name=_("plan"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="runs")  # fmt: skip
    template = models.ForeignKey(Template, verbose_name=_("checklist"), on_delete=models.PROTECT,
                                 related_name="runs")  # fmt: skip
    kind = models.CharField(_("kind"), max_length=20, choices=PlanKind.choices)
    title = models.CharField(_("title"), max_length=200)
    department = models.ForeignKey("accounts.Department", verbose_name=_("department inspected"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")  # fmt: skip
    place = models.CharField(_("place inspected"), max_length=200, blank=True)
    lead = models.ForeignKey(
        USER, verbose_name=_("lead inspector"), on_delete=models.PROTECT, related_name="+"
    )
    inspectors = models.ManyToManyField(USER, verbose_name=_("inspectors"), blank=True, related_name="+")  # type: ignore[var-annotated]
    due_on = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=20, choices=RunStatus.choices, default=RunStatus.OPEN,
                              editable=False)  # fmt: skip
    opened_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now, editable=False)
    measured_at = models.DateTimeField(_("measured at"), null=True, blank=True, editable=False)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True, editable=False)
    completed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     editable=False)  # fmt: skip
    score = models.DecimalField(
        _("score"), max_digits=7, decimal_places=1, null=True, blank=True, editable=False
    )
    max_score = models.DecimalField(_("out of"), max_digits=7, decimal_places=1, null=True, blank=True,
                                    editable=False)  # fmt: skip
    summary = models.TextField(_("summary"), blank=True, editable=False)
    reminded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("inspection")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["status", "due_on"], name="inspection_run_due")]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return f"#{self.pk}"

    @property
    def scope_label(self) -> str:
        return self.place or (self.department.name if self.department is not None else str(_("Whole unit")))


class Answer(models.Model):
    """The answer to one check item in a run. For a measured item: the figure, the exceptions
    (labels and link ids, never classified text) and the suggested result; the inspector
    confirms it or overrides it with a reason (both audited)."""

    run = models.ForeignKey(Run, on_delete=models.PROTECT, related_name="answers")
    item = models.ForeignKey(CheckItem, on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("result"), max_length=20, choices=Result.choices, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True, editable=False)
    evidence = models.ManyToManyField("vault.Blob", verbose_name=_("evidence"), blank=True, related_name="+")
    answered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    editable=False)  # fmt: skip
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True, editable=False)
    measured = models.JSONField(_("measurement"), null=True, blank=True, editable=False)
    suggested = models.CharField(_("suggested result"), max_length=20, choices=Result.choices, blank=True,
                                 editable=False)  # fmt: skip
    confirmed = models.BooleanField(_("confirmed"), default=False, editable=False)
    override_reason = models.CharField(_("reason for overriding"), max_length=300, blank=True, editable=False)

    class Meta:
        verbose_name = _("answer")
        ordering = ["item__area__number", "item__number"]
        constraints = [models.UniqueConstraint(fields=["run", "item"], name="inspection_answer_once")]

    def __str__(self) -> str:
        return f"{self.run_id}:{self.item_id}"

    def audit_label(self) -> str:
        return f"#{self.run_id}/{self.item_id}"


class Finding(models.Model):
    """A problem found by a run (SUP-1), with its severity and the department or place that must
    rectify it — or by a register's own periodic check (a key place, a device: ``run`` is empty
    and ``origin``/``origin_id`` name the check, ``baomi.kit.rectification``; its checker, the
    ``recorded_by``, plays the inspector). Invariant: closed only when every task is verified."""

    run = models.ForeignKey(Run, on_delete=models.PROTECT, related_name="findings", null=True, blank=True)
    origin = models.CharField(_("found by"), max_length=40, blank=True, editable=False)
    origin_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    origin_label = models.CharField(_("found by"), max_length=200, blank=True, editable=False)
    origin_url = models.CharField(max_length=200, blank=True, editable=False)  # the check's page
    item = models.ForeignKey(CheckItem, verbose_name=_("check item"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")  # fmt: skip
    department = models.ForeignKey("accounts.Department", verbose_name=_("department"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")  # fmt: skip
    place = models.CharField(_("place"), max_length=200, blank=True)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.GENERAL
    )
    description = models.TextField(_("problem found"))
    status = models.CharField(_("status"), max_length=20, choices=FindingStatus.choices,
                              default=FindingStatus.OPEN, editable=False)  # fmt: skip
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("finding")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["origin", "origin_id"], name="inspection_finding_origin")]
        constraints = [
            models.CheckConstraint(condition=models.Q(run__isnull=False) | ~models.Q(origin=""),
                                   name="inspection_finding_source"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"#{self.pk}"

    def audit_label(self) -> str:
        return f"#{self.pk}"

    @property
    def source_title(self) -> str:
        """What found it: the inspection's title or the register check's label."""
        return self.run.title if self.run is not None else self.origin_label


class RectificationTask(models.Model):
    """What a finding asks of its owner (整改): measures, deadline, the owner's report and
    evidence, the inspector's verification (SUP-1). Nobody verifies their own task."""

    finding = models.ForeignKey(Finding, on_delete=models.PROTECT, related_name="tasks")
    owner = models.ForeignKey(USER, verbose_name=_("owner"), on_delete=models.PROTECT,
                              related_name="rectification_tasks")  # fmt: skip
    deadline = models.DateField(_("deadline"))
    measures = models.TextField(_("measures required"))
    status = models.CharField(_("status"), max_length=20, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED,
                              editable=False)  # fmt: skip
    report = models.TextField(_("rectification report"), blank=True, editable=False)
    evidence = models.ManyToManyField("vault.Blob", verbose_name=_("evidence"), blank=True, related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    verified_by = models.ForeignKey(USER, verbose_name=_("verified by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+", editable=False)  # fmt: skip
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True, editable=False)
    return_reason = models.CharField(_("reason for returning"), max_length=300, blank=True, editable=False)
    reminded_on = models.DateField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("rectification task")
        ordering = ["deadline", "id"]
        indexes = [models.Index(fields=["status", "deadline"], name="inspection_task_due")]

    def __str__(self) -> str:
        return f"#{self.pk}"

    def audit_label(self) -> str:
        return f"#{self.pk}"

    @property
    def open(self) -> bool:
        return self.status in (TaskStatus.ASSIGNED, TaskStatus.RETURNED, TaskStatus.SUBMITTED)

    def is_overdue(self, today: object = None) -> bool:
        day = today or timezone.localdate()
        return self.status in (TaskStatus.ASSIGNED, TaskStatus.RETURNED) and self.deadline < day  # type: ignore[operator]
