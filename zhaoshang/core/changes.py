"""What an audit row's before/after says, in words: the one helper behind the history panels of objects (变更记录)
and the detail page of the audit trail.

``change_rows`` turns a row's before/after JSON into ``ChangeRow``s (label, old value, new value, changed). A key is
named by the verbose name of the field of the row's model it holds (``county_id`` → 县市区), else by a label an app
registered for the other keys its services write (``register_audit_keys``). A value is shown as people read it:
a choice by its label, a reference by the object's name (looked up in one query per model for a whole page of
rows), yes/no, local times, figures with thousands separators, and codes through the formatters apps register
(``register_audit_values``: admission rules, roles, industries, jurisdiction paths…). Core knows no domain app:
apps register in their ``AppConfig.ready``.
"""

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.dateparse import parse_datetime

EMPTY = "—"
UNNAMED = "其他信息"  # a key no app has named: never shown as the raw key
NOT_RECORDED = "（未记录）"  # a key the other side of a change does not hold
UNKNOWN_CODE = "其他"  # a code no app has named
CODE = re.compile(r"[a-z][a-z0-9_\-]*")
ITEM_SEPARATOR = "、"
PAIR_SEPARATOR = "；"
# What every row has and a history panel leaves out: who and when are the panel's own columns.
BOOKKEEPING = {"id", "created_at", "updated_at", "created_by_id", "updated_by_id", "path"}
PANEL_LIMIT = 8
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")

Formatter = Callable[[Any, "Names"], str]


@dataclass(frozen=True)
class ChangeRow:
    key: str  # the JSON key (for tests and data attributes; never shown)
    label: str
    old: str
    new: str
    changed: bool


@dataclass
class _Section:
    label: str
    model: str | None = None  # "app.Model" whose fields name the section's keys


@dataclass
class _Registry:
    keys: dict[tuple[str, str], str] = field(default_factory=dict)  # (action or "", key) → label
    values: dict[tuple[str, str], Formatter] = field(default_factory=dict)  # (action or "", key) → formatter
    sections: dict[tuple[str, str], _Section] = field(default_factory=dict)  # (action or "", key) → section
    shapes: dict[str, Callable[[Any, Any], tuple[Any, Any]]] = field(default_factory=dict)  # action → normaliser
    models: dict[str, str] = field(default_factory=dict)  # action → "app.Model" its before/after describe
    order: dict[str, int] = field(default_factory=dict)  # key → position among the keys that are not fields


REGISTRY = _Registry()


def register_audit_keys(labels: dict[str, str], *, action: str = "") -> None:
    """Chinese labels for keys a service writes that are not fields of the row's model (for one action, or all)."""
    for key, label in labels.items():
        REGISTRY.keys[(action, key)] = label
        REGISTRY.order.setdefault(key, len(REGISTRY.order))


def register_audit_values(key: str, formatter, *, action: str = "") -> None:
    """How the values of ``key`` read: a function (value, names) → text, or a dict of code → label."""
    if isinstance(formatter, dict):
        formatter = labels_of(formatter)
    REGISTRY.values[(action, key)] = formatter


def register_audit_section(key: str, label: str, *, model: str | None = None, action: str = "") -> None:
    """A key whose value is a nested object (a dict, or a list of dicts) of ``model``: its keys are that model's
    fields. A dict is shown as rows of its own ("重复项目 · 项目名称"), a list item by item."""
    REGISTRY.sections[(action, key)] = _Section(label, model)
    REGISTRY.order.setdefault(key, len(REGISTRY.order))


def register_audit_model(action: str, model_label: str) -> None:
    """Rows of ``action`` describe a row of ``model_label``, not of their object (an approval of a correction is
    recorded on the correction it approves)."""
    REGISTRY.models[action] = model_label


def register_audit_shape(action: str, normalise: Callable[[Any, Any], tuple[Any, Any]]) -> None:
    """Rows of ``action`` whose before and after are not two states of the same thing (an agreement row holds the
    project before and the new agreement after): ``normalise(before, after)`` gives a comparable pair."""
    REGISTRY.shapes[action] = normalise


# -- formatters apps use ----------------------------------------------------------------------------------------
def labels_of(choices) -> Formatter:
    """Codes by their labels (a dict or Django choices); a list of codes one by one."""
    table = dict(choices)

    def format_codes(value, names):
        if isinstance(value, list):
            return ITEM_SEPARATOR.join(format_codes(v, names) for v in value) or EMPTY
        if value in (None, ""):
            return EMPTY
        if value in table:
            return str(table[value])
        return UNKNOWN_CODE if CODE.fullmatch(str(value)) else str(value)

    return format_codes


def reference(model_label: str, *, by: str = "pk") -> Formatter:
    """An id (or code, ``by``) of a row of ``model_label``, shown as that row's name; a list as names."""

    def format_reference(value, names):
        if isinstance(value, list):
            return ITEM_SEPARATOR.join(format_reference(v, names) for v in value) or EMPTY
        return EMPTY if value in (None, "") else names.of(model_label, value, by=by)

    return format_reference


def money(value, names) -> str:
    """An amount in 万元 (under a label that names the unit), as ``core.formatting`` writes figures."""
    return EMPTY if value in (None, "") else _money(value)


def count_of(unit: str) -> Formatter:
    """A list (or a dict) shown as how many it holds: ``3 条``."""

    def format_count(value, names):
        return f"{len(value) if isinstance(value, list | dict) else value} {unit}"

    return format_count


# -- names of referenced rows, looked up in bulk ------------------------------------------------------------------
class Names:
    """Names of the rows that values point to. ``of`` is called twice per page: first to collect what is wanted
    (answering ""), then, after ``load`` has read each model's rows in one query, to answer."""

    def __init__(self):
        self.wanted: dict[tuple[str, str], set] = defaultdict(set)
        self.found: dict[tuple[str, str, str], str] = {}
        self.loaded = False

    def of(self, model_label: str, value, *, by: str = "pk") -> str:
        key = (model_label, by, str(value))
        if not self.loaded:
            self.wanted[(model_label, by)].add(value)
            return ""
        return self.found.get(key) or f"编号 {value}（已删除）"

    def load(self) -> None:
        for (model_label, by), values in self.wanted.items():
            model = _model(model_label)
            if model is None:
                continue
            lookup = model._meta.pk.attname if by == "pk" else by
            wanted = set()
            for value in values:
                try:
                    wanted.add(model._meta.get_field(lookup).to_python(value))
                except (ValidationError, ValueError, TypeError):
                    continue  # a value of another shape names no row: shown as deleted
            for row in model._base_manager.filter(**{f"{lookup}__in": wanted}):
                self.found[(model_label, by, str(getattr(row, lookup)))] = str(row)
        self.loaded = True


# -- the rows ---------------------------------------------------------------------------------------------------
def _model(label: str | None):
    if not label or "." not in label:
        return None
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def model_label_name(label: str) -> str:
    """``projects.Project`` → 项目 (the object type of an audit row, as a user reads it)."""
    model = _model(label)
    return str(model._meta.verbose_name) if model is not None else ""


def _fields(model) -> dict[str, models.Field]:
    if model is None:
        return {}
    found = {}
    for f in model._meta.get_fields():
        if f.is_relation and (f.auto_created and not f.concrete):
            continue  # reverse relations
        found[f.name] = f
        if getattr(f, "attname", None):
            found[f.attname] = f
    return found


def _field_label(f: models.Field) -> str | None:
    if f.primary_key:
        return "编号"
    label = str(f.verbose_name)
    return label if not label.isascii() else None


def _key_label(key: str, action: str, f: models.Field | None) -> str:
    label = REGISTRY.keys.get((action, key))
    if label is None and f is not None:
        label = _field_label(f)
    if label is None and not key.isascii():
        label = key  # already in words (the counts of a reference data load: "行政区划")
    return label or REGISTRY.keys.get(("", key)) or UNNAMED


def _plain(value, names: "Names", model=None) -> str:
    """A value without a field to go by."""
    if value is None or value == "" or value == [] or value == {}:
        return EMPTY
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list):
        return ITEM_SEPARATOR.join(_plain(v, names, model) for v in value)
    if isinstance(value, dict):
        fields = _fields(model)
        return PAIR_SEPARATOR.join(
            f"{_key_label(k, '', fields.get(k))}：{_value(k, v, '', fields.get(k), names, model)}"
            for k, v in _ordered(value, model)
        )
    if isinstance(value, str) and ISO_DATETIME.match(value):
        return _datetime(value)
    if isinstance(value, float | Decimal) or (isinstance(value, str) and _is_number(value)):
        return _number(value)
    return str(value)


def _is_number(text: str) -> bool:
    return bool(re.fullmatch(r"-?\d+\.\d+", text))


def _number(value) -> str:
    """A figure with thousands separators and without trailing zeros: ``320.50`` → ``320.5``."""
    try:
        text = f"{Decimal(str(value)):,f}"
    except InvalidOperation:
        return str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


def _money(value) -> str:
    from zhaoshang.core.formatting import figure

    return figure(value)


def _datetime(value) -> str:
    moment = value if isinstance(value, datetime) else parse_datetime(str(value))
    if moment is None:
        return str(value)
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _value(key: str, value, action: str, f: models.Field | None, names: Names, model=None) -> str:
    formatter = REGISTRY.values.get((action, key)) or REGISTRY.values.get(("", key))
    if formatter is not None:
        return formatter(value, names) or EMPTY
    section = _section(key, action)
    if section is not None and isinstance(value, list):
        return ITEM_SEPARATOR.join(_plain(v, names, _model(section.model)) for v in value) or EMPTY
    if f is None:
        return _plain(value, names, model)
    if value is None or value == "":
        return EMPTY
    if f.choices:
        return labels_of(f.flatchoices)(value, names)
    if f.is_relation and f.related_model is not None:
        return reference(f.related_model._meta.label)(value, names)
    if isinstance(f, models.BooleanField):
        return "是" if value else "否"
    if isinstance(f, models.DateTimeField):
        return _datetime(value)
    if isinstance(f, models.DecimalField):
        return _money(value) if f.name.endswith("_wan") else _number(value)
    return _plain(value, names, model)


def _section(key: str, action: str) -> _Section | None:
    return REGISTRY.sections.get((action, key)) or REGISTRY.sections.get(("", key))


def _ordered(data: dict, model) -> list[tuple[str, Any]]:
    """The model's fields in their order, then the other keys in the order apps registered them."""
    positions = {}
    if model is not None:
        for index, f in enumerate(model._meta.get_fields()):
            positions.setdefault(f.name, index)
            if getattr(f, "attname", None):
                positions.setdefault(f.attname, index)

    def position(item):
        key = item[0]
        return (key not in positions, positions.get(key, 0), REGISTRY.order.get(key, len(REGISTRY.order)), key)

    return sorted(data.items(), key=position)


def _rows(before, after, *, action: str, model, names: Names, prefix: str = "") -> list[ChangeRow]:
    before = before if isinstance(before, dict) else ({} if before is None else {"value": before})
    after = after if isinstance(after, dict) else ({} if after is None else {"value": after})
    fields = _fields(model)
    keys = dict(_ordered({**before, **after}, model))
    rows = []
    for key in keys:
        old, new = before.get(key), after.get(key)
        section = _section(key, action)
        if section is not None and (isinstance(old, dict) or isinstance(new, dict)):
            nested_model = _model(section.model) or model
            rows += _rows(
                old if isinstance(old, dict) else None,
                new if isinstance(new, dict) else None,
                action=action,
                model=nested_model,
                names=names,
                prefix=f"{prefix}{section.label} · ",
            )
            continue
        f = fields.get(key)
        label = section.label if section is not None else _key_label(key, action, f)
        # A key one side of a change does not record is "not recorded", not emptied (an unlock records only the
        # lock it lifts); keys only a step's after holds are what the step recorded.
        one_side_only = bool(before) and bool(after) and (key not in before or key not in after)
        rows.append(
            ChangeRow(
                key=key,
                label=prefix + label,
                old=_value(key, old, action, f, names, model) if key in before else _missing(before),
                new=_value(key, new, action, f, names, model) if key in after else _missing(after),
                changed=not _same(old, new) and not (one_side_only and key not in after),
            )
        )
    return rows


def _is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _missing(side: dict) -> str:
    return NOT_RECORDED if side else EMPTY


def _same(old, new) -> bool:
    """Equal values, a figure however many decimals it was written with (``50000`` and ``50000.00``)."""
    if old == new or (_is_empty(old) and _is_empty(new)):
        return True
    numbers = (str, int, float, Decimal)
    if isinstance(old, numbers) and isinstance(new, numbers) and not isinstance(old, bool | type(None)):
        try:
            return Decimal(str(old)) == Decimal(str(new))
        except InvalidOperation:
            return False
    return False


def _shaped(row) -> tuple[Any, Any]:
    shape = REGISTRY.shapes.get(row.action)
    return shape(row.before, row.after) if shape is not None else (row.before, row.after)


def change_rows(row, *, names: Names | None = None) -> list[ChangeRow]:
    """Every key of one audit row's before/after, as readable rows."""
    return audit_changes([row], names=names)[0]


def audit_changes(rows: Iterable, *, names: Names | None = None) -> list[list[ChangeRow]]:
    """``change_rows`` for many audit rows, with the names of the rows they reference read in bulk."""
    rows = list(rows)
    names = names or Names()
    for row in rows:  # first pass: collect the references
        before, after = _shaped(row)
        _rows(before, after, action=row.action, model=_row_model(row), names=names)
    names.load()
    result = []
    for row in rows:
        before, after = _shaped(row)
        result.append(_rows(before, after, action=row.action, model=_row_model(row), names=names))
    return result


def _row_model(row):
    return _model(REGISTRY.models.get(row.action) or row.object_type)


def panel_rows(rows: list[ChangeRow], *, action: str) -> tuple[list[ChangeRow], int]:
    """What a history panel lists of one row: the changed keys other than the bookkeeping ones (a creation lists
    nothing: its detail is on the audit page), at most ``PANEL_LIMIT``; and how many more there are."""
    if action == "create":
        return [], 0
    shown = [r for r in rows if r.changed and r.key not in BOOKKEEPING]
    return shown[:PANEL_LIMIT], max(0, len(shown) - PANEL_LIMIT)


def field_names(model_label: str) -> Formatter:
    """A list of field names of ``model_label``, shown as the fields' verbose names."""

    def format_fields(value, names):
        model = _model(model_label)
        fields = _fields(model)
        items = value if isinstance(value, list) else [value]
        return (
            ITEM_SEPARATOR.join((_field_label(fields[v]) if v in fields else None) or UNNAMED for v in items) or EMPTY
        )

    return format_fields
