"""The audit trail (SEC-3): append-only entries, bound by a keyed MAC and sealed into one chain.

Who is responsible: the auditor (安全审计员) reads it; nobody changes it. Three tables:

- :class:`AuditEntry` — one audited action, written by ``record()`` in the transaction of the
  change it audits. Its own ``mac`` = HMAC(audit key, canonical entry) protects its content from
  the moment it commits.
- :class:`AuditPending` — the entry's place in the sealer's queue, inserted in the same
  transaction. The sealer removes it in the transaction that writes the seal, so every entry has
  exactly one of "pending" or "sealed".
- :class:`AuditSeal` — the entry's place in the chain: sequence number ``seq`` (1, 2, 3, … without
  gaps) and ``mac`` = HMAC(audit key, seq ‖ entry id ‖ canonical entry ‖ previous seal's MAC).

Entries and seals record the MAC scheme they were made under (``mac_scheme``), and the entry's
own MAC binds its id (chain.py).

``save()`` refuses updates and ``delete()`` refuses; on PostgreSQL triggers refuse UPDATE and
DELETE of entries and seals, UPDATE of pending rows, and DELETE of a pending row whose entry is
not sealed yet (migration 0001). Entries keep the actor's name and the target's label and level
as text at that time, so they stay readable when the user or the target changes later.
"""

from __future__ import annotations

from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from baomi.audit.events import event_label


class TextEncoder(DjangoJSONEncoder):
    """Stores Chinese as text, not ``\\uXXXX`` escapes, so full-text search finds it on SQLite."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class AppendOnlyError(Exception):
    pass


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("the audit trail is append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("the audit trail is append-only")


class AppendOnly(models.Model):
    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not kwargs.get("force_insert"):
            raise AppendOnlyError("the audit trail is append-only: save(force_insert=True) only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("the audit trail is append-only")


class Outcome(models.TextChoices):
    OK = "ok", _("Succeeded")
    DENIED = "denied", _("Denied")
    FAILED = "failed", _("Failed")


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    API = "api", _("API")
    CLI = "cli", _("Command line")
    JOB = "job", _("Scheduled job")
    SYSTEM = "system", _("System")


class SealState(models.TextChoices):
    OK = "ok", _("Intact")
    BAD = "bad", _("Altered or forged")
    MISSING = "missing", _("Deleted")


class AuditEntry(AppendOnly):
    """One audited action. The MAC covers every field but itself (R-AUD, R-CRYPTO-4)."""

    time = models.DateTimeField(_("time"), db_index=True)
    # Few indexes on purpose: each one costs every audited write (docs/audit.md "Indexes").
    actor_id = models.BigIntegerField(_("actor id"), null=True)
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    actor_roles = models.CharField(_("actor roles"), max_length=200, blank=True)
    # No ``choices`` here on purpose: every app adds events, and choices would mean a migration
    # of this table for each of them. Labels come from ``audit.events.event_label``.
    event = models.PositiveIntegerField(_("event"), db_index=True)
    target_type = models.CharField(_("target type"), max_length=60, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_label = models.CharField(_("target"), max_length=300, blank=True)
    target_level = models.CharField(_("target level"), max_length=20, blank=True)
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, default=Outcome.OK)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    request_id = models.CharField(_("request id"), max_length=32, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True, encoder=TextEncoder)
    mac = models.CharField(_("MAC"), max_length=64, editable=False)
    # The scheme ``mac`` was made under (audit/keys.py: 1 HMAC-SM3, 2 HMAC-SHA-256; the entry's
    # id is bound in). NULL: written before schemes were recorded (chain.py "legacy").
    mac_scheme = models.PositiveSmallIntegerField(_("MAC algorithm"), null=True, editable=False)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-id"]
        indexes = [models.Index(fields=["target_type", "target_id", "id"])]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_event_display()}"

    def get_event_display(self) -> str:
        return event_label(self.event)


class AuditPending(models.Model):
    """An entry committed but not yet sealed into the chain: the sealer's queue (SEC-3)."""

    entry_id = models.BigIntegerField(primary_key=True)

    class Meta:
        verbose_name = _("unsealed audit entry")
        verbose_name_plural = _("unsealed audit entries")

    def __str__(self) -> str:
        return f"#{self.entry_id}"


class AuditSeal(AppendOnly):
    """An entry's place in the chain; ``seq`` runs 1, 2, 3, … without gaps (SEC-3).

    ``state`` is ``bad`` when the sealer found the entry's own MAC wrong, ``missing`` when the
    entry was gone: the chain keeps that finding, so the tampering stays evident at this number.
    """

    seq = models.BigIntegerField(_("sequence number"), primary_key=True)
    entry = models.OneToOneField(
        AuditEntry,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        related_name="seal",
        verbose_name=_("entry"),
    )
    sealed_at = models.DateTimeField(_("sealed at"))
    state = models.CharField(_("entry state when sealed"), max_length=10, choices=SealState.choices)
    mac = models.CharField(_("chain MAC"), max_length=64)
    mac_scheme = models.PositiveSmallIntegerField(_("MAC algorithm"), null=True)  # as AuditEntry's

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit seal")
        verbose_name_plural = _("audit seals")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq}"


class AuditVerification(AppendOnly):
    """One run of verify — full (on demand) or scheduled (incremental) — and how far it got,
    signed under the audit key (SEC-3).

    The scheduled verify starts from the newest record whose signature holds: it checks the
    seals after ``head_seq`` (whose chain MAC must still be ``head_mac``), the next window of
    older seals after ``sweep_seq`` (a rolling re-verification of the whole history at a
    constant cost per run), and the entries with an id above ``entry_id_checked``. A record that
    was altered fails its signature and is skipped; without any, the run is a full verify.
    """

    FULL, SCHEDULED = "full", "scheduled"

    time = models.DateTimeField(_("time"))
    kind = models.CharField(_("kind"), max_length=10)
    head_seq = models.BigIntegerField(_("verified up to sequence number"))
    head_mac = models.CharField(_("chain MAC at that number"), max_length=64)
    sweep_seq = models.BigIntegerField(_("rolling re-verification reached"), default=0)
    entry_id_checked = models.BigIntegerField(_("entries checked up to id"), default=0)
    checked = models.BigIntegerField(_("seals checked"), default=0)
    ok = models.BooleanField(_("intact"))
    first_seq = models.BigIntegerField(_("first failing sequence number"), null=True)
    findings = models.JSONField(_("findings"), default=list, blank=True)
    seconds = models.FloatField(_("seconds"), default=0)
    mac_scheme = models.PositiveSmallIntegerField(_("MAC algorithm"))
    signature = models.CharField(_("signature"), max_length=64)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit chain verification")
        verbose_name_plural = _("audit chain verifications")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.kind} #{self.head_seq}"


class SealedChanges(models.Model):
    """How many sealed entries recorded a change — every entry but a read or a refusal
    (``baomi.audit.events.READS``) — kept by the sealer in the transaction that seals them (OPS-1).

    One row, written only by the sealer, which runs one at a time under its lock: no writer of
    the trail ever waits for it. With the unsealed changes still queued it gives the number of
    committed changes (``baomi.audit.cache.change_position``), which figures are cached under.
    Not part of the chain: it says when to count again, never what happened.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    changes = models.BigIntegerField(_("sealed changes"), default=0)

    class Meta:
        verbose_name = _("sealed change count")
        verbose_name_plural = _("sealed change counts")

    def __str__(self) -> str:
        return str(self.changes)
