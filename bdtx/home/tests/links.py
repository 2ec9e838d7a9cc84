"""Follow the links of pages as the signed-in user: every one must open (200), none may lead to a
403 or a 404. Used for the landing page of every role, with the test world and with the demo."""

import html
import re

from django.contrib.auth.models import User
from django.test import Client
from django.urls import Resolver404, resolve, reverse

from bdtx.accounts.selectors import role_assignments_for, scope_for_user
from bdtx.core.scope import Perm

HREF = re.compile(r'href="([^"]*)"')


def page_links(text: str) -> list[str]:
    """The project's own addresses a page links to (no anchors, static files or other sites)."""
    out = []
    for raw in HREF.findall(text):
        url = html.unescape(raw)
        if not url.startswith("/") or url.startswith(("//", "/static/", "/media/")):
            continue
        out.append(url)
    return sorted(set(out))


def start_pages(user: User) -> list[str]:
    """The landing page, and the page of each unit where the user holds a role and may see units."""
    scope = scope_for_user(user)
    units = [ra.unit for ra in role_assignments_for(user) if scope.has(Perm.UNITS_VIEW, ra.unit.path)]
    return [reverse("home:home"), *(reverse("home:unit", args=[u.uuid]) for u in units)]


def broken_links(client: Client, starts: list[str], *, into: tuple[str, ...] = ("home:unit",)) -> tuple[list[str], int]:
    """Open every link of the `starts` pages, and the links of the pages among them named in `into`
    (a unit's page: where the landing page's cards lead); return the links that do not answer 200
    (with the page that shows them) and how many were opened."""
    seen: dict[str, tuple[int, str]] = {}
    queue: list[tuple[str, str, int]] = [(url, "", 0) for url in starts]
    while queue:
        link, source, depth = queue.pop(0)
        if link in seen:
            continue
        r = client.get(link, follow=True)
        seen[link] = (r.status_code, source)
        if r.status_code == 200 and (depth == 0 or (depth == 1 and _name(link) in into)):
            queue += [(nxt, link, depth + 1) for nxt in page_links(r.content.decode())]
    broken = [
        f"{link} → {code} (linked from {source or 'start'})" for link, (code, source) in seen.items() if code != 200
    ]
    return broken, len(seen)


def _name(url: str) -> str:
    try:
        return resolve(url.split("?", 1)[0]).view_name
    except Resolver404:
        return ""
