"""The catalog import: the module rows an office completed from the official appendix of a circular.

The table is found and its columns mapped by `bdtx.core.importing.parsing` (title rows, two-row
headers such as “Thời lượng” over “LT | TH”, TCVN3 text). Every row is checked here without
writing anything; `CatalogImporter.write` hands the valid rows to `services.module_bulk_upsert`,
which may create a new version of the catalog (a new circular) first.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bdtx.catalog.models import Catalog, Confidence, Module
from bdtx.catalog.selectors import framework_criteria
from bdtx.catalog.services import ModuleRow, NewVersion, catalog_new_version_check, module_bulk_upsert
from bdtx.core.forms import BootstrapFormMixin
from bdtx.core.importing.base import Checked, FileProblem, Importer, JobInfo, Problem, Written
from bdtx.core.importing.parsing import Field, Layout, RawRow, as_text
from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.core.text import fold, nfc
from bdtx.organisations.models import SchoolLevel, Unit
from bdtx.organisations.selectors import national_unit, require_national
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
        required=True,
        label="Tên mô đun",
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


@dataclass
class CheckContext:
    catalog_audience: str
    criteria_by_number: dict[int, int] | None  # None: no standard framework for the audience
    layout: Layout


@dataclass
class CheckedModule(Checked[ModuleRow]):
    code: str = ""  # also on rows with errors: a later row with the same code is a duplicate


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


def check_row(raw: RawRow, ctx: CheckContext) -> CheckedModule:
    """One row → the values to write and the problems found (every problem, not just the first)."""
    layout = ctx.layout
    problems: list[Problem] = []

    def bad(key: str, code: str, message: str) -> None:
        problems.append(Problem(raw.number, key, raw.text(key)[:200], code, message))

    code = nfc(raw.text("code"))
    title = nfc(raw.text("title"))
    if not code:
        bad("code", "code.missing", _("The module code is missing."))
    elif len(code) > Module._meta.get_field("code").max_length:  # type: ignore[operator]
        bad("code", "code.too_long", _("The module code is longer than 32 characters."))
    if not title:
        bad("title", "title.missing", _("The module title is missing."))
    elif len(title) > 500:
        bad("title", "title.too_long", _("The module title is longer than 500 characters."))
    values: dict[str, Any] = {"title": title}

    audience_text = raw.text("audience")
    audience = ctx.catalog_audience
    if audience_text:
        found = _choice(audience_text, Audience.values, _AUDIENCE_WORDS)
        if found is None:
            bad("audience", "audience.invalid", _("Unknown audience: use GVPT, QLPT, GVMN or QLMN."))
        elif found != ctx.catalog_audience:
            bad(
                "audience",
                "audience.other",
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
                bad(
                    "levels",
                    "levels.invalid",
                    _("Unknown school level “%(v)s”: use MN, TH, THCS, THPT or GDTX.") % {"v": part.strip()},
                )
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
            bad(key, "hours.invalid", _("Periods are whole numbers from 0 to %(max)s.") % {"max": MAX_HOURS})
    if len(hours) == 3 and None not in hours.values():
        if (hours["hours_theory"] or 0) + (hours["hours_practice"] or 0) != hours["hours_total"]:
            bad(
                "hours_total",
                "hours.sum",
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
                "criteria.no_standard",
                _("No professional standard is loaded for %(a)s: criteria cannot be linked.")
                % {"a": ctx.catalog_audience},
            )
        elif numbers and ctx.criteria_by_number is not None:
            unknown = [n for n in numbers if n not in ctx.criteria_by_number]
            if unknown:
                bad(
                    "criteria",
                    "criteria.unknown",
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
            bad("confidence", "confidence.invalid", _("Confidence is verified, partial or unverified."))
        else:
            values["confidence"] = found

    if text := raw.text("active"):
        folded = fold(text).strip()
        if folded in _YES:
            values["active"] = True
        elif folded in _NO:
            values["active"] = False
        else:
            bad("active", "active.invalid", _("Write “x” for a module that is offered, “không” for one that is not."))

    for key in raw.undecodable:
        bad(key, "text.undecodable", _("The text could not be read (unknown encoding)."))
    if not code or problems:
        return CheckedModule(raw.number, None, problems, code)
    return CheckedModule(
        raw.number, ModuleRow(number=raw.number, code=code, values=values, criteria=criteria), [], code
    )


def _label_words(choices: type[Confidence]) -> dict[str, str]:
    return {fold(str(label)): value for value, label in choices.choices}


def duplicate_code_problems(rows: list[CheckedModule]) -> None:
    """A code seen on an earlier row (valid or not) is an error on every later row that has it."""
    seen: dict[str, int] = {}
    for c in rows:
        if not c.code:
            continue
        first = seen.setdefault(c.code.upper(), c.row)
        if first != c.row:
            message = _("The code appears again: row %(r)s has it too.") % {"r": first}
            c.reject(Problem(c.row, "code", c.code[:200], "code.duplicate", message))


# --- the importer -------------------------------------------------------------------------------


class CatalogImportOptionsForm(BootstrapFormMixin, forms.Form):
    catalog = forms.ModelChoiceField(
        queryset=Catalog.objects.none(), to_field_name="uuid", label=gettext_lazy("Catalog")
    )
    new_version = forms.BooleanField(
        required=False,
        label=gettext_lazy("The file is a new circular's catalog: keep the current one for the years before"),
    )
    new_circular = forms.CharField(required=False, max_length=255, label=gettext_lazy("New circular (number, date)"))
    new_code = forms.CharField(required=False, max_length=32, label=gettext_lazy("Code of the new catalog"))
    new_name = forms.CharField(required=False, max_length=255, label=gettext_lazy("Name of the new catalog"))
    new_first_year = forms.IntegerField(
        required=False,
        min_value=2000,
        max_value=2100,
        label=gettext_lazy("First school year of the new catalog (start year)"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        catalog = self.fields["catalog"]
        catalog.queryset = Catalog.objects.order_by("code")
        catalog.label_from_instance = lambda c: f"{c.name} ({c.circular})"

    def clean(self):
        data = super().clean()
        if data.get("new_version"):
            for name in ("new_circular", "new_code", "new_first_year"):
                if not data.get(name):
                    self.add_error(name, _("Needed for a new catalog."))
        return data


def _new_version(data: Mapping[str, Any]) -> NewVersion | None:
    """The new version the options describe: a NewVersion, or the form's flat `new_*` fields."""
    new = data.get("new_version")
    if isinstance(new, NewVersion) or new is None or new is False:
        return new or None
    if isinstance(new, Mapping):
        return NewVersion(new["code"], new.get("name", ""), new["circular"], int(new["first_year"]))
    return NewVersion(
        (data.get("new_code") or "").strip(),
        data.get("new_name") or "",
        data.get("new_circular") or "",
        int(data.get("new_first_year") or 0),
    )


class CatalogImporter(Importer[CheckContext, ModuleRow]):
    """A module catalog completed or corrected from the official appendix; national catalog managers only."""

    key = "catalog"
    label = gettext_lazy("Module catalog")
    title = gettext_lazy("Import a catalog (.xlsx)")
    permission = Perm.CATALOG_MANAGE
    fields = FIELDS
    required_any = REQUIRED
    no_table_message = gettext_lazy(
        "No table of modules was found: the first 15 rows of every sheet were searched for a header row "
        "with columns such as “Mã mô đun”, “Tên mô đun”, “Số tiết”. Start from a catalog exported here."
    )
    sensitive_file = False  # module titles and periods: nothing personal
    asks_unit = False  # the ministry's
    asks_school_year = False  # a catalog runs from its own first school year
    created_label = gettext_lazy("modules added")
    updated_label = gettext_lazy("modules updated")
    help_template = "catalog/import_help.html"
    options_template = "catalog/_import_options.html"
    upload_action = "catalog_import.upload"
    confirm_action = "catalog_import.confirm"
    write_action = "catalog.import"

    def check_permission(self, scope: Scope, unit: Any) -> None:
        national = require_national(scope, Perm.CATALOG_MANAGE)
        if unit.pk != national.pk:
            raise PermissionDenied

    def may_import(self, scope: Scope) -> bool:
        return scope.has_anywhere(Perm.CATALOG_MANAGE) and super().may_import(scope)

    def unit_choices(self, scope: Scope) -> QuerySet[Unit]:
        national = national_unit()
        if national is None or not scope.has(Perm.CATALOG_MANAGE, national.path):
            return Unit.objects.none()
        return Unit.objects.filter(pk=national.pk)

    def options_form(self, data: Any = None, *, initial: Mapping[str, Any] | None = None) -> forms.Form:
        return CatalogImportOptionsForm(data, initial={"catalog": (initial or {}).get("catalog")})

    def clean_options(self, data: Mapping[str, Any], *, scope: Scope) -> dict[str, Any]:
        catalog = data.get("catalog")
        if not isinstance(catalog, Catalog):
            catalog = Catalog.objects.filter(uuid=catalog).first() if catalog else None
        if catalog is None:
            raise ValidationError({"catalog": _("Choose the catalog.")})
        new = _new_version(data)
        if new is not None:
            catalog_new_version_check(catalog, new)
        return {
            "catalog": str(catalog.uuid),
            "catalog_code": catalog.code,
            "catalog_name": catalog.name,
            "catalog_circular": catalog.circular,
            "catalog_first_year": catalog.first_year,
            "new_version": (
                {
                    "code": new.code.strip(),
                    "name": nfc(new.name) or catalog.name,
                    "circular": nfc(new.circular),
                    "first_year": new.first_year,
                }
                if new is not None
                else None
            ),
        }

    def describe(self, job: JobInfo) -> str:
        o = job.options
        text = f"{o.get('catalog_name', '')} ({o.get('catalog_circular', '')})"
        if new := o.get("new_version"):
            y = new["first_year"]
            starts = _("from %(y)s-%(z)s") % {"y": y, "z": y + 1}
            label = _("new catalog")
            text += f" → {label} {new['code']}, {new['circular']}, {starts}"
        return text

    def upload_note(self, job: JobInfo) -> str:
        new = job.options.get("new_version")
        return job.options.get("catalog_code", "") + (f" → {new['code']}" if new else "")

    def result_link(self, job: JobInfo) -> tuple[str, str]:
        o = job.options
        new = o.get("new_version")
        catalog = o.get("created_catalog") or o.get("catalog")
        year = new["first_year"] if new else o.get("catalog_first_year")
        return f"{reverse('catalog:modules')}?catalog={catalog}&year={year}", str(_("See its modules"))

    def _catalog(self, job: JobInfo) -> Catalog:
        uuid = job.options.get("catalog")
        catalog = Catalog.objects.filter(uuid=str(uuid)).first() if uuid else None
        if catalog is None:
            raise FileProblem(_("The catalog chosen on upload no longer exists."))
        return catalog

    def prepare(self, job: JobInfo, scope: Scope, layout: Layout) -> CheckContext:
        catalog = self._catalog(job)
        new = _new_version(job.options)
        year = new.first_year if new is not None else catalog.first_year
        criteria = framework_criteria(audience=catalog.audience, school_year=SchoolYear.of(year))
        return CheckContext(catalog_audience=catalog.audience, criteria_by_number=criteria, layout=layout)

    def check_row(self, raw: RawRow, ctx: CheckContext) -> CheckedModule:
        return check_row(raw, ctx)

    def check_file(self, rows: list[Checked[ModuleRow]], ctx: CheckContext) -> None:
        duplicate_code_problems(rows)  # type: ignore[arg-type]  # check_row made them

    def write(self, job: JobInfo, records: list[ModuleRow], *, scope: Scope) -> Written:
        new = _new_version(job.options)
        try:
            created, updated, target = module_bulk_upsert(
                scope=scope, catalog=self._catalog(job), rows=records, new_version=new
            )
        except ValidationError as e:  # the new version's code was taken since the upload
            raise FileProblem(" ".join(e.messages)) from None
        return Written(
            created,
            updated,
            note=_("%(c)s: %(n)s added, %(u)s updated") % {"c": target.code, "n": created, "u": updated},
            options={"created_catalog": str(target.uuid)} if new is not None else {},
        )
