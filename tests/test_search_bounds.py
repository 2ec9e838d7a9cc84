"""Every search box costs the same whatever is pasted into it: a search of 1,100 words answered 500
("Expression tree is too large") and one of 8,000 words cost 210 s of CPU. Each list page is asked
with one word, 1,100 words and 8,000 words: it answers 200, with as many queries as for one word and
no query longer than a bound."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bdtx.core.search import MAX_TEXT
from bdtx.core.selectors import school_year_current
from bdtx.plans.tests.unit_fixtures import make_catalogue, plan_for
from bdtx.standards.models import Assessment, Framework

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


# Eight words (letters) that all match Nguyễn Thị Đào: the page's rows are found, so the query that
# ranks them (`search_rank`) runs, with every word in it.
MATCHING = "n g u y e t h i"
PEOPLE_PAGES = ["people:list", "people:export", "standards:list", "plans:list", "api:staff"]


@pytest.mark.parametrize("name", PEOPLE_PAGES)
def test_ranking_what_a_search_found_stays_bounded_whatever_follows_it(world, login, name):
    teacher = world.people["teacher_a1"]
    Assessment.objects.create(
        person=teacher, unit=world.u("th_a1"), school_year=school_year_current(), framework=Framework.objects.first()
    )
    client = login(world.users["so_a"])
    url = reverse(name)
    status, queries, _longest = _ask(client, url, "nguyen")
    assert status == 200
    for q in (MATCHING, f"{MATCHING} {_words(8_000)}"):
        with CaptureQueriesContext(connection) as ctx:
            status = client.get(url, {"q": q}).status_code
        assert status == 200 and len(ctx.captured_queries) == queries, (name, len(q))
        assert max(len(x["sql"]) for x in ctx.captured_queries) < LONGEST_SQL, (name, len(q))
        if q == MATCHING:  # the rows were found and ranked with all eight words
            assert any("ORDER BY CASE WHEN" in x["sql"] and "'% i%'" in x["sql"] for x in ctx.captured_queries)
