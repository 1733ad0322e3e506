"""Printable 审批表 (issue 13): every approval prints as a PDF form to be signed and filed.

One helper for every app. An app contributes a template that extends ``kit/print/form.html``
(its rows: what was asked, by whom, the decision, the names and the dates) and a print view
that calls :func:`print_form` with the request and that template; the helper does the rest the
same way for all of them:

* the policy first — the viewer must be allowed to ``view`` the request (forbidden looks like
  not found, as everywhere);
* one audit entry (APPROVAL_FORM_PRINTED) written before the file is built, whose number is
  the form's 份号, so a signed form in a binder leads back to who printed it and when (as for
  ledger exports, CAR-13);
* 份号 on line 1 and the mark on line 2, top left, on every page (GB/T 9704, R-MARK-5); a
  light diagonal watermark naming the reader, the time and the form (CAR-13);
* HTML and CSS laid out by WeasyPrint (a maintained renderer: tables that wrap and break across
  pages, no hand-placed coordinates) with the CJK fonts of ``fonts-noto-cjk``.

WeasyPrint needs Debian's ``libpango-1.0-0`` and ``libpangoft2-1.0-0`` (``.ci/run``,
docs/operations.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from baomi.access import policy
from baomi.audit.events import AuditEvent
from baomi.audit.record import record
from baomi.kit.service import service


@dataclass
class Printed:
    filename: str
    data: bytes
    number: str


def render_pdf(html: str) -> bytes:
    """Lay out ``html`` (a complete document) as a PDF with WeasyPrint. A pure helper: no
    policy, no writes — :func:`print_form` is the audited way in."""
    from weasyprint import HTML

    return bytes(HTML(string=html, base_url=None).write_pdf())


def who(user: Any) -> str:
    """A person as a form names them: full name (username), or a dash."""
    if user is None:
        return "—"
    name = getattr(user, "full_name", "") or ""
    username = getattr(user, "username", "") or ""
    return f"{name}（{username}）" if name and username else (name or username or "—")


def when(value: Any, *, with_time: bool = False) -> str:
    """A date as the screen shows it (``2026-12-06``; ``2026-12-06 14:05`` with the time), or a
    dash."""
    if value is None or value == "":
        return "—"
    if hasattr(value, "hour"):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")
    return value.strftime("%Y-%m-%d") if hasattr(value, "strftime") else str(value)


@service
def print_form(
    actor: Any,
    obj: Any,
    *,
    template: str,
    title: str,
    mark: str,
    reference: str,
    context: dict[str, Any] | None = None,
    action: str = "view",
) -> Printed:
    """Render the 审批表 of ``obj`` from ``template`` (extending ``kit/print/form.html``).

    *Requires* ``action`` (default ``view``) on ``obj``. *Audits* APPROVAL_FORM_PRINTED on
    ``obj``; the entry's number is the form's 份号. ``mark`` is the form's mark (the request's
    carrier or item; 「内部」 for personnel records); ``reference`` the request's own number as
    printed in the form's heading (``JY-12``)."""
    policy.require(actor, action, obj)
    entry = record(
        actor, AuditEvent.APPROVAL_FORM_PRINTED, obj, details={"form": template, "reference": reference}
    )
    number = f"{entry.pk:06d}"
    printed_at = timezone.localtime(entry.time)
    watermark = _("%(who)s printed at %(time)s · form %(reference)s · copy %(number)s") % {
        "who": who(actor),
        "time": printed_at.strftime("%Y-%m-%d %H:%M"),
        "reference": reference,
        "number": number,
    }
    html = render_to_string(
        template,
        {
            **(context or {}),
            "obj": obj,
            "form_title": title,
            "reference": reference,
            "copy_number": number,
            "mark": mark,
            "watermark": watermark,
            "printed_by": who(actor),
            "printed_at": printed_at.strftime("%Y-%m-%d %H:%M"),
        },
    )
    safe_ref = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in reference)
    return Printed(f"shenpi-{safe_ref}-{number}.pdf", render_pdf(html), number)


def pdf_response(printed: Printed) -> Any:
    """The HTTP answer for a printed form: a download, never cached."""
    from django.http import HttpResponse

    from baomi.kit.downloads import content_disposition

    response = HttpResponse(printed.data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(printed.filename)
    response["Cache-Control"] = "no-store"
    return response
