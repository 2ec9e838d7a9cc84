"""Fixtures of the standards tests: the frameworks loaded by the data migration, level maps,
assessments in the shared world, and TEMIS files."""

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User

from bdtx.accounts.selectors import scope_for_user
from bdtx.core.selectors import school_year_current
from bdtx.core.tests.factories import UserFactory, as_person
from bdtx.people.models import Employment, Person, Position
from bdtx.standards import services
from bdtx.standards.models import Assessment, Criterion, Framework, Level
from bdtx.standards.services import SelfRating


def framework(code: str) -> Framework:
    return Framework.objects.get(code=code)


def levels_of(fw: Framework, default: int | None, **by_number: int | None) -> dict[int, int | None]:
    """{criterion id: level}: every criterion at `default`, criteria named c<n>=level otherwise."""
    return {c.pk: by_number.get(f"c{c.number}", default) for c in Criterion.objects.filter(standard__framework=fw)}


def entries(fw: Framework, default: int | None, **by_number: int | None) -> dict[int, SelfRating]:
    return {cid: SelfRating(level=lvl) for cid, lvl in levels_of(fw, default, **by_number).items()}


@pytest.fixture
def tt20(db) -> Framework:  # type: ignore[no-untyped-def]
    return framework("tt20_2018_gvpt")


@pytest.fixture
def tt14(db) -> Framework:  # type: ignore[no-untyped-def]
    return framework("tt14_2018_hieutruong")


@pytest.fixture
def tt26(db) -> Framework:  # type: ignore[no-untyped-def]
    return framework("tt26_2018_gvmn")


@pytest.fixture
def levels() -> Callable[..., dict[int, int | None]]:
    return levels_of


@pytest.fixture
def self_assess(world):  # type: ignore[no-untyped-def]
    """self_assess(person_key, level=Khá, submit=True, **c<n>=level) → the person's assessment this year."""

    def _go(key: str, default: int | None = Level.GOOD, *, submit: bool = True, **by_number: int | None) -> Assessment:
        person = world.people[key]
        emp = Employment.objects.get(person=person, school_year=school_year_current())
        from bdtx.standards.selectors import framework_for_employment

        fw = framework_for_employment(emp)
        assert fw is not None
        me = as_person(person)
        a = services.assessment_save_self(
            scope=me,
            person=person,
            school_year=school_year_current(),
            ratings=entries(fw, default, **by_number),
        )
        return services.assessment_submit(scope=me, assessment=a) if submit else a

    return _go


@pytest.fixture
def submitted(self_assess) -> Assessment:  # type: ignore[no-untyped-def]
    """teacher_a1's self-assessment (TT 20/2018), submitted: everything Khá, criterion 14 Đạt."""
    return self_assess("teacher_a1", Level.GOOD, c14=Level.MET)


@pytest.fixture
def user_for(world):  # type: ignore[no-untyped-def]
    """user_for(person_key, position=None) → an account linked to that person of the world."""

    def _go(key: str, position: str | None = None) -> User:
        person: Person = world.people[key]
        if person.user_id:
            return person.user
        user = UserFactory(username=f"u_{key}")
        Person.objects.filter(pk=person.pk).update(user=user)
        if position:
            Employment.objects.filter(person=person, school_year=school_year_current()).update(position=position)
        person.refresh_from_db()
        return user

    return _go


@pytest.fixture
def group_head(user_for) -> User:  # type: ignore[no-untyped-def]
    """colleague_a1, made the subject-group head of th_a1 with an account."""
    return user_for("colleague_a1", Position.GROUP_HEAD)


def scope_of(user: User):  # type: ignore[no-untyped-def]
    return scope_for_user(user)


__all__ = ["Level", "entries", "framework", "levels_of", "scope_of"]
