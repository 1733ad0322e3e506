"""Forms of the media and devices register (SUP-6): shape only; services decide (including
the serial and USB id formats, so the message is the same in UI, API and CLI)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from baomi.contractors.choices import QualificationKind
from baomi.contractors.selectors import qualified_contractors
from baomi.core.levels import STATE_SECRET_LEVELS, Level
from baomi.devices import selectors
from baomi.devices.choices import CheckResult, DeviceKind
from baomi.registers.forms import DepartmentChoice, date_field, person_field, text_area, today_field
from baomi.sites.selectors import usable_places

LEVELS = [(lv.value, lv.label) for lv in Level if lv in STATE_SECRET_LEVELS]


class NamedChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class DeviceForm(forms.Form):
    asset_number = forms.CharField(label=_("Asset number"), max_length=40)
    kind = forms.ChoiceField(label=_("Kind"), choices=DeviceKind.choices)
    model_name = forms.CharField(label=_("Make and model"), max_length=100)
    serial = forms.CharField(label=_("Serial number"), max_length=200,
                             help_text=_("Disk or device serial; for USB media the USB serial (usbguard list-devices)."))  # fmt: skip
    usb_vendor = forms.CharField(
        label=_("USB vendor id"), max_length=20, required=False, help_text=_("e.g. 0781")
    )
    usb_product = forms.CharField(
        label=_("USB product id"), max_length=20, required=False, help_text=_("e.g. 5567")
    )
    level = forms.ChoiceField(label=_("Level"), choices=LEVELS)
    custodian = person_field(_("Custodian"), None)
    department = DepartmentChoice(label=_("Department"), queryset=None)  # type: ignore[arg-type]  # set in __init__
    place = NamedChoice(label=_("Place"), queryset=None, required=False)  # type: ignore[arg-type]  # set in __init__
    hosts: forms.ModelMultipleChoiceField[Any] = forms.ModelMultipleChoiceField(label=_("Computers it may be used on"), queryset=None, required=False,  # type: ignore[arg-type]
                                           help_text=_("Removable media only; empty: any computer of its department."))  # fmt: skip
    procured_on = today_field(_("Procured on"))
    check_months = forms.IntegerField(label=_("Check every (months)"), min_value=1, max_value=24,
                                      initial=settings.DEVICES_CHECK_MONTHS)  # fmt: skip
    note = text_area(_("Note"))

    def __init__(self, *args: Any, viewer: Any = None, edit: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["custodian"].queryset = selectors.people()  # type: ignore[attr-defined]
        self.fields["department"].queryset = selectors.departments()  # type: ignore[attr-defined]
        self.fields["place"].queryset = usable_places(viewer)  # type: ignore[attr-defined]
        self.fields["hosts"].queryset = selectors.computers(viewer)  # type: ignore[attr-defined]
        if edit:
            for name in ("asset_number", "kind", "model_name", "serial", "usb_vendor", "usb_product", "level",
                         "procured_on"):  # fmt: skip
                del self.fields[name]


class CommissionForm(forms.Form):
    on = today_field(_("In use since"))


class CheckForm(forms.Form):
    checked_on = today_field(_("Checked on"))
    result = forms.ChoiceField(label=_("Result"), choices=CheckResult.choices)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    rectify_by = date_field(
        _("Rectify by"),
        required=False,
        help_text=_("For a problem: by when it must be rectified (default: in 30 days)."),
    )


class MaintenanceForm(forms.Form):
    contractor = NamedChoice(label=_("Contractor"), queryset=None,  # type: ignore[arg-type]  # set in __init__
                             help_text=_("Only contractors with a current repair qualification covering the level."))  # fmt: skip
    technician = forms.CharField(label=_("Technician"), max_length=100)
    supervisor = person_field(_("On-site supervisor"), None)
    fault = forms.CharField(label=_("Fault"), max_length=300)
    started_on = today_field(_("Started on"))

    def __init__(self, *args: Any, device: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        level = device.level if device is not None else Level.CONFIDENTIAL
        self.fields["contractor"].queryset = qualified_contractors(QualificationKind.REPAIR, level)  # type: ignore[attr-defined]
        self.fields["supervisor"].queryset = selectors.people()  # type: ignore[attr-defined]


class FinishForm(forms.Form):
    result = forms.CharField(label=_("Result"), max_length=300)
    finished_on = today_field(_("Finished on"))


class ScrapForm(forms.Form):
    sanitised_on = today_field(_("Sanitised on"))
    sanitisation = forms.CharField(label=_("Sanitisation method"), max_length=200,
                                   help_text=_("e.g. degaussed and the platters drilled"))  # fmt: skip
    destroyed_by = NamedChoice(label=_("Destruction body"), queryset=None,  # type: ignore[arg-type]  # set in __init__
                               help_text=_("Only bodies with a current destruction qualification covering the level."))  # fmt: skip
    destruction_ref = forms.CharField(label=_("Destruction reference"), max_length=100)
    scrapped_on = today_field(_("Handed over on"))

    def __init__(self, *args: Any, device: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        level = device.level if device is not None else Level.CONFIDENTIAL
        self.fields["destroyed_by"].queryset = qualified_contractors(QualificationKind.DESTRUCTION, level)  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    note = text_area(_("Note"), required=True)


class WhitelistForm(forms.Form):
    department = DepartmentChoice(label=_("Department"), queryset=None, required=False)  # type: ignore[arg-type]
    computer = NamedChoice(label=_("Computer"), queryset=None, required=False)  # type: ignore[arg-type]
    fmt = forms.ChoiceField(
        label=_("Format"), choices=[("usbguard", _("USBGuard rules file")), ("csv", "CSV")]
    )

    def __init__(self, *args: Any, viewer: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = selectors.departments()  # type: ignore[attr-defined]
        self.fields["computer"].queryset = selectors.computers(viewer)  # type: ignore[attr-defined]
