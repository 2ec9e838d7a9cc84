"""Malformed or out-of-range values in a query string never make a page fail: every list page (a
URL without arguments) answers with a page or a 4xx, never a 5xx, whatever its filters receive.

The parameters tried are those the page's own GET forms and links name, plus the common ones, so a
new list page or filter is covered without editing this test. To stay quick, each bad value goes
into every parameter at once (but `unit`, which answers 404 to a bad value before anything else
is read, goes alone); when that answers 4xx, something refused early, so each parameter is then
tried alone with that value."""

import re
from html import unescape
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.urls import reverse

from tests.test_url_walk import _patterns, get_resolver

pytestmark = pytest.mark.django_db

COMMON = {"page", "year", "unit", "q"}
BAD = [
    "99999999999999999999",  # beyond a 64-bit integer
    "1e400",
    "²⁰²⁵",  # digits to str.isdigit(), not to int()
    "abc",
    "1\x00",  # PostgreSQL refuses NUL in text
]
SKIP = {"accounts:logout", "set_language"}  # POST only; a redirect by design
ALONE = {"unit"}


def _names_on(page: str) -> set[str]:
    """Parameter names of the page's GET forms and of its own links' query strings."""
    names = set()
    for form in re.findall(r"<form\b[^>]*method=\"get\"[^>]*>(.*?)</form>", page, re.S | re.I):
        names |= set(re.findall(r"\bname=\"([\w-]+)\"", form))
    for href in re.findall(r"href=\"([^\"]*\?[^\"]*)\"", page):
        names |= {k for k, _ in parse_qsl(urlsplit(unescape(href)).query)}
    return names


def test_the_parameters_are_read_from_the_page():
    page = '<form method="get"><select name="year"></select><input name="q"></form><a href="?status=x&amp;page=2">'
    assert _names_on(page) == {"year", "q", "status", "page"}


@pytest.mark.parametrize("username", ["sysadmin", "teacher_a1"])
def test_no_list_page_fails_on_a_malformed_number(world, client, username):
    client.force_login(world.users[username])
    client.raise_request_exception = False  # collect every failure, not the first
    problems, tried = [], 0

    def get(url: str, params: dict[str, str]) -> int:
        nonlocal tried
        tried += 1
        r = client.get(f"{url}?{urlencode(params)}")
        if r.status_code >= 500:
            problems.append(f"{url}?{urlencode(params)} → {r.status_code}")
        return r.status_code

    for name, converters in _patterns(get_resolver()):
        if converters or name in SKIP:
            continue
        url = reverse(name)
        first = client.get(url)
        if first.status_code >= 500:
            problems.append(f"{url} → {first.status_code}")
            continue
        names = COMMON | (_names_on(first.content.decode(errors="replace")) if first.status_code == 200 else set())
        together = sorted(names - ALONE)
        for value in BAD:
            for param in sorted(names & ALONE):
                get(url, {param: value})
            if get(url, dict.fromkeys(together, value)) >= 400:
                for param in together:
                    get(url, {param: value})
    assert tried > 300
    assert not problems, "\n".join(problems)
