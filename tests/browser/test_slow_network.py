"""A teacher's pages on a slow mobile network (issue 8, "Slow networks").

On Chrome DevTools' "Slow 3G" profile (bench/slow_network.py: SLOW_3G) with an empty cache, a teacher's
landing page and plan page each cost at most BUDGET bytes over the network: the page, its
stylesheets and scripts, headers included. The byte count is deterministic, so it is asserted; the
time is only printed (no wall-clock limit in a test: the machine may be busy), and
`bench/slow_network.py` measures it (docs/benchmarks.md).

The measurement means something only if the static files travel as in production and under
`make run`: hashed names from collectstatic's manifest, pre-compressed copies, served by WhiteNoise.
pytest-django's `live_server` serves /static/ itself, uncompressed, from the finders; so this test
collects the static files with the storage of config.settings.local into a temporary STATIC_ROOT and
runs its own live server without that static handler, so the project's WSGI application (WhiteNoise
in its middleware) answers every request.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connections
from django.test import override_settings
from django.test.testcases import LiveServerThread
from playwright.sync_api import Browser

from bdtx.accounts.selectors import scope_for_user
from bdtx.catalog.models import Module
from bdtx.core.selectors import school_year_current
from bdtx.plans.personal import services as plan_services
from bench.slow_network import SLOW_3G, Load, Network, sign_in
from conftest import PASSWORD, World

BUDGET = 150_000  # bytes per page, cold (docs/benchmarks.md: "under 150 KB")
TEN_YEARS = "max-age=315360000"  # WhiteNoise's Cache-Control for a file with a hashed name
# The static files as config.settings.local and .production store them (tests/test_make_run.py checks).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


class _ProductionLikeServer(LiveServerThread):
    """Django's live server thread, minus the static-files handler: WhiteNoise serves /static/."""

    def __init__(self, connections_override: dict) -> None:
        super().__init__("127.0.0.1", static_handler=lambda app: app, connections_override=connections_override)


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STORAGES=STORAGES, STATIC_ROOT=root):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def server_url(collected_static: Path, world: World) -> Iterator[str]:
    overrides = override_settings(
        STORAGES=STORAGES,
        STATIC_ROOT=collected_static,
        WHITENOISE_USE_FINDERS=False,
        WHITENOISE_AUTOREFRESH=False,
        ALLOWED_HOSTS=[*settings.ALLOWED_HOSTS, "127.0.0.1"],
    )
    overrides.enable()
    # The test database in memory (SQLite) is shared with the server's thread, as live_server does.
    shared = {c.alias: c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db()}
    for conn in shared.values():
        conn.inc_thread_sharing()
    thread = _ProductionLikeServer(shared)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    try:
        if thread.error:
            raise thread.error
        yield f"http://127.0.0.1:{thread.port}"
    finally:
        thread.terminate()
        for conn in shared.values():
            conn.dec_thread_sharing()
        overrides.disable()


def _cold(browser: Browser, base: str, path: str) -> Load:
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    try:
        page = context.new_page()
        sign_in(page, base, "teacher_a1", PASSWORD)
        network = Network(page)
        network.emulate(SLOW_3G, cache=False)
        return network.load(base + path)
    finally:
        context.close()


def _with_a_plan(world: World) -> None:
    """teacher_a1's plan for this year, with two modules of programme 03, as a teacher makes it."""
    user = world.users["teacher_a1"]
    scope = scope_for_user(user)
    plan = plan_services.plan_start(scope=scope, person=world.people["teacher_a1"], school_year=school_year_current())
    for code in ("GVPT 01", "GVPT 11"):
        module = Module.objects.get(catalog__code="GVPT-TT17-2019", code=code)
        plan_services.plan_module_add(scope=scope, plan=plan, module=module)


def test_a_teachers_landing_and_plan_pages_cost_under_150_kb_cold_on_slow_3g(
    browser: Browser, world: World, server_url: str
) -> None:
    _with_a_plan(world)
    loads = {name: _cold(browser, server_url, path) for name, path in (("landing", "/"), ("plan", "/plans/mine/"))}

    for name, load in loads.items():
        print(
            f"\n{name}: {load.bytes / 1000:.1f} kB in {load.count} requests under Slow 3G with an empty cache; "
            f"first paint {load.first_paint_ms / 1000:.2f} s, load event {load.load_ms / 1000:.2f} s"
        )
        for r in load.requests:
            print(f"  {r.bytes / 1000:6.1f} kB  {r.headers.get('content-encoding', '-'):5} {r.status}  {r.url}")
        assert {r.status for r in load.requests} == {200}, load.requests
        # The page itself is compressed (bdtx.core.middleware.PageGZipMiddleware) …
        assert load.requests[0].url == server_url + ("/" if name == "landing" else "/plans/mine/")
        assert load.requests[0].headers.get("content-encoding") == "gzip"
        # … and so is every stylesheet and script, from collectstatic, under a hashed name cached for years.
        static = [r for r in load.requests if "/static/" in r.url]
        assert {r.url.rsplit(".", 1)[-1] for r in static} == {"css", "js"}
        for r in static:
            assert r.headers.get("content-encoding") in ("gzip", "br"), r.url
            assert TEN_YEARS in r.headers.get("cache-control", ""), r.url
        assert load.bytes < BUDGET, f"{name}: {load.bytes} bytes cold, over the budget of {BUDGET}"

    # Each page loads only the scripts it uses: htmx for the plan's module search, not on the landing page.
    assert not [r for r in loads["landing"].requests if "htmx" in r.url]
    assert [r for r in loads["plan"].requests if "htmx" in r.url]
    assert not [r for load in loads.values() for r in load.requests if "chart" in r.url]
    assert [r for r in loads["landing"].requests if "bootstrap.bundle" in r.url]  # the menus
