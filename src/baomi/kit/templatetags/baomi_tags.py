"""Template tags: ``{% can "action" obj as ok %}`` asks the policy (a button is never the
check), ``{% mark_banner obj %}`` shows the mark wherever classified content appears (CLS-7)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import gettext as _

from baomi.access.policy import can as policy_can
from baomi.core.levels import Level, is_state_secret
from baomi.kit import links

register = template.Library()


@register.simple_tag(takes_context=True)
def can(context: dict[str, Any], action: str, obj: Any = None) -> bool:
    request = context.get("request")
    user = getattr(request, "user", None)
    try:
        return policy_can(user, action, obj)
    except LookupError:
        return False


@register.inclusion_tag("kit/mark_banner.html")
def mark_banner(obj: Any = None, mark: str | None = None, level: str | None = None) -> dict[str, Any]:
    """The mark banner: ``obj`` provides ``mark_text()`` and ``level``, or pass them directly."""
    if obj is not None:
        mark = mark or (obj.mark_text() if hasattr(obj, "mark_text") else None)
        level = level or getattr(obj, "level", None)
    level = level or Level.PUBLIC
    return {
        "mark": mark or "",
        "level": level,
        "level_label": Level(level).label if level in Level.values else level,
        "state_secret": is_state_secret(level) if level in Level.values else False,
        "tampered": bool(obj is not None and getattr(obj, "mark_tampered", False)),
        "tampered_text": _("Mark integrity check failed"),
    }


@register.inclusion_tag("kit/history.html")
def request_history(req: Any, compact: bool = False) -> dict[str, Any]:
    """``{% request_history req %}``: the steps of a request — filed, decided, carried out —
    with who, when and why, the same on every approval screen (kit/requests.py ``history``);
    ``compact=True`` folds them into a line of a table."""
    from baomi.kit.requests import history

    return {"steps": history(req), "compact": compact}


@register.filter
def level_label(value: str) -> str:
    return str(Level(value).label) if value in Level.values else value


@register.simple_tag(takes_context=True)
def link(context: dict[str, Any], obj: Any, text: Any = None) -> str:
    """``{% link carrier %}``: the object's name linking to its page where the viewer may open
    it, plain text otherwise (kit/links.py)."""
    request = context.get("request")
    return links.link_html(getattr(request, "user", None), obj, text)


@register.simple_tag(takes_context=True)
def audit_target(context: dict[str, Any], entry: Any) -> str:
    """An audit entry's target in Chinese, ``载体 2026-纸-000017``, linked where the viewer may
    open it; the view passes ``audit_targets`` (kit.links.resolve) to save a query per row."""
    request = context.get("request")
    return links.target_html(getattr(request, "user", None), entry, context.get("audit_targets"))
