"""Reads of publication review requests for the UI, the API, the CLI and exports (SUP-3).

Every read narrows through ``access.policy``. The screening hits go through one function,
:func:`hits_for`, which decides hit by hit what the reviewer may see: a hit on a registry item
or carrier is shown with its title and mark only when the policy lets the reviewer see that item
or carrier (clearance and need-to-know, CAR-3); otherwise it reads "matches a classified item
beyond your clearance — submit to the security office", with no title, level, position or
excerpt. The submitter has no ``view_hits`` at all. Showing registry hits is a read of
classified metadata and is audited (PUBLICATION_HITS_VIEWED: counts, never titles).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.access.policy import access_object, require, visible
from baomi.audit.record import record
from baomi.publication.choices import OPEN_STATES, REGISTRY_KINDS, HitKind, HitSource, RequestStatus
from baomi.publication.events import PublicationEvent
from baomi.publication.models import (
    Attachment,
    Hit,
    Keyword,
    PublicationRequest,
    ScreeningRun,
    VersionPart,
)
from baomi.publication.screening import excerpt


def hidden_message() -> str:
    """What a reviewer reads for a hit they may not see (SUP-3)."""
    return _(
        "Matches a classified item beyond your clearance or need-to-know; submit it to the security office."
    )


# --- requests ----------------------------------------------------------------------------------


def requests(viewer: Any, *, status: str = "", q: str = "", department: Any = "", mine: bool = False,
             action: str = "view") -> QuerySet[PublicationRequest]:  # fmt: skip
    """Requests ``viewer`` may ``action``, newest first, filtered (SUP-3)."""
    qs = visible(viewer, PublicationRequest.objects.select_related("submitter", "department"), action)
    if status:
        qs = qs.filter(status=status)
    if mine:
        qs = qs.filter(submitter_id=viewer.pk)
    if department:
        qs = qs.filter(department_id=department) if str(department).isdigit() else qs.none()
    if q:
        # The number (GK2026-00012) or the subject.
        digits = q.rsplit("-", 1)[-1]
        qs = qs.filter(Q(title__icontains=q) | (Q(pk=int(digits)) if digits.isdigit() else Q(pk__in=[])))
    return qs


def request_for(viewer: Any, pk: Any, action: str = "view") -> PublicationRequest:
    """One request or not found (absent and forbidden alike, refusals audited, CAR-3)."""
    qs = PublicationRequest.objects.select_related("submitter", "department", "approved_version")
    return access_object(viewer, qs, pk, action)


def waiting_for(viewer: Any) -> QuerySet[PublicationRequest]:
    """Requests waiting for ``viewer``'s decision: department review, then the office's."""
    base = PublicationRequest.objects.all()
    dept = visible(viewer, base.filter(status=RequestStatus.DEPT_REVIEW), "review_department")
    office = visible(viewer, base.filter(status__in=[RequestStatus.OFFICE_REVIEW, RequestStatus.REFERRED]),
                     "review_office")  # fmt: skip
    ids = list(dept.values_list("pk", flat=True)) + list(office.values_list("pk", flat=True))
    return requests(viewer).filter(pk__in=ids).order_by("due_on", "submitted_at")


def overdue(viewer: Any, today: date | None = None) -> QuerySet[PublicationRequest]:
    """Open requests past their deadline (R-PUB-3), as ``viewer`` may see them."""
    day = today or timezone.localdate()
    return requests(viewer, action="view_hits").filter(status__in=OPEN_STATES, due_on__lt=day)


def reassessments_due(viewer: Any, today: date | None = None) -> QuerySet[PublicationRequest]:
    """Withheld information due for re-assessment (R-PUB-2 Art 18)."""
    day = today or timezone.localdate()
    return requests(viewer, action="reassess").filter(
        status=RequestStatus.WITHHELD, next_reassess_on__lte=day
    )


def latest_run(req: PublicationRequest) -> ScreeningRun | None:
    """The newest screening of the request itself (not of an approved version)."""
    return req.screenings.filter(version__isnull=True).order_by("-ran_at", "-id").first()


def version_run(req: PublicationRequest) -> ScreeningRun | None:
    if req.approved_version_id is None:
        return None
    return req.screenings.filter(version_id=req.approved_version_id).order_by("-id").first()


def decisions(req: PublicationRequest) -> QuerySet:
    return req.decisions.select_related("decided_by", "version")


def referrals(req: PublicationRequest) -> QuerySet:
    return req.referrals.select_related("referred_by", "answered_by")


def publications(req: PublicationRequest) -> QuerySet:
    return req.publications.select_related("recorded_by", "part")


def attachments(req: PublicationRequest) -> QuerySet[Attachment]:
    return req.attachments.all()


def version_parts(req: PublicationRequest) -> QuerySet[VersionPart]:
    if req.approved_version_id is None:
        return VersionPart.objects.none()
    return VersionPart.objects.filter(version_id=req.approved_version_id)


# --- content (read through the vault: BLOB_READ) -------------------------------------------------


def _read(viewer: Any, blob: Any, req: PublicationRequest) -> bytes:
    from baomi.vault import services as vault

    with vault.open_stream(viewer, blob, target=req) as reader:
        return bytes(reader.read())


def request_text(viewer: Any, req: PublicationRequest) -> str:
    """The submitted text (``view``): the submitter and the reviewers read it."""
    require(viewer, "view", req)
    return _read(viewer, req.text_blob, req).decode("utf-8") if req.text_blob_id else ""


def open_attachment(viewer: Any, req: PublicationRequest, pk: Any) -> tuple[Attachment, Any]:
    """An attachment's file, decrypted and audited (``view``)."""
    from baomi.vault import services as vault

    require(viewer, "view", req)
    att = req.attachments.filter(pk=pk).first() if str(pk).isdigit() else None
    if att is None:
        from baomi.access.policy import deny

        raise deny(viewer, "view", ("publication.attachment", pk, ""))
    return att, vault.open_stream(viewer, att.blob, target=req)


def open_part(viewer: Any, req: PublicationRequest, pk: Any) -> tuple[VersionPart, Any]:
    """A part of the approved version (``view``): what the submitter publishes."""
    from baomi.vault import services as vault

    require(viewer, "view", req)
    part = version_parts(req).filter(pk=pk).first() if str(pk).isdigit() else None
    if part is None:
        from baomi.access.policy import deny

        raise deny(viewer, "view", ("publication.versionpart", pk, ""))
    return part, vault.open_stream(viewer, part.blob, target=req)


# --- hits ----------------------------------------------------------------------------------------


@dataclass
class HitView:
    """One hit as one viewer may see it."""

    id: int
    kind: str
    kind_label: str
    source: str
    visible: bool
    message: str = ""
    level: str = ""
    shown: str = ""
    title: str = ""
    mark: str = ""
    item_id: int | None = None
    carrier_id: int | None = None
    where: str = ""
    before: str = ""
    match: str = ""
    after: str = ""

    def as_dict(self) -> dict[str, Any]:
        if not self.visible:
            return {"id": self.id, "kind": "registry", "visible": False, "message": self.message}
        return {
            "id": self.id, "kind": self.kind, "visible": True, "level": self.level, "shown": self.shown,
            "title": self.title, "mark": self.mark, "item": self.item_id, "carrier": self.carrier_id,
            "where": self.where, "excerpt": {"before": self.before, "match": self.match, "after": self.after},
        }  # fmt: skip


def _registry_visibility(viewer: Any, hits: list[Hit]) -> tuple[dict[int, Any], dict[int, Any]]:
    """The items and carriers named by ``hits`` that ``viewer`` may see, by id (one query each)."""
    from baomi.carriers.models import Carrier
    from baomi.classification import selectors as classification

    item_ids = {h.item_id for h in hits if h.item_id}
    carrier_ids = {h.carrier_id for h in hits if h.carrier_id}
    items = {i.pk: i for i in classification.items(viewer).filter(pk__in=item_ids)} if item_ids else {}
    carriers = (
        {
            c.pk: c
            for c in visible(
                viewer, Carrier.objects.select_related("item").filter(pk__in=carrier_ids), "view"
            )
        }
        if carrier_ids
        else {}
    )
    return items, carriers


def hidden_count(viewer: Any, run: ScreeningRun) -> int:
    """How many of ``run``'s registry hits ``viewer`` may not see (a service asks before an
    approval: a reviewer never approves what they cannot see, R-PUB-2)."""
    hits = [h for h in run.hits.all() if h.kind in REGISTRY_KINDS]
    items, carriers = _registry_visibility(viewer, hits)
    return sum(
        1
        for h in hits
        if (h.item_id and h.item_id not in items) or (h.carrier_id and h.carrier_id not in carriers)
    )


def source_texts(
    viewer: Any, req: PublicationRequest, run: ScreeningRun
) -> dict[tuple[str, int | None], str]:
    """The texts ``run`` screened, for excerpts (decrypted, audited): subject, text, attachments.
    A redacted version's texts are not the request's, so it gets none."""
    require(viewer, "view_hits", req)
    if run.version_id and run.version and run.version.redacted:
        return {}
    texts: dict[tuple[str, int | None], str] = {(HitSource.TITLE, None): req.title}
    from baomi.publication.screening import prepare

    if req.text_blob_id:
        texts[(HitSource.TEXT, None)] = prepare(_read(viewer, req.text_blob, req).decode("utf-8")).text
    for att in req.attachments.exclude(text_blob=None):
        texts[(HitSource.ATTACHMENT, att.pk)] = prepare(
            _read(viewer, att.text_blob, req).decode("utf-8")
        ).text
    texts[(HitSource.TITLE, None)] = prepare(req.title).text
    return texts


def hits_for(viewer: Any, req: PublicationRequest, run: ScreeningRun | None = None, *,
             texts: dict[tuple[str, int | None], str] | None = None, audit: bool = True) -> list[HitView]:  # fmt: skip
    """The hits of ``run`` (the latest screening by default) as ``viewer`` may see them (SUP-3).

    *Requires* ``view_hits`` on the request (never the submitter). A registry hit is visible
    only with ``view`` on its item or carrier; otherwise it reads :func:`hidden_message` and
    carries nothing else. *Audits* PUBLICATION_HITS_VIEWED (counts) when registry hits were shown.
    """
    require(viewer, "view_hits", req)
    run = run or latest_run(req)
    if run is None:
        return []
    hits = list(run.hits.select_related("attachment", "keyword"))
    items, carriers = _registry_visibility(viewer, [h for h in hits if h.kind in REGISTRY_KINDS])
    texts = texts or {}
    out: list[HitView] = []
    hidden = shown_registry = 0
    for h in hits:
        view = HitView(
            id=h.pk, kind=h.kind, kind_label=str(HitKind(h.kind).label), source=h.source, visible=True
        )
        if h.kind in REGISTRY_KINDS:
            obj = items.get(h.item_id or 0) if h.item_id else carriers.get(h.carrier_id or 0)
            if obj is None:
                hidden += 1
                out.append(HitView(id=h.pk, kind="registry", kind_label=_("Registry"), source="", visible=False,
                                   message=hidden_message()))  # fmt: skip
                continue
            shown_registry += 1
            if h.item_id:
                view.title, view.mark, view.item_id = obj.title, obj.mark_text(), obj.pk
            else:
                view.title, view.mark, view.carrier_id = obj.registry_number, obj.mark_text(), obj.pk
            view.level = h.match_level
        else:
            view.level, view.shown = h.match_level, h.shown
            if h.kind == HitKind.KEYWORD:
                view.shown = h.keyword.text if h.keyword else ""
        view.where = h.attachment.name if h.attachment else str(HitSource(h.source).label)
        text = texts.get((h.source, h.attachment_id))
        if text is not None and h.kind != HitKind.UNREADABLE:
            view.before, view.match, view.after = excerpt(text, h.start, h.end)
            if h.kind in (HitKind.ID_NUMBER, HitKind.PHONE):
                view.match = h.shown  # personal information stays masked (R-PI-4)
        out.append(view)
    if audit and shown_registry:
        record(viewer, PublicationEvent.PUBLICATION_HITS_VIEWED, req,
               details={"run": run.pk, "registry_shown": shown_registry, "hidden": hidden, "hits": len(hits)})  # fmt: skip
    return out


def hit_summary(run: ScreeningRun | None) -> dict[str, int]:
    """Counts per kind of a run, for lists (no titles, nothing per viewer)."""
    if run is None:
        return {}
    return dict(run.hits.values_list("kind").annotate(n=Count("id")).values_list("kind", "n"))


# --- keywords and people -----------------------------------------------------------------------


def keywords(viewer: Any) -> QuerySet[Keyword]:
    return visible(viewer, Keyword.objects.all(), "view")


def keyword_for(viewer: Any, pk: Any) -> Keyword:
    return access_object(viewer, Keyword.objects.all(), pk, "manage")


def register(viewer: Any, *, status: str = "", year: int | None = None) -> QuerySet[PublicationRequest]:
    """The review register (SUP-3) as ``viewer`` may export it: what they may review or oversee."""
    qs = requests(viewer, status=status, action="view_hits").prefetch_related("decisions", "publications")
    if year:
        qs = qs.filter(submitted_at__year=year)
    return qs.order_by("submitted_at", "id")
