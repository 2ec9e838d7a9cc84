"""Reading and checking a catalog .xlsx: the module rows an office completed from the official appendix.

The table is found and its columns mapped by `bdtx.imports.parsing` (title rows, two-row headers
such as “Thời lượng” over “LT | TH”, TCVN3 text). Every row is checked here without writing
anything; `services.catalog_import_*` decides what to write.
"""

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bdtx.catalog.models import Catalog, Confidence, Module
from bdtx.core.text import fold, nfc
from bdtx.imports.parsing import Field, FileProblem, Layout, RawRow, as_text, open_workbook, read_table
from bdtx.organisations.models import SchoolLevel
from bdtx.people.models import Audience

MAX_HOURS = 999
_HOURS_CHILDREN = {
    "lt": "hours_theory",
    "ly thuyet": "hours_theory",
    "theory": "hours_theory",
    "th": "hours_practice",
    "thuc hanh": "hours_practice",
    "practice": "hours_practice",
    "tong": "hours_total",
    "tong so": "hours_total",
    "cong": "hours_total",
    "total": "hours_total",
}

# Order matters for `contains`: the specific hour columns before the total.
FIELDS = [
    Field("stt", exact=("stt", "tt", "so tt", "no")),
    Field("code", exact=("ma", "ma mo dun", "ma module", "ma modun", "code", "module code"), contains=("ma mo dun",)),
    Field(
        "title",
        exact=("ten", "ten mo dun", "ten module", "title", "module", "mo dun", "noi dung", "ten noi dung"),
        contains=("ten mo dun", "ten module"),
    ),
    Field("audience", exact=("doi tuong", "doi tuong boi duong", "audience")),
    Field("levels", exact=("cap hoc", "cap", "school levels", "levels")),
    Field(
        "hours_theory",
        exact=("ly thuyet", "lt", "so tiet ly thuyet", "theory periods", "theory"),
        contains=("ly thuyet",),
    ),
    Field(
        "hours_practice",
        exact=("thuc hanh", "so tiet thuc hanh", "practice periods", "practice"),
        contains=("thuc hanh",),
    ),
    Field(
        "hours_total",
        exact=("so tiet", "tong so tiet", "thoi luong", "thoi luong tiet", "tong", "periods", "total periods"),
        contains=("tong so tiet", "thoi luong"),
        children=_HOURS_CHILDREN,
    ),
    Field(
        "criteria",
        exact=("tieu chi", "tieu chi chuan", "criteria", "criteria it serves", "tieu chi dap ung"),
        contains=("tieu chi",),
    ),
    Field(
        "outcomes",
        exact=("yeu cau can dat", "required outcomes", "muc tieu", "outcomes"),
        contains=("yeu cau can dat",),
    ),
    Field("source", exact=("nguon", "source", "nguon tham khao")),
    Field("confidence", exact=("do tin cay", "confidence", "muc do xac minh")),
    Field("active", exact=("dang ap dung", "offered", "active", "ap dung")),
]
REQUIRED = frozenset({"code"})
HOUR_KEYS = ("hours_total", "hours_theory", "hours_practice")
TEXT_KEYS = ("outcomes", "source")
LABELS = {
    "code": gettext_lazy("Module code"),
    "title": gettext_lazy("Module title"),
    "audience": gettext_lazy("Audience"),
    "levels": gettext_lazy("School levels"),
    "hours_total": gettext_lazy("Periods"),
    "hours_theory": gettext_lazy("Theory periods"),
    "hours_practice": gettext_lazy("Practice periods"),
    "criteria": gettext_lazy("Criteria (numbers)"),
    "outcomes": gettext_lazy("Required outcomes"),
    "source": gettext_lazy("Source"),
    "confidence": gettext_lazy("Confidence"),
    "active": gettext_lazy("Offered"),
}

_AUDIENCE_WORDS = {
    "giao vien pho thong": Audience.GVPT,
    "gv pho thong": Audience.GVPT,
    "can bo quan ly pho thong": Audience.QLPT,
    "cbql pho thong": Audience.QLPT,
    "giao vien mam non": Audience.GVMN,
    "gv mam non": Audience.GVMN,
    "can bo quan ly mam non": Audience.QLMN,
    "cbql mam non": Audience.QLMN,
}
_LEVEL_WORDS = {
    "mam non": SchoolLevel.MN,
    "tieu hoc": SchoolLevel.TH,
    "trung hoc co so": SchoolLevel.THCS,
    "trung hoc pho thong": SchoolLevel.THPT,
    "giao duc thuong xuyen": SchoolLevel.GDTX,
}
_CONFIDENCE_WORDS = {
    "da xac minh": Confidence.VERIFIED,
    "xac minh": Confidence.VERIFIED,
    "mot phan": Confidence.PARTIAL,
    "xac minh mot phan": Confidence.PARTIAL,
    "chua xac minh": Confidence.UNVERIFIED,
}
_YES = {"x", "co", "1", "yes", "true", "dang ap dung", "ap dung"}
_NO = {"khong", "0", "no", "false", "ngung", "ngung ap dung"}
_SPLIT = re.compile(r"[,;/\s]+")
_CRITERION = re.compile(r"\d+")


@dataclass(frozen=True)
class Problem:
    row: int  # Excel row number (0 for the file as a whole)
    column: str  # column letter, or "" for the row or the file
    header: str
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "header": self.header,
            "value": self.value,
            "message": self.message,
        }


@dataclass
class ModuleRow:
    """One checked row: the values to write. A key is absent when its column is not in the file."""

    number: int
    code: str
    values: dict[str, Any] = field(default_factory=dict)
    criteria: list[int] | None = None  # criterion ids; None: the file has no criteria column


@dataclass
class CheckContext:
    catalog_audience: str
    criteria_by_number: dict[int, int] | None  # None: no standard framework for the audience
    layout: Layout


@dataclass
class CheckResult:
    total: int = 0
    rows: list[ModuleRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def error_rows(self) -> int:
        return len({p.row for p in self.problems if p.row})


def _choice(text: str, values: list[str], words: Mapping[str, str]) -> str | None:
    upper = text.strip().upper()
    for v in values:
        if upper == v.upper():
            return v
    return words.get(fold(text).strip())


def parse_hours(value: Any) -> int | None:
    """A periods cell → whole number, None when blank; ValueError for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(value)
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = as_text(value).strip()
        if not text.isdigit():
            raise ValueError(text)
        number = int(text)
    if not 0 <= number <= MAX_HOURS:
        raise ValueError(value)
    return number


def read_rows(source: IO[bytes]) -> tuple[Layout, Iterator[RawRow]]:
    """Find the table of modules in the workbook (FileProblem with a message the user can act on)."""
    open_workbook(source).close()  # not an .xlsx, damaged, password-protected: its own message
    source.seek(0)
    try:
        table = read_table(source, FIELDS, required_any=REQUIRED)
    except FileProblem:
        raise FileProblem(
            _(
                "No table of modules was found: the first 15 rows of every sheet were searched for a header row "
                "with columns such as “Mã mô đun”, “Tên mô đun”, “Số tiết”. Start from a catalog exported here."
            )
        ) from None
    return table.layout, table.rows


def check_file(source: IO[bytes], *, catalog: Catalog, criteria_by_number: dict[int, int] | None) -> CheckResult:
    """Check every row of the file against the catalog; FileProblem if the file has no usable table."""
    layout, rows = read_rows(source)
    result = CheckResult()
    if not layout.has("title"):
        result.problems.append(Problem(0, "", "", "", _("The file has no column of module titles (“Tên mô đun”).")))
        return result
    ctx = CheckContext(catalog_audience=catalog.audience, criteria_by_number=criteria_by_number, layout=layout)
    seen: dict[str, int] = {}
    for raw in rows:
        result.total += 1
        checked, problems = check_row(raw, ctx)
        if checked is not None:
            first = seen.get(checked.code.upper())
            if first is not None:
                problems.append(
                    _problem(raw, layout, "code", _("The code appears again: row %(r)s has it too.") % {"r": first})
                )
            else:
                seen[checked.code.upper()] = raw.number
        if problems:
            result.problems += problems
        elif checked is not None:
            result.rows.append(checked)
    return result


def _problem(raw: RawRow, layout: Layout, key: str, message: str) -> Problem:
    col = layout.column(key)
    return Problem(
        row=raw.number,
        column=col.letter if col else "",
        header=col.header if col else str(LABELS.get(key, key)),
        value=raw.text(key)[:200],
        message=message,
    )


def check_row(raw: RawRow, ctx: CheckContext) -> tuple[ModuleRow | None, list[Problem]]:
    """One row → the values to write and the problems found (every problem, not just the first)."""
    layout = ctx.layout
    problems: list[Problem] = []

    def bad(key: str, message: str) -> None:
        problems.append(_problem(raw, layout, key, message))

    code = nfc(raw.text("code"))
    title = nfc(raw.text("title"))
    if not code:
        bad("code", _("The module code is missing."))
    elif len(code) > Module._meta.get_field("code").max_length:  # type: ignore[operator]
        bad("code", _("The module code is longer than 32 characters."))
    if not title:
        bad("title", _("The module title is missing."))
    elif len(title) > 500:
        bad("title", _("The module title is longer than 500 characters."))
    values: dict[str, Any] = {"title": title}

    audience_text = raw.text("audience")
    audience = ctx.catalog_audience
    if audience_text:
        found = _choice(audience_text, Audience.values, _AUDIENCE_WORDS)
        if found is None:
            bad("audience", _("Unknown audience: use GVPT, QLPT, GVMN or QLMN."))
        elif found != ctx.catalog_audience:
            bad(
                "audience",
                _("This catalog is for %(a)s; a module for %(b)s belongs in another catalog.")
                % {"a": ctx.catalog_audience, "b": found},
            )
    values["audience"] = audience

    if layout.has("levels"):
        levels: list[str] = []
        text = raw.text("levels")
        parts = [p for p in re.split(r"[,;/]+", text) if p.strip()]
        for part in parts:
            words = [w for w in _SPLIT.split(part) if w]
            found = _choice(part, SchoolLevel.values, _LEVEL_WORDS)
            if found is None and len(words) > 1:  # "TH THCS"
                many = [_choice(w, SchoolLevel.values, {}) for w in words]
                if all(many):
                    levels += [m for m in many if m]
                    continue
            if found is None:
                bad("levels", _("Unknown school level “%(v)s”: use MN, TH, THCS, THPT or GDTX.") % {"v": part.strip()})
            else:
                levels.append(found)
        values["levels"] = ",".join(["", *[lv for lv in SchoolLevel.values if lv in levels], ""]) if levels else ""

    hours: dict[str, int | None] = {}
    for key in HOUR_KEYS:
        if not layout.has(key):
            continue
        try:
            hours[key] = parse_hours(raw.values.get(key))
        except ValueError:
            bad(key, _("Periods are whole numbers from 0 to %(max)s.") % {"max": MAX_HOURS})
    if len(hours) == 3 and None not in hours.values():
        if (hours["hours_theory"] or 0) + (hours["hours_practice"] or 0) != hours["hours_total"]:
            bad(
                "hours_total",
                _("Theory (%(t)s) + practice (%(p)s) periods do not make the total (%(n)s).")
                % {"t": hours["hours_theory"], "p": hours["hours_practice"], "n": hours["hours_total"]},
            )
    elif (
        hours.get("hours_total") is None
        and hours.get("hours_theory") is not None
        and hours.get("hours_practice") is not None
        and "hours_total" in hours
    ):
        hours["hours_total"] = (hours["hours_theory"] or 0) + (hours["hours_practice"] or 0)
    values.update(hours)

    criteria: list[int] | None = None
    if layout.has("criteria"):
        criteria = []
        numbers = [int(n) for n in _CRITERION.findall(raw.text("criteria"))]
        if numbers and ctx.criteria_by_number is None:
            bad(
                "criteria",
                _("No professional standard is loaded for %(a)s: criteria cannot be linked.")
                % {"a": ctx.catalog_audience},
            )
        elif numbers and ctx.criteria_by_number is not None:
            unknown = [n for n in numbers if n not in ctx.criteria_by_number]
            if unknown:
                bad(
                    "criteria",
                    _("The standard for %(a)s has no criterion %(n)s.")
                    % {"a": ctx.catalog_audience, "n": ", ".join(str(n) for n in unknown)},
                )
            criteria = [ctx.criteria_by_number[n] for n in numbers if n in ctx.criteria_by_number]

    for key in TEXT_KEYS:
        if layout.has(key):
            values[key] = raw.text(key).strip()

    if text := raw.text("confidence"):
        found = _choice(text, Confidence.values, {**_CONFIDENCE_WORDS, **_label_words(Confidence)})
        if found is None:
            bad("confidence", _("Confidence is verified, partial or unverified."))
        else:
            values["confidence"] = found

    if text := raw.text("active"):
        folded = fold(text).strip()
        if folded in _YES:
            values["active"] = True
        elif folded in _NO:
            values["active"] = False
        else:
            bad("active", _("Write “x” for a module that is offered, “không” for one that is not."))

    for key in raw.undecodable:
        bad(key, _("The text could not be read (unknown encoding)."))
    if not code or problems:
        return (ModuleRow(number=raw.number, code=code) if code else None), problems
    return ModuleRow(number=raw.number, code=code, values=values, criteria=criteria), problems


def _label_words(choices: type[Confidence]) -> dict[str, str]:
    return {fold(str(label)): value for value, label in choices.choices}
