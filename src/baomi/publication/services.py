"""Publication review services: every change to a review request (SUP-3, R-PUB-1..4).

Each service: lock → ``access.require`` → lifecycle check → change → audit, in one transaction
(``@service``). Content (the text, the files, the text extracted from them, redacted versions)
goes into the vault; rows keep metadata, offsets and references. The screening
(``registry.screen``) runs on submission, on a reviewer's request and on every version being
approved, and its hits are stored for the reviewers — never shown to the submitter. Audit
entries carry counts, kinds, ids and digests; never the subject, the text, a matched title or a
keyword (CAR-2).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.access.policy import can, require
from baomi.audit.record import record
from baomi.classification import workdays
from baomi.core.errors import ValidationFailed
from baomi.core.levels import STATE_SECRET_LEVELS
from baomi.kit.service import internal, own_transaction, service
from baomi.publication import extract, registry
from baomi.publication.choices import (
    OPEN_STATES,
    REGISTRY_KINDS,
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
from baomi.publication.events import PublicationEvent
from baomi.publication.lifecycle import next_move, policy_actions
from baomi.publication.models import (
    Attachment,
    Decision,
    Hit,
    Keyword,
    PublicationRecord,
    PublicationRequest,
    Referral,
    ReviewedVersion,
    ScreeningRun,
    VersionPart,
)
from baomi.vault import services as vault
from baomi.vault.crypto import Digest, default_provider, get_provider

MAX_HITS = 500  # kept per screening; the run says when there were more
TEXT_TYPE = "text/plain; charset=utf-8"
# The plaintext hash of each provider: a version's fingerprint is of the plaintext, in the hash
# of the installation's cipher provider when it was frozen (SM3 for SM4, SHA-256 for AES).
DIGEST_PROVIDERS = {"sm3": "sm4", "sha256": "aes"}
TAG_PREFIX = "tag-"  # the vault's digest over the records' tags (crypto.TagDigest), not of content


def _invalid(field: str, message: Any) -> ValidationFailed:
    return ValidationFailed(message, fields={field: [message]})


def _locked(req: PublicationRequest) -> PublicationRequest:
    return PublicationRequest.objects.select_for_update().get(pk=req.pk)


def _move(actor: Any, req: PublicationRequest, action: str) -> tuple[PublicationRequest, Any]:
    req = _locked(req)
    require(actor, "view", req)  # forbidden looks like not found, whatever the state (CAR-3)
    needed = policy_actions(action)
    if needed and not any(can(actor, a, req) for a in needed):
        require(actor, needed[0], req)  # refused before the state is revealed
    move = next_move(req.status, action)
    require(actor, move.action, req)
    return req, move


def _pairs(text: str) -> dict[str, int]:
    out = {}
    for part in text.split(","):
        if "=" in part:
            key, value = part.split("=", 1)
            out[key.strip()] = int(value)
    return out


@internal
def deadline_days(kind: str) -> int | None:
    """Working days of a deadline kind (R-PUB-3, ``BAOMI_PUBLICATION_DEADLINES``); None when
    there is no statutory deadline. A pure helper."""
    if kind == DeadlineKind.NONE:
        return None
    return _pairs(settings.PUBLICATION_DEADLINES)[kind]


@internal
def due_date(kind: str, formed_on: date, extension: int = 0) -> date | None:
    """The deadline in working days on the holiday calendar (R-PUB-3); a read-only helper."""
    days = deadline_days(kind)
    if days is None:
        return None
    return workdays.add_working_days(formed_on, days + extension)


@internal
def plaintext_algorithm(algorithm: str) -> str:
    """The plaintext hash behind a recorded algorithm: ``sm3``/``sha256`` as they are, and the
    hash a vault tag digest uses (``tag-sha256`` → ``sha256``); a pure helper."""
    return algorithm.removeprefix(TAG_PREFIX)


@internal
def fingerprint_algorithm() -> str:
    """The hash new versions are fingerprinted with: the plaintext hash of the installation's
    cipher provider (``sm3`` for SM4, ``sha256`` for AES, ``BAOMI_CIPHER``); a pure helper."""
    return default_provider().new_digest().name


@internal
def digest_of(data: bytes, algorithm: str) -> str:
    """The digest of the plaintext ``data`` with ``algorithm`` (``sm3`` or ``sha256``, through
    the provider's ``new_digest``); a pure helper. Never the vault's storage digest: that one
    depends, for AES, on the blob's random data key (docs/vault.md "The content digest")."""
    digest = _new_digest(algorithm)
    digest.update(data)
    return digest.hexdigest()


def _new_digest(algorithm: str) -> Digest:
    return get_provider(DIGEST_PROVIDERS[plaintext_algorithm(algorithm)]).new_digest()


def _read_upload(upload: Any) -> tuple[str, str, bytes]:
    name = str(getattr(upload, "name", "") or "file")[:255]
    limit = settings.PUBLICATION_MAX_UPLOAD_MB * 1024 * 1024
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise _invalid(
            "uploads", _("A file is larger than %(mb)s MB.") % {"mb": settings.PUBLICATION_MAX_UPLOAD_MB}
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _invalid(
            "uploads", _("A file is larger than %(mb)s MB.") % {"mb": settings.PUBLICATION_MAX_UPLOAD_MB}
        )
    if extract.extension(name) not in extract.SUPPORTED:
        raise _invalid("uploads", _("Only txt, docx, pdf and xlsx files can be screened."))
    return name, extract.SUPPORTED[extract.extension(name)], data


def _read_blob(actor: Any, blob: Any, target: Any) -> bytes:
    with vault.open_stream(actor, blob, target=target) as reader:
        return bytes(reader.read())


def _blob_digest(actor: Any, blob: Any, target: Any, algorithm: str) -> str:
    """The plaintext digest of ``blob`` with ``algorithm``: read back through the vault
    (audited BLOB_READ) and hashed chunk by chunk."""
    digest = _new_digest(algorithm)
    with vault.open_stream(actor, blob, target=target) as reader:
        for chunk in reader:
            digest.update(bytes(chunk))
    return digest.hexdigest()


def _part_digest(
    actor: Any, blob: Any, target: Any, algorithm: str, *, known: tuple[str, str] = ("", "")
) -> str:
    """The plaintext digest of a part already in the vault, with ``algorithm``: the one kept
    when it was uploaded (``known`` = digest, algorithm), else the blob's own digest when that
    is a plaintext digest of the same hash (SM4 ``sm3``; AES before issue 20, ``sha256``), else
    the blob read back (AES ``tag-sha256``, or a cipher changed since the upload)."""
    if known[0] and known[1] == algorithm:
        return known[0]
    if blob.digest_algorithm == algorithm:
        return str(blob.digest)
    return _blob_digest(actor, blob, target, algorithm)


def _department_reviewers(department: Any, submitter: Any) -> list[Any]:
    return [
        u for u in (department.head, department.secrecy_officer) if u is not None and u.pk != submitter.pk
    ]


# --- screening ---------------------------------------------------------------------------------


def _screen(actor: Any, req: PublicationRequest, sources: list[tuple[str, Attachment | None, str]],
            *, version: ReviewedVersion | None = None, unreadable: list[Attachment] | None = None) -> ScreeningRun:  # fmt: skip
    """Screen ``sources`` and store the run and its hits; audit counts per kind (SUP-3)."""
    by_id = {a.pk: a for _s, a, _t in sources if a is not None}
    found, fingerprint, chars = registry.screen([(s, a.pk if a else None, t) for s, a, t in sources])
    run = ScreeningRun(request=req, version=version, ran_by=actor if getattr(actor, "pk", None) else None,
                       fingerprint=fingerprint, chars=chars)  # fmt: skip
    hits = [
        Hit(kind=HitKind.UNREADABLE, source=HitSource.ATTACHMENT, attachment=a, start=0, end=0,
            shown=a.extraction_error[:100])
        for a in unreadable or []
    ]  # fmt: skip
    for f in found:
        hits.append(Hit(kind=f.kind, source=f.source, attachment=by_id.get(f.attachment_id or 0), start=f.start,
                        end=f.end, match_level=f.level, item_id=f.item_id, carrier_id=f.carrier_id,
                        keyword_id=f.keyword_id, shown=f.shown))  # fmt: skip
    run.total = len(hits)
    run.truncated = len(hits) > MAX_HITS
    run.save()
    for h in hits[:MAX_HITS]:
        h.run = run
    Hit.objects.bulk_create(hits[:MAX_HITS])
    counts: dict[str, int] = {}
    for h in hits:
        counts[h.kind] = counts.get(h.kind, 0) + 1
    record(actor, PublicationEvent.PUBLICATION_SCREENED, req,
           details={"run": run.pk, "version": version.pk if version else None, "chars": chars, "hits": run.total,
                    "kinds": counts, "registry": fingerprint})  # fmt: skip
    return run


def _request_sources(
    actor: Any, req: PublicationRequest
) -> tuple[list[tuple[str, Any, str]], list[Attachment]]:
    sources: list[tuple[str, Any, str]] = [(HitSource.TITLE, None, req.title)]
    if req.text_blob_id:
        sources.append((HitSource.TEXT, None, _read_blob(actor, req.text_blob, req).decode("utf-8")))
    unreadable = []
    for att in req.attachments.all():
        if att.text_blob_id:
            sources.append((HitSource.ATTACHMENT, att, _read_blob(actor, att.text_blob, req).decode("utf-8")))
        else:
            unreadable.append(att)
    return sources, unreadable


# --- submission (SUP-3, R-PUB-1, R-PUB-3) ------------------------------------------------------


@service
def submit_request(actor: Any, *, title: str, channel: str, intended_on: date, formed_on: date,
                   deadline_kind: str = DeadlineKind.NONE, channel_detail: str = "", text: str = "",
                   uploads: list[Any] | None = None) -> PublicationRequest:  # fmt: skip
    """Ask for a publication review of what is to be published or provided outside (SUP-3).

    The text and each file go encrypted into the vault; the files' text is extracted (txt,
    docx, pdf, xlsx) and everything is screened against the registry at once. The request goes
    to the department's reviewer, or straight to the security office when the department has
    none other than the submitter. The deadline counts working days (R-PUB-3).
    *Requires* ``submit_publication``. *Audits* PUBLICATION_SUBMITTED, PUBLICATION_SCREENED,
    BLOB_STORED per stored part. *Raises* ValidationFailed for missing or bad fields and files.
    """
    require(actor, "submit_publication")
    title, text = (title or "").strip(), text or ""
    if not title:
        raise _invalid("title", _("Enter the subject."))
    channel, deadline_kind = Channel(channel), DeadlineKind(deadline_kind)
    if actor.department_id is None:
        raise _invalid("department", _("You belong to no department; ask the system administrator."))
    today = timezone.localdate()
    if formed_on > today:
        raise _invalid("formed_on", _("The date cannot be in the future."))
    if intended_on < today:
        raise _invalid("intended_on", _("The intended publication date has passed."))
    files = [_read_upload(u) for u in uploads or []]
    if not text.strip() and not files:
        raise _invalid("text", _("Enter the text or attach the files to be published."))
    extracted: list[tuple[str, str, bytes, str, str]] = []
    total = len(text)
    for name, content_type, data in files:
        try:
            body, error = extract.extract_text(name, data), ""
        except extract.ExtractionError as exc:
            body, error = "", str(exc)
        total += len(body)
        extracted.append((name, content_type, data, body, error))
    if total > settings.PUBLICATION_MAX_TEXT_CHARS:
        raise _invalid("text", _("The text is too long to screen (more than %(n)s characters).")
                       % {"n": settings.PUBLICATION_MAX_TEXT_CHARS})  # fmt: skip
    department = actor.department
    stage = (
        RequestStatus.DEPT_REVIEW if _department_reviewers(department, actor) else RequestStatus.OFFICE_REVIEW
    )
    req = PublicationRequest(title=title[:300], channel=channel, channel_detail=channel_detail.strip()[:200],
                             intended_on=intended_on, deadline_kind=deadline_kind, formed_on=formed_on,
                             due_on=due_date(deadline_kind, formed_on), submitter=actor, department=department,
                             status=stage, text_chars=len(text))  # fmt: skip
    req.save()
    if text.strip():
        req.text_blob = vault.store(actor, text.encode("utf-8"), content_type=TEXT_TYPE, target=req)
        req.save(update_fields=["text_blob"])
    sources: list[tuple[str, Any, str]] = [(HitSource.TITLE, None, req.title), (HitSource.TEXT, None, text)]
    unreadable = []
    algorithm = fingerprint_algorithm()
    for name, content_type, data, body, error in extracted:
        att = Attachment(request=req, name=name, content_type=content_type, size=len(data), text_chars=len(body),
                         extraction_error=error[:200], digest=digest_of(data, algorithm), digest_algorithm=algorithm,
                         blob=vault.store(actor, data, content_type=content_type, target=req))  # fmt: skip
        if body:
            att.text_blob = vault.store(actor, body.encode("utf-8"), content_type=TEXT_TYPE, target=req)
        att.save()
        if body:
            sources.append((HitSource.ATTACHMENT, att, body))
        else:
            unreadable.append(att)
    record(actor, PublicationEvent.PUBLICATION_SUBMITTED, req,
           details={"channel": channel, "deadline": deadline_kind, "due_on": req.due_on, "stage": stage,
                    "attachments": len(extracted), "chars": total})  # fmt: skip
    _screen(actor, req, sources, unreadable=unreadable)
    return req


@service
def rescreen_request(actor: Any, req: PublicationRequest) -> ScreeningRun:
    """Screen a request again against the registry as it is now (SUP-3): a reviewer's check
    after the registry changed. *Requires* ``view_hits``. *Audits* PUBLICATION_SCREENED."""
    req, _unchanged = _move(actor, req, "rescreen")
    sources, unreadable = _request_sources(actor, req)
    return _screen(actor, req, sources, unreadable=unreadable)


# --- decisions (R-PUB-1, R-PUB-2) -------------------------------------------------------------


def _decision(actor: Any, req: PublicationRequest, stage: str, outcome: str, reasons: str, *,
              ground: str = "", version: ReviewedVersion | None = None) -> Decision:  # fmt: skip
    d = Decision(request=req, stage=stage, outcome=outcome, reasons=reasons, ground=ground, version=version,
                 decided_by=actor)  # fmt: skip
    d.save()
    return d


def _reasons(reasons: str) -> str:
    reasons = (reasons or "").strip()
    if not reasons:
        raise _invalid("reasons", _("Give the reasons for the decision."))
    return reasons


@internal
def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months (the 31st becomes the month's last day); pure."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for dom in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=dom)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 28 always exists


def _withhold(req: PublicationRequest) -> None:
    req.decided_at = timezone.now()
    req.next_reassess_on = add_months(timezone.localdate(), settings.PUBLICATION_REASSESS_MONTHS)


@service
def review_department(actor: Any, req: PublicationRequest, *, agree: bool, reasons: str,
                      ground: str = "") -> PublicationRequest:  # fmt: skip
    """The department's review (SUP-3): agree and forward to the security office, or refuse
    with reasons and the ground (R-PUB-2 Art 37). *Requires* ``review_department`` (never one's
    own request). *Audits* PUBLICATION_FORWARDED or PUBLICATION_DECIDED."""
    req, move = _move(actor, req, "forward" if agree else "refuse")
    reasons = _reasons(reasons)
    fields = ["status"]
    if not agree:
        ground = Ground(ground) if ground else ""
        if not ground:
            raise _invalid("ground", _("Choose the ground for withholding."))
        _withhold(req)
        fields += ["decided_at", "next_reassess_on"]
    outcome = Outcome.FORWARD if agree else Outcome.REFUSE
    d = _decision(actor, req, Stage.DEPARTMENT, outcome, reasons, ground=ground)
    req.status = move.next_state
    req.save(update_fields=fields)
    record(actor, move.event, req, details={"stage": Stage.DEPARTMENT, "outcome": outcome, "ground": ground,
                                            "decision": d.pk})  # fmt: skip
    return req


Part = tuple[str, Any, int, str, str]  # name, blob, size, content type, plaintext digest


def _freeze(actor: Any, req: PublicationRequest, parts: list[Part], *, algorithm: str,
            redacted: bool) -> ReviewedVersion:  # fmt: skip
    """Freeze ``parts`` as a reviewed version: the manifest of names, sizes and plaintext
    digests goes into the vault and the digest of the manifest's bytes is the version's (SUP-3,
    R-PUB-1). Every digest is of the plaintext with ``algorithm``, computed by publication —
    the vault's storage digest depends, for AES, on the blob's random key."""
    manifest = [{"name": n, "size": s, "digest": d, "algorithm": algorithm} for n, _b, s, _c, d in parts]
    body = json.dumps({"request": req.number, "redacted": redacted, "parts": manifest}, ensure_ascii=False,
                      sort_keys=True, indent=1).encode("utf-8")  # fmt: skip
    blob = vault.store(actor, body, content_type="application/json", target=req)
    version = ReviewedVersion(request=req, redacted=redacted, manifest=blob, digest=digest_of(body, algorithm),
                              algorithm=algorithm, created_by=actor)  # fmt: skip
    version.save()
    for name, part_blob, size, content_type, digest in parts:
        VersionPart(version=version, name=name, blob=part_blob, digest=digest, size=size,
                    content_type=content_type).save()  # fmt: skip
    return version


def _blocking(run: ScreeningRun, *, redacted: bool) -> list[Hit]:
    """Hits that forbid the approval: a state secret may not be published (R-PUB-2 Art 14); a
    redacted version must be free of every registry hit, mark, number and personal datum."""
    secret_kinds = (HitKind.MARK, *REGISTRY_KINDS)
    return [
        h
        for h in run.hits.all()
        if (redacted and h.kind != HitKind.KEYWORD)
        or (h.kind in secret_kinds and h.match_level in STATE_SECRET_LEVELS)
    ]


def _hidden_from(actor: Any, run: ScreeningRun) -> int:
    from baomi.publication.selectors import hidden_count

    return hidden_count(actor, run)


@service
def decide_request(actor: Any, req: PublicationRequest, *, outcome: str, reasons: str, ground: str = "",
                   redacted_text: str = "", redacted_uploads: list[Any] | None = None) -> PublicationRequest:  # fmt: skip
    """The security office's decision (SUP-3, R-PUB-1/2): approve, approve with redactions
    (the reviewer supplies the redacted text or files), or refuse with the ground.

    The version approved is screened once more and frozen in the vault with its digest. An
    approval is refused when the version still holds a state secret (R-PUB-2 Art 14), when a
    redacted version still holds anything but keywords, and when any hit lies beyond the
    reviewer's own clearance or scope (refer the question instead, R-PUB-2 Art 17).
    *Requires* ``review_office`` (never one's own request). *Audits* PUBLICATION_DECIDED,
    PUBLICATION_SCREENED, BLOB_STORED / BLOB_READ of the parts."""
    if outcome not in (Outcome.APPROVE, Outcome.APPROVE_REDACTED, Outcome.REFUSE):
        raise _invalid("outcome", _("Unknown decision."))
    req, move = _move(actor, req, str(outcome))
    reasons = _reasons(reasons)
    now = timezone.now()
    if outcome == Outcome.REFUSE:
        ground = Ground(ground) if ground else ""
        if not ground:
            raise _invalid("ground", _("Choose the ground for withholding."))
        d = _decision(actor, req, Stage.OFFICE, outcome, reasons, ground=ground)
        req.status = move.next_state
        _withhold(req)
        req.save(update_fields=["status", "decided_at", "next_reassess_on"])
        record(actor, move.event, req, details={"stage": Stage.OFFICE, "outcome": outcome, "ground": ground,
                                                "decision": d.pk})  # fmt: skip
        return req
    redacted = outcome == Outcome.APPROVE_REDACTED
    parts: list[Part] = []
    algorithm = fingerprint_algorithm()
    sources: list[tuple[str, Any, str]] = []
    unreadable: list[Attachment] = []
    if redacted:
        files = [_read_upload(u) for u in redacted_uploads or []]
        if not redacted_text.strip() and not files:
            raise _invalid("redacted_text", _("Enter the redacted text or attach the redacted files."))
        if redacted_text.strip():
            data = redacted_text.encode("utf-8")
            blob = vault.store(actor, data, content_type=TEXT_TYPE, target=req)
            parts.append(
                (str(_("Redacted text")) + ".txt", blob, blob.size, TEXT_TYPE, digest_of(data, algorithm))
            )
            sources.append((HitSource.TEXT, None, redacted_text))
        for name, content_type, data in files:
            try:
                body = extract.extract_text(name, data)
            except extract.ExtractionError as exc:
                raise _invalid(
                    "redacted_uploads", _("%(name)s: %(problem)s") % {"name": name, "problem": exc}
                ) from None
            parts.append(
                (
                    name,
                    vault.store(actor, data, content_type=content_type, target=req),
                    len(data),
                    content_type,
                    digest_of(data, algorithm),
                )
            )
            sources.append((HitSource.TEXT, None, body))
        sources.insert(0, (HitSource.TITLE, None, req.title))
    else:
        sources, unreadable = _request_sources(actor, req)
        if req.text_blob is not None:
            # The text was just read back for the screening: its UTF-8 bytes are the blob's.
            text = next(t for s, _a, t in sources if s == HitSource.TEXT)
            parts.append((str(_("Text")) + ".txt", req.text_blob, req.text_blob.size, TEXT_TYPE,
                          digest_of(text.encode("utf-8"), algorithm)))  # fmt: skip
        for att in req.attachments.all():
            digest = _part_digest(actor, att.blob, req, algorithm, known=(att.digest, att.digest_algorithm))
            parts.append((att.name, att.blob, att.size, att.content_type, digest))
    version = _freeze(actor, req, parts, algorithm=algorithm, redacted=redacted)
    run = _screen(actor, req, sources, version=version, unreadable=unreadable)
    if _hidden_from(actor, run):
        raise _invalid("outcome", _("A hit matches a classified item beyond your clearance or scope: "
                                    "refer the question instead of approving."))  # fmt: skip
    blocking = _blocking(run, redacted=redacted)
    if blocking:
        message = (
            _("The redacted version still contains %(n)s hit(s); remove them before approving.")
            if redacted
            else _("The text contains %(n)s hit(s) on state secrets, which are never published (R-PUB-2): "
                   "refuse, or approve a redacted version.")
        ) % {"n": len(blocking)}  # fmt: skip
        raise _invalid("outcome", message)
    d = _decision(actor, req, Stage.OFFICE, outcome, reasons, version=version)
    req.status, req.approved_version, req.decided_at, req.next_reassess_on = (
        move.next_state,
        version,
        now,
        None,
    )
    req.save(update_fields=["status", "approved_version", "decided_at", "next_reassess_on"])
    record(actor, move.event, req, details={"stage": Stage.OFFICE, "outcome": outcome, "decision": d.pk,
                                            "version": version.pk, "digest": version.digest,
                                            "hits": run.total})  # fmt: skip
    return req


# --- referral (R-PUB-2 Art 17) -------------------------------------------------------------------


@service
def refer_request(actor: Any, req: PublicationRequest, *, referred_to: str, authority: str, question: str,
                  referred_on: date | None = None) -> Referral:  # fmt: skip
    """Refer an unsure case to the competent department or the secrecy bureau (R-PUB-2); the
    referral is recorded and the request waits for the answer. *Requires* ``review_office``.
    *Audits* PUBLICATION_REFERRED."""
    req, move = _move(actor, req, "refer")
    referred_to = ReferralTo(referred_to)
    if not authority.strip():
        raise _invalid("authority", _("Name the authority the question goes to."))
    question = _reasons(question)
    day = referred_on or timezone.localdate()
    if day > timezone.localdate():
        raise _invalid("referred_on", _("The date cannot be in the future."))
    referral = Referral(request=req, referred_to=referred_to, authority=authority.strip()[:200], question=question,
                        referred_on=day, referred_by=actor)  # fmt: skip
    referral.save()
    _decision(actor, req, Stage.OFFICE, Outcome.REFER, question)
    req.status = move.next_state
    req.save(update_fields=["status"])
    record(actor, move.event, req, details={"referral": referral.pk, "to": referred_to})
    return referral


@service
def record_referral_answer(actor: Any, req: PublicationRequest, *, answer: str, reference: str = "",
                           answered_on: date | None = None) -> Referral:  # fmt: skip
    """Record the competent authority's answer; the request returns to the security office for
    its decision. *Requires* ``review_office``. *Audits* PUBLICATION_REFERRAL_ANSWERED."""
    req, move = _move(actor, req, "answer")
    referral = req.referrals.select_for_update().filter(answered_on__isnull=True).order_by("-id").first()
    if referral is None:  # pragma: no cover - a referred request always has an open referral
        raise _invalid("answer", _("There is no open referral."))
    answer = (answer or "").strip()
    if not answer:
        raise _invalid("answer", _("Enter the answer."))
    day = answered_on or timezone.localdate()
    if day > timezone.localdate() or day < referral.referred_on:
        raise _invalid("answered_on", _("The answer date must lie between the referral and today."))
    referral.answer, referral.answer_reference = answer, reference.strip()[:200]
    referral.answered_on, referral.answered_by = day, actor
    referral.save(update_fields=["answer", "answer_reference", "answered_on", "answered_by"])
    req.status = move.next_state
    req.save(update_fields=["status"])
    record(actor, move.event, req, details={"referral": referral.pk})
    return referral


# --- publication (R-PUB-1) ---------------------------------------------------------------------


class DigestMismatch(ValidationFailed):
    code = "digest_mismatch"


@service
def _publish(actor: Any, req: PublicationRequest, *, where: str, published_on: date, data: bytes | None,
             digest: str) -> PublicationRecord:  # fmt: skip
    req, move = _move(actor, req, "publish")
    version = req.approved_version
    assert version is not None  # approved and published requests always have one
    if not where.strip():
        raise _invalid("where", _("Say where it was published."))
    if published_on > timezone.localdate():
        raise _invalid("published_on", _("The date cannot be in the future."))
    if req.decided_at and published_on < timezone.localdate(req.decided_at):
        raise _invalid("published_on", _("Nothing is published before the review approved it (R-PUB-1)."))
    digest = (digest or "").strip().lower()
    if data is not None:
        digest = digest_of(data, version.algorithm)
    if not digest:
        raise _invalid("file", _("Attach the published file or give its digest."))
    parts = list(version.parts.all())
    part = next((p for p in parts if p.digest == digest), None)
    if part is None and digest != version.digest and version.algorithm.startswith(TAG_PREFIX):
        # Frozen with the vault's tag digest (AES, before SUP-3's fix): no file can match it,
        # so the parts are read back (audited) and compared by their plaintext digest.
        part = next((p for p in parts if _blob_digest(actor, p.blob, req, version.algorithm) == digest), None)
    if part is None and digest != version.digest:
        raise DigestMismatch(_("This is not the approved version: its digest differs. Only the version the review "
                               "approved may be published (R-PUB-1)."), fields={"file": ["digest_mismatch"]})  # fmt: skip
    rec = PublicationRecord(request=req, version=version, part=part, where=where.strip()[:300],
                            published_on=published_on, digest=digest, recorded_by=actor)  # fmt: skip
    rec.save()
    req.status = move.next_state
    req.save(update_fields=["status"])
    record(actor, move.event, req, details={"record": rec.pk, "version": version.pk, "digest": digest,
                                            "part": part.pk if part else None})  # fmt: skip
    return rec


@own_transaction
def record_publication(actor: Any, req: PublicationRequest, *, where: str, published_on: date,
                       upload: Any = None, digest: str = "") -> PublicationRecord:  # fmt: skip
    """Record where and when the approved version was published (R-PUB-1: publication only
    after an approved review, and only of the approved version's digest).

    The published file (or its digest) must match a part of the approved version or the
    version itself, by the plaintext digest in the version's algorithm (a version frozen with
    the vault's ``tag-*`` digest is matched against its parts read back, docs/publication.md);
    anything else is refused *and* the refusal is audited in its own transaction after the
    attempt rolled back (PUBLICATION_BLOCKED), so an attempt to publish an
    unapproved text leaves a trace. Runs ``_publish`` as one ``@service`` (which audits
    ACCESS_DENIED). *Requires* ``publish``. *Audits* PUBLICATION_PUBLISHED or PUBLICATION_BLOCKED.
    """
    data = upload.read() if upload is not None else None
    try:
        return _publish(actor, req, where=where, published_on=published_on, data=data, digest=digest)
    except DigestMismatch:
        with transaction.atomic():
            record(actor, PublicationEvent.PUBLICATION_BLOCKED, req, outcome="refused",
                   details={"reason": "digest_mismatch", "where": "", "file": bool(data)})  # fmt: skip
        raise


# --- withdrawal, deadlines, re-assessment --------------------------------------------------------


@service
def withdraw_request(actor: Any, req: PublicationRequest, *, reason: str = "") -> PublicationRequest:
    """The submitter takes back a request not yet decided. *Requires* ``withdraw``.
    *Audits* PUBLICATION_WITHDRAWN."""
    req, move = _move(actor, req, "withdraw")
    req.status = move.next_state
    req.save(update_fields=["status"])
    record(actor, move.event, req, details={"reason_given": bool(reason.strip())})
    return req


@service
def extend_deadline(actor: Any, req: PublicationRequest, *, days: int, reason: str) -> PublicationRequest:
    """Extend the reply to an information request once, by at most the configured 20 working
    days, with the leaders' approval (R-PUB-3, 政府信息公开条例 Art 33). *Requires* ``extend``.
    *Audits* PUBLICATION_DEADLINE_EXTENDED."""
    req, move = _move(actor, req, "extend")
    if req.deadline_kind != DeadlineKind.REPLY:
        raise _invalid("days", _("Only the reply to an information request can be extended."))
    if req.extension_days:
        raise _invalid("days", _("The deadline was already extended once."))
    limit = _pairs(settings.PUBLICATION_DEADLINES).get("extension", 20)
    if not 1 <= int(days) <= limit:
        raise _invalid("days", _("An extension is 1 to %(n)s working days.") % {"n": limit})
    reason = _reasons(reason)
    before = req.due_on
    req.extension_days, req.extension_reason, req.extension_approved_by = int(days), reason[:300], actor
    req.due_on = due_date(req.deadline_kind, req.formed_on, req.extension_days)
    req.save(update_fields=["extension_days", "extension_reason", "extension_approved_by", "due_on"])
    record(
        actor, move.event, req, details={"days": req.extension_days, "before": before, "after": req.due_on}
    )
    return req


@service
def reassess_withheld(
    actor: Any, req: PublicationRequest, *, release: bool, reasons: str
) -> PublicationRequest:
    """Re-assess withheld information (R-PUB-2, 政府信息公开条例 Art 18): keep it withheld until the
    next re-assessment, or release it for a new review by the security office.
    *Requires* ``reassess``. *Audits* PUBLICATION_REASSESSED."""
    req, move = _move(actor, req, "release" if release else "keep_withheld")
    reasons = _reasons(reasons)
    outcome = Outcome.RELEASE if release else Outcome.KEEP_WITHHELD
    _decision(actor, req, Stage.REASSESSMENT, outcome, reasons)
    req.status = move.next_state
    req.next_reassess_on = (
        None if release else add_months(timezone.localdate(), settings.PUBLICATION_REASSESS_MONTHS)
    )
    req.approved_version = None
    req.save(update_fields=["status", "next_reassess_on", "approved_version"])
    record(actor, move.event, req, details={"outcome": outcome, "next": req.next_reassess_on})
    return req


# --- keywords (SUP-3 (e)) -----------------------------------------------------------------------


@service
def add_keyword(actor: Any, *, text: str, note: str = "") -> Keyword:
    """Add a keyword every publication is screened for. *Requires* ``manage_keywords``.
    *Audits* KEYWORD_ADDED (the id, never the word: it may be a code name)."""
    require(actor, "manage_keywords")
    text = (text or "").strip()
    if not text:
        raise _invalid("text", _("Enter the keyword."))
    if Keyword.objects.filter(text=text[:100]).exists():
        raise _invalid("text", _("This keyword is already on the list."))
    kw = Keyword(text=text[:100], note=note.strip()[:200], created_by=actor)
    kw.save()
    record(actor, PublicationEvent.KEYWORD_ADDED, kw, details={"length": len(kw.text)})
    return kw


@service
def change_keyword(actor: Any, keyword: Keyword, *, active: bool, note: str | None = None) -> Keyword:
    """Switch a keyword off or on (kept for the hits that name it). *Requires* ``manage``.
    *Audits* KEYWORD_CHANGED."""
    keyword = Keyword.objects.select_for_update().get(pk=keyword.pk)
    require(actor, "manage", keyword)
    keyword.active = bool(active)
    if note is not None:
        keyword.note = note.strip()[:200]
    keyword.changed_at = timezone.now()
    keyword.save(update_fields=["active", "note", "changed_at"])
    record(actor, PublicationEvent.KEYWORD_CHANGED, keyword, details={"active": keyword.active})
    return keyword


# --- reminders (R-PUB-3, R-PUB-2) -------------------------------------------------------------


@own_transaction
def raise_reminders(now: Any = None) -> dict[str, int]:
    """Audit one PUBLICATION_REMINDED per (request, due date) for open requests whose deadline
    is within ``PUBLICATION_REMINDER_WORKING_DAYS`` working days or past, and for withheld
    information due for re-assessment (R-PUB-2, R-PUB-3). Idempotent: a reminder raised for a
    due date is not raised again. The in-app reminder is the start page's task list."""
    from baomi.audit.models import AuditEntry

    today = timezone.localdate(now) if now else timezone.localdate()
    horizon = workdays.add_working_days(today, settings.PUBLICATION_REMINDER_WORKING_DAYS)
    due: list[tuple[str, PublicationRequest, date]] = []
    for req in PublicationRequest.objects.filter(status__in=OPEN_STATES, due_on__lte=horizon):
        assert req.due_on is not None
        due.append(("overdue" if req.due_on < today else "deadline", req, req.due_on))
    for req in PublicationRequest.objects.filter(
        status=RequestStatus.WITHHELD, next_reassess_on__lte=today + timedelta(days=30)
    ):
        assert req.next_reassess_on is not None
        due.append(("reassess", req, req.next_reassess_on))
    raised = 0
    for kind, req, day in due:
        key = f"{kind}:{day.isoformat()}"
        if AuditEntry.objects.filter(event=int(PublicationEvent.PUBLICATION_REMINDED), target_type=req._meta.label_lower,
                                     target_id=str(req.pk), details__key=key).exists():  # fmt: skip
            continue
        with transaction.atomic():
            record(
                None,
                PublicationEvent.PUBLICATION_REMINDED,
                req,
                details={"key": key, "kind": kind, "due": day},
            )
        raised += 1
    return {"reminders": raised}


# --- the matcher (operators) -----------------------------------------------------------------


@service
def build_matcher(actor: Any, *, rebuild: bool = False) -> dict[str, Any]:
    """Build this process's matcher now (or rebuild it) and return its size and build time — an
    operator's check of memory and time at the unit's scale (docs/benchmarks.md "Screening").
    *Requires* ``manage_keywords`` (the security office). *Audits* MATCHER_BUILT (sizes only)."""
    import time

    require(actor, "manage_keywords")
    if rebuild:
        registry.forget()
    started = time.perf_counter()
    registry.matchers()
    stats = {**registry.stats(), "seconds": round(time.perf_counter() - started, 3)}
    record(
        actor, PublicationEvent.MATCHER_BUILT, ("publication.matcher", "matcher", "matcher"), details=stats
    )
    return stats
