"""What every register page needs: login, absent-or-forbidden as the Chinese 404, a service
call whose refusal shows on the page (never a 500), form errors as messages, and table cells
that link to what they name (SUP-4..8, SUP-12/13; CAR-3, SEC-7).

The registers render three generic templates — ``registers/list.html``,
``registers/detail.html`` and ``registers/form.html`` — from plain dictionaries the views
build, so the seven registers share one look without copying markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from baomi.access.policy import can, deny
from baomi.core.errors import BaomiError, NotFound
from baomi.kit.pages import error_text, form_errors, run_service
from baomi.kit.pages import page as page  # re-exported with the rest of the registers' helpers


def need(request: HttpRequest, action: str) -> None:
    """An object-less screen: refused like not found, and audited (CAR-3)."""
    if not can(request.user, action):
        raise deny(request.user, action, ("registers.screen", action, action))


def submit(request: HttpRequest, form: Any, call: Callable[[dict[str, Any]], Any], ok: str) -> Any:
    """On POST, validate ``form`` and call the service with its data; the service's error goes
    onto the form (``kit.pages.form_errors``), success is flashed. Returns the service's result,
    or None when nothing was done. A refusal propagates to ``@page`` (the audited 404)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        result = call(form.cleaned_data)
    except NotFound:
        raise
    except BaomiError as exc:
        form_errors(form, exc)
        return None
    messages.success(request, ok)
    return result if result is not None else True


@dataclass(frozen=True)
class Cell:
    """One table cell or fact: text, optionally a link and a badge class (ok, warn, bad)."""

    text: Any
    url: str = ""
    badge: str = ""

    def __str__(self) -> str:
        return "" if self.text is None else str(self.text)


def cell(text: Any, url: str = "", badge: str = "") -> Cell:
    if text in (None, ""):
        return Cell("—", url, "")
    return Cell(text, url, badge)


def link_if(user: Any, obj: Any, url_name: str, text: Any = None, action: str = "view") -> Cell:
    """A cell naming ``obj`` that links to its page when the viewer may see it (every row that
    names a thing links to it)."""
    if obj is None:
        return cell(None)
    label = text if text is not None else str(obj)
    try:
        allowed = can(user, action, obj)
    except LookupError:
        allowed = False
    return Cell(label, reverse(url_name, args=[obj.pk]) if allowed else "")


def person(user: Any) -> Cell:
    """A person as a cell: full name (username)."""
    if user is None:
        return cell(None)
    return Cell(user.full_name or user.username)


def yes_no(value: bool) -> Cell:
    from django.utils.translation import gettext as _

    return Cell(_("Yes") if value else _("No"), badge="ok" if value else "")


def choices_of(options: Iterable[tuple[Any, Any]]) -> list[tuple[str, str]]:
    return [(str(v), str(label)) for v, label in options]


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- actions on a detail page ------------------------------------------------------------------


@dataclass
class Action:
    """One thing a detail page lets a person do to its object: a small form (or a bare button)
    posted to ``<pk>/<name>/``, which calls ``call(actor, obj, cleaned_data)`` — a service.
    It shows only when the policy allows ``policy`` on the object and ``when(obj)`` holds; the
    service decides again (a button is never the check)."""

    name: str
    title: Any
    policy: str
    call: Callable[[Any, Any, dict[str, Any]], Any]
    ok: Any
    form: Any = None
    button: Any = ""
    danger: bool = False
    note: Any = ""
    files: bool = False
    form_kwargs: Callable[[Any, Any], dict[str, Any]] | None = None
    initial: Callable[[Any], dict[str, Any]] | None = None
    when: Callable[[Any], bool] | None = None


def _allowed(user: Any, action: Action, obj: Any) -> bool:
    try:
        return can(user, action.policy, obj) and (action.when is None or bool(action.when(obj)))
    except LookupError:
        return can(user, action.policy) and (action.when is None or bool(action.when(obj)))


def action_panels(request: HttpRequest, obj: Any, actions: list[Action], url_name: str) -> dict[str, Any]:
    """The ``forms`` and ``buttons`` of ``registers/detail.html`` for what the viewer may do."""
    forms, buttons = [], []
    for a in actions:
        if not _allowed(request.user, a, obj):
            continue
        url = reverse(url_name, args=[obj.pk, a.name])
        if a.form is None:
            buttons.append({"name": a.name, "label": a.button or a.title, "url": url, "danger": a.danger,
                            "confirm": a.note})  # fmt: skip
            continue
        kwargs = a.form_kwargs(request.user, obj) if a.form_kwargs else {}
        form = a.form(initial=a.initial(obj) if a.initial else None, **kwargs)
        forms.append({"title": a.title, "form": form, "url": url, "button": a.button or a.title,
                      "danger": a.danger, "note": a.note, "files": a.files})  # fmt: skip
    return {"forms": forms, "buttons": buttons}


def handle_action(request: HttpRequest, obj: Any, actions: list[Action], name: str) -> Any:
    """Run the posted action on ``obj``: validate its form, call its service, and leave the
    outcome as a flash message (the page redirects back to the object). Returns the service's
    result, or None when refused or invalid."""
    action = next((a for a in actions if a.name == name), None)
    if action is None or request.method != "POST":
        raise Http404
    data: dict[str, Any] = {}
    if action.form is not None:
        kwargs = action.form_kwargs(request.user, obj) if action.form_kwargs else {}
        form = action.form(request.POST, request.FILES, **kwargs)
        if not form.is_valid():
            messages.error(request, error_text(form, labelled=True))
            return None
        data = form.cleaned_data
    result: list[Any] = []
    run_service(request, lambda: result.append(action.call(request.user, obj, data)), str(action.ok))
    return result[0] if result else None


def detail_page(request: HttpRequest, obj: Any, *, actions: list[Action], action_url: str,
                **context: Any) -> HttpResponse:  # fmt: skip
    """Render ``registers/detail.html`` for ``obj``: the context the view built (``title``,
    ``status``, ``facts``, ``sections``, ``subnav``, ...) and the action panels the viewer may
    use (``action_url``: the URL name of the register's :func:`action_view`)."""
    from django.shortcuts import render

    return render(
        request, "registers/detail.html", {**context, **action_panels(request, obj, actions, action_url)}
    )


def action_view(get: Callable[[Any, Any], Any], actions: list[Action], detail: str,
                back: Callable[[Any], Any] = lambda obj: obj.pk) -> Callable[..., HttpResponse]:  # fmt: skip
    """The ``<pk>/<action>/`` view of a register's detail page: ``get(user, pk)`` fetches the
    object as the viewer may see it (absent or forbidden: the audited 404), the posted action
    runs (:func:`handle_action`), and the page redirects back to ``detail`` (its ``pk`` is
    ``back(obj)``)."""
    from django.shortcuts import redirect

    @page
    def view(request: HttpRequest, pk: int, action: str) -> HttpResponse:
        obj = get(request.user, pk)
        handle_action(request, obj, actions, action)
        return redirect(detail, pk=back(obj))

    return view


def filter_spec(name: str, label: Any, options: Iterable[tuple[Any, Any]], value: str) -> dict[str, Any]:
    return {"name": name, "label": label, "options": choices_of(options), "value": value}


def list_page(request: HttpRequest, *, title: Any, headers: list[Any], rows: list[list[Any]], count: int,
              export: Callable[..., bytes] | None = None, filename: str = "register.xlsx",
              **context: Any) -> HttpResponse:  # fmt: skip
    """Render ``registers/list.html``; with ``?export=xlsx`` hand the same rows to the app's
    export service (which audits) and answer the file instead."""
    from django.shortcuts import render

    if export is not None and request.GET.get("export") == "xlsx":
        data = export(title=str(title), headers=[str(h) for h in headers], rows=rows)
        return xlsx_response(data, filename)
    ctx = {"title": title, "headers": headers, "rows": rows, "count": count, "export": export is not None,
           "f": request.GET, **context}  # fmt: skip
    return render(request, "registers/list.html", ctx)
