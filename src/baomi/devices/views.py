"""Media and devices UI (SUP-6): thin views on the shared register templates, plus the USB
whitelist download."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from baomi.access.policy import can
from baomi.devices import forms, selectors, services
from baomi.devices.choices import DeviceKind, DeviceStatus
from baomi.registers.pages import (
    Action,
    action_view,
    cell,
    detail_page,
    filter_spec,
    link_if,
    list_page,
    need,
    page,
    person,
    submit,
)

BADGE = {DeviceStatus.IN_USE: "ok", DeviceStatus.PROCURED: "warn", DeviceStatus.MAINTENANCE: "warn",
         DeviceStatus.LOST: "bad", DeviceStatus.SCRAPPED: ""}  # fmt: skip
CHECKED = (DeviceStatus.IN_USE, DeviceStatus.MAINTENANCE, DeviceStatus.PROCURED)


def _subnav(request: HttpRequest) -> list[tuple[str, str, str]]:
    items = [("devices", _("Media and devices"), reverse("devices:list")),
             ("removable", _("Removable media"), reverse("devices:list") + "?kind=removable")]  # fmt: skip
    if can(request.user, "devices_whitelist"):
        items.append(("whitelist", _("USB whitelist"), reverse("devices:whitelist")))
    return items


def _status(d: Any) -> Any:
    return cell(d.get_status_display(), badge=BADGE.get(d.status, ""))


def _due(day: Any) -> Any:
    if day is None:
        return cell(None)
    return cell(day, badge="bad" if day < timezone.localdate() else "")


def _rectification(tasks: list[dict[str, Any]]) -> Any:
    """A check's problem in the rectification loop (SUP-1 整改): its task, linked, with owner,
    deadline and status (overdue in red)."""
    if not tasks:
        return cell(None)
    t = tasks[-1]
    text = f"#{t['pk']} {t['status_label']} · {t['owner']} · {t['deadline']}"
    badge = "bad" if t["overdue"] else "ok" if t["status"] == "verified" else "warn"
    return cell(text, reverse(t["url"], args=[t["pk"]]), badge=badge)


def _check_due(device: Any) -> Any:
    """The next periodic check, for a device still in the unit's hands (SUP-6): a scrapped or
    lost one has none."""
    return device.next_check_on if device.status in CHECKED else None


def _export(request: HttpRequest) -> Any:
    def call(*, title: str, headers: list[str], rows: list[list[Any]]) -> bytes:
        return services.export_register(
            request.user, title=title, headers=headers, rows=rows, register="devices"
        )

    return call


@page
def device_list(request: HttpRequest) -> HttpResponse:
    need(request, "devices_browse")
    g, u = request.GET, request.user
    qs = selectors.devices(u, q=g.get("q", "").strip(), kind=g.get("kind", ""), status=g.get("status", ""),
                           level=g.get("level", ""), department=g.get("department", ""))  # fmt: skip
    rows = [[link_if(u, d, "devices:device", d.asset_number), d.get_kind_display(), d.model_name, d.serial,
             d.usb_id() or "—", d.get_level_display(), person(d.custodian), d.department.name,
             link_if(u, d.place, "sites:place"), _status(d), _due(_check_due(d))] for d in qs[:500]]  # fmt: skip
    headers = [_("Asset number"), _("Kind"), _("Make and model"), _("Serial number"), _("USB id"), _("Level"),
               _("Custodian"), _("Department"), _("Place"), _("Status"), _("Next check due")]  # fmt: skip
    kinds = [("removable", _("Removable media")), *DeviceKind.choices]
    new = [(_("Register a device"), reverse("devices:new"))] if can(u, "devices_manage") else []
    return list_page(request, title=_("Media and devices"), headers=headers, rows=rows, count=qs.count(),
                     export=_export(request), filename="devices.xlsx", search=_("Asset number, serial or model"),
                     filters=[filter_spec("kind", _("Kind"), kinds, g.get("kind", "")),
                              filter_spec("status", _("Status"), DeviceStatus.choices, g.get("status", "")),
                              filter_spec("level", _("Level"), forms.LEVELS, g.get("level", ""))],
                     new_links=new, subnav=_subnav(request),
                     sub="removable" if g.get("kind") == "removable" else "devices")  # fmt: skip


@page
def device_new(request: HttpRequest) -> HttpResponse:
    need(request, "devices_manage")
    form = forms.DeviceForm(request.POST or None, viewer=request.user)
    d = submit(
        request, form, lambda d: services.register_device(request.user, **d), _("The device was registered.")
    )
    if d:
        return redirect("devices:device", pk=d.pk)
    return render(request, "registers/form.html", {"title": _("Register a device"), "form": form,
                  "back": reverse("devices:list"), "subnav": _subnav(request), "sub": "devices"})  # fmt: skip


DEVICE_ACTIONS = [
    Action("commission", gettext_lazy("Put into use"), "manage",
           lambda u, d, data: services.commission_device(u, d, **data), gettext_lazy("The device is in use."),
           form=forms.CommissionForm, button=gettext_lazy("Put into use"),
           when=lambda d: d.status == DeviceStatus.PROCURED),
    Action("check", gettext_lazy("Record a check"), "check",
           lambda u, d, data: services.check_device(u, d, **data), gettext_lazy("The check was recorded."),
           form=forms.CheckForm, button=gettext_lazy("Record"),
           when=lambda d: d.status in (DeviceStatus.IN_USE, DeviceStatus.PROCURED)),
    Action("maintain", gettext_lazy("Send to on-site maintenance"), "manage",
           lambda u, d, data: services.start_maintenance(u, d, **data), gettext_lazy("Maintenance was recorded."),
           form=forms.MaintenanceForm, button=pgettext_lazy("registers", "Start"), form_kwargs=lambda u, d: {"device": d},
           when=lambda d: d.status == DeviceStatus.IN_USE),
    Action("finish", gettext_lazy("Finish the maintenance"), "manage",
           lambda u, d, data: services.finish_maintenance(u, d, **data), gettext_lazy("The device is back in use."),
           form=forms.FinishForm, button=gettext_lazy("Finish"), when=lambda d: d.status == DeviceStatus.MAINTENANCE),
    Action("edit", gettext_lazy("Hand over or move"), "manage",
           lambda u, d, data: services.update_device(u, d, **data), gettext_lazy("The device was updated."),
           form=forms.DeviceForm, button=gettext_lazy("Save"), form_kwargs=lambda u, d: {"viewer": u, "edit": True},
           initial=lambda d: {"custodian": d.custodian_id, "department": d.department_id, "place": d.place_id,
                              "hosts": list(d.hosts.values_list("pk", flat=True)), "check_months": d.check_months,
                              "note": d.note},
           when=lambda d: d.status != DeviceStatus.SCRAPPED),
    Action("lost", gettext_lazy("Report lost"), "report_lost",
           lambda u, d, data: services.report_lost(u, d, **data),
           gettext_lazy("The loss was reported and an incident opened."), form=forms.NoteForm,
           button=gettext_lazy("Report lost"), danger=True,
           when=lambda d: d.status in (DeviceStatus.IN_USE, DeviceStatus.MAINTENANCE)),
    Action("found", gettext_lazy("Found again"), "manage",
           lambda u, d, data: services.found_device(u, d, **data), gettext_lazy("The device is back in use."),
           form=forms.NoteForm, button=gettext_lazy("Found"), when=lambda d: d.status == DeviceStatus.LOST),
    Action("scrap", gettext_lazy("Scrap"), "manage",
           lambda u, d, data: services.scrap_device(u, d, **data), gettext_lazy("The device was scrapped."),
           form=forms.ScrapForm, button=gettext_lazy("Scrap"), danger=True, form_kwargs=lambda u, d: {"device": d},
           when=lambda d: d.status in (DeviceStatus.PROCURED, DeviceStatus.IN_USE, DeviceStatus.MAINTENANCE)),
]  # fmt: skip


@page
def device_detail(request: HttpRequest, pk: int) -> HttpResponse:
    d = selectors.get_device(request.user, pk)
    u = request.user
    facts = [(_("Kind"), cell(d.get_kind_display())), (_("Make and model"), cell(d.model_name)),
             (_("Serial number"), cell(d.serial)), (_("USB id"), cell(d.usb_id())),
             (_("Level"), cell(d.get_level_display())), (_("Custodian"), person(d.custodian)),
             (_("Department"), cell(d.department.name)), (_("Place"), link_if(u, d.place, "sites:place")),
             (_("Procured on"), cell(d.procured_on)), (_("In use since"), cell(d.commissioned_on)),
             (_("Next check due"), _due(_check_due(d))), (_("Note"), cell(d.note))]  # fmt: skip
    if d.removable:
        hosts = ", ".join(h.asset_number for h in d.hosts.all()) or _("any computer of its department")
        facts.append((_("Computers it may be used on"), cell(hosts)))
    if d.status == DeviceStatus.SCRAPPED:
        facts += [(_("Sanitised on"), cell(d.sanitised_on)), (_("Sanitisation method"), cell(d.sanitisation)),
                  (_("Destruction body"), link_if(u, d.destroyed_by, "contractors:contractor")),
                  (_("Destruction reference"), cell(d.destruction_ref)), (_("Scrapped on"), cell(d.scrapped_on))]  # fmt: skip
    alerts = [_("Lost: an incident was opened (#%(id)s).") % {"id": d.incident_id}] if d.incident_id else []
    shown = list(selectors.checks_of(u, d)[:50])
    tasks = selectors.rectification_tasks(shown)
    checks = [[cell(c.checked_on), cell(c.get_result_display(), badge="ok" if c.result == "ok" else "bad"),
               person(c.checker), cell(c.note), _rectification(tasks.get(c.pk, []))] for c in shown]  # fmt: skip
    maint = [[cell(m.started_on), link_if(u, m.contractor, "contractors:contractor"),
              link_if(u, m.qualification, "contractors:qualification", m.qualification.number), cell(m.technician),
              person(m.supervisor), cell(m.fault), cell(m.finished_on), cell(m.result)]
             for m in selectors.maintenances_of(u, d)]  # fmt: skip
    sections = [
        {"title": _("Checks"), "headers": [_("Checked on"), _("Result"), _("Checked by"), _("Note"),
         _("Rectification")], "rows": checks, "empty": _("No check recorded.")},
        {"title": _("Maintenance"), "headers": [_("Started on"), _("Contractor"), _("Qualification relied on"),
         _("Technician"), _("On-site supervisor"), _("Fault"), _("Finished on"), _("Result")], "rows": maint,
         "empty": _("No maintenance recorded.")},
    ]  # fmt: skip
    return detail_page(request, d, actions=DEVICE_ACTIONS, action_url="devices:device-action", title=str(d),
                       status=_status(d), facts=facts, sections=sections, alerts=alerts, subnav=_subnav(request),
                       sub="devices")  # fmt: skip


device_action = action_view(selectors.get_device, DEVICE_ACTIONS, "devices:device")


@page
def whitelist(request: HttpRequest) -> HttpResponse:
    """Download the USBGuard whitelist (or CSV) of a department or computer (SUP-6)."""
    need(request, "devices_whitelist")
    form = forms.WhitelistForm(request.POST or None, viewer=request.user)
    wl = submit(
        request,
        form,
        lambda d: services.export_whitelist(request.user, **d),
        _("The whitelist was exported."),
    )
    if wl:
        ctype = "text/csv; charset=utf-8" if wl.filename.endswith(".csv") else "text/plain; charset=utf-8"
        response = HttpResponse(wl.text, content_type=ctype)
        response["Content-Disposition"] = f'attachment; filename="{wl.filename}"'
        return response
    note = _("Registered, in-use removable media only; the last rule blocks every other USB device. Load it on the "
             "endpoint as a USBGuard rules file (see docs/registers.md).")  # fmt: skip
    return render(request, "registers/form.html", {"title": _("USB whitelist"), "form": form, "note": note,
                  "button": _("Export"), "subnav": _subnav(request), "sub": "whitelist"})  # fmt: skip
