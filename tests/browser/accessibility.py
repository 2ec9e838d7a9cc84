"""axe-core in the browser journeys: every page a journey visits is checked against WCAG 2.0/2.1 A and
AA, and a serious or critical violation fails the test.

When is a page checked? When it has loaded, after every htmx swap has settled, and once more, for
each page still open, when the test body ends. A state already checked (same address, markup and
width) is not checked again, so htmx polling costs little.

The page checks itself, inside its own load and htmx:afterSettle handlers, in one go: axe yields to
the event loop only to hand each rule's result on (setTimeout 0), and while it runs those turns are
taken as microtasks, so the whole check is one task of the page. Nothing the journey does (a click,
a navigation, an expect polling the page) can come between: it waits for the check, and the check
sees the page the journey saw. The result comes back as a console message; no request is held and
no call goes from an event handler to the browser, so the watch cannot deadlock or slow a journey
down by more than the checks themselves.

axe is vendored (bdtx/static/vendor/axe-core, VERSION there) and used only here. It is added to
each document as an init script, through the DevTools protocol, which the site's
Content-Security-Policy (script-src 'self') does not govern: no page links it, and the policy is as
strict in the tests as in production.
"""

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

from playwright.sync_api import BrowserContext, ConsoleMessage, Error, Page

AXE_JS = Path(__file__).resolve().parent.parent.parent / "bdtx" / "static" / "vendor" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING = ("serious", "critical")
PREFIX = "bdtx-axe "

# Added to every document after axe. window.__bdtxAxe(force) checks the document now and resolves to
# {url, violations} (violations null when this state was checked already); the page calls it on load
# and after each htmx swap and reports what it finds on the console, the test calls it at the end.
_WATCH = """(() => {
  const TAGS = __TAGS__, PREFIX = __PREFIX__;
  let last = null, running = false;

  function fingerprint() {
    const html = document.documentElement.outerHTML.replace(/\\bhtmx-(request|settling|swapping|added)\\b/g, "");
    let h = 0;
    for (let i = 0; i < html.length; i++) h = (Math.imul(h, 31) + html.charCodeAt(i)) | 0;
    return `${location.href} ${window.innerWidth} ${html.length}:${h}`;
  }

  // axe.run, with setTimeout(fn, 0) taken as a microtask while it runs: it resolves within this task.
  function runInOneTask() {
    const realSetTimeout = window.setTimeout;
    window.setTimeout = function (fn, ms, ...args) {
      if (ms) return realSetTimeout.call(window, fn, ms, ...args);
      queueMicrotask(() => fn(...args));
      return 0;
    };
    const restore = (value) => { window.setTimeout = realSetTimeout; running = false; return value; };
    running = true;
    try {
      return axe.run(document, {runOnly: {type: "tag", values: TAGS}, resultTypes: ["violations"]})
        .then(restore, (e) => { restore(); throw e; });
    } catch (e) {
      restore();
      return Promise.reject(e);
    }
  }

  async function check() {
    if (!location.protocol.startsWith("http") || running) return {url: location.href, violations: null};
    // A colour still in a transition would be measured half-way: let it end first (the journeys'
    // browser prefers reduced motion, so Bootstrap has none; this is for anything else).
    const moving = document.getAnimations()
      .filter((a) => a.playState === "running" && isFinite(a.effect.getComputedTiming().endTime));
    if (moving.length) {
      await Promise.race([
        Promise.all(moving.map((a) => a.finished.catch(() => null))),
        new Promise((resolve) => setTimeout(resolve, 2000)),
      ]);
    }
    const now = fingerprint();
    if (now === last) return {url: location.href, violations: null};
    last = now;
    const result = await runInOneTask();
    return {
      url: location.href,
      violations: result.violations.map((v) => ({
        rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.map(String).join(" ")),
      })),
    };
  }

  function checkAndReport() {
    check().then(
      (report) => { if (report.violations) console.debug(PREFIX + JSON.stringify(report)); },
      (e) => console.debug(PREFIX + JSON.stringify({url: location.href, error: String(e && e.stack || e)})),
    );
  }

  window.__bdtxAxe = check;
  window.addEventListener("load", checkAndReport);
  document.addEventListener("htmx:afterSettle", checkAndReport);
})();
""".replace("__TAGS__", json.dumps(TAGS)).replace("__PREFIX__", json.dumps(PREFIX))


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

    def watch(self, context: BrowserContext) -> None:
        self.contexts.append(context)
        context.add_init_script(path=AXE_JS)
        context.add_init_script(script=_WATCH)
        context.on("console", self._on_console)

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "debug" and message.text.startswith(PREFIX):
            self._record(json.loads(message.text.removeprefix(PREFIX)))

    def _record(self, report: dict) -> list[Violation]:
        if "error" in report:
            self.errors.append(f"{report['url']}: {report['error']}")
            return []
        if report["violations"] is None:
            return []
        self.checked.append(report["url"])
        found = [
            Violation(report["url"], v["rule"], v["impact"], v["help"], tuple(v["targets"]))
            for v in report["violations"]
        ]
        self.violations += [v for v in found if v.impact in FAILING]
        return found

    def check(self, page: Page) -> list[Violation]:
        """Run axe on what the page shows now, unless that state was checked already. Returns every
        violation found (of any impact); keeps the serious and critical ones."""
        if page.is_closed() or not page.url.startswith("http"):
            return []
        try:
            report = page.evaluate("() => window.__bdtxAxe()")
        except Error as e:
            # The page moved on or closed meanwhile; anything else means the check itself is broken,
            # and the test says so.
            if not any(s in e.message for s in ("context was destroyed", "closed", "Cannot find context")):
                self.errors.append(f"{page.url}: {e.message}")
            return []
        return self._record(report)

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
