"""Visits of outside persons (访客, SUP-4).

A visit names the visitor (identity document type, the number sealed in the vault — only a
masked form is stored in the clear), organisation, host, purpose, the key places it enters and
other areas, the expected time in and out, the escort, and the actual check-in and check-out.
Entering a key place needs the approval of that place's responsible person first
(:class:`VisitApproval`, one per place): check-in is refused without it. Only
``visitors.services`` changes these rows.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.kit.requests import Request
from baomi.visitors.choices import IdentityType, VisitStatus

USER = "accounts.User"


class Visit(models.Model):
    """One visit. Responsible: the host (and the escort inside key places); the security office
    keeps the register and checks visitors in and out.

    Invariants: ``expected_end`` is after ``expected_start`` (a database constraint too); the
    identity number is only in ``identity`` (a vault blob, encrypted); ``status`` moves only
    through ``lifecycle.VISIT_TRANSITIONS``; check-in needs every place's approval."""

    visitor_name = models.CharField(_("visitor"), max_length=100)
    id_type = models.CharField(_("identity document"), max_length=20, choices=IdentityType.choices)
    id_masked = models.CharField(_("identity number (masked)"), max_length=40, editable=False)
    identity = models.ForeignKey("vault.Blob", verbose_name=_("identity number (encrypted)"), on_delete=models.PROTECT,
                                 related_name="+", editable=False)  # fmt: skip
    organisation = models.CharField(_("organisation"), max_length=200)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    host = models.ForeignKey(
        USER, verbose_name=_("host"), on_delete=models.PROTECT, related_name="hosted_visits"
    )
    purpose = models.CharField(_("purpose"), max_length=300)
    places = models.ManyToManyField("sites.KeyPlace", verbose_name=_("key places entered"), blank=True,
                                    related_name="visits")  # fmt: skip
    other_areas = models.CharField(_("other areas"), max_length=200, blank=True)
    escort = models.ForeignKey(USER, verbose_name=_("escort"), null=True, blank=True, on_delete=models.PROTECT,
                               related_name="escorted_visits")  # fmt: skip
    expected_start = models.DateTimeField(_("expected arrival"))
    expected_end = models.DateTimeField(_("expected departure"))
    status = models.CharField(_("status"), max_length=20, choices=VisitStatus.choices, default=VisitStatus.REGISTERED,
                              editable=False, db_index=True)  # fmt: skip
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True, editable=False)
    checked_in_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                      editable=False)  # fmt: skip
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True, editable=False)
    checked_out_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                       editable=False)  # fmt: skip
    registered_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-expected_start", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expected_end__gt=models.F("expected_start")),
                name="visitors_visit_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visitor_name}（{self.organisation}）"

    def audit_label(self) -> str:
        return f"#{self.pk}"  # never the visitor's name or number (personal information)


class VisitApproval(Request):
    """The approval of one key place's responsible person for a visit to enter it (SUP-4).

    The host asks (``requested_by``, or the registrar on the host's behalf); the host is the
    beneficiary, so neither decides it. The place's responsible person decides; when they are
    the host or the registrar themselves, the unit head decides instead."""

    beneficiary_field = "host"
    queue_url = "visitors:approvals"

    visit = models.ForeignKey(
        Visit, verbose_name=_("visit"), on_delete=models.PROTECT, related_name="approvals"
    )
    place = models.ForeignKey("sites.KeyPlace", verbose_name=_("key place"), on_delete=models.PROTECT,
                              related_name="+")  # fmt: skip
    host = models.ForeignKey(USER, verbose_name=_("host"), on_delete=models.PROTECT, related_name="+")

    class Meta(Request.Meta):
        verbose_name = _("visit approval")
        verbose_name_plural = _("visit approvals")
        constraints = [models.UniqueConstraint(fields=["visit", "place"], name="visitors_approval_once")]

    def __str__(self) -> str:
        return f"{self.visit_id}/{self.place_id}"

    def audit_label(self) -> str:
        return f"#{self.pk}"
