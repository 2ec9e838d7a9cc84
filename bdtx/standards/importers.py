"""The TEMIS results import: reading a TEMIS-style results file and checking each row.

A TEMIS export of a school or an office has title rows, then a header such as
"STT | Họ và tên | Ngày sinh | Số CCCD/Mã định danh | Tiêu chí 1 … Tiêu chí 15 | Xếp loại"
(sometimes "Tiêu chuẩn n" merged over its "Tiêu chí" columns, or "TC1" … "TC18"). Levels are
written "Tốt / Khá / Đạt / Chưa đạt" or "T / K / Đ / CĐ", in any case, with or without marks.
The sheet is found and read by `bdtx.core.importing.parsing`; this module knows the columns and
the levels. Checking a row is pure: the people, their jobs and the standards come in a
`TemisContext`, so the rules are tested without a database. `TemisImporter.write` hands the valid
rows to `services.assessment_bulk_import`.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bdtx.core.forms import BootstrapFormMixin
from bdtx.core.importing.base import WARNING, Checked, FileProblem, Importer, JobInfo, Problem, Written
from bdtx.core.importing.parsing import Field, Layout, RawRow, as_date, as_digits, as_text
from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.core.text import fold
from bdtx.organisations.models import Unit
from bdtx.people.models import Employment
from bdtx.people.selectors import units_under_in_year
from bdtx.standards import selectors
from bdtx.standards.models import Assessment, Criterion, Framework, Level, LevelsAre, RatingRule
from bdtx.standards.rating import framework_criteria, framework_rules, rating_explain
from bdtx.standards.services import AssessmentRow, assessment_bulk_import, assessment_import_check_permission

MAX_CRITERIA = 30  # columns "Tiêu chí 1" … "Tiêu chí 30" are recognised; frameworks have 15 to 18


def _criterion_field(n: int) -> Field:
    names = {f"tieu chi {n}", f"tieu chi so {n}", f"tc {n}", f"tc{n}", f"tieu chi {n:02d}", f"tc{n:02d}"}
    return Field(f"c{n}", exact=tuple(sorted(names)))


FIELDS: list[Field] = [
    Field("_skip", contains=("ngay cap", "noi cap", "noi sinh", "que quan")),
    Field("stt", exact=("stt", "tt", "so tt", "so thu tu")),
    Field("full_name", exact=("ho va ten", "ho ten"), contains=("ho va ten", "ho ten")),
    Field("date_of_birth", contains=("ngay sinh", "nam sinh", "sinh ngay", "ngay thang nam sinh")),
    Field("personal_id", contains=("dinh danh", "cccd", "cmnd", "can cuoc", "cmtnd", "so cmt")),
    Field(
        "rating",
        exact=("xep loai", "ket qua", "muc dat", "ket qua xep loai", "xep loai chung"),
        contains=("xep loai", "ket qua danh gia", "muc xep loai"),
    ),
    *(_criterion_field(n) for n in range(1, MAX_CRITERIA + 1)),
]
REQUIRED_ANY = frozenset({"full_name", "personal_id"})

_PUNCT = re.compile(r"[^0-9a-z]+")
_SHORT = {"t": Level.EXCELLENT, "k": Level.GOOD, "d": Level.MET, "cd": Level.NOT_MET}


def parse_level(value: Any) -> Level | None:
    """'Tốt', 'khá', 'ĐẠT', 'Chưa đạt', 'T', 'K', 'Đ', 'CĐ', 'Chưa đạt chuẩn', 'Đạt chuẩn mức tốt' → Level.

    Blank → None; anything else raises ValueError.
    """
    text = _PUNCT.sub(" ", fold(as_text(value))).strip()
    if not text:
        return None
    if text in _SHORT:
        return _SHORT[text]
    words = text.split()
    if words[:2] == ["chua", "dat"] or text in ("khong dat", "chua dat chuan"):
        return Level.NOT_MET
    if "tot" in words:
        return Level.EXCELLENT
    if "kha" in words:
        return Level.GOOD
    if words[0] == "dat" or text == "dat chuan":
        return Level.MET
    raise ValueError(text)


def level_short(level: int | None) -> str:
    """Level → the letters TEMIS files use (T, K, Đ, CĐ)."""
    return {Level.EXCELLENT: "T", Level.GOOD: "K", Level.MET: "Đ", Level.NOT_MET: "CĐ"}.get(level, "")  # type: ignore[call-overload]


# --- checking -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Staff:
    """A person the importer may write results for: their job that school year and its standard."""

    person_id: int
    full_name: str
    date_of_birth: date | None
    personal_id: str
    unit_id: int
    framework_id: int | None
    existing: str = ""  # status of an assessment already recorded for the year ("" if none)
    existing_source: str = ""


@dataclass
class StandardInfo:
    framework: Framework
    criteria: list[Criterion]
    rules: list[RatingRule]

    def by_number(self) -> dict[int, Criterion]:
        return {c.number: c for c in self.criteria}


@dataclass
class TemisContext:
    staff: list[Staff]
    standards: dict[int, StandardInfo]  # by framework id
    unit_name: str
    year_label: str

    def __post_init__(self) -> None:
        self.by_pid: dict[str, Staff] = {s.personal_id: s for s in self.staff if s.personal_id}
        self.by_name_dob: dict[tuple[str, date | None], list[Staff]] = {}
        for s in self.staff:
            self.by_name_dob.setdefault((fold(s.full_name), s.date_of_birth), []).append(s)


@dataclass
class TemisCheckContext(TemisContext):
    """The staff and standards, and the criterion columns the file has."""

    numbers: list[int] | None = None


@dataclass
class CheckedAssessment(Checked[AssessmentRow]):
    person_id: int | None = None  # whose row it is, when found (also on rows with errors)
    name: str = ""


def criterion_numbers(layout: Layout) -> list[int]:
    return sorted(int(c.key[1:]) for c in layout.columns if re.fullmatch(r"c\d+", c.key))


def _match(raw: RawRow, ctx: TemisContext, problems: list[Problem]) -> Staff | None:
    name = raw.text("full_name")
    pid = as_digits(raw.values.get("personal_id")) if "personal_id" in raw.values else ""
    dob: date | None = None
    if "date_of_birth" in raw.values:
        try:
            dob = as_date(raw.values["date_of_birth"])
        except (ValueError, OverflowError):
            message = _("Not a date: write dd/mm/yyyy.")
            problems.append(Problem(raw.number, "date_of_birth", raw.text("date_of_birth"), "date.invalid", message))
    if pid and (found := ctx.by_pid.get(pid)):
        if name and fold(name) != fold(found.full_name):
            message = _("The ID number belongs to %(name)s: check that this row is theirs.") % {"name": found.full_name}
            problems.append(Problem(raw.number, "full_name", name, "person.other_name", message, WARNING))
        return found
    if not name:
        problems.append(Problem(raw.number, "full_name", "", "name.missing", _("The name is empty.")))
        return None
    candidates = ctx.by_name_dob.get((fold(name), dob), []) if dob else []
    if len(candidates) == 1:
        if pid:
            message = _("No one has this ID number; matched by name and date of birth instead.")
            problems.append(Problem(raw.number, "personal_id", pid, "person.matched_by_name", message, WARNING))
        return candidates[0]
    if len(candidates) > 1:
        message = _("Several people have this name and date of birth: add their ID number to tell them apart.")
        problems.append(Problem(raw.number, "full_name", name, "person.ambiguous", message))
        return None
    message = _(
        "Not found among the staff of %(unit)s in %(year)s: check the ID number, the name and the date of birth."
    ) % {"unit": ctx.unit_name, "year": ctx.year_label}
    problems.append(Problem(raw.number, "personal_id" if pid else "full_name", pid or name, "person.unknown", message))
    return None


def check_row(raw: RawRow, ctx: TemisContext, numbers: list[int]) -> CheckedAssessment:
    """Check one row: whose it is, their standard, a level for each of its criteria, the rating.

    A person on two rows is found by `duplicate_people`, for the whole file.
    """
    problems: list[Problem] = []
    staff = _match(raw, ctx, problems)
    file_rating: Level | None = None
    if raw.text("rating"):
        try:
            file_rating = parse_level(raw.values["rating"])
        except ValueError:
            message = _("Not a rating: write Tốt, Khá, Đạt or Chưa đạt.")
            problems.append(Problem(raw.number, "rating", raw.text("rating"), "rating.invalid", message, WARNING))
    if staff is None:
        return CheckedAssessment(raw.number, None, problems)
    info = ctx.standards.get(staff.framework_id) if staff.framework_id else None
    if info is None:
        message = _("No professional standard applies to this person's job this school year.")
        problems.append(Problem(raw.number, "full_name", raw.text("full_name"), "standard.none", message))
        return CheckedAssessment(raw.number, None, problems, staff.person_id, raw.text("full_name"))
    criteria = info.by_number()
    levels: dict[int, int] = {}
    for n in numbers:
        key = f"c{n}"
        text = raw.text(key)
        try:
            level = parse_level(raw.values.get(key))
        except ValueError:
            message = _("Not a level: write Tốt, Khá, Đạt or Chưa đạt (or T, K, Đ, CĐ).")
            problems.append(Problem(raw.number, key, text, "level.invalid", message))
            continue
        criterion = criteria.get(n)
        if criterion is None:
            if level is not None:
                message = _("%(standard)s has no criterion %(n)d recorded here: this level is left out.") % {
                    "standard": info.framework.circular,
                    "n": n,
                }
                problems.append(Problem(raw.number, key, text, "level.extra", message, WARNING))
            continue
        if level is None:
            message = _("The level of criterion %(n)d is empty.") % {"n": n}
            problems.append(Problem(raw.number, key, "", "level.missing", message))
            continue
        levels[criterion.pk] = level
    absent = [c.number for c in info.criteria if c.number not in numbers]
    if absent:
        message = _("The file has no column for criteria %(list)s of %(standard)s.") % {
            "list": ", ".join(map(str, absent)),
            "standard": info.framework.circular,
        }
        problems.append(Problem(raw.number, "", "", "criteria.columns_missing", message))
    if any(p.is_error for p in problems):
        return CheckedAssessment(raw.number, None, problems, staff.person_id, raw.text("full_name"))
    outcome = rating_explain(framework=info.framework, levels=levels, criteria=info.criteria, rules=info.rules)
    if file_rating is not None and outcome.level is not None and file_rating != outcome.level:
        message = _(
            "The file says %(file)s but the criteria give %(computed)s by the rule of %(standard)s; "
            "%(computed)s is recorded."
        ) % {
            "file": Level(file_rating).label,
            "computed": Level(outcome.level).label,
            "standard": info.framework.circular,
        }
        problems.append(Problem(raw.number, "rating", raw.text("rating"), "rating.differs", message, WARNING))
    if staff.existing and staff.existing_source == "web":
        message = _(
            "This person already has an assessment entered here for this year; "
            "the file's levels will replace the ones recorded there."
        )
        problems.append(
            Problem(raw.number, "full_name", raw.text("full_name"), "assessment.replaced", message, WARNING)
        )
    record = AssessmentRow(
        row=raw.number,
        person_id=staff.person_id,
        unit_id=staff.unit_id,
        framework_id=info.framework.pk,
        levels=levels,
        outcome=outcome,
        file_rating=file_rating,
    )
    return CheckedAssessment(raw.number, record, problems, staff.person_id, raw.text("full_name"))


def duplicate_people(rows: list[CheckedAssessment]) -> None:
    """A person already found on an earlier row is an error on every later row of theirs."""
    seen: dict[int, int] = {}
    for c in rows:
        if c.person_id is None:
            continue
        first = seen.setdefault(c.person_id, c.row)
        if first != c.row:
            message = _("This person is already on row %(row)d.") % {"row": first}
            c.reject(Problem(c.row, "full_name", c.name, "person.duplicate", message))


def temis_context(*, unit: Unit, school_year: SchoolYear) -> TemisContext:
    """Everyone employed under `unit` that school year (the tree of that year), with their standard."""
    employments = list(
        Employment.objects.filter(
            school_year=school_year, unit__in=units_under_in_year(unit=unit, school_year=school_year).values("pk")
        ).select_related("person")
    )
    recorded = {
        person_id: (status, source)
        for person_id, status, source in Assessment.objects.filter(
            school_year=school_year, person_id__in=[e.person_id for e in employments]
        ).values_list("person_id", "status", "source")
    }
    frameworks: dict[str, Framework | None] = {}
    staff = []
    for e in employments:
        key = f"{e.staff_type}/{e.school_level}"
        if key not in frameworks:
            frameworks[key] = selectors.framework_for_employment(e)
        fw = frameworks[key]
        p = e.person
        status, source = recorded.get(p.pk, ("", ""))
        staff.append(
            Staff(
                person_id=p.pk,
                full_name=p.full_name,
                date_of_birth=p.date_of_birth,
                personal_id=p.personal_id or "",
                unit_id=e.unit_id,
                framework_id=fw.pk if fw else None,
                existing=status,
                existing_source=source,
            )
        )
    standards = {}
    for fw in {f for f in frameworks.values() if f is not None}:
        full = selectors.framework_with_rules(pk=fw.pk)
        standards[fw.pk] = StandardInfo(full, framework_criteria(full), framework_rules(full))
    return TemisContext(staff=staff, standards=standards, unit_name=unit.name, year_label=school_year.label)


# --- the importer -------------------------------------------------------------------------------


class TemisLevelsForm(BootstrapFormMixin, forms.Form):
    levels_are = forms.ChoiceField(
        label=gettext_lazy("The levels in the file are"), choices=LevelsAre.choices, initial=LevelsAre.PRINCIPAL
    )


class TemisImporter(Importer[TemisCheckContext, AssessmentRow]):
    """Results of the yearly assessment against the professional standard, as TEMIS exports them."""

    key = "temis"
    label = gettext_lazy("TEMIS results")
    title = gettext_lazy("Import results from TEMIS")
    permission = Perm.PEOPLE_IMPORT
    fields = FIELDS
    required_any = REQUIRED_ANY
    no_table_message = gettext_lazy(
        "No results table was found: the first 15 rows of every sheet were searched for a header "
        "row with “Họ và tên”, “Ngày sinh”, “Số CCCD/Mã định danh”, “Tiêu chí 1” … and “Xếp loại”."
    )
    sensitive_keys = frozenset({"personal_id"})
    warns = True
    file_label = gettext_lazy("TEMIS results file (.xlsx)")
    unit_help = gettext_lazy("People are looked for among the staff of this unit and the units under it.")
    created_label = gettext_lazy("assessments added")
    updated_label = gettext_lazy("assessments updated")
    help_template = "standards/import_help.html"
    upload_action = "temis.upload"
    confirm_action = "temis.confirm"
    write_action = "temis.import"

    def check_permission(self, scope: Scope, unit: Any) -> None:
        assessment_import_check_permission(scope, unit)

    def may_import(self, scope: Scope) -> bool:
        has = scope.has_anywhere
        return has(Perm.PEOPLE_IMPORT) and has(Perm.STANDARDS_VIEW) and super().may_import(scope)

    def unit_choices(self, scope: Scope) -> QuerySet[Unit]:
        return selectors.temis_import_unit_choices(scope=scope)

    def options_form(self, data: Any = None, *, initial: Mapping[str, Any] | None = None) -> forms.Form:
        return TemisLevelsForm(data)

    def clean_options(self, data: Mapping[str, Any], *, scope: Scope) -> dict[str, Any]:
        levels_are = data.get("levels_are") or LevelsAre.PRINCIPAL
        if levels_are not in LevelsAre.values:
            raise ValidationError({"levels_are": _("Choose whose levels the file holds.")})
        return {"levels_are": str(levels_are)}

    def describe(self, job: JobInfo) -> str:
        return str(LevelsAre(job.options.get("levels_are", LevelsAre.PRINCIPAL)).label)

    def upload_note(self, job: JobInfo) -> str:
        return f"{job.school_year_label}, {job.options.get('levels_are', LevelsAre.PRINCIPAL)}"

    def result_link(self, job: JobInfo) -> tuple[str, str]:
        url = f"{reverse('standards:list')}?year={job.school_year_id}&unit={job.unit.uuid}"
        return url, str(_("See the assessments"))

    def prepare(self, job: JobInfo, scope: Scope, layout: Layout) -> TemisCheckContext:
        numbers = criterion_numbers(layout)
        if not numbers:
            raise FileProblem(_("The table has no criterion columns (“Tiêu chí 1”, “Tiêu chí 2” … or “TC1”, “TC2” …)."))
        assert job.school_year_id is not None  # asks_school_year
        school_year = SchoolYear.objects.get(pk=job.school_year_id)
        ctx = temis_context(unit=job.unit, school_year=school_year)
        return TemisCheckContext(
            staff=ctx.staff,
            standards=ctx.standards,
            unit_name=ctx.unit_name,
            year_label=ctx.year_label,
            numbers=numbers,
        )

    def check_row(self, raw: RawRow, ctx: TemisCheckContext) -> CheckedAssessment:
        return check_row(raw, ctx, ctx.numbers or [])

    def check_file(self, rows: list[Checked[AssessmentRow]], ctx: TemisCheckContext) -> None:
        duplicate_people(rows)  # type: ignore[arg-type]  # check_row made them

    def write(self, job: JobInfo, records: list[AssessmentRow], *, scope: Scope) -> Written:
        assert job.school_year_id is not None  # asks_school_year
        created, updated = assessment_bulk_import(
            scope=scope,
            unit=job.unit,
            school_year_id=job.school_year_id,
            rows=records,
            levels_are=job.options.get("levels_are", LevelsAre.PRINCIPAL),
            filename=job.original_filename,
        )
        left_out = job.total_rows - len(records)
        return Written(created, updated, note=f"{job.original_filename}: {len(records)} rows, {left_out} left out")
