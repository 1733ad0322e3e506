"""Links to what a table names (issue 13): a carrier, an item, a person, a request, a campaign,
a case links to its page as far as the policy lets the viewer follow — otherwise its name as
plain text, never a link to a 404 page.

A model takes part by ``get_absolute_url()``; its page's policy action is ``link_action``
(default ``"view"``; the account page of a person is ``"administer"``). Templates write
``{% link carrier %}`` or ``{% link carrier carrier.registry_number %}`` (kit's template tags);
the audit trail names its targets with :func:`target_html` — ``载体 2026-纸-000017``,
``用户 李娜`` — linked only where the auditor may open them.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.utils.html import format_html
from django.utils.text import capfirst

from baomi.access.policy import can


def url_for(user: Any, obj: Any) -> str | None:
    """The page of ``obj`` when ``user`` may open it, else None."""
    if obj is None or not hasattr(obj, "get_absolute_url"):
        return None
    try:
        if not can(user, getattr(obj, "link_action", "view"), obj):
            return None
        return str(obj.get_absolute_url())
    except LookupError:
        return None


def link_html(user: Any, obj: Any, text: Any = None) -> str:
    label = obj if text in (None, "") else text
    if label is None:
        return ""
    url = url_for(user, obj)
    if url is None:
        return format_html("{}", label)
    return format_html('<a href="{}">{}</a>', url, label)


def noun(target_type: str) -> str:
    """The Chinese name of a target's kind (``carriers.carrier`` → 载体), or ''."""
    try:
        model = apps.get_model(target_type)
    except (LookupError, ValueError):
        return ""
    return str(capfirst(model._meta.verbose_name))


def resolve(entries: list[Any]) -> dict[tuple[str, str], Any]:
    """The live objects the audit entries name, one query per kind of target."""
    wanted: dict[str, set[str]] = {}
    for e in entries:
        if e.target_type and str(e.target_id).isdigit():
            wanted.setdefault(e.target_type, set()).add(str(e.target_id))
    found: dict[tuple[str, str], Any] = {}
    for target_type, ids in wanted.items():
        try:
            model = apps.get_model(target_type)
        except (LookupError, ValueError):
            continue
        if not hasattr(model, "get_absolute_url"):
            continue
        for obj in model._default_manager.filter(pk__in=[int(i) for i in ids]):
            found[(target_type, str(obj.pk))] = obj
    return found


def target_html(user: Any, entry: Any, objects: dict[tuple[str, str], Any] | None = None) -> str:
    """``载体 2026-纸-000017`` for an audit entry's target, linked where ``user`` may open it."""
    label = entry.target_label or (f"#{entry.target_id}" if entry.target_id else "")
    kind = noun(entry.target_type) if entry.target_type else ""
    obj = (objects or {}).get((entry.target_type, str(entry.target_id)))
    url = url_for(user, obj)
    if not label and not kind:
        return ""
    if url:
        return (
            format_html('{} <a href="{}">{}</a>', kind, url, label)
            if kind
            else format_html('<a href="{}">{}</a>', url, label)
        )
    return format_html("{} {}", kind, label) if kind else format_html("{}", label)
