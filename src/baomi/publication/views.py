"""Publication review UI (SUP-3): thin views — selectors read, services write, the policy decides.

The submitter's page never shows the screening; a reviewer's page shows the hits as
``selectors.hits_for`` lets that reviewer see them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from baomi.access.policy import can, deny
from baomi.classification import workdays
from baomi.kit.pages import error_text, page, run_service
from baomi.publication import exports, forms, selectors, services
from baomi.publication.choices import OPEN_STATES, RequestStatus


def _need(request: HttpRequest, action: str) -> None:
    """Object-less screens: refuse like not found, audited (CAR-3)."""
    if not can(request.user, action):
        raise deny(request.user, action, ("publication.screen", action, action))


def _download(export: Any) -> HttpResponse:
    response = HttpResponse(export.data, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response


# --- lists -------------------------------------------------------------------------------------


@page
def request_list(request: HttpRequest) -> HttpResponse:
    """My requests, those waiting for my review, and (for reviewers) every request I oversee."""
    _need(request, "publication_list")
    u, g = request.user, request.GET
    status = g.get("status", "")
    reviewer = can(u, "publication_reviews")
    return render(request, "publication/list.html", {
        "mine": selectors.requests(u, mine=True)[:200],
        "waiting": selectors.waiting_for(u)[:200] if reviewer else [],
        "all": selectors.requests(u, action="view_hits", status=status, q=g.get("q", "").strip())[:300]
        if reviewer else [],
        "reviewer": reviewer, "status": status, "statuses": RequestStatus.choices, "q": g.get("q", ""),
        "today": timezone.localdate(), "can_export": can(u, "export_publication_register"),
    })  # fmt: skip


@page
def request_new(request: HttpRequest) -> HttpResponse:
    """Submit something to be published or provided outside (SUP-3)."""
    _need(request, "submit_publication")
    form = forms.RequestForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        result: dict[str, Any] = {}

        def call() -> None:
            result["r"] = services.submit_request(
                request.user, title=d["title"], channel=d["channel"], channel_detail=d["channel_detail"],
                intended_on=d["intended_on"], deadline_kind=d["deadline_kind"], formed_on=d["formed_on"],
                text=d["text"], uploads=d["uploads"],
            )  # fmt: skip

        # The submitter learns only that the review is pending (SUP-3).
        if run_service(request, call, _("Submitted. The publication review is pending.")):
            return redirect("publication:detail", pk=result["r"].pk)
    elif request.method == "POST":
        messages.error(request, error_text(form, labelled=True))
    return render(request, "publication/new.html", {"form": form})


# --- one request --------------------------------------------------------------------------------


@page
def request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    req = selectors.request_for(request.user, pk, "view")
    u = request.user
    reviewer = can(u, "view_hits", req)
    run = selectors.latest_run(req)
    texts = selectors.source_texts(u, req, run) if reviewer and run else {}
    ctx: dict[str, Any] = {
        "r": req, "reviewer": reviewer, "run": run, "today": timezone.localdate(),
        "hits": selectors.hits_for(u, req, run, texts=texts) if reviewer else [],
        "text": selectors.request_text(u, req), "attachments": selectors.attachments(req),
        "decisions": selectors.decisions(req), "referrals": selectors.referrals(req),
        "publications": selectors.publications(req), "parts": selectors.version_parts(req),
        "open": req.status in OPEN_STATES,
        "uncovered": workdays.uncovered_years([req.due_on]) if req.status in OPEN_STATES else [],
        "dept_form": forms.DepartmentReviewForm(), "decision_form": forms.DecisionForm(),
        "referral_form": forms.ReferralForm(), "answer_form": forms.AnswerForm(), "publish_form": forms.PublishForm(),
        "extend_form": forms.ExtendForm(), "reassess_form": forms.ReassessForm(), "withdraw_form": forms.WithdrawForm(),
    }  # fmt: skip
    if reviewer:
        ctx["hidden"] = sum(1 for h in ctx["hits"] if not h.visible)
    return render(request, "publication/detail.html", ctx)


@page
def attachment(request: HttpRequest, pk: int, att: int) -> HttpResponseBase:
    """An attachment as submitted, decrypted by the vault and audited (CAR-2)."""
    req = selectors.request_for(request.user, pk, "view")
    found, reader = selectors.open_attachment(request.user, req, att)
    return FileResponse(reader, as_attachment=True, filename=found.name,
                        content_type=found.content_type or "application/octet-stream")  # fmt: skip


@page
def part(request: HttpRequest, pk: int, part: int) -> HttpResponseBase:
    """A part of the approved version: what may be published (R-PUB-1)."""
    req = selectors.request_for(request.user, pk, "view")
    found, reader = selectors.open_part(request.user, req, part)
    return FileResponse(reader, as_attachment=True, filename=found.name,
                        content_type=found.content_type or "application/octet-stream")  # fmt: skip


@page
def review_form(request: HttpRequest, pk: int) -> HttpResponse:
    req = selectors.request_for(request.user, pk, "export")
    return _download(exports.export_review_form(request.user, req))


@page
def register(request: HttpRequest) -> HttpResponse:
    _need(request, "export_publication_register")
    year = request.GET.get("year", "")
    return _download(exports.export_register(request.user, status=request.GET.get("status", ""),
                                             year=int(year) if year.isdigit() and 1 <= int(year) <= 9999 else None))  # fmt: skip


# --- transitions ---------------------------------------------------------------------------------


def _actions(u: Any, req: Any) -> dict[str, tuple[Any, Callable[[dict[str, Any]], Any], str]]:
    return {
        "forward": (forms.DepartmentReviewForm, lambda d: services.review_department(
            u, req, agree=True, reasons=d["reasons"]), _("Agreed and forwarded to the security office.")),
        "refuse-department": (forms.DepartmentReviewForm, lambda d: services.review_department(
            u, req, agree=False, reasons=d["reasons"], ground=d["ground"]), _("Refused: the information is withheld.")),
        "approve": (forms.DecisionForm, lambda d: services.decide_request(
            u, req, outcome="approve", reasons=d["reasons"]), _("Approved; the reviewed version is frozen.")),
        "approve-redacted": (forms.DecisionForm, lambda d: services.decide_request(
            u, req, outcome="approve_redacted", reasons=d["reasons"], redacted_text=d["redacted_text"],
            redacted_uploads=d["redacted_uploads"]), _("Approved with redactions; the redacted version is frozen.")),
        "refuse": (forms.DecisionForm, lambda d: services.decide_request(
            u, req, outcome="refuse", reasons=d["reasons"], ground=d["ground"]), _("Refused: the information is withheld.")),
        "refer": (forms.ReferralForm, lambda d: services.refer_request(u, req, **d), _("The question was referred.")),
        "answer": (forms.AnswerForm, lambda d: services.record_referral_answer(u, req, **d),
                   _("The answer was recorded.")),
        "publish": (forms.PublishForm, lambda d: services.record_publication(
            u, req, where=d["where"], published_on=d["published_on"], upload=d["file"], digest=d["digest"]),
            _("The publication was recorded.")),
        "withdraw": (forms.WithdrawForm, lambda d: services.withdraw_request(u, req, reason=d["reason"]),
                     _("The request was withdrawn.")),
        "extend": (forms.ExtendForm, lambda d: services.extend_deadline(u, req, days=d["days"], reason=d["reason"]),
                   _("The deadline was extended.")),
        "keep-withheld": (forms.ReassessForm, lambda d: services.reassess_withheld(
            u, req, release=False, reasons=d["reasons"]), _("Re-assessed: still withheld.")),
        "release": (forms.ReassessForm, lambda d: services.reassess_withheld(
            u, req, release=True, reasons=d["reasons"]), _("Released for a new review.")),
        "rescreen": (None, lambda d: services.rescreen_request(u, req), _("Screened again.")),
    }  # fmt: skip


@page
@require_POST
def request_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    req = selectors.request_for(request.user, pk, "view")
    table = _actions(request.user, req)
    if action not in table:
        raise Http404
    form_class, call, ok = table[action]
    form = form_class(request.POST, request.FILES) if form_class else None
    if form is not None and not form.is_valid():
        messages.error(request, error_text(form, labelled=True))
    else:
        run_service(request, lambda: call(form.cleaned_data if form else {}), ok)
    return redirect("publication:detail", pk=pk)


# --- keywords ------------------------------------------------------------------------------------


@page
def keyword_list(request: HttpRequest) -> HttpResponse:
    """The security officer's screening keywords (SUP-3 (e))."""
    _need(request, "manage_keywords")
    form = forms.KeywordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if run_service(request, lambda: services.add_keyword(request.user, text=d["text"], note=d["note"]),
                _("The keyword was added.")):  # fmt: skip
            return redirect("publication:keywords")
    return render(
        request, "publication/keywords.html", {"keywords": selectors.keywords(request.user), "form": form}
    )


@page
@require_POST
def keyword_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    kw = selectors.keyword_for(request.user, pk)
    run_service(
        request,
        lambda: services.change_keyword(request.user, kw, active=not kw.active),
        _("The keyword was changed."),
    )
    return redirect("publication:keywords")
