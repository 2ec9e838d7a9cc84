"""Middleware of core: a NUL character in a query string is refused before any view reads it."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["q=%00", "q=Nguy%E1%BB%85n%00", "%00=1", "page=1&q=a&q=%00"])
def test_a_nul_in_the_query_string_is_a_bad_request(world, login, query):
    client = login(world.users["so_a"])
    for name in ("organisations:list", "accounts:users", "api:units"):
        assert client.get(f"{reverse(name)}?{query}").status_code == 400


def test_an_ordinary_search_passes(world, login):
    assert login(world.users["so_a"]).get(reverse("organisations:list"), {"q": "Đông"}).status_code == 200


@pytest.mark.parametrize("htmx", [False, True])
def test_a_list_says_its_answer_varies_with_hx_request(world, login, htmx):
    """The page and the table htmx fetches share an address: a cache must keep them apart, or Back
    to a filtered list may show the bare table."""
    headers = {"HX-Request": "true"} if htmx else {}
    r = login(world.users["so_a"]).get(reverse("people:list"), {"gender": "F"}, headers=headers)
    assert r.status_code == 200 and ("<form" in r.text) is not htmx
    assert "hx-request" in {v.strip().lower() for v in r["Vary"].split(",")}
