"""Pages of the exchange with other units (发文 and 收文; CAR-4, CAR-5, R-CAR-3; issue 12 §3):
the overview with overdue receipts, a dispatch, the incoming registration, the unit list."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.access import policy
from baomi.carriers import exchange_forms as forms
from baomi.carriers import exchange_queries as q
from baomi.carriers import services
from baomi.core.errors import BaomiError, NotFound
from baomi.kit.pages import form_errors, page, run_service

STATUSES = ("", "pending", "awaiting_receipt", "overdue", "rejected", "withdrawn")


@page
def exchange(request: HttpRequest) -> HttpResponse:
    user = request.user
    status = request.GET.get("status", "")
    status = status if status in STATUSES else ""
    return render(request, "carriers/exchange.html", {
        "dispatches": q.dispatches(user, status=status)[:200], "status": status,
        "overdue": q.overdue_receipts(user).count(), "to_decide": q.dispatches_to_decide(user),
        "incoming": q.incoming(user)[:100], "can_register": policy.can(user, "carriers.register"),
        "can_units": policy.can(user, "carriers.external_units"), "today": timezone.localdate(),
    })  # fmt: skip


@page
def dispatch_new(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    carrier = q.dispatchable_carrier(user, pk)
    form = forms.DispatchForm(request.POST or None, actor=user, carrier=carrier)
    if request.method == "POST" and form.is_valid():
        try:
            dispatch = services.request_dispatch(user, carrier, **form.cleaned_data)
        except BaomiError as exc:
            if isinstance(exc, NotFound):
                raise
            form_errors(form, exc)
        else:
            if dispatch.status == "done":
                messages.success(request, _("Dispatched. Record the receipt when it comes back."))
            else:
                messages.success(
                    request, _("Dispatch requested; it waits for the department head's approval.")
                )
            return redirect("carriers:dispatch", pk=dispatch.pk)
    return render(request, "carriers/dispatch_form.html", {"carrier": carrier, "form": form,
                                                           "needs_approval": services.needs_approval(carrier.level)})  # fmt: skip


@page
def dispatch(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    d = q.dispatch_for(user, pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    receipt = forms.ReceiptForm(request.POST if action == "receipt" else None)
    reason = request.POST.get("reason", "")[:300]
    calls: dict[str, tuple[Any, str]] = {
        "approve": (lambda: services.approve_dispatch(user, d, reason=reason), _("Decision recorded.")),
        "reject": (lambda: services.reject_dispatch(user, d, reason=reason), _("Decision recorded.")),
        "send": (
            lambda: services.send_dispatch(user, d),
            _("Dispatched. Record the receipt when it comes back."),
        ),
        "withdraw": (lambda: services.withdraw_dispatch(user, d), _("Withdrawn.")),
    }
    if action in calls:
        call, ok = calls[action]
        run_service(request, call, ok)
        return redirect("carriers:dispatch", pk=d.pk)
    if action == "receipt" and receipt.is_valid():
        try:
            services.record_receipt(user, d, **receipt.cleaned_data)
        except BaomiError as exc:
            if isinstance(exc, NotFound):
                raise
            form_errors(receipt, exc)
        else:
            messages.success(request, _("Receipt recorded."))
            return redirect("carriers:dispatch", pk=d.pk)
    return render(request, "carriers/dispatch.html", {"d": d, "carrier": d.carrier, "receipt_form": receipt})


@page
def incoming_new(request: HttpRequest) -> HttpResponse:
    user = request.user
    policy.require(user, "carriers.register")
    form = forms.IncomingForm(request.POST or None, actor=user)
    if request.method == "POST" and form.is_valid():
        try:
            incoming = services.register_incoming(user, **form.cleaned_data)
        except BaomiError as exc:
            if isinstance(exc, NotFound):
                raise
            form_errors(form, exc)
        else:
            messages.success(request, _("Received and registered as %(number)s.")
                             % {"number": incoming.carrier.registry_number})  # fmt: skip
            return redirect("carriers:detail", pk=incoming.carrier_id)
    return render(request, "carriers/incoming_form.html", {"form": form})


@page
def units(request: HttpRequest) -> HttpResponse:
    user = request.user
    manage = policy.can(user, "carriers.external_units")
    form = forms.ExternalUnitForm(request.POST if request.POST.get("action") == "add" else None)
    if request.method == "POST":
        policy.require(user, "carriers.external_units")
        action = request.POST.get("action", "")
        if action in ("disable", "enable"):
            unit = q.unit_for(user, request.POST.get("unit"), "manage")
            services.update_external_unit(user, unit, active=action == "enable")
            messages.success(request, _("Saved."))
            return redirect("carriers:external-units")
        if form.is_valid():
            try:
                services.create_external_unit(user, **form.cleaned_data)
            except BaomiError as exc:
                form_errors(form, exc)
            else:
                messages.success(request, _("Saved."))
                return redirect("carriers:external-units")
    return render(
        request, "carriers/external_units.html", {"units": q.units(user), "form": form, "manage": manage}
    )
