"""The demo provinces: Sở GD&ĐT Cao Bằng (`cao_bang.py`, about 2,200 staff, an account for every
role) and Sở GD&ĐT Lạng Sơn (`lang_son.py`, about a fifth of it, its own Sở account), so that the
ministry has two provinces to compare and each Sở sees only its own.

Built with the same services as real data (`unit_create`, `unit_move`, `staff_bulk_upsert`,
`role_assign`), in one transaction, deterministically (each province has its seed). Loading is
idempotent, province by province: a province's unit codes mark it, a load skips the provinces it
finds and loads the others (a database made before the second province gets it on the next
`make run`).

The history is the reform of 01/07/2025: schools sat under district education offices (Phòng
GD&ĐT) until 30/06/2025, then moved to the communes and wards (UBND xã/phường); the district
offices were dissolved the same day. Staff exist for the current and previous school years and
for 2024-2025, the last year under the districts.
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
from bdtx.demo.cao_bang import CAO_BANG
from bdtx.demo.lang_son import LANG_SON
from bdtx.demo.places import MINISTRY_CODE, DemoProvince, S
from bdtx.organisations.models import SchoolLevel, Unit, UnitKind
from bdtx.organisations.services import unit_create, unit_move, unit_update
from bdtx.people.models import Person, Position

if TYPE_CHECKING:
    from bdtx.demo.staff import DemoPerson

PROVINCES = (CAO_BANG, LANG_SON)
DEMO_ACCOUNTS = tuple(a for p in PROVINCES for a in p.accounts)
DEMO_STAFF = CAO_BANG.staff  # the first province's; the others scale with it (load_demo --staff)
DEMO_PASSWORD = "bdtx-demo-2025"
HISTORY_START = date(2000, 1, 1)  # the demo's tree history starts here
REFORM_DAY = date(2025, 7, 1)  # district level abolished; communes take over (Luật 72/2025/QH15)
LAST_DISTRICT_YEAR = 2024  # 2024-2025, the last school year under the district offices
AUDIT_NOTE = "demo"


class DemoConflict(Exception):
    pass


def demo_codes() -> list[str]:
    """Codes of every unit the demo creates (the ministry excepted: it may exist already)."""
    return [code for p in PROVINCES for code in p.codes()]


def province_is_loaded(province: DemoProvince) -> bool:
    """True when the province is in the database; an error when only part of its codes are."""
    codes = province.codes()
    found = Unit.objects.filter(code__in=codes).count()
    if found and found != len(codes):
        raise DemoConflict(
            f"{found} of the {len(codes)} unit codes of the demo province {province.name} are already used "
            "by other units; the demo province can only be loaded into a database without them."
        )
    return found == len(codes)


def demo_is_loaded() -> bool:
    """True when every demo province is in the database; an error when one is there only in part."""
    return all([province_is_loaded(p) for p in PROVINCES])  # a list: every province is checked


def demo_years() -> list[int]:
    """School years with demo staff: the current and previous ones, and the last district year."""
    current = school_year_current().start_year
    return sorted({LAST_DISTRICT_YEAR, current - 1, current})


@dataclass
class DemoSummary:
    province: str
    loaded: bool  # False: it was there already
    units: int = 0  # units created
    staff: dict[int, int] = field(default_factory=dict)  # school year → employments
    seconds: float = 0.0


def _phone(province: DemoProvince, rng: random.Random) -> str:
    return f"{province.area_code}{rng.randint(3_800_000, 3_899_999)}"


def _ministry() -> Unit:
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
    return ministry


def _build_tree(p: DemoProvince, ministry: Unit, rng: random.Random) -> tuple[dict[str, Unit], list[tuple[S, str]]]:
    """Create the province's units; return them by code (the ministry's too), and each school
    with the ethnic profile of its area."""
    units: dict[str, Unit] = {MINISTRY_CODE: ministry}

    def address(place: str) -> str:
        return f"{place}, tỉnh {p.name}"

    def create(code: str, kind: str, name: str, parent: Unit | None, valid_from: date, **kw: Any) -> Unit:
        units[code] = unit_create(
            scope=SYSTEM, kind=kind, name=name, code=code, parent=parent, valid_from=valid_from, source="system", **kw
        )
        return units[code]

    province = create(
        p.code,
        UnitKind.DEPARTMENT,
        f"Sở Giáo dục và Đào tạo {p.name}",
        ministry,
        HISTORY_START,
        short_name=f"Sở GD&ĐT {p.name}",
        address=p.address,
        phone=_phone(p, rng),
    )
    schools: list[tuple[S, str]] = []

    def school(s: S, parent: Unit, place: str, valid_from: date, **defaults: object) -> Unit:
        kind = UnitKind.CENTRE if s.levels == (SchoolLevel.GDTX,) else UnitKind.SCHOOL
        fields = {"address": address(place), "phone": _phone(p, rng), **defaults, **s.fields}
        return create(s.code, kind, s.name, parent, valid_from, levels=s.levels, **fields)

    moves: list[tuple[Unit, Unit]] = []
    for d in p.districts:
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
                address=address(c.short_name),
            )
            for s in c.schools:
                moves.append((school(s, district, c.short_name, HISTORY_START), commune))
                schools.append((s, c.profile))
        for s in d.centres:
            moves.append((school(s, district, d.short_name.split("huyện ")[-1], HISTORY_START), province))
            schools.append((s, p.profile))
    for s in p.schools:
        school(s, province, p.name, HISTORY_START)
        schools.append((s, p.difficult_profile if s.fields.get("difficult_area") else p.profile))
    if p.institution:
        code, name, short = p.institution
        # The institution belongs to the Sở that contracts it for BDTX courses.
        create(code, UnitKind.INSTITUTION, name, province, HISTORY_START, short_name=short, address=address(p.name))

    note = "Sắp xếp đơn vị hành chính, kết thúc hoạt động cấp huyện từ 01/07/2025"
    for unit, new_parent in moves:
        unit_move(scope=SYSTEM, unit=unit, new_parent=new_parent, effective=REFORM_DAY, note=note)
    for d in p.districts:
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


def _create_accounts(p: DemoProvince, units: dict[str, Unit], linked: dict[str, Person], password: str) -> None:
    for a in p.accounts:
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


def _province_load(p: DemoProvince, *, ministry: Unit, staff: int, password: str) -> DemoSummary:
    """Create one province: its tree with the 2025 history, its staff of the demo years, its accounts."""
    from bdtx.demo.staff import DemoSchool, StaffGenerator, staff_rows
    from bdtx.people.services import staff_bulk_upsert

    started = time.perf_counter()
    rng = random.Random(p.seed)
    units, schools = _build_tree(p, ministry, rng)
    years = demo_years()
    generator = StaffGenerator(seed=p.seed, current_year=years[-1], id_province=p.id_province)
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
    picked = (
        _pick_account_people(people, units[p.account_school].pk, years[-1]) if any(a.person for a in p.accounts) else {}
    )
    summary = DemoSummary(province=p.name, loaded=True, units=len(units) - 1)  # the ministry is not the province's
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
    by_id = Person.objects.in_bulk([person.personal_id for person in picked.values()], field_name="personal_id")
    _create_accounts(p, units, {key: by_id[person.personal_id] for key, person in picked.items()}, password)
    summary.seconds = time.perf_counter() - started
    return summary


@transaction.atomic
def demo_load(*, staff: int = DEMO_STAFF) -> list[DemoSummary]:
    """Load the demo provinces that are not there yet (see the module docstring); `staff` is the
    first province's size, the others keep their proportion to it. One summary per province."""
    loaded = {p.code: province_is_loaded(p) for p in PROVINCES}  # every conflict before any write
    if all(loaded.values()):
        return [DemoSummary(province=p.name, loaded=False) for p in PROVINCES]
    ministry = _ministry()
    password = make_password(DEMO_PASSWORD)  # hashed once: hashing is slow on purpose
    return [
        DemoSummary(province=p.name, loaded=False)
        if loaded[p.code]
        else _province_load(p, ministry=ministry, staff=round(p.staff * staff / DEMO_STAFF), password=password)
        for p in PROVINCES
    ]
