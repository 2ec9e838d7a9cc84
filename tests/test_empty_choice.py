"""No page in Vietnamese shows Django's English empty choice: "- Select an option -" is new in Django
6.1 (it replaced "---------") and Django's own Vietnamese catalog lacks it, so a select left to
Django's default would offer it in English. The project's catalog translates it ("- Chọn -").

The walk opens every page of the project (every URL pattern, with one object of each kind of the
first province) as a department, a principal and a teacher, and looks at every answer that is HTML.
"""

import pytest
from django.apps import apps
from django.urls import NoReverseMatch, get_resolver, reverse
from django.utils import translation

from bdtx.core.scope import ScopedQuerySet
from bdtx.core.selectors import school_year_current
from tests.test_url_walk import _patterns

pytestmark = pytest.mark.django_db

ENGLISH = ("Select an option", "---------")
VIETNAMESE = "- Chọn -"
SKIP = {"accounts:logout"}


def _objects(world) -> list[str]:  # type: ignore[no-untyped-def]
    """UUIDs of one object of each scoped kind in the first province, its people and some units."""
    found = [str(p.uuid) for p in world.people.values()]
    found += [str(world.u(key).uuid) for key in ("so_a", "xa_a1", "th_a1", "cs_dt")]
    for model in apps.get_models():
        qs = model._default_manager.all()
        if "uuid" in {f.name for f in model._meta.get_fields()} and isinstance(qs, ScopedQuerySet):
            found += [
                str(u) for u in qs.within(world.u("so_a").path).order_by("-pk").values_list("uuid", flat=True)[:1]
            ]
    return list(dict.fromkeys(found))


def _urls(world, *, with_objects: bool) -> list[str]:  # type: ignore[no-untyped-def]
    year = school_year_current().pk
    uuids = _objects(world) if with_objects else []
    urls: list[str] = []
    for name, converters in _patterns(get_resolver()):
        if name in SKIP:
            continue
        if not converters:
            urls.append(reverse(name))
            continue
        if "uuid" not in converters:
            continue
        for value in uuids:
            kwargs = {c: value if c == "uuid" else (year if "year" in c else 1) for c in converters}
            try:
                urls.append(reverse(name, kwargs=kwargs))
            except NoReverseMatch:
                continue
    return urls


def _walk(client, urls: list[str]) -> tuple[list[str], int]:  # type: ignore[no-untyped-def]
    """Pages showing an English empty choice, and how many pages offered the Vietnamese one."""
    english, vietnamese = [], 0
    for url in urls:
        r = client.get(url)
        if r.status_code != 200 or not r.get("Content-Type", "").startswith("text/html"):
            continue
        text = r.content.decode(errors="replace")
        english += [f"{url}: {word!r}" for word in ENGLISH if word in text]
        vietnamese += VIETNAMESE in text
    return english, vietnamese


def test_no_page_offers_djangos_english_empty_choice(world, login):
    english, vietnamese = _walk(login(world.users["so_a"]), _urls(world, with_objects=True))
    for user in ("principal_a1", "teacher_a1"):
        more, seen = _walk(login(world.users[user]), _urls(world, with_objects=False))
        english, vietnamese = english + more, vietnamese + seen
    assert not english, "\n".join(english)
    assert vietnamese >= 3  # the walk met selects with an empty choice (else it proves nothing)


def test_djangos_empty_choice_is_the_one_translated():
    """The label the walk looks for is the one Django 6.1 uses, and the catalog translates it."""
    from django.db.models.fields import BLANK_CHOICE_LABEL

    with translation.override("en"):
        assert ENGLISH[0] in str(BLANK_CHOICE_LABEL)
    with translation.override("vi"):
        assert str(BLANK_CHOICE_LABEL) == VIETNAMESE
