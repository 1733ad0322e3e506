"""Contractors (外协单位) with their 保密资质, and each engagement's scope, level and 保密协议
(SUP-13, R-SITE-3).

Carriers may be produced, copied, repaired or destroyed by an outside body, and classified
systems integrated, only by a contractor holding a current qualification of the right kind
whose grade covers the level. An expired or revoked qualification cannot be chosen. Only
``contractors.services`` changes these rows.
"""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.contractors.choices import (
    GRADE_CEILING,
    ContractorStatus,
    EngagementStatus,
    QualificationGrade,
    QualificationKind,
)
from baomi.core import levels
from baomi.core.levels import Level

USER = "accounts.User"


class Contractor(models.Model):
    """An outside body the unit engages for 涉密 work (SUP-13).

    Responsible: the security officer keeps the register. Invariants: unique name and unified
    social credit code; a suspended contractor cannot be engaged or chosen."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    credit_code = models.CharField(_("unified social credit code"), max_length=18, unique=True)
    contact = models.CharField(_("contact person"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=ContractorStatus.choices,
                              default=ContractorStatus.ACTIVE, editable=False)  # fmt: skip
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("contractor")
        verbose_name_plural = _("contractors")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def audit_label(self) -> str:
        return self.credit_code


class Qualification(models.Model):
    """A 保密资质 of a contractor: kind, grade, number, issuer, validity (R-SITE-3).

    Invariant: ``issued_on`` < ``expires_on``. It *covers* work of its kind up to its grade's
    ceiling on days within its validity, unless revoked."""

    contractor = models.ForeignKey(Contractor, verbose_name=_("contractor"), on_delete=models.PROTECT,
                                   related_name="qualifications")  # fmt: skip
    kind = models.CharField(_("kind"), max_length=20, choices=QualificationKind.choices)
    grade = models.CharField(_("grade"), max_length=10, choices=QualificationGrade.choices)
    number = models.CharField(_("certificate number"), max_length=60, unique=True)
    issuer = models.CharField(_("issued by"), max_length=100, blank=True)
    issued_on = models.DateField(_("issued on"))
    expires_on = models.DateField(_("expires on"), db_index=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)
    revocation_reason = models.CharField(_("revocation reason"), max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("secrecy qualification")
        verbose_name_plural = _("secrecy qualifications")
        ordering = ["contractor__name", "kind", "-expires_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_on__gt=models.F("issued_on")),
                name="contractors_qualification_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.get_grade_display()} {self.number}"

    def audit_label(self) -> str:
        return self.number

    @property
    def ceiling(self) -> str:
        return str(GRADE_CEILING[QualificationGrade(self.grade)])

    def covers(self, kind: str, level: str, on: date | None = None) -> bool:
        """Whether this qualification allows work of ``kind`` at ``level`` on ``on`` (R-SITE-3)."""
        day = on or timezone.localdate()
        if self.revoked_at is not None or self.kind != kind:
            return False
        if not self.issued_on <= day <= self.expires_on:
            return False
        return levels.rank(level) <= levels.rank(self.ceiling)

    def state(self, on: date | None = None) -> str:
        """``valid``, ``expired`` or ``revoked`` on ``on``."""
        day = on or timezone.localdate()
        if self.revoked_at is not None:
            return "revoked"
        return "expired" if self.expires_on < day else "valid"


class Engagement(models.Model):
    """One engagement of a contractor: the work (kind and scope), its level, the 保密协议 signed
    for it, the qualification that covers it and the unit's responsible person (R-SITE-3)."""

    contractor = models.ForeignKey(Contractor, verbose_name=_("contractor"), on_delete=models.PROTECT,
                                   related_name="engagements")  # fmt: skip
    qualification = models.ForeignKey(Qualification, verbose_name=_("qualification relied on"),
                                      on_delete=models.PROTECT, related_name="engagements")  # fmt: skip
    kind = models.CharField(_("kind of work"), max_length=20, choices=QualificationKind.choices)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    scope = models.CharField(_("scope"), max_length=300)
    agreement_ref = models.CharField(_("confidentiality agreement"), max_length=100)
    agreement_signed_on = models.DateField(_("agreement signed on"))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    responsible = models.ForeignKey(USER, verbose_name=_("responsible person of the unit"),
                                    on_delete=models.PROTECT, related_name="+")  # fmt: skip
    status = models.CharField(_("status"), max_length=20, choices=EngagementStatus.choices,
                              default=EngagementStatus.OPEN, editable=False)  # fmt: skip
    result = models.CharField(_("result"), max_length=300, blank=True, editable=False)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="contractors_engagement_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contractor} {self.scope[:30]}"

    def audit_label(self) -> str:
        return f"#{self.pk}"
