"""The annual report of the unit's 保密 work (SUP-14, R-SITE-4).

One report per year. The figures are drawn from the records (``statistics``) and kept with the
report as a snapshot of the tables the text was written against; the prose of each of the 13
areas of 实施条例 Art 58 is drafted from those figures and then edited by the security officer.
Regenerating refreshes the figures and redrafts the prose, but never overwrites prose the
officer edited without being told to.

The report is itself a 工作秘密 document: registering it proposes a classified item at that level
(``item``; its mark is the work-secret mark) and stores the PDF encrypted in the vault (``pdf``).
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.core.levels import Level


class AnnualReport(models.Model):
    """The unit's annual 保密工作 report for ``year``.

    Responsible: the security officer drafts, edits and registers it; the unit head reads it.
    Invariants: one per year; ``level`` is always 工作秘密; ``sections`` keep for each area the
    drafted prose (``draft``) and the current prose (``text``) — they differ once edited.
    """

    year = models.PositiveIntegerField(_("year"), unique=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, default=Level.WORK_SECRET,
                             editable=False)  # fmt: skip
    sections = models.JSONField(_("sections"), default=list, editable=False)
    figures = models.JSONField(_("figures"), default=list, editable=False)
    drafted_by = models.ForeignKey("accounts.User", null=True, on_delete=models.PROTECT, related_name="+",
                                   editable=False)  # fmt: skip
    drafted_at = models.DateTimeField(_("drafted at"), default=timezone.now, editable=False)
    edited_at = models.DateTimeField(_("edited at"), null=True, blank=True, editable=False)
    item = models.ForeignKey("classification.Item", verbose_name=_("classified item"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+", editable=False)  # fmt: skip
    pdf = models.ForeignKey("vault.Blob", verbose_name=_("stored PDF"), null=True, blank=True,
                            on_delete=models.PROTECT, related_name="+", editable=False)  # fmt: skip
    registered_at = models.DateTimeField(_("registered at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}"

    def audit_label(self) -> str:
        return f"{self.year}"

    def mark_text(self) -> str:
        """The work-secret mark (R-WS-2: never ★); the registered item's own once registered."""
        if self.item is not None:
            return str(self.item.mark_text())
        from baomi.core.marks import make_mark

        return make_mark(self.level)

    def edited_sections(self) -> list[dict[str, Any]]:
        return [s for s in self.sections if s.get("text", "") != s.get("draft", "")]

    def figures_by_key(self) -> dict[str, dict[str, Any]]:
        return {f["key"]: f for f in self.figures}
