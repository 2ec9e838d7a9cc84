"""A database loaded before the second demo province gets it on the next load, the same as a
fresh load would make it, and the first province is left as it was."""

import pytest
from django.db import transaction

from bdtx.core.scope import SYSTEM
from bdtx.demo import province as demo
from bdtx.demo.cao_bang import CAO_BANG
from bdtx.demo.lang_son import LANG_SON
from bdtx.demo.places import MINISTRY_CODE
from bdtx.organisations.models import Unit, UnitKind
from bdtx.organisations.services import unit_create
from bdtx.people.models import Employment

pytestmark = pytest.mark.usefixtures("db_without_world")

STAFF = 600  # Cao Bằng's (its account school needs a few teachers); Lạng Sơn keeps its fifth


def _people_of(province: str) -> list[tuple[object, ...]]:
    path = Unit.objects.get(code=province).path
    return list(
        Employment.objects.filter(unit__path__startswith=path)
        .order_by("person__personal_id", "school_year")
        .values_list(
            "person__personal_id", "person__family_name", "person__given_name", "school_year", "unit__code", "position"
        )
    )


def test_a_database_with_the_first_province_gets_the_second_on_the_next_load(monkeypatch):
    with transaction.atomic():
        both = demo.demo_load(staff=STAFF)
        fresh = _people_of(LANG_SON.code)
        transaction.set_rollback(True)
    assert [s.loaded for s in both] == [True, True]
    assert not Unit.objects.filter(code__in=LANG_SON.codes()).exists()

    monkeypatch.setattr(demo, "PROVINCES", (CAO_BANG,))  # as the loader was before
    demo.demo_load(staff=STAFF)
    first = _people_of(CAO_BANG.code)
    monkeypatch.undo()

    summaries = demo.demo_load(staff=STAFF)
    assert [(s.province, s.loaded) for s in summaries] == [("Cao Bằng", False), ("Lạng Sơn", True)]
    assert _people_of(CAO_BANG.code) == first
    assert _people_of(LANG_SON.code) == fresh  # deterministic, whatever was loaded before
    assert 0.15 <= len(fresh) / len(first) <= 0.25
    assert [s.loaded for s in demo.demo_load(staff=STAFF)] == [False, False]


def test_a_province_whose_codes_are_partly_taken_is_refused_before_anything_is_written():
    ministry = unit_create(scope=SYSTEM, kind=UnitKind.MINISTRY, name="Bộ GD&ĐT", code=MINISTRY_CODE, parent=None)
    unit_create(scope=SYSTEM, kind=UnitKind.INSTITUTION, name="Another unit", code="20TH001", parent=ministry)
    units = Unit.objects.count()
    with pytest.raises(demo.DemoConflict, match="Lạng Sơn"):
        demo.demo_load(staff=STAFF)
    assert Unit.objects.count() == units  # not even Cao Bằng, whose codes are free
