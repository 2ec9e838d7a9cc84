"""Fixtures for unit-plan tests: a regime, a small module catalog, programme content, and approved
personal plans written straight through the ORM (the personal-plan services are tested apart).

Import in a test module with `from bdtx.plans.tests.unit_fixtures import *  # noqa: F403`.
"""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

import pytest

from bdtx.accounts.models import Role
from bdtx.accounts.services import role_assign
from bdtx.catalog.models import Catalog, Module, ProgrammeContent
from bdtx.core.models import SchoolYear
from bdtx.core.scope import SYSTEM
from bdtx.core.selectors import school_year_current
from bdtx.core.tests.factories import EmploymentFactory, UserFactory
from bdtx.organisations.models import Unit, UnitKind
from bdtx.organisations.services import unit_create
from bdtx.people.models import Audience, Person
from bdtx.plans.models import Form, PersonalPlan, PlanItem, PlanStatus
from bdtx.regimes.models import Programme, Regime


def regime_for(year: int) -> Regime:
    """The regime in force (loaded by the regimes data migration), or a stand-in TT 19/2019 one."""
    try:
        return Regime.objects.for_year(SchoolYear.of(year))
    except Regime.DoesNotExist:
        return Regime.objects.create(
            code="TEST-TT19",
            name="TT 19/2019 (test)",
            legal_source="Thông tư số 19/2019/TT-BGDĐT",
            first_year=2020,
            total_hours=120,
            bd01_hours=40,
            bd02_hours=40,
            bd03_hours=40,
            pass_mark=Decimal("5.00"),
            result_categories=[{"code": "hoan_thanh", "label": "Hoàn thành kế hoạch BDTX"}],
        )


@dataclass
class Catalogue:
    modules: list[Module]
    bd01: ProgrammeContent
    bd02: ProgrammeContent


def make_catalogue(world) -> Catalogue:  # type: ignore[no-untyped-def]
    year = school_year_current()
    cat = Catalog.objects.create(
        code="TEST-GVPT", name="GVPT (test)", circular="TT 17/2019/TT-BGDĐT", audience=Audience.GVPT, first_year=2020
    )
    titles = [
        "Xây dựng kế hoạch dạy học và giáo dục theo hướng phát triển phẩm chất, năng lực học sinh",
        "Tư vấn và hỗ trợ học sinh trong hoạt động giáo dục và dạy học",
        "Ứng dụng công nghệ thông tin trong dạy học & giáo dục <tiểu học>",
    ]
    modules = [
        Module.objects.create(catalog=cat, code=f"GVPT{n}", title=t, audience=Audience.GVPT, hours_total=20)
        for n, t in enumerate(titles, start=4)
    ]
    bd01 = ProgrammeContent.objects.create(
        unit=world.u("bo"), school_year=year, programme=Programme.BD01, title="Nội dung BD01 năm học", hours=40
    )
    bd02 = ProgrammeContent.objects.create(
        unit=world.u("so_a"), school_year=year, programme=Programme.BD02, title="Nội dung BD02 của tỉnh", hours=40
    )
    return Catalogue(modules, bd01, bd02)


def plan_for(
    person: Person,
    unit: Unit,
    cat: Catalogue,
    *,
    modules: tuple[int, ...] = (0, 1),
    form: str = Form.BLENDED,
    months: tuple[date, date] = (date(2026, 9, 1), date(2026, 11, 1)),
    status: str = PlanStatus.APPROVED,
) -> PersonalPlan:
    """A personal plan with BD01 + BD02 content and the chosen BD03 modules (20 periods each)."""
    year = school_year_current()
    plan = PersonalPlan.objects.create(
        person=person, unit=unit, school_year=year, regime=regime_for(year.pk), status=status
    )
    items = [
        PlanItem(plan=plan, programme=Programme.BD01, content=cat.bd01, title=cat.bd01.title, hours=40, form=form),
        PlanItem(
            plan=plan,
            programme=Programme.BD02,
            content=cat.bd02,
            title=cat.bd02.title,
            hours=40,
            form=Form.IN_PERSON,
            start_month=date(2027, 1, 1),
            end_month=date(2027, 1, 1),
        ),
    ]
    for i in modules:
        m = cat.modules[i]
        items.append(
            PlanItem(
                plan=plan,
                programme=Programme.BD03,
                module=m,
                title=m.title,
                hours=20,
                form=form,
                start_month=months[0],
                end_month=months[1],
            )
        )
    PlanItem.objects.bulk_create(items)
    return plan


@dataclass
class Tree:
    """so_a → xa_a1 (th_a1, th_a1b) and xa_a2 (thcs_a2, thcs_a2b), thpt_a directly under so_a."""

    cat: Catalogue
    schools: list[str] = field(default_factory=list)
    approved: dict[str, int] = field(default_factory=dict)
    # unit key → key of the world user who acts for it (compiles and submits its plan)
    staff: dict[str, str] = field(default_factory=dict)
    children: dict[str, list[str]] = field(default_factory=dict)

    def parent_of(self, key: str) -> str:
        return next(parent for parent, kids in self.children.items() if key in kids)


def build_tree(world) -> Tree:  # type: ignore[no-untyped-def]
    """Two more schools and approved (and some unapproved) personal plans in every school."""
    cat = make_catalogue(world)
    for key, name, code, parent in (
        ("th_a1b", "Trường Tiểu học Đông Hai", "TH-A1B", "xa_a1"),
        ("thcs_a2b", "Trường THCS Tây Hai", "THCS-A2B", "xa_a2"),
    ):
        world.units[key] = unit_create(
            scope=SYSTEM,
            kind=UnitKind.SCHOOL,
            name=name,
            code=code,
            parent=world.u(parent),
            valid_from=date(2000, 1, 1),
            levels=["TH" if key.startswith("th_") else "THCS"],
        )
    tree = Tree(
        cat=cat,
        schools=["th_a1", "th_a1b", "thcs_a2", "thcs_a2b", "thpt_a"],
        children={
            "xa_a1": ["th_a1", "th_a1b"],
            "xa_a2": ["thcs_a2", "thcs_a2b"],
            "so_a": ["xa_a1", "xa_a2", "thpt_a"],
            "bo": ["so_a", "so_b"],
        },
        staff={"th_a1": "principal_a1", "thcs_a2": "principal_a2", "xa_a1": "xa_a1", "so_a": "so_a", "bo": "ministry"},
    )
    for key in ("xa_a2", "thpt_a", "th_a1b", "thcs_a2b"):  # the world has no account there
        world.users[key] = UserFactory(username=f"staff_{key}")
        role = Role.OFFICE_STAFF if key.startswith("xa") else Role.SCHOOL_ADMIN
        role_assign(scope=SYSTEM, user=world.users[key], unit=world.u(key), role=role)
        tree.staff[key] = key
    forms = [Form.BLENDED, Form.DISTANCE, Form.IN_PERSON]
    for n, key in enumerate(tree.schools):
        unit = world.u(key)
        people = [p for p in world.people.values() if p.employments.filter(unit=unit).exists()]
        people += [EmploymentFactory(unit=unit).person for _ in range(n + 1)]
        approved = 0
        for i, person in enumerate(people):
            status = PlanStatus.SUBMITTED if i == 1 else PlanStatus.APPROVED
            plan_for(
                person,
                unit,
                cat,
                modules=((0, 1), (1, 2), (2,))[(i + n) % 3],
                form=forms[(i + n) % 3],
                months=(date(2026, 9 + i % 3, 1), date(2026, 10 + i % 3, 1)),
                status=status,
            )
            approved += status == PlanStatus.APPROVED
        tree.approved[key] = approved
    return tree


@pytest.fixture
def catalogue(world) -> Catalogue:  # type: ignore[no-untyped-def]
    return make_catalogue(world)


@pytest.fixture
def tree(world) -> Tree:  # type: ignore[no-untyped-def]
    return build_tree(world)


__all__ = ["Catalogue", "Tree", "build_tree", "catalogue", "make_catalogue", "plan_for", "regime_for", "tree"]
