"""The person picker and the department picker every form shares (issue 13, ORG-1).

A person field names its *purpose* — ``"people"`` (anyone active), ``"carriers.custodian"``,
``"carriers.witness"`` … — and the purpose decides, in SQL, whom the picker may offer: the
search endpoint (``accounts:pick-people``) passes through :func:`narrow`, so the browser never
suggests someone the service would refuse — a custodian must hold the clearance; a witness is
never the requester. The services remain the check and their Chinese message lands on the field
(a picker is a convenience, never the check).

Apps register their purposes in their ``rules`` part::

    @pickers.purpose("carriers.custodian")
    def custodian(actor, people, params):
        return people.filter(clearance__in=pickers.cleared_for(params.get("level")))

``params`` are strings the form fixes when it is built (``forward``: the carrier, the request,
the level) — the endpoint reads objects they name through the policy, never trusts a label.

The widget is django-autocomplete-light's native web component (``dal_alight``: no jQuery,
its JavaScript and CSS served from the installed package, nothing from a CDN): type two
characters of a name, its pinyin initials (``ln`` for 李娜), a username or a department, and
pick. Only the chosen people are rendered into the page, so a registry of 10,000 people costs
nothing until someone types.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from baomi.core import levels

Narrow = Callable[[Any, QuerySet, Mapping[str, str]], QuerySet]
_PURPOSES: dict[str, Narrow] = {}
#: Characters to type before the first suggestions (two: 李娜, ln, u0).
MIN_CHARS = 2
#: The library's own text, translated in kit's catalogue (Django merges the catalogues).
LIBRARY_TEXTS = (_("More results…"),)


def purpose(name: str) -> Callable[[Narrow], Narrow]:
    """Register whom a person field of this purpose may name."""

    def deco(fn: Narrow) -> Narrow:
        _PURPOSES[name] = fn
        return fn

    return deco


def purposes() -> list[str]:
    return sorted(_PURPOSES)


def narrow(name: str, actor: Any, people: QuerySet, params: Mapping[str, str] | None = None) -> QuerySet:
    """``people`` narrowed to whom ``actor`` may name for ``name``; an unknown purpose offers
    nobody (fail closed)."""
    fn = _PURPOSES.get(name)
    if fn is None:
        return people.none()
    return fn(actor, people, params or {})


@purpose("people")
def _anyone(actor: Any, people: QuerySet, params: Mapping[str, str]) -> QuerySet:
    """Any active person: names and departments are not classified (ORG-1)."""
    return people


def cleared_for(level: str | None) -> list[str]:
    """The clearances that reach ``level`` (no read up, CAR-3); none for an unknown level."""
    if not level or level not in levels.Level.values:
        return []
    return [lv for lv in levels.Level.values if levels.dominates(lv, level)]


def person_label(user: Any) -> str:
    """How a person reads in a picker: 李娜（lina）· 综合处."""
    dept = user.department.name if getattr(user, "department_id", None) else ""
    name = user.full_name or user.username
    return f"{name}（{user.username}）· {dept}" if dept else f"{name}（{user.username}）"


class _Picker:
    """Renders the select inside the ``<autocomplete-select>`` component, with Chinese texts."""

    url_name = "accounts:pick-people"
    placeholder = _("Type two characters: name, pinyin initials, username or department")
    choices: Any

    def __init__(self, *args: Any, purpose: str = "people", params: Mapping[str, Any] | None = None,
                 **kwargs: Any) -> None:  # fmt: skip
        self.purpose = purpose
        self.params = {k: str(v) for k, v in (params or {}).items() if v not in (None, "")}
        #: Other fields of the form whose current value the search sends along ({dst: field name}).
        self.forward_fields: dict[str, str] = {}
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]

    @property
    def media(self) -> forms.Media:
        return forms.Media(css={"all": ["dal_alight/autocomplete-light.css"]},
                           js=["dal_alight/autocomplete-light.js", "dal_alight/dal-django.js"])  # fmt: skip

    def optgroups(self, name: str, value: Any, attrs: Any = None) -> Any:
        # Only what is chosen goes into the page, never the 10,000 others.
        chosen = [str(v) for v in value if v not in (None, "")]
        all_choices = self.choices  # type: ignore[has-type]
        qs = getattr(all_choices, "queryset", None)
        if qs is not None:
            field = all_choices.field
            self.choices = [(field.prepare_value(o), field.label_from_instance(o)) for o in qs.filter(pk__in=[c for c in chosen if c.isdigit()])]  # fmt: skip
        try:
            return super().optgroups(name, value, attrs)  # type: ignore[misc]
        finally:
            self.choices = all_choices

    def render(self, name: str, value: Any, attrs: Any = None, renderer: Any = None) -> Any:
        attrs = {**(attrs or {}), "slot": "select"}
        select = super().render(name, value, attrs, renderer)  # type: ignore[misc]
        url = reverse(self.url_name, args=[self.purpose])
        conf: Any = ""
        forward = [{"type": "const", "val": v, "dst": k} for k, v in sorted(self.params.items())]
        forward += [
            {"type": "field", "src": src, "dst": dst} for dst, src in sorted(self.forward_fields.items())
        ]
        if forward:
            # JSON inside <script>: <, > and & escaped as json_script does, so no value closes it.
            data = json.dumps(forward).translate(
                {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}
            )
            conf = format_html(
                '<div class="dal-forward-conf" hidden><script type="text/dal-forward-conf">{}</script></div>',
                mark_safe(data),  # noqa: S308 (escaped above)
            )
        field_id = (attrs or {}).get("id") or name
        box = format_html(
            '<autocomplete-select-input slot="input" url="{}" minimum-characters="{}" no-results-text="{}">'
            '<input type="text" name="{}-input" id="{}-input" slot="input" class="picker-input" placeholder="{}" '
            'autocomplete="off" aria-label="{}"></autocomplete-select-input>',
            url, MIN_CHARS, _("Nobody found who may be chosen here"), name, field_id, self.placeholder,
            self.placeholder,
        )  # fmt: skip
        return format_html(
            '<autocomplete-select class="picker" clear-text="×" data-purpose="{}">{}'
            '<span slot="deck" class="picker-deck"></span>{}{}</autocomplete-select>',
            self.purpose, select, box, conf,
        )  # fmt: skip


class PersonWidget(_Picker, forms.Select):
    pass


class PeopleWidget(_Picker, forms.SelectMultiple):
    pass


class DepartmentWidget(_Picker, forms.Select):
    url_name = "accounts:pick-departments"
    placeholder = _("Type part of a department's name or code")


class DepartmentsWidget(_Picker, forms.SelectMultiple):
    url_name = "accounts:pick-departments"
    placeholder = _("Type part of a department's name or code")


class PersonField(forms.ModelChoiceField):
    """One person, picked by typing. ``queryset`` is every active person; :meth:`bind` narrows
    it for the actor and purpose (ActorForm-style forms call it in ``__init__``)."""

    widget_class: type[_Picker] = PersonWidget

    def __init__(self, *args: Any, purpose: str = "people", params: Mapping[str, Any] | None = None,
                 **kwargs: Any) -> None:  # fmt: skip
        self.purpose = purpose
        kwargs.setdefault("widget", self.widget_class(purpose=purpose, params=params))
        kwargs.setdefault("queryset", None)
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj)

    def bind(self, actor: Any, people: QuerySet, params: Mapping[str, Any] | None = None) -> None:
        """Offer whom the purpose allows ``actor`` to name. The field accepts any of ``people``:
        the service decides and its Chinese message lands on this field (``form_errors``), the
        picker only never suggests whom the service would refuse."""
        _bind(self, people, params)


def _bind(field: Any, people: QuerySet, params: Mapping[str, Any] | None) -> None:
    field.queryset = people
    field.widget.params = {k: str(v) for k, v in (params or {}).items() if v not in (None, "")}
    field.widget.purpose = field.purpose


class PeopleField(forms.ModelMultipleChoiceField):
    """Several people, picked by typing (a knowledge scope, participants)."""

    def __init__(self, *args: Any, purpose: str = "people", params: Mapping[str, Any] | None = None,
                 **kwargs: Any) -> None:  # fmt: skip
        self.purpose = purpose
        kwargs.setdefault("widget", PeopleWidget(purpose=purpose, params=params))
        kwargs.setdefault("queryset", None)
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return person_label(obj)

    def bind(self, actor: Any, people: QuerySet, params: Mapping[str, Any] | None = None) -> None:
        _bind(self, people, params)


def department_label(dept: Any) -> str:
    """The department with its path in the tree: 本单位 / 综合处 / 文印室."""
    names = [dept.name]
    seen = {dept.pk}
    parent = getattr(dept, "parent", None)
    while parent is not None and parent.pk not in seen and len(names) < 8:
        names.append(parent.name)
        seen.add(parent.pk)
        parent = parent.parent
    return " / ".join(reversed(names))


class DepartmentField(forms.ModelChoiceField):
    """A department of the tree, picked by typing its name or code; shown with its path."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", DepartmentWidget(purpose="departments"))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return department_label(obj)


class DepartmentsField(forms.ModelMultipleChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", DepartmentsWidget(purpose="departments"))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        return department_label(obj)


def bind_people(
    form: forms.BaseForm, actor: Any, people: QuerySet, params: Mapping[str, Any] | None = None
) -> None:
    """Bind every person field of ``form`` for ``actor`` (see :meth:`PersonField.bind`)."""
    for field in form.fields.values():
        if isinstance(field, PersonField | PeopleField):
            field.bind(actor, people, params)
