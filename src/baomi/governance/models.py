"""Governance records of the secrecy regime (ORG-2, SUP-9, SUP-10, SUP-11, R-SITE-4).

- the 保密工作领导小组 and the 保密办: who sits on them, in which position, with which duties,
  from when to when — a change closes one row and opens the next, so the history stays;
- the yearly 保密工作责任书 of each department, signed by its head and the unit head;
- the unit's regulations (保密制度) with their versions, effective dates, reviews and approvers;
- emergency plans by kind, their versions and the drills held;
- publicity and education: campaigns, materials, events and who attended, linked to the
  personnel training records where an event counts as training.

None of it is classified; files (regulation texts, plan texts, materials) are kept in the vault
like all content. Only governance services change these rows.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.governance.choices import (
    Body,
    EventKind,
    PlanKind,
    PlanStatus,
    Position,
    RegulationStatus,
    ReviewOutcome,
)

USER = "accounts.User"


class Membership(models.Model):
    """One person's seat on the leading group or the security office, with position and duties
    (ORG-2). Invariant: at most one open seat per body and person; a change of position or
    duties ends the seat and opens a new one, so the table is the body's history."""

    body = models.CharField(_("body"), max_length=20, choices=Body.choices)
    user = models.ForeignKey(
        USER, verbose_name=_("person"), on_delete=models.PROTECT, related_name="memberships"
    )
    position = models.CharField(_("position"), max_length=20, choices=Position.choices)
    duties = models.TextField(_("duties"), blank=True)
    started_on = models.DateField(_("from"))
    ended_on = models.DateField(_("until"), null=True, blank=True)
    reference = models.CharField(_("appointment document"), max_length=200, blank=True)
    end_reason = models.CharField(_("why it ended"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["body", "ended_on", "position", "started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "user"], condition=Q(ended_on__isnull=True), name="governance_one_open_seat"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_body_display()} {self.user}"

    def audit_label(self) -> str:
        return f"#{self.pk}"


class ResponsibilityStatement(models.Model):
    """The yearly 保密工作责任书 of a department (ORG-2, R-SITE-4 责任制): its text, signed by the
    department head and the unit head; recorded like the 保密承诺书 (who, when). Invariant: one per
    department and year; once both have signed it is current for that year and stays as it is."""

    department = models.ForeignKey("accounts.Department", verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="responsibility_statements")  # fmt: skip
    year = models.PositiveIntegerField(_("year"))
    text = models.TextField(_("text"))
    department_signatory = models.ForeignKey(USER, verbose_name=_("department head"), null=True, blank=True,
                                             on_delete=models.PROTECT, related_name="+")  # fmt: skip
    department_signed_on = models.DateField(_("signed by the department head on"), null=True, blank=True)
    unit_signatory = models.ForeignKey(USER, verbose_name=_("unit head"), null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="+")  # fmt: skip
    unit_signed_on = models.DateField(_("signed by the unit head on"), null=True, blank=True)
    issued_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    issued_at = models.DateTimeField(_("issued at"), default=timezone.now)

    class Meta:
        verbose_name = _("responsibility statement")
        verbose_name_plural = _("responsibility statements")
        ordering = ["-year", "department__sort_order", "department__name"]
        constraints = [
            models.UniqueConstraint(fields=["department", "year"], name="governance_statement_once_a_year")
        ]

    def __str__(self) -> str:
        return f"{self.department} {self.year}"

    def audit_label(self) -> str:
        return f"#{self.pk} ({self.year})"

    @property
    def signed(self) -> bool:
        return bool(self.department_signed_on and self.unit_signed_on)


class Regulation(models.Model):
    """A regulation of the unit's secrecy regime (保密制度, SUP-10): kept with versions, each with
    its effective date and approver, reviewed periodically (``next_review_on``). Invariant: a
    regulation in force has at least one version."""

    code = models.CharField(_("regulation code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    category = models.CharField(_("regulation category"), max_length=100, blank=True)
    department = models.ForeignKey("accounts.Department", verbose_name=_("responsible department"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")  # fmt: skip
    status = models.CharField(_("status"), max_length=20, choices=RegulationStatus.choices,
                              default=RegulationStatus.EFFECTIVE, editable=False)  # fmt: skip
    next_review_on = models.DateField(_("next review"), null=True, blank=True, db_index=True)
    repealed_on = models.DateField(_("repealed on"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("regulation")
        verbose_name_plural = _("regulations")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    def audit_label(self) -> str:
        return self.code


class RegulationVersion(models.Model):
    """One version of a regulation: its text (or a file in the vault), effective date, who
    approved it and what changed (SUP-10 revision history)."""

    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="versions")
    version = models.CharField(_("version"), max_length=40)
    text = models.TextField(_("text"), blank=True)
    blob = models.ForeignKey("vault.Blob", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    effective_on = models.DateField(_("effective from"))
    approved_by = models.ForeignKey(
        USER, verbose_name=_("approved by"), on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField(_("approved on"))
    change_note = models.TextField(_("what changed"), blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("regulation version")
        verbose_name_plural = _("regulation versions")
        ordering = ["-effective_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["regulation", "version"], name="governance_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.regulation.code} {self.version}"

    def audit_label(self) -> str:
        return f"#{self.pk}"


class RegulationReview(models.Model):
    """A periodic review of a regulation (SUP-10 review dates): kept or to be revised, and when
    the next review is due."""

    regulation = models.ForeignKey(Regulation, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("date of the periodic review"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=ReviewOutcome.choices)
    note = models.TextField(_("note"), blank=True)
    next_review_on = models.DateField(_("next review"))
    reviewed_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("regulation review")
        verbose_name_plural = _("regulation reviews")
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.regulation_id} {self.reviewed_on}"


class EmergencyPlan(models.Model):
    """An emergency plan (应急预案, SUP-9) for one kind of event, with versions and drills. A drill
    falls due ``drill_interval_months`` after the last one (``next_drill_on``, kept by the
    services)."""

    kind = models.CharField(_("kind"), max_length=20, choices=PlanKind.choices)
    title = models.CharField(_("title"), max_length=200)
    drill_interval_months = models.PositiveSmallIntegerField(_("drill every (months)"), default=12)
    next_drill_on = models.DateField(
        _("next drill due"), null=True, blank=True, editable=False, db_index=True
    )
    status = models.CharField(_("status"), max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE,
                              editable=False)  # fmt: skip
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("emergency plan")
        verbose_name_plural = _("emergency plans")
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return f"#{self.pk}"


class PlanVersion(models.Model):
    """One version of an emergency plan: text or a file in the vault, effective date, approver."""

    plan = models.ForeignKey(EmergencyPlan, on_delete=models.CASCADE, related_name="versions")
    version = models.CharField(_("version"), max_length=40)
    text = models.TextField(_("text"), blank=True)
    blob = models.ForeignKey("vault.Blob", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    effective_on = models.DateField(_("effective from"))
    approved_by = models.ForeignKey(
        USER, verbose_name=_("approved by"), on_delete=models.PROTECT, related_name="+"
    )
    change_note = models.TextField(_("what changed"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("emergency plan version")
        verbose_name_plural = _("emergency plan versions")
        ordering = ["-effective_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "version"], name="governance_plan_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.version}"


class Drill(models.Model):
    """A drill of an emergency plan (SUP-9): when, who took part, what was found."""

    plan = models.ForeignKey(EmergencyPlan, verbose_name=_("emergency plan"), on_delete=models.PROTECT,
                             related_name="drills")  # fmt: skip
    held_on = models.DateField(_("held on"))
    scenario = models.CharField(_("scenario"), max_length=300)
    participants = models.ManyToManyField(
        "accounts.User", verbose_name=_("participants"), blank=True, related_name="+"
    )
    other_participants = models.CharField(_("other participants"), max_length=300, blank=True)
    findings = models.TextField(_("drill findings"))
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("drill")
        verbose_name_plural = _("drills")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.held_on}"

    def audit_label(self) -> str:
        return f"#{self.pk}"


class Campaign(models.Model):
    """A publicity and education campaign (SUP-11), e.g. the 保密宣传月."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("publicity campaign")
        verbose_name_plural = _("publicity campaigns")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return f"#{self.pk}"


class Material(models.Model):
    """A publicity material of a campaign (poster, leaflet, slides), kept in the vault."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=200)
    blob = models.ForeignKey("vault.Blob", on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    added_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(_("added at"), default=timezone.now)

    class Meta:
        verbose_name = _("publicity material")
        verbose_name_plural = _("publicity materials")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class EducationEvent(models.Model):
    """A lecture, contest, exhibition or film showing (SUP-11), with attendance. When it counts as
    training, it has a personnel training session and every attendance is also recorded there
    (PER-4), so the training coverage includes it."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("campaign"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="events")  # fmt: skip
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=2)
    place = models.CharField(_("place"), max_length=200, blank=True)
    counts_as_training = models.BooleanField(_("counts as training"), default=False)
    training_session = models.ForeignKey("personnel.TrainingSession", verbose_name=_("training record"), null=True,
                                         blank=True, on_delete=models.PROTECT, related_name="+", editable=False)  # fmt: skip
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("education event")
        verbose_name_plural = _("education events")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return f"#{self.pk}"


class EventAttendance(models.Model):
    """One person at an education event (SUP-11), with a contest score if any."""

    event = models.ForeignKey(EducationEvent, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(USER, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)

    class Meta:
        verbose_name = _("attendance")
        ordering = ["event", "user__username"]
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="governance_attendance_once")]

    def __str__(self) -> str:
        return f"{self.event_id}: {self.user_id}"
