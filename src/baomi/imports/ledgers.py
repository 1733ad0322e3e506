"""The ledgers an office can import: their columns, how a row's text becomes a service's input,
and which services check and write them (issue 19).

- **carriers** (涉密载体台账): each row one carrier of an item already registered here (its
  number or 文号), through ``carriers.services`` — ``check_registration`` for every row,
  ``register_carriers`` for the batch (numbers, 份号, marks from the item, one audit entry per
  carrier). The old number and 份号 are kept as the carrier's former number.
- **items** (国家秘密事项/工作秘密事项台账): each row records a determination made before baomi,
  through ``classification.services.record_existing_determination`` (the rules of a hand
  proposal, the original authority and date kept in the item's history, the mark bound, one
  audit entry per item). Its 文号 then names the item in the carriers ledger.
- **personnel** (涉密人员台账): each row opens the personnel file of an existing account,
  through ``personnel.services.open_file``.

Each ledger resolves names the way the hand-entry forms offer them (``imports.selectors``) and
reports, per row, in Chinese, what it cannot accept.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from baomi.access.errors import AccessDenied
from baomi.core.errors import BaomiError
from baomi.core.levels import Level
from baomi.imports import selectors
from baomi.imports.sheets import Column, SheetRow

Progress = Callable[[int, int], None]

# Column headers and sheet names have their own context ("ledger import"): "Pages" here is not
# another app's "Pages".


class Ledger:
    """What every importable ledger provides."""

    kind: str
    title: Any
    action: str  # the global policy action of the hand entry (who may import)
    columns: list[Column]

    def resolve(self, actor: Any, rows: list[SheetRow]) -> None:
        """Turn each row's text into a service input (``row.target``) or row errors."""
        raise NotImplementedError

    def check(self, actor: Any, rows: list[SheetRow]) -> None:
        """Hold the resolved rows to the services' rules; nothing is kept."""
        raise NotImplementedError

    def apply(self, actor: Any, rows: list[SheetRow], progress: Progress | None) -> int:
        """Write the checked rows through the services; return how many records were made."""
        raise NotImplementedError


def refuse(row: SheetRow, exc: Exception, denied_text: Any) -> None:
    """Record a service's refusal of ``row`` as its reason (a policy refusal says why here: the
    officer is entitled to know what they may not do, and it is audited)."""
    if isinstance(exc, AccessDenied):
        row.denied = exc
        row.errors.append(str(denied_text))
        return
    message = str(exc)
    fields = getattr(exc, "fields", None) or {}
    details = [str(m) for msgs in fields.values() for m in msgs if str(m) != message]
    row.errors.append("；".join([message, *details]))


# -- parsing cells -------------------------------------------------------------------------------

_DATE = re.compile(r"^\s*(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s*$")


def parse_date(row: SheetRow, name: str, header: Any) -> dt.date | None:
    value = row.values.get(name)
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = _DATE.match(str(value))
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            pass
    row.errors.append(_("{column}: not a date (YYYY-MM-DD): {value}").format(column=header, value=value))
    return None


def parse_int(row: SheetRow, name: str, header: Any) -> int | None:
    text = row.text(name)
    if not text:
        return None
    if text.isdigit():
        return int(text)
    row.errors.append(_("{column}: not a whole number: {value}").format(column=header, value=text))
    return None


def choice_map(choices: Any, **aliases: str) -> dict[str, str]:
    """Codes and translated labels of a choice set (and aliases) → code."""
    found = {}
    for value, label in choices.choices:
        found[str(value)] = str(value)
        found[str(label)] = str(value)
    for alias, value in aliases.items():
        found[alias] = value
    return found


def parse_choice(row: SheetRow, name: str, header: Any, options: dict[str, str], *suffixes: str) -> str:
    text = row.text(name)
    if not text:
        return ""
    key = text.replace(" ", "")
    for suffix in ("", *suffixes):
        if suffix and key.endswith(suffix):
            key = key[: -len(suffix)]
        if key in options:
            return options[key]
    row.errors.append(_("{column}: unknown value: {value}").format(column=header, value=text[:50]))
    return ""


def level_options() -> dict[str, str]:
    return choice_map(Level)


# -- carriers ------------------------------------------------------------------------------------


class CarrierLedger(Ledger):
    kind = "carriers"
    title = pgettext_lazy("ledger import", "Carrier ledger")
    action = "carriers.register"

    @property
    def columns(self) -> list[Column]:  # type: ignore[override]
        return [
            Column(pgettext_lazy("ledger import", "Former number"), "former", hint=gettext_lazy(
                "The number in the ledger kept so far; kept as the carrier's former number and found by the search.")),
            Column(pgettext_lazy("ledger import", "Former copy number"), "former_copy",
                   hint=gettext_lazy("The 份号 in the ledger kept so far, if any.")),
            Column(pgettext_lazy("ledger import", "Classified item"), "item", required=True, hint=gettext_lazy(
                "The number or document number (文号) of an item registered in baomi.")),
            Column(pgettext_lazy("ledger import", "Kind of carrier"), "kind", required=True, hint=gettext_lazy(
                "纸质文件, 电子文件, 存储介质, 设备 or 密品.")),
            Column(pgettext_lazy("ledger import", "Level"), "level", hint=gettext_lazy(
                "Optional check: must be the item's level (绝密, 机密, 秘密, 工作秘密, 内部).")),
            Column(pgettext_lazy("ledger import", "Title"), "title", hint=gettext_lazy("Empty: the item's title. At most 300 characters.")),
            Column(pgettext_lazy("ledger import", "Custodian"), "custodian", required=True,
                   hint=gettext_lazy("User name, or full name when only one account bears it.")),
            Column(pgettext_lazy("ledger import", "Department"), "department",
                   hint=gettext_lazy("Department name or code; empty: the custodian's department.")),
            Column(pgettext_lazy("ledger import", "Date made"), "made_on", hint=gettext_lazy("YYYY-MM-DD; not in the future.")),
            Column(pgettext_lazy("ledger import", "Storage place"), "storage_place", required=True),
            Column(pgettext_lazy("ledger import", "Pages"), "pages"),
            Column(pgettext_lazy("ledger import", "Originator"), "originator"),
            Column(pgettext_lazy("ledger import", "Where produced"), "produced_at"),
            Column(pgettext_lazy("ledger import", "Device produced on"), "produced_on_device"),
        ]  # fmt: skip

    def resolve(self, actor: Any, rows: list[SheetRow]) -> None:
        from baomi.carriers.choices import CarrierKind
        from baomi.carriers.services import CarrierRow

        header = {c.field: c.header for c in self.columns}
        items = selectors.items_by_key(actor, (r.text("item") for r in rows))
        people = selectors.people_by_key(r.text("custodian") for r in rows)
        depts = selectors.departments_by_key(actor, (r.text("department") for r in rows))
        kinds = choice_map(CarrierKind, 纸质="paper", 纸介质="paper", 电子="electronic", 介质="medium",
                           设备="device", 密品="secret_product")  # fmt: skip
        levels = level_options()
        for row in rows:
            if not row.ok:
                continue
            item = items.get(row.text("item"))
            if item is None:
                row.errors.append(_("No classified item {key} for which you may register carriers.").format(
                    key=row.text("item")[:50]))  # fmt: skip
            kind = parse_choice(row, "kind", header["kind"], kinds, "类")
            level = parse_choice(row, "level", header["level"], levels, "级")
            if item is not None and level and level != item.level:
                row.errors.append(_("Level {level}: the item is {item_level}.").format(
                    level=Level(level).label, item_level=Level(item.level).label))  # fmt: skip
            custodian = people.get(row.text("custodian"))
            if custodian is None:
                row.errors.append(_("No active account {name}.").format(name=row.text("custodian")[:50]))
            department = None
            if row.text("department"):
                department = depts.get(row.text("department"))
                if department is None:
                    row.errors.append(_("No department {name} (or the name is not unique: use its code).").format(
                        name=row.text("department")[:50]))  # fmt: skip
            made_on = parse_date(row, "made_on", header["made_on"])
            pages = parse_int(row, "pages", header["pages"])
            former = row.text("former")
            if row.text("former_copy"):
                former = f"{former}/{row.text('former_copy')}" if former else row.text("former_copy")
            if row.ok:
                row.target = CarrierRow(
                    item=item, kind=kind, custodian=custodian, title=row.text("title"),
                    storage_place=row.text("storage_place"), pages=pages, made_on=made_on,
                    produced_at=row.text("produced_at"), produced_on_device=row.text("produced_on_device"),
                    originator=row.text("originator"), department=department, former_number=former,
                )  # fmt: skip

    def check(self, actor: Any, rows: list[SheetRow]) -> None:
        from baomi.carriers.services import batch_problems

        ready = [r for r in rows if r.ok]
        for index, exc in batch_problems(actor, [r.target for r in ready]).items():
            refuse(ready[index], exc, _("Your clearance does not reach the level of this item."))

    def apply(self, actor: Any, rows: list[SheetRow], progress: Progress | None) -> int:
        from baomi.carriers.services import register_carriers

        return len(register_carriers(actor, [r.target for r in rows], progress=progress))


# -- personnel -----------------------------------------------------------------------------------


class _Undo(Exception):
    """Rolls back a check that ran the real service."""


class PersonnelLedger(Ledger):
    kind = "personnel"
    title = pgettext_lazy("ledger import", "Classified personnel ledger")
    action = "manage_personnel"

    @property
    def columns(self) -> list[Column]:  # type: ignore[override]
        return [
            Column(pgettext_lazy("ledger import", "User name"), "username", required=True,
                   hint=gettext_lazy("The person's account in baomi (create the accounts first).")),
            Column(pgettext_lazy("ledger import", "Full name"), "full_name", hint=gettext_lazy("Optional check against the account.")),
            Column(pgettext_lazy("ledger import", "Category"), "category", required=True, hint=gettext_lazy("核心, 重要 or 一般.")),
            Column(pgettext_lazy("ledger import", "Classified post"), "secret_post"),
            Column(pgettext_lazy("ledger import", "Note"), "note"),
        ]  # fmt: skip

    def resolve(self, actor: Any, rows: list[SheetRow]) -> None:
        from baomi.personnel.choices import Category

        header = {c.field: c.header for c in self.columns}
        users = selectors.personnel_users(r.text("username") for r in rows)
        categories = {k: v for k, v in choice_map(Category).items() if v != Category.NONE}
        seen: set[str] = set()
        for row in rows:
            if not row.ok:
                continue
            user = users.get(row.text("username"))
            if user is None:
                row.errors.append(_("No account {name}.").format(name=row.text("username")[:50]))
            elif row.text("full_name") and row.text("full_name") != user.full_name:
                row.errors.append(_("The account {name} is {full_name}, not {given}.").format(
                    name=user.username, full_name=user.full_name, given=row.text("full_name")[:50]))  # fmt: skip
            elif user.username in seen:
                row.errors.append(_("{name} appears twice in the file.").format(name=user.username))
            category = parse_choice(row, "category", header["category"], categories, "涉密人员", "人员")
            if row.ok and user is not None:
                seen.add(user.username)
                row.target = {"user": user, "category": category, "secret_post": row.text("secret_post"),
                              "note": row.text("note")}  # fmt: skip

    def _open(self, actor: Any, row: SheetRow) -> None:
        from baomi.personnel.services import open_file

        open_file(actor, row.target["user"], category=row.target["category"],
                  secret_post=row.target["secret_post"], note=row.target["note"])  # fmt: skip

    def check(self, actor: Any, rows: list[SheetRow]) -> None:
        for row in rows:
            if not row.ok:
                continue
            try:
                with transaction.atomic():
                    self._open(actor, row)
                    raise _Undo
            except _Undo:
                pass
            except BaomiError as exc:
                refuse(row, exc, _("You may not open this person's file."))

    def apply(self, actor: Any, rows: list[SheetRow], progress: Progress | None) -> int:
        for done, row in enumerate(rows, start=1):
            self._open(actor, row)
            if progress is not None and done % 200 == 0:
                progress(done, len(rows))
        return len(rows)


# -- items ---------------------------------------------------------------------------------------

_SEPARATORS = re.compile(r"[、，,；;\n]+")
_PERIOD = re.compile(r"^(\d{1,4})\s*(年|个月|個月|月)$")


def parse_duration(row: SheetRow, header: Any) -> Any:
    """The 保密期限 cell as a duration: ``10年``, ``6个月``, ``长期``, or a date (the 解密时间);
    ``None`` when empty. The 解密条件 has its own column."""
    import unicodedata

    from baomi.core import durations as dur
    from baomi.core.durations import Duration

    value = row.values.get("duration")
    if value in (None, ""):
        return None
    try:
        if isinstance(value, dt.datetime):
            return Duration.until_date(value.date())
        if isinstance(value, dt.date):
            return Duration.until_date(value)
        text = unicodedata.normalize("NFKC", row.text("duration")).replace(" ", "")
        if text == dur.LONG_TERM_WORD:
            return Duration.long_term_()
        m = _PERIOD.match(text)
        if m:
            n = int(m.group(1))
            return Duration.years(n) if m.group(2) == "年" else Duration.months(n)
        until = dur.parse_date(text)
        if until is not None:
            return Duration.until_date(until)
    except BaomiError as exc:
        row.errors.append(f"{header}: {exc}")
        return None
    row.errors.append(_("{column}: not a period (10年, 6个月, 长期) or a date: {value}").format(
        column=header, value=row.text("duration")[:50]))  # fmt: skip
    return None


class ItemLedger(Ledger):
    kind = "items"
    title = pgettext_lazy("ledger import", "Classified item ledger")
    action = "record_existing_determination"

    @property
    def columns(self) -> list[Column]:  # type: ignore[override]
        return [
            Column(pgettext_lazy("ledger import", "Document number"), "reference", hint=gettext_lazy(
                "The 文号; unique. The carriers ledger names the item by it.")),
            Column(pgettext_lazy("ledger import", "Title"), "title", required=True, hint=gettext_lazy("At most 300 characters.")),
            Column(pgettext_lazy("ledger import", "Level"), "level", required=True,
                   hint=gettext_lazy("绝密, 机密, 秘密 or 工作秘密.")),
            Column(pgettext_lazy("ledger import", "Kind of determination"), "origin", hint=gettext_lazy(
                "原始定密 (the default) or 派生定密 (then the basis names the source document).")),
            Column(pgettext_lazy("ledger import", "Duration"), "duration", hint=gettext_lazy(
                "10年, 6个月, 长期, or the declassification date (YYYY-MM-DD). A state secret needs this or a "
                "declassification condition.")),
            Column(pgettext_lazy("ledger import", "Declassification condition"), "condition",
                   hint=gettext_lazy("Instead of a duration.")),
            Column(pgettext_lazy("ledger import", "Period start"), "period_start", hint=gettext_lazy(
                "The issue date the period runs from (YYYY-MM-DD); empty: the determination date.")),
            Column(pgettext_lazy("ledger import", "Basis for a long duration"), "duration_basis", hint=gettext_lazy(
                "Required for 长期 or a period above the legal maximum (a 保密事项范围 provision).")),
            Column(pgettext_lazy("ledger import", "Basis"), "basis_text", hint=gettext_lazy(
                "定密依据: the guide entry or 保密事项范围 clause; required for a state secret.")),
            Column(pgettext_lazy("ledger import", "Originating department"), "department", required=True,
                   hint=gettext_lazy("Department name or code.")),
            Column(pgettext_lazy("ledger import", "Need-to-know departments"), "scope", hint=gettext_lazy(
                "知悉范围: department names or codes separated by 、 or ,.")),
            Column(pgettext_lazy("ledger import", "Classification authority"), "authority", required=True,
                   hint=gettext_lazy("The 定密责任人 who determined it, as the ledger names them.")),
            Column(pgettext_lazy("ledger import", "Determination date"), "determined_on", required=True,
                   hint=gettext_lazy("YYYY-MM-DD; not in the future.")),
            Column(pgettext_lazy("ledger import", "Secret points"), "secret_points", hint=gettext_lazy("密点; optional.")),
            Column(pgettext_lazy("ledger import", "Note"), "note"),
        ]  # fmt: skip

    def resolve(self, actor: Any, rows: list[SheetRow]) -> None:
        from baomi.classification.choices import Origin
        from baomi.classification.services import EMPTY_DURATION

        header = {c.field: c.header for c in self.columns}
        names = [r.text("department") for r in rows]
        names += [n.strip() for r in rows for n in _SEPARATORS.split(r.text("scope")) if n.strip()]
        depts = selectors.departments_by_key(actor, names)
        levels = {**level_options(), "内部": "internal", "公开": "public"}  # refused by the service, with why
        origins = choice_map(Origin, 原始="original", 派生="derived")
        seen: dict[str, int] = {}
        for row in rows:
            if not row.ok:
                continue
            level = parse_choice(row, "level", header["level"], levels, "级")
            origin = parse_choice(row, "origin", header["origin"], origins, "定密") or Origin.ORIGINAL
            department = depts.get(row.text("department"))
            if department is None:
                row.errors.append(_("No department {name} (or the name is not unique: use its code).").format(
                    name=row.text("department")[:50]))  # fmt: skip
            scope = []
            for name in (n.strip() for n in _SEPARATORS.split(row.text("scope"))):
                if name and depts.get(name) is None:
                    row.errors.append(_("{column}: no department {name}.").format(column=header["scope"],
                                                                                  name=name[:50]))  # fmt: skip
                elif name:
                    scope.append(depts[name])
            duration = parse_duration(row, header["duration"])
            condition = row.text("condition")
            if duration is not None and condition:
                row.errors.append(_("Give a duration or a declassification condition, not both."))
            fields = dict(EMPTY_DURATION)
            if duration is not None:
                fields.update(duration.to_fields())
            elif condition:
                fields.update(duration_kind="condition", condition=condition)
            determined_on = parse_date(row, "determined_on", header["determined_on"])
            period_start = parse_date(row, "period_start", header["period_start"])
            reference = row.text("reference")
            if reference in seen:
                row.errors.append(_("{column} {value} appears twice in the file (row {row}).").format(
                    column=header["reference"], value=reference[:50], row=seen[reference]))  # fmt: skip
            elif reference:
                seen[reference] = row.number
            if row.ok:
                row.target = {
                    "title": row.text("title"), "level": level, "department": department, "reference": reference,
                    "duration": fields if fields["duration_kind"] else None,
                    "duration_basis": row.text("duration_basis"), "period_start": period_start,
                    "basis_text": row.text("basis_text"), "origin": origin,
                    "secret_points": row.text("secret_points"), "scope_departments": scope,
                    "authority": row.text("authority"), "determined_on": determined_on, "note": row.text("note"),
                }  # fmt: skip

    def _record(self, actor: Any, row: SheetRow) -> None:
        from baomi.classification.services import record_existing_determination

        record_existing_determination(actor, **row.target)

    def check(self, actor: Any, rows: list[SheetRow]) -> None:
        for row in rows:
            if not row.ok:
                continue
            try:
                with transaction.atomic():
                    self._record(actor, row)
                    raise _Undo
            except _Undo:
                pass
            except BaomiError as exc:
                refuse(row, exc, _("You may not record this item."))

    def apply(self, actor: Any, rows: list[SheetRow], progress: Progress | None) -> int:
        for done, row in enumerate(rows, start=1):
            self._record(actor, row)
            if progress is not None and done % 200 == 0:
                progress(done, len(rows))
        return len(rows)


LEDGERS: dict[str, Ledger] = {
    ledger.kind: ledger for ledger in (CarrierLedger(), ItemLedger(), PersonnelLedger())
}


def ledger(kind: str) -> Ledger:
    return LEDGERS[kind]
