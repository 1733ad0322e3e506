"""Pages of the monitoring app (SEC-5): the alert list with filters, one alert with its
lifecycle actions, and the rules. Thin: selectors read, services write, the policy decides;
an alert addressed to another role looks like one that does not exist."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from baomi.access import policy
from baomi.core.errors import BaomiError
from baomi.kit.pages import error_text, form_errors, page, run_service
from baomi.monitoring import lifecycle, selectors, services
from baomi.monitoring.forms import AlertFilterForm, NoteForm, RuleForm

PAGE_SIZE = 50
ACTIONS: dict[str, tuple[Callable[..., Any], Any]] = {
    "acknowledge": (services.acknowledge_alert, gettext_lazy("The alert was acknowledged.")),
    "close": (services.close_alert, gettext_lazy("The alert was closed.")),
    "escalate": (services.escalate_alert, gettext_lazy("The alert was escalated; an incident was opened.")),
}


@page
def alert_list(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "monitoring.alerts")
    form = AlertFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    page = Paginator(selectors.alerts(request.user, filters), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(a, selectors.subject_text(request.user, a)) for a in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    cur = selectors.cursor()
    return render(request, "monitoring/alerts.html", {
        "form": form, "page": page, "rows": rows, "query": query.urlencode(), "cursor": cur,
    })  # fmt: skip


@page
def alert_detail(request: HttpRequest, pk: int) -> HttpResponse:
    alert = selectors.alert_for(request.user, pk)
    return render(request, "monitoring/alert.html", {
        "alert": alert, "view": selectors.present(request.user, alert),
        "actions": lifecycle.allowed(alert.status) if policy.can(request.user, "handle", alert) else [],
        "form": NoteForm(),
    })  # fmt: skip


@page
@require_POST
def alert_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    alert = selectors.alert_for(request.user, pk)
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(form))
        return redirect("monitoring:alert", pk=alert.pk)
    call, done = ACTIONS[action]
    run_service(request, lambda: call(request.user, alert, note=form.cleaned_data["note"]), str(done))
    return redirect("monitoring:alert", pk=alert.pk)


def _rule_rows(user: Any, bound: dict[str, RuleForm] | None = None) -> list[dict[str, Any]]:
    rows = []
    for rule in selectors.rules_for(user):
        can_change = policy.can(user, "change", rule)
        form = (bound or {}).get(rule.kind) or RuleForm(
            kind=rule.kind, prefix=rule.kind,
            initial={"enabled": rule.enabled, "threshold": rule.threshold,
                     "window_minutes": rule.window_minutes, "key": rule.key},
        )  # fmt: skip
        rows.append({"rule": rule, "form": form, "can_change": can_change})
    return rows


@page
def rules(request: HttpRequest) -> HttpResponse:
    policy.require(request.user, "monitoring.alerts")
    return render(request, "monitoring/rules.html", {"rows": _rule_rows(request.user)})


@page
@require_POST
def rule_change(request: HttpRequest, kind: str) -> HttpResponse:
    rule = selectors.rule_for(request.user, kind, "change")
    form = RuleForm(request.POST, kind=rule.kind, prefix=rule.kind)
    if form.is_valid():
        try:
            services.update_rule(request.user, rule.kind, **form.cleaned_data)
        except BaomiError as exc:
            if exc.status == 404:
                raise
            form_errors(form, exc)
        else:
            messages.success(request, _("The rule was changed."))
            return redirect("monitoring:rules")
    return render(request, "monitoring/rules.html", {"rows": _rule_rows(request.user, {rule.kind: form})},
                  status=400)  # fmt: skip
