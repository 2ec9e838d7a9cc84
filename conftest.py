"""The shared small world (STYLE.md): two provinces, offices and schools, a user of every role,
and outsiders from the sibling branch. Built once per test through the `world` fixture."""

from dataclasses import dataclass, field
from datetime import date

import pytest
from django.contrib.auth.models import User

from bdtx.accounts.models import Role
from bdtx.accounts.services import role_assign
from bdtx.core.scope import SYSTEM
from bdtx.core.tests.factories import EmploymentFactory, PersonFactory, UserFactory
from bdtx.organisations.models import Unit, UnitKind
from bdtx.organisations.services import unit_create, unit_move, unit_update
from bdtx.people.models import Gender, Person, Position, StaffType

PASSWORD = "matkhau-demo-2025"
MOVE_DAY = date(2025, 7, 1)


@dataclass
class World:
    units: dict[str, Unit] = field(default_factory=dict)
    users: dict[str, User] = field(default_factory=dict)
    people: dict[str, Person] = field(default_factory=dict)

    def u(self, key: str) -> Unit:
        return self.units[key]


def _unit(w: World, key: str, kind: str, name: str, code: str, parent: str | None, **kw: object) -> Unit:
    w.units[key] = unit_create(
        scope=SYSTEM,
        kind=kind,
        name=name,
        code=code,
        parent=w.units[parent] if parent else None,
        valid_from=date(2000, 1, 1),
        **kw,
    )
    return w.units[key]


def build_world() -> World:
    w = World()
    _unit(w, "bo", UnitKind.MINISTRY, "Bộ Giáo dục và Đào tạo", "BGDDT", None)
    _unit(w, "so_a", UnitKind.DEPARTMENT, "Sở GD&ĐT Tỉnh An", "04", "bo")
    _unit(w, "so_b", UnitKind.DEPARTMENT, "Sở GD&ĐT Tỉnh Bình", "08", "bo")
    _unit(w, "phong_a", UnitKind.DISTRICT, "Phòng GD&ĐT huyện Cũ", "PGD-040", "so_a")
    _unit(w, "xa_a1", UnitKind.COMMUNE, "UBND xã Đông", "01270", "so_a")
    _unit(w, "xa_a2", UnitKind.COMMUNE, "UBND xã Tây", "01273", "so_a")
    _unit(w, "xa_b1", UnitKind.COMMUNE, "UBND xã Bắc", "02200", "so_b")
    _unit(w, "th_a1", UnitKind.SCHOOL, "Trường Tiểu học Đông", "TH-A1", "phong_a", levels=["TH"], difficult_area=True)
    _unit(w, "thcs_a2", UnitKind.SCHOOL, "Trường THCS Tây", "THCS-A2", "xa_a2", levels=["THCS"])
    _unit(w, "thpt_a", UnitKind.SCHOOL, "Trường THPT Tỉnh An", "THPT-A", "so_a", levels=["THPT"])
    _unit(w, "th_b1", UnitKind.SCHOOL, "Trường Tiểu học Bắc", "TH-B1", "xa_b1", levels=["TH"])
    _unit(w, "cs_dt", UnitKind.INSTITUTION, "Trường Cao đẳng Sư phạm", "CDSP", None)
    # The district is abolished on 01/07/2025: its school moves to the commune.
    unit_move(scope=SYSTEM, unit=w.units["th_a1"], new_parent=w.units["xa_a1"], effective=MOVE_DAY)
    unit_update(scope=SYSTEM, unit=w.units["phong_a"], dissolved_on=MOVE_DAY)
    for key in w.units:
        w.units[key].refresh_from_db()

    def user(key: str, role: str | None, unit: str | None) -> User:
        u = UserFactory(username=key, first_name=key)
        if role and unit:
            role_assign(scope=SYSTEM, user=u, unit=w.units[unit], role=role)
        w.users[key] = u
        return u

    user("sysadmin", Role.SYSTEM_ADMIN, "bo")
    user("ministry", Role.MINISTRY_STAFF, "bo")
    user("so_a", Role.DEPARTMENT_STAFF, "so_a")
    user("so_b", Role.DEPARTMENT_STAFF, "so_b")
    user("xa_a1", Role.OFFICE_STAFF, "xa_a1")
    user("principal_a1", Role.SCHOOL_ADMIN, "th_a1")
    user("principal_a2", Role.SCHOOL_ADMIN, "thcs_a2")
    user("principal_b1", Role.SCHOOL_ADMIN, "th_b1")
    user("institution", Role.INSTITUTION_STAFF, "cs_dt")
    user("norole", None, None)
    teacher_user = user("teacher_a1", Role.LEARNER, "th_a1")
    mentor_user = user("mentor_a1", Role.MENTOR, "th_a1")

    # Fixed, distinct names: tests look for a person's name on a page (the URL walk's leak check),
    # and names drawn from Faker's small pool collide in about one world in a hundred.
    names = {
        "teacher_a1": ("Nguyễn", "Thị", "Đào", Gender.FEMALE),
        "mentor_a1": ("Trần", "Văn", "Hùng", Gender.MALE),
        "colleague_a1": ("Lê", "Thị", "Hồng", Gender.FEMALE),
        "principal_a1": ("Phạm", "Văn", "Đức", Gender.MALE),
        "teacher_a2": ("Hoàng", "Thị", "Lan", Gender.FEMALE),
        "teacher_b1": ("Vũ", "Thị", "Ngọc", Gender.FEMALE),
    }

    def employ(key: str, unit: str, **kw: object) -> Person:
        family, middle, given, gender = names[key]
        person = EmploymentFactory(
            unit=w.units[unit],
            person__family_name=family,
            person__middle_name=middle,
            person__given_name=given,
            person__gender=gender,
            **kw,
        ).person
        w.people[key] = person
        return person

    employ("teacher_a1", "th_a1")
    employ("mentor_a1", "th_a1", is_mentor=True)
    employ("colleague_a1", "th_a1")
    employ("principal_a1", "th_a1", position=Position.PRINCIPAL, staff_type=StaffType.MANAGER)
    employ("teacher_a2", "thcs_a2", school_level="THCS")
    employ("teacher_b1", "th_b1")
    for key, u in (("teacher_a1", teacher_user), ("mentor_a1", mentor_user)):
        Person.objects.filter(pk=w.people[key].pk).update(user=u)
        w.people[key].refresh_from_db()
    return w


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    return build_world()


@pytest.fixture
def login(client):  # type: ignore[no-untyped-def]
    """login(user) → the test client signed in as that user."""

    def _login(user: User):  # type: ignore[no-untyped-def]
        client.force_login(user)
        return client

    return _login


@pytest.fixture
def scope_of(world):  # type: ignore[no-untyped-def]
    """scope_of("so_a") → that world user's scope, as a view or a task would build it."""
    from bdtx.accounts.selectors import scope_for_user

    return lambda user: scope_for_user(world.users[user])


__all__ = ["PASSWORD", "PersonFactory", "World", "build_world"]
