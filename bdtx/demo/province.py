"""The demo province: Sở GD&ĐT Cao Bằng with its communes, schools, staff and one account per role.

Built with the same services as real data (`unit_create`, `unit_move`, `staff_bulk_upsert`,
`role_assign`), in one transaction, deterministically (seed 2025). Loading is idempotent: the
demo's unit codes mark it, and a second load finds them and does nothing.

The history is the reform of 01/07/2025: schools sat under district education offices (Phòng
GD&ĐT) until 30/06/2025, then moved to the communes and wards (UBND xã/phường); the district
offices were dissolved the same day. Staff exist for the current and previous school years and
for 2024-2025, the last year under the districts.

Commune, ward and school codes here are demo codes, not the official ones (QĐ 19/2025/QĐ-TTg
for communes, the ministry's database for schools); the district codes are the pre-2025 district
codes of QĐ 124/2004/QĐ-TTg. Commune and ward names are the post-2025 names; the schools and
their staff are invented, with names typical of the province.
"""

import random
import time
from dataclasses import dataclass, field, replace
from datetime import date
from typing import TYPE_CHECKING, Any

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import transaction

from bdtx.accounts.models import Role
from bdtx.accounts.services import role_assign
from bdtx.core.models import AuditLog, SchoolYear
from bdtx.core.scope import SYSTEM
from bdtx.core.selectors import school_year_current
from bdtx.organisations.models import Ownership, SchoolLevel, SchoolType, Unit, UnitKind
from bdtx.organisations.services import unit_create, unit_move, unit_update
from bdtx.people.models import Person, Position

if TYPE_CHECKING:
    from bdtx.demo.staff import DemoPerson

SEED = 2025
DEMO_STAFF = 2200  # staff of the current school year, about; the tests also load a smaller province
DEMO_PASSWORD = "bdtx-demo-2025"
HISTORY_START = date(2000, 1, 1)  # the demo's tree history starts here
REFORM_DAY = date(2025, 7, 1)  # district level abolished; communes take over (Luật 72/2025/QH15)
LAST_DISTRICT_YEAR = 2024  # 2024-2025, the last school year under the district offices
MINISTRY_CODE = "BGDDT"
PROVINCE_CODE = "04"  # Cao Bằng kept its code under QĐ 19/2025/QĐ-TTg
AUDIT_NOTE = "demo"

MN, TH, THCS, THPT = SchoolLevel.MN, SchoolLevel.TH, SchoolLevel.THCS, SchoolLevel.THPT


@dataclass(frozen=True)
class S:
    """A school or centre of the demo: code, name, levels, relative size, other unit fields."""

    code: str
    name: str
    levels: tuple[str, ...]
    weight: int
    fields: dict[str, object] = field(default_factory=dict)


def _mn(code: str, name: str, **kw: object) -> S:
    return S(code, name, (MN,), 30, kw)


def _th(code: str, name: str, **kw: object) -> S:
    return S(code, name, (TH,), 32, kw)


def _thcs(code: str, name: str, **kw: object) -> S:
    return S(code, name, (THCS,), 28, kw)


def _thpt(code: str, name: str, **kw: object) -> S:
    return S(code, name, (THPT,), 40, kw)


def _ptdtbt(code: str, name: str) -> S:
    """A semi-boarding primary and lower secondary school for ethnic minority pupils."""
    return S(code, name, (TH, THCS), 40, {"school_type": SchoolType.ETHNIC_SEMI_BOARDING, "difficult_area": True})


@dataclass(frozen=True)
class Commune:
    code: str  # demo code (5 digits)
    name: str
    short_name: str
    profile: str  # ethnic profile of its staff (bdtx.demo.staff.ETHNIC_PROFILES)
    difficult: bool
    schools: tuple[S, ...]


@dataclass(frozen=True)
class District:
    code: str
    name: str
    short_name: str
    communes: tuple[Commune, ...]
    centres: tuple[S, ...] = ()  # moved to the Sở on 01/07/2025


DISTRICTS = (
    District(
        "PGD-040",
        "Phòng Giáo dục và Đào tạo thành phố Cao Bằng",
        "Phòng GD&ĐT TP Cao Bằng",
        (
            Commune(
                "01261",
                "UBND phường Thục Phán",
                "Phường Thục Phán",
                "city",
                False,
                (
                    _mn("04MN001", "Trường Mầm non Hợp Giang"),
                    _mn("04MN002", "Trường Mầm non tư thục Hoa Sen", ownership=Ownership.PRIVATE),
                    _th("04TH001", "Trường Tiểu học Hợp Giang"),
                    _th("04TH002", "Trường Tiểu học Sông Bằng"),
                    _thcs("04CS001", "Trường THCS Hợp Giang"),
                ),
            ),
            Commune(
                "01264",
                "UBND phường Nùng Trí Cao",
                "Phường Nùng Trí Cao",
                "city",
                False,
                (
                    _mn("04MN003", "Trường Mầm non Sông Hiến"),
                    _th("04TH003", "Trường Tiểu học Sông Hiến"),
                    _thcs("04CS002", "Trường THCS Sông Hiến"),
                ),
            ),
            Commune(
                "01267",
                "UBND phường Tân Giang",
                "Phường Tân Giang",
                "city",
                False,
                (
                    _mn("04MN004", "Trường Mầm non Tân Giang"),
                    _th("04TH004", "Trường Tiểu học Ngọc Xuân"),
                    _thcs("04CS003", "Trường THCS Đề Thám"),
                ),
            ),
        ),
    ),
    District(
        "PGD-051",
        "Phòng Giáo dục và Đào tạo huyện Hòa An",
        "Phòng GD&ĐT huyện Hòa An",
        (
            Commune(
                "01456",
                "UBND xã Hòa An",
                "Xã Hòa An",
                "lowland",
                False,
                (
                    _mn("04MN005", "Trường Mầm non Nước Hai"),
                    _th("04TH005", "Trường Tiểu học Nước Hai"),
                    _thcs("04CS004", "Trường THCS Nước Hai"),
                    _th("04TH006", "Trường Tiểu học Hồng Việt"),
                ),
            ),
            Commune(
                "01459",
                "UBND xã Nam Tuấn",
                "Xã Nam Tuấn",
                "lowland",
                False,
                (
                    _mn("04MN006", "Trường Mầm non Nam Tuấn"),
                    S("04LC001", "Trường TH&THCS Nam Tuấn", (TH, THCS), 34),
                    _ptdtbt("04LC002", "Trường PTDTBT TH&THCS Đức Long"),
                ),
            ),
            Commune(
                "01462",
                "UBND xã Bạch Đằng",
                "Xã Bạch Đằng",
                "lowland",
                True,
                (
                    _mn("04MN007", "Trường Mầm non Bạch Đằng", difficult_area=True),
                    _th("04TH007", "Trường Tiểu học Bạch Đằng", difficult_area=True),
                    _thcs("04CS005", "Trường THCS Bạch Đằng", difficult_area=True),
                ),
            ),
            Commune(
                "01465",
                "UBND xã Nguyễn Huệ",
                "Xã Nguyễn Huệ",
                "lowland",
                True,
                (
                    _mn("04MN008", "Trường Mầm non Nguyễn Huệ", difficult_area=True),
                    _ptdtbt("04LC003", "Trường PTDTBT TH&THCS Nguyễn Huệ"),
                ),
            ),
        ),
        centres=(S("04TX001", "Trung tâm GDNN-GDTX huyện Hòa An", (SchoolLevel.GDTX,), 20),),
    ),
    District(
        "PGD-047",
        "Phòng Giáo dục và Đào tạo huyện Trùng Khánh",
        "Phòng GD&ĐT huyện Trùng Khánh",
        (
            Commune(
                "01378",
                "UBND xã Trùng Khánh",
                "Xã Trùng Khánh",
                "border",
                False,
                (
                    _mn("04MN009", "Trường Mầm non Trùng Khánh"),
                    _th("04TH008", "Trường Tiểu học Trùng Khánh"),
                    _thcs("04CS006", "Trường THCS Trùng Khánh"),
                    _ptdtbt("04LC004", "Trường PTDTBT TH&THCS Ngọc Khê"),
                ),
            ),
            Commune(
                "01381",
                "UBND xã Đàm Thủy",
                "Xã Đàm Thủy",
                "border",
                True,
                (
                    _mn("04MN010", "Trường Mầm non Đàm Thủy", difficult_area=True),
                    S("04LC005", "Trường TH&THCS Đàm Thủy", (TH, THCS), 34, {"difficult_area": True}),
                    _ptdtbt("04LC006", "Trường PTDTBT TH&THCS Chí Viễn"),
                ),
            ),
        ),
        centres=(S("04TX002", "Trung tâm GDNN-GDTX huyện Trùng Khánh", (SchoolLevel.GDTX,), 16),),
    ),
    District(
        "PGD-043",
        "Phòng Giáo dục và Đào tạo huyện Bảo Lạc",
        "Phòng GD&ĐT huyện Bảo Lạc",
        (
            Commune(
                "01288",
                "UBND xã Bảo Lạc",
                "Xã Bảo Lạc",
                "highland",
                True,
                (
                    _mn("04MN011", "Trường Mầm non Bảo Lạc", difficult_area=True),
                    _th("04TH009", "Trường Tiểu học Bảo Lạc", difficult_area=True),
                    _thcs("04CS007", "Trường THCS Bảo Lạc", difficult_area=True),
                    S(
                        "04CS008",
                        "Trường PTDTNT THCS huyện Bảo Lạc",
                        (THCS,),
                        30,
                        {"school_type": SchoolType.ETHNIC_BOARDING, "difficult_area": True},
                    ),
                ),
            ),
            Commune(
                "01291",
                "UBND xã Cốc Pàng",
                "Xã Cốc Pàng",
                "highland",
                True,
                (
                    _mn("04MN012", "Trường Mầm non Cốc Pàng", difficult_area=True),
                    _ptdtbt("04LC007", "Trường PTDTBT TH&THCS Cốc Pàng"),
                    S(
                        "04TH010",
                        "Trường PTDTBT Tiểu học Cốc Pàng",
                        (TH,),
                        26,
                        {"school_type": SchoolType.ETHNIC_SEMI_BOARDING, "difficult_area": True},
                    ),
                ),
            ),
        ),
    ),
)

# Upper secondary schools report to the Sở directly, before and after the reform.
PROVINCE_SCHOOLS = (
    S("04PT001", "Trường THPT Chuyên Cao Bằng", (THPT,), 50, {"school_type": SchoolType.SPECIALISED}),
    S(
        "04PT002",
        "Trường Phổ thông Dân tộc Nội trú tỉnh Cao Bằng",
        (THCS, THPT),
        48,
        {"short_name": "Trường PT DTNT tỉnh Cao Bằng", "school_type": SchoolType.ETHNIC_BOARDING},
    ),
    _thpt("04PT003", "Trường THPT Thành phố Cao Bằng"),
    _thpt("04PT004", "Trường THPT Cao Bình"),
    _thpt("04PT005", "Trường THPT Hòa An"),
    _thpt("04PT006", "Trường THPT Trùng Khánh"),
    _thpt("04PT007", "Trường THPT Bảo Lạc", difficult_area=True),
    _thpt("04PT008", "Trường THPT Nà Giàng", difficult_area=True),
    _thpt("04PT009", "Trường THPT Quảng Uyên"),
    _thpt("04PT010", "Trường THPT Thông Nông", difficult_area=True),
    _thpt("04PT011", "Trường THPT Bế Văn Đàn"),
)
INSTITUTION = ("CDSP-CB", "Trường Cao đẳng Sư phạm Cao Bằng", "CĐSP Cao Bằng")

# The district office whose account shows the history, and the school of the school accounts.
HISTORIC_DISTRICT = "PGD-051"
ACCOUNT_COMMUNE = "01456"
ACCOUNT_SCHOOL = "04TH005"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    unit_code: str
    family_middle: str = ""  # empty: taken from the linked person
    given: str = ""
    person: str = ""  # "principal", "teacher" or "mentor" of ACCOUNT_SCHOOL


DEMO_ACCOUNTS = (
    DemoAccount("sysadmin", Role.SYSTEM_ADMIN, MINISTRY_CODE, "Trần Minh", "Đức"),
    DemoAccount("bo", Role.MINISTRY_STAFF, MINISTRY_CODE, "Nguyễn Thu", "Hằng"),
    DemoAccount("so", Role.DEPARTMENT_STAFF, PROVINCE_CODE, "Hoàng Văn", "Thắng"),
    DemoAccount("xa", Role.OFFICE_STAFF, ACCOUNT_COMMUNE, "Lục Thị", "Huyền"),
    DemoAccount("hieutruong", Role.SCHOOL_ADMIN, ACCOUNT_SCHOOL, person="principal"),
    DemoAccount("giaovien", Role.LEARNER, ACCOUNT_SCHOOL, person="teacher"),
    DemoAccount("cotcan", Role.MENTOR, ACCOUNT_SCHOOL, person="mentor"),
    DemoAccount("csdt", Role.INSTITUTION_STAFF, INSTITUTION[0], "Bế Thị", "Ngọc Anh"),
)


def demo_codes() -> list[str]:
    """Codes of every unit the demo creates (the ministry excepted: it may exist already)."""
    codes = [PROVINCE_CODE, INSTITUTION[0]]
    for d in DISTRICTS:
        codes.append(d.code)
        codes += [s.code for s in d.centres]
        for c in d.communes:
            codes.append(c.code)
            codes += [s.code for s in c.schools]
    return codes + [s.code for s in PROVINCE_SCHOOLS]


def demo_is_loaded() -> bool:
    """True when the demo province is in the database; an error when only part of it is."""
    codes = demo_codes()
    found = Unit.objects.filter(code__in=codes).count()
    if found and found != len(codes):
        raise DemoConflict(
            f"{found} of the {len(codes)} demo unit codes are already used by other units; "
            "the demo province can only be loaded into a database without them."
        )
    return found == len(codes)


class DemoConflict(Exception):
    pass


def demo_years() -> list[int]:
    """School years with demo staff: the current and previous ones, and the last district year."""
    current = school_year_current().start_year
    return sorted({LAST_DISTRICT_YEAR, current - 1, current})


@dataclass
class DemoSummary:
    loaded: bool  # False: it was there already
    units: int = 0
    staff: dict[int, int] = field(default_factory=dict)  # school year → employments
    seconds: float = 0.0


def _address(place: str) -> str:
    return f"{place}, tỉnh Cao Bằng"


def _phone(rng: random.Random) -> str:
    return f"0206{rng.randint(3_800_000, 3_899_999)}"  # 0206: Cao Bằng's area code


def _build_tree(rng: random.Random) -> tuple[dict[str, Unit], list[tuple[S, str]]]:
    """Create the units; return them by code, and each school with the ethnic profile of its area."""
    units: dict[str, Unit] = {}

    def create(code: str, kind: str, name: str, parent: Unit | None, valid_from: date, **kw: Any) -> Unit:
        units[code] = unit_create(
            scope=SYSTEM, kind=kind, name=name, code=code, parent=parent, valid_from=valid_from, source="system", **kw
        )
        return units[code]

    ministry = Unit.objects.filter(code=MINISTRY_CODE).first()
    if ministry is None:
        ministry = unit_create(
            scope=SYSTEM,
            kind=UnitKind.MINISTRY,
            name="Bộ Giáo dục và Đào tạo",
            code=MINISTRY_CODE,
            parent=None,
            source="system",
        )
    units[MINISTRY_CODE] = ministry
    province = create(
        PROVINCE_CODE,
        UnitKind.DEPARTMENT,
        "Sở Giáo dục và Đào tạo Cao Bằng",
        ministry,
        HISTORY_START,
        short_name="Sở GD&ĐT Cao Bằng",
        address="Số 020 đường Hoàng Đình Giong, phường Thục Phán, tỉnh Cao Bằng",
        phone=_phone(rng),
    )
    schools: list[tuple[S, str]] = []

    def school(s: S, parent: Unit, place: str, valid_from: date, **defaults: object) -> Unit:
        kind = UnitKind.CENTRE if s.levels == (SchoolLevel.GDTX,) else UnitKind.SCHOOL
        fields = {"address": _address(place), "phone": _phone(rng), **defaults, **s.fields}
        return create(s.code, kind, s.name, parent, valid_from, levels=s.levels, **fields)

    moves: list[tuple[Unit, Unit]] = []
    for d in DISTRICTS:
        district = create(d.code, UnitKind.DISTRICT, d.name, province, HISTORY_START, short_name=d.short_name)
        for c in d.communes:
            commune = create(
                c.code,
                UnitKind.COMMUNE,
                c.name,
                province,
                REFORM_DAY,
                short_name=c.short_name,
                difficult_area=c.difficult,
                address=_address(c.short_name),
            )
            for s in c.schools:
                moves.append((school(s, district, c.short_name, HISTORY_START), commune))
                schools.append((s, c.profile))
        for s in d.centres:
            moves.append((school(s, district, d.short_name.split("huyện ")[-1], HISTORY_START), province))
            schools.append((s, "province"))
    for s in PROVINCE_SCHOOLS:
        school(s, province, "Cao Bằng", HISTORY_START)
        schools.append((s, "highland" if s.fields.get("difficult_area") else "province"))
    code, name, short = INSTITUTION
    # The college belongs to the Sở that contracts it for BDTX courses.
    create(code, UnitKind.INSTITUTION, name, province, HISTORY_START, short_name=short, address=_address("Cao Bằng"))

    note = "Sắp xếp đơn vị hành chính, kết thúc hoạt động cấp huyện từ 01/07/2025"
    for unit, new_parent in moves:
        unit_move(scope=SYSTEM, unit=unit, new_parent=new_parent, effective=REFORM_DAY, note=note)
    for d in DISTRICTS:
        unit_update(scope=SYSTEM, unit=units[d.code], dissolved_on=REFORM_DAY)
    return units, schools


def _sizes(schools: list[tuple[S, str]], staff: int, rng: random.Random) -> list[int]:
    weights = [s.weight * rng.uniform(0.85, 1.15) for s, _ in schools]
    total = sum(weights)
    return [max(4, round(staff * w / total)) for w in weights]


def _pick_account_people(people: list["DemoPerson"], school_id: int, year: int) -> dict[str, "DemoPerson"]:
    """The principal, a teacher and a core teacher of the accounts' school (made one if none)."""
    here = [p for p in people if p.jobs.get(year) and p.jobs[year].unit_id == school_id]
    principal = next(p for p in here if p.jobs[year].position == Position.PRINCIPAL)
    teachers = [p for p in here if p.jobs[year].position == Position.TEACHER and len(p.jobs) > 1]
    mentor = next((p for p in teachers if p.jobs[year].is_mentor), None)
    if mentor is None:
        mentor = teachers[-1]
        for y, job in mentor.jobs.items():
            if job.unit_id == school_id:
                mentor.jobs[y] = replace(job, is_mentor=True)
    teacher = next(p for p in teachers if not p.jobs[year].is_mentor)
    return {"principal": principal, "teacher": teacher, "mentor": mentor}


def _create_accounts(units: dict[str, Unit], linked: dict[str, Person]) -> None:
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow on purpose
    for a in DEMO_ACCOUNTS:
        person = linked.get(a.person)
        user, _created = User.objects.get_or_create(username=a.username)
        user.password = password
        # As account_create_for_person: family and middle names first, so get_full_name() reads
        # in Vietnamese order ("Nông Thị Hoa").
        user.first_name = f"{person.family_name} {person.middle_name}".strip() if person else a.family_middle
        user.last_name = person.given_name if person else a.given
        user.email = f"{a.username}@example.edu.vn"
        user.is_staff = user.is_superuser = a.role == Role.SYSTEM_ADMIN
        user.save()
        role_assign(scope=SYSTEM, user=user, unit=units[a.unit_code], role=a.role, source="system")
        if person is not None:
            Person.objects.filter(pk=person.pk).update(user=user)


@transaction.atomic
def demo_load(*, staff: int = DEMO_STAFF, seed: int = SEED) -> DemoSummary:
    """Load the demo province unless it is there already (see the module docstring)."""
    from bdtx.demo.staff import DemoSchool, StaffGenerator, staff_rows
    from bdtx.people.services import staff_bulk_upsert

    started = time.perf_counter()
    if demo_is_loaded():
        return DemoSummary(loaded=False)
    rng = random.Random(seed)
    units, schools = _build_tree(rng)
    years = demo_years()
    generator = StaffGenerator(seed=seed, current_year=years[-1])
    demo_schools = [
        DemoSchool(
            unit_id=units[s.code].pk,
            kind=units[s.code].kind,
            levels=tuple(s.levels),
            profile=profile,
            size=size,
        )
        for (s, profile), size in zip(schools, _sizes(schools, staff, rng), strict=True)
    ]
    people = generator.staff(demo_schools, years)
    picked = _pick_account_people(people, units[ACCOUNT_SCHOOL].pk, years[-1])
    summary = DemoSummary(loaded=True, units=len(units))
    for year in years:
        rows = staff_rows(people, year)
        staff_bulk_upsert(
            scope=SYSTEM,
            school_year=SchoolYear.objects.get(pk=year),
            rows=rows,
            source=AuditLog.Source.SYSTEM,
            note=AUDIT_NOTE,
        )
        summary.staff[year] = len(rows)
    by_id = Person.objects.in_bulk([p.personal_id for p in picked.values()], field_name="personal_id")
    _create_accounts(units, {key: by_id[p.personal_id] for key, p in picked.items()})
    summary.seconds = time.perf_counter() - started
    return summary
