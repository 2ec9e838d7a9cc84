"""The staff list import: the columns it reads, the values it accepts, how each row is checked, and
the importer that writes the valid rows through `staff_bulk_upsert`.

Checking a row is pure: the database facts a row needs (ethnicity names, the unit chosen on
upload) come in a `StaffCheckContext`, so the rules can be tested without a database. Unit codes
and people working outside the uploader's scope are resolved for the whole file at once
(`StaffImporter.check_file`).
"""

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import QuerySet
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bdtx.core.importing.base import WARNING, Checked, FileProblem, Importer, JobInfo, Problem, Template, Written
from bdtx.core.importing.parsing import Field, Layout, RawRow, as_date, as_digits, as_text
from bdtx.core.models import AuditLog, SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.core.selectors import school_year_current
from bdtx.core.text import fold, split_full_name
from bdtx.organisations.models import SchoolLevel, Unit, UnitKind
from bdtx.organisations.selectors import has_authority_over_year
from bdtx.people.exporters import staff_template_xlsx
from bdtx.people.models import ContractType, Gender, Position
from bdtx.people.selectors import ethnicity_index, ethnicity_key, ethnicity_list, personal_ids_held_elsewhere
from bdtx.people.services import StaffRow, default_staff_type, staff_bulk_upsert
from bdtx.people.validators import personal_id_problem

LOOKUP_CHUNK = 5000
SCHOOL_KINDS = (UnitKind.SCHOOL, UnitKind.CENTRE)
TEMPLATE_UNIT_LIMIT = 5000

# Matched in order: the "_skip" field keeps look-alike columns ("Ngày cấp CCCD") from being taken.
FIELDS: list[Field] = [
    Field(
        "_skip",
        exact=("nu dan toc", "dtts", "dan toc thieu so", "nu dtts"),
        contains=("ngay cap", "noi cap", "noi sinh", "que quan", "dan toc thieu so", "nu dan toc", "ten truong"),
    ),
    Field("stt", exact=("stt", "tt", "so tt", "so thu tu")),
    Field(
        "family_middle",
        exact=("ho va ten dem", "ho dem", "ho va dem", "ho va chu dem", "ho va ten lot", "ho lot", "ho chu lot"),
    ),
    Field("full_name", exact=("ho va ten", "ho ten"), contains=("ho va ten", "ho ten")),
    Field("family_name", exact=("ho",)),
    Field("middle_name", exact=("ten dem", "dem", "chu dem", "ten lot", "lot")),
    Field("given_name", exact=("ten", "ten goi")),
    Field(
        "gender",
        exact=("gioi tinh", "gt", "phai", "gioi", "nam nu", "nam hay nu"),
        contains=("gioi tinh",),
        children={"nam": "gender_male", "nu": "gender_female"},
    ),
    Field("gender_female", exact=("nu", "gioi tinh nu")),
    Field(
        "date_of_birth",
        contains=("ngay sinh", "nam sinh", "sinh ngay", "ngay thang nam sinh"),
        children={"nam": "dob_male", "nu": "dob_female"},
    ),
    Field("ethnicity", contains=("dan toc",)),
    Field("personal_id", contains=("dinh danh", "cccd", "cmnd", "can cuoc", "cmtnd", "so cmt")),
    Field("phone", exact=("dt", "sdt", "so dt", "dtdd"), contains=("dien thoai", "sdt", "di dong")),
    Field("email", contains=("email", "e mail", "thu dien tu", "mail")),
    Field("unit_code", contains=("ma truong", "ma don vi", "ma dv", "ma co so")),
    Field("position", contains=("chuc vu",)),
    Field("school_level", exact=("cap",), contains=("cap hoc", "bac hoc")),
    Field("subjects", exact=("mon",), contains=("mon day", "mon giang day", "bo mon", "mon hoc")),
    Field("is_mentor", contains=("cot can",)),
    Field("contract_type", contains=("hop dong", "bien che", "hinh thuc tuyen dung", "loai hd")),
    Field(
        "difficult_area",
        exact=("vkk", "vung kk", "dbkk", "vung dbkk", "difficult area"),
        contains=("vung kho khan", "vung kk", "dac biet kho khan"),
    ),
]
NAME_KEYS = frozenset({"full_name", "given_name", "family_middle"})
GENDER_KEYS = frozenset({"gender", "gender_female", "gender_male", "dob_male", "dob_female"})
SENSITIVE_KEYS = frozenset({"personal_id", "ethnicity"})

# Accepted values, folded. The first spelling of each is the one the template offers.
GENDER_WORDS: dict[str, str] = {
    "nam": Gender.MALE,
    "nu": Gender.FEMALE,
    "m": Gender.MALE,
    "f": Gender.FEMALE,
    "male": Gender.MALE,
    "female": Gender.FEMALE,
    "trai": Gender.MALE,
    "gai": Gender.FEMALE,
}
POSITION_WORDS: dict[str, str] = {
    "gv": Position.TEACHER,
    "gvcn": Position.TEACHER,
    "ttcm": Position.GROUP_HEAD,
    "tpcm": Position.GROUP_DEPUTY,
    "tpt": Position.YOUTH_LEADER,
    "tpt doi": Position.YOUTH_LEADER,
    "pht": Position.VICE_PRINCIPAL,
    "p ht": Position.VICE_PRINCIPAL,
    "p hieu truong": Position.VICE_PRINCIPAL,
    "ht": Position.PRINCIPAL,
    "pgd": Position.VICE_DIRECTOR,
    "p giam doc": Position.VICE_DIRECTOR,
    "gd": Position.DIRECTOR,
    **{v.replace("_", " "): v for v in Position.values},
}
# Longest first, so "phó hiệu trưởng …" is not read as "hiệu trưởng".
POSITION_PREFIXES: list[tuple[str, str]] = [
    ("pho hieu truong", Position.VICE_PRINCIPAL),
    ("hieu truong", Position.PRINCIPAL),
    ("pho giam doc", Position.VICE_DIRECTOR),
    ("giam doc", Position.DIRECTOR),
    ("to truong", Position.GROUP_HEAD),
    ("to pho", Position.GROUP_DEPUTY),
    ("tong phu trach", Position.YOUTH_LEADER),
    ("giao vien", Position.TEACHER),
]
LEVEL_WORDS: dict[str, str] = {
    "mam non": SchoolLevel.MN,
    "mn": SchoolLevel.MN,
    "mau giao": SchoolLevel.MN,
    "nha tre": SchoolLevel.MN,
    "tieu hoc": SchoolLevel.TH,
    "th": SchoolLevel.TH,
    "trung hoc co so": SchoolLevel.THCS,
    "thcs": SchoolLevel.THCS,
    "trung hoc pho thong": SchoolLevel.THPT,
    "thpt": SchoolLevel.THPT,
    "giao duc thuong xuyen": SchoolLevel.GDTX,
    "gdtx": SchoolLevel.GDTX,
    "gdnn gdtx": SchoolLevel.GDTX,
}
CONTRACT_WORDS: dict[str, str] = {
    "bien che": ContractType.CIVIL_SERVANT,
    "bc": ContractType.CIVIL_SERVANT,
    "vien chuc": ContractType.CIVIL_SERVANT,
    "cong chuc": ContractType.CIVIL_SERVANT,
    "hop dong": ContractType.CONTRACT,
    "hd": ContractType.CONTRACT,
    "hdld": ContractType.CONTRACT,
    "hd68": ContractType.CONTRACT,
    "hd 68": ContractType.CONTRACT,
    "hop dong 68": ContractType.CONTRACT,
    "hop dong lao dong": ContractType.CONTRACT,
}
YES_WORDS = frozenset({"x", "co", "1", "yes", "true", "cot can", "v", "c"})
NO_WORDS = frozenset({"khong", "0", "no", "false", "k"})
# "Vùng khó khăn": yes, no, or — an empty cell, or the staff export's "Có (theo đơn vị)" — as the unit.
AREA_YES_WORDS = frozenset({"x", "co", "1", "yes", "true", "v", "c"})
AREA_AS_UNIT = ("theo don vi", "theo truong", "as the unit")

_PUNCT = re.compile(r"[^0-9a-z]+")
_NAME_BAD = re.compile(r"[\d@#$%^&*_=+<>{}\[\]|\\/;:!?\"]")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
# Addresses this simple are valid for Django's EmailValidator too; anything else goes through it.
_PLAIN_EMAIL = re.compile(
    r"^[A-Za-z0-9_%+-]+(\.[A-Za-z0-9_%+-]+)*@([A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)
MAX_NAME = 64
EARLIEST_BIRTH_YEAR = 1940
YOUNGEST_AGE = 16


@dataclass(frozen=True)
class UnitRef:
    """A unit the importer may write to."""

    id: int
    path: str
    levels: tuple[str, ...] = ()


def unit_ref(unit: Unit) -> UnitRef:
    return UnitRef(id=unit.pk, path=unit.path, levels=tuple(unit.level_list))


@dataclass
class StaffCheckContext:
    """What checking the rows needs from the database, gathered once per file.

    `scope`, `root_path` and `school_year` serve the file-level checks only; the row checks
    need the first four.
    """

    layout: Layout
    ethnicities: dict[str, str]  # ethnicity_key(name) → code
    default_unit: UnitRef | None
    today: date
    scope: Scope | None = None
    root_path: str = ""  # the unit chosen on upload: codes are looked for below it
    school_year: SchoolYear | None = None

    @cached_property
    def latest_birth(self) -> date:
        """Staff are at least YOUNGEST_AGE years old."""
        try:
            return self.today.replace(year=self.today.year - YOUNGEST_AGE)
        except ValueError:  # 29 February
            return self.today.replace(year=self.today.year - YOUNGEST_AGE, day=28)


@dataclass
class CheckedRow(Checked[StaffRow]):
    """A row after checking: the record to write (unit still to resolve from `unit_code`) or problems."""

    unit_code: str = ""


def words(value: Any) -> str:
    """Folded, punctuation-free text for vocabulary lookups: 'Phó Hiệu trưởng' → 'pho hieu truong'."""
    return _words(as_text(value))


@lru_cache(maxsize=4096)
def _words(text: str) -> str:
    return _PUNCT.sub(" ", fold(text)).strip()


@lru_cache(maxsize=4096)
def _ethnicity_key(text: str) -> str:
    return ethnicity_key(text)


def file_problems(layout: Layout, *, default_unit: UnitRef | None) -> list[Problem]:
    """Problems with the file as a whole: a required column is missing."""
    row = layout.header_rows[-1]
    out = []
    if not (layout.has("full_name") or layout.has("given_name")):
        out.append(Problem(row, "given_name", "", "column.missing", _("The file has no column for the given name.")))
    if not any(layout.has(k) for k in GENDER_KEYS):
        out.append(Problem(row, "gender", "", "column.missing", _("The file has no “Giới tính” (gender) column.")))
    if not layout.has("personal_id"):
        out.append(
            Problem(
                row,
                "personal_id",
                "",
                "column.no_personal_id",
                _(
                    "The file has no ID number column (“Số định danh cá nhân” / CCCD). Without it people are "
                    "matched only by name and date of birth at their school, so the next import of the same "
                    "people may create them again. Add the column, or confirm that you import without it."
                ),
                WARNING,
            )
        )
    if not layout.has("unit_code") and default_unit is None:
        out.append(
            Problem(
                row,
                "unit_code",
                "",
                "unit.column_missing",
                _(
                    "The file has no “Mã trường” (unit code) column: choose the school or centre on the upload "
                    "form, or add the column."
                ),
            )
        )
    return out


def _split_name(text: str) -> tuple[str, str, str]:
    """The parser already gave NFC text with single spaces: split it without normalising again."""
    words = text.split(" ")
    if len(words) == 1:
        return split_full_name(text)
    return words[0], " ".join(words[1:-1]), words[-1]


@lru_cache(maxsize=65536)
def title_name(text: str) -> str:
    """'NGUYỄN văn an' → 'Nguyễn Văn An': every word of a Vietnamese name starts with a capital."""
    out = []
    for w in text.split(" "):
        if not w:
            continue
        if w.isupper() or w.islower():
            w = w.lower()
        out.append(w[0].upper() + w[1:])
    return " ".join(out)


class _Row:
    """Collects the problems of one row while its cells are read."""

    def __init__(self, raw: RawRow) -> None:
        self.raw = raw
        self.problems: list[Problem] = []

    def add(self, key: str, code: str, message: str, value: Any = None) -> None:
        shown = as_text(self.raw.values.get(key) if value is None else value)
        self.problems.append(Problem(self.raw.number, key, shown[:100], code, message))


def check_row(raw: RawRow, ctx: StaffCheckContext) -> CheckedRow:
    """Read and check one row. Unit codes are resolved later, for the whole file at once."""
    r = _Row(raw)
    for key in raw.undecodable:
        r.add(
            key,
            "text.undecodable",
            _("This cell mixes the old TCVN3 (.VnTime) encoding with Unicode and cannot be converted. Retype it."),
        )
    family, middle, given = _names(raw, r, ctx.layout)
    gender, birth = _gender_and_birth(raw, r, ctx)
    ethnicity = _ethnicity(raw, r, ctx)
    personal_id = _personal_id(raw, r, gender, birth)
    phone = _phone(raw, r)
    email = _email(raw, r)
    position = _lookup(raw, r, "position", POSITION_WORDS, Position.TEACHER, POSITION_PREFIXES)
    contract = _lookup(
        raw, r, "contract_type", CONTRACT_WORDS, ContractType.CIVIL_SERVANT, [("hop dong", ContractType.CONTRACT)]
    )
    level = _lookup(raw, r, "school_level", LEVEL_WORDS, "", [])
    is_mentor = _yes_no(raw, r, "is_mentor")
    difficult_area = _difficult_area(raw, r)
    subjects = raw.text("subjects")
    if len(subjects) > 255:
        r.add("subjects", "text.too_long", _("At most 255 characters."))
    unit_code = raw.text("unit_code").strip().upper()
    if r.problems:
        return CheckedRow(raw.number, None, r.problems, unit_code)
    record = StaffRow(
        family_name=family,
        middle_name=middle,
        given_name=given,
        gender=gender,
        unit_id=0,  # set once the unit code is resolved
        date_of_birth=birth,
        ethnicity_code=ethnicity,
        personal_id=personal_id,
        phone=phone,
        email=email,
        staff_type=default_staff_type(position),
        position=position,
        school_level=level,
        subjects=subjects,
        is_mentor=is_mentor,
        contract_type=contract,
        difficult_area=difficult_area,
        keeps_difficult_area=not ctx.layout.has("difficult_area"),
    )
    return CheckedRow(raw.number, record, [], unit_code)


def _names(raw: RawRow, r: _Row, layout: Layout) -> tuple[str, str, str]:
    if layout.has("full_name"):
        family, middle, given = _split_name(raw.text("full_name"))
        given_key = family_key = "full_name"
    elif layout.has("family_middle"):
        parts = raw.text("family_middle").split(" ")
        family, middle = parts[0], " ".join(parts[1:])
        given = raw.text("given_name")
        given_key, family_key = "given_name", "family_middle"
    else:
        family, middle, given = raw.text("family_name"), raw.text("middle_name"), raw.text("given_name")
        given_key, family_key = "given_name", "family_name"
    if not given:
        r.add(given_key, "name.given_missing", _("The given name is missing."))
        return "", "", ""
    if not family:
        r.add(family_key, "name.family_missing", _("The family name is missing."))
    middle_key = "middle_name" if family_key == "family_name" else family_key
    if (
        len(family) > MAX_NAME
        or len(middle) > MAX_NAME
        or len(given) > MAX_NAME
        or _NAME_BAD.search(f"{family} {middle} {given}")
    ):
        for key, text in ((family_key, family), (middle_key, middle), (given_key, given)):
            if len(text) > MAX_NAME:
                r.add(key, "name.too_long", _("A name part may have at most %(n)d characters.") % {"n": MAX_NAME})
            elif _NAME_BAD.search(text):
                r.add(key, "name.invalid", _("A name may not contain digits or symbols."))
    return title_name(family), title_name(middle), title_name(given)


def _gender_and_birth(raw: RawRow, r: _Row, ctx: StaffCheckContext) -> tuple[str, date | None]:
    v = raw.values
    layout = ctx.layout
    gender = ""
    if "gender" in v:
        gender = GENDER_WORDS.get(words(v["gender"]), "")
        if not gender:
            r.add("gender", "gender.invalid", _("Write “Nam” or “Nữ”."))
    elif layout.has("gender_female") or layout.has("gender_male"):
        if "gender_female" in v and "gender_male" in v:
            r.add("gender_female", "gender.invalid", _("Mark either “Nam” or “Nữ”, not both."))
        elif "gender_female" in v:
            gender = Gender.FEMALE
        elif "gender_male" in v or not layout.has("gender_male"):
            gender = Gender.MALE  # a lone "Nữ" column: blank means male
    birth_key = "date_of_birth"
    if "dob_male" in v or "dob_female" in v:
        if "dob_male" in v and "dob_female" in v:
            r.add("dob_female", "date.both", _("Write the date of birth under either “Nam” or “Nữ”, not both."))
            return gender, None
        birth_key = "dob_male" if "dob_male" in v else "dob_female"
        gender = gender or (Gender.MALE if birth_key == "dob_male" else Gender.FEMALE)
    if not gender and not any(p.code.startswith("gender.") for p in r.problems):
        key = "gender" if layout.has("gender") else "gender_female"
        r.add(key, "gender.missing", _("The gender is missing: write “Nam” or “Nữ”."))
    if birth_key not in v:
        return gender, None
    try:
        birth = as_date(v[birth_key])
    except ValueError:
        r.add(birth_key, "date.invalid", _("Not a date: write it as dd/mm/yyyy, for example 05/09/1985."))
        return gender, None
    if birth is not None and (birth.year < EARLIEST_BIRTH_YEAR or birth > ctx.latest_birth):
        r.add(birth_key, "date.implausible", _("This date of birth is not plausible for a member of staff."))
        return gender, None
    return gender, birth


def _ethnicity(raw: RawRow, r: _Row, ctx: StaffCheckContext) -> str | None:
    text = raw.text("ethnicity")
    if not text:
        return None
    code = ctx.ethnicities.get(_ethnicity_key(text))
    if code is None:
        r.add("ethnicity", "ethnicity.unknown", _("Unknown ethnic group. See the list in the template."))
    return code


def _personal_id(raw: RawRow, r: _Row, gender: str, birth: date | None) -> str | None:
    if "personal_id" not in raw.values:
        return None
    digits = as_digits(raw.values["personal_id"])
    if digits.isdigit() and len(digits) in (10, 11):
        digits = digits.zfill(12)  # typed as a number: Excel dropped the leading zeros of the province code
    problem = personal_id_problem(digits, gender=gender or None, birth=birth)
    if problem:
        r.add("personal_id", "personal_id.invalid", problem)
        return None
    return digits


def _phone(raw: RawRow, r: _Row) -> str:
    if "phone" not in raw.values:
        return ""
    text = as_digits(raw.values["phone"])
    if len(text) == 10 and text[0] == "0" and text.isdigit():
        return text
    compact = _PHONE_SEPARATORS.sub("", text)
    if compact.startswith("+84"):
        compact = "0" + compact[3:]
    elif compact.startswith("84") and len(compact) == 11:
        compact = "0" + compact[2:]
    if compact.isdigit() and len(compact) == 9:
        compact = "0" + compact  # typed as a number: the leading zero was dropped
    if not (compact.isdigit() and 10 <= len(compact) <= 11):
        r.add("phone", "phone.invalid", _("Not a phone number: write 10 digits, for example 0912345678."))
        return ""
    return compact


def _email(raw: RawRow, r: _Row) -> str:
    text = raw.text("email").strip()
    if not text or _PLAIN_EMAIL.match(text):
        return text
    try:
        validate_email(text)
    except ValidationError:
        r.add("email", "email.invalid", _("Not an e-mail address."))
        return ""
    return text


def _lookup(
    raw: RawRow, r: _Row, key: str, table: dict[str, str], default: str, prefixes: list[tuple[str, str]]
) -> str:
    if key not in raw.values:
        return default
    w = words(raw.values[key])
    if w in table:
        return table[w]
    for prefix, value in prefixes:
        if w.startswith(prefix):
            return value
    r.add(key, f"{key}.invalid", _("Not one of the allowed values. See the instructions sheet of the template."))
    return default


def _yes_no(raw: RawRow, r: _Row, key: str) -> bool:
    if key not in raw.values:
        return False
    w = words(raw.values[key])
    if w in YES_WORDS:
        return True
    if w in NO_WORDS:
        return False
    r.add(key, f"{key}.invalid", _("Write “x” for yes or leave it empty."))
    return False


def _difficult_area(raw: RawRow, r: _Row) -> bool | None:
    """Whether the person's post is in a difficult area: True, False, or None for "as the unit".

    An empty cell goes by the unit — it does not mean "no", or a school marked as a difficult area
    would lose its teachers from the count; "Không" / 0 is an explicit no.
    """
    value = raw.values.get("difficult_area")
    if isinstance(value, bool):  # an Excel TRUE / FALSE cell
        return value
    w = words(value)
    if not w:
        return None
    if w in AREA_YES_WORDS:
        return True
    if w in NO_WORDS:
        return False
    if any(w == phrase or w.endswith(f" {phrase}") for phrase in AREA_AS_UNIT):
        return None
    r.add(
        "difficult_area",
        "difficult_area.invalid",
        _(
            "Write “x” (or “Có”) if the person works in a difficult area, “Không” if not, or leave the cell "
            "empty to go by the school."
        ),
    )
    return None


def duplicate_id_problems(rows: list[CheckedRow]) -> list[Problem]:
    """Every row whose personal ID number appears more than once in the file."""
    seen: dict[str, list[int]] = {}
    for c in rows:
        if c.record is not None and c.record.personal_id:
            seen.setdefault(c.record.personal_id, []).append(c.row)
    out = []
    for pid, numbers in seen.items():
        if len(numbers) < 2:
            continue
        listed = ", ".join(str(n) for n in numbers)
        for n in numbers:
            out.append(
                Problem(
                    n,
                    "personal_id",
                    pid,
                    "personal_id.duplicate",
                    _("This personal ID number appears more than once in the file (rows %(rows)s).") % {"rows": listed},
                )
            )
    return out


def resolve_units(checked: list[CheckedRow], ctx: StaffCheckContext) -> None:
    """Turn unit codes into units the uploader may import into; anything else is one opaque error."""
    assert ctx.scope is not None
    scope = ctx.scope
    codes = sorted({c.unit_code for c in checked if c.unit_code})
    allowed: dict[str, UnitRef] = {}
    for i in range(0, len(codes), LOOKUP_CHUNK):
        units = (
            Unit.objects.within(ctx.root_path)
            .filter(dissolved_on__isnull=True)
            .filter(kind__in=SCHOOL_KINDS)
            .annotate(ucode=Upper("code"))
            .filter(ucode__in=codes[i : i + LOOKUP_CHUNK])
            .only("pk", "path", "levels", "code")
        )
        for u in units:
            if scope.has(Perm.PEOPLE_IMPORT, u.path):
                allowed[u.code.upper()] = unit_ref(u)
    for c in checked:
        unit = allowed.get(c.unit_code) if c.unit_code else ctx.default_unit
        if unit is None:
            if c.unit_code:
                message = _("Unknown unit code, or a unit you may not import into.")
                code = "unit.unknown"
            else:
                message = _("The unit code is missing.")
                code = "unit.missing"
            c.reject(Problem(c.row, "unit_code", c.unit_code, code, message))
            continue
        if c.record is not None:
            c.record.unit_id = unit.id
            if not c.record.school_level and len(unit.levels) == 1:
                c.record.school_level = unit.levels[0]


def guard_people_outside_scope(checked: list[CheckedRow], ctx: StaffCheckContext) -> None:
    """A row whose ID number belongs to someone employed, in any school year, at a unit the uploader
    may not import into (`personal_ids_held_elsewhere`) is refused: their record stays as it is.

    The message does not say where they work (the uploader may not know that); moving a person
    between schools is a transfer (`person_transfer`), done by an authority over both.
    """
    assert ctx.scope is not None and ctx.school_year is not None
    by_id: dict[str, list[CheckedRow]] = {}
    for c in checked:
        if c.record is not None and c.record.personal_id:
            by_id.setdefault(c.record.personal_id, []).append(c)
    held = personal_ids_held_elsewhere(
        scope=ctx.scope, permission=Perm.PEOPLE_IMPORT, school_year=ctx.school_year, personal_ids=by_id
    )
    message = _(
        "This ID number belongs to a person who works, or has worked, at a unit outside your scope. "
        "The row was not imported and their record was not changed. If they have moved to your school, "
        "ask the office above both schools to transfer them (Staff → the person → Transfer)."
    )
    for pid in sorted(held):
        for c in by_id[pid]:
            c.reject(Problem(c.row, "personal_id", pid, "person.outside_scope", message))


class StaffImporter(Importer[StaffCheckContext, StaffRow]):
    """A school's or an office's list of staff: people and their job this school year."""

    key = "staff"
    label = gettext_lazy("Staff list")
    title = gettext_lazy("Import a staff list")
    permission = Perm.PEOPLE_IMPORT
    fields = FIELDS
    required_any = NAME_KEYS
    no_table_message = gettext_lazy(
        "No table of staff was found: the first 15 rows of every sheet were searched for a header row "
        "with column names such as “Họ và tên”, “Ngày sinh”, “Giới tính”. Use the template."
    )
    sensitive_keys = SENSITIVE_KEYS
    unit_help = gettext_lazy(
        "Rows go to the unit named in the file's “Mã trường” column, or to this unit if there is none."
    )
    created_label = gettext_lazy("people added")
    updated_label = gettext_lazy("people updated")
    help_template = "people/import_help.html"
    has_template = True
    upload_action = "import.upload"
    confirm_action = "import.confirm"
    write_action = "import.staff"

    def check_permission(self, scope: Scope, unit: Any) -> None:
        scope.require(Perm.PEOPLE_IMPORT, unit.path)

    def unit_choices(self, scope: Scope) -> QuerySet[Unit]:
        """Units the viewer may import staff into: their own units and everything below them."""
        return (
            Unit.objects.visible_to(scope, Perm.PEOPLE_IMPORT)
            .filter(dissolved_on__isnull=True)
            .exclude(kind=UnitKind.INSTITUTION)
            .order_by("depth", "name")
        )

    def may_import(self, scope: Scope) -> bool:
        return scope.has_anywhere(Perm.PEOPLE_IMPORT)

    def template(self, scope: Scope) -> Template:
        """The .xlsx template with the schools and centres the viewer may import into."""
        units = self.unit_choices(scope)
        first = units.first()
        codes = units.filter(kind__in=SCHOOL_KINDS).order_by("code").values_list("code", "name")
        content = staff_template_xlsx(
            units=list(codes[:TEMPLATE_UNIT_LIMIT]),
            ethnicities=ethnicity_list(),
            school_year=school_year_current().label,
            unit_name=first.name if first else "",
        )
        return Template(content, "mau-danh-sach-can-bo.xlsx")

    def result_link(self, job: JobInfo) -> tuple[str, str]:
        return f"{reverse('people:list')}?year={job.school_year_id}", str(_("See the staff list"))

    def prepare(self, job: JobInfo, scope: Scope, layout: Layout) -> StaffCheckContext:
        assert job.school_year_id is not None  # asks_school_year
        school_year = SchoolYear.objects.get(pk=job.school_year_id)
        if not has_authority_over_year(
            scope=scope, permission=Perm.PEOPLE_IMPORT, school_year=school_year, unit_ids=[job.unit.pk]
        ):
            raise FileProblem(
                _("You may not import staff into %(unit)s for the school year %(year)s.")
                % {"unit": job.unit.name, "year": school_year.label}
            )
        return StaffCheckContext(
            layout=layout,
            ethnicities=ethnicity_index(),
            default_unit=unit_ref(job.unit) if job.unit.is_school_like else None,
            today=timezone.localdate(),
            scope=scope,
            root_path=job.unit.path,
            school_year=school_year,
        )

    def layout_problems(self, layout: Layout, ctx: StaffCheckContext) -> list[Problem]:
        return file_problems(layout, default_unit=ctx.default_unit)

    def check_row(self, raw: RawRow, ctx: StaffCheckContext) -> CheckedRow:
        return check_row(raw, ctx)

    def check_file(self, rows: list[Checked[StaffRow]], ctx: StaffCheckContext) -> None:
        checked: list[CheckedRow] = rows  # type: ignore[assignment]  # check_row made them
        resolve_units(checked, ctx)
        guard_people_outside_scope(checked, ctx)
        by_row = {c.row: c for c in checked}
        for p in duplicate_id_problems(checked):
            by_row[p.row].reject(p)

    def write(self, job: JobInfo, records: list[StaffRow], *, scope: Scope) -> Written:
        assert job.school_year_id is not None  # asks_school_year
        created, updated = staff_bulk_upsert(
            scope=scope,
            school_year=SchoolYear.objects.get(pk=job.school_year_id),
            rows=records,
            source=AuditLog.Source.IMPORT,
            note=f"import {job.uuid}",
        )
        return Written(created, updated, changes={"school_year": job.school_year_id})
