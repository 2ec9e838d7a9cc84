"""axe-core in the browser journeys: every page a journey visits is checked against WCAG 2.0/2.1 A and
AA, and a serious or critical violation fails the test.

When is a page checked? When it has loaded, after every htmx swap has settled, and once more, for
each page still open, when the test body ends. A state already checked (same address, markup and
width) is not checked again, so htmx polling costs nothing. While a check runs, the page's next
navigation or htmx request is held back (a context route), so the journey never moves on under it:
the check sees the page the journey saw. (Chromium answers no DevTools call to a page whose
navigation is held, so a check is never started from that route, only waited for.)

axe is vendored (bdtx/static/vendor/axe-core, VERSION there) and used only here. It is added to
each document as an init script, through the DevTools protocol, which the site's
Content-Security-Policy (script-src 'self') does not govern: no page links it, and the policy is as
strict in the tests as in production.
"""

from dataclasses import dataclass, field, replace
from pathlib import Path

from playwright.sync_api import BrowserContext, Error, Page, Route

AXE_JS = Path(__file__).resolve().parent.parent.parent / "bdtx" / "static" / "vendor" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING = ("serious", "critical")
WAIT_MS = 10_000  # how long a navigation waits for the check of the page it leaves

# Tells the watch when htmx has swapped and settled new content in (a binding, not a page script).
_ON_SETTLE = "document.addEventListener('htmx:afterSettle', () => window.__bdtxAxeSettled());"

# One evaluation: a second one could be held behind a navigation that began meanwhile.
_RUN = """async ({tags, last}) => {
  const html = document.documentElement.outerHTML.replace(/\\bhtmx-(request|settling|swapping|added)\\b/g, "");
  let h = 0;
  for (let i = 0; i < html.length; i++) h = (Math.imul(h, 31) + html.charCodeAt(i)) | 0;
  const fingerprint = `${location.href} ${window.innerWidth} ${html.length}:${h}`;
  if (fingerprint === last) return {fingerprint, url: location.href, violations: null};
  // Colours still in a transition (a button just clicked) would be measured half-way: let them end.
  const moving = document.getAnimations()
    .filter((a) => a.playState === "running" && isFinite(a.effect.getComputedTiming().endTime));
  await Promise.race([
    Promise.all(moving.map((a) => a.finished.catch(() => null))),
    new Promise((r) => setTimeout(r, 2000)),
  ]);
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  const violations = result.violations.map((v) => ({
    rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.map(String).join(" ")),
  }));
  return {fingerprint, url: location.href, violations};
}"""


@dataclass(frozen=True)
class Violation:
    url: str
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        shown = ", ".join(self.targets[:8]) + (f" … ({len(self.targets)} elements)" if len(self.targets) > 8 else "")
        return f"{self.url}\n  {self.rule} ({self.impact}): {self.help}\n  at {shown}"


@dataclass
class AxeWatch:
    """Checks the pages of the browser contexts it watches; keeps the serious and critical violations."""

    violations: list[Violation] = field(default_factory=list)
    checked: list[str] = field(default_factory=list)  # the address of every state checked, in order
    errors: list[str] = field(default_factory=list)  # checks that could not run
    contexts: list[BrowserContext] = field(default_factory=list)
    _last: dict[Page, str] = field(default_factory=dict)  # the fingerprint of each page's last check
    _busy: set[Page] = field(default_factory=set)
    _again: set[Page] = field(default_factory=set)  # changed while being checked: check once more

    def watch(self, context: BrowserContext) -> None:
        self.contexts.append(context)
        context.add_init_script(path=AXE_JS)
        context.expose_binding("__bdtxAxeSettled", lambda source: self._check_soon(source["page"]))
        context.add_init_script(script=_ON_SETTLE)
        context.on("page", self._watch_page)
        context.route(lambda url: "/static/" not in url, self._hold_while_checking)

    def _watch_page(self, page: Page) -> None:
        page.on("load", lambda: self._check_soon(page))

    def _check_soon(self, page: Page) -> None:
        """From an event: check now, or right after the check under way."""
        if page in self._busy:
            self._again.add(page)
            return
        self.check(page)

    def _hold_while_checking(self, route: Route) -> None:
        request = route.request
        try:
            if request.resource_type in ("document", "xhr", "fetch") and request.frame.parent_frame is None:
                page = request.frame.page
                waited = 0
                while page in self._busy and waited < WAIT_MS and not page.is_closed():
                    page.wait_for_timeout(20)
                    waited += 20
        finally:
            route.fallback()

    def check(self, page: Page) -> list[Violation]:
        """Run axe on what the page shows now, unless that was checked already. Returns every violation
        found (of any impact); keeps the serious and critical ones."""
        found: list[Violation] = []
        while page in self._busy and not page.is_closed():  # an event's check is under way
            page.wait_for_timeout(20)
        self._busy.add(page)
        try:
            while not page.is_closed() and page.url.startswith("http"):
                self._again.discard(page)
                result = page.evaluate(_RUN, {"tags": TAGS, "last": self._last.get(page)})
                self._last[page] = result["fingerprint"]
                if result["violations"] is not None:
                    self.checked.append(result["url"])
                    found += [
                        Violation(result["url"], v["rule"], v["impact"], v["help"], tuple(v["targets"]))
                        for v in result["violations"]
                    ]
                if page not in self._again:
                    break
        except Error as e:
            # The page moved on or closed meanwhile (its next state is checked instead); anything else
            # means the check itself is broken, and the test says so.
            if not any(s in e.message for s in ("context was destroyed", "closed", "Cannot find context")):
                self.errors.append(f"{page.url}: {e.message}")
        finally:
            self._busy.discard(page)
            self._again.discard(page)
        self.violations += [v for v in found if v.impact in FAILING]
        return found

    def check_open_pages(self) -> None:
        for context in self.contexts:
            for page in context.pages:
                self.check(page)

    def finish(self) -> None:
        """Check the pages still open; raise with the report if a serious or critical violation was found."""
        self.check_open_pages()
        if self.violations or self.errors:
            raise AssertionError(self.report())

    def report(self) -> str:
        """The serious and critical violations found, one entry per page and rule, for a test failure."""
        grouped: dict[tuple[str, str], Violation] = {}
        for v in self.violations:
            seen = grouped.get((v.url, v.rule))
            targets = tuple(dict.fromkeys((seen.targets if seen else ()) + v.targets))
            grouped[(v.url, v.rule)] = replace(v, targets=targets)
        unique = list(grouped.values())
        lines = [f"{len(unique)} serious or critical accessibility violation(s) (axe-core, {', '.join(TAGS)}):"]
        lines += [str(v) for v in unique]
        lines += [f"axe could not check {e}" for e in self.errors]
        return "\n".join(lines)
