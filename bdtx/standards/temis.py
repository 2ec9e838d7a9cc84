"""Reading TEMIS-style results files and checking each row.

A TEMIS export of a school or an office has title rows, then a header such as
"STT | Họ và tên | Ngày sinh | Số CCCD/Mã định danh | Tiêu chí 1 … Tiêu chí 15 | Xếp loại"
(sometimes "Tiêu chuẩn n" merged over its "Tiêu chí" columns, or "TC1" … "TC18"). Levels are
written "Tốt / Khá / Đạt / Chưa đạt" or "T / K / Đ / CĐ", in any case, with or without marks.
The sheet is found and read by the staff importer's reader (`imports.parsing`); this module
knows the columns and the levels. Checking is pure: the people, their jobs and the standards come
in a `TemisContext`, so the rules are tested without a database.
"""

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from bdtx.core.text import fold
from bdtx.imports.parsing import Field, Layout, RawRow, as_date, as_digits, as_text
from bdtx.standards.models import Criterion, Framework, Level, RatingRule
from bdtx.standards.rating import RatingOutcome, rating_explain

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


@dataclass(frozen=True)
class Problem:
    row: int
    key: str
    value: str
    message: str
    severity: str = "error"  # or "warning"


@dataclass
class TemisRecord:
    """A checked row ready to write."""

    row: int
    person_id: int
    unit_id: int
    framework_id: int
    levels: dict[int, int]  # criterion id → level
    outcome: RatingOutcome
    file_rating: Level | None


@dataclass
class RowResult:
    record: TemisRecord | None
    problems: list[Problem] = field(default_factory=list)


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
            problems.append(
                Problem(raw.number, "date_of_birth", raw.text("date_of_birth"), _("Not a date: write dd/mm/yyyy."))
            )
    if pid and (found := ctx.by_pid.get(pid)):
        if name and fold(name) != fold(found.full_name):
            problems.append(
                Problem(
                    raw.number,
                    "full_name",
                    name,
                    _("The ID number belongs to %(name)s: check that this row is theirs.") % {"name": found.full_name},
                    "warning",
                )
            )
        return found
    if not name:
        problems.append(Problem(raw.number, "full_name", "", _("The name is empty.")))
        return None
    candidates = ctx.by_name_dob.get((fold(name), dob), []) if dob else []
    if len(candidates) == 1:
        if pid:
            problems.append(
                Problem(
                    raw.number,
                    "personal_id",
                    pid,
                    _("No one has this ID number; matched by name and date of birth instead."),
                    "warning",
                )
            )
        return candidates[0]
    if len(candidates) > 1:
        problems.append(
            Problem(
                raw.number,
                "full_name",
                name,
                _("Several people have this name and date of birth: add their ID number to tell them apart."),
            )
        )
        return None
    problems.append(
        Problem(
            raw.number,
            "personal_id" if pid else "full_name",
            pid or name,
            _("Not found among the staff of %(unit)s in %(year)s: check the ID number, the name and the date of birth.")
            % {"unit": ctx.unit_name, "year": ctx.year_label},
        )
    )
    return None


def check_row(raw: RawRow, ctx: TemisContext, numbers: list[int], seen: dict[int, int]) -> RowResult:
    """Check one row: whose it is, their standard, a level for each of its criteria, the rating."""
    problems: list[Problem] = []
    staff = _match(raw, ctx, problems)
    file_rating: Level | None = None
    if raw.text("rating"):
        try:
            file_rating = parse_level(raw.values["rating"])
        except ValueError:
            problems.append(
                Problem(
                    raw.number,
                    "rating",
                    raw.text("rating"),
                    _("Not a rating: write Tốt, Khá, Đạt or Chưa đạt."),
                    "warning",
                )
            )
    if staff is None:
        return RowResult(None, problems)
    if staff.person_id in seen:
        problems.append(
            Problem(
                raw.number,
                "full_name",
                raw.text("full_name"),
                _("This person is already on row %(row)d.") % {"row": seen[staff.person_id]},
            )
        )
        return RowResult(None, problems)
    seen[staff.person_id] = raw.number
    info = ctx.standards.get(staff.framework_id) if staff.framework_id else None
    if info is None:
        problems.append(
            Problem(
                raw.number,
                "full_name",
                raw.text("full_name"),
                _("No professional standard applies to this person's job this school year."),
            )
        )
        return RowResult(None, problems)
    criteria = info.by_number()
    levels: dict[int, int] = {}
    for n in numbers:
        key = f"c{n}"
        text = raw.text(key)
        try:
            level = parse_level(raw.values.get(key))
        except ValueError:
            problems.append(
                Problem(raw.number, key, text, _("Not a level: write Tốt, Khá, Đạt or Chưa đạt (or T, K, Đ, CĐ)."))
            )
            continue
        criterion = criteria.get(n)
        if criterion is None:
            if level is not None:
                problems.append(
                    Problem(
                        raw.number,
                        key,
                        text,
                        _("%(standard)s has no criterion %(n)d recorded here: this level is left out.")
                        % {"standard": info.framework.circular, "n": n},
                        "warning",
                    )
                )
            continue
        if level is None:
            problems.append(Problem(raw.number, key, "", _("The level of criterion %(n)d is empty.") % {"n": n}))
            continue
        levels[criterion.pk] = level
    absent = [c.number for c in info.criteria if c.number not in numbers]
    if absent:
        problems.append(
            Problem(
                raw.number,
                "",
                "",
                _("The file has no column for criteria %(list)s of %(standard)s.")
                % {"list": ", ".join(map(str, absent)), "standard": info.framework.circular},
            )
        )
    if any(p.severity == "error" for p in problems):
        return RowResult(None, problems)
    outcome = rating_explain(framework=info.framework, levels=levels, criteria=info.criteria, rules=info.rules)
    if file_rating is not None and outcome.level is not None and file_rating != outcome.level:
        problems.append(
            Problem(
                raw.number,
                "rating",
                raw.text("rating"),
                _(
                    "The file says %(file)s but the criteria give %(computed)s by the rule of %(standard)s; "
                    "%(computed)s is recorded."
                )
                % {
                    "file": Level(file_rating).label,
                    "computed": Level(outcome.level).label,
                    "standard": info.framework.circular,
                },
                "warning",
            )
        )
    if staff.existing and staff.existing_source == "web":
        problems.append(
            Problem(
                raw.number,
                "full_name",
                raw.text("full_name"),
                _(
                    "This person already has an assessment entered here for this year; "
                    "the file's levels will replace the ones recorded there."
                ),
                "warning",
            )
        )
    return RowResult(
        TemisRecord(
            row=raw.number,
            person_id=staff.person_id,
            unit_id=staff.unit_id,
            framework_id=info.framework.pk,
            levels=levels,
            outcome=outcome,
            file_rating=file_rating,
        ),
        problems,
    )
