"""Selectors the personal plans build on: content per programme and the province's focus modules."""

from bdtx.catalog.models import ProgrammeContent
from bdtx.catalog.selectors import content_for, focus_modules_for
from bdtx.catalog.tests.conftest import YEAR, module
from bdtx.core.models import SchoolYear
from bdtx.regimes.models import Programme


def _content(unit, programme, title, hours=10, *, audience="", level="", year=YEAR, position=0):
    return ProgrammeContent.objects.create(
        unit=unit,
        school_year_id=year,
        programme=programme,
        audience=audience,
        school_level=level,
        title=title,
        hours=hours,
        position=position,
    )


def test_a_teacher_gets_the_ministrys_bd01_and_their_own_provinces_bd02_only(world):
    _content(world.u("bo"), Programme.BD01, "Chủ trương năm học", position=1)
    _content(world.u("bo"), Programme.BD01, "Chương trình GDPT 2018 cấp tiểu học", level="TH", position=2)
    _content(world.u("bo"), Programme.BD01, "Chương trình GDPT 2018 cấp THCS", level="THCS")
    _content(world.u("so_a"), Programme.BD02, "Giáo dục địa phương tỉnh An")
    _content(world.u("so_b"), Programme.BD02, "Giáo dục địa phương tỉnh Bình")
    _content(world.u("bo"), Programme.BD01, "Năm học trước", year=YEAR - 1)
    found = content_for(unit=world.u("th_a1"), school_year=SchoolYear.of(YEAR), audience="GVPT", school_level="TH")
    assert [c.title for c in found[Programme.BD01]] == ["Chủ trương năm học", "Chương trình GDPT 2018 cấp tiểu học"]
    assert [c.title for c in found[Programme.BD02]] == ["Giáo dục địa phương tỉnh An"]


def test_content_for_managers_is_not_given_to_teachers(world):
    _content(world.u("so_a"), Programme.BD02, "Quản trị nhà trường", audience="QLPT")
    _content(world.u("so_a"), Programme.BD02, "Cho mọi người")
    teachers = content_for(unit=world.u("th_a1"), school_year=SchoolYear.of(YEAR), audience="GVPT", school_level="TH")
    managers = content_for(unit=world.u("th_a1"), school_year=SchoolYear.of(YEAR), audience="QLPT", school_level="TH")
    assert [c.title for c in teachers[Programme.BD02]] == ["Cho mọi người"]
    assert {c.title for c in managers[Programme.BD02]} == {"Quản trị nhà trường", "Cho mọi người"}


def test_content_for_gives_both_programmes_even_when_empty(world):
    assert content_for(unit=world.u("th_b1"), school_year=SchoolYear.of(YEAR), audience="GVPT", school_level="TH") == {
        Programme.BD01: [],
        Programme.BD02: [],
    }


def test_seed_003_focus_modules_reach_teachers_and_managers_of_the_province_in_priority_order(
    world, mn_a, seed_003_focus
):
    unit = world.u("th_a1")
    teacher = focus_modules_for(unit=unit, school_year=SchoolYear.of(YEAR), audience="GVPT", school_level="TH")
    manager = focus_modules_for(unit=unit, school_year=SchoolYear.of(YEAR), audience="QLPT", school_level="TH")
    preschool = focus_modules_for(unit=mn_a, school_year=SchoolYear.of(YEAR), audience="GVMN", school_level="MN")
    assert [m.code for m in teacher] == ["MĐ 04", "MĐ 05", "MĐ 09"]
    assert all(m.catalog.code == "GDPT2018-GV-QD4660" for m in teacher)
    assert [m.code for m in manager] == ["MĐ 04", "MĐ 05", "MĐ 09"]
    assert all(m.catalog.code == "GDPT2018-QL-QD4660" for m in manager)
    assert [m.code for m in preschool] == ["GVMN 04", "GVMN 19"]


def test_another_provinces_focus_modules_are_not_proposed(world, seed_003_focus):
    assert (
        focus_modules_for(unit=world.u("th_b1"), school_year=SchoolYear.of(YEAR), audience="GVPT", school_level="TH")
        == []
    )


def test_focus_modules_of_a_level_are_not_given_to_another_level(world, mn_a, seed_003_focus):
    assert (
        focus_modules_for(unit=world.u("th_a1"), school_year=SchoolYear.of(YEAR), audience="GVMN", school_level="TH")
        == []
    )
    assert module("GVMN-TT12-2019", "GVMN 04") in focus_modules_for(
        unit=mn_a, school_year=SchoolYear.of(YEAR), audience="GVMN", school_level="MN"
    )


def test_focus_modules_take_a_constant_number_of_queries(world, seed_003_focus, django_assert_num_queries):
    year = SchoolYear.of(YEAR)
    with django_assert_num_queries(1):
        modules = focus_modules_for(unit=world.u("th_a1"), school_year=year, audience="GVPT", school_level="TH")
        [m.catalog.code for m in modules]
