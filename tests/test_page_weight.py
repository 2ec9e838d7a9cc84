"""What a page costs on a slow network (issue 8, "Slow networks"): each page loads only the scripts it
uses, and pages travel compressed. The bytes a teacher's pages cost in a browser on Slow 3G:
tests/browser/test_slow_network.py; the figures: docs/benchmarks.md."""

import gzip
import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import FileResponse, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from bdtx.core.middleware import PageGZipMiddleware
from conftest import PASSWORD

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = {
    str(p).split("/templates/", 1)[1]: re.sub(r"{#.*?#}", "", p.read_text(encoding="utf-8"), flags=re.S)
    for p in sorted((ROOT / "bdtx").glob("**/templates/**/*.html"))
}
HX_ATTRIBUTE = re.compile(r"\shx-(?!headers\b)[a-z-]+\s*=")  # base.html's hx-headers only configures htmx
LOADS_HTMX = '{% include "includes/htmx.html" %}'
INCLUDE = re.compile(r"""{%\s*include\s+["']([^"']+)["']""")
EXTENDS = re.compile(r"""{%\s*extends\s+["']([^"']+)["']""")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _loads_htmx(name: str) -> bool:
    source = TEMPLATES[name]
    parent = EXTENDS.search(source)
    return LOADS_HTMX in source or (parent is not None and _loads_htmx(parent.group(1)))


def _uses_htmx(name: str) -> bool:
    source = TEMPLATES[name]
    return bool(HX_ATTRIBUTE.search(source)) or any(_uses_htmx(n) for n in INCLUDE.findall(source) if n in TEMPLATES)


def _pages_showing(name: str) -> set[str]:
    """The pages (templates that extend another) that show `name`: itself, or those that include it.
    None for a fragment no template includes: a view sends it alone, as htmx's answer to a page."""
    if EXTENDS.search(TEMPLATES[name]):
        return {name}
    includers = [n for n, source in TEMPLATES.items() if name in INCLUDE.findall(source)]
    return set().union(*(_pages_showing(n) for n in includers))


def test_every_page_with_htmx_attributes_loads_htmx():
    missing = sorted(
        f"{page} (for {name})"
        for name, source in TEMPLATES.items()
        if HX_ATTRIBUTE.search(source)
        for page in _pages_showing(name)
        if not _loads_htmx(page)
    )
    assert not missing, (
        f"hx-… attributes without htmx in {missing}: add {{% block scripts %}}{LOADS_HTMX}{{% endblock %}}"
    )


def test_a_page_loads_htmx_only_when_it_uses_it():
    loading = [name for name, source in TEMPLATES.items() if LOADS_HTMX in source]
    assert len(loading) >= 5 and not [name for name in loading if not _uses_htmx(name)]


def test_the_layout_loads_neither_htmx_nor_chart_js_and_a_chart_script_comes_only_with_a_chart():
    base = TEMPLATES["base.html"]
    assert "vendor/htmx" not in base and "vendor/chartjs" not in base and "{% block scripts %}" in base
    assert not [n for n, source in TEMPLATES.items() if "vendor/chartjs" in source and "<canvas" not in source]


def test_the_template_checks_find_what_they_look_for():
    assert HX_ATTRIBUTE.search('<form hx-get="/people/">') and HX_ATTRIBUTE.search('<div\n hx-trigger="every 1s">')
    assert not HX_ATTRIBUTE.search("""<body hx-headers='{"X-CSRFToken": "…"}'>""")
    assert _pages_showing("imports/_progress.html") == {"imports/import_detail.html"}
    assert _loads_htmx("people/staff_list.html") and not _loads_htmx("home/home.html")
    assert _uses_htmx("imports/import_detail.html")  # through the progress bar it includes


def _scripts(html: str) -> set[str]:
    return {src.rsplit("/", 1)[-1] for src in re.findall(r'<script src="([^"]+)"', html)}


@pytest.mark.django_db
def test_each_page_names_only_the_scripts_it_uses(world, client):
    assert _scripts(client.get(reverse("accounts:login")).text) == {"bdtx.js"}  # no menu, no message
    client.force_login(world.users["teacher_a1"])
    assert _scripts(client.get(reverse("home:home")).text) == {"bootstrap.bundle.min.js", "bdtx.js"}  # menus
    assert _scripts(client.get(reverse("plans:mine")).text) == {"bootstrap.bundle.min.js", "bdtx.js", "htmx.min.js"}


@pytest.mark.django_db
def test_the_page_carries_its_icon_so_no_browser_asks_for_favicon_ico(client):
    html = client.get(reverse("accounts:login")).text
    icon = re.search(r'<link rel="icon" href="([^"]+)"', html)
    assert icon and icon.group(1).startswith("data:image/svg+xml,")  # no request, no 404 on a cold page


def test_a_message_brings_bootstraps_script_to_close_it_even_signed_out(rf):
    request = rf.get("/")
    request.user = AnonymousUser()
    html = render_to_string("base.html", {"messages": ["Mật khẩu đã được đặt lại."]}, request=request)
    assert 'data-bs-dismiss="alert"' in html and "bootstrap.bundle.min.js" in _scripts(html)


# --- compressed pages ----------------------------------------------------------------------------


def _through_gzip(response: HttpResponse | FileResponse, accept: str = "gzip, deflate, br"):  # type: ignore[no-untyped-def]
    request = RequestFactory().get("/", headers={"Accept-Encoding": accept})
    return PageGZipMiddleware(lambda r: response)(request)


def test_pages_and_json_are_compressed_for_browsers_that_accept_gzip():
    html = "<tr><td>Nguyễn Thị Đào</td><td>Trường Tiểu học Đông</td></tr>" * 200
    r = _through_gzip(HttpResponse(html))
    assert r["Content-Encoding"] == "gzip" and "Accept-Encoding" in r["Vary"]
    assert gzip.decompress(r.content).decode() == html and len(r.content) < len(html.encode()) / 10
    assert _through_gzip(JsonResponse({"results": [{"name": "Đông"}] * 100}))["Content-Encoding"] == "gzip"
    assert not _through_gzip(HttpResponse(html), accept="identity").has_header("Content-Encoding")


def test_files_go_as_they_are():
    """An export is already compressed (.xlsx is a zip); an uploaded file is streamed with its length."""
    export = _through_gzip(HttpResponse(b"PK\x03\x04" + b"\x00" * 5000, content_type=XLSX))
    assert not export.has_header("Content-Encoding") and len(export.content) == 5004
    upload = _through_gzip(FileResponse(io.BytesIO(b"a" * 5000), filename="bai-giang.txt"))
    assert not upload.has_header("Content-Encoding") and upload["Content-Length"] == "5000"


@pytest.mark.django_db
def test_a_teachers_landing_page_comes_compressed(world, client):
    client.force_login(world.users["teacher_a1"])
    plain = client.get(reverse("home:home"))
    packed = client.get(reverse("home:home"), headers={"Accept-Encoding": "gzip"})
    assert packed["Content-Encoding"] == "gzip" and not plain.has_header("Content-Encoding")
    assert len(packed.content) < len(plain.content) / 2
    assert "BDTX" in gzip.decompress(packed.content).decode()


@pytest.mark.django_db
def test_the_session_cookie_stays_same_site_so_no_other_site_can_probe_compressed_pages(world, client):
    """BREACH guesses a secret in a compressed page from its size, over thousands of requests that
    carry both the attacker's text and the victim's session. No other site's page can make the
    browser send this session with such requests while the cookie is SameSite (PageGZipMiddleware)."""
    assert settings.SESSION_COOKIE_SAMESITE in ("Lax", "Strict")
    r = client.post(reverse("accounts:login"), {"username": "teacher_a1", "password": PASSWORD})
    assert r.status_code == 302 and r.cookies["sessionid"]["samesite"] in ("Lax", "Strict")
