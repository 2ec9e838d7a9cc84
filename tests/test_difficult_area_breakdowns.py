"""Every breakdown counts the person's post, not only the school (seed 003's Biểu 3 asks "bao nhiêu
học viên công tác tại vùng khó khăn"): a teacher at a satellite site (điểm trường) in a difficult
village of a school that is not listed as a difficult area counts as in a difficult area — in the staff
list and its filter, the head counts, the staff export, the API, the unit plan's figures and the
participant list — and a post explicitly not in one, at a difficult school, counts as not. Pages and
figures keep a constant number of queries."""

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from bdtx.accounts.selectors import scope_for_user
from bdtx.core.scope import SYSTEM
from bdtx.core.selectors import school_year_current
from bdtx.core.tests.factories import EmploymentFactory
from bdtx.people.models import Employment, Person
from bdtx.people.selectors import StaffFilter, staff_counts, staff_list
from bdtx.plans.tests.unit_fixtures import *  # noqa: F403
from bdtx.plans.tests.unit_fixtures import plan_for
from bdtx.plans.unit import documents
from bdtx.plans.unit.services import unit_plan_compile

pytestmark = pytest.mark.django_db


@pytest.fixture
def posts(world):  # type: ignore[no-untyped-def]
    """teacher_a2 at a satellite site of THCS Tây (not a difficult area) in a difficult village;
    colleague_a1 at the central site of TH Đông (a difficult area) in town."""
    assert not world.u("thcs_a2").difficult_area and world.u("th_a1").difficult_area
    year = school_year_current()
    Employment.objects.filter(person=world.people["teacher_a2"], school_year=year).update(difficult_area=True)
    Employment.objects.filter(person=world.people["colleague_a1"], school_year=year).update(difficult_area=False)
    return world


def _names(qs) -> set[str]:  # type: ignore[no-untyped-def]
    return {e.person.full_name for e in qs}


def test_the_staff_list_filter_goes_by_the_post(posts):
    year = school_year_current()
    difficult = staff_list(scope=SYSTEM, f=StaffFilter(school_year=year, difficult="1"))
    not_difficult = staff_list(scope=SYSTEM, f=StaffFilter(school_year=year, difficult="0"))
    p = posts.people
    assert _names(difficult) == {p[k].full_name for k in ("teacher_a1", "mentor_a1", "principal_a1", "teacher_a2")}
    assert _names(not_difficult) == {p[k].full_name for k in ("colleague_a1", "teacher_b1")}


def test_the_staff_list_page_marks_and_filters_by_the_post(posts, login):
    r = login(posts.users["principal_a2"]).get(reverse("people:list"), {"difficult": "1"})
    assert r.status_code == 200 and posts.people["teacher_a2"].full_name in r.text
    assert ">VKK</span>" in r.text  # the badge, on the row of a school that is not a difficult area
    r = login(posts.users["principal_a1"]).get(reverse("people:list"), {"difficult": "1"})
    assert posts.people["colleague_a1"].full_name not in r.text


def test_head_counts_go_by_the_post(posts):
    year = school_year_current()
    assert staff_counts(scope=SYSTEM, school_year=year, unit=posts.u("thcs_a2")).difficult == 1
    assert staff_counts(scope=SYSTEM, school_year=year, unit=posts.u("th_a1")).difficult == 3
    assert staff_counts(scope=SYSTEM, school_year=year, unit=posts.u("so_a")).difficult == 4


def test_head_counts_take_the_same_queries_whatever_the_posts(posts, django_assert_max_num_queries):
    year, unit = school_year_current(), posts.u("so_a")
    with django_assert_max_num_queries(2) as before:  # the units of that year's tree, then one aggregate
        staff_counts(scope=SYSTEM, school_year=year, unit=unit)
    for value in (True, False, None) * 5:
        EmploymentFactory(unit=posts.u("thcs_a2"), difficult_area=value)
    with django_assert_max_num_queries(len(before.captured_queries)):
        assert staff_counts(scope=SYSTEM, school_year=year, unit=unit).difficult == 4 + 5


def test_the_staff_list_page_keeps_its_query_count_with_posts_set(posts, login, django_assert_max_num_queries):
    client = login(posts.users["sysadmin"])
    with django_assert_max_num_queries(12) as before:
        client.get(reverse("people:list"))
    for value in (True, False, None) * 5:
        EmploymentFactory(unit=posts.u("thcs_a2"), difficult_area=value)
    with django_assert_max_num_queries(len(before.captured_queries)):
        client.get(reverse("people:list"), {"difficult": "1"})


def _sheet(content: bytes) -> list[list]:
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


def test_the_staff_export_writes_the_post(posts, login):
    rows = _sheet(login(posts.users["so_a"]).get(reverse("people:export")).content)
    header = rows[3]
    column = header.index("Vùng khó khăn")
    by_name = {f"{r[1]} {r[2]} {r[3]}": r[column] for r in rows[4:] if r and r[0] != ""}
    p = posts.people
    assert by_name[p["teacher_a2"].full_name] == "Có"
    assert by_name[p["colleague_a1"].full_name] == "Không"
    assert by_name[p["teacher_a1"].full_name] == "Có (theo đơn vị)"


def test_the_api_gives_the_post_and_filters_by_it(posts, login):
    client = login(posts.users["so_a"])
    rows = client.get(reverse("api:staff")).json()["results"]
    by_id = {r["id"]: r["difficult_area"] for r in rows}
    assert by_id[str(posts.people["teacher_a2"].uuid)] is True
    assert by_id[str(posts.people["colleague_a1"].uuid)] is False
    filtered = client.get(reverse("api:staff"), {"difficult": "1"}).json()["results"]
    ids = {r["id"] for r in filtered}
    assert str(posts.people["teacher_a2"].uuid) in ids and str(posts.people["colleague_a1"].uuid) not in ids


def _compile(world, user: str, unit: str) -> dict:  # type: ignore[no-untyped-def]
    scope = scope_for_user(world.users[user])
    return unit_plan_compile(scope=scope, unit=world.u(unit), school_year=school_year_current()).totals


def test_the_unit_plan_counts_the_post(posts, catalogue):
    plan_for(posts.people["teacher_a2"], posts.u("thcs_a2"), catalogue, modules=(0,))
    plan_for(posts.people["teacher_a1"], posts.u("th_a1"), catalogue, modules=(0,))
    plan_for(posts.people["colleague_a1"], posts.u("th_a1"), catalogue, modules=(0,))
    key = f"m:{catalogue.modules[0].uuid}"
    school = _compile(posts, "principal_a2", "thcs_a2")["lines"][key]
    assert (school["people"], school["difficult"]) == (1, 1)
    difficult_school = _compile(posts, "principal_a1", "th_a1")["lines"][key]
    assert (difficult_school["people"], difficult_school["difficult"]) == (2, 1)
    # the hours are not multiplied by the person's other years
    assert difficult_school["periods"] == 40


def test_a_plan_without_work_that_year_goes_by_the_plans_unit(posts, catalogue):
    person = Person.objects.create(family_name="Ma", given_name="Thu", gender="F")
    plan_for(person, posts.u("th_a1"), catalogue, modules=(0,))
    line = _compile(posts, "principal_a1", "th_a1")["lines"][f"m:{catalogue.modules[0].uuid}"]
    assert (line["people"], line["difficult"]) == (1, 1)


def test_the_participant_list_marks_the_post(posts, catalogue):
    plan_for(posts.people["teacher_a2"], posts.u("thcs_a2"), catalogue, modules=(0,))
    plan_for(posts.people["colleague_a1"], posts.u("th_a1"), catalogue, modules=(0,))
    plan_for(posts.people["teacher_a1"], posts.u("th_a1"), catalogue, modules=(0,))
    content, _count = documents.participants_xlsx(
        unit=posts.u("so_a"), school_year=school_year_current(), sensitive=True
    )
    rows = _sheet(content)
    column = rows[3].index("Vùng khó khăn")
    marked = {r[1]: r[column] for r in rows[4:]}
    p = posts.people
    assert marked == {p["teacher_a2"].full_name: "x", p["colleague_a1"].full_name: "", p["teacher_a1"].full_name: "x"}


def test_compiling_keeps_its_query_count_with_posts_set(posts, catalogue, django_assert_max_num_queries):
    th = posts.u("th_a1")
    plan_for(posts.people["teacher_a1"], th, catalogue)
    from bdtx.plans.models import UnitPlan

    with django_assert_max_num_queries(20) as few:
        _compile(posts, "principal_a1", "th_a1")
    for value in (True, False, None) * 5:
        plan_for(EmploymentFactory(unit=th, difficult_area=value).person, th, catalogue, modules=(0, 2))
    UnitPlan.objects.all().delete()
    with django_assert_max_num_queries(len(few.captured_queries)):
        _compile(posts, "principal_a1", "th_a1")
