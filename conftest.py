"""The shared small world (STYLE.md): two provinces, offices and schools, a user of every role,
and outsiders from the sibling branch.

The world is built once per test session (per xdist worker), right after the test database is
created, and committed: every test starts from the migrated data plus the world. A test's own
transaction rolls back onto it; a transactional test (`transactional_db`, `live_server`) ends with a
flush, after which the database is reloaded from a snapshot taken once the world was built. The
`world` fixture hands each test its own deep copy of the model instances, so a test that changes
`world.units[...]` in memory, or adds keys to the dicts, leaves the next test untouched.
"""

import copy
from collections.abc import Generator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connections, router
from django.db.models import Model
from pytest_django import DjangoDbBlocker
from pytest_django.fixtures import validate_django_db

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
    # A training institution belongs to the Sở that contracts it.
    _unit(w, "cs_dt", UnitKind.INSTITUTION, "Trường Cao đẳng Sư phạm", "CDSP", "so_a")
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
    _training(w)
    _bieu3(w)
    return w


def _bieu3(w: World) -> None:
    """A Biểu 3 draft of a commune office in each province, for the URL walk to try from the other."""
    from bdtx.bieu3.models import Bieu3Report
    from bdtx.core.models import SchoolYear

    for office in ("xa_a2", "xa_b1"):
        Bieu3Report.objects.create(
            unit=w.units[office],
            school_year=SchoolYear.of(2026),
            period_from=date(2026, 9, 1),
            period_to=date(2026, 12, 31),
            assess_general=f"Đánh giá của {w.units[office].name}",
        )


def _training(w: World) -> None:
    """A cohort of programme 02 in each province, a learner of each enrolled in a group: objects of
    every training model for the URL walk to try from the other province (written directly, no audit)."""
    from bdtx.core.models import SchoolYear
    from bdtx.training.models import (
        ApplicationEvidence,
        Attendance,
        Cohort,
        CohortSession,
        CompletionList,
        Enrolment,
        Question,
        QuestionMessage,
        SupportGroup,
    )

    year = SchoolYear.of(2026)
    for province, school, learner in (("so_a", "thcs_a2", "teacher_a2"), ("so_b", "th_b1", "teacher_b1")):
        cohort = Cohort.objects.create(
            school_year=year,
            organiser=w.units[province],
            name=f"Lớp BD02 {w.units[province].name}",
            programme="BD02",
            content_title="Giáo dục địa phương",
            form="tu_xa",
            capacity=100,
        )
        group = SupportGroup.objects.create(cohort=cohort, number=1, name="Nhóm 1")
        enrolment = Enrolment.objects.create(
            cohort=cohort, person=w.people[learner], unit=w.units[school], school_year=year, group=group
        )
        # an in-person session with a mark: the attendance pages for the walk to try
        session = CohortSession.objects.create(
            cohort=cohort,
            venue="Hội trường",
            starts_at=datetime(2026, 12, 8, 0, 30, tzinfo=UTC),
            ends_at=datetime(2026, 12, 8, 4, 0, tzinfo=UTC),
        )
        Attendance.objects.create(session=session, enrolment=enrolment, mark="present", source="roster")
        # a question with its first message: the questions pages for the walk
        question = Question.objects.create(
            cohort=cohort, enrolment=enrolment, group=group, unit=w.units[school], title="Câu hỏi về bài tập"
        )
        QuestionMessage.objects.create(
            question=question, author_name=w.people[learner].full_name, role="learner", kind="gv_cc", body="Xin hỏi."
        )
        # a completion list sent to the school's managing office, and evidence of application
        sent = CompletionList.objects.create(cohort=cohort, office=w.units[school].parent, learners=1, completed=1)
        Enrolment.objects.filter(pk=enrolment.pk).update(completion_list=sent, completed=True)
        ApplicationEvidence.objects.create(
            enrolment=enrolment, kind="observation", observed_on=date(2026, 11, 20), description="Dự giờ tiết Toán."
        )
        _survey(w, province, cohort)


def _survey(w: World, province: str, cohort: Any) -> None:
    """A questionnaire the Sở keeps, put to its cohort (closed long ago: nobody is asked to answer):
    the questionnaire and survey pages for the URL walk to try from the other province."""
    from bdtx.surveys.models import Question, Questionnaire, Survey

    qn = Questionnaire.objects.create(title=f"Phiếu của {w.units[province].name}", owner=w.units[province])
    Question.objects.create(questionnaire=qn, position=1, kind="likert5", text="Tôi hài lòng.")
    Survey.objects.create(questionnaire=qn, cohort=cohort, opens_on=date(2026, 1, 5), closes_on=date(2026, 1, 19))


@dataclass
class _Session:
    """What django_db_setup built for this session (this xdist worker)."""

    world: World | None = None
    # (alias, model, primary keys) of every row the world added: remove_world() deletes them
    rows: list[tuple[str, type[Model], list[Any]]] = field(default_factory=list)
    # alias → the whole database serialised once the world was built: reloaded after a flush
    snapshot: dict[str, str] = field(default_factory=dict)
    blocker: DjangoDbBlocker | None = None


_SESSION = _Session()


def _is_transactional(item: pytest.Item) -> bool:
    """Whether pytest-django runs this test as a TransactionTestCase (it ends with a flush)."""
    names = getattr(item, "fixturenames", ())
    if {"transactional_db", "live_server", "django_db_reset_sequences"} & set(names):
        return True
    marker = item.get_closest_marker("django_db")
    if marker is None:
        return False
    transaction, reset_sequences, *_ = validate_django_db(marker)
    return transaction or reset_sequences


def _primary_keys() -> dict[tuple[str, type[Model]], set[Any]]:
    return {
        (alias, model): set(model._base_manager.using(alias).values_list("pk", flat=True))
        for alias in connections
        for model in apps.get_models(include_auto_created=True)
        if router.allow_migrate_model(alias, model)
    }


def remove_world() -> None:
    """Delete the shared world's rows, for a test that needs the database as migrations leave it.

    Call it inside the test's transaction (the `db_without_world` fixture does), which rolls the
    deletion back. Raw deletes in any order: foreign keys are checked at the end of the transaction.
    """
    for alias, model, pks in _SESSION.rows:
        table = connections[alias].ops.quote_name(model._meta.db_table)
        column = connections[alias].ops.quote_name(model._meta.pk.column)
        with connections[alias].cursor() as cursor:
            for start in range(0, len(pks), 500):
                chunk = pks[start : start + 500]
                cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({', '.join(['%s'] * len(chunk))})", chunk)


def _snapshot_databases() -> dict[str, str]:
    return {alias: connections[alias].creation.serialize_db_to_string() for alias in connections}


def _restore_databases(snapshot: dict[str, str]) -> None:
    """Empty the databases and load the snapshot back: same rows, same primary keys."""
    for alias, data in snapshot.items():
        # As TransactionTestCase flushes: sequences stay past the snapshot's keys (PostgreSQL does not
        # advance them on inserts with explicit keys); the snapshot holds the content types already.
        call_command(
            "flush",
            verbosity=0,
            interactive=False,
            database=alias,
            reset_sequences=False,
            inhibit_post_migrate=True,
        )
        connections[alias].creation.deserialize_db_from_string(data)


@pytest.fixture(scope="session")
def django_db_setup(  # type: ignore[no-untyped-def]
    request: pytest.FixtureRequest,
    django_db_setup,
    django_db_blocker: DjangoDbBlocker,
    django_db_keepdb: bool,
) -> Generator[None]:
    """pytest-django's test databases, then the shared world, built once and committed."""
    before: dict[str, str] = {}
    with django_db_blocker.unblock():
        if django_db_keepdb:  # --reuse-db: leave the kept database as it was found
            before = _snapshot_databases()
        existing = _primary_keys()
        _SESSION.world = build_world()
        _SESSION.rows = [
            (alias, model, sorted(pks - existing[alias, model]))
            for (alias, model), pks in _primary_keys().items()
            if pks - existing[alias, model]
        ]
        if any(_is_transactional(item) for item in request.session.items):
            _SESSION.snapshot = _snapshot_databases()
    _SESSION.blocker = django_db_blocker
    yield
    if before:
        with django_db_blocker.unblock():
            _restore_databases(before)
    _SESSION.world = None
    _SESSION.rows = []
    _SESSION.snapshot = {}
    _SESSION.blocker = None


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """tests/test_world.py first, in file order: xdist hands the first tests to one worker together,
    so its tests meet the world one after the other (trylast: after -m and -k deselected)."""
    first = [item for item in items if item.path.name == "test_world.py" and item.path.parent.name == "tests"]
    if first:
        items[:] = first + [item for item in items if item not in first]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None]:
    """After a transactional test's flush (its fixtures are torn down by now), reload the snapshot."""
    try:
        return (yield)
    finally:
        flushed = "_django_db_helper" in getattr(item, "funcargs", {}) and _is_transactional(item)
        if flushed and _SESSION.snapshot and _SESSION.blocker is not None:
            with _SESSION.blocker.unblock():
                _restore_databases(_SESSION.snapshot)


@pytest.fixture
def world(db: None, django_db_setup: None) -> World:
    """The shared world as this test's own Python objects (the rows are in the database already)."""
    assert _SESSION.world is not None, "django_db_setup builds the world"
    return copy.deepcopy(_SESSION.world)


@pytest.fixture
def db_without_world(db: None) -> None:
    """The database as migrations leave it (seed data only), for a test that counts whole tables."""
    remove_world()


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


__all__ = ["PASSWORD", "PersonFactory", "World", "build_world", "remove_world"]
