"""Forms of the exchange with other units (发文, 收文; issue 12 §3): shape only, services decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.carriers import exchange_queries, queries
from baomi.carriers.choices import CarrierKind, TransferChannel
from baomi.carriers.forms import ActorForm, PersonField, _date, _item_label


class UnitField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class ExternalUnitForm(forms.Form):
    name = forms.CharField(label=_("Unit name"), max_length=200)
    code = forms.CharField(label=_("Organisation code"), max_length=40, required=False)
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    contact = forms.CharField(label=_("Contact"), max_length=100, required=False)


class DispatchForm(ActorForm):
    unit = UnitField(label=_("Receiving unit"), queryset=None)  # type: ignore[arg-type]  # set in __init__
    addressee = forms.CharField(label=_("Addressee"), max_length=100, required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=TransferChannel.choices,
                                help_text=_("Ordinary post and express courier are not allowed (R-CAR-3)."))  # fmt: skip
    envelope_number = forms.CharField(label=_("Envelope number"), max_length=50)
    escort = PersonField(label=_("Second person"), queryset=None, required=False,  # type: ignore[arg-type]
                         help_text=_("Required for top secret (R-CAR-12)."))  # fmt: skip
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = exchange_queries.units(self.actor, active_only=True)  # type: ignore[attr-defined]


class ReceiptForm(forms.Form):
    returned_on = _date(_("Receipt returned on"), initial=timezone.localdate)
    signer = forms.CharField(label=_("Signed by (at the receiving unit)"), max_length=100)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class IncomingForm(ActorForm):
    unit = UnitField(label=_("Sending unit"), queryset=None)  # type: ignore[arg-type]  # set in __init__
    their_number = forms.CharField(label=_("Their document number"), max_length=100)
    their_copy_number = forms.CharField(label=_("Their copy number (份号)"), max_length=20)
    item: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Classified item"), queryset=None)  # type: ignore[arg-type]  # set in __init__
    kind = forms.ChoiceField(label=_("Kind"), choices=CarrierKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300, required=False,
                            help_text=_("Leave empty to use the item's title."))  # fmt: skip
    pages = forms.IntegerField(label=_("Pages"), min_value=0, required=False)
    channel = forms.ChoiceField(label=_("Channel"), choices=TransferChannel.choices)
    envelope_number = forms.CharField(label=_("Envelope number"), max_length=50, required=False)
    received_on = _date(_("Received on"), initial=timezone.localdate)
    custodian = PersonField(label=_("Custodian"), queryset=None)  # type: ignore[arg-type]  # set in __init__
    storage_place = forms.CharField(label=_("Storage place"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = exchange_queries.units(self.actor, active_only=True)  # type: ignore[attr-defined]
        self.fields["item"].queryset = queries.registrable_items(self.actor)  # type: ignore[attr-defined]
        self.fields["item"].label_from_instance = _item_label  # type: ignore[attr-defined]
        # As on registration: the custodian must be cleared for the item chosen (kit/pickers.py).
        item = self.data.get("item") if self.is_bound else None
        self.fields["custodian"].bind(self.actor, queries.people(self.actor), {"item": item} if item else {})  # type: ignore[attr-defined]
        self.fields["custodian"].widget.forward_fields = {"item": "item"}  # type: ignore[attr-defined]
