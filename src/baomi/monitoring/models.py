"""Monitoring over the audit stream (SEC-5, R-SYS-5): rules, the evaluator's cursor, alerts.

- :class:`MonitorRule` — a rule's settings as its owner changed them (threshold, window, key,
  on/off). A rule without a row runs with its defaults (``detectors.SPECS``): defaults ship on.
- :class:`MonitorCursor` — where the evaluator stands in the chain (the last sealed sequence
  number it has read) and the window state it keeps. One row, locked by each run.
- :class:`Alert` — something a rule found, for the security officer or the auditor, with the
  audit entries that triggered it (:class:`AlertEntry`).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.core.levels import Level
from baomi.monitoring.choices import AlertStatus, Audience, KeyKind, RuleKind


class MonitorRule(models.Model):
    """A monitoring rule as configured (SEC-5).

    Responsible: the security officer for the rules about users; the auditor for the rules that
    watch the administrators and the trail (``detectors.SPECS[kind].owner``). Invariants: one row
    per kind; threshold and window positive; the key is one the rule allows (checked by
    ``services.update_rule``). Every change is audited (MONITOR_RULE_CHANGED).
    """

    kind = models.CharField(_("rule"), max_length=30, choices=RuleKind.choices, unique=True)
    enabled = models.BooleanField(_("enabled"), default=True)
    threshold = models.PositiveIntegerField(_("threshold"))
    window_minutes = models.PositiveIntegerField(_("window (minutes)"))
    key = models.CharField(_("counted per"), max_length=20, choices=KeyKind.choices)
    updated_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+", editable=False)  # fmt: skip
    updated_at = models.DateTimeField(_("changed at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("monitoring rule")
        verbose_name_plural = _("monitoring rules")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(threshold__gte=1), name="monitor_rule_threshold_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(window_minutes__gte=1), name="monitor_rule_window_positive"
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    def audit_label(self) -> str:
        return self.kind

    @property
    def owner(self) -> str:
        from baomi.monitoring.detectors import SPECS

        return SPECS[self.kind].owner


class MonitorCursor(models.Model):
    """The evaluator's place in the audit chain and its window state (SEC-5).

    ``seq`` is the last sealed sequence number read: the chain order is the commit order the
    sealer saw, gapless, so reading ``seq > cursor`` never misses an entry that committed late.
    Changed only by the evaluator, in the transaction that writes the alerts of the entries it
    read, under a row lock: a crash loses or repeats nothing.
    """

    name = models.CharField(max_length=30, unique=True, default="default")
    seq = models.BigIntegerField(default=0)
    state = models.JSONField(default=dict)
    evaluated_at = models.DateTimeField(null=True, blank=True)
    entries_read = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("monitoring cursor")
        verbose_name_plural = _("monitoring cursors")

    def __str__(self) -> str:
        return f"{self.name}@{self.seq}"


class Alert(models.Model):
    """What a rule found (SEC-5).

    Responsible: the recipient (``audience``): the security officer for ordinary users, the
    auditor for the administrators and the trail (R-ROLE-2). Lifecycle: new → acknowledged →
    closed with a note, or escalated into an incident (SUP-2). ``highest_level`` is the highest
    level among the targets, used to mask what a recipient may not see; it is deliberately not
    named ``level``: the alert itself is not classified and must not vanish for a recipient
    with a lower clearance.
    """

    rule = models.CharField(_("rule"), max_length=30, choices=RuleKind.choices, db_index=True)
    audience = models.CharField(_("recipient"), max_length=20, choices=Audience.choices, editable=False)
    key = models.CharField(_("key"), max_length=200, editable=False)
    key_kind = models.CharField(_("counted per"), max_length=20, choices=KeyKind.choices, editable=False)
    subject_label = models.CharField(_("subject"), max_length=200, blank=True, editable=False)
    subject_user = models.ForeignKey("accounts.User", verbose_name=_("account"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+", editable=False)  # fmt: skip
    subject_department = models.ForeignKey("accounts.Department", verbose_name=_("department"), null=True,
                                           blank=True, on_delete=models.PROTECT, related_name="+",
                                           editable=False)  # fmt: skip
    subject_level = models.CharField(_("subject level"), max_length=20, choices=Level.choices, blank=True,
                                     editable=False)  # fmt: skip
    highest_level = models.CharField(_("highest level involved"), max_length=20, choices=Level.choices,
                                     blank=True, editable=False)  # fmt: skip
    count = models.PositiveIntegerField(_("entries"), default=0, editable=False)
    first_at = models.DateTimeField(_("first entry at"), editable=False)
    last_at = models.DateTimeField(_("last entry at"), editable=False)
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now, editable=False, db_index=True)
    threshold = models.PositiveIntegerField(_("threshold"), editable=False)
    window_minutes = models.PositiveIntegerField(_("window (minutes)"), editable=False)
    summary = models.JSONField(_("summary"), default=dict, editable=False)
    status = models.CharField(_("status"), max_length=20, choices=AlertStatus.choices, default=AlertStatus.NEW,
                              editable=False, db_index=True)  # fmt: skip
    acknowledged_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+", editable=False)  # fmt: skip
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", editable=False)  # fmt: skip
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True, editable=False)
    incident = models.ForeignKey("incidents.Incident", verbose_name=_("incident"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+", editable=False)  # fmt: skip

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-raised_at", "-id"]
        indexes = [models.Index(fields=["audience", "status", "-raised_at"], name="alert_inbox")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_rule_display()}"

    def audit_label(self) -> str:
        return f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in (AlertStatus.NEW, AlertStatus.ACKNOWLEDGED)


class AlertEntry(models.Model):
    """An audit entry that made or grew an alert (at most ``detectors.MAX_LINKS`` per alert)."""

    alert = models.ForeignKey(Alert, on_delete=models.PROTECT, related_name="entries")
    entry_id = models.BigIntegerField(_("audit entry"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["alert", "entry_id"], name="alert_entry_once")]
        ordering = ["entry_id"]

    def __str__(self) -> str:
        return f"{self.alert_id}/{self.entry_id}"
