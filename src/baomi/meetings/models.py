"""Secret meetings (涉密会议, SUP-12, R-SITE-2): level, 保密方案, a compliant venue (a confirmed
key place), equipment, attendees and staff (cleared for the level, identity checked and
briefed), and the carriers issued at the meeting — registered carriers lent to attendees
through the carrier registry's services, each signed for and recovered; the meeting cannot
close while any is out, and a missing one opens an incident. Only ``meetings.services``
changes these rows.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from baomi.core.levels import Level
from baomi.kit.requests import Request
from baomi.meetings.choices import AttendeeRole, IssueStatus, MeetingStatus

USER = "accounts.User"


class Meeting(models.Model):
    """One secret meeting or event.

    Responsible: the organiser (with the security office); the unit head or a leading-group
    member approves the 保密方案. Invariants: ``ends_at`` after ``starts_at``; the venue is a
    confirmed key place designated for the level; every attendee is cleared for the level;
    closed only with every issued carrier recovered or reported missing."""

    title = models.CharField(_("title"), max_length=200)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices)
    plan = models.TextField(_("secrecy plan"))
    venue = models.ForeignKey("sites.KeyPlace", verbose_name=_("venue"), on_delete=models.PROTECT,
                              related_name="meetings")  # fmt: skip
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    equipment = models.CharField(_("equipment"), max_length=300, blank=True)
    remote = models.BooleanField(_("video or telephone meeting"), default=False)
    remote_measures = models.CharField(_("measures for the remote link"), max_length=300, blank=True)
    organiser = models.ForeignKey(
        USER, verbose_name=pgettext_lazy("registers", "organiser"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=20, choices=MeetingStatus.choices,
                              default=MeetingStatus.PLANNED, editable=False, db_index=True)  # fmt: skip
    opened_at = models.DateTimeField(
        pgettext_lazy("registers", "opened at"), null=True, blank=True, editable=False
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("secret meeting")
        verbose_name_plural = _("secret meetings")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_at__gt=models.F("starts_at")),
                                   name="meetings_meeting_ends_after_start"),
        ]  # fmt: skip

    def __str__(self) -> str:
        return self.title

    def audit_label(self) -> str:
        return f"#{self.pk}"  # the title may itself be sensitive (CAR-2)


class MeetingApproval(Request):
    """The approval of a meeting's 保密方案 by the unit head or a leading-group member (R-SITE-2);
    never the organiser's own."""

    beneficiary_field = "organiser"
    queue_url = "meetings:approvals"

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="approvals"
    )
    organiser = models.ForeignKey(
        USER, verbose_name=pgettext_lazy("registers", "organiser"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta(Request.Meta):
        verbose_name = _("meeting approval")
        verbose_name_plural = _("meeting approvals")

    def __str__(self) -> str:
        return f"{self.meeting_id}"

    @property
    def level(self) -> str:
        return self.meeting.level

    def audit_label(self) -> str:
        return f"#{self.pk}"


class Attendee(models.Model):
    """A person at the meeting (attendee or staff), cleared for its level; identity checked and
    briefed before it starts (R-SITE-2)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="attendees"
    )
    user = models.ForeignKey(USER, verbose_name=_("person"), on_delete=models.PROTECT, related_name="+")
    role = models.CharField(
        _("role"), max_length=10, choices=AttendeeRole.choices, default=AttendeeRole.ATTENDEE
    )
    identity_checked_at = models.DateTimeField(
        _("identity checked at"), null=True, blank=True, editable=False
    )
    briefed_at = models.DateTimeField(_("briefed at"), null=True, blank=True, editable=False)
    added_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        ordering = ["meeting_id", "role", "id"]
        constraints = [models.UniqueConstraint(fields=["meeting", "user"], name="meetings_attendee_once")]

    def __str__(self) -> str:
        return str(self.user)

    def audit_label(self) -> str:
        return f"#{self.pk}"


class MeetingCarrier(models.Model):
    """A registered carrier issued to an attendee at the meeting: lent through the carrier
    registry (``loan``), handed out and signed for, recovered (the loan returned) or reported
    missing (``incident``)."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="carriers"
    )
    carrier = models.ForeignKey("carriers.Carrier", verbose_name=_("carrier"), on_delete=models.PROTECT,
                                related_name="meeting_issues")  # fmt: skip
    attendee = models.ForeignKey(Attendee, verbose_name=_("issued to"), on_delete=models.PROTECT,
                                 related_name="carriers")  # fmt: skip
    loan = models.ForeignKey("carriers.LoanRequest", verbose_name=_("loan"), on_delete=models.PROTECT,
                             related_name="+")  # fmt: skip
    status = models.CharField(_("status"), max_length=20, choices=IssueStatus.choices, default=IssueStatus.REQUESTED,
                              editable=False, db_index=True)  # fmt: skip
    handed_out_at = models.DateTimeField(_("signed for at"), null=True, blank=True, editable=False)
    recovered_at = models.DateTimeField(_("recovered at"), null=True, blank=True, editable=False)
    recovered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                     editable=False)  # fmt: skip
    incident = models.ForeignKey("incidents.Incident", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", editable=False)  # fmt: skip

    class Meta:
        verbose_name = _("meeting carrier")
        verbose_name_plural = _("meeting carriers")
        ordering = ["meeting_id", "id"]

    def __str__(self) -> str:
        return f"{self.meeting_id}/{self.carrier_id}"

    @property
    def level(self) -> str:
        return self.carrier.level

    def audit_label(self) -> str:
        return f"#{self.pk} {self.carrier.registry_number}"
