"""The import contract every importer fulfils, and the registry that finds them by kind.

One pipeline (`bdtx.imports`) stores an upload, checks every row, shows the problems and writes
the valid rows; what differs between a staff list, a module catalog and TEMIS results lives in an
`Importer` subclass next to the models it writes (`people/importers.py`, `catalog/importers.py`,
`standards/importers.py`), registered from its app's `AppConfig.ready()`. Modelled on pretix's
`base/modelimport.py`: one declaration of columns, one way of reporting problems, many importers.

The pipeline calls an importer in this order, once per pass over the stored file:

1. `read_table` finds the header among the `fields` (tolerant of header variants);
2. `prepare(job, scope, layout)` gathers the database facts the checks need (one query each, not
   one per row) and may refuse the file (`FileProblem`);
3. `layout_problems(layout, ctx)` reports what is wrong with the file as a whole (a required
   column is missing); with an error there the rows are counted but not checked;
4. `check_row(raw, ctx)` checks one row without touching the database;
5. `check_file(rows, ctx)` checks what needs every row: duplicates, codes resolved in bulk,
   scope guards;
6. `write(job, records, scope=…)` writes the valid records in the caller's transaction.

Nothing here knows a model: the job reaches importers as a plain `JobInfo`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal
from uuid import UUID

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from django import forms
    from django.db.models import QuerySet
    from django.utils.functional import Promise

    from bdtx.core.importing.parsing import Layout, RawRow
    from bdtx.core.scope import Scope

ERROR: Literal["error"] = "error"
WARNING: Literal["warning"] = "warning"
Severity = Literal["error", "warning"]


class FileProblem(Exception):
    """The file as a whole cannot be imported; the message says why, in the user's language."""


@dataclass(frozen=True)
class Field:
    """A column an importer understands, and the header texts that name it.

    `exact` are folded header texts that must match whole; `contains` are folded phrases that may
    appear anywhere among the header's words. `children` maps folded sub-headers written under
    this header in a two-row header to other fields ("Ngày sinh" over "Nam | Nữ"). A `required`
    column missing from the file is an error of the whole file, named by `label`. Keys starting
    with "_" swallow look-alike headers ("Ngày cấp CCCD") and name nothing.
    """

    key: str
    exact: tuple[str, ...] = ()
    contains: tuple[str, ...] = ()
    children: dict[str, str] = field(default_factory=dict)
    required: bool = False
    label: str = ""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell (`key` is its field), one row (`key` ""), or, on row 0, the file.

    `code` is stable (tests, the error report); `message` is for people, in their language. An
    error keeps its row out of the import; a warning lets it in once the user has read it.
    """

    row: int
    key: str
    value: str
    code: str
    message: str
    severity: Severity = ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR


@dataclass
class Checked[R]:
    """A row after checking: the record to write, or None, and what was found. Importers may add fields."""

    row: int
    record: R | None
    problems: list[Problem] = field(default_factory=list)

    def reject(self, problem: Problem) -> None:
        """Add an error found after the row check (a duplicate, an unknown code): the row is not written."""
        self.problems.append(problem)
        if problem.is_error:
            self.record = None

    @property
    def valid(self) -> bool:
        return self.record is not None and not any(p.is_error for p in self.problems)


@dataclass(frozen=True)
class JobInfo:
    """What an importer may know of the job: plain values, never the job model."""

    id: int
    uuid: UUID
    kind: str
    unit: Any  # organisations.Unit (core cannot name it): pk, path, name, kind, level_list
    school_year_id: int | None
    created_by_id: int | None
    original_filename: str
    options: Mapping[str, Any] = field(default_factory=dict)
    check_only: bool = False
    only_valid: bool = False
    total_rows: int = 0  # rows the last check read

    @property
    def school_year_label(self) -> str:
        y = self.school_year_id
        return f"{y}-{y + 1}" if y else ""


@dataclass(frozen=True)
class Written:
    """What `write` did: counts, and what to add to the job's summary audit entry and options."""

    created: int
    updated: int
    changes: Mapping[str, Any] = field(default_factory=dict)
    note: str = ""
    options: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Template:
    """A blank file to fill in, offered on the upload page."""

    content: bytes
    filename: str


class Importer[C, R]:
    """Base class of every importer: declare the columns and the rules, the pipeline does the rest.

    `C` is the check context `prepare` builds, `R` the record `check_row` yields and `write` takes.
    """

    key: ClassVar[str]  # the job's kind, in URLs: /imports/new/<key>/
    label: ClassVar[str | Promise]  # what the file is: "Staff list"
    title: ClassVar[str | Promise]  # the upload page's heading and button: "Import a staff list"
    permission: ClassVar[str]  # held over a job's unit to see it among the jobs
    fields: ClassVar[Sequence[Field]]
    required_any: ClassVar[frozenset[str]]  # a header row names at least one of these
    no_table_message: ClassVar[str | Promise] = ""
    sensitive_keys: ClassVar[frozenset[str]] = frozenset()  # values shown only to who sees sensitive data
    sensitive_file: ClassVar[bool] = True  # the kept upload holds personal data: SENSITIVE_VIEW, logged
    asks_unit: ClassVar[bool] = True
    asks_school_year: ClassVar[bool] = True
    warns: ClassVar[bool] = False  # its checks may give warnings as well as errors
    file_label: ClassVar[str | Promise] = ""  # the upload form's file field, if not "Excel file (.xlsx)"
    accepts_csv: ClassVar[bool] = False  # a .csv is read as well as an .xlsx (`core.importing.csvfile`)
    unit_help: ClassVar[str | Promise] = ""  # what the unit chosen on upload means
    created_label: ClassVar[str | Promise] = ""  # count cards of a finished job: "people added"
    updated_label: ClassVar[str | Promise] = ""
    help_template: ClassVar[str] = ""  # "How it works" on the upload page
    has_template: ClassVar[bool] = False  # `template()` offers a blank file
    options_template: ClassVar[str] = ""  # lays out `options_form` (default: one field after the other)
    # Audit codes, declared by each importer and registered in its app's audit.py.
    upload_action: ClassVar[str]
    confirm_action: ClassVar[str]
    write_action: ClassVar[str]

    # --- who and where ------------------------------------------------------------------------

    def check_permission(self, scope: Scope, unit: Any) -> None:
        """Raise PermissionDenied unless `scope` may import this kind into `unit`."""
        raise NotImplementedError

    def unit_choices(self, scope: Scope) -> QuerySet[Any]:
        """Units the user may choose on the upload form (the first is the default)."""
        raise NotImplementedError

    def may_import(self, scope: Scope) -> bool:
        """Whether the upload page of this kind is open to `scope` at all."""
        return self.unit_choices(scope).exists()

    # --- options chosen on upload -------------------------------------------------------------

    def options_form(self, data: Any = None, *, initial: Mapping[str, Any] | None = None) -> forms.Form | None:
        """Extra fields of the upload form (a catalog to complete, what the levels mean), or None."""
        return None

    def clean_options(self, data: Mapping[str, Any], *, scope: Scope) -> dict[str, Any]:
        """The options to keep on the job (JSON), checked against the database; ValidationError by field."""
        return {}

    def template(self, scope: Scope) -> Template | None:
        """A blank file to download from the upload page, if the importer offers one."""
        return None

    # --- what the result page says ------------------------------------------------------------

    def describe(self, job: JobInfo) -> str:
        """One line about the job under its title (its unit and year are shown already)."""
        return ""

    def result_link(self, job: JobInfo) -> tuple[str, str] | None:
        """(url, text) of the page showing what a finished import wrote."""
        return None

    def upload_note(self, job: JobInfo) -> str:
        """The note of the upload's audit entry (the app's audit vocabulary reads it)."""
        return ", ".join(x for x in (job.kind, job.school_year_label) if x)

    # --- checking -----------------------------------------------------------------------------

    def fields_for(self, job: JobInfo) -> Sequence[Field]:
        """The columns to look for in this job's file: `fields`, unless they depend on the job (the
        scores import has one column per assessed component of the job's cohort)."""
        return self.fields

    def prepare(self, job: JobInfo, scope: Scope, layout: Layout) -> C:
        """The database facts the checks need, gathered once per pass (FileProblem to refuse the file)."""
        raise NotImplementedError

    def layout_problems(self, layout: Layout, ctx: C) -> list[Problem]:
        """Problems of the file as a whole; by default, each required column that is missing."""
        row = layout.header_rows[-1] if layout.header_rows else 0
        return [
            Problem(
                row,
                f.key,
                "",
                "column.missing",
                _("The file has no “%(column)s” column.") % {"column": f.label or f.key},
            )
            for f in self.fields
            if f.required and not layout.has(f.key)
        ]

    def check_row(self, raw: RawRow, ctx: C) -> Checked[R]:
        """Check one row without touching the database."""
        raise NotImplementedError

    def check_file(self, rows: list[Checked[R]], ctx: C) -> None:
        """Checks that need every row (duplicates, codes looked up in bulk): `reject` the rows that fail."""

    # --- writing ------------------------------------------------------------------------------

    def write(self, job: JobInfo, records: list[R], *, scope: Scope) -> Written:
        """Write the valid records in the caller's transaction, through the app's services."""
        raise NotImplementedError


_REGISTRY: dict[str, Importer[Any, Any]] = {}


def register(importer: Importer[Any, Any]) -> Importer[Any, Any]:
    """Make an importer available under its key; apps call this from `AppConfig.ready()`."""
    existing = _REGISTRY.get(importer.key)
    if existing is not None and type(existing) is not type(importer):
        raise ValueError(f"two importers for the kind {importer.key!r}")
    _REGISTRY[importer.key] = importer
    return importer


def get(key: str) -> Importer[Any, Any]:
    """The importer of a kind (KeyError for an unknown kind)."""
    return _REGISTRY[key]


def all() -> list[Importer[Any, Any]]:
    """Every registered importer, in the order the apps registered them."""
    return list(_REGISTRY.values())


def keys() -> Iterable[str]:
    return _REGISTRY.keys()
