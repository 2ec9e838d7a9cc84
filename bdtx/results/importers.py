"""The historic results import (issue 10): the year results of the school years before this system
computed them (the TT 26/2012 era), from an office's spreadsheet, so that a person's BDTX record is
complete from the first year the office kept.

One row is one person's result of one school year. The person is found by the account's user name
(the staff code where accounts are named by it), the ID number, or the name with the date of birth,
among the people who work or have worked under the unit chosen on upload. The school year is a
column ("2017-2018" or 2017): a file may hold many years. The scores are those of TT 26/2012 —
nd1 (programme 1), nd2 (programme 2), nd3 (each module of programme 3, several in one cell
separated by ";", or one column per module) — and an optional average and classification ("Giỏi",
"Khá", "TB", "Không hoàn thành"…). With the three components the regime in force that year grades
the row (`bdtx.regimes.grading.grade_compute`): a classification in the file that disagrees is a
warning and the computed one is recorded. Without scores the file's classification is taken.

Refused rows, each with its row, column and reason in Vietnamese: an unknown person, a score outside
0-10, a year whose regime is the one in force now or later (results of those years are computed
from their data here, not imported), an unknown classification, a person who already has a result
computed here for that year, the same person and year twice. Importing the same file again updates
the imported results (idempotent).

Why the imported results are written as **recognised** (`recognised_unit` = the importing unit,
`recognised_by` = the uploader, `recognised_at` = the time of the import): they were decided and
recognised back then by the authority of the time, under the rules of the time, and the office
keeps them as such; the system cannot replay that recognition from data it never held. A status
of "computed" or "proposed" would put them in today's recognition queue, where an authority would
"recognise" what it cannot check, and would leave them open to being replaced; recognised results
are frozen. `source = imported` keeps them apart from what the system decided itself: the record
page says "imported from earlier records", and `recognised_unit` names who vouched for the data,
not who decided the result in its year. No certificate should be issued from them (the paper one
of the time exists). For the same reason only an authority that recognises results
(`Perm.RESULTS_RECOGNISE`: a commune or district office, the Sở) imports them over its subtree: a
school cannot record its own historic results as recognised.
"""

import re
import tempfile
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bdtx.core.audit import AuditAction, NotePattern
from bdtx.core.exporters import TextWriter, new_workbook
from bdtx.core.importing.audit import ONLY_VALID, SUMMARY_FIELDS
from bdtx.core.importing.base import WARNING, Checked, Importer, JobInfo, Problem, Template, Written
from bdtx.core.importing.parsing import Field, Layout, RawRow, as_date, as_digits, as_text
from bdtx.core.models import AuditLog, SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.core.selectors import school_year_current
from bdtx.core.services import audit_record
from bdtx.core.text import fold
from bdtx.organisations.models import Unit, UnitKind
from bdtx.people.models import Employment
from bdtx.regimes.grading import grade_compute
from bdtx.regimes.models import Regime
from bdtx.results.models import ResultSource, ResultStatus, YearResult
from bdtx.training.scores import parse_score

MAX_MODULES = 8  # "ND3 – MĐ1" … "ND3 – MĐ8" columns
AVERAGE_TOLERANCE = Decimal("0.05")  # a file's average this close to the computed one is the same


def _module_field(n: int) -> Field:
    names = {
        f"nd3 md{n}",
        f"nd3 md {n}",
        f"nd3 {n}",
        f"nd3 mo dun {n}",
        f"nd3 mo dun {n:02d}",
        f"md{n}",
        f"md {n}",
        f"md{n:02d}",
        f"mo dun {n}",
        f"mo dun {n:02d}",
        f"diem md{n}",
        f"diem mo dun {n}",
        f"noi dung 3 mo dun {n}",
        f"nd 3 md{n}",
        f"nd 3 mo dun {n}",
    }
    return Field(f"nd3_{n}", exact=tuple(sorted(names)))


_MODULE_CHILDREN = {
    name: f"nd3_{n}"
    for n in range(1, MAX_MODULES + 1)
    for name in (f"md{n}", f"md {n}", f"md{n:02d}", f"mo dun {n}", f"mo dun {n:02d}", f"{n}")
}

# Matched in order: exact names of every field first, then the phrases. The programme fields come
# before the average, so "Điểm TB các mô đun ND3" is nd3, not the year's average.
FIELDS: list[Field] = [
    Field("_skip", contains=("ngay cap", "noi cap", "noi sinh", "que quan", "ten truong", "ten don vi")),
    Field("stt", exact=("stt", "tt", "so tt", "so thu tu")),
    Field(
        "staff_code",
        exact=(
            "ma can bo",
            "ma cb",
            "ma gv",
            "ma giao vien",
            "ma cbgv",
            "ma nhan vien",
            "ma so",
            "tai khoan",
            "ten dang nhap",
            "staff code",
        ),
        contains=("ma can bo", "ma giao vien", "ma cbgv", "ma cb gv", "ten dang nhap"),
    ),
    Field("full_name", exact=("ho va ten", "ho ten"), contains=("ho va ten", "ho ten")),
    Field("date_of_birth", contains=("ngay sinh", "nam sinh", "sinh ngay", "ngay thang nam sinh")),
    Field("personal_id", contains=("dinh danh", "cccd", "cmnd", "can cuoc", "cmtnd", "so cmt")),
    Field("school_year", exact=("nam hoc", "nam", "school year", "nam bd", "nam boi duong"), contains=("nam hoc",)),
    Field(
        "unit",
        exact=("ma truong", "ma don vi", "ma dv", "don vi", "truong", "don vi cong tac"),
        contains=("ma truong", "ma don vi", "ma co so", "don vi cong tac"),
    ),
    *(_module_field(n) for n in range(1, MAX_MODULES + 1)),
    Field(
        "nd1",
        exact=("nd1", "nd 1", "diem nd1", "diem nd 1", "noi dung 1", "diem noi dung 1", "nd bd 1", "nd bd1"),
        contains=("noi dung 1", "nd1", "noi dung boi duong 1", "nd 1"),
    ),
    Field(
        "nd2",
        exact=("nd2", "nd 2", "diem nd2", "diem nd 2", "noi dung 2", "diem noi dung 2", "nd bd 2", "nd bd2"),
        contains=("noi dung 2", "nd2", "noi dung boi duong 2", "nd 2"),
    ),
    Field(
        "nd3",
        exact=("nd3", "nd 3", "diem nd3", "diem nd 3", "noi dung 3", "diem noi dung 3", "nd bd 3", "nd bd3"),
        contains=("noi dung 3", "nd3", "noi dung boi duong 3", "nd 3"),
        children=_MODULE_CHILDREN,
    ),
    Field(
        "average",
        exact=("dtb", "diem tb", "diem trung binh", "tb", "tbc", "diem tbc", "trung binh chung", "average"),
        contains=("diem trung binh", "diem tb", "dtb"),
    ),
    Field(
        "classification",
        exact=("xep loai", "ket qua", "xep loai bdtx", "ket qua xep loai", "ket qua bdtx", "danh gia"),
        contains=("xep loai", "ket qua"),
    ),
    Field("note", exact=("ghi chu", "note"), contains=("ghi chu",)),
]
PERSON_KEYS = frozenset({"staff_code", "full_name", "personal_id"})
SCORE_KEYS = ("nd1", "nd2", "nd3", *(f"nd3_{n}" for n in range(1, MAX_MODULES + 1)))

_PUNCT = re.compile(r"[^0-9a-z]+")
# Classifications as offices wrote them (folded, punctuation-free) → the category codes of TT 26/2012.
CLASS_WORDS: dict[str, str] = {
    "gioi": "gioi",
    "loai gioi": "gioi",
    "g": "gioi",
    "kha": "kha",
    "loai kha": "kha",
    "k": "kha",
    "trung binh": "trung_binh",
    "tb": "trung_binh",
    "loai trung binh": "trung_binh",
    "loai tb": "trung_binh",
    "khong hoan thanh": "khong_hoan_thanh",
    "chua hoan thanh": "khong_hoan_thanh",
    "kht": "khong_hoan_thanh",
    "cht": "khong_hoan_thanh",
    "khong dat": "khong_hoan_thanh",
    "chua dat": "khong_hoan_thanh",
}
_YEAR = re.compile(r"^(\d{4})(?:\s*[-–/]\s*(\d{2}|\d{4}))?$")


def words(value: Any) -> str:
    return _PUNCT.sub(" ", fold(as_text(value))).strip()


def parse_school_year(value: Any) -> int:
    """2017, 2017.0, "2017", "2017-2018", "2017 – 2018", "2017/2018", "2017-18" → 2017; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    m = _YEAR.match(as_text(value).strip())
    if not m:
        raise ValueError(value)
    start = int(m.group(1))
    if m.group(2):
        end = int(m.group(2))
        if (len(m.group(2)) == 2 and end != (start + 1) % 100) or (len(m.group(2)) == 4 and end != start + 1):
            raise ValueError(value)
    return start


# --- what checking needs -------------------------------------------------------------------------


@dataclass(frozen=True)
class Candidate:
    person_id: int
    full_name: str
    date_of_birth: date | None


@dataclass(frozen=True)
class UnitRef:
    id: int
    path: str
    name: str


@dataclass
class HistoricContext:
    """The people who work or have worked under the job's unit, their units by year, the units under
    it, the regimes, and the results already recorded for these people: gathered once per file."""

    root: UnitRef
    by_code: dict[str, Candidate]
    by_pid: dict[str, Candidate]
    by_name_dob: dict[tuple[str, date | None], list[Candidate]]
    jobs: dict[int, dict[int, UnitRef]]  # person → school year → unit (anywhere)
    units_by_code: dict[str, UnitRef]
    units_by_name: dict[str, UnitRef]
    regimes: list[Regime]
    current_regime: Regime | None
    years: set[int]  # school years the database knows
    existing: dict[tuple[int, int], str]  # (person, year) → the source of the result recorded

    def regime_for(self, year: int) -> Regime | None:
        found = [r for r in self.regimes if r.first_year <= year and (r.last_year is None or r.last_year >= year)]
        return max(found, key=lambda r: r.first_year) if found else None


@dataclass
class HistoricRow:
    """A checked row, ready to write."""

    row: int
    person_id: int
    school_year_id: int
    unit_id: int
    regime_id: int
    category: str
    label: str
    completed: bool
    average: Decimal | None
    components: dict[str, Any]
    note: str


@dataclass
class CheckedHistoric(Checked[HistoricRow]):
    key: tuple[int, int] | None = None  # (person, year) when both were found
    name: str = ""
    extra: list[str] = field(default_factory=list)


def historic_context(*, unit: Unit) -> HistoricContext:
    """Everyone employed under `unit` in any school year (the staff code is their account's user
    name), their unit in each year, the units under `unit`, the regimes, the results recorded."""
    employments = list(
        Employment.objects.within(unit.path)
        .select_related("person", "person__user")
        .only(
            "person_id",
            "school_year_id",
            "unit_id",
            "person__family_name",
            "person__middle_name",
            "person__given_name",
            "person__date_of_birth",
            "person__personal_id",
            "person__user__username",
        )
    )
    people: dict[int, Any] = {e.person_id: e.person for e in employments}
    by_code: dict[str, Candidate] = {}
    by_pid: dict[str, Candidate] = {}
    by_name_dob: dict[tuple[str, date | None], list[Candidate]] = defaultdict(list)
    for p in people.values():
        c = Candidate(p.pk, p.full_name, p.date_of_birth)
        if p.user_id and p.user is not None:
            by_code[p.user.username.upper()] = c
        if p.personal_id:
            by_pid[p.personal_id] = c
        by_name_dob[(fold(p.full_name), p.date_of_birth)].append(c)
    units = {
        u.pk: UnitRef(u.pk, u.path, u.name)
        for u in Unit.objects.within(unit.path).exclude(kind=UnitKind.INSTITUTION).only("pk", "path", "name", "code")
    }
    codes = dict(Unit.objects.filter(pk__in=units).values_list("code", "pk"))
    jobs: dict[int, dict[int, UnitRef]] = defaultdict(dict)
    for person_id, year, unit_id, path, name in Employment.objects.filter(person_id__in=people).values_list(
        "person_id", "school_year_id", "unit_id", "unit__path", "unit__name"
    ):
        jobs[person_id][year] = UnitRef(unit_id, path, name)
    regimes = list(Regime.objects.all())
    existing = {
        (p, y): s
        for p, y, s in YearResult.objects.filter(person_id__in=people).values_list(
            "person_id", "school_year_id", "source"
        )
    }
    ctx = HistoricContext(
        root=UnitRef(unit.pk, unit.path, unit.name),
        by_code=by_code,
        by_pid=by_pid,
        by_name_dob=dict(by_name_dob),
        jobs=dict(jobs),
        units_by_code={code.upper(): units[pk] for code, pk in codes.items() if code},
        units_by_name={fold(u.name): u for u in units.values()},
        regimes=regimes,
        current_regime=None,
        years=set(SchoolYear.objects.values_list("pk", flat=True)),
        existing=existing,
    )
    ctx.current_regime = ctx.regime_for(school_year_current().pk)
    return ctx


# --- checking a row --------------------------------------------------------------------------------


class _Row:
    def __init__(self, raw: RawRow) -> None:
        self.raw = raw
        self.problems: list[Problem] = []

    def add(self, key: str, code: str, message: str, value: Any = None, severity: str = "error") -> None:
        shown = as_text(self.raw.values.get(key) if value is None else value)
        self.problems.append(Problem(self.raw.number, key, shown[:100], code, message, severity))  # type: ignore[arg-type]

    @property
    def failed(self) -> bool:
        return any(p.is_error for p in self.problems)


def _match(r: _Row, ctx: HistoricContext) -> Candidate | None:
    raw = r.raw
    code = as_digits(raw.values["staff_code"]).strip().upper() if "staff_code" in raw.values else ""
    pid = as_digits(raw.values["personal_id"]) if "personal_id" in raw.values else ""
    name = raw.text("full_name")
    if code:
        found = ctx.by_code.get(code)
        if found is not None:
            return found
    if pid:
        found = ctx.by_pid.get(pid)
        if found is not None:
            return found
    dob: date | None = None
    if "date_of_birth" in raw.values:
        try:
            dob = as_date(raw.values["date_of_birth"])
        except (ValueError, OverflowError):
            r.add("date_of_birth", "date.invalid", _("Not a date: write dd/mm/yyyy."))
            return None
    if name and dob:
        candidates = ctx.by_name_dob.get((fold(name), dob), [])
        if len(candidates) == 1:
            return candidates[0]
        if len(candidates) > 1:
            r.add(
                "full_name",
                "person.ambiguous",
                _("Several people have this name and date of birth: add their staff code or ID number."),
            )
            return None
    if not (code or pid or name):
        message = _("The row names nobody: give the staff code, the ID number, or the name.")
        r.add("full_name", "person.missing", message)
        return None
    key = "staff_code" if code else "personal_id" if pid else "full_name"
    r.add(
        key,
        "person.unknown",
        _(
            "Not found among the people who work or have worked in %(unit)s: check the staff code, the ID number, "
            "or the name with the date of birth."
        )
        % {"unit": ctx.root.name},
    )
    return None


def _scores(r: _Row) -> dict[str, Any]:
    """nd1, nd2 and the nd3 modules given on the row (errors for what is not a score)."""
    raw = r.raw
    out: dict[str, Any] = {}
    for key in ("nd1", "nd2"):
        if key in raw.values and raw.text(key).strip():
            try:
                out[key] = parse_score(raw.values[key])
            except ValueError:
                r.add(key, "score.invalid", _("Not a score: write a number from 0 to 10 (for example 8,5)."))
    modules: list[Decimal] = []
    cells = [("nd3", raw.values.get("nd3"))] + [(f"nd3_{n}", raw.values.get(f"nd3_{n}")) for n in range(1, 9)]
    for key, value in cells:
        if value is None or as_text(value).strip() == "":
            continue
        parts = [value] if not isinstance(value, str) else [p for p in value.split(";") if p.strip()]
        for part in parts:
            try:
                modules.append(parse_score(part))
            except ValueError:
                r.add(
                    key,
                    "score.invalid",
                    _("Not a score: write a number from 0 to 10; several modules separated by “;” (8,5; 7)."),
                    value=part,
                )
    if modules:
        out["nd3"] = modules
    return out


def _text_components(scores: dict[str, Any]) -> dict[str, Any]:
    return {k: ([f"{v:.2f}" for v in val] if isinstance(val, list) else f"{val:.2f}") for k, val in scores.items()}


def check_row(raw: RawRow, ctx: HistoricContext) -> CheckedHistoric:
    """Check one row: whose and which year it is, the unit, the scores, the classification."""
    r = _Row(raw)
    for key in raw.undecodable:
        r.add(key, "text.undecodable", _("This cell mixes the old TCVN3 (.VnTime) encoding with Unicode. Retype it."))
    person = _match(r, ctx)
    year: int | None = None
    regime: Regime | None = None
    if "school_year" not in raw.values:
        r.add("school_year", "year.missing", _("The school year is missing: write it as 2017-2018."))
    else:
        try:
            year = parse_school_year(raw.values["school_year"])
        except ValueError:
            r.add("school_year", "year.invalid", _("Not a school year: write it as 2017-2018 (or 2017)."))
    if year is not None:
        regime = ctx.regime_for(year)
        label = f"{year}-{year + 1}"
        if regime is None or year not in ctx.years:
            r.add("school_year", "year.no_regime", _("No BDTX regime covers the school year %(y)s.") % {"y": label})
            regime = None
        elif ctx.current_regime is not None and regime.first_year >= ctx.current_regime.first_year:
            r.add(
                "school_year",
                "year.not_historic",
                _(
                    "%(y)s falls under %(regime)s, whose results are computed here from the year's data: only the "
                    "results of earlier years are imported."
                )
                % {"y": label, "regime": regime.name},
            )
            regime = None
    unit = _unit(r, ctx, person, year)
    scores = _scores(r)
    given = _classification(r, regime)
    average_given: Decimal | None = None
    if "average" in raw.values and raw.text("average").strip():
        try:
            average_given = parse_score(raw.values["average"])
        except ValueError:
            r.add("average", "average.invalid", _("Not an average: write a number from 0 to 10."))
    person_year = (person.person_id, year) if person is not None and year is not None else None
    name = person.full_name if person is not None else raw.text("full_name")
    if person_year is not None and ctx.existing.get(person_year) == ResultSource.COMPUTED:
        r.add(
            "school_year",
            "result.computed",
            _("%(name)s already has a result computed here for %(y)s: it is not replaced by an imported one.")
            % {"name": name, "y": f"{year}-{(year or 0) + 1}"},
        )
    if r.failed or person is None or year is None or regime is None or unit is None:
        return CheckedHistoric(raw.number, None, r.problems, person_year, name)
    components = _text_components(scores)
    complete_scores = all(k in scores for k in ("nd1", "nd2", "nd3"))
    grade = None
    if complete_scores:
        grade = grade_compute(regime=regime, scores=scores)
        if given is not None and given != grade.category:
            r.add(
                "classification",
                "classification.differs",
                _(
                    "The file says “%(file)s” but the scores give “%(computed)s” by %(regime)s: “%(computed)s” "
                    "is recorded."
                )
                % {"file": raw.text("classification"), "computed": grade.label, "regime": regime.name},
                severity=WARNING,
            )
        differs = average_given is not None and grade.average is not None
        if differs and abs(average_given - grade.average) > AVERAGE_TOLERANCE:  # type: ignore[operator]
            r.add(
                "average",
                "average.differs",
                _(
                    "The file's average differs from the one the scores give (%(computed)s): the computed one "
                    "is recorded."
                )
                % {"computed": f"{grade.average}".replace(".", ",")},
                severity=WARNING,
            )
        category, average = grade.category, grade.average
    elif given is not None:
        if scores:
            r.add(
                "nd1" if "nd1" not in scores else "nd2" if "nd2" not in scores else "nd3",
                "scores.incomplete",
                _("Not every component has a score: the file's classification is recorded as it is."),
                value="",
                severity=WARNING,
            )
        category, average = given, average_given
    else:
        missing = [k for k in ("nd1", "nd2", "nd3") if k not in scores]
        r.add(
            missing[0] if missing else "classification",
            "result.missing",
            _("Give the scores of nd1, nd2 and nd3, or the classification (Giỏi, Khá, Trung bình, Không hoàn thành)."),
            value="",
        )
        return CheckedHistoric(raw.number, None, r.problems, person_year, name)
    cat = next(c for c in regime.result_categories if c.get("code") == category)
    record = HistoricRow(
        row=raw.number,
        person_id=person.person_id,
        school_year_id=year,
        unit_id=unit.id,
        regime_id=regime.pk,
        category=category,
        label=cat.get("label", category),
        completed=bool(cat.get("completed")),
        average=average,
        components=components,
        note=raw.text("note")[:1000],
    )
    return CheckedHistoric(raw.number, record, r.problems, person_year, name)


def _classification(r: _Row, regime: Regime | None) -> str | None:
    """The category code of the file's classification (None when the cell is empty)."""
    text = r.raw.text("classification")
    if not text.strip():
        return None
    code = CLASS_WORDS.get(words(text))
    known = {c.get("code") for c in (regime.result_categories if regime is not None else [])}
    if code is None or (regime is not None and code not in known):
        r.add(
            "classification",
            "classification.unknown",
            _("Not a classification: write Giỏi, Khá, Trung bình (TB) or Không hoàn thành."),
        )
        return None
    return code


def _unit(r: _Row, ctx: HistoricContext, person: Candidate | None, year: int | None) -> UnitRef | None:
    """The unit of the result: the file's unit (code or name, under the job's unit), else where the
    person worked that year, else their latest unit; it must lie under the job's unit."""
    text = r.raw.text("unit").strip()
    if text:
        found = ctx.units_by_code.get(text.upper()) or ctx.units_by_name.get(fold(text))
        if found is None:
            r.add("unit", "unit.unknown", _("Unknown unit, or one outside %(unit)s.") % {"unit": ctx.root.name})
        return found
    if person is None or year is None:
        return None
    jobs = ctx.jobs.get(person.person_id, {})
    unit = jobs.get(year) or (jobs[max(jobs)] if jobs else None)
    if unit is None or not unit.path.startswith(ctx.root.path):
        r.add(
            "school_year",
            "unit.outside",
            _("That year this person worked outside %(unit)s: name the unit in the “Mã trường” column.")
            % {"unit": ctx.root.name},
        )
        return None
    return unit


def duplicate_rows(rows: list[CheckedHistoric]) -> None:
    """The same person and year on two rows: every later row is an error."""
    seen: dict[tuple[int, int], int] = {}
    for c in rows:
        if c.key is None:
            continue
        first = seen.setdefault(c.key, c.row)
        if first != c.row:
            message = _("%(name)s already has a result for this school year on row %(row)d.") % {
                "name": c.name,
                "row": first,
            }
            c.reject(Problem(c.row, "school_year", "", "result.duplicate", message))


# --- writing -------------------------------------------------------------------------------------


def historic_results_write(*, scope: Scope, unit: Unit, rows: list[HistoricRow], filename: str) -> tuple[int, int]:
    """Write the checked rows as imported, recognised results (see the module's docstring): new ones
    created, earlier imports of the same person and year updated; a result computed here since the
    check is left alone. RESULTS_RECOGNISE over `unit`; one audit entry per result, in the caller's
    transaction. Returns (created, updated)."""
    scope.require(Perm.RESULTS_RECOGNISE, unit.path)
    found = {
        (r.person_id, r.school_year_id): r
        for r in YearResult.objects.filter(person_id__in={row.person_id for row in rows}).select_related("unit")
    }
    now = timezone.now()
    created = updated = 0
    units = {u.pk: u for u in Unit.objects.filter(pk__in={row.unit_id for row in rows})}
    for row in rows:
        values = {
            "unit_id": row.unit_id,
            "regime_id": row.regime_id,
            "category": row.category,
            "label": row.label,
            "completed": row.completed,
            "average": row.average,
            "components": row.components,
            "note": row.note,
            "reasons": [],
            "source": ResultSource.IMPORTED,
            "status": ResultStatus.RECOGNISED,
            "recognised_by_id": scope.user_id,
            "recognised_at": now,
            "recognised_unit_id": unit.pk,
        }
        result = found.get((row.person_id, row.school_year_id))
        if result is not None and result.source != ResultSource.IMPORTED:
            continue
        if result is None:
            result = YearResult.objects.create(person_id=row.person_id, school_year_id=row.school_year_id, **values)
            created += 1
            before: dict[str, Any] = {}
        else:
            before = {"label": result.label, "average": str(result.average or "")}
            YearResult.objects.filter(pk=result.pk).update(updated_at=now, **values)
            updated += 1
        audit_record(
            actor_id=scope.user_id,
            action="results.import",
            obj=result,
            object_repr=f"{row.school_year_id}-{row.school_year_id + 1}: {row.label}",
            unit_path=units[row.unit_id].path,
            changes={
                "label": [before.get("label"), row.label],
                "average": [before.get("average") or None, str(row.average) if row.average is not None else None],
            },
            source=AuditLog.Source.IMPORT,
            note=f"{filename} row {row.row}"[:255],
        )
    return created, updated


# --- the template ----------------------------------------------------------------------------------

TEMPLATE_HEADER = [
    "STT",
    "Mã cán bộ",
    "Họ và tên",
    "Ngày sinh",
    "Số định danh cá nhân",
    "Năm học",
    "Mã trường",
    "Điểm ND1",
    "Điểm ND2",
    "Điểm ND3 (các mô đun, cách nhau bằng ;)",
    "Điểm trung bình",
    "Xếp loại",
    "Ghi chú",
]


def historic_template_xlsx(*, unit_name: str) -> bytes:
    """The blank file: title rows, the header, an example row (skipped on import), and a help sheet."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "template.xlsx"
        wb = new_workbook(path)
        tw = TextWriter(wb)
        title = tw.format({"bold": True, "font_size": 14})
        head = tw.format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"})
        example = tw.format({"italic": True, "font_color": "#7F7F7F"})
        ws = wb.add_worksheet("Kết quả BDTX")
        tw.write(ws, 0, 0, unit_name.upper(), title)
        tw.write(ws, 1, 0, "KẾT QUẢ BỒI DƯỠNG THƯỜNG XUYÊN CÁC NĂM HỌC TRƯỚC (THÔNG TƯ 26/2012/TT-BGDĐT)", title)
        for c, text in enumerate(TEMPLATE_HEADER):
            tw.write(ws, 3, c, text, head)
        sample = ["Ví dụ", "GV001", "Nguyễn Thị An", "05/09/1985", "", "2017-2018", "", "8,5", "8", "9; 8,5"]
        sample += ["", "Khá", ""]
        for c, text in enumerate(sample):
            tw.write_string(ws, 4, c, text, example)
        ws.set_row(3, 45)
        ws.set_column(0, 0, 6)
        ws.set_column(1, 1, 12)
        ws.set_column(2, 2, 24)
        ws.set_column(3, 8, 12)
        ws.set_column(9, 9, 22)
        ws.set_column(10, 12, 14)
        helps = wb.add_worksheet("Hướng dẫn")
        lines = [
            "Mỗi dòng là kết quả BDTX của một người trong một năm học (năm học 2012-2013 đến 2019-2020).",
            "Tìm người theo Mã cán bộ (tên tài khoản), hoặc Số định danh cá nhân, hoặc Họ và tên cùng Ngày sinh.",
            "Năm học: ghi 2017-2018 hoặc 2017. Mã trường: để trống thì lấy đơn vị công tác của người đó năm ấy.",
            "Điểm theo thang 10. ND3: điểm từng mô đun, cách nhau bằng dấu chấm phẩy, "
            "hoặc mỗi mô đun một cột (MĐ1, MĐ2…).",
            "Có đủ điểm ND1, ND2, ND3 thì hệ thống tự xếp loại theo Thông tư 26/2012; "
            "Xếp loại ghi trong tệp chỉ để đối chiếu.",
            "Không có điểm thì ghi Xếp loại: Giỏi, Khá, Trung bình (TB) hoặc Không hoàn thành.",
            "Dòng có chữ “Ví dụ” ở cột STT được bỏ qua.",
        ]
        for r, text in enumerate(lines):
            tw.write_string(helps, r, 0, text)
        helps.set_column(0, 0, 110)
        ws.activate()
        wb.close()
        return path.read_bytes()


# --- the importer ----------------------------------------------------------------------------------


class HistoricResultsImporter(Importer[HistoricContext, HistoricRow]):
    """Year results of the school years before this system (TT 26/2012), from an office's spreadsheet."""

    key = "historic_results"
    label = gettext_lazy("Results of earlier years")
    title = gettext_lazy("Import the BDTX results of earlier years")
    permission = Perm.RESULTS_RECOGNISE
    fields = FIELDS
    required_any = PERSON_KEYS
    no_table_message = gettext_lazy(
        "No results table was found: the first 15 rows of every sheet were searched for a header row with "
        "“Mã cán bộ” or “Họ và tên”, “Năm học”, “Điểm ND1”, “Điểm ND2”, “Điểm ND3” and “Xếp loại”. Use the template."
    )
    sensitive_keys = frozenset({"personal_id"})
    warns = True
    asks_school_year = False  # each row names its school year
    unit_help = gettext_lazy("People are looked for among those who work or have worked in this unit and below it.")
    created_label = gettext_lazy("results added")
    updated_label = gettext_lazy("results updated")
    has_template = True
    help_template = "results/historic_import_help.html"
    upload_action = "results.history_upload"
    confirm_action = "results.history_confirm"
    write_action = "results.history_import"

    def check_permission(self, scope: Scope, unit: Any) -> None:
        scope.require(Perm.RESULTS_RECOGNISE, unit.path)

    def unit_choices(self, scope: Scope) -> QuerySet[Unit]:
        return (
            Unit.objects.visible_to(scope, Perm.RESULTS_RECOGNISE)
            .exclude(kind=UnitKind.INSTITUTION)
            .order_by("depth", "name")
        )

    def may_import(self, scope: Scope) -> bool:
        return scope.has_anywhere(Perm.RESULTS_RECOGNISE)

    def upload_note(self, job: JobInfo) -> str:
        return ""

    def template(self, scope: Scope) -> Template:
        first = self.unit_choices(scope).first()
        return Template(historic_template_xlsx(unit_name=first.name if first else ""), "mau-ket-qua-bdtx-cac-nam.xlsx")

    def prepare(self, job: JobInfo, scope: Scope, layout: Layout) -> HistoricContext:
        return historic_context(unit=job.unit)

    def layout_problems(self, layout: Layout, ctx: HistoricContext) -> list[Problem]:
        row = layout.header_rows[-1] if layout.header_rows else 0
        out = []
        if not layout.has("school_year"):
            message = _("The file has no “Năm học” (school year) column.")
            out.append(Problem(row, "school_year", "", "column.missing", message))
        if not any(layout.has(k) for k in (*SCORE_KEYS, "classification")):
            out.append(
                Problem(
                    row,
                    "classification",
                    "",
                    "column.missing",
                    _("The file has neither score columns (“Điểm ND1”, “Điểm ND2”, “Điểm ND3”) nor “Xếp loại”."),
                )
            )
        return out

    def check_row(self, raw: RawRow, ctx: HistoricContext) -> CheckedHistoric:
        return check_row(raw, ctx)

    def check_file(self, rows: list[Checked[HistoricRow]], ctx: HistoricContext) -> None:
        duplicate_rows(rows)  # type: ignore[arg-type]  # check_row made them

    def write(self, job: JobInfo, records: list[HistoricRow], *, scope: Scope) -> Written:
        created, updated = historic_results_write(
            scope=scope, unit=job.unit, rows=records, filename=job.original_filename
        )
        return Written(created, updated, note=f"{job.original_filename}: {len(records)} rows")


ACTIONS = [
    AuditAction("results.history_upload", gettext_lazy("File of earlier years' results uploaded")),
    AuditAction(
        "results.history_confirm", gettext_lazy("Import of earlier years' results confirmed"), notes=(ONLY_VALID,)
    ),
    AuditAction(
        "results.history_import",
        gettext_lazy("Earlier years' results imported"),
        fields={**SUMMARY_FIELDS, "created": gettext_lazy("results added"), "updated": gettext_lazy("results updated")},
        notes=(NotePattern(r"(?P<file>.*): (?P<rows>\d+) rows", gettext_lazy("%(file)s: %(rows)s rows")),),
    ),
    AuditAction(
        "results.import",
        gettext_lazy("Result of an earlier year imported"),
        fields={"label": gettext_lazy("year result"), "average": gettext_lazy("average")},
        notes=(NotePattern(r"(?P<file>.*) row (?P<row>\d+)", gettext_lazy("%(file)s, row %(row)s")),),
    ),
]
