"""Personnel files of cleared persons (涉密人员, PER-1..8, R-PER).

A ``PersonnelFile`` is the record of one person's place in the secrecy regime: category, state,
onboarding checklist, re-review dates. The person's clearance is *derived* from the file by the
services (never typed in): the category's ceiling once onboarding is complete and the pledge is
current, the non-classified default otherwise (R-AC-4). Only personnel services change rows.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.core.errors import ValidationFailed
from baomi.kit import requests
from baomi.kit.requests import Request
from baomi.personnel.choices import (
    AgreementKind,
    Category,
    ExitKind,
    ExitStatus,
    FileStatus,
    Opinion,
    ReportKind,
    ReportStatus,
    ReviewKind,
    ReviewResult,
    SanctionKind,
    TrainingKind,
    TravelStatus,
)
from baomi.personnel.lifecycle import TRAVEL_TRANSITIONS

USER = "accounts.User"


class PersonnelFile(models.Model):
    """The personnel file of one person (PER-1).

    Responsible: the security officer (with the personnel department). Invariants: one file per
    person; ``status`` moves only through ``lifecycle.FILE_TRANSITIONS``; the person's clearance
    equals ``services.derived_clearance(file)`` after every service call.
    """

    user = models.OneToOneField(USER, verbose_name=_("person"), on_delete=models.PROTECT,
                                related_name="personnel_file")  # fmt: skip
    category = models.CharField(_("category"), max_length=20, choices=Category.choices, default=Category.NONE)
    secret_post = models.CharField(_("classified post"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=FileStatus.choices,
                              default=FileStatus.ONBOARDING, editable=False, db_index=True)  # fmt: skip
    onboarded_on = models.DateField(_("cleared on"), null=True, blank=True, editable=False)
    next_review_on = models.DateField(_("next re-review due"), null=True, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("personnel file")
        verbose_name_plural = _("personnel files")
        ordering = ["user__department__sort_order", "user__username"]

    def __str__(self) -> str:
        return str(self.user)

    def get_absolute_url(self) -> str:
        return reverse("personnel:file", args=[self.pk])

    def audit_label(self) -> str:
        return f"{self.user.username}"


class CategoryChange(models.Model):
    """One change of a file's category, kept as history (PER-1)."""

    file = models.ForeignKey(PersonnelFile, on_delete=models.CASCADE, related_name="category_changes")
    before = models.CharField(_("before"), max_length=20, choices=Category.choices)
    after = models.CharField(_("after"), max_length=20, choices=Category.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    changed_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("category change")
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_id}: {self.before}→{self.after}"


class Review(models.Model):
    """A pre-assignment review (上岗前保密审查) or a periodic re-review (复审) (PER-2, R-PER-3)."""

    file = models.ForeignKey(PersonnelFile, on_delete=models.CASCADE, related_name="reviews")
    kind = models.CharField(_("kind"), max_length=20, choices=ReviewKind.choices)
    result = models.CharField(_("result"), max_length=10, choices=ReviewResult.choices)
    reviewed_on = models.DateField(_("reviewed on"))
    reviewer = models.ForeignKey(USER, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("findings"), blank=True)
    attachments = models.ManyToManyField("vault.Blob", verbose_name=_("attachments"), blank=True,
                                         related_name="+")  # fmt: skip
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("review")
        ordering = ["-reviewed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.file_id} {self.kind} {self.reviewed_on}"

    def audit_label(self) -> str:
        return f"#{self.pk}"


class AgreementVersion(models.Model):
    """One version of the text of a pledge or exit undertaking (PER-3). Versions are kept; a
    signature names the version signed."""

    kind = models.CharField(_("kind"), max_length=10, choices=AgreementKind.choices)
    version = models.CharField(_("version"), max_length=30)
    text = models.TextField(_("text"))
    effective_on = models.DateField(_("effective from"), default=timezone.localdate)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("agreement version")
        ordering = ["kind", "-effective_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="personnel_agreement_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.version}"

    def audit_label(self) -> str:
        return f"{self.kind} {self.version}"


class Signature(models.Model):
    """A person's signature of an agreement version: who, when, which version, valid until
    (PER-2, PER-3). A pledge past ``valid_until`` with no newer signature has lapsed."""

    file = models.ForeignKey(PersonnelFile, on_delete=models.CASCADE, related_name="signatures")
    version = models.ForeignKey(AgreementVersion, verbose_name=_("version"), on_delete=models.PROTECT,
                                related_name="signatures")  # fmt: skip
    signed_on = models.DateField(_("signed on"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("signature")
        ordering = ["-signed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.file_id} {self.version_id} {self.signed_on}"

    def audit_label(self) -> str:
        return f"#{self.pk}"


class TrainingSession(models.Model):
    """A training session, lecture, contest or 定密 training (PER-4, R-PER-4, R-DET-12)."""

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=TrainingKind.choices)
    held_on = models.DateField(_("held on"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=2)
    organiser = models.CharField(_("organiser"), max_length=100, blank=True)
    has_exam = models.BooleanField(_("with exam"), default=False)
    pass_mark = models.PositiveSmallIntegerField(_("pass mark"), default=60)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("training session")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return f"#{self.pk}"


class Attendance(models.Model):
    """One person's attendance of a session, with the exam score if any (PER-4)."""

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendances")
    user = models.ForeignKey(
        USER, verbose_name=_("person"), on_delete=models.PROTECT, related_name="trainings"
    )
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    passed = models.BooleanField(_("passed"), default=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("attendance")
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="personnel_attendance_once")]

    def __str__(self) -> str:
        return f"{self.session_id}: {self.user_id}"


class ExitCase(models.Model):
    """An exit or post change (离岗离职) with the five steps of R-PER-6 (PER-5, R-AC-6).

    Invariant: ``completed_at`` is set only when the interview, the signed exit undertaking, no
    outstanding carrier, the revoked access and a fixed separation period are all present.
    """

    file = models.ForeignKey(PersonnelFile, on_delete=models.PROTECT, related_name="exit_cases")
    kind = models.CharField(_("kind"), max_length=20, choices=ExitKind.choices, default=ExitKind.EXIT)
    status = models.CharField(_("status"), max_length=20, choices=ExitStatus.choices, default=ExitStatus.OPEN,
                              editable=False)  # fmt: skip
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    approved_on = models.DateField(_("departure approved on"))
    started_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    started_at = models.DateTimeField(_("started at"), default=timezone.now, editable=False)
    interview_on = models.DateField(_("reminder interview on"), null=True, blank=True, editable=False)
    interview_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                     editable=False)  # fmt: skip
    interview_note = models.TextField(_("interview notes"), blank=True, editable=False)
    undertaking = models.ForeignKey(Signature, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                    editable=False)  # fmt: skip
    access_revoked_at = models.DateTimeField(_("access revoked at"), null=True, blank=True, editable=False)
    separation_start = models.DateField(_("separation period starts"), null=True, blank=True, editable=False)
    separation_end = models.DateField(_("separation period ends"), null=True, blank=True, editable=False)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("exit case")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file} {self.kind}"

    def get_absolute_url(self) -> str:
        return reverse("personnel:exit", args=[self.pk])

    def audit_label(self) -> str:
        return f"#{self.pk}"


class TravelRequest(Request):
    """A request to travel abroad (出国境, PER-6, R-PER-5): two opinions, an approver, a
    pre-trip training check and a post-trip report. Persons in their separation period need
    one like serving cleared persons (R-PER-8).

    On the shared request base (``baomi.kit.requests``, issue 10): the traveller is the person
    it is for (the security officer may file for them), its purpose the request's reason. Its
    path is longer than approve-or-refuse — the two opinions before the decision, then departure,
    return and the post-trip report — and its table (``lifecycle.TRAVEL_TRANSITIONS``) and
    stored values (``submitted`` … ``closed``) are its own; ``check_decision`` wants both
    opinions and no objection from the security office before an approval."""

    traveller = models.ForeignKey(USER, verbose_name=_("traveller"), on_delete=models.PROTECT,
                                  related_name="travel_requests")  # fmt: skip
    destination = models.CharField(_("destination"), max_length=200)
    reason = models.CharField(_("purpose"), max_length=300)
    departs_on = models.DateField(_("departs on"))
    returns_on = models.DateField(_("returns on"))
    status = models.CharField(_("status"), max_length=20, choices=TravelStatus.choices,
                              default=TravelStatus.SUBMITTED, editable=False)  # fmt: skip
    personnel_opinion = models.CharField(_("personnel department opinion"), max_length=10, choices=Opinion.choices,
                                         blank=True, editable=False)  # fmt: skip
    personnel_opinion_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                             related_name="+", editable=False)  # fmt: skip
    personnel_opinion_note = models.CharField(max_length=300, blank=True, editable=False)
    security_opinion = models.CharField(_("security office opinion"), max_length=10, choices=Opinion.choices,
                                        blank=True, editable=False)  # fmt: skip
    security_opinion_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL,
                                            related_name="+", editable=False)  # fmt: skip
    security_opinion_note = models.CharField(max_length=300, blank=True, editable=False)
    decided_by = models.ForeignKey(USER, verbose_name=_("approver"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+", editable=False)  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decision_reason = models.CharField(_("decision note"), max_length=300, blank=True, editable=False)
    training = models.ForeignKey(Attendance, verbose_name=_("pre-trip training"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+", editable=False)  # fmt: skip
    returned_on = models.DateField(_("returned on"), null=True, blank=True, editable=False)
    report_due_on = models.DateField(_("report due"), null=True, blank=True, editable=False)
    report = models.TextField(_("post-trip report"), blank=True, editable=False)
    reported_on = models.DateField(_("reported on"), null=True, blank=True, editable=False)
    # Kept as the travel request had it (nullable, SET_NULL): rows and tests without a filer.
    requested_by = models.ForeignKey(  # type: ignore[assignment]
        USER, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    beneficiary_field = "traveller"
    transitions = TRAVEL_TRANSITIONS
    verb_names = {requests.REJECT: "refuse"}
    pending_status = TravelStatus.SUBMITTED
    waiting_statuses = (TravelStatus.SUBMITTED,)

    class Meta(Request.Meta):
        verbose_name = _("travel request")

    def __str__(self) -> str:
        return f"{self.traveller} → {self.destination}"

    def get_absolute_url(self) -> str:
        return reverse("personnel:travel", args=[self.pk])

    def audit_label(self) -> str:
        return f"#{self.pk}"

    def check_decision(self, actor: Any, verb: str, reason: str, **inputs: Any) -> None:
        """R-PER-5 ¶2: an approval needs both opinions, and none while the security office
        disagrees (harm to national security)."""
        if verb != requests.APPROVE:
            return
        if not self.personnel_opinion or not self.security_opinion:
            raise ValidationFailed(
                _("Both opinions are needed before a decision."), fields={"opinions": ["missing"]}
            )
        if self.security_opinion == Opinion.DISAGREE:
            raise ValidationFailed(_("The security office disagrees: the trip cannot be approved."),
                                   fields={"security_opinion": ["disagree"]})  # fmt: skip

    # The names the travel request had before it moved onto the base (forms, tests, the API).
    purpose = requests.alias("reason")
    created_by = requests.alias("requested_by")
    created_at = requests.alias("requested_at", writable=False)
    decision_note = requests.alias("decision_reason", writable=False)


class ViolationReport(models.Model):
    """A report of a violation or a suspected leak by any staff member (PER-8).

    Invariant: ``reporter`` is shown to the security officer only — never in other users'
    pages, API responses, exports or audit details (see docs/personnel.md)."""

    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    description = models.TextField(_("what happened"))
    occurred_on = models.DateField(_("when"), null=True, blank=True)
    place = models.CharField(_("where"), max_length=200, blank=True)
    reporter = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+", editable=False)
    status = models.CharField(_("status"), max_length=20, choices=ReportStatus.choices,
                              default=ReportStatus.RECEIVED, editable=False)  # fmt: skip
    incident = models.ForeignKey("incidents.Incident", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", editable=False)  # fmt: skip
    handled_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                   editable=False)  # fmt: skip
    handling_note = models.CharField(_("handling note"), max_length=300, blank=True, editable=False)
    created_at = models.DateTimeField(_("reported at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("violation report")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk}"

    def audit_label(self) -> str:
        return f"#{self.pk}"


class Sanction(models.Model):
    """A reward or penalty (PER-7), linked to the incident, report or merit it refers to."""

    user = models.ForeignKey(
        USER, verbose_name=_("person"), on_delete=models.PROTECT, related_name="sanctions"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=SanctionKind.choices)
    decided_on = models.DateField(_("decided on"))
    reason = models.CharField(_("reason"), max_length=300)
    incident = models.ForeignKey("incidents.Incident", verbose_name=_("incident"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")  # fmt: skip
    report = models.ForeignKey(ViolationReport, verbose_name=_("violation report"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="sanctions")  # fmt: skip
    merit = models.CharField(_("merit"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("reward or penalty")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.kind}"

    def audit_label(self) -> str:
        return f"#{self.pk}"
