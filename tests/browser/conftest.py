"""Browser journeys: Playwright driving Debian's Chromium against pytest-django's live server.

Every test under tests/browser is marked `browser` (`make test-fast` leaves them out). Without
Chromium they are skipped, unless BDTX_REQUIRE_BROWSER=1 (CI), where a missing browser fails.
Playwright's own browser downloads are never used; the tests drive Debian's chromium package.
"""

import os
from collections.abc import Callable, Generator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page

from conftest import PASSWORD, World
from tests.browser.accessibility import AxeWatch

# Playwright's sync API runs an event loop in the test thread; Django would then refuse ORM calls
# from that thread (SynchronousOnlyOperation), although they are ordinary blocking calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent.parent
SCREENSHOTS = REPO_ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("BDTX_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("BDTX_REQUIRE_BROWSER") == "1"
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    # The machine has no network but loopback: no background calls home, no QUIC probes.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 360, "height": 740}


def _chromium_missing() -> str | None:
    if os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK):
        return None
    return f"Chromium not found at {CHROMIUM} (Debian: apt-get install chromium; or set BDTX_CHROMIUM)"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # tryfirst: the mark must be on the items before `-m browser` / `-m "not browser"` selects.
    missing = _chromium_missing()
    for item in items:
        if HERE not in item.path.parents:
            continue
        item.add_marker(pytest.mark.browser)
        if missing and not REQUIRE_BROWSER:
            item.add_marker(pytest.mark.skip(reason=missing))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    missing = _chromium_missing()
    if missing:
        pytest.fail(f"{missing}; BDTX_REQUIRE_BROWSER=1 forbids skipping the browser tests", pytrace=False)
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


AXE_WATCH = pytest.StashKey[AxeWatch]()


@pytest.fixture(autouse=True)
def axe_watch(request: pytest.FixtureRequest) -> AxeWatch:
    """The accessibility check of every page the test visits (tests/browser/accessibility.py)."""
    watch = AxeWatch()
    request.node.stash[AXE_WATCH] = watch
    return watch


@pytest.fixture
def new_context(new_context: Callable[..., BrowserContext], axe_watch: AxeWatch) -> Callable[..., BrowserContext]:
    """pytest-playwright's contexts (`context`, `page` and the tests' own), each watched by axe."""

    def _new_context(**kwargs: object) -> BrowserContext:
        context = new_context(**kwargs)
        axe_watch.watch(context)
        return context

    return _new_context


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Generator[None]:
    """A journey that passed fails if a page it visited has a serious or critical axe violation."""
    yield  # a test that failed already fails with its own error
    watch = item.stash.get(AXE_WATCH, None)
    if watch is not None:
        watch.finish()


@pytest.fixture(scope="session")
def base_url(live_server) -> str:  # type: ignore[no-untyped-def]
    """Relative URLs (page.goto("/people/")) go to the live server.

    Also replaces pytest-playwright's fallback `base_url`, a fixture defined on a class that
    pytest 9 warns about, and warnings are errors here.
    """
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict) -> dict:
    # A Vietnamese browser in Vietnam, as the people using BDTX have. Reduced motion turns Bootstrap's
    # colour transitions off: axe, checking a page while the journey clicks on, would otherwise measure
    # the contrast of a button half-way between two colours.
    return {
        **browser_context_args,
        "locale": "vi-VN",
        "timezone_id": "Asia/Ho_Chi_Minh",
        "reduced_motion": "reduce",
    }


@pytest.fixture
def world(transactional_db: None, world: World) -> World:
    """The shared world, committed so the live server's thread sees it.

    Transactional tests end with a flush that also empties what data migrations seeded (school
    years, ethnicities) and the world; the root conftest reloads both after each of them.
    """
    return world


@pytest.fixture
def browser_world(world: World) -> World:
    return world


@pytest.fixture
def phone_page(new_context: Callable[..., BrowserContext]) -> Page:
    """A page in a 360 × 740 phone viewport with touch, like an entry-level Android phone."""
    context = new_context(viewport=PHONE, screen=PHONE, is_mobile=True, has_touch=True, device_scale_factor=2)
    return context.new_page()


@pytest.fixture
def screenshot() -> Callable[[Page, str], Path]:
    """screenshot(page, name) → artifacts/screenshots/<name>.png (the whole page), kept by CI."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def _take(page: Page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return _take


@pytest.fixture
def sign_in(live_server) -> Callable[..., None]:  # type: ignore[no-untyped-def]
    """sign_in(page, username, password=PASSWORD): fill in and submit the login form."""

    def _sign_in(page: Page, username: str, password: str = PASSWORD) -> None:
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(password)
        with page.expect_navigation():
            page.locator("form button[type=submit]").click()

    return _sign_in
