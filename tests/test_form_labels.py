"""Every form field on every page has a name a screen reader can read (WCAG 1.3.1, 4.1.2): a <label>,
an aria-label or aria-labelledby, or a title. A dropdown that says only its first option ("Tất cả")
leaves a blind user guessing which filter it is. The browser journeys check what they visit with
axe (tests/browser/accessibility.py); this walks every page without arguments and every page of
an object in the user's own unit, as each kind of user, in the fast suite."""

from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.urls import get_resolver, reverse

from bdtx.core.scope import ScopedQuerySet
from tests.test_url_walk import _patterns

pytestmark = pytest.mark.django_db

UNNAMED_OK = {"hidden", "submit", "button", "reset", "image"}  # no label needed: hidden, or named by their value


class _Fields(HTMLParser):
    """The form fields of a page, and the ids its <label for> elements name."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: list[tuple[str, dict[str, str], bool]] = []  # (tag, attributes, inside a <label>)
        self.labelled_ids: set[str] = set()
        self._open_labels = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "label":
            self._open_labels += 1
            if a.get("for"):
                self.labelled_ids.add(a["for"])
        elif tag in ("select", "textarea") or (tag == "input" and a.get("type", "text") not in UNNAMED_OK):
            self.fields.append((tag, a, self._open_labels > 0))

    def handle_endtag(self, tag: str) -> None:
        if tag == "label" and self._open_labels:
            self._open_labels -= 1

    def unnamed(self) -> list[str]:
        return [
            f"<{tag} name={a.get('name', '')!r} id={a.get('id', '')!r}>"
            for tag, a, in_label in self.fields
            if not (
                in_label
                or a.get("aria-label", "").strip()
                or a.get("aria-labelledby")
                or a.get("title", "").strip()
                or (a.get("id") and a["id"] in self.labelled_ids)
            )
        ]


def unnamed_fields(html: str) -> list[str]:
    parser = _Fields()
    parser.feed(html)
    return parser.unnamed()


def _own_uuids(path: str) -> list[str]:
    """One object of each scoped kind inside the unit's subtree."""
    found = []
    for model in apps.get_models():
        qs = model._default_manager.all()
        if "uuid" in {f.name for f in model._meta.get_fields()} and isinstance(qs, ScopedQuerySet):
            found += [str(u) for u in qs.within(path).order_by("pk").values_list("uuid", flat=True)[:1]]
    return found


def test_the_check_finds_a_dropdown_without_a_name_and_accepts_each_way_of_naming_one():
    assert unnamed_fields('<select name="year" id="id_year"></select><input type="hidden" name="x">') == [
        "<select name='year' id='id_year'>"
    ]
    named = (
        '<label class="visually-hidden" for="id_year">Năm học</label><select name="year" id="id_year"></select>'
        '<select name="kind" aria-label="Loại"></select><label>Tìm <input type="search" name="q"></label>'
        '<textarea name="note" aria-labelledby="note-head"></textarea><button type="submit">Lọc</button>'
    )
    assert unnamed_fields(named) == []


# a teacher, a core teacher, a principal, a commune office, a Sở, a training institution, the ministry
# and the system administrator
USERS = {
    "teacher_a1": "th_a1",
    "mentor_a1": "th_a1",
    "institution": "cs_dt",
    "principal_a1": "th_a1",
    "xa_a1": "xa_a1",
    "so_a": "so_a",
    "ministry": "bo",
    "sysadmin": "bo",
}


@pytest.mark.parametrize("username", sorted(USERS))
def test_every_form_field_on_every_page_has_a_name(world, client, username):
    client.force_login(world.users[username])
    own = _own_uuids(world.u(USERS[username]).path)
    problems, pages = [], 0
    for name, converters in _patterns(get_resolver()):
        if name == "accounts:logout" or name.startswith("api:"):
            continue
        if not converters:
            urls = [reverse(name)]
        elif set(converters) == {"uuid"}:
            urls = [reverse(name, kwargs={"uuid": value}) for value in own]
        else:
            continue
        for url in urls:
            r = client.get(url)
            if r.status_code != 200 or not r["Content-Type"].startswith("text/html"):
                continue
            pages += 1
            if bad := unnamed_fields(r.content.decode()):
                problems.append(f"{url}: {', '.join(bad)}")
    assert pages > 8
    assert not problems, "fields without an accessible name:\n" + "\n".join(problems)
