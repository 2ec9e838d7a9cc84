"""Fixtures of the personal-plan, recommendation and deadline tests.

The regimes (TT 19/2019 for 2020 on: 40/40/40) and the shipped module catalogs come from the data
migrations; these tests add a catalog and a standard of their own, so that which modules serve
which criteria is known exactly and the shipped data can change without breaking them.
"""

from dataclasses import dataclass, field

import pytest

from bdtx.catalog.models import Catalog, Module, ProgrammeContent
from bdtx.people.models import Audience, Person
from bdtx.regimes.models import Programme
from bdtx.standards.models import Assessment, Criterion, CriterionRating, Framework, Level, Standard

YEAR = 2026  # the current school year of the test world (today is 23/11/2026)


@dataclass
class Catalogue:
    catalog: Catalog
    old: Catalog
    m: dict[str, Module] = field(default_factory=dict)
    criteria: dict[int, Criterion] = field(default_factory=dict)
    framework: Framework | None = None


def _module(cat: Catalog, code: str, hours: int | None, *, audience: str = Audience.GVPT, levels: str = "") -> Module:
    return Module.objects.create(
        catalog=cat, code=code, title=f"Mô đun thử {code}", audience=audience, levels=levels, hours_total=hours
    )


@pytest.fixture
def pcat(world) -> Catalogue:  # type: ignore[no-untyped-def]
    """A test catalog for general-school teachers (and a few misfits), and a standard of 6 criteria.

    A20, B20 (20 periods, serve criteria 1 and 2), C40 (40, serves 3), D19, E21 (19 and 21: the
    boundaries of 40), N (unknown periods, serves 4), THCS (lower secondary only, serves 1),
    QL (for managers, serves 1), OLD (catalog out of force, serves 1).
    """
    cat = Catalog.objects.create(
        code="TEST-PLANS", name="Danh mục thử", circular="TT thử", audience=Audience.GVPT, first_year=2020
    )
    old = Catalog.objects.create(
        code="TEST-OLD", name="Danh mục cũ", circular="TT cũ", audience=Audience.GVPT, first_year=2012, last_year=2019
    )
    fw = Framework.objects.create(code="TEST-FW", name="Chuẩn thử", circular="TT thử", audience="GVPT", first_year=2018)
    std = Standard.objects.create(framework=fw, number=1, title="Tiêu chuẩn thử")
    c = Catalogue(catalog=cat, old=old, framework=fw)
    for n in range(1, 7):
        c.criteria[n] = Criterion.objects.create(standard=std, number=n, title=f"Tiêu chí thử {n}")
    spec = {
        "A20": (cat, 20, Audience.GVPT, "", [1]),
        "B20": (cat, 20, Audience.GVPT, "", [2]),
        "C40": (cat, 40, Audience.GVPT, "", [3]),
        "D19": (cat, 19, Audience.GVPT, "", []),
        "E21": (cat, 21, Audience.GVPT, "", []),
        "N": (cat, None, Audience.GVPT, "", [4]),
        "THCS": (cat, 20, Audience.GVPT, ",THCS,", [1]),
        "QL": (cat, 20, Audience.QLPT, "", [1]),
        "OLD": (old, 20, Audience.GVPT, "", [1]),
    }
    for code, (catalog, hours, audience, levels, crit) in spec.items():
        m = _module(catalog, code, hours, audience=audience, levels=levels)
        m.criteria.set([c.criteria[n] for n in crit])
        c.m[code] = m
    return c


def assess(person: Person, unit, cat: Catalogue, levels: dict[int, int], *, year: int = YEAR - 1) -> Assessment:  # type: ignore[no-untyped-def]
    """A self-assessment of `person` against the test standard: criterion number → level."""
    a = Assessment.objects.create(person=person, unit=unit, school_year_id=year, framework=cat.framework)
    for n, level in levels.items():
        CriterionRating.objects.create(assessment=a, criterion=cat.criteria[n], self_level=level)
    return a


def content(world, *, bd01: tuple[int, ...] = (40,), bd02: tuple[int, ...] = (40,), year: int = YEAR) -> None:  # type: ignore[no-untyped-def]
    """Programme 01 topics of the ministry and 02 topics of province A with these periods."""
    for i, hours in enumerate(bd01):
        ProgrammeContent.objects.create(
            unit=world.u("bo"), school_year_id=year, programme=Programme.BD01, title=f"Chủ đề 01.{i}", hours=hours
        )
    for i, hours in enumerate(bd02):
        ProgrammeContent.objects.create(
            unit=world.u("so_a"), school_year_id=year, programme=Programme.BD02, title=f"Chủ đề 02.{i}", hours=hours
        )


@pytest.fixture
def principal_person(world) -> Person:  # type: ignore[no-untyped-def]
    """The principal of th_a1 as a person with the principal's account (for 'not their own plan')."""
    person = world.people["principal_a1"]
    Person.objects.filter(pk=person.pk).update(user=world.users["principal_a1"])
    person.refresh_from_db()
    return person


__all__ = ["YEAR", "Catalogue", "Level", "assess", "content"]
