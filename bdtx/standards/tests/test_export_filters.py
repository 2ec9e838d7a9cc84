"""The assessments export holds exactly the rows the list shows, whatever its filters: every value
of every filter the list's form offers, and the export link an htmx request draws carries them."""

from collections import Counter

import pytest
from django.urls import reverse

from bdtx.core.selectors import school_year_current
from bdtx.core.tests.lists import column, export_href, export_table, filter_form, query_of, values_to_try
from bdtx.standards.models import Level

pytestmark = pytest.mark.django_db

LIST, EXPORT = reverse("standards:list"), reverse("standards:export")
# Every filter of the list (a test below checks the page offers exactly these).
FILTERS = ["q", "year", "unit", "status"]
SEARCHES = ["Nguyễn", "hoang", "Thị"]  # what the text filter is tried with


@pytest.fixture
def province(world, login, self_assess):  # type: ignore[no-untyped-def]
    """The Sở of province A, with assessments in two schools and in two states."""
    self_assess("teacher_a1", Level.GOOD)
    self_assess("mentor_a1", Level.EXCELLENT)
    self_assess("colleague_a1", Level.GOOD, submit=False)
    self_assess("teacher_a2", Level.MET)
    return login(world.users["so_a"])


def _shown(client, params: dict[str, str]) -> Counter:  # type: ignore[no-untyped-def]
    """(Full name, unit) of the assessments the list shows (all on its one page), counted."""
    r = client.get(LIST, params)
    assert r.status_code == 200
    page = r.context["page_obj"]
    assert page.paginator.num_pages == 1  # so the rows shown are all the rows
    shown = Counter((a.person.full_name, a.unit.name) for a in page.object_list)
    assert shown.total() == page.paginator.count == r.context["counts"].total
    return shown


def _exported(client, params: dict[str, str]) -> Counter:  # type: ignore[no-untyped-def]
    r = client.get(EXPORT, params)
    assert r.status_code == 200
    header, rows = export_table(r.content)
    return Counter(zip(column(header, rows, "Full name"), column(header, rows, "Unit"), strict=True))


def _offered(client) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return values_to_try(filter_form(client.get(LIST).content.decode(), "assessment-filter"), searches=SEARCHES)


def test_the_walk_below_covers_every_filter_the_list_offers(province):
    assert sorted(_offered(province)) == sorted(FILTERS)


def test_filtering_to_one_school_exports_that_school_only(world, province):
    school = {"unit": str(world.u("th_a1").uuid)}
    shown = _shown(province, school)
    assert shown.total() == 3 < _shown(province, {}).total()
    assert _exported(province, school) == shown


@pytest.mark.parametrize("name", FILTERS)
def test_the_export_holds_the_rows_the_list_shows_for_every_value_of_a_filter(province, name):
    everyone = _shown(province, {})
    changed = False
    for value in _offered(province)[name]:
        shown = _shown(province, {name: value})
        assert _exported(province, {name: value}) == shown, f"{name}={value}"
        changed |= shown != everyone
    assert changed, f"no value of {name} changes the list: an export ignoring it would pass unseen"


def test_after_an_htmx_request_the_export_link_carries_its_filters(world, province):
    params = {"q": "", "unit": str(world.u("th_a1").uuid), "status": "submitted", "page": "1"}
    r = province.get(LIST, params, headers={"HX-Request": "true"})
    assert "<form" not in r.text  # the fragment htmx swaps in, not the page
    href = export_href(r.text)
    assert href is not None and href.startswith(EXPORT)
    sent = {k: v for k, v in params.items() if k != "page"}
    assert query_of(href) == {**sent, "year": str(school_year_current().pk)}
    assert _exported(province, query_of(href)) == _shown(province, params)
