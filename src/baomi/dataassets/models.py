"""Data assets (数据资产, SUP-8, R-DATA): data sets with category, grade (核心/重要/一般 —
GB/T 43697-2024, kept apart from 密级, R-DATA-2), owner, protective measures and processors.

Important (and core) data needs a named network-data-security officer and a yearly risk
assessment, reported to the provincial authority (R-DATA-4). Data that might become a state
secret once aggregated is flagged and reviewed (R-DATA-7). Only ``dataassets.services``
changes these rows.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from baomi.dataassets.choices import AggregationReview, AssetStatus, DataCategory, DataGrade, DataOutcome

USER = "accounts.User"


class DataAsset(models.Model):
    """One data set.

    Responsible: its owner (a department and a person); the security office keeps the
    register. Invariants: ``code`` unique; important or core data names an ``officer``
    (R-DATA-4); ``next_assessment_on`` is computed by the services for those grades."""

    name = models.CharField(_("name"), max_length=200)
    code = models.CharField(_("code"), max_length=30, unique=True)
    category = models.CharField(
        pgettext_lazy("registers", "category"), max_length=20, choices=DataCategory.choices
    )
    grade = models.CharField(_("data grade"), max_length=10, choices=DataGrade.choices)
    department = models.ForeignKey("accounts.Department", verbose_name=_("owning department"),
                                   on_delete=models.PROTECT, related_name="data_assets")  # fmt: skip
    owner = models.ForeignKey(
        USER, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="owned_data"
    )
    officer = models.ForeignKey(USER, verbose_name=_("data security officer"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="data_assets_officer")  # fmt: skip
    system = models.ForeignKey("systems.InformationSystem", verbose_name=_("system holding it"), null=True,
                               blank=True, on_delete=models.PROTECT, related_name="data_assets")  # fmt: skip
    measures = models.CharField(_("protective measures"), max_length=300)
    processors = models.CharField(_("processors"), max_length=300, blank=True,
                                  help_text=_("Who processes it besides the owner (entrusted or joint)."))  # fmt: skip
    records = models.PositiveBigIntegerField(_("number of records"), null=True, blank=True)
    personal_information = models.BooleanField(_("contains personal information"), default=False)
    aggregation = models.CharField(_("aggregation risk"), max_length=20, choices=AggregationReview.choices,
                                   default=AggregationReview.NONE, editable=False)  # fmt: skip
    aggregation_note = models.CharField(_("aggregation review"), max_length=300, blank=True, editable=False)
    status = models.CharField(_("status"), max_length=10, choices=AssetStatus.choices, default=AssetStatus.ACTIVE,
                              editable=False)  # fmt: skip
    next_assessment_on = models.DateField(
        _("next risk assessment due"), null=True, blank=True, editable=False
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("data asset")
        verbose_name_plural = _("data assets")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def audit_label(self) -> str:
        return self.code


class DataAssessment(models.Model):
    """A yearly risk assessment of important data, as reported to the provincial authority
    (R-DATA-4: encryption, backup, label identification and access control among its contents)."""

    asset = models.ForeignKey(DataAsset, verbose_name=_("data asset"), on_delete=models.PROTECT,
                              related_name="assessments")  # fmt: skip
    assessed_on = models.DateField(_("assessed on"))
    assessor = models.CharField(_("assessed by"), max_length=200)
    outcome = models.CharField(_("outcome"), max_length=10, choices=DataOutcome.choices)
    findings = models.TextField(pgettext_lazy("registers", "findings"), blank=True)
    reported_on = models.DateField(_("reported to the authority on"), null=True, blank=True)
    next_due_on = models.DateField(pgettext_lazy("registers", "next due"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("data risk assessment")
        verbose_name_plural = _("data risk assessments")
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.asset_id} {self.assessed_on}"

    def audit_label(self) -> str:
        return f"#{self.pk}"
