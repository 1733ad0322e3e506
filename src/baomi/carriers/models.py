"""The carrier registry (涉密载体台账): one row per copy; every ledger is a view of it (CAR-12).

A carrier is one copy of a classified item — paper, electronic file, medium, device, secret
product — with its own permanent registry number, 份号, custodian, place and lifecycle (CAR-1).
Only carrier services change these rows.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.carriers import integrity
from baomi.carriers.choices import (
    CampaignStatus,
    CarrierKind,
    CarrierStatus,
    CopyKind,
    DestructionMethod,
    InventoryResult,
    TransferChannel,
    TransferStatus,
)
from baomi.core.levels import MARK_WORD, Level
from baomi.kit.requests import Request


class Carrier(models.Model):
    """One registered carrier.

    Responsible: the custodian (责任人) holds it; the security office keeps the registry.
    Invariants: ``registry_number`` is unique and permanent, allocated without gaps per unit,
    year and kind (``RegistrySequence``); ``level`` mirrors the item's level (kept in step by
    the classification services) so ledgers filter without a join; a destroyed carrier stays.
    """

    registry_number = models.CharField(_("registry number"), max_length=40, unique=True, editable=False)
    year = models.PositiveIntegerField(_("year"), editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=CarrierKind.choices)
    sequence = models.PositiveIntegerField(_("sequence"), editable=False)
    copy_number = models.CharField(_("copy number"), max_length=6, editable=False)
    # Indexed by ``carrier_item_cells`` (below), which leads with it.
    item = models.ForeignKey("classification.Item", verbose_name=_("classified item"), on_delete=models.PROTECT,
                             related_name="carriers", db_index=False)  # fmt: skip
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, editable=False, db_index=True)
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(_("status"), max_length=20, choices=CarrierStatus.choices,
                              default=CarrierStatus.REGISTERED, editable=False, db_index=True)  # fmt: skip
    custodian = models.ForeignKey("accounts.User", verbose_name=_("custodian"), on_delete=models.PROTECT,
                                  related_name="custody")  # fmt: skip
    department = models.ForeignKey("accounts.Department", verbose_name=_("department"),
                                   on_delete=models.PROTECT, related_name="carriers")  # fmt: skip
    storage_place = models.CharField(_("storage place"), max_length=200, blank=True)
    # The registered cabinet it is kept in (SUP-5, R-CAR-12); ``storage_place`` keeps the words
    # as written — for a cabinet its name, otherwise an unregistered place, shown as such.
    cabinet = models.ForeignKey("sites.Cabinet", verbose_name=_("cabinet"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="carriers")  # fmt: skip
    # The registered device or medium an electronic file lives on (SUP-6).
    device = models.ForeignKey("devices.Device", verbose_name=_("device or medium"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="carriers")  # fmt: skip
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    made_on = models.DateField(_("date made"), default=timezone.localdate)
    produced_at = models.CharField(_("where produced"), max_length=200, blank=True)
    produced_on_device = models.CharField(_("device produced on"), max_length=200, blank=True)
    originator = models.CharField(_("originator"), max_length=200, blank=True)
    # The number (and 份号) a carrier had in the unit's paper or spreadsheet ledger before it
    # was registered here (issue 19, imports): kept, unique, and found by the ledger search.
    former_number = models.CharField(_("former number"), max_length=60, blank=True, db_index=True)
    parent = models.ForeignKey("self", verbose_name=_("copied from"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="copies")  # fmt: skip
    blob = models.ForeignKey("vault.Blob", verbose_name=_("encrypted content"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="carriers")  # fmt: skip
    registered_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False)
    # Who physically has it while it is on loan or taken out (CAR-6, CAR-9); else empty.
    holder = models.ForeignKey("accounts.User", verbose_name=_("current holder"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="held_carriers", editable=False)  # fmt: skip
    # Binds level, number, 份号, kind and item by MAC (R-CRYPTO-5, ``carriers/integrity.py``).
    mark_mac = models.CharField(_("mark MAC"), max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("carrier")
        verbose_name_plural = _("carriers")
        ordering = ["-registered_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "kind", "sequence"], name="carrier_number_once"),
        ]
        indexes = [
            models.Index(fields=["custodian", "status"]),
            # Also covers the statistics' count by department × state × level (OPS-1, OPS-3): the
            # count reads this index alone, never the rows (bench/dashboard).
            models.Index(fields=["department", "status", "level"], name="carrier_dept_state_level"),
            models.Index(fields=["-registered_at", "-id"], name="carrier_newest"),
            # The carriers a reader's scope reaches, counted by department × level × status from
            # the index alone (OPS-1, carriers.rules.visible_cells); also every lookup by item.
            models.Index(fields=["item", "department", "level", "status"], name="carrier_item_cells"),
        ]

    def __str__(self) -> str:
        return self.registry_number

    def get_absolute_url(self) -> str:
        return reverse("carriers:detail", args=[self.pk])

    def audit_label(self) -> str:
        return self.registry_number  # the number, never the title (CAR-2)

    def mark_text(self) -> str:
        """The item's mark as printed on the carrier (R-MARK-3), e.g. ``机密★10年``."""
        return mark_for(self.item)

    @property
    def mark_tampered(self) -> bool:
        """Whether the level, number or item no longer match the stored MAC (R-CRYPTO-5)."""
        return self.pk is not None and integrity.tampered(self)

    def integrity_failed(self) -> bool:
        """The access policy's integrity check (CLS-7, R-CRYPTO-5): a tampered carrier is never
        obeyed — refused to all but the security officer, who sees the alarm."""
        return self.mark_tampered


class CarrierCount(models.Model):
    """Carriers counted by department × level × status, kept by database triggers in each
    writer's transaction (``carriers/tally.py``; OPS-1 speed). Rows are added, never updated:
    a cell's count is the sum of its rows; the ``carriers.compact_count`` job folds them."""

    department_id = models.BigIntegerField(_("department"))
    level = models.CharField(_("level"), max_length=20)
    status = models.CharField(_("status"), max_length=20)
    n = models.IntegerField(_("carriers"))

    class Meta:
        verbose_name = _("carrier count")
        verbose_name_plural = _("carrier counts")
        # A department head's cells and the ranking's leaders: their rows, not all 17,000 at a
        # million carriers (1.7 → 0.2 ms in the database).
        indexes = [models.Index(fields=["department_id"], name="carrier_count_department")]

    def __str__(self) -> str:
        return f"{self.department_id}/{self.level}/{self.status}: {self.n:+d}"


class RegistrationCount(models.Model):
    """Carriers counted by the day they were registered (a UTC date) × level, kept by database
    triggers as ``CarrierCount`` is (``carriers/tally.py``): the security office's registrations
    per month read a few hundred rows instead of the year's index entries. Rows are added, never
    updated; the ``carriers.compact_count`` job folds them."""

    day = models.DateField(_("registered on (UTC)"))
    level = models.CharField(_("level"), max_length=20)
    n = models.IntegerField(_("carriers"))

    class Meta:
        verbose_name = _("registration count")
        verbose_name_plural = _("registration counts")
        indexes = [models.Index(fields=["day", "level"], name="carrier_registered_day")]

    def __str__(self) -> str:
        return f"{self.day}/{self.level}: {self.n:+d}"


def mark_for(item: object) -> str:
    """The mark of an item: the classification app's own ``mark_text`` when it has one,
    otherwise ``密级★保密期限`` built from the item's fields (R-MARK-3, R-WS-2)."""
    own = getattr(item, "mark_text", None)
    if callable(own):
        return str(own())
    level = str(getattr(item, "level", ""))
    word = MARK_WORD.get(level)
    if word is None:  # work secrets and non-secrets never carry a star (R-WS-2)
        return str(Level(level).label) if level in Level.values else ""
    kind = getattr(item, "duration_kind", "")
    if kind == "until" and getattr(item, "until_date", None):
        return "{}★{}解密".format(word, item.until_date.strftime("%Y年%m月%d日"))  # type: ignore[attr-defined]
    if kind == "condition":
        return "{}★{}".format(word, getattr(item, "condition", ""))
    if getattr(item, "long_term", False):
        return f"{word}★长期"
    value = getattr(item, "duration_value", None)
    if value:
        unit = "个月" if getattr(item, "duration_unit", "") == "month" else "年"
        return f"{word}★{value}{unit}"
    return f"{word}★"


class RegistrySequence(models.Model):
    """The next registry sequence per year and kind; rows are locked while a number is taken,
    so numbers are unique and gapless under concurrent registration (CAR-1)."""

    year = models.PositiveIntegerField()
    kind = models.CharField(max_length=20, choices=CarrierKind.choices)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "kind"], name="registry_sequence_once")]

    def __str__(self) -> str:
        return f"{self.year}/{self.kind}: {self.last}"


# --- approvals and records of the lifecycle (CAR-4..11) --------------------------------------


class ContentConsent(models.Model):
    """The originator's consent that unlocks download, copy or print of one 绝密 item
    (R-AC-3, R-CAR-12). Without a live consent these are blocked by default.

    Responsible: recorded by the unit head or the item's classification authority from the
    originator's written consent (``reference``). Invariant: revoked consents stay as history.
    """

    item = models.ForeignKey("classification.Item", verbose_name=_("classified item"), on_delete=models.PROTECT,
                             related_name="content_consents")  # fmt: skip
    allow_download = models.BooleanField(_("download allowed"), default=False)
    allow_copy = models.BooleanField(_("copy, excerpt and compile allowed"), default=False)
    allow_print = models.BooleanField(_("print allowed"), default=False)
    originator = models.CharField(_("consenting originator"), max_length=200)
    reference = models.CharField(_("consent document"), max_length=200)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("originator consent")
        verbose_name_plural = _("originator consents")
        ordering = ["-recorded_at"]

    def __str__(self) -> str:
        return f"consent #{self.pk}"

    def audit_label(self) -> str:
        return f"#{self.pk}"


class ApprovalRequest(Request):
    """A request about one carrier that needs an approval (STYLE 2.5): the shared request base
    (``baomi.kit.requests``) plus the carrier. The decision's reason keeps its stored column
    (``decision_note``)."""

    carrier = models.ForeignKey(
        Carrier, verbose_name=_("carrier"), on_delete=models.PROTECT, related_name="+"
    )
    decision_reason = models.CharField(
        _("decision note"), max_length=300, blank=True, db_column="decision_note"
    )

    class Meta(Request.Meta):
        abstract = True

    @property
    def level(self) -> str:
        return self.carrier.level

    def audit_label(self) -> str:
        return f"#{self.pk} {self.carrier.registry_number}"

    def mark_text(self) -> str:
        return self.carrier.mark_text()


class LoanRequest(ApprovalRequest):
    """A loan (借阅, CAR-6, R-CAR-4): who reads it, where, until when; approved before it is
    handed over, returned and counted back by the custodian or the security office."""

    borrower = models.ForeignKey("accounts.User", verbose_name=_("borrower"), on_delete=models.PROTECT,
                                 related_name="loans")  # fmt: skip
    place = models.CharField(_("place of reading"), max_length=200)
    due_on = models.DateField(_("due date"))
    lent_at = models.DateTimeField(_("lent at"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    received_back_by = models.ForeignKey("accounts.User", verbose_name=_("return received by"), null=True,
                                         blank=True, on_delete=models.PROTECT, related_name="+")  # fmt: skip
    reminded_on = models.DateField(_("last reminder"), null=True, blank=True)

    class Meta(ApprovalRequest.Meta):
        verbose_name = _("loan")
        verbose_name_plural = _("loans")
        # OPS-3: the monthly flow of loans handed over.
        indexes = [models.Index(fields=["status", "due_on"]),
                   models.Index(fields=["lent_at"], name="loan_lent_at", condition=Q(lent_at__isnull=False))]  # fmt: skip

    def __str__(self) -> str:
        return f"loan #{self.pk}"

    def history_steps(self) -> list[tuple[Any, Any, Any, str]]:
        """Beyond filing and the decision (kit/requests.py ``history``): handed over, returned."""
        return [(self.lent_at, _("Handed to the borrower"), self.borrower, ""),
                (self.returned_at, _("Returned and counted back"), self.received_back_by, "")]  # fmt: skip


class CopyRequest(ApprovalRequest):
    """A request to copy, excerpt or compile (CAR-4, R-CAR-5/6). Approval makes child carriers
    with the same mark, their own numbers and a named custodian."""

    kind = models.CharField(_("kind"), max_length=10, choices=CopyKind.choices, default=CopyKind.COPY)
    copies = models.PositiveIntegerField(_("number of copies"), default=1)
    custodian = models.ForeignKey("accounts.User", verbose_name=_("custodian of the copies"),
                                  on_delete=models.PROTECT, related_name="+")  # fmt: skip
    produced = models.ManyToManyField(Carrier, verbose_name=_("copies made"), blank=True, related_name="+")

    class Meta(ApprovalRequest.Meta):
        verbose_name = _("copy request")
        verbose_name_plural = _("copy requests")

    def __str__(self) -> str:
        return f"copy #{self.pk}"


class DownloadRequest(ApprovalRequest):
    """A request to download classified content (CAR-4); approved by the unit head, used once."""

    used_at = models.DateTimeField(_("downloaded at"), null=True, blank=True)

    class Meta(ApprovalRequest.Meta):
        verbose_name = _("download request")
        verbose_name_plural = _("download requests")

    def __str__(self) -> str:
        return f"download #{self.pk}"

    def history_steps(self) -> list[tuple[Any, Any, Any, str]]:
        return [(self.used_at, _("Downloaded"), self.requested_by, "")]


class TakeOutRequest(ApprovalRequest):
    """Taking a carrier out of the premises or abroad (携带外出, CAR-9, R-CAR-9)."""

    destination = models.CharField(_("destination"), max_length=200)
    abroad = models.BooleanField(_("abroad"), default=False)
    protective_measures = models.CharField(_("protective measures"), max_length=300)
    leaves_on = models.DateField(_("leaves on"))
    returns_on = models.DateField(_("returns on"))
    taken_at = models.DateTimeField(_("taken out at"), null=True, blank=True)
    back_at = models.DateTimeField(_("brought back at"), null=True, blank=True)

    class Meta(ApprovalRequest.Meta):
        verbose_name = _("take-out request")
        verbose_name_plural = _("take-out requests")

    def __str__(self) -> str:
        return f"take-out #{self.pk}"

    def history_steps(self) -> list[tuple[Any, Any, Any, str]]:
        return [(self.taken_at, _("Taken out"), self.requested_by, self.destination),
                (self.back_at, _("Brought back"), None, "")]  # fmt: skip


class Transfer(models.Model):
    """A transfer (传递) by a lawful channel; the receiver counts and signs (签收) (CAR-5,
    R-CAR-2/3/12). Invariant: 绝密 travels with a second person (``escort``)."""

    carrier = models.ForeignKey(
        Carrier, verbose_name=_("carrier"), on_delete=models.PROTECT, related_name="transfers"
    )
    sender = models.ForeignKey(
        "accounts.User", verbose_name=_("sender"), on_delete=models.PROTECT, related_name="+"
    )
    receiver = models.ForeignKey("accounts.User", verbose_name=_("receiver"), on_delete=models.PROTECT,
                                 related_name="incoming_transfers")  # fmt: skip
    channel = models.CharField(_("channel"), max_length=20, choices=TransferChannel.choices)
    envelope_number = models.CharField(_("envelope number"), max_length=50)
    escort = models.ForeignKey("accounts.User", verbose_name=_("second person"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")  # fmt: skip
    status = models.CharField(_("status"), max_length=20, choices=TransferStatus.choices,
                              default=TransferStatus.SENT, editable=False, db_index=True)  # fmt: skip
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)
    received_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    counted = models.PositiveIntegerField(_("pages or pieces counted"), null=True, blank=True)
    receipt_note = models.CharField(_("receipt note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"transfer #{self.pk}"

    def history_steps(self) -> list[tuple[Any, Any, Any, str]]:
        """Its steps for the shared history (kit/requests.py ``history``): sent, signed for."""
        sent = f"{self.get_channel_display()} · {self.envelope_number}"
        return [(self.sent_at, _("Sent by a lawful channel"), self.sender, sent),
                (self.received_at, _("Signed for"), self.receiver, self.receipt_note)]  # fmt: skip

    @property
    def level(self) -> str:
        return self.carrier.level

    def audit_label(self) -> str:
        return f"#{self.pk} {self.carrier.registry_number}"

    def mark_text(self) -> str:
        return self.carrier.mark_text()


class PrintRecord(models.Model):
    """A print registration (打印登记, CAR-7): who printed how many copies of what, on which
    device. Each printed copy is itself a carrier (``prints``)."""

    source = models.ForeignKey(Carrier, verbose_name=_("printed from"), on_delete=models.PROTECT,
                               related_name="print_records")  # fmt: skip
    printed_by = models.ForeignKey("accounts.User", verbose_name=_("printed by"), on_delete=models.PROTECT,
                                   related_name="+")  # fmt: skip
    copies = models.PositiveIntegerField(_("copies"))
    device = models.CharField(_("printer"), max_length=200)
    printed_at = models.DateTimeField(_("printed at"), default=timezone.now)
    prints = models.ManyToManyField(Carrier, verbose_name=_("printed copies"), related_name="+")

    class Meta:
        verbose_name = _("print record")
        verbose_name_plural = _("print records")
        ordering = ["-printed_at", "-id"]

    def __str__(self) -> str:
        return f"print #{self.pk}"


class RepairRecord(models.Model):
    """A repair (维修, CAR-9, R-CAR-8). Outside technicians only under a named supervisor."""

    carrier = models.ForeignKey(
        Carrier, verbose_name=_("carrier"), on_delete=models.PROTECT, related_name="repairs"
    )
    technician = models.CharField(_("technician"), max_length=100)
    outside = models.BooleanField(_("outside technician"), default=False)
    company = models.CharField(_("company"), max_length=200, blank=True)
    contractor = models.ForeignKey("contractors.Contractor", verbose_name=_("contractor"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")  # fmt: skip
    supervisor = models.ForeignKey("accounts.User", verbose_name=_("on-site supervisor"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")  # fmt: skip
    place = models.CharField(_("place of repair"), max_length=200)
    fault = models.CharField(_("fault"), max_length=300)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    result = models.CharField(_("result"), max_length=300, blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("repair record")
        verbose_name_plural = _("repair records")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"repair #{self.pk}"


class StorageRecord(models.Model):
    """Sealing, unsealing and archiving with place and date (CAR-10)."""

    class Action(models.TextChoices):
        SEAL = "seal", _("Sealed")
        UNSEAL = "unseal", _("Unsealed")
        ARCHIVE = "archive", _("Archived")

    carrier = models.ForeignKey(Carrier, verbose_name=_("carrier"), on_delete=models.PROTECT,
                                related_name="storage_records")  # fmt: skip
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    place = models.CharField(_("place"), max_length=200)
    on = models.DateField(_("date"), default=timezone.localdate)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("storage record")
        verbose_name_plural = _("storage records")
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.action} #{self.pk}"


class DeclassificationReview(models.Model):
    """A notice to the item's classification authority: a carrier went to the archive, so the
    item is due a declassification review (CAR-10, R-DECL-4/5). The classification side closes
    it with its own decision; the carriers app only raises it."""

    item = models.ForeignKey("classification.Item", verbose_name=_("classified item"), on_delete=models.PROTECT,
                             related_name="archive_reviews")  # fmt: skip
    carrier = models.ForeignKey(Carrier, verbose_name=_("archived carrier"), on_delete=models.PROTECT,
                                related_name="+")  # fmt: skip
    authority = models.ForeignKey("accounts.User", verbose_name=_("classification authority"), null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="archive_reviews")  # fmt: skip
    raised_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(_("raised at"), default=timezone.now)
    handled_at = models.DateTimeField(_("handled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("declassification review notice")
        verbose_name_plural = _("declassification review notices")
        ordering = ["-raised_at", "-id"]

    def __str__(self) -> str:
        return f"review #{self.pk}"

    @property
    def level(self) -> str:
        return self.carrier.level

    def audit_label(self) -> str:
        return f"#{self.pk}"


class RecallCampaign(models.Model):
    """A recall (清退) of every carrier from one issuer (CAR-9, R-CAR-10)."""

    issuer = models.CharField(_("issuer"), max_length=200)
    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("return by"))
    status = models.CharField(_("status"), max_length=10, choices=CampaignStatus.choices,
                              default=CampaignStatus.OPEN, editable=False)  # fmt: skip
    launched_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    launched_at = models.DateTimeField(_("launched at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("recall campaign")
        verbose_name_plural = _("recall campaigns")
        ordering = ["-launched_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("carriers:recall", args=[self.pk])

    def audit_label(self) -> str:
        return f"#{self.pk}"


class RecallEntry(models.Model):
    campaign = models.ForeignKey(RecallCampaign, on_delete=models.PROTECT, related_name="entries")
    carrier = models.ForeignKey(
        Carrier, verbose_name=_("carrier"), on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    received_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")  # fmt: skip

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "carrier"], name="recall_entry_once")]
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.carrier_id}"


class InventoryCampaign(models.Model):
    """A periodic inventory (定期清点, CAR-8): every custodian confirms what they hold;
    a discrepancy opens an incident (账物相符)."""

    title = models.CharField(_("title"), max_length=200)
    due_on = models.DateField(_("complete by"))
    status = models.CharField(_("status"), max_length=10, choices=CampaignStatus.choices,
                              default=CampaignStatus.OPEN, editable=False)  # fmt: skip
    started_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("inventory campaign")
        verbose_name_plural = _("inventory campaigns")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("carriers:inventory", args=[self.pk])

    def audit_label(self) -> str:
        return f"#{self.pk}"


class InventoryEntry(models.Model):
    """One carrier a custodian must show in a campaign, and what was found."""

    campaign = models.ForeignKey(InventoryCampaign, on_delete=models.PROTECT, related_name="entries")
    carrier = models.ForeignKey(
        Carrier, verbose_name=_("carrier"), on_delete=models.PROTECT, related_name="+"
    )
    custodian = models.ForeignKey("accounts.User", verbose_name=_("custodian"), on_delete=models.PROTECT,
                                  related_name="+")  # fmt: skip
    result = models.CharField(_("result"), max_length=10, choices=InventoryResult.choices,
                              default=InventoryResult.PENDING)  # fmt: skip
    note = models.CharField(_("note"), max_length=300, blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    incident = models.ForeignKey("incidents.Incident", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")  # fmt: skip

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "carrier"], name="inventory_entry_once")]
        ordering = ["custodian_id", "id"]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.carrier_id}"

    @property
    def level(self) -> str:
        return self.carrier.level

    def audit_label(self) -> str:
        return f"#{self.pk} {self.carrier.registry_number}"


class InventorySignOff(models.Model):
    """A custodian's signature under their list (CAR-8). For a custodian who is absent (left,
    disabled, on long leave) the security office signs in their place, with a reason and a
    witness, so the inventory can always be finished."""

    campaign = models.ForeignKey(InventoryCampaign, on_delete=models.PROTECT, related_name="signoffs")
    custodian = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(_("signed at"), default=timezone.now)
    signed_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("signed in place by"))  # fmt: skip
    witness = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+", verbose_name=_("witness"))  # fmt: skip
    reason = models.CharField(_("reason for signing in place"), max_length=300, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "custodian"], name="inventory_signoff_once")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.custodian_id}"


class DestructionRequest(Request):
    """A destruction (销毁, CAR-11, R-CAR-11): counted, registered, approved, then destroyed by
    a method or facility before two witnesses. Destroyed carriers stay in the registry; their
    content is crypto-shredded. The 销毁清单 is rendered from this record."""

    carriers = models.ManyToManyField(Carrier, verbose_name=_("carriers"), related_name="destructions")
    # The shared request fields come from ``baomi.kit.requests.Request``; the decision's reason
    # keeps its stored column.
    decision_reason = models.CharField(
        _("decision note"), max_length=300, blank=True, db_column="decision_note"
    )
    level = models.CharField(_("highest level"), max_length=20, choices=Level.choices, editable=False)
    method = models.CharField(_("method"), max_length=20, choices=DestructionMethod.choices, blank=True)
    facility = models.CharField(_("facility"), max_length=200, blank=True)
    contractor = models.ForeignKey("contractors.Contractor", verbose_name=_("destruction body"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")  # fmt: skip
    witness_1 = models.ForeignKey("accounts.User", verbose_name=_("first witness"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")  # fmt: skip
    witness_2 = models.ForeignKey("accounts.User", verbose_name=_("second witness"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")  # fmt: skip
    destroyed_on = models.DateField(_("destroyed on"), null=True, blank=True)
    executed_by = models.ForeignKey("accounts.User", verbose_name=_("executed by"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")  # fmt: skip
    executed_at = models.DateTimeField(_("executed at"), null=True, blank=True)

    class Meta(Request.Meta):
        verbose_name = _("destruction request")
        verbose_name_plural = _("destruction requests")

    def __str__(self) -> str:
        return f"destruction #{self.pk}"

    def history_steps(self) -> list[tuple[Any, Any, Any, str]]:
        method = self.get_method_display() if self.method else ""
        return [(self.executed_at, _("Destroyed"), self.executed_by, method)]

    def get_absolute_url(self) -> str:
        return reverse("carriers:destruction", args=[self.pk])

    def audit_label(self) -> str:
        return f"#{self.pk}"


# --- exchange with other units: 发文 and 收文 (CAR-4, CAR-5, R-CAR-3; issue 12 §3) ---------------


class ExternalUnit(models.Model):
    """Another organ or unit that carriers are dispatched to (发文) or received from (收文): a
    list the security officer keeps, so every dispatch and receipt names a known unit.
    Invariant: names are unique; a unit no longer used is made inactive, never deleted."""

    name = models.CharField(_("unit name"), max_length=200, unique=True)
    code = models.CharField(_("organisation code"), max_length=40, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    active = models.BooleanField(_("in use"), default=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("external unit")
        verbose_name_plural = _("external units")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def audit_label(self) -> str:
        return self.name


class Dispatch(Request):
    """A dispatch (发文) of one carrier to an external unit by a lawful channel with an envelope
    number (CAR-4, CAR-5, R-CAR-3). 机密 and 绝密 wait for the department head's approval; 秘密
    is sent at once. Once sent the carrier leaves the unit (``dispatched``); the receiving
    unit's 回执 (returned receipt) is recorded with its date and signer, and a receipt not back
    by ``receipt_due`` is overdue. Invariant: 绝密 travels with a second person (``escort``)."""

    carrier = models.ForeignKey(Carrier, verbose_name=_("carrier"), on_delete=models.PROTECT,
                                related_name="dispatches")  # fmt: skip
    unit = models.ForeignKey(ExternalUnit, verbose_name=_("receiving unit"), on_delete=models.PROTECT,
                             related_name="dispatches")  # fmt: skip
    addressee = models.CharField(_("addressee"), max_length=100, blank=True)
    channel = models.CharField(_("channel"), max_length=20, choices=TransferChannel.choices)
    envelope_number = models.CharField(_("envelope number"), max_length=50)
    escort = models.ForeignKey("accounts.User", verbose_name=_("second person"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")  # fmt: skip
    sent_by = models.ForeignKey("accounts.User", verbose_name=_("sent by"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")  # fmt: skip
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    receipt_due = models.DateField(_("receipt due"), null=True, blank=True)
    receipt_on = models.DateField(_("receipt returned on"), null=True, blank=True)
    receipt_signer = models.CharField(_("receipt signed by"), max_length=100, blank=True)
    receipt_note = models.CharField(_("receipt note"), max_length=300, blank=True)
    receipt_recorded_by = models.ForeignKey("accounts.User", null=True, blank=True, on_delete=models.PROTECT,
                                            related_name="+")  # fmt: skip

    queue_url = "carriers:dispatches"

    class Meta(Request.Meta):
        verbose_name = _("dispatch to another unit")
        verbose_name_plural = _("dispatches to other units")

    def __str__(self) -> str:
        return f"dispatch #{self.pk}"

    @property
    def level(self) -> str:
        return self.carrier.level

    def audit_label(self) -> str:
        return f"#{self.pk} {self.carrier.registry_number}"

    def mark_text(self) -> str:
        return self.carrier.mark_text()


class IncomingCarrier(models.Model):
    """A carrier received from another unit (收文), registered here under this unit's own
    registry number; the originator's document number and 份号 are kept as they arrived, and
    from then on the carrier follows the ordinary lifecycle (CAR-1, CAR-5)."""

    carrier = models.OneToOneField(Carrier, verbose_name=_("carrier"), on_delete=models.PROTECT,
                                   related_name="incoming")  # fmt: skip
    unit = models.ForeignKey(ExternalUnit, verbose_name=_("originating unit"), on_delete=models.PROTECT,
                             related_name="incoming")  # fmt: skip
    their_number = models.CharField(_("their document number"), max_length=100)
    their_copy_number = models.CharField(_("their copy number"), max_length=20)
    channel = models.CharField(_("channel"), max_length=20, choices=TransferChannel.choices)
    envelope_number = models.CharField(_("envelope number"), max_length=50, blank=True)
    received_on = models.DateField(_("received on"))
    received_by = models.ForeignKey("accounts.User", verbose_name=_("received by"), on_delete=models.PROTECT,
                                    related_name="+")  # fmt: skip
    received_at = models.DateTimeField(_("registered at"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("carrier received from another unit")
        verbose_name_plural = _("carriers received from other units")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "their_number", "their_copy_number"], name="incoming_once"
            ),
        ]

    def __str__(self) -> str:
        return f"incoming #{self.pk}"

    @property
    def level(self) -> str:
        return self.carrier.level

    def audit_label(self) -> str:
        return f"#{self.pk} {self.carrier.registry_number}"
