"""Every search box costs the same whatever is pasted into it: a search of 1,100 words answered 500
("Expression tree is too large") and one of 8,000 words cost 210 s of CPU. Each list page is asked
with one word, 1,100 words and 8,000 words: it answers 200, with as many queries as for one word and
no query longer than a bound."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bdtx.core.search import MAX_TEXT
from bdtx.plans.tests.unit_fixtures import make_catalogue, plan_for

pytestmark = pytest.mark.django_db

LONGEST_SQL = 6000  # characters: the page's own queries plus at most MAX_WORDS short words


NOBODY = "khongcoai"  # one word that matches nothing, like the long searches: same pages, same queries


def _words(n: int) -> str:
    return " ".join(f"hoa{i}" for i in range(n))


# (user, URL name): every page with a search box or a `q` parameter
PAGES = [
    ("so_a", "people:list"),
    ("so_a", "people:export"),
    ("so_a", "organisations:list"),
    ("so_a", "standards:list"),
    ("so_a", "plans:list"),
    ("so_a", "accounts:users"),
    ("so_a", "catalog:modules"),
    ("so_a", "api:staff"),
    ("so_a", "api:units"),
]


def _ask(client, url: str, q: str) -> tuple[int, int, int]:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        status = client.get(url, {"q": q}).status_code
    return status, len(ctx.captured_queries), max((len(x["sql"]) for x in ctx.captured_queries), default=0)


@pytest.mark.parametrize(("user", "name"), PAGES)
def test_a_search_of_thousands_of_words_answers_like_a_search_of_one(world, login, user, name):
    client = login(world.users[user])
    url = reverse(name)
    status, queries, _longest = _ask(client, url, NOBODY)
    assert status == 200
    for n in (1_100, 8_000):
        status, many_queries, longest = _ask(client, url, _words(n))
        assert status == 200, (name, n)
        assert many_queries == queries, (name, n)
        assert longest < LONGEST_SQL, (name, n, longest)


def test_the_module_search_of_a_personal_plan_is_bounded_too(world, login):
    plan = plan_for(world.people["teacher_a1"], world.u("th_a1"), make_catalogue(world), status="draft")
    client = login(world.users["teacher_a1"])
    url = reverse("plans:modules", args=[plan.uuid])
    status, queries, _longest = _ask(client, url, NOBODY)
    assert status == 200
    for n in (1_100, 8_000):
        assert _ask(client, url, _words(n))[:2] == (200, queries)


def test_a_search_box_reads_only_the_start_of_a_huge_text(world, login):
    client = login(world.users["so_a"])
    status, _queries, longest = _ask(client, reverse("people:list"), "x" * (MAX_TEXT * 200))
    assert status == 200 and longest < LONGEST_SQL
