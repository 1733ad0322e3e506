"""Helpers every app's web views share, written once (SEC-7, CAR-3).

- :func:`page` — the decorator of every signed-in page: sign-in required, and a refusal or an
  absence (``NotFound``, ``AccessDenied``) becomes the ordinary 404 page, the refusal audited
  once if the policy has not already done it.
- :func:`run_service` — call a service from a view: its Chinese error becomes a flash message
  instead of a 500, success flashes ``ok``.
- :func:`form_errors` — put a service error on a bound form: on the fields it names where the
  form has them, otherwise on top.
- :func:`error_text` — a bound form's own errors as one line, for a flash message.

A typical view::

    @page
    def lend(request, pk):
        carrier = queries.carrier_for(request.user, pk)   # 404 if absent or forbidden
        form = forms.LendForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.lend(request.user, carrier, **form.cleaned_data)
            except BaomiError as exc:
                form_errors(form, exc)
            else:
                return redirect(carrier)
        return render(request, "carriers/lend.html", {"form": form})
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest

from baomi.access.errors import AccessDenied
from baomi.core.errors import BaomiError, NotFound
from baomi.kit.refusals import audit_refusal

V = TypeVar("V", bound=Callable[..., Any])


def denied_as_404(view: V) -> V:
    """Absent and forbidden alike become the 404 page (CAR-3); a refusal that reached the view
    unaudited — the view's own ``require`` — is audited once (SEC-3). No sign-in check: for
    the few pages reachable half-signed-in; everything else uses :func:`page`."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            audit_refusal(request.user, exc)
            raise Http404 from None

    return wrapper  # type: ignore[return-value]


def page(view: V) -> V:
    """Sign-in required; absent and forbidden both become the Chinese 404 page (CAR-3, SEC-7)."""
    return login_required(denied_as_404(view))  # type: ignore[return-value]


def run_service(request: HttpRequest, call: Callable[[], Any], ok: str) -> bool:
    """Call a service; flash its Chinese error instead of a 500 (SEC-7), or ``ok`` on success.
    A refusal becomes the 404 page (audited by the ``@service`` that raised it)."""
    try:
        call()
    except AccessDenied as exc:
        audit_refusal(request.user, exc)
        raise Http404 from None
    except BaomiError as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, ok)
    return True


def form_errors(form: Any, exc: BaomiError) -> None:
    """Put a service error on ``form``: each message on the field it names where the form has
    that field; if none fits, the error's message on top of the form."""
    placed = False
    for name, errs in exc.fields.items():
        if name in form.fields:
            for err in errs if isinstance(errs, list | tuple) else [errs]:
                form.add_error(name, str(err))
            placed = True
    if not placed:
        form.add_error(None, str(exc.message))


def error_text(form: Any, *, labelled: bool = False) -> str:
    """Every error of a bound form as one line, for a flash message on the page the user
    returns to (the messages are already translated). ``labelled`` names each field:
    ``理由：此字段为必填项。``."""
    if not labelled:
        return " ".join(str(e) for errors in form.errors.values() for e in errors)
    parts = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        text = "；".join(str(e) for e in errors)
        parts.append(f"{label}：{text}" if label else text)
    return " ".join(parts)
