"""Every list with an export exports what it shows. Its filter form drives the table and the
export alike: htmx swaps in the table's fragment, the export link is part of that fragment and is
drawn from the filters of that very request (the page number left out), and the form records them
in the address (hx-push-url), so Back, Forward and reload show the same filters.

The lists are found by walking every URL without arguments: a page with a GET filter form and a
link to a download (an .xlsx, a view named *export*) is a list with an export, so a new one is
covered without editing this test. Each list's own tests check, filter by filter, that the export
holds the rows the list shows."""

import json
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve, reverse

from bdtx.core.tests.lists import export_href, filter_forms, links, query_of
from tests.test_url_walk import _patterns, get_resolver

pytestmark = pytest.mark.django_db

SKIP = {"accounts:logout", "set_language"}  # POST only; a redirect by design
WITH_AN_EXPORT = {"people:list", "standards:list", "organisations:list"}  # at least these


def _is_download(href: str) -> bool:
    path = urlsplit(href).path
    if not path.startswith("/"):
        return False
    try:
        name = resolve(path).url_name or ""
    except Resolver404:
        return False
    return path.endswith(".xlsx") or "export" in name


def _lists_with_an_export(client) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """URL name → page, of every page without URL arguments that has a filter form and a download."""
    found = {}
    for name, converters in _patterns(get_resolver()):
        if converters or name in SKIP:
            continue
        r = client.get(reverse(name))
        if r.status_code != 200 or not r["Content-Type"].startswith("text/html"):
            continue
        html = r.content.decode()
        if filter_forms(html) and any(_is_download(href) for _id, href in links(html)):
            found[name] = html
    return found


@pytest.mark.parametrize("username", ["so_a", "sysadmin"])
def test_every_export_is_drawn_from_the_filters_htmx_last_sent(world, client, username):
    client.force_login(world.users[username])
    lists = _lists_with_an_export(client)
    assert set(lists) >= WITH_AN_EXPORT
    for name, html in lists.items():
        downloads = [(id_, href) for id_, href in links(html) if _is_download(href)]
        assert [id_ for id_, _href in downloads] == ["export-link"], f"{name}: one export, #export-link"
        live = [f for f in filter_forms(html) if "hx-get" in f.attrs]
        assert len(live) == 1, f"{name}: one filter form, which htmx sends when a filter changes"
        form = live[0].attrs
        assert form.get("hx-push-url") == "true", f"{name}: the address keeps the filters"
        assert html.count(f'id="{form["hx-target"].removeprefix("#")}"') == 1

        # Every dropdown at its last option, every text field with a word: what htmx would send.
        sent = {field: values[-1] if values else "x" for field, values in live[0].fields.items()}
        fragment = client.get(form["hx-get"], {**sent, "page": "2"}, headers={"HX-Request": "true"})
        assert fragment.status_code == 200, name
        href = export_href(fragment.content.decode())
        assert href is not None, f"{name}: the export link is not in the part of the page the filters swap"
        assert query_of(href) == sent, f"{name}: the export link does not carry the filters just sent"
        assert client.get(href).status_code == 200


def test_the_filter_forms_of_lists_keep_the_filters_in_the_address(world, client):
    """Lists filtered live without an export too: Back shows the filters of the address."""
    client.force_login(world.users["sysadmin"])
    live = 0
    for name, converters in _patterns(get_resolver()):
        if converters or name in SKIP:
            continue
        r = client.get(reverse(name))
        if r.status_code != 200 or not r["Content-Type"].startswith("text/html"):
            continue
        for form in filter_forms(r.content.decode()):
            if "hx-get" in form.attrs and "hx-target" in form.attrs:
                live += 1
                assert form.attrs.get("hx-push-url") == "true", name
    assert live >= 5


def test_back_and_forward_reload_a_filtered_list_from_its_address(world, client):
    """htmx keeps no copy of pages (a copy keeps the rows, not what the dropdowns showed, and would
    leave staff lists in the browser's storage): Back to an address a filter pushed reloads it.
    The browser journey (tests/browser/test_export_journey.py) checks the dropdowns after Back."""
    client.force_login(world.users["so_a"])
    html = client.get(reverse("people:list")).content.decode()
    config = json.loads(unescape(re.search(r'<meta name="htmx-config" content=\'([^\']*)\'', html)[1]))
    assert config["historyCacheSize"] == 0 and config["refreshOnHistoryMiss"] is True
