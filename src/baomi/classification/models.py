"""Classified items (涉密事项), the classification guide and need-to-know scopes.

A classified item is information with a determination: level, duration, scope, basis,
authority and history (CLS-2). Its carriers (copies) live in ``carriers``; every carrier shows
the item's mark. Only classification services change these rows.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.classification.choices import (
    CalendarDayKind,
    CalendarSource,
    DeclassifyReason,
    DurationKind,
    DurationUnit,
    ExpansionStatus,
    ItemStatus,
    LiftGround,
    MatterKind,
    MatterStatus,
    NoticeKind,
    Origin,
    ReportTo,
    RequestKind,
    RequestStatus,
    ReviewDecisionKind,
    StartBasis,
)
from baomi.classification.lifecycle import EXPANSION, REQUEST
from baomi.classification.marking import item_duration, item_mark, mark_is_tampered
from baomi.core.errors import ValidationFailed
from baomi.core.levels import Level
from baomi.core.marks import declassified_mark_html
from baomi.kit import requests
from baomi.kit.requests import Request


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

    # What a list prefetches to check its rows' marks without a query per row (policy.screen).
    INTEGRITY_PREFETCH = ("scope",)

    title = models.CharField(_("title"), max_length=300)
    reference = models.CharField(_("document number"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=Level.choices, db_index=True)
    status = models.CharField(_("status"), max_length=20, choices=ItemStatus.choices,
                              default=ItemStatus.PROPOSED, editable=False, db_index=True)  # fmt: skip
    # Duration: a tagged union (R-DUR-2), checked by a constraint below.
    # An empty ``duration_kind`` means no duration: non-secrets, or a work secret without one (0002).
    duration_kind = models.CharField(
        _("duration kind"), max_length=10, choices=DurationKind.choices, blank=True
    )
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
    # Added by 0002: who owns the determination, when it ends, why it ended (CLS-8, CLS-9).
    external_originator = models.CharField(
        _("originating unit (if another unit)"), max_length=200, blank=True,
        help_text=_("Leave empty for items this unit determined. Items of other units cannot be changed here."),
    )  # fmt: skip
    expires_on = models.DateField(
        _("declassified after"), null=True, blank=True, editable=False, db_index=True
    )
    declassify_reason = models.CharField(_("declassification reason"), max_length=20,
                                         choices=DeclassifyReason.choices, blank=True, editable=False)  # fmt: skip
    declassify_reference = models.CharField(_("evidence or publication reference"), max_length=300, blank=True,
                                            editable=False)  # fmt: skip
    reminded_on = models.DateField(_("expiry reminder sent"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("classified item")
        verbose_name_plural = _("classified items")
        ordering = ["-id"]
        # OPS-3: the monthly flow of declassified items (few rows are ever declassified).
        indexes = [models.Index(fields=["declassified_at"], name="item_declassified_at",
                                condition=Q(declassified_at__isnull=False))]  # fmt: skip
        constraints = [
            models.CheckConstraint(
                name="item_duration_one_form_or_none",
                condition=(
                    Q(duration_kind="period", until_date__isnull=True, condition="")
                    & (Q(duration_value__isnull=False) | Q(long_term=True))
                )
                | Q(
                    duration_kind="until", until_date__isnull=False, duration_value__isnull=True, condition=""
                )
                | Q(duration_kind="condition", until_date__isnull=True, duration_value__isnull=True)
                & ~Q(condition="")
                | Q(
                    duration_kind="",
                    until_date__isnull=True,
                    duration_value__isnull=True,
                    condition="",
                    long_term=False,
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("classification:item", args=[self.pk])

    def audit_label(self) -> str:
        return f"#{self.pk}"  # the title is content: never copied into the audit trail (CAR-2)

    # --- marks (CLS-7, R-MARK-7/8, R-CRYPTO-5) --------------------------------------------
    def mark_text(self) -> str:
        """The mark as it must appear on every view of the item (CLS-7); 「解密」 once lifted."""
        return item_mark(self)

    def former_mark(self) -> str:
        """The last mark a declassified item carried (shown cancelled, R-MARK-7/8); lists read it
        with their rows (``selectors.former_mark_subquery``)."""
        if "former_mark_text" in self.__dict__:
            return self.__dict__["former_mark_text"] or ""
        last = self.marks.filter(cancelled_at__isnull=False).order_by("-valid_from", "-id").first()
        return last.text if last else ""

    def declassified_mark_html(self) -> str:
        """The former mark struck through with 「解密」 beside it (R-MARK-8), as safe HTML."""
        return declassified_mark_html(self.former_mark())

    def duration_text(self) -> str:
        """The duration as written after ★: ``10年``, ``2030年6月30日``, the condition, ``长期``."""
        d = item_duration(self)
        return d.text() if d is not None else ""

    @property
    def mark_tampered(self) -> bool:
        """Whether the stored mark MAC no longer matches the item's determination (R-CRYPTO-5)."""
        return mark_is_tampered(self)

    def integrity_failed(self) -> bool:
        """The access policy's integrity check (CLS-7, R-CRYPTO-5): a tampered mark is never
        obeyed — the item is refused to all but the security officer, who sees the alarm."""
        return self.mark_tampered

    @property
    def is_live(self) -> bool:
        return self.status in (ItemStatus.PROPOSED, ItemStatus.PENDING_UPWARD, ItemStatus.DETERMINED)

    @property
    def is_own(self) -> bool:
        """Determined by this unit: only the originating unit changes or lifts (CLS-8, R-CHG-1)."""
        return not self.external_originator


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


class ClassificationRequest(Request):
    """A proposal to determine, change, extend or lift an item's classification (CLS-4, CLS-8).

    Responsible: a case handler (承办人) proposes; a classification authority (定密责任人) with an
    authority level at or above the level concerned approves or refuses with a reason; one person
    never both (R-DET-2). Proposed values live here until approval copies them to the item.

    On the shared request base (``baomi.kit.requests``, issue 10): the case handler is its
    requester (the API keeps the names ``proposed_by`` / ``proposed_at``). Its table
    (``lifecycle.REQUEST``) adds the upward referral (``pending_upward``, R-DET-5), decided with
    ``record_upward``; it stores ``refused``. The base refuses the decision to the proposer, with
    a 409 rather than as not found (``own_request_message``: they see their own proposal).
    """

    item = models.ForeignKey(Item, verbose_name=_("classified item"), on_delete=models.PROTECT,
                             related_name="requests")  # fmt: skip
    kind = models.CharField(_("kind"), max_length=12, choices=RequestKind.choices)
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices,
                              default=RequestStatus.PENDING, editable=False, db_index=True)  # fmt: skip
    level = models.CharField(_("proposed level"), max_length=20, choices=Level.choices, blank=True)
    duration_kind = models.CharField(
        _("duration kind"), max_length=10, choices=DurationKind.choices, blank=True
    )
    duration_value = models.PositiveIntegerField(_("duration"), null=True, blank=True)
    duration_unit = models.CharField(_("unit"), max_length=10, choices=DurationUnit.choices, blank=True)
    until_date = models.DateField(_("declassification date"), null=True, blank=True)
    condition = models.CharField(_("declassification condition"), max_length=300, blank=True)
    long_term = models.BooleanField(_("long-term"), default=False)
    duration_basis = models.CharField(_("basis for a long or above-cap duration"), max_length=300, blank=True)
    scope_changes = models.JSONField(_("scope changes"), default=dict, blank=True)
    lift_ground = models.CharField(
        _("ground for lifting"), max_length=20, choices=LiftGround.choices, blank=True
    )
    evidence = models.CharField(_("evidence or publication reference"), max_length=300, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    before = models.JSONField(_("before"), default=dict, blank=True, editable=False)
    requested_by = models.ForeignKey("accounts.User", verbose_name=_("case handler"), on_delete=models.PROTECT,
                                     related_name="classification_requests")  # fmt: skip
    requested_at = models.DateTimeField(_("proposed at"), default=timezone.now, editable=False)
    decided_by = models.ForeignKey("accounts.User", verbose_name=_("classification authority"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decision_reason = models.TextField(_("decision reason"), blank=True)
    upward_reference = models.CharField(_("superior's decision reference"), max_length=200, blank=True)
    # Issue 19 §4: a determination made before baomi, recorded from the unit's ledger by the
    # security office: the classification authority as the ledger names them (``decided_by`` is
    # empty, ``decided_at`` is the recorded determination date).
    recorded_authority = models.CharField(_("classification authority (as recorded)"), max_length=100,
                                          blank=True)  # fmt: skip

    transitions = REQUEST
    verb_names = {requests.REJECT: "refuse"}
    waiting_statuses = (RequestStatus.PENDING, RequestStatus.PENDING_UPWARD)
    own_request_message = _("You proposed this; another classification authority must decide it.")

    class Meta(Request.Meta):
        verbose_name = _("classification request")
        verbose_name_plural = _("classification requests")
        indexes = [models.Index(fields=["status", "kind"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("classification:request", args=[self.pk])

    def audit_label(self) -> str:
        return f"#{self.pk} ({self.kind}, item #{self.item_id})"

    # The names the proposal had before it moved onto the base (the API, forms, tests).
    proposed_by = requests.alias("requested_by")
    proposed_by_id = requests.alias("requested_by_id", writable=False)
    proposed_at = requests.alias("requested_at", writable=False)


class MarkRecord(models.Model):
    """One mark an item has carried (R-MARK-7/8): the current one, and the old ones kept in
    history and shown visibly cancelled. ``mac`` binds the text to the item (R-CRYPTO-5)."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="marks")
    text = models.CharField(_("mark"), max_length=300)
    mac = models.CharField(_("MAC"), max_length=64, blank=True)
    valid_from = models.DateTimeField(_("from"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    request = models.ForeignKey(ClassificationRequest, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")  # fmt: skip

    class Meta:
        verbose_name = _("mark record")
        verbose_name_plural = _("mark records")
        ordering = ["valid_from", "id"]

    def __str__(self) -> str:
        return self.text


class Notice(models.Model):
    """A written notice to one person in scope (R-SCOPE-4, R-DUR-3, R-DECL-4); acknowledging it is
    the proof of delivery."""

    item = models.ForeignKey(Item, verbose_name=_("classified item"), on_delete=models.CASCADE,
                             related_name="notices")  # fmt: skip
    recipient = models.ForeignKey("accounts.User", verbose_name=_("recipient"), on_delete=models.CASCADE,
                                  related_name="classification_notices")  # fmt: skip
    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    old_mark = models.CharField(_("old mark"), max_length=300, blank=True)
    new_mark = models.CharField(_("new mark"), max_length=300, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notice")
        verbose_name_plural = _("notices")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "acknowledged_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def audit_label(self) -> str:
        return f"#{self.pk} (item #{self.item_id})"

    @property
    def level(self) -> str:
        return self.item.level


class Matter(models.Model):
    """An unclear matter or a dispute (CLS-6, R-DET-10/11): provisionally protected, with the
    10-working-day report and decision deadlines. In a dispute the highest claimed level applies."""

    item = models.ForeignKey(Item, verbose_name=_("classified item"), on_delete=models.PROTECT,
                             related_name="matters")  # fmt: skip
    kind = models.CharField(_("kind"), max_length=10, choices=MatterKind.choices)
    status = models.CharField(_("status"), max_length=10, choices=MatterStatus.choices,
                              default=MatterStatus.OPEN, editable=False)  # fmt: skip
    report_to = models.CharField(_("report to"), max_length=12, choices=ReportTo.choices)
    claims = models.JSONField(_("claimed levels"), default=list, blank=True)
    description = models.TextField(_("description"), blank=True)
    set_on = models.DateField(_("provisionally protected on"))
    report_due = models.DateField(_("report due"))
    reported_on = models.DateField(_("reported on"), null=True, blank=True)
    report_reference = models.CharField(_("report reference"), max_length=200, blank=True)
    decision_due = models.DateField(_("decision due"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=300, blank=True)
    decided_level = models.CharField(_("decided level"), max_length=20, choices=Level.choices, blank=True)
    opened_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)

    class Meta:
        verbose_name = _("unclear matter or dispute")
        verbose_name_plural = _("unclear matters and disputes")
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    def audit_label(self) -> str:
        return f"#{self.pk} (item #{self.item_id})"

    @property
    def level(self) -> str:
        return self.item.level


class CalendarDay(models.Model):
    """A day of the working-day calendar kept by the security officer: a public holiday, or a
    weekend day that is a make-up working day (调休). Deadlines of CLS-6 count working days."""

    day = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=CalendarDayKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True)
    source = models.CharField(
        _("source"),
        max_length=10,
        choices=CalendarSource.choices,
        default=CalendarSource.OFFICER,
        editable=False,
    )

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.name}"

    def audit_label(self) -> str:
        return str(self.day)


class ReviewCampaign(models.Model):
    """The annual review (年度审核) of every live item (CLS-10, R-DECL-1)."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    title = models.CharField(_("title"), max_length=200)
    opened_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened at"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("review campaign")
        verbose_name_plural = _("review campaigns")
        ordering = ["-year"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("classification:campaign", args=[self.pk])

    def audit_label(self) -> str:
        return str(self.year)


class ReviewDecision(models.Model):
    """One item of a review campaign and the decision a named authority took on it (R-DECL-1)."""

    campaign = models.ForeignKey(ReviewCampaign, on_delete=models.CASCADE, related_name="decisions")
    item = models.ForeignKey(Item, verbose_name=_("classified item"), on_delete=models.PROTECT,
                             related_name="reviews")  # fmt: skip
    decision = models.CharField(_("decision"), max_length=10, choices=ReviewDecisionKind.choices, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    decided_by = models.ForeignKey("accounts.User", verbose_name=_("classification authority"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")  # fmt: skip
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    request = models.ForeignKey(ClassificationRequest, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")  # fmt: skip

    class Meta:
        verbose_name = _("review decision")
        verbose_name_plural = _("review decisions")
        ordering = ["campaign", "item"]
        constraints = [models.UniqueConstraint(fields=["campaign", "item"], name="review_item_once")]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.item_id}"

    def audit_label(self) -> str:
        return f"#{self.pk} (item #{self.item_id})"

    @property
    def level(self) -> str:
        return self.item.level

    @property
    def prev_decision_display(self) -> str:
        """The previous campaign's choice as shown (set by ``selectors.with_previous_decision``)."""
        choice = getattr(self, "prev_decision", "") or ""
        return str(ReviewDecisionKind(choice).label) if choice else ""


class ExpansionRequest(Request):
    """A request to let a person outside the scope know an item (R-SCOPE-2), approved by the
    unit head; approval adds a dated scope entry.

    On the shared request base (``baomi.kit.requests``, issue 10): the person to be let in is
    the one it is for, so the base refuses the decision to them as to the requester; its table
    (``lifecycle.EXPANSION``) decides with ``approve_expansion`` and stores ``refused``."""

    item = models.ForeignKey(Item, verbose_name=_("classified item"), on_delete=models.PROTECT,
                             related_name="expansions")  # fmt: skip
    person = models.ForeignKey("accounts.User", verbose_name=_("person"), on_delete=models.PROTECT,
                               related_name="+")  # fmt: skip
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ExpansionStatus.choices,
                              default=ExpansionStatus.PENDING, editable=False)  # fmt: skip

    beneficiary_field = "person"
    transitions = EXPANSION
    verb_names = {requests.REJECT: "refuse"}

    class Meta(Request.Meta):
        verbose_name = _("need-to-know expansion request")
        verbose_name_plural = _("need-to-know expansion requests")

    def __str__(self) -> str:
        return f"#{self.pk}"

    def audit_label(self) -> str:
        return f"#{self.pk} (item #{self.item_id})"

    @property
    def level(self) -> str:
        return self.item.level

    def check_decision(self, actor: Any, verb: str, reason: str, **inputs: Any) -> None:
        """R-SCOPE-2: a refusal says why."""
        if verb == requests.REJECT and not reason.strip():
            raise ValidationFailed(
                _("Give the reason for the refusal."),
                fields={"reason": [_("Give the reason for the refusal.")]},
            )


class ExpansionDesignee(models.Model):
    """A person the unit head designates to approve need-to-know expansions in their place
    (R-SCOPE-2: "主要负责人或者其指定的人员"). Recorded by the security officer or the unit head;
    revoking keeps the record with who revoked it and when. At most one open designation a person.
    """

    user = models.ForeignKey("accounts.User", verbose_name=_("designee"), on_delete=models.PROTECT,
                             related_name="+")  # fmt: skip
    note = models.CharField(_("note"), max_length=300, blank=True)
    designated_by = models.ForeignKey("accounts.User", verbose_name=_("designated by"), on_delete=models.PROTECT,
                                      related_name="+")  # fmt: skip
    designated_at = models.DateTimeField(_("designated at"), default=timezone.now)
    revoked_by = models.ForeignKey("accounts.User", verbose_name=_("revoked by"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")  # fmt: skip
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("expansion approver designation")
        verbose_name_plural = _("expansion approver designations")
        ordering = ["-designated_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=Q(revoked_at__isnull=True), name="expansion_designee_open_once"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk}"

    def audit_label(self) -> str:
        return f"#{self.pk} (user #{self.user_id})"
