"""Pages of the carrier registry: detail, registration, lifecycle actions, approval queues,
transfers, inventories, recalls, destruction (CAR-1..13). Thin: selectors read (``queries``),
services write, the policy decides; forbidden looks like not found."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from baomi.access import policy
from baomi.access.errors import AccessDenied
from baomi.carriers import exchange_queries, forms, lifecycle, queries, services
from baomi.carriers import printing as carrier_printing
from baomi.carriers.choices import RequestStatus
from baomi.carriers.dashboard import tasks
from baomi.carriers.destruction_list import render_destruction_list
from baomi.carriers.integrity import IntegrityHold
from baomi.carriers.services import content
from baomi.core import levels
from baomi.core.errors import BaomiError
from baomi.kit import printing
from baomi.kit.downloads import content_disposition
from baomi.kit.pages import error_text, form_errors, page
from baomi.vault.errors import VaultIntegrityError


def _user(request: HttpRequest) -> Any:
    return request.user


# --- one carrier ------------------------------------------------------------------------------


@page
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    carrier = queries.carrier_for(user, pk)
    ctx = {
        "carrier": carrier,
        "actions": [
            (a, ACTIONS[a].label, ACTIONS[a].danger) for a in queries.available_actions(user, carrier)
        ],
        "can_read": policy.can(user, "read_content", carrier),
        # 发文 (issue 12 §3): the custodian or the security office, while in custody.
        "may_dispatch": policy.can(user, "transfer", carrier)
        and lifecycle.permits(carrier.status, "dispatch"),
        "incoming": exchange_queries.incoming_of(carrier),
        "is_pdf": content.is_pdf(carrier),
        "history": queries.history(carrier)[:100],
        "copies": queries.copies_of(user, carrier),
        "consents": queries.consents_for(user, carrier),
        "approved_download": carrier.blob_id
        and queries.requests_for(user, "download")
        .filter(carrier=carrier, requested_by=user, status=RequestStatus.APPROVED)
        .exists(),
    }
    return render(request, "carriers/detail.html", ctx)


@dataclass(frozen=True)
class Action:
    label: Any
    form: type
    call: Callable[[Any, Any, dict[str, Any]], Any]
    done: Any
    danger: bool = False
    intro: Any = ""


def _borrow(actor: Any, c: Any, d: dict[str, Any]) -> Any:
    return services.request_loan(actor, c, borrower=d.get("borrower"), place=d["place"], due_on=d["due_on"],
                                 reason=d["reason"])  # fmt: skip


ACTIONS: dict[str, Action] = {
    "lend": Action(gettext_lazy("Request a loan"), forms.LoanForm, _borrow,
                   gettext_lazy("The loan request was sent for approval."),
                   intro=gettext_lazy("Reading only at a place that meets the secrecy rules (R-CAR-4).")),
    "return": Action(gettext_lazy("Register return"), forms.NoteForm,
                     lambda a, c, d: services.return_carrier(a, c, note=d["note"]),
                     gettext_lazy("The return was registered.")),
    "copy": Action(gettext_lazy("Request copy, excerpt or compilation"), forms.CopyForm,
                   lambda a, c, d: services.request_copy(a, c, kind=d["kind"], copies=d["copies"],
                                                         custodian=d.get("custodian"), reason=d["reason"]),
                   gettext_lazy("The copy request was sent to the unit head."),
                   intro=gettext_lazy("Copies keep the original's mark and are managed like originals (R-CAR-5).")),
    "print": Action(gettext_lazy("Register a print"), forms.PrintForm,
                    lambda a, c, d: services.register_print(a, c, copies=d["copies"], device=d["device"]),
                    gettext_lazy("The print was registered; each printed copy is now a carrier.")),
    "download": Action(gettext_lazy("Request a download"), forms.ReasonForm,
                       lambda a, c, d: services.request_download(a, c, reason=d["reason"]),
                       gettext_lazy("The download request was sent to the unit head.")),
    "transfer": Action(gettext_lazy("Send"), forms.TransferForm,
                       lambda a, c, d: services.send_carrier(a, c, receiver=d["receiver"], channel=d["channel"],
                                                             envelope_number=d["envelope_number"],
                                                             escort=d.get("escort")),
                       gettext_lazy("The carrier is in transit until the receiver signs for it."),
                       intro=gettext_lazy("Only by confidential courier, confidential mail or a designated person; "
                                          "never by ordinary post or express courier (R-CAR-3).")),
    "take_out": Action(gettext_lazy("Request to take out"), forms.TakeOutForm,
                       lambda a, c, d: services.request_take_out(a, c, **d),
                       gettext_lazy("The take-out request was sent to the unit head.")),
    "bring_back": Action(gettext_lazy("Register bringing back"), forms.NoteForm,
                         lambda a, c, d: services.bring_back(a, c), gettext_lazy("The carrier is back in custody.")),
    "repair": Action(gettext_lazy("Send to repair"), forms.RepairForm,
                     lambda a, c, d: services.start_repair(a, c, **d), gettext_lazy("The repair was registered."),
                     intro=gettext_lazy("Outside technicians only under on-site supervision (R-CAR-8).")),
    "finish_repair": Action(gettext_lazy("Finish repair"), forms.ResultForm,
                            lambda a, c, d: services.finish_repair(a, c, result=d["result"]),
                            gettext_lazy("The carrier is back from repair.")),
    "seal": Action(gettext_lazy("Seal"), forms.PlaceForm,
                   lambda a, c, d: services.seal_carrier(a, c, place=d["place"], on=d.get("on"), note=d["note"]),
                   gettext_lazy("The carrier was sealed.")),
    "unseal": Action(gettext_lazy("Unseal"), forms.PlaceForm,
                     lambda a, c, d: services.unseal_carrier(a, c, place=d["place"], note=d["note"]),
                     gettext_lazy("The carrier was unsealed.")),
    "archive": Action(gettext_lazy("Archive"), forms.PlaceForm,
                      lambda a, c, d: services.archive_carrier(a, c, place=d["place"], on=d.get("on"),
                                                               note=d["note"]),
                      gettext_lazy("The carrier was archived; a declassification review was raised."),
                      intro=gettext_lazy("Archiving asks the classification authority for a declassification "
                                         "review (R-DECL-4).")),
    "mark_missing": Action(gettext_lazy("Report missing"), forms.NoteForm,
                           lambda a, c, d: services.mark_missing(a, c, note=d["note"]),
                           gettext_lazy("The carrier is reported missing and an incident was opened."), danger=True),
    "found": Action(gettext_lazy("Register as found"), forms.NoteForm,
                    lambda a, c, d: services.found_carrier(a, c, note=d["note"]),
                    gettext_lazy("The carrier is back in custody.")),
    "destroy": Action(gettext_lazy("Request destruction"), forms.ReasonForm,
                      lambda a, c, d: services.request_destruction(a, [c], reason=d["reason"]),
                      gettext_lazy("The destruction request was sent to the unit head."), danger=True),
    "upload": Action(gettext_lazy("Upload content"), forms.UploadForm,
                     lambda a, c, d: content.upload_content(a, c, d["file"], content_type=d["file"].content_type,
                                                           filename=d["file"].name),
                     gettext_lazy("The content was stored encrypted.")),
    "consent": Action(gettext_lazy("Record originator consent"), forms.ConsentForm,
                      lambda a, c, d: services.record_consent(a, c, download=d["download"], copy=d["copy"],
                                                              print_=d["print_"], originator=d["originator"],
                                                              reference=d["reference"]),
                      gettext_lazy("The consent was recorded."),
                      intro=gettext_lazy("Top secret content cannot be downloaded, copied or printed unless the "
                                         "originator consents for this item (R-AC-3).")),
}  # fmt: skip


@page
def action(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    spec = ACTIONS.get(name)
    if spec is None:
        raise Http404
    user = _user(request)
    carrier = queries.carrier_for(user, pk)
    if not policy.can(user, name, carrier):
        raise policy.deny(user, name, carrier)
    form = spec.form(request.POST or None, request.FILES or None, actor=user, carrier=carrier)
    if request.method == "POST" and form.is_valid():
        try:
            spec.call(user, carrier, dict(form.cleaned_data))
        except AccessDenied:
            raise
        except BaomiError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, str(spec.done))
            back = _safe_next(request)
            return redirect(back) if back else redirect("carriers:detail", pk=carrier.pk)
    return render(
        request, "carriers/action.html",
        {"carrier": carrier, "form": form, "spec": spec, "name": name, "next": _safe_next(request) or ""},
    )  # fmt: skip


def _safe_next(request: HttpRequest) -> str | None:
    """The page to return to after an action started elsewhere (the exit case's hand-back list),
    only when it stays on this site."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return None


@page
def register(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not policy.can(user, "carriers.register"):
        raise policy.deny(user, "carriers.register", ("carriers.registry", "", ""))
    form = forms.RegisterForm(request.POST or None, actor=user)
    if request.method == "POST" and form.is_valid():
        d = dict(form.cleaned_data)
        try:
            made = services.register_carrier(
                user, item=d["item"], kind=d["kind"], custodian=d["custodian"], title=d["title"],
                copies=d["copies"], storage_place=d["storage_place"], cabinet=d["cabinet"], device=d["device"],
                pages=d["pages"], made_on=d["made_on"],
                produced_at=d["produced_at"], produced_on_device=d["produced_on_device"], originator=d["originator"],
            )  # fmt: skip
        except BaomiError as exc:
            form_errors(form, exc)
        else:
            messages.success(
                request,
                _("Registered %(count)s carriers: %(first)s to %(last)s.")
                % {"count": len(made), "first": made[0].registry_number, "last": made[-1].registry_number},
            )
            return redirect("carriers:detail", pk=made[0].pk)
    return render(request, "carriers/register.html", {"form": form})


# --- content (CAR-2, CAR-4, CAR-13) ----------------------------------------------------------


@page
def view_content(request: HttpRequest, pk: int) -> HttpResponse | StreamingHttpResponse:
    user = _user(request)
    carrier = queries.carrier_for(user, pk, "read_content")
    try:
        data = content.view_content(user, carrier)
    except VaultIntegrityError as exc:
        content.record_damaged_content(user, carrier, exc)  # SEC-3, SEC-4: recorded, then said
        messages.error(request, str(exc.message))
        return redirect("carriers:detail", pk=carrier.pk)
    except BaomiError as exc:
        messages.error(request, str(exc.message))
        return redirect("carriers:detail", pk=carrier.pk)
    response = StreamingHttpResponse(data, content_type="application/pdf")  # bounded memory (issue 11 §6)
    response["Content-Length"] = str(data.size)
    response["Content-Disposition"] = content_disposition(f"{carrier.registry_number}.pdf", inline=True)
    response["Cache-Control"] = "no-store"
    return response


@page
def download_content(request: HttpRequest, pk: int) -> HttpResponse | StreamingHttpResponse:
    user = _user(request)
    carrier = queries.carrier_for(user, pk, "download")
    try:
        body, content_type, filename = content.download_content(user, carrier)
    except VaultIntegrityError as exc:
        content.record_damaged_content(user, carrier, exc)  # SEC-3, SEC-4: recorded, then said
        messages.error(request, str(exc.message))
        return redirect("carriers:detail", pk=carrier.pk)
    except BaomiError as exc:
        messages.error(request, str(exc.message))
        return redirect("carriers:detail", pk=carrier.pk)
    response: HttpResponse | StreamingHttpResponse
    if isinstance(body, bytes):
        response = HttpResponse(body, content_type=content_type)
    else:
        response = StreamingHttpResponse(body, content_type=content_type)
        if isinstance(body, content.StampedPdf):
            response["Content-Length"] = str(body.size)
    response["Content-Disposition"] = content_disposition(filename)
    response["Cache-Control"] = "no-store"
    return response


# --- approvals (CAR-4, CAR-6, CAR-9, CAR-11) ---------------------------------------------------

DECIDERS: dict[tuple[str, str], Callable[..., Any]] = {
    ("loan", "approve"): services.approve_loan,
    ("copy", "approve"): services.approve_copy,
    ("download", "approve"): services.approve_download,
    ("take_out", "approve"): services.approve_take_out,
}


@page
def approvals(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    # CLS-7, R-CRYPTO-5: requests about a tampered carrier or item are not listed, as on the ledger.
    mine = {kind: policy.screen(user, rows) for kind, rows in queries.my_requests(user).items()}
    queue = {kind: policy.screen(user, rows) for kind, rows in queries.approval_queue(user).items()}
    return render(request, "carriers/approvals.html", {
        "queue": queue, "mine": mine, "mine_empty": not any(mine.values()),
        "overdue": queries.overdue_loans(user)[:100], "form": forms.DecisionForm(),
    })  # fmt: skip


def _back(request: HttpRequest) -> str:
    """Where to go after a decision: ``next`` only when it stays on this site (no open redirect)."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("carriers:approvals")


@require_POST
@page
def decide(request: HttpRequest, kind: str, pk: int, decision: str) -> HttpResponse:
    user = _user(request)
    if kind not in queries.REQUEST_MODELS or decision not in {"approve", "reject", "withdraw"}:
        raise Http404
    req = queries.request_for(user, kind, pk, "withdraw" if decision == "withdraw" else "approve")
    # The note goes through its form (length, no NUL byte) before it reaches the database (SEC-7).
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(form))
        return redirect(_back(request))
    note = form.cleaned_data["note"]
    try:
        if decision == "approve":
            DECIDERS[(kind, "approve")](user, req, note=note)
            messages.success(request, _("Approved."))
        elif decision == "reject":
            services.reject_request(user, req, note=note)
            messages.success(request, _("Rejected."))
        else:
            services.withdraw_request(user, req)
            messages.success(request, _("Withdrawn."))
    except AccessDenied:
        raise
    except BaomiError as exc:
        messages.error(request, str(exc.message))
    return redirect(_back(request))


# --- transfers (CAR-5) -------------------------------------------------------------------------


@page
def transfers(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(request, "carriers/transfers.html", {
        "incoming": queries.incoming_transfers(user), "unsigned": queries.unsigned_transfers(user)[:200],
        "recent": queries.transfers_for(user).filter(status="received")[:50],
    })  # fmt: skip


@page
def sign_transfer(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    transfer = queries.transfer_for(user, pk, "receive")
    form = forms.ReceiveForm(request.POST or None, actor=user)
    if request.method == "POST" and form.is_valid():
        try:
            services.receive_carrier(user, transfer, counted=form.cleaned_data["counted"],
                                     note=form.cleaned_data["note"])  # fmt: skip
        except AccessDenied:
            raise
        except BaomiError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("Signed for. The carrier is now in your custody."))
            return redirect("carriers:detail", pk=transfer.carrier_id)
    return render(
        request, "carriers/sign.html", {"transfer": transfer, "carrier": transfer.carrier, "form": form}
    )


# --- inventories (CAR-8) -----------------------------------------------------------------------


@page
def inventories(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = forms.CampaignForm(request.POST or None)
    if request.method == "POST":
        if not policy.can(user, "carriers.campaigns"):
            raise policy.deny(user, "carriers.campaigns", ("carriers.inventory", "", ""))
        if form.is_valid():
            try:
                campaign = services.start_inventory(user, **form.cleaned_data)
            except BaomiError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("The inventory was started."))
                return redirect("carriers:inventory", pk=campaign.pk)
    return render(
        request, "carriers/inventories.html", {"campaigns": queries.inventories_for(user), "form": form}
    )


@page
def inventory(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    campaign = queries.inventory_for(user, pk)
    entries = queries.inventory_entries(user, campaign)
    mine = [e for e in entries if e.custodian_id == user.pk]
    signed = set(campaign.signoffs.values_list("custodian_id", flat=True))
    custodians = sorted({(e.custodian_id, str(e.custodian)) for e in entries}, key=lambda x: x[1])
    # The list shows classified titles: the page carries the highest level among them (CAR-2, CLS-5).
    can_manage = policy.can(user, "manage", campaign)
    shown = mine + (list(entries) if can_manage else [])
    page_level = levels.highest([e.carrier.level for e in shown]) if shown else None
    return render(request, "carriers/inventory.html", {
        "campaign": campaign, "entries": entries, "mine": mine, "page_level": page_level, "signed": signed, "i_signed": user.pk in signed,
        "unsigned": [name for cid, name in custodians if cid not in signed], "check_form": forms.CheckForm(),
        "can_manage": can_manage,
        # CAR-8: lists whose custodian cannot sign are handed over or signed in place.
        "unsigned_ids": [(cid, name) for cid, name in custodians if cid not in signed],
        "handover_form": forms.HandOverForm(actor=user) if can_manage else None,
        "in_place_form": forms.SignInPlaceForm(actor=user) if can_manage else None,
        "in_place": {s.custodian_id: s for s in campaign.signoffs.filter(signed_by__isnull=False)
                     .select_related("signed_by", "witness")},
    })  # fmt: skip


@require_POST
@page
def inventory_check(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    entry = queries.inventory_entry_for(user, pk)
    form = forms.CheckForm(request.POST)
    if form.is_valid():
        try:
            services.check_inventory_entry(user, entry, **form.cleaned_data)
        except AccessDenied:
            raise
        except BaomiError as exc:
            messages.error(request, f"{entry.carrier.registry_number}：{exc.message}")
    else:
        messages.error(request, _("Choose present, missing or damaged."))
    return redirect("carriers:inventory", pk=entry.campaign_id)


@require_POST
@page
def inventory_check_bulk(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark several rows of my inventory list at once (CAR-8, issue 13): each through the
    service, each audited; a row that fails says which carrier and why."""
    user = _user(request)
    campaign = queries.inventory_for(user, pk)
    form = forms.CheckForm(request.POST)
    ids = [i for i in request.POST.getlist("entry") if i.isdigit()][:500]
    if not form.is_valid() or not ids:
        messages.error(request, _("Tick the rows and choose present, missing or damaged."))
        return redirect("carriers:inventory", pk=campaign.pk)
    done = 0
    for entry_pk in ids:
        entry = queries.inventory_entry_for(user, entry_pk)
        if entry.campaign_id != campaign.pk:
            raise Http404
        try:
            services.check_inventory_entry(user, entry, result=form.cleaned_data["result"], note="")
        except AccessDenied:
            raise
        except BaomiError as exc:
            messages.error(request, f"{entry.carrier.registry_number}：{exc.message}")
        else:
            done += 1
    if done:
        messages.success(request, _("%(n)d rows marked.") % {"n": done})
    return redirect("carriers:inventory", pk=campaign.pk)


@require_POST
@page
def inventory_sign(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    campaign = queries.inventory_for(user, pk, "sign")
    try:
        services.sign_inventory(user, campaign)
        messages.success(request, _("Your list is signed off."))
    except AccessDenied:
        raise
    except BaomiError as exc:
        messages.error(request, str(exc.message))
    return redirect("carriers:inventory", pk=campaign.pk)


@require_POST
@page
def inventory_hand_over(request: HttpRequest, pk: int) -> HttpResponse:
    """CAR-8: the security office gives an absent custodian's list to someone else."""
    user = _user(request)
    campaign = queries.inventory_for(user, pk, "manage")
    form = forms.HandOverForm(request.POST, actor=user)
    if form.is_valid():
        absent = queries.inventory_custodian(campaign, form.cleaned_data["from_user"])
        try:
            services.hand_over_inventory(user, from_user=absent, to_user=form.cleaned_data["to_user"],
                                         reason=form.cleaned_data["reason"])  # fmt: skip
            messages.success(request, _("The list was handed over."))
        except AccessDenied:
            raise
        except BaomiError as exc:
            messages.error(request, str(exc.message))
    else:
        messages.error(request, error_text(form, labelled=True))
    return redirect("carriers:inventory", pk=campaign.pk)


@require_POST
@page
def inventory_sign_in_place(request: HttpRequest, pk: int) -> HttpResponse:
    """CAR-8: the security office signs for an absent custodian, with a reason and a witness."""
    user = _user(request)
    campaign = queries.inventory_for(user, pk, "manage")
    form = forms.SignInPlaceForm(request.POST, actor=user)
    if form.is_valid():
        absent = queries.inventory_custodian(campaign, form.cleaned_data["custodian"])
        try:
            services.sign_inventory_in_place(user, campaign, custodian=absent, reason=form.cleaned_data["reason"],
                                             witness=form.cleaned_data["witness"])  # fmt: skip
            messages.success(request, _("The list was signed in place of its custodian."))
        except AccessDenied:
            raise
        except BaomiError as exc:
            messages.error(request, str(exc.message))
    else:
        messages.error(request, error_text(form, labelled=True))
    return redirect("carriers:inventory", pk=campaign.pk)


@require_POST
@page
def inventory_close(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    campaign = queries.inventory_for(user, pk, "manage")
    try:
        services.close_inventory(user, campaign)
        messages.success(request, _("The inventory is closed."))
    except AccessDenied:
        raise
    except BaomiError as exc:
        messages.error(request, str(exc.message))
    return redirect("carriers:inventory", pk=campaign.pk)


# --- recalls (CAR-9) ----------------------------------------------------------------------------


@page
def recalls(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not policy.can(user, "carriers.campaigns"):
        raise policy.deny(user, "carriers.campaigns", ("carriers.recall", "", ""))
    form = forms.RecallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.launch_recall(user, **form.cleaned_data)
        except BaomiError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The recall was launched."))
            return redirect("carriers:recall", pk=campaign.pk)
    return render(request, "carriers/recalls.html", {"campaigns": queries.recalls_for(user), "form": form})


@page
def recall(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    campaign = queries.recall_for(user, pk)
    if request.method == "POST":
        try:
            if "entry" in request.POST:
                entry_id = request.POST["entry"]
                if not entry_id.isdigit():  # a malformed id is simply not there (CAR-9)
                    raise Http404
                entry = campaign.entries.get(pk=int(entry_id))
                services.record_recall_return(user, entry)
                messages.success(request, _("The return to the issuer was registered."))
            elif "close" in request.POST:
                services.close_recall(user, campaign)
                messages.success(request, _("The recall is closed."))
        except AccessDenied:
            raise
        except (BaomiError, ValueError) as exc:
            messages.error(request, str(getattr(exc, "message", exc)))
        except campaign.entries.model.DoesNotExist:
            raise Http404 from None
        return redirect("carriers:recall", pk=campaign.pk)
    entries = campaign.entries.select_related("carrier", "carrier__custodian")
    return render(request, "carriers/recall.html", {"campaign": campaign, "entries": entries})


# --- originator consents for 绝密 (R-AC-3) ------------------------------------------------------


@page
def consents(request: HttpRequest) -> HttpResponse:
    """The consents page: the 绝密 items the user may record a consent for (document number and
    mark only — no scope needed, none granted) and the consents they may see (R-AC-3)."""
    user = _user(request)
    if not policy.can(user, "carriers.consents"):
        raise policy.deny(user, "carriers.consents", ("carriers.contentconsent", "", ""))
    shown = list(queries.consents(user)[:200])
    revocable = set(policy.visible(user, queries.consents(user), "revoke").values_list("pk", flat=True))
    return render(request, "carriers/consents.html", {
        "items": queries.consent_items(user)[:200], "consents": shown, "revocable": revocable,
    })  # fmt: skip


@page
def consent_item(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the originator's consent for one 绝密 item: the unit head or its 定密责任人 only;
    anyone else gets not found (R-AC-3)."""
    user = _user(request)
    item = queries.consent_item_for(user, pk)
    form = forms.ConsentForm(request.POST or None, actor=user)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.record_item_consent(user, item, download=d["download"], copy=d["copy"], print_=d["print_"],
                                         originator=d["originator"], reference=d["reference"])  # fmt: skip
        except AccessDenied:
            raise
        except BaomiError as exc:
            form_errors(form, exc)
        else:
            messages.success(request, _("The consent was recorded."))
            return redirect("carriers:consents")
    return render(request, "carriers/consent_item.html", {"item": item, "form": form})


@require_POST
@page
def consent_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    consent = queries.consent_for(user, pk)
    try:
        services.revoke_consent(user, consent)
    except AccessDenied:
        raise
    except BaomiError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The consent was revoked."))
    return redirect("carriers:consents")


# --- destruction (CAR-11) -----------------------------------------------------------------------


@page
def destructions(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    return render(request, "carriers/destructions.html", {"requests": queries.destructions_for(user)[:200]})


@page
def destruction(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    req = queries.destruction_for(user, pk)
    execute_form = forms.ExecuteDestructionForm(
        request.POST if request.POST.get("step") == "execute" else None,
        actor=user,
        pick={"destruction": req.pk},
    )
    if request.method == "POST":
        step = request.POST.get("step")
        # The note goes through its form (length, no NUL byte) before it reaches the database (CAR-11).
        decision_form = forms.DecisionForm(request.POST)
        if step in {"approve", "reject"} and not decision_form.is_valid():
            messages.error(request, error_text(decision_form))
            return redirect("carriers:destruction", pk=req.pk)
        note = decision_form.cleaned_data["note"] if step in {"approve", "reject"} else ""
        try:
            if step == "approve":
                services.approve_destruction(user, req, note=note)
                messages.success(request, _("Approved."))
            elif step == "reject":
                services.reject_destruction(user, req, note=note)
                messages.success(request, _("Rejected."))
            elif step == "execute" and execute_form.is_valid():
                services.execute_destruction(user, req, **execute_form.cleaned_data)
                messages.success(
                    request, _("The carriers were destroyed and stay in the registry as destroyed.")
                )
            else:
                raise Http404
            return redirect("carriers:destruction", pk=req.pk)
        except IntegrityHold as exc:  # said, not hidden: a carrier of the list is tampered (issue 11 §4)
            messages.error(request, str(exc.message))
            return redirect("carriers:destruction", pk=req.pk)
        except AccessDenied:
            raise
        except Http404:
            if step != "execute":
                raise
        except BaomiError as exc:
            if step == "execute":
                form_errors(execute_form, exc)
            else:
                messages.error(request, str(exc.message))
                return redirect("carriers:destruction", pk=req.pk)
    # A carrier that fails its integrity check is listed to the security office flagged, and to
    # anyone else not at all, with the message of a held batch (it names no carrier): its level
    # and title can no longer be trusted (CLS-7, R-CRYPTO-5). Each is alarmed like the ledger's.
    batch = list(req.carriers.select_related("item", "custodian"))
    listed = policy.screen(user, batch)
    flagged = {c.pk for c in listed if policy.integrity_failed(c)}
    # A held list cannot be approved or carried out (the services refuse it, issue 11 §4): the
    # page offers only what can be done — rejecting it — and says why.
    held = bool(flagged) or len(listed) < len(batch)
    may_execute = req.status == RequestStatus.APPROVED and policy.can(user, "execute", req)
    return render(request, "carriers/destruction.html", {
        "req": req, "carriers": listed, "flagged": flagged,
        "held": IntegrityHold.default_message if held else "",
        "execute_form": execute_form, "decision_form": forms.DecisionForm(),
        "can_decide": policy.can(user, "approve", req) and req.status == RequestStatus.PENDING,
        "approvable": not held,
        "can_execute": may_execute and not held, "execute_held": may_execute and held,
        "can_export": policy.can(user, "export_list", req),
    })  # fmt: skip


@page
def request_form(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """The printable 审批表 of a carrier request (issue 13), for whoever may view the request."""
    user = _user(request)
    req: Any
    if kind == "transfer":
        req = queries.transfer_for(user, pk)
    elif kind == "destruction":
        req = queries.destruction_for(user, pk)
    elif kind in queries.REQUEST_MODELS:
        req = queries.request_for(user, kind, pk)
    else:
        raise Http404
    return printing.pdf_response(carrier_printing.print_request(user, kind, req))


@page
def destruction_pdf(request: HttpRequest, pk: int) -> HttpResponse | FileResponse:
    user = _user(request)
    req = queries.destruction_for(user, pk, "export_list")
    try:
        data = render_destruction_list(user, req)
    except IntegrityHold as exc:  # a tampered carrier is never left off silently (issue 11 §4)
        messages.error(request, str(exc.message))
        return redirect("carriers:destruction", pk=req.pk)
    response = FileResponse(iter([data]), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="xiaohui-{req.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@page
def handle_review(request: HttpRequest, pk: int) -> HttpResponse:
    user = _user(request)
    review = queries.review_for(user, pk)
    # The note goes through its form (length, no NUL byte) before it is audited (CAR-10).
    form = forms.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(form))
        return redirect("carriers:workbench")
    try:
        services.close_review_notice(user, review, note=form.cleaned_data["note"])
        messages.success(request, _("The review notice is marked handled."))
    except AccessDenied:
        raise
    except BaomiError as exc:
        messages.error(request, str(exc.message))
    return redirect("carriers:workbench")


# --- workbench ----------------------------------------------------------------------------------


@page
def workbench(request: HttpRequest) -> HttpResponse:
    """The carrier work of the signed-in person: what they hold, what waits for them."""

    user = _user(request)
    return render(request, "carriers/workbench.html", {
        "tasks": [t for t in tasks(user) if t["count"]],
        "holding": queries.holdings(user)[:100],
        "loans": queries.loans_of(user)[:100], "today": timezone.localdate(),
        "can_register": policy.can(user, "carriers.register"),
        "can_campaign": policy.can(user, "carriers.campaigns"),
        "reviews": queries.reviews_for(user).filter(handled_at__isnull=True)[:50],
    })  # fmt: skip


@page
def link_storage(request: HttpRequest) -> HttpResponse:
    """POST: link the carriers' free-text storage places to the registered cabinets (SUP-5);
    GET: say what it does (the cabinets page of the key places register links here)."""
    user = _user(request)
    if not policy.can(user, "carriers.register"):
        raise policy.deny(user, "carriers.register", ("carriers.registry", "", ""))
    if request.method == "POST":
        try:
            result = services.link_storage_places(user)
        except BaomiError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("%(linked)s carriers linked to their cabinets; %(skipped)s name a cabinet that "
                                        "may not keep them and stay as written.")
                             % {"linked": result["linked"], "skipped": result["not_fitting"]})  # fmt: skip
        return redirect("sites:cabinets")
    return render(request, "carriers/link_storage.html")
