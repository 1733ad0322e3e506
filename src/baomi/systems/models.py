"""Information systems (涉密信息系统 and ordinary office systems, SUP-7, R-SYS) with their
testing and evaluation, approval, risk assessments, patches and disaster-recovery drills.

A classified system's grade is the highest level it stores or processes (R-SYS-1): it is never
below what its registered devices (and the carriers on them) carry. It goes live only after
testing and evaluation and the 保密局's approval (R-SYS-2). Risk assessments follow the legal
cadence — 绝密 yearly, 机密/秘密 every two years, and again after a change of level, user scope
or environment (R-SYS-3). Only ``systems.services`` changes these rows.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from baomi.core.levels import Level
from baomi.systems.choices import AssessmentReason, Outcome, ReviewKind, SystemKind, SystemStatus

USER = "accounts.User"


class InformationSystem(models.Model):
    """One information system.

    Responsible: its three administrators (system administrator, security officer, auditor —
    three different people, 三员分立, SEC-2) run it; the security office keeps the register.
    Invariants: ``code`` unique; a classified system's ``grade`` is a state-secret level no
    lower than anything registered on it; an office system holds no state secret (R-SYS-4);
    ``next_assessment_on`` is computed by the services (R-SYS-3)."""

    name = models.CharField(_("name"), max_length=100)
    code = models.CharField(_("code"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=SystemKind.choices)
    grade = models.CharField(_("grade"), max_length=20, choices=Level.choices)
    department = models.ForeignKey("accounts.Department", verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="information_systems")  # fmt: skip
    place = models.ForeignKey("sites.KeyPlace", verbose_name=_("machine room"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="information_systems")  # fmt: skip
    isolation = models.CharField(_("isolation measures"), max_length=300)
    users_scope = models.CharField(_("user scope"), max_length=300)
    user_count = models.PositiveIntegerField(_("number of users"), default=0)
    system_admin = models.ForeignKey(USER, verbose_name=_("system administrator"), on_delete=models.PROTECT,
                                     related_name="+")  # fmt: skip
    security_admin = models.ForeignKey(USER, verbose_name=_("security officer of the system"),
                                       on_delete=models.PROTECT, related_name="+")  # fmt: skip
    auditor = models.ForeignKey(
        USER, verbose_name=_("security auditor"), on_delete=models.PROTECT, related_name="+"
    )
    devices = models.ManyToManyField("devices.Device", verbose_name=_("terminals and servers"), blank=True,
                                     related_name="information_systems")  # fmt: skip
    status = models.CharField(_("status"), max_length=20, choices=SystemStatus.choices,
                              default=SystemStatus.PLANNING, editable=False, db_index=True)  # fmt: skip
    live_on = models.DateField(_("in operation since"), null=True, blank=True, editable=False)
    next_assessment_on = models.DateField(
        _("next risk assessment due"), null=True, blank=True, editable=False
    )
    reassess_since = models.DateField(
        _("changed since the last assessment"), null=True, blank=True, editable=False
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("information system")
        verbose_name_plural = _("information systems")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def audit_label(self) -> str:
        return self.code

    def administrators(self) -> list[int]:
        return [self.system_admin_id, self.security_admin_id, self.auditor_id]


class SystemReview(models.Model):
    """Testing and evaluation (检测评估) by an authorised body, or the approval of a 保密局 at
    city level or above, before a classified system goes live (R-SYS-2)."""

    system = models.ForeignKey(InformationSystem, verbose_name=_("system"), on_delete=models.PROTECT,
                               related_name="reviews")  # fmt: skip
    kind = models.CharField(_("kind"), max_length=20, choices=ReviewKind.choices)
    body = models.CharField(_("body"), max_length=200)
    reference = models.CharField(_("reference"), max_length=100)
    held_on = models.DateField(_("date"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("system review")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.system_id} {self.kind} {self.held_on}"

    def audit_label(self) -> str:
        return f"#{self.pk}"


class RiskAssessment(models.Model):
    """A security risk assessment of a system (R-SYS-3), with the next one's due date."""

    system = models.ForeignKey(InformationSystem, verbose_name=_("system"), on_delete=models.PROTECT,
                               related_name="assessments")  # fmt: skip
    assessed_on = models.DateField(_("assessed on"))
    reason = models.CharField(_("reason"), max_length=20, choices=AssessmentReason.choices)
    assessor = models.CharField(_("assessed by"), max_length=200)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    findings = models.TextField(pgettext_lazy("registers", "findings"), blank=True)
    next_due_on = models.DateField(pgettext_lazy("registers", "next due"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.system_id} {self.assessed_on}"

    def audit_label(self) -> str:
        return f"#{self.pk}"


class Patch(models.Model):
    """A security patch applied to a system (SUP-7)."""

    system = models.ForeignKey(InformationSystem, verbose_name=_("system"), on_delete=models.PROTECT,
                               related_name="patches")  # fmt: skip
    applied_on = models.DateField(_("applied on"))
    reference = models.CharField(_("patch"), max_length=100)
    description = models.CharField(_("description"), max_length=300, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.PASSED)
    applied_by = models.ForeignKey(
        USER, verbose_name=_("applied by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("patch")
        verbose_name_plural = _("patches")
        ordering = ["-applied_on", "-id"]

    def __str__(self) -> str:
        return self.reference

    def audit_label(self) -> str:
        return f"#{self.pk}"


class RecoveryDrill(models.Model):
    """A disaster-recovery drill of a system, with its result (SUP-7)."""

    system = models.ForeignKey(InformationSystem, verbose_name=_("system"), on_delete=models.PROTECT,
                               related_name="drills")  # fmt: skip
    held_on = models.DateField(_("held on"))
    scenario = models.CharField(_("scenario"), max_length=300)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices)
    recovery_minutes = models.PositiveIntegerField(_("recovery time (minutes)"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("disaster-recovery drill")
        verbose_name_plural = _("disaster-recovery drills")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.system_id} {self.held_on}"

    def audit_label(self) -> str:
        return f"#{self.pk}"
