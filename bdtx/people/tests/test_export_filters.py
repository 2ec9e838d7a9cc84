"""The staff export holds exactly the rows the staff list shows, whatever its filters: every value
of every filter the list's form offers, and the export link an htmx request draws carries them."""

from collections import Counter

import pytest
from django.urls import reverse

from bdtx.core.models import SchoolYear
from bdtx.core.selectors import school_year_current
from bdtx.core.tests.factories import EmploymentFactory
from bdtx.core.tests.lists import column, export_href, export_table, filter_form, query_of, values_to_try
from bdtx.people.models import Position, StaffType

pytestmark = pytest.mark.django_db

LIST, EXPORT = reverse("people:list"), reverse("people:export")
# Every filter of the staff list (a test below checks the page offers exactly these).
FILTERS = ["q", "year", "unit", "level", "position", "staff_type", "gender", "minority", "difficult", "mentor"]
SEARCHES = ["Nguyễn", "hung", "Thị"]  # what the text filter is tried with


@pytest.fixture
def province(world, login):  # type: ignore[no-untyped-def]
    """The Sở of province A (who sees ethnicity and ID numbers there), with a few more staff so
    that every filter leaves some people out: a high school with a Kinh vice-principal and a
    minority teacher, and someone who worked at the lower secondary school last year only."""
    EmploymentFactory(
        unit=world.u("thpt_a"),
        school_level="THPT",
        position=Position.VICE_PRINCIPAL,
        staff_type=StaffType.MANAGER,
        person__ethnicity_id="01",
    )
    EmploymentFactory(unit=world.u("thpt_a"), school_level="THPT", person__ethnicity_id="07")
    last_year = SchoolYear.objects.get(pk=school_year_current().pk - 1)
    EmploymentFactory(unit=world.u("thcs_a2"), school_year=last_year, school_level="THCS")
    return login(world.users["so_a"])


def _shown(client, params: dict[str, str]) -> Counter:  # type: ignore[no-untyped-def]
    """ID numbers of the people the list shows (all on its one page), counted."""
    r = client.get(LIST, params)
    assert r.status_code == 200
    page = r.context["page_obj"]
    assert page.paginator.num_pages == 1  # so the rows shown are all the rows
    shown = Counter(e.person.personal_id for e in page.object_list)
    assert shown.total() == page.paginator.count
    return shown


def _exported(client, params: dict[str, str]) -> Counter:  # type: ignore[no-untyped-def]
    r = client.get(EXPORT, params)
    assert r.status_code == 200
    header, rows = export_table(r.content)
    return Counter(str(v) for v in column(header, rows, "Personal ID number"))


def _offered(client) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """The values each filter of the page offers (a dropdown's options, the searches for the text)."""
    return values_to_try(filter_form(client.get(LIST).content.decode(), "staff-filter"), searches=SEARCHES)


def test_the_walk_below_covers_every_filter_the_list_offers(province):
    assert sorted(_offered(province)) == sorted(FILTERS)


def test_filtering_to_one_school_exports_that_school_only(world, province):
    school = {"unit": str(world.u("th_a1").uuid)}
    shown = _shown(province, school)
    assert shown.total() == 4 < _shown(province, {}).total()
    assert _exported(province, school) == shown
    header, rows = export_table(province.get(EXPORT, school).content)
    assert set(column(header, rows, "Unit")) == {world.u("th_a1").name}


@pytest.mark.parametrize("name", FILTERS)
def test_the_export_holds_the_rows_the_list_shows_for_every_value_of_a_filter(province, name):
    everyone = _shown(province, {})
    changed = False
    for value in _offered(province)[name]:
        shown = _shown(province, {name: value})
        assert _exported(province, {name: value}) == shown, f"{name}={value}"
        changed |= shown != everyone
    assert changed, f"no value of {name} changes the list: an export ignoring it would pass unseen"


def test_the_export_holds_the_rows_of_several_filters_together(world, province):
    params = {"unit": str(world.u("th_a1").uuid), "gender": "F", "staff_type": StaffType.TEACHER}
    shown = _shown(province, params)
    assert 0 < shown.total() < _shown(province, {"unit": params["unit"]}).total()
    assert _exported(province, params) == shown


def test_after_an_htmx_request_the_export_link_carries_its_filters(world, province):
    params = {"q": "", "unit": str(world.u("th_a1").uuid), "gender": "F", "page": "1"}
    r = province.get(LIST, params, headers={"HX-Request": "true"})
    assert "<form" not in r.text  # the fragment htmx swaps in, not the page
    href = export_href(r.text)
    assert href is not None and href.startswith(EXPORT)
    sent = {k: v for k, v in params.items() if k != "page"}
    assert query_of(href) == {**sent, "year": str(school_year_current().pk)}
    assert _exported(province, query_of(href)) == _shown(province, params)
