"""The units export holds exactly the rows the units list shows, whatever its filters: every value
of every filter the list's form offers, and the export link an htmx request draws carries them."""

from collections import Counter

import pytest
from django.urls import reverse

from bdtx.core.tests.lists import column, export_href, export_table, filter_form, query_of, values_to_try
from bdtx.organisations.models import UnitKind

pytestmark = pytest.mark.django_db

LIST, EXPORT = reverse("organisations:list"), reverse("organisations:export")
# Every filter of the list (a test below checks the page offers exactly these).
FILTERS = ["q", "kind", "difficult"]
SEARCHES = ["Tây", "th-a", "truong"]  # what the text filter is tried with


@pytest.fixture
def province(world, login):  # type: ignore[no-untyped-def]
    return login(world.users["so_a"])


def _shown(client, params: dict[str, str]) -> Counter:  # type: ignore[no-untyped-def]
    """Codes of the units the list shows (all on its one page), counted."""
    r = client.get(LIST, params)
    assert r.status_code == 200
    page = r.context["page_obj"]
    assert page.paginator.num_pages == 1  # so the rows shown are all the rows
    shown = Counter(u.code for u in page.object_list)
    assert shown.total() == page.paginator.count
    return shown


def _exported(client, params: dict[str, str]) -> Counter:  # type: ignore[no-untyped-def]
    r = client.get(EXPORT, params)
    assert r.status_code == 200
    header, rows = export_table(r.content)
    return Counter(str(code) for code in column(header, rows, "Code"))


def _offered(client) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return values_to_try(filter_form(client.get(LIST).content.decode(), "unit-filter"), searches=SEARCHES)


def test_the_walk_below_covers_every_filter_the_list_offers(province):
    assert sorted(_offered(province)) == sorted(FILTERS)


@pytest.mark.parametrize("name", FILTERS)
def test_the_export_holds_the_rows_the_list_shows_for_every_value_of_a_filter(province, name):
    everyone = _shown(province, {})
    changed = False
    for value in _offered(province)[name]:
        shown = _shown(province, {name: value})
        assert _exported(province, {name: value}) == shown, f"{name}={value}"
        changed |= shown != everyone
    assert changed, f"no value of {name} changes the list: an export ignoring it would pass unseen"


def test_after_an_htmx_request_the_export_link_carries_its_filters(province):
    params = {"q": "", "kind": UnitKind.SCHOOL, "difficult": "0", "page": "1"}
    r = province.get(LIST, params, headers={"HX-Request": "true"})
    assert "<form" not in r.text  # the fragment htmx swaps in, not the page
    href = export_href(r.text)
    assert href is not None and href.startswith(EXPORT)
    assert query_of(href) == {k: v for k, v in params.items() if k != "page"}
    shown = _shown(province, params)
    assert 0 < shown.total() < _shown(province, {"kind": UnitKind.SCHOOL}).total()
    assert _exported(province, query_of(href)) == shown
