"""Forms of the carrier registry: they validate shape only; services decide (STYLE 2.9)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from baomi.carriers import pickers as _pickers  # noqa: F401  (registers whom the person fields may name)
from baomi.carriers import queries
from baomi.carriers.choices import CarrierKind, CopyKind, DestructionMethod, InventoryResult, TransferChannel
from baomi.kit import forms as kit_forms
from baomi.kit import pickers


def _date(label: Any, **kw: Any) -> kit_forms.DateField:
    return kit_forms.DateField(label=label, widget=kit_forms.DateInput(), **kw)


class PersonField(pickers.PersonField):
    """A person picked by typing (kit/pickers.py); by default someone cleared for the carrier."""

    def __init__(self, *args: Any, purpose: str = "carriers.custodian", **kwargs: Any) -> None:
        super().__init__(*args, purpose=purpose, **kwargs)


class ActorForm(forms.Form):
    """A form that knows who fills it in and about what (for the choices of people): every
    person field offers exactly whom its purpose allows (kit/pickers.py)."""

    def __init__(self, *args: Any, actor: Any = None, carrier: Any = None, pick: dict[str, Any] | None = None,
                 **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.actor = actor
        self.carrier = carrier
        params = dict(pick or ({"carrier": carrier.pk} if carrier is not None else {}))
        for field in self.fields.values():
            if isinstance(field, pickers.PersonField) and actor is not None:
                field.bind(actor, queries.people(actor), params)
            elif isinstance(field, forms.ModelChoiceField) and actor is not None:
                field.queryset = queries.people(actor)


def _item_label(item: Any) -> str:
    return f"{item.reference} {item.title}（{item.get_level_display()}）"


class RegisterForm(ActorForm):
    item: forms.ModelChoiceField = forms.ModelChoiceField(label=_("Classified item"), queryset=None)  # type: ignore[arg-type]  # set in __init__
    kind = forms.ChoiceField(label=_("Kind"), choices=CarrierKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300, required=False,
                            help_text=_("Leave empty to use the item's title."))  # fmt: skip
    copies = forms.IntegerField(label=_("Number of copies"), min_value=1, max_value=999, initial=1)
    custodian = PersonField(label=_("Custodian"), queryset=None)  # type: ignore[arg-type]  # set in __init__
    cabinet: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Cabinet"), queryset=None, required=False,  # type: ignore[arg-type]
                                     help_text=_("The registered cabinet it is kept in (a 绝密 carrier: in a place "
                                                 "confirmed for 绝密)."))  # fmt: skip
    storage_place = forms.CharField(label=_("Other storage place"), max_length=200, required=False,
                                    help_text=_("Only when it is kept elsewhere than a registered cabinet; shown as "
                                                "an unregistered place."))  # fmt: skip
    device: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Device or medium it is on"), queryset=None, required=False,  # type: ignore[arg-type]
                                    help_text=_("Electronic files and media: the registered device."))  # fmt: skip
    pages = forms.IntegerField(label=_("Pages"), min_value=0, required=False)
    made_on = _date(_("Date made"), initial=timezone.localdate)
    produced_at = forms.CharField(label=_("Where produced"), max_length=200, required=False)
    produced_on_device = forms.CharField(label=_("Device produced on"), max_length=200, required=False)
    originator = forms.CharField(label=_("Originator (issuing unit)"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = queries.registrable_items(self.actor)  # type: ignore[attr-defined]
        self.fields["item"].label_from_instance = _item_label  # type: ignore[attr-defined]
        # The custodian must be cleared for the item chosen above: the picker asks with it.
        item = self.data.get("item") if self.is_bound else None
        self.fields["custodian"].bind(self.actor, queries.people(self.actor), {"item": item} if item else {})  # type: ignore[attr-defined]
        self.fields["custodian"].widget.forward_fields = {"item": "item"}  # type: ignore[attr-defined]
        self.fields["cabinet"].queryset = queries.cabinets(self.actor)  # type: ignore[attr-defined]
        self.fields["cabinet"].label_from_instance = lambda c: f"{c.name}（{c.place.name}）"  # type: ignore[attr-defined]
        self.fields["device"].queryset = queries.devices(self.actor)  # type: ignore[attr-defined]
        self.fields["device"].label_from_instance = str  # type: ignore[attr-defined]


class LoanForm(ActorForm):
    borrower = PersonField(label=_("Borrower"), queryset=None, required=False,  # type: ignore[arg-type]
                           help_text=_("Leave empty to borrow it yourself."))  # fmt: skip
    place = forms.CharField(label=_("Place of reading"), max_length=200)
    due_on = _date(_("Due date"))
    reason = forms.CharField(label=_("Reason"), max_length=300)


class NoteForm(ActorForm):
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class CopyForm(ActorForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=CopyKind.choices)
    copies = forms.IntegerField(label=_("Number of copies"), min_value=1, max_value=50, initial=1)
    custodian = PersonField(label=_("Custodian of the copies"), queryset=None, required=False,  # type: ignore[arg-type]
                            help_text=_("Leave empty to keep them yourself."))  # fmt: skip
    reason = forms.CharField(label=_("Reason"), max_length=300)


class PrintForm(ActorForm):
    copies = forms.IntegerField(label=_("Copies printed"), min_value=1, max_value=50, initial=1)
    device = forms.CharField(label=_("Printer"), max_length=200)


class ReasonForm(ActorForm):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class TransferForm(ActorForm):
    receiver = PersonField(label=_("Receiver"), queryset=None)  # type: ignore[arg-type]
    channel = forms.ChoiceField(label=_("Channel"), choices=TransferChannel.choices,
                                help_text=_("Ordinary post and express courier are not allowed."))  # fmt: skip
    envelope_number = forms.CharField(label=_("Envelope number"), max_length=50)
    escort = PersonField(label=_("Second person (required for top secret)"), queryset=None,  # type: ignore[arg-type]
                         required=False)  # fmt: skip


class ReceiveForm(ActorForm):
    counted = forms.IntegerField(label=_("Pages or pieces counted"), min_value=0)
    note = forms.CharField(label=_("Receipt note"), max_length=300, required=False)


class TakeOutForm(ActorForm):
    destination = forms.CharField(label=_("Destination"), max_length=200)
    abroad = forms.BooleanField(label=_("Abroad"), required=False)
    protective_measures = forms.CharField(label=_("Protective measures"), max_length=300)
    leaves_on = _date(_("Leaves on"))
    returns_on = _date(_("Returns on"))
    reason = forms.CharField(label=_("Reason"), max_length=300)


class RepairForm(ActorForm):
    technician = forms.CharField(label=_("Technician"), max_length=100)
    outside = forms.BooleanField(label=_("Outside technician"), required=False)
    company = forms.CharField(label=_("Company"), max_length=200, required=False)
    supervisor = PersonField(label=_("On-site supervisor"), queryset=None, required=False)  # type: ignore[arg-type]
    contractor: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Contractor"), queryset=None, required=False,  # type: ignore[arg-type]
                                        help_text=_("Outside repair: a registered contractor with a current repair "
                                                    "qualification covering the level (R-SITE-3)."))  # fmt: skip
    place = forms.CharField(label=_("Place of repair"), max_length=200)
    fault = forms.CharField(label=_("Fault"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        level = getattr(self.carrier, "level", "confidential")
        self.fields["contractor"].queryset = queries.qualified_contractors("repair", level)  # type: ignore[attr-defined]
        self.fields["contractor"].label_from_instance = str  # type: ignore[attr-defined]


class ResultForm(ActorForm):
    result = forms.CharField(label=_("Result"), max_length=300)


class PlaceForm(ActorForm):
    place = forms.CharField(label=_("Place"), max_length=200)
    on = _date(_("Date"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class UploadForm(ActorForm):
    file = forms.FileField(label=_("File"))


class ConsentForm(ActorForm):
    download = forms.BooleanField(label=_("Download allowed"), required=False)
    copy = forms.BooleanField(label=_("Copy, excerpt and compile allowed"), required=False)
    print_ = forms.BooleanField(label=_("Print allowed"), required=False)
    originator = forms.CharField(label=_("Consenting originator"), max_length=200)
    reference = forms.CharField(label=_("Consent document"), max_length=200)


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Decision note"), max_length=300, required=False)


class ExecuteDestructionForm(ActorForm):
    method = forms.ChoiceField(label=_("Method"), choices=DestructionMethod.choices)
    facility = forms.CharField(label=_("Facility"), max_length=200, required=False)
    contractor: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Destruction body"), queryset=None, required=False,  # type: ignore[arg-type]
                                        help_text=_("At a facility: a registered contractor with a current destruction "
                                                    "qualification covering the level (R-SITE-3)."))  # fmt: skip
    witness_1 = PersonField(label=_("First witness"), purpose="carriers.witness")
    witness_2 = PersonField(label=_("Second witness"), purpose="carriers.witness")
    destroyed_on = _date(_("Destroyed on"), initial=timezone.localdate)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contractor"].queryset = queries.qualified_contractors("destruction", "confidential")  # type: ignore[attr-defined]
        self.fields["contractor"].label_from_instance = str  # type: ignore[attr-defined]


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    due_on = _date(_("Complete by"), initial=lambda: timezone.localdate() + dt.timedelta(days=14))


class RecallForm(CampaignForm):
    issuer = forms.CharField(label=_("Issuer"), max_length=200)


class CheckForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Result"), choices=[c for c in InventoryResult.choices if c[0] != "pending"]
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class HandOverForm(ActorForm):
    """Give an absent custodian's inventory list to someone else (CAR-8)."""

    from_user = forms.IntegerField(widget=forms.HiddenInput)
    to_user = PersonField(label=_("Hand over to"), queryset=None)  # type: ignore[arg-type]  # set in __init__
    reason = forms.CharField(label=_("Reason"), max_length=200)


class SignInPlaceForm(ActorForm):
    """Sign an absent custodian's list in their place, with a witness (CAR-8)."""

    custodian = forms.IntegerField(widget=forms.HiddenInput)
    witness = PersonField(label=_("Witness"), queryset=None)  # type: ignore[arg-type]  # set in __init__
    reason = forms.CharField(label=_("Reason for signing in place"), max_length=300)
