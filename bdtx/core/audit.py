"""The audit vocabulary: every action the apps write to the audit log, with its label and how the
entry's `changes` and `note` read, in one registry each app fills with its own actions.

An app lists its actions in `<app>/audit.py` (`ACTIONS = [AuditAction(...), ...]`) and registers
them from its `AppConfig.ready()`. Codes are namespaced (`plan.submit`, `import.upload`) and a
namespace belongs to the app that registered it first, so no app can relabel another's actions.
The audit log page and the history of plans read labels and rows from here; an entry whose code
is not registered (old data) shows its code and its raw values, and never fails.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, NamedTuple

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db.models import Field, Model
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.models.options import Options

    from bdtx.core.models import AuditLog

Label = str | Promise
# How the values of one key of `changes` read: choices (code → label, e.g. `Role.choices`) or a function.
ValueFormat = Mapping[Any, Label] | Sequence[tuple[Any, Label]] | Callable[[Any], object]

CODE = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")
MAX_CODE_LENGTH = 64  # AuditLog.action, PlanEvent.action, UnitPlanEvent.action
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*")


class ChangeRow(NamedTuple):
    """One line of an entry's changes: `label` went from `before` to `after` (None reads as empty)."""

    label: str
    before: object
    after: object

    @property
    def is_change(self) -> bool:
        return True


class FactRow(ChangeRow):
    """A figure or a detail of the entry (rows an import wrote, the school year), read `label: after`."""

    __slots__ = ()

    @property
    def is_change(self) -> bool:
        return False


def fact(label: Label, value: object) -> FactRow:
    return FactRow(str(label), None, value)


# --- values --------------------------------------------------------------------------------------


def readable(value: Any, fmt: ValueFormat | None = None) -> object:
    """A stored value as a person reads it: the label of a choice code, Yes/No, dd/mm/yyyy dates,
    lists joined by commas, mappings as `key: value`; None, "" and empty lists stay None (∅)."""
    if value is None or value == "" or value == [] or value == {}:
        return None
    if callable(fmt):
        return fmt(value)
    if isinstance(value, list | tuple):
        parts = [readable(v, fmt) for v in value]
        return ", ".join(str(p) for p in parts if p is not None) or None
    if isinstance(value, dict):
        return "; ".join(f"{k}: {readable(v, fmt) or '∅'}" for k, v in value.items())
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if fmt is not None:
        with contextlib.suppress(TypeError):
            labels = dict(fmt)
            if value in labels:
                return str(labels[value])
    if isinstance(value, str):
        return _readable_text(value)
    return value


def _readable_text(value: str) -> str:
    with contextlib.suppress(ValueError):
        if _ISO_DATE.fullmatch(value):
            return date.fromisoformat(value).strftime("%d/%m/%Y")
        if _ISO_DATETIME.fullmatch(value):
            moment = datetime.fromisoformat(value)
            if timezone.is_aware(moment):
                moment = timezone.localtime(moment)
            return moment.strftime("%d/%m/%Y %H:%M")
    return value


def school_year_label(value: Any) -> str:
    """2024 → "2024-2025" (school years are stored by their start year)."""
    try:
        start = int(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{start}-{start + 1}"


def month_label(value: Any) -> str:
    """ "2024-09-01" → "09/2024" (plans keep months as their first day)."""
    try:
        return date.fromisoformat(str(value)).strftime("%m/%Y")
    except ValueError:
        return str(value)


# --- rows ----------------------------------------------------------------------------------------


def _meta(object_type: str) -> Options[Any] | None:
    if "." not in object_type:
        return None
    try:
        model: type[Model] = apps.get_model(object_type)
    except (LookupError, ValueError):
        return None
    return model._meta


def _model_field(meta: Options[Any] | None, key: str) -> Field[Any, Any] | None:
    if meta is None:
        return None
    for name in dict.fromkeys((key, key.removesuffix("_id"))):  # "personal_id" is a field, "unit_id" a key of one
        with contextlib.suppress(FieldDoesNotExist):
            found = meta.get_field(name)
            return found if isinstance(found, Field) else None
    return None


def change_rows(
    entry: AuditLog,
    *,
    fields: Mapping[str, Label] | None = None,
    values: Mapping[str, ValueFormat] | None = None,
) -> list[ChangeRow]:
    """The entry's `changes` as rows: a `[before, after]` list is a change, any other value a fact.

    A key is named by `fields`, else by the verbose name of the field of the entry's model, else
    by itself; its values read through `values`, else the field's choices, else `readable`.
    """
    changes = entry.changes
    if not isinstance(changes, dict):
        return [fact(_("Changes"), readable(changes))] if changes else []
    meta = _meta(entry.object_type)
    fields, values = fields or {}, values or {}
    rows: list[ChangeRow] = []
    for key, value in changes.items():
        model_field = _model_field(meta, key)
        label = fields.get(key) or (model_field.verbose_name if model_field is not None else key)
        fmt = values.get(key)
        if fmt is None and model_field is not None and model_field.choices:
            fmt = list(model_field.flatchoices)
        if isinstance(value, list):
            before, after = [*value, None, None][:2]
            rows.append(ChangeRow(str(label), readable(before, fmt), readable(after, fmt)))
        else:
            rows.append(fact(label, readable(value, fmt)))
    return rows


@dataclass(frozen=True)
class NotePattern:
    """A note written in a fixed form (`regex` with named groups) and how it reads: `template` %
    the groups, each group read through `values` (choices or a function) when given."""

    regex: str
    template: Label
    values: Mapping[str, ValueFormat] = field(default_factory=dict)

    def render(self, note: str) -> str | None:
        match = re.fullmatch(self.regex, note)
        if match is None:
            return None
        groups = {k: readable(v, self.values.get(k)) or "" for k, v in match.groupdict().items()}
        return str(self.template) % groups


# --- actions and their registry ------------------------------------------------------------------


@dataclass(frozen=True)
class AuditAction:
    """One kind of audit entry: its code (`<namespace>.<verb>`), its label, and how its entry reads.

    `fields` names keys of `changes` the entry's model does not name (or names badly); `values`
    reads the values of a key (choices or a function); `notes` turn notes written in a fixed form
    into words; `render` replaces the whole reading of `changes` when rows are not enough.
    """

    code: str
    label: Label
    fields: Mapping[str, Label] = field(default_factory=dict)
    values: Mapping[str, ValueFormat] = field(default_factory=dict)
    notes: tuple[NotePattern, ...] = ()
    render: Callable[[AuditLog], list[ChangeRow]] | None = None

    def __post_init__(self) -> None:
        if not CODE.fullmatch(self.code) or len(self.code) > MAX_CODE_LENGTH:
            raise ImproperlyConfigured(f"audit action code {self.code!r} is not '<namespace>.<verb>' in lower case")

    @property
    def namespace(self) -> str:
        return self.code.split(".", 1)[0]

    def rows(self, entry: AuditLog) -> list[ChangeRow]:
        if self.render is not None:
            return self.render(entry)
        return change_rows(entry, fields=self.fields, values=self.values)

    def note(self, entry: AuditLog) -> str:
        for pattern in self.notes:
            text = pattern.render(entry.note)
            if text is not None:
                return text
        return entry.note


class AuditActionRegistry:
    """Every action the apps write, by code. A namespace (`plan` of `plan.submit`) belongs to the
    app that registered it first; registering it from another app is an error."""

    def __init__(self) -> None:
        self._actions: dict[str, AuditAction] = {}
        self._owners: dict[str, str] = {}

    def register(self, *actions: AuditAction, app: str) -> None:
        for action in actions:
            owner = self._owners.setdefault(action.namespace, app)
            if owner != app:
                raise ImproperlyConfigured(
                    f"audit action {action.code}: the namespace {action.namespace!r} belongs to the app {owner!r}"
                )
            known = self._actions.get(action.code)
            if known is not None and known != action:
                raise ImproperlyConfigured(f"audit action {action.code} is registered twice")
            self._actions[action.code] = action

    def get(self, code: str) -> AuditAction | None:
        return self._actions.get(code)

    def owner(self, code: str) -> str | None:
        """The app that registered the namespace of `code`."""
        return self._owners.get(code.split(".", 1)[0])

    def __contains__(self, code: object) -> bool:
        return code in self._actions

    def __iter__(self) -> Iterator[AuditAction]:
        return iter(sorted(self._actions.values(), key=lambda a: a.code))

    def label(self, code: str) -> str:
        """The action's label in the active language; an unknown code reads as itself."""
        action = self._actions.get(code)
        return str(action.label) if action is not None else code

    def rows(self, entry: AuditLog) -> list[ChangeRow]:
        action = self._actions.get(entry.action)
        return action.rows(entry) if action is not None else change_rows(entry)

    def note(self, entry: AuditLog) -> str:
        action = self._actions.get(entry.action)
        return action.note(entry) if action is not None else entry.note


audit_actions = AuditActionRegistry()
