"""A small province counted by hand for the results report's tests.

Sở "so_t" → communes "xa_t1" (schools s1: public, difficult area; s2: private) and "xa_t2" (school
s3). School year 2026 (the test world's current one); what each person is, and what the figures
must be, is written next to them in `test_figures.py`.
"""

from dataclasses import dataclass, field
from datetime import date

import pytest

from bdtx.accounts.models import Role
from bdtx.accounts.services import role_assign
from bdtx.catalog.models import Catalog, Module
from bdtx.core.models import SchoolYear
from bdtx.core.scope import SYSTEM
from bdtx.core.tests.factories import EmploymentFactory, UserFactory
from bdtx.organisations.models import Unit, UnitKind
from bdtx.organisations.services import unit_create
from bdtx.people.models import Audience, EmploymentStatus, Person, StaffType
from bdtx.regimes.models import Programme, Regime
from bdtx.results.models import YearResult
from bdtx.training.models import Cohort, Enrolment, EnrolmentStatus

YEAR = 2026


@dataclass
class Tree:
    year: SchoolYear
    units: dict[str, Unit] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)
    modules: dict[str, Module] = field(default_factory=dict)
    cohorts: dict[str, Cohort] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)

    def u(self, key: str) -> Unit:
        return self.units[key]


def employ(
    tree: Tree,
    key: str,
    school: str,
    *,
    gender: str,
    ethnicity: str | None,
    year: int = YEAR,
    staff_type: str = StaffType.TEACHER,
    level: str = "TH",
    status: str = EmploymentStatus.WORKING,
    difficult: bool | None = None,
    person: Person | None = None,
) -> Person:
    kw: dict[str, object] = (
        {"person": person} if person else {"person__gender": gender, "person__ethnicity_id": ethnicity}
    )
    e = EmploymentFactory(
        unit=tree.u(school),
        school_year=SchoolYear.of(year),
        staff_type=staff_type,
        school_level=level,
        status=status,
        difficult_area=difficult,
        **kw,
    )
    tree.people[key] = e.person
    return e.person


def result(tree: Tree, key: str, completed: bool, *, year: int = YEAR) -> YearResult:
    sy = SchoolYear.of(year)
    person = tree.people[key]
    return YearResult.objects.create(
        person=person,
        school_year=sy,
        unit=person.employments.get(school_year=sy).unit,
        regime=Regime.objects.for_year(sy),
        category="hoan_thanh" if completed else "khong_hoan_thanh",
        label="Hoàn thành" if completed else "Không hoàn thành",
        completed=completed,
    )


def enrol(
    tree: Tree, key: str, cohort: str, *, completed: bool = False, status: str = EnrolmentStatus.ENROLLED
) -> Enrolment:
    c = tree.cohorts[cohort]
    person = tree.people[key]
    return Enrolment.objects.create(
        cohort=c,
        person=person,
        unit=person.employments.get(school_year=c.school_year).unit,
        school_year=c.school_year,
        module=c.module,
        status=status,
        completed=completed,
    )


@pytest.fixture
def tree(world) -> Tree:  # type: ignore[no-untyped-def]
    t = Tree(year=SchoolYear.of(YEAR))

    def unit(key: str, kind: str, name: str, code: str, parent: Unit, **kw: object) -> None:
        t.units[key] = unit_create(
            scope=SYSTEM, kind=kind, name=name, code=code, parent=parent, valid_from=date(2000, 1, 1), **kw
        )

    unit("so_t", UnitKind.DEPARTMENT, "Sở GD&ĐT Tỉnh Thử", "77", world.u("bo"))
    unit("xa_t1", UnitKind.COMMUNE, "UBND xã Thử Một", "07701", t.u("so_t"))
    unit("xa_t2", UnitKind.COMMUNE, "UBND xã Thử Hai", "07702", t.u("so_t"))
    unit("s1", UnitKind.SCHOOL, "Trường Tiểu học Thử Một", "TH-T1", t.u("xa_t1"), levels=["TH"], difficult_area=True)
    unit(
        "s2", UnitKind.SCHOOL, "Trường THCS Tư thục Thử", "THCS-T2", t.u("xa_t1"), levels=["THCS"], ownership="private"
    )
    unit("s3", UnitKind.SCHOOL, "Trường Tiểu học Thử Ba", "TH-T3", t.u("xa_t2"), levels=["TH"])

    for key, role, at in (
        ("so_t", Role.DEPARTMENT_STAFF, "so_t"),
        ("xa_t1", Role.OFFICE_STAFF, "xa_t1"),
        ("xa_t2", Role.OFFICE_STAFF, "xa_t2"),
        ("hieutruong_s1", Role.SCHOOL_ADMIN, "s1"),
        ("hieutruong_s2", Role.SCHOOL_ADMIN, "s2"),
        ("hieutruong_s3", Role.SCHOOL_ADMIN, "s3"),
    ):
        user = UserFactory(username=f"t_{key}")
        role_assign(scope=SYSTEM, user=user, unit=t.u(at), role=role)
        t.users[key] = user

    cat = Catalog.objects.create(
        code="TEST-YR", name="Danh mục thử", circular="TT thử", audience=Audience.GVPT, first_year=2020
    )
    t.modules["M1"] = Module.objects.create(
        catalog=cat, code="M1", title="Mô đun một", audience=Audience.GVPT, hours_total=40
    )
    t.modules["M2"] = Module.objects.create(
        catalog=cat, code="M2", title="Mô đun hai", audience=Audience.GVPT, hours_total=40
    )

    def cohort(key: str, programme: str, module: str | None = None) -> None:
        t.cohorts[key] = Cohort.objects.create(
            school_year=t.year,
            organiser=t.u("so_t"),
            name=f"Lớp {key}",
            programme=programme,
            module=t.modules[module] if module else None,
            content_title="" if module else "Nội dung",
            form="tu_xa",
            capacity=100,
        )

    cohort("bd01", Programme.BD01)
    cohort("bd02a", Programme.BD02)
    cohort("bd02b", Programme.BD02)
    cohort("m1", Programme.BD03, "M1")
    cohort("m2", Programme.BD03, "M2")

    # s1 (public, difficult area)
    employ(t, "p1", "s1", gender="F", ethnicity="01")
    result(t, "p1", True)
    enrol(t, "p1", "bd01", completed=True)
    enrol(t, "p1", "m1", completed=True)
    enrol(t, "p1", "m2", completed=False)
    employ(t, "p2", "s1", gender="F", ethnicity="02")
    result(t, "p2", False)
    enrol(t, "p2", "m1", completed=False)
    enrol(t, "p2", "bd02a", completed=True)
    enrol(t, "p2", "bd02b", completed=False)
    employ(t, "p3", "s1", gender="M", ethnicity="07", staff_type=StaffType.MANAGER, difficult=False)
    enrol(t, "p3", "bd02a", completed=True)
    employ(t, "p4", "s1", gender="M", ethnicity="01", status=EmploymentStatus.LEFT)  # left: not counted
    result(t, "p4", True)
    enrol(t, "p4", "bd01", completed=True)
    employ(t, "p5", "s1", gender="F", ethnicity=None, status=EmploymentStatus.LEAVE)
    enrol(t, "p5", "bd01", status=EnrolmentStatus.WITHDRAWN)  # withdrawn: not enrolled
    # p6 worked at s1 the year before and in s3 this year (with an old result and module)
    employ(t, "p6", "s1", gender="F", ethnicity="02", year=YEAR - 1)
    result(t, "p6", True, year=YEAR - 1)
    # s2 (private, not a difficult area; q1's own post is in one)
    employ(t, "q1", "s2", gender="F", ethnicity="02", level="THCS", difficult=True)
    result(t, "q1", True)
    enrol(t, "q1", "m1", completed=True)
    # s3
    employ(t, "q2", "s3", gender="M", ethnicity="01")
    result(t, "q2", True)
    employ(t, "p6b", "s3", gender="F", ethnicity="02", person=t.people["p6"])
    enrol(t, "p6b", "m2", completed=True)
    return t
