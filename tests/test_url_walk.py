"""Walk every URL pattern of the project as each role and fail if one answers 200 with data of a
unit outside the user's scope. Objects are found generically: every model with a `uuid` and a
scoped QuerySet contributes the instances that lie in the foreign subtrees, so new views and
models are covered without editing this test."""

import html

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from bdtx.core.scope import ScopedQuerySet

pytestmark = pytest.mark.django_db

SKIP_PREFIXES = ("django-admin", "i18n")  # Django's admin (superusers only) and the language switch


def _patterns(resolver: URLResolver, ns: str = "") -> list[tuple[str, list[str]]]:
    out = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            if str(p.pattern).startswith(SKIP_PREFIXES):
                continue
            sub_ns = f"{ns}{p.namespace}:" if p.namespace else ns
            out += _patterns(p, sub_ns)
        elif isinstance(p, URLPattern) and p.name:
            out.append((f"{ns}{p.name}", list(p.pattern.converters)))
    return out


def _foreign_uuids(paths: list[str]) -> list[str]:
    found = []
    for model in apps.get_models():
        names = {f.name for f in model._meta.get_fields()}
        qs = model._default_manager.all()
        if "uuid" in names and isinstance(qs, ScopedQuerySet):
            # one object of each kind: enough to catch a view that skips the scope, and fast
            found += [str(u) for u in qs.within(*paths).order_by("-pk").values_list("uuid", flat=True)[:1]]
    return found


def _markers(world, unit_keys: list[str], people_keys: list[str]) -> list[str]:
    marks = [world.u(k).name for k in unit_keys]
    for k in people_keys:
        p = world.people[k]
        marks += [p.full_name, p.personal_id]
    return marks


# user → (units whose subtrees are foreign to them, marker units, marker people)
FOREIGN = {
    "so_a": (["so_b"], ["so_b", "xa_b1", "th_b1"], ["teacher_b1"]),
    "xa_a1": (["so_b", "xa_a2"], ["th_b1", "thcs_a2"], ["teacher_b1", "teacher_a2"]),
    "principal_a1": (["so_b", "xa_a2"], ["th_b1", "thcs_a2"], ["teacher_b1", "teacher_a2"]),
    "principal_a2": (["so_b", "th_a1"], ["th_b1", "th_a1"], ["teacher_b1", "teacher_a1"]),
    "teacher_a1": (["so_b", "xa_a2"], ["th_b1", "thcs_a2"], ["teacher_b1", "teacher_a2", "colleague_a1"]),
    "mentor_a1": (["so_b", "xa_a2"], ["th_b1", "thcs_a2"], ["teacher_b1", "teacher_a2", "colleague_a1"]),
    # the institution sits under so_a, which contracts it: the rest of so_a is foreign to it
    "institution": (["so_b", "xa_a1", "xa_a2", "thpt_a"], ["th_a1", "th_b1"], ["teacher_a1", "teacher_b1"]),
    "norole": (["so_a", "so_b"], ["th_a1", "th_b1"], ["teacher_a1", "teacher_b1"]),
    "so_b": (["so_a"], ["so_a", "th_a1", "thcs_a2"], ["teacher_a1", "teacher_a2"]),
    "principal_b1": (["so_a"], ["th_a1", "thcs_a2"], ["teacher_a1", "teacher_a2"]),
}


WALK_YEAR = 2026  # the test world's current school year

SUBTREE_USERS = {"so_a", "so_b", "xa_a1", "principal_a1", "principal_a2", "principal_b1"}


def _leaks(text: str, markers: list[str]) -> list[str]:
    """Markers found in the page, raw or HTML-escaped ("Sở GD&ĐT" appears as "Sở GD&amp;ĐT")."""
    return [m for m in markers if m and (m in text or html.escape(m, quote=False) in text)]


@pytest.mark.parametrize("username", sorted(FOREIGN))
def test_no_url_answers_200_with_another_units_data(world, client, username):
    foreign_units, marker_units, marker_people = FOREIGN[username]
    markers = _markers(world, marker_units, marker_people)
    foreign = _foreign_uuids([world.u(k).path for k in foreign_units])
    assert foreign, "the world must hold foreign objects to try"
    foreign_unit = str(world.u(foreign_units[0]).uuid)
    client.force_login(world.users[username])
    # Users who hold the permissions over their own subtree must get 404 (not 403) for foreign
    # objects: a 403 there would mean the view found the object outside the scope.
    strict = username in SUBTREE_USERS
    problems = []
    walked = 0
    for name, converters in _patterns(get_resolver()):
        if name == "accounts:logout":
            continue
        if not converters:
            url = reverse(name)
            for query in ("", f"?unit={foreign_unit}"):
                r = client.get(url + query)
                walked += 1
                if r.status_code == 200 and (leaks := _leaks(r.content.decode(errors="replace"), markers)):
                    problems.append(f"GET {url}{query} → 200 with {leaks}")
            continue
        if set(converters) not in ({"uuid"}, {"uuid", "year"}):
            continue  # e.g. the password-reset token link: public, no unit data
        for value in foreign:
            # a unit's page of a school year (a unit plan, a results report): the world's current year
            url = reverse(name, kwargs={"uuid": value, "year": WALK_YEAR} if "year" in converters else {"uuid": value})
            for method in ("get", "post"):
                r = getattr(client, method)(url)
                walked += 1
                allowed = (404, 405) if strict else (403, 404, 405)
                if r.status_code not in allowed:
                    problems.append(f"{method.upper()} {url} → {r.status_code}")
    assert walked > 10
    assert not problems, "\n".join(problems)


def test_the_walk_sees_every_app_url():
    names = {n for n, _ in _patterns(get_resolver())}
    assert {"people:list", "people:detail", "home:unit", "core:audit", "imports:list"} <= names


# Pages that must answer without signing in: signing in, resetting a password, verifying a certificate. The JSON API
# answers 403 itself (DRF), the admin sends to its own login.
PUBLIC = {
    "accounts:login",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "set_language",
    "certificates:verify",  # a certificate's public verification page (its QR code): no sign-in by design
}


def test_every_page_but_signing_in_needs_a_signed_in_user(world, client):
    """LoginRequiredMiddleware: a new view is private unless it says otherwise."""
    login = reverse("accounts:login")
    problems = []
    walked = 0
    for name, converters in _patterns(get_resolver()):
        if name in PUBLIC or name.startswith("api:"):
            continue
        kwargs = {c: str(world.u("th_a1").uuid) if c == "uuid" else 2025 for c in converters}
        try:
            url = reverse(name, kwargs=kwargs)
        except Exception:  # a converter this walk does not fill (a token): covered by PUBLIC or skipped
            continue
        r = client.get(url)
        walked += 1
        if not (r.status_code == 302 and r["Location"].startswith(login)):
            problems.append(f"GET {url} → {r.status_code}")
    assert walked > 40 and not problems, "\n".join(problems)
    assert client.get(reverse("accounts:login")).status_code == 200
