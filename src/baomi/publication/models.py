"""Publication review (信息公开保密审查, 先审后发: SUP-3, R-PUB-1..4).

A ``PublicationRequest`` is one item to be published or provided outside, submitted with its
text and attachments, screened against the registry on submission, reviewed by the department
and then the security office, and published only in the version that was approved. The text
and the attachments live encrypted in the vault (ARCHITECTURE rule 3: extracted text counts as
content); rows here hold their metadata, the screening hits as offsets and references, the
decisions with reasons, referrals, the frozen reviewed version and where it was published.
Only publication services change these rows.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.core.levels import Level
from baomi.publication.choices import (
    Channel,
    DeadlineKind,
    Ground,
    HitKind,
    HitSource,
    Outcome,
    ReferralTo,
    RequestStatus,
    Stage,
)

USER = "accounts.User"


class PublicationRequest(models.Model):
    """One item to publish or provide outside, reviewed item by item (SUP-3, R-PUB-1).

    Responsible: the submitter asks; the department head (or the department's secrecy officer)
    reviews first, the security office decides; nobody reviews their own request. Invariants:
    ``status`` moves only through ``lifecycle.TRANSITIONS``; ``approved_version`` is set exactly
    when the request was approved, and a publication is recorded only with its digest
    (R-PUB-1); the submitter never sees the screening hits. The subject may itself contain
    secret words, so the audit label is the number, never the subject.
    """

    title = models.CharField(_("subject"), max_length=300)
    channel = models.CharField(_("publication channel"), max_length=20, choices=Channel.choices)
    channel_detail = models.CharField(_("where exactly"), max_length=200, blank=True)
    intended_on = models.DateField(_("intended publication date"))
    deadline_kind = models.CharField(_("deadline"), max_length=20, choices=DeadlineKind.choices,
                                     default=DeadlineKind.NONE)  # fmt: skip
    formed_on = models.DateField(_("formed, changed or received on"))
    due_on = models.DateField(_("due"), null=True, blank=True, editable=False, db_index=True)
    extension_days = models.PositiveSmallIntegerField(
        _("extension (working days)"), default=0, editable=False
    )
    extension_reason = models.CharField(_("extension reason"), max_length=300, blank=True, editable=False)
    extension_approved_by = models.ForeignKey(USER, verbose_name=_("extension approved by"), null=True,
                                              blank=True, on_delete=models.PROTECT, related_name="+",
                                              editable=False)  # fmt: skip
    submitter = models.ForeignKey(USER, verbose_name=_("submitter"), on_delete=models.PROTECT,
                                  related_name="publication_requests", editable=False)  # fmt: skip
    department = models.ForeignKey("accounts.Department", verbose_name=_("department"), on_delete=models.PROTECT,
                                   related_name="publication_requests", editable=False)  # fmt: skip
    status = models.CharField(_("status"), max_length=20, choices=RequestStatus.choices,
                              default=RequestStatus.DEPT_REVIEW, editable=False, db_index=True)  # fmt: skip
    text_blob = models.ForeignKey("vault.Blob", verbose_name=_("text"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+", editable=False)  # fmt: skip
    text_chars = models.PositiveIntegerField(_("characters"), default=0, editable=False)
    approved_version = models.ForeignKey("ReviewedVersion", verbose_name=_("approved version"), null=True,
                                         blank=True, on_delete=models.PROTECT, related_name="+",
                                         editable=False)  # fmt: skip
    next_reassess_on = models.DateField(_("next re-assessment"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("publication review request")
        verbose_name_plural = _("publication review requests")
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["department", "status"]),
            models.Index(fields=["submitter", "status"]),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def number(self) -> str:
        """The register number: ``GK<year>-<id>`` (the id keeps it unique and permanent)."""
        return f"GK{timezone.localtime(self.submitted_at).year}-{self.pk or 0:05d}"

    def audit_label(self) -> str:
        return self.number  # the subject may hold secret words: never copied into the audit trail


class Attachment(models.Model):
    """A file submitted with a request (docx, pdf, txt, xlsx), encrypted in the vault, with the
    text extracted from it for screening (also in the vault). ``extraction_error`` says why no
    text could be read; such a file is reviewed by eye and screening flags it (SUP-3)."""

    request = models.ForeignKey(PublicationRequest, on_delete=models.CASCADE, related_name="attachments")
    name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    blob = models.ForeignKey("vault.Blob", on_delete=models.PROTECT, related_name="+")
    text_blob = models.ForeignKey(
        "vault.Blob", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text_chars = models.PositiveIntegerField(_("characters"), default=0)
    extraction_error = models.CharField(_("extraction problem"), max_length=200, blank=True)
    # The plaintext digest of the file as uploaded (the installation's hash, ``sm3`` or
    # ``sha256``), the publication fingerprint of this part (R-PUB-1) — never the vault's
    # storage digest, which for AES is over the records' tags. Empty for rows stored before it
    # was kept; ``services._part_digest`` then falls back on the blob.
    digest = models.CharField(_("digest"), max_length=64, blank=True, default="")
    digest_algorithm = models.CharField(_("digest algorithm"), max_length=10, blank=True, default="")

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ReviewedVersion(models.Model):
    """The version a reviewer approved, frozen (R-PUB-1, SUP-3 "the reviewed version kept").

    Its parts are immutable vault blobs (the submitted text and files, or the redacted text the
    reviewer wrote); ``digest`` is the digest of the manifest listing every part's name, size and
    digest, so the version as a whole has one fingerprint. A publication is recorded only for a
    file whose digest equals one of the parts' (or the version's) digest.

    The digests are of the **plaintext** (``algorithm`` ``sm3`` or ``sha256``: the hash of the
    installation's cipher provider), computed by publication itself, never the vault's storage
    digest. Versions frozen on AES installations between issue 20 and SUP-3's fix recorded the
    vault's tag digest (``tag-sha256``); a file is matched against them by reading the parts
    back (``services._publish``).
    """

    request = models.ForeignKey(PublicationRequest, on_delete=models.PROTECT, related_name="versions")
    redacted = models.BooleanField(_("redacted"), default=False)
    manifest = models.ForeignKey("vault.Blob", on_delete=models.PROTECT, related_name="+")
    digest = models.CharField(_("digest"), max_length=64)
    algorithm = models.CharField(_("digest algorithm"), max_length=10)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("frozen at"), default=timezone.now)

    class Meta:
        verbose_name = _("reviewed version")
        verbose_name_plural = _("reviewed versions")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.request_id}:{self.digest[:12]}"

    def audit_label(self) -> str:
        return f"#{self.pk} (request #{self.request_id})"

    @property
    def storage_digest(self) -> bool:
        """Frozen with the vault's tag digest (AES, issue 20 until SUP-3's fix), which no file
        reproduces: a file is matched against the parts read back."""
        return self.algorithm.startswith("tag-")


class VersionPart(models.Model):
    """One file of a reviewed version: the text, an attachment, or the redacted text."""

    version = models.ForeignKey(ReviewedVersion, on_delete=models.CASCADE, related_name="parts")
    name = models.CharField(_("name"), max_length=255)
    blob = models.ForeignKey("vault.Blob", on_delete=models.PROTECT, related_name="+")
    digest = models.CharField(_("digest"), max_length=64)
    size = models.PositiveBigIntegerField(_("size"), default=0)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.name


class ScreeningRun(models.Model):
    """One screening of a request (on submission, on a reviewer's request, and of the version
    being approved) against the registry as it stood (``fingerprint``) — SUP-3."""

    request = models.ForeignKey(PublicationRequest, on_delete=models.CASCADE, related_name="screenings")
    version = models.ForeignKey(ReviewedVersion, null=True, blank=True, on_delete=models.CASCADE,
                                related_name="screenings")  # fmt: skip
    ran_at = models.DateTimeField(_("screened at"), default=timezone.now)
    ran_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    fingerprint = models.CharField(_("registry state"), max_length=200, blank=True)
    chars = models.PositiveIntegerField(_("characters screened"), default=0)
    total = models.PositiveIntegerField(_("hits"), default=0)
    truncated = models.BooleanField(_("more hits than kept"), default=False)

    class Meta:
        verbose_name = _("screening")
        verbose_name_plural = _("screenings")
        ordering = ["-ran_at", "-id"]

    def __str__(self) -> str:
        return f"{self.request_id}@{self.ran_at:%Y-%m-%d %H:%M}"


class Hit(models.Model):
    """One match found by a screening (SUP-3). Registry hits point at the item or carrier they
    match and hold no text of it: the title is shown only to a reviewer who may see that item
    (``selectors.hits_for``); ``shown`` keeps the matched text only for marks, keywords, 份号 and
    (masked) personal information, which name nothing in the registry."""

    run = models.ForeignKey(ScreeningRun, on_delete=models.CASCADE, related_name="hits")
    kind = models.CharField(_("kind"), max_length=20, choices=HitKind.choices)
    source = models.CharField(_("found in"), max_length=12, choices=HitSource.choices)
    attachment = models.ForeignKey(
        Attachment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    start = models.PositiveIntegerField(_("from"))
    end = models.PositiveIntegerField(_("to"))
    # Not ``level``: the generic clearance filter of the policy must not drop a hit the reviewer
    # may not see — it is shown as "above your clearance" instead.
    match_level = models.CharField(_("level"), max_length=20, choices=Level.choices, blank=True)
    item = models.ForeignKey("classification.Item", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+")  # fmt: skip
    carrier = models.ForeignKey("carriers.Carrier", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")  # fmt: skip
    keyword = models.ForeignKey("Keyword", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    shown = models.CharField(_("matched text"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("screening hit")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind}@{self.start}"


class Decision(models.Model):
    """A reviewer's decision with reasons (R-PUB-1 "a review record naming the reviewer";
    R-PUB-2 Art 37 reasons): forwarding by the department, approval (possibly with redactions),
    refusal with its ground, referral, or a re-assessment of withheld information."""

    request = models.ForeignKey(PublicationRequest, on_delete=models.CASCADE, related_name="decisions")
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices)
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices)
    ground = models.CharField(_("ground"), max_length=20, choices=Ground.choices, blank=True)
    reasons = models.TextField(_("reasons"))
    version = models.ForeignKey(
        ReviewedVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        USER, verbose_name=_("reviewer"), on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), default=timezone.now)

    class Meta:
        verbose_name = _("publication decision")
        verbose_name_plural = _("publication decisions")
        ordering = ["decided_at", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} {self.outcome}"

    def audit_label(self) -> str:
        return f"#{self.pk} (request #{self.request_id})"


class Referral(models.Model):
    """An unsure case referred to the competent department or the secrecy bureau, and its answer
    (R-PUB-2, 政府信息公开条例 Art 17 ¶3)."""

    request = models.ForeignKey(PublicationRequest, on_delete=models.CASCADE, related_name="referrals")
    referred_to = models.CharField(_("referred to"), max_length=30, choices=ReferralTo.choices)
    authority = models.CharField(_("authority"), max_length=200)
    question = models.TextField(_("question"))
    referred_on = models.DateField(_("referred on"))
    referred_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    answer = models.TextField(_("answer"), blank=True)
    answer_reference = models.CharField(_("answer reference"), max_length=200, blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    answered_by = models.ForeignKey(USER, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["referred_on", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} → {self.authority}"

    def audit_label(self) -> str:
        return f"#{self.pk} (request #{self.request_id})"


class PublicationRecord(models.Model):
    """Where and when the approved version was published (R-PUB-1: only the approved digest)."""

    request = models.ForeignKey(PublicationRequest, on_delete=models.PROTECT, related_name="publications")
    version = models.ForeignKey(ReviewedVersion, on_delete=models.PROTECT, related_name="publications")
    part = models.ForeignKey(VersionPart, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    where = models.CharField(_("published where"), max_length=300)
    published_on = models.DateField(_("published on"))
    digest = models.CharField(_("digest of the published file"), max_length=64)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("publication record")
        verbose_name_plural = _("publication records")
        ordering = ["published_on", "id"]

    def __str__(self) -> str:
        return f"{self.request_id} @ {self.where}"

    def audit_label(self) -> str:
        return f"#{self.pk} (request #{self.request_id})"


class Keyword(models.Model):
    """A word the security officer wants every publication screened for (SUP-3 (e)), e.g. a
    project's code name. Changing the list refreshes the matcher."""

    text = models.CharField(_("keyword"), max_length=100, unique=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(USER, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    changed_at = models.DateTimeField(_("changed at"), default=timezone.now)

    class Meta:
        verbose_name = _("screening keyword")
        verbose_name_plural = _("screening keywords")
        ordering = ["text"]

    def __str__(self) -> str:
        return self.text

    def audit_label(self) -> str:
        return f"#{self.pk}"
