"""A search of people puts the best matches first: "hoa" found 332 people, mostly Hoàng, and the Hoa
wanted was somewhere among them. Given name first (Hoa, Hòa, Hóa: typed without diacritics), then
the whole word elsewhere in the name, then names with a word that starts with it (Hoàng), then the
rest (Khoa); the Vietnamese order within each. Computed by the database, on SQLite and PostgreSQL."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bdtx.core.models import SchoolYear
from bdtx.core.scope import SYSTEM
from bdtx.core.search import Rank
from bdtx.core.selectors import school_year_current
from bdtx.core.tests.factories import EmploymentFactory
from bdtx.core.text import fold
from bdtx.people.models import Person, person_search_rank
from bdtx.people.selectors import StaffFilter, staff_list
from bdtx.people.services import StaffRow, person_update, staff_bulk_upsert
from bdtx.plans.personal.selectors import PlanFilter, personal_plan_list
from bdtx.standards.models import Assessment, Framework
from bdtx.standards.selectors import AssessmentFilter, assessment_list

pytestmark = pytest.mark.django_db

# (family, middle, given), in the order a search for "hoa" must give them
EXPECTED = [
    ("Hoàng", "Thị", "Hoa"),  # given name Hoa: Hoàng before Nguyễn (family name next)
    ("Nguyễn", "Thị", "Hoa"),
    ("Phạm", "Thị", "Hoà"),  # the old placement of the tone mark sorts as written
    ("Trần", "", "Hòa"),  # no middle name
    ("", "", "Hóa"),  # a given name alone
    ("Lê", "Văn", "Hóa"),
    ("Phan", "Thanh Hoa", "Lan"),  # Hoa in the middle name: a whole word, not the given name
    ("Đỗ", "Văn", "Hoàng"),  # words starting with "hoa", by given name: Hoàng before Nam
    ("Hoàng", "Văn", "Nam"),
    ("Ngô", "Đăng", "Khoa"),  # "hoa" inside a word
]


def _people(world) -> list[Person]:  # type: ignore[no-untyped-def]
    # created in reverse order, so that neither the primary key nor the insertion order gives the answer
    people = []
    for family, middle, given in reversed(EXPECTED):
        emp = EmploymentFactory(
            unit=world.u("th_a1"),
            person__family_name=family,
            person__middle_name=middle,
            person__given_name=given,
            person__phone="0912345678",
            person__email=f"{fold(given)}.{fold(family) or 'x'}@example.vn",
        )
        people.append(emp.person)
    return people[::-1]


def _names(rows, people: list[Person]) -> list[str]:  # type: ignore[no-untyped-def]
    ours = {p.pk for p in people}
    return [e.person.full_name for e in rows if e.person_id in ours]


def _expected() -> list[str]:
    return [" ".join(p for p in names if p) for names in EXPECTED]


def test_every_write_keeps_the_folded_given_name(world):
    people = _people(world)
    assert [p.search_given for p in people] == ["hoa"] * 6 + ["lan", "hoang", "nam", "khoa"]
    person = people[-1]
    unit = world.u("th_a1")
    person_update(scope=SYSTEM, person=person, unit_path=unit.path, given_name="Hoà")
    person.refresh_from_db()
    assert person.search_given == "hoa"
    row = StaffRow(
        family_name="Nông",
        middle_name="Văn",
        given_name="Hưng",
        gender="M",
        unit_id=unit.pk,
        personal_id="004090000123",
    )
    staff_bulk_upsert(scope=SYSTEM, school_year=school_year_current(), rows=[row])
    row = StaffRow(
        family_name="Nông", middle_name="Văn", given_name="Đào", gender="M", unit_id=unit.pk, personal_id="004090000123"
    )
    staff_bulk_upsert(scope=SYSTEM, school_year=school_year_current(), rows=[row])
    assert Person.objects.get(personal_id="004090000123").search_given == "dao"


def test_hoa_ranks_given_names_then_whole_words_then_word_starts_then_the_rest(world, scope_of):
    people = _people(world)
    rows = staff_list(scope=scope_of("so_a"), f=StaffFilter(school_year=school_year_current(), q="hoa"))
    assert _names(rows, people) == _expected()
    ranks = dict(
        Person.objects.filter(pk__in=[p.pk for p in people]).values_list("given_name", person_search_rank("hoa"))
    )
    assert (ranks["Hoa"], ranks["Lan"], ranks["Nam"], ranks["Khoa"]) == (
        Rank.EXACT,
        Rank.WORDS,
        Rank.STARTS,
        Rank.INSIDE,
    )
    # the world's Hoàng Thị Lan (another school) comes after every Hoa, with the other Hoàng
    names = [e.person.full_name for e in rows]
    assert names.index("Hoàng Thị Lan") > names.index("Phan Thanh Hoa Lan")


def test_typing_diacritics_or_capitals_ranks_the_same(world, scope_of):
    people = _people(world)
    scope, year = scope_of("so_a"), school_year_current()
    for q in ("Hòa", "HOA", "hoà"):
        rows = staff_list(scope=scope, f=StaffFilter(school_year=year, q=q))
        assert _names(rows, people) == _expected(), q


def test_several_words_rank_by_all_of_them(world, scope_of):
    people = _people(world)
    rows = staff_list(scope=scope_of("so_a"), f=StaffFilter(school_year=school_year_current(), q="hoa thi"))
    # every one has "thi" as a whole word, or inside one ("Thị"; none here): the given name still leads
    assert _names(rows, people) == ["Hoàng Thị Hoa", "Nguyễn Thị Hoa", "Phạm Thị Hoà"]
    rows = staff_list(scope=scope_of("so_a"), f=StaffFilter(school_year=school_year_current(), q="van hoa"))
    assert _names(rows, people) == ["Lê Văn Hóa", "Đỗ Văn Hoàng", "Hoàng Văn Nam"]


def test_the_staff_page_and_its_api_show_the_best_match_first(world, login):
    people = _people(world)
    client = login(world.users["principal_a1"])
    page = client.get(reverse("people:list"), {"q": "hoa"})
    assert _names(page.context["page_obj"], people) == _expected()
    api = client.get(reverse("api:staff"), {"q": "hoa"}).json()
    ours = [str(p.uuid) for p in people]
    assert [r["id"] for r in api["results"] if r["id"] in ours] == ours


def test_the_rank_costs_no_query_and_a_page_of_matches_is_the_best_ones(world, login):
    people = _people(world)
    client = login(world.users["principal_a1"])
    url = reverse("people:list")
    with CaptureQueriesContext(connection) as plain:
        client.get(url)
    with CaptureQueriesContext(connection) as ranked:
        r = client.get(url, {"q": "hoa"})
    assert len(ranked.captured_queries) == len(plain.captured_queries)
    first = r.context["page_obj"][0]
    assert first.person_id == people[0].pk


def test_plans_and_assessments_lists_rank_their_search_the_same_way(world, scope_of):
    people = _people(world)
    year = school_year_current()
    rows = personal_plan_list(scope=scope_of("so_a"), f=PlanFilter(school_year=year, q="hoa"))
    assert _names(rows, people) == _expected()
    framework = Framework.objects.get(code="tt20_2018_gvpt")
    for p in people:
        Assessment.objects.create(person=p, unit=world.u("th_a1"), school_year=year, framework=framework)
    rows = assessment_list(scope=scope_of("so_a"), f=AssessmentFilter(school_year=year, q="hoa"))
    assert _names(rows, people) == _expected()


def test_without_a_search_the_list_keeps_the_vietnamese_order(world):
    people = _people(world)
    rows = staff_list(scope=SYSTEM, f=StaffFilter(school_year=SchoolYear.of(school_year_current().pk)))
    keys = [e.person.sort_key for e in rows if e.person_id in {p.pk for p in people}]
    assert keys == sorted(keys)
