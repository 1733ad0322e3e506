"""Classified items (涉密事项), the classification guide and need-to-know scopes.

A classified item is information with a determination: level, duration, scope, basis,
authority and history (CLS-2). Its carriers (copies) live in ``carriers``; every carrier shows
the item's mark. Only classification services change these rows.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.classification.choices import DurationKind, DurationUnit, ItemStatus, Origin, StartBasis
from baomi.core.levels import Level


class GuideEntry(models.Model):
    """An entry of the unit's 国家秘密事项一览表 (classification guide, CLS-11, R-DET-8).

    Maintained by the security officer. Picking one suggests a level and a duration for a new
    item; it never pre-fills the legal maximum (R-DUR-4).
    """

    code = models.CharField(_("code"), max_length=30, unique=True)
    title = models.CharField(_("matter"), max_length=300)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    duration_kind = models.CharField(_("duration kind"), max_length=10, choices=DurationKind.choices,
                                     default=DurationKind.PERIOD)  # fmt: skip
    duration_value = models.PositiveIntegerField(_("duration"), null=True, blank=True)
    duration_unit = models.CharField(_("unit"), max_length=10, choices=DurationUnit.choices, blank=True)
    scope_note = models.CharField(_("usual scope"), max_length=300, blank=True)
    basis_ref = models.CharField(_("保密事项范围 reference"), max_length=300, blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("guide entry")
        verbose_name_plural = _("guide entries")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class Item(models.Model):
    """A classified item: the information, distinct from its carriers (CLS-2).

    Responsible: the case handler proposes, a classification authority determines (CLS-4).
    Invariants: exactly one duration form (CLS-3); above-cap or long-term only with a recorded
    basis (R-DUR-6); ``mark_mac`` binds the mark to the item (R-CRYPTO-5).
    """

    title = models.CharField(_("title"), max_length=300)
    reference = models.CharField(_("document number"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=ItemStatus.choices,
                              default=ItemStatus.PROPOSED, editable=False, db_index=True)  # fmt: skip
    # Duration: a tagged union (R-DUR-2), checked by a constraint below.
    duration_kind = models.CharField(_("duration kind"), max_length=10, choices=DurationKind.choices)
    duration_value = models.PositiveIntegerField(_("duration"), null=True, blank=True)
    duration_unit = models.CharField(_("unit"), max_length=10, choices=DurationUnit.choices, blank=True)
    until_date = models.DateField(_("declassification date"), null=True, blank=True)
    condition = models.CharField(_("declassification condition"), max_length=300, blank=True)
    long_term = models.BooleanField(_("long-term"), default=False)
    duration_basis = models.CharField(_("basis for a long or above-cap duration"), max_length=300, blank=True)
    period_start = models.DateField(_("period start"), null=True, blank=True)
    start_basis = models.CharField(_("start basis"), max_length=30, choices=StartBasis.choices,
                                   default=StartBasis.MARKED_ISSUE_DATE)  # fmt: skip
    # Basis (定密依据): a guide entry or a 保密事项范围 clause.
    guide_entry = models.ForeignKey(GuideEntry, verbose_name=_("guide entry"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="items")  # fmt: skip
    basis_text = models.CharField(_("basis"), max_length=300, blank=True)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices, default=Origin.ORIGINAL)
    sources = models.ManyToManyField("self", verbose_name=_("sources"), symmetrical=False, blank=True,
                                     related_name="derived_items")  # fmt: skip
    secret_points = models.TextField(_("secret points"), blank=True)
    personal_info = models.BooleanField(_("contains personal information"), default=False)
    personal_info_sensitive = models.BooleanField(_("sensitive personal information"), default=False)
    department = models.ForeignKey("accounts.Department", verbose_name=_("originating department"),
                                   on_delete=models.PROTECT, related_name="items")  # fmt: skip
    proposed_by = models.ForeignKey("accounts.User", verbose_name=_("case handler"), on_delete=models.PROTECT,
                                    related_name="proposed_items")  # fmt: skip
    determined_by = models.ForeignKey("accounts.User", verbose_name=_("classification authority"), null=True,
                                      blank=True, on_delete=models.PROTECT, related_name="determined_items")  # fmt: skip
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    determined_at = models.DateTimeField(_("determined at"), null=True, blank=True, editable=False)
    declassified_at = models.DateTimeField(_("declassified at"), null=True, blank=True, editable=False)
    mark_mac = models.CharField(_("mark MAC"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("classified item")
        verbose_name_plural = _("classified items")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                name="item_duration_is_one_form",
                condition=(
                    Q(duration_kind="period", until_date__isnull=True, condition="")
                    & (Q(duration_value__isnull=False) | Q(long_term=True))
                )
                | Q(
                    duration_kind="until", until_date__isnull=False, duration_value__isnull=True, condition=""
                )
                | Q(duration_kind="condition", until_date__isnull=True, duration_value__isnull=True)
                & ~Q(condition=""),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return f"#{self.pk}"  # the title is content: never copied into the audit trail (CAR-2)


class ItemScope(models.Model):
    """One entry of an item's need-to-know scope (知悉范围, CAR-3, R-SCOPE-1/2): a person or a
    department (expanding to its members), optionally limited in time. Grants to outsiders come
    from an approved expansion request."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="scope")
    user = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="item_scopes")  # fmt: skip
    department = models.ForeignKey("accounts.Department", null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="item_scopes")  # fmt: skip
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    granted_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")  # fmt: skip
    granted_at = models.DateTimeField(_("granted at"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("scope entry")
        verbose_name_plural = _("scope entries")
        constraints = [
            models.CheckConstraint(
                name="itemscope_person_or_department",
                condition=Q(user__isnull=False, department__isnull=True)
                | Q(user__isnull=True, department__isnull=False),
            ),
        ]
        indexes = [models.Index(fields=["user", "item"]), models.Index(fields=["department", "item"])]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.user or self.department}"
