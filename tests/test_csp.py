"""The Content-Security-Policy: every response carries it, it allows no inline script, and no
template relies on what it forbids (inline event handlers, inline scripts, javascript: URLs, htmx
expressions that need eval). Pages declare behaviour with data-attributes that
bdtx/static/bdtx/bdtx.js implements."""

import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from bdtx.catalog.models import Material
from bdtx.catalog.tests.conftest import module

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = sorted((ROOT / "bdtx").glob("**/templates/**/*.html"))

INLINE_HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.I | re.S)  # onclick=, onsubmit=, onload=, …
INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\ssrc=)[^>]*>", re.I)  # a <script> without src
JS_URL = re.compile(r"""(href|src|action|formaction)\s*=\s*["']?\s*javascript:""", re.I)
HTMX_EVAL = re.compile(r"""\shx-on[:\w-]*\s*=|\shx-(vals|headers|vars)\s*=\s*["']\s*(js|javascript):""", re.I)
STYLE_ELEMENT = re.compile(r"<style\b", re.I)
STYLE_ATTRIBUTE = re.compile(r"<[^>]*\sstyle\s*=", re.I | re.S)

# Templates allowed to write an inline style attribute: none. A computed width (a progress bar) is
# data-bar-width="…", which bdtx.js applies; the policy has no 'style-src-attr' exception.
STYLE_ATTRIBUTE_STILL_IN: set[str] = set()


def _name(path: Path) -> str:
    return str(path).split("/templates/", 1)[1]


def _source(path: Path) -> str:
    return re.sub(r"{#.*?#}", "", path.read_text(encoding="utf-8"))  # template comments are not output


def test_the_walk_reads_every_template():
    assert len(TEMPLATES) > 60 and "base.html" in {_name(p) for p in TEMPLATES}


@pytest.mark.parametrize(
    ("pattern", "what"),
    [
        (INLINE_HANDLER, "an inline event handler (on…=)"),
        (INLINE_SCRIPT, "an inline <script>"),
        (JS_URL, "a javascript: URL"),
        (HTMX_EVAL, "an htmx attribute that needs eval (hx-on, js: values)"),
        (STYLE_ELEMENT, "a <style> element"),
    ],
    ids=["event-handler", "inline-script", "javascript-url", "htmx-eval", "style-element"],
)
def test_no_template_writes_what_the_policy_refuses(pattern, what):
    found = [_name(p) for p in TEMPLATES if pattern.search(_source(p))]
    assert not found, f"{what} in {found}: put the behaviour in bdtx/static/bdtx/bdtx.js (data-attributes)"


def test_no_new_template_writes_an_inline_style():
    found = {_name(p) for p in TEMPLATES if STYLE_ATTRIBUTE.search(_source(p))}
    assert found <= STYLE_ATTRIBUTE_STILL_IN, f"style=… in {sorted(found - STYLE_ATTRIBUTE_STILL_IN)}: use a class"


def test_the_checks_above_find_what_they_look_for():
    assert INLINE_HANDLER.search('<form method="post"\n  onsubmit="return confirm(1)">')
    assert INLINE_HANDLER.search("<select onchange='this.form.submit()'>")
    assert not INLINE_HANDLER.search('<button data-confirm="Xoá?" class="btn">')
    assert INLINE_SCRIPT.search("<script>alert(1)</script>") and INLINE_SCRIPT.search('<script type="module">')
    assert not INLINE_SCRIPT.search('<script src="/static/bdtx/bdtx.js" defer></script>')
    assert JS_URL.search('<a href="javascript:void(0)">') and HTMX_EVAL.search('<div hx-on:click="x()">')
    assert HTMX_EVAL.search("""<div hx-vals='js:{a: b()}'>""") and not HTMX_EVAL.search("""<b hx-headers='{"a": 1}'>""")


def test_every_page_loads_the_script_that_replaces_the_inline_handlers():
    base = (ROOT / "bdtx" / "templates" / "base.html").read_text(encoding="utf-8")
    assert "{% static 'bdtx/bdtx.js' %}" in base
    script = (ROOT / "bdtx" / "static" / "bdtx" / "bdtx.js").read_text(encoding="utf-8")
    used = set()
    for p in TEMPLATES:
        used |= set(re.findall(r"\s(data-(?:confirm|autosubmit|bar-width))\b", _source(p)))
    assert {"data-confirm", "data-autosubmit"} <= used
    assert all(attr in script for attr in used)


# --- the header ---------------------------------------------------------------------------------


def _policy(response) -> dict[str, list[str]]:
    header = response.headers.get("Content-Security-Policy")
    assert header, f"no Content-Security-Policy on {response.request['PATH_INFO']} ({response.status_code})"
    directives = [d.split() for d in header.split(";") if d.strip()]
    return {d[0]: d[1:] for d in directives}


def _assert_strict(policy: dict[str, list[str]]) -> None:
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no 'unsafe-inline', no 'unsafe-eval', no other host
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in [v for values in policy.values() for v in values]  # style attributes too
    assert not [v for values in policy.values() for v in values if "*" in v or v.startswith("http")]


@pytest.mark.django_db
def test_every_kind_of_response_carries_the_strict_policy(world, client, settings):
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"}}
    material = Material.objects.create(
        module=module("GVPT-TT17-2019", "GVPT 01"), unit=world.u("bo"), kind="file", title="Tệp", url=""
    )
    material.file.save("x.html", ContentFile(b"<script>alert(document.cookie)</script>"))
    responses = [client.get(reverse("accounts:login")), client.get(reverse("home:home"))]  # anonymous: 200, 302
    client.force_login(world.users["so_a"])
    responses += [
        client.get(reverse("home:home")),
        client.get(reverse("people:list"), headers={"HX-Request": "true"}),  # an htmx partial
        client.get("/no-such-page/"),  # 404
        client.get(reverse("catalog:material", kwargs={"uuid": material.uuid})),  # an uploaded file
        client.get(reverse("api:units")),  # JSON
    ]
    client.force_login(world.users["teacher_a1"])
    responses.append(client.get(reverse("accounts:users")))  # 403: a teacher manages no accounts
    assert {r.status_code for r in responses} >= {200, 302, 403, 404}
    for r in responses:
        _assert_strict(_policy(r))
