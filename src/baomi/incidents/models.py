"""Secrecy incidents (保密事件, SUP-2, R-INC-1..5).

An ``Incident`` is one thing lost, leaked or suspected, from its report to its closure: kind,
level involved, carriers and items involved, the 24-hour clock for the two upward reports,
remedial actions, case filing (立案), investigation, conclusion (保密审核), notification (通报),
penalties (kept by the personnel app, PER-7) and, for personal information, the notices of
R-INC-3. The model moved here from the supervision stub; its table keeps every row the stub
stored (migration 0002 renames the table only).

Invariants: only the services in ``incidents/services.py`` write; a closed incident, its journal,
reports, notices and links never change again — the services refuse, and on PostgreSQL triggers
refuse UPDATE and DELETE (migration 0003); corrections are appended as addenda.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.core.levels import Level
from baomi.incidents.choices import (
    Channel,
    EntryKind,
    IncidentKind,
    IncidentStatus,
    NoticeAudience,
    Recipient,
    ReviewResult,
)

USER = "accounts.User"


class Incident(models.Model):
    """A secrecy incident (SUP-2, R-INC).

    Responsible: the security officer (保密办), or the handler assigned. ``level`` is the highest
    level involved (blank: none known); the policy shows the incident only to those cleared for
    it. ``opened_by`` is the reporter: shown to the security officer only (as PER-8).
    ``deadline_at`` is fixed when the incident is opened (discovery + the configured hours) for
    the kinds that must be reported upward; ``overdue_at`` records the moment the clock ran out
    without both reports and stays recorded after a late report.
    """

    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    source = models.CharField(_("source"), max_length=50, blank=True)  # inventory, violation_report, ...
    source_ref = models.CharField(_("source reference"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=IncidentStatus.choices,
                              default=IncidentStatus.OPEN, editable=False)  # fmt: skip
    discovered_at = models.DateTimeField(_("discovered at"), default=timezone.now)
    opened_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now, editable=False)
    # --- added when the incident left the supervision stub (SUP-2) ---
    kind = models.CharField(
        _("kind"), max_length=30, choices=IncidentKind.choices, default=IncidentKind.OTHER
    )
    place = models.CharField(_("where"), max_length=200, blank=True)
    handler = models.ForeignKey(USER, verbose_name=_("handler"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="handled_incidents", editable=False)  # fmt: skip
    deadline_at = models.DateTimeField(_("report deadline"), null=True, blank=True, editable=False)
    overdue_at = models.DateTimeField(_("deadline missed at"), null=True, blank=True, editable=False)
    reminded_hours = models.PositiveSmallIntegerField(default=0, editable=False)
    case_number = models.CharField(_("case number"), max_length=100, blank=True, editable=False)
    case_filed_at = models.DateTimeField(_("case filed at"), null=True, blank=True, editable=False)
    case_filed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                      editable=False)  # fmt: skip
    review_result = models.CharField(_("review conclusion"), max_length=20, choices=ReviewResult.choices,
                                     blank=True, editable=False)  # fmt: skip
    conclusion = models.TextField(_("conclusion"), blank=True, editable=False)
    concluded_at = models.DateTimeField(_("concluded at"), null=True, blank=True, editable=False)
    concluded_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     editable=False)  # fmt: skip
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                  editable=False)  # fmt: skip

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["status", "deadline_at"], name="incident_clock")]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return f"#{self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status == IncidentStatus.CLOSED

    @property
    def personal_information(self) -> bool:
        return self.kind == IncidentKind.PERSONAL_INFORMATION

    def get_level_display(self) -> str:
        return str(Level(self.level).label) if self.level in Level.values else "—"


class IncidentCarrier(models.Model):
    """A carrier involved in an incident; ``lost`` when the incident reported it lost (the
    carriers service then marks it missing, CAR-8)."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="carrier_links")
    carrier = models.ForeignKey("carriers.Carrier", verbose_name=_("carrier"), on_delete=models.PROTECT,
                                related_name="+")  # fmt: skip
    lost = models.BooleanField(_("lost"), default=False)
    added_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("carrier involved")
        constraints = [models.UniqueConstraint(fields=["incident", "carrier"], name="incident_carrier_once")]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.carrier_id}"


class IncidentItem(models.Model):
    """A classified item involved in an incident (its level raises the incident's)."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="item_links")
    item = models.ForeignKey("classification.Item", verbose_name=_("classified item"), on_delete=models.PROTECT,
                             related_name="+")  # fmt: skip
    added_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("item involved")
        constraints = [models.UniqueConstraint(fields=["incident", "item"], name="incident_item_once")]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.item_id}"


class IncidentEntry(models.Model):
    """One entry of the incident's journal: a remedial action (with its time and actor), an
    investigation note, a notification (通报) or an addendum. Append-only (R-INC-5)."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="entries")
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    text = models.TextField(_("text"))
    occurred_at = models.DateTimeField(_("time"), default=timezone.now)
    actor = models.ForeignKey(USER, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")  # fmt: skip
    audience = models.CharField(_("notified to"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("incident entry")
        ordering = ["occurred_at", "id"]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.kind}"

    def audit_label(self) -> str:
        return f"#{self.pk}"


class UpwardReport(models.Model):
    """The report to one of the two recipients of R-INC-1: when, how, and its reference.
    ``late`` is fixed when it is recorded: after the deadline."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="upward_reports")
    recipient = models.CharField(_("recipient"), max_length=20, choices=Recipient.choices)
    reported_at = models.DateTimeField(_("reported at"))
    channel = models.CharField(_("channel"), max_length=30, choices=Channel.choices)
    reference = models.CharField(_("reference"), max_length=200)
    late = models.BooleanField(_("late"), default=False, editable=False)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("upward report")
        ordering = ["reported_at", "id"]
        constraints = [models.UniqueConstraint(fields=["incident", "recipient"], name="incident_report_once")]

    def __str__(self) -> str:
        return f"{self.incident_id} → {self.recipient}"


class PersonalInfoNotice(models.Model):
    """The notice of a personal-information incident to the individuals or to the supervising
    department, with the contents R-INC-3 requires (PIPL Art 57)."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="notices")
    audience = models.CharField(_("notified to"), max_length=20, choices=NoticeAudience.choices)
    notified_at = models.DateTimeField(_("notified at"))
    channel = models.CharField(_("channel"), max_length=30, choices=Channel.choices)
    info_types = models.CharField(_("types of information"), max_length=300)
    cause = models.CharField(_("cause"), max_length=300)
    likely_harm = models.CharField(_("likely harm"), max_length=300)
    measures = models.CharField(_("measures taken"), max_length=300)
    remedies = models.CharField(_("what individuals can do"), max_length=300)
    contact = models.CharField(_("contact"), max_length=200)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("personal-information notice")
        ordering = ["notified_at", "id"]
        constraints = [models.UniqueConstraint(fields=["incident", "audience"], name="incident_notice_once")]

    def __str__(self) -> str:
        return f"{self.incident_id} → {self.audience}"
