"""Benchmark: a teacher's landing and plan pages on a slow mobile network, cold and warm.

Run from the project root:
    .venv/bin/python bench/slow_network.py [--runs 3] [--profile slow-3g|fast-3g|slow-3g-400] [--url http://127.0.0.1:8000]

Without --url it starts what `make run` starts (scripts/run.sh: migrate, the demo provinces, the
background worker and the web server) on a free local port, with BDTX_VAR_DIR pointing at a fresh
temporary directory, and stops it at the end. With --url it measures a server already running
(with the demo loaded: it signs in as the demo teacher `giaovien`).

Debian's Chromium, driven by Playwright, signs in, then loads each page under Chrome DevTools'
"Slow 3G" network profile (SLOW_3G below; --profile fast-3g: FAST_3G), set through the DevTools
protocol:

- cold: a fresh browser context with the HTTP cache disabled (Network.setCacheDisabled), as on a
  first visit;
- warm: the page was opened once before (so the static files are in the cache); it is opened again.

For each it prints the bytes that crossed the network (Network.loadingFinished's encodedDataLength:
headers and bodies as sent, compressed or not), the number of requests, and the times the page
itself records (Navigation Timing, from the start of the navigation): first contentful paint,
DOMContentLoaded and the load event. Medians over --runs runs, with the range.
"""

import argparse
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# Chrome DevTools' "Slow 3G" preset, as Puppeteer names it (PredefinedNetworkConditions['Slow 3G'],
# "generally aligned with DevTools", front_end/core/sdk/NetworkManager.ts): about 500 kbit/s each
# way with 80 % of it usable, and 400 ms of round trip multiplied by 5 for the time a mobile network
# takes to open connections. Bytes per second and milliseconds, as Network.emulateNetworkConditions
# takes them; the latency is added to every request.
SLOW_3G = {
    "offline": False,
    "downloadThroughput": 500 * 1000 / 8 * 0.8,  # 50,000 bytes/s
    "uploadThroughput": 500 * 1000 / 8 * 0.8,
    "latency": 400 * 5,  # 2,000 ms
}
# For comparison (--profile fast-3g): Puppeteer's "Fast 3G", which DevTools and Lighthouse now call
# "Slow 4G": about 1.6 Mbit/s down (90 % usable), 150 ms of round trip multiplied by 3.75.
FAST_3G = {
    "offline": False,
    "downloadThroughput": 1.6 * 1000 * 1000 / 8 * 0.9,  # 180,000 bytes/s
    "uploadThroughput": 750 * 1000 / 8 * 0.9,
    "latency": 150 * 3.75,  # 562.5 ms
}
# The "slow 3G" most Playwright and Puppeteer examples write by hand (500 kbit/s of 1,024 bytes each
# way, 400 ms per request, no mobile multiplier): it gives the 8.1–8.5 s the field test reported for
# the pages before they were trimmed (--profile slow-3g-400).
SLOW_3G_400 = {
    "offline": False,
    "downloadThroughput": 500 * 1024 / 8,  # 64,000 bytes/s
    "uploadThroughput": 500 * 1024 / 8,
    "latency": 400,
}
PROFILES = {"slow-3g": SLOW_3G, "fast-3g": FAST_3G, "slow-3g-400": SLOW_3G_400}

CHROMIUM = os.environ.get("BDTX_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TEACHER = "giaovien"  # bdtx/demo/province.py
DEMO_PASSWORD = "bdtx-demo-2025"
PAGES = [("landing", "/"), ("plan", "/plans/mine/")]


@dataclass
class Transfer:
    """One request of a page: what crossed the network for it."""

    url: str
    bytes: int  # encodedDataLength: headers and body as sent (compressed or not)
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)  # the response's, names in lower case


@dataclass
class Load:
    """One page load as the browser saw it."""

    url: str
    bytes: int = 0  # all its requests' bytes
    requests: list[Transfer] = field(default_factory=list)  # in the order they ended
    first_paint_ms: float = 0.0
    dom_ready_ms: float = 0.0
    load_ms: float = 0.0

    @property
    def count(self) -> int:
        return len(self.requests)


class Network:
    """The DevTools protocol session of a page: throttling, the cache, and the bytes of each request."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.cdp = page.context.new_cdp_session(page)
        self.urls: dict[str, str] = {}
        self.done: dict[str, int] = {}
        self.responses: dict[str, dict[str, Any]] = {}
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.responseReceived", self._received)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.loadingFailed", self._failed)
        self.cdp.send("Network.enable")

    def _sent(self, params: dict[str, Any]) -> None:
        url = params["request"]["url"]
        if url.startswith(("http:", "https:")):  # not the data: URLs of Bootstrap's icons
            self.urls[params["requestId"]] = url

    def _received(self, params: dict[str, Any]) -> None:
        self.responses[params["requestId"]] = params["response"]

    def _finished(self, params: dict[str, Any]) -> None:
        self.done[params["requestId"]] = int(params["encodedDataLength"])

    def _failed(self, params: dict[str, Any]) -> None:
        self.done[params["requestId"]] = 0

    def emulate(self, conditions: dict[str, Any] | None, *, cache: bool) -> None:
        """Throttle as `conditions` say (None: no throttling); with cache=False, nothing comes from the cache."""
        off = {"offline": False, "downloadThroughput": -1, "uploadThroughput": -1, "latency": 0}
        self.cdp.send("Network.emulateNetworkConditions", conditions or off)
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": not cache})

    def load(self, url: str) -> Load:
        """Open `url`, wait for its load event and for every request it made to end; what it cost."""
        self.urls.clear()
        self.done.clear()
        self.responses.clear()
        self.page.goto(url, wait_until="load")
        # The protocol's events come on their own session: wait (boundedly) for the last ones.
        for _ in range(200):
            if set(self.urls) <= set(self.done):
                break
            self.page.wait_for_timeout(50)
        timing = self.page.evaluate(
            """async () => {
                const nav = performance.getEntriesByType("navigation")[0];
                // The first paint may come just after the load event: wait for it (2 s at most).
                const fcp = await new Promise((resolve) => {
                    new PerformanceObserver((list) => {
                        const entry = list.getEntriesByName("first-contentful-paint")[0];
                        if (entry) resolve(entry.startTime);
                    }).observe({type: "paint", buffered: true});
                    setTimeout(() => resolve(0), 2000);
                });
                return {fcp: fcp, dom: nav.domContentLoadedEventEnd, load: nav.loadEventEnd};
            }"""
        )
        load = Load(url=url, first_paint_ms=timing["fcp"], dom_ready_ms=timing["dom"], load_ms=timing["load"])
        for request_id, size in self.done.items():
            if request_id in self.urls:
                response = self.responses.get(request_id, {})
                headers = {k.lower(): v for k, v in response.get("headers", {}).items()}
                load.requests.append(Transfer(self.urls[request_id], size, response.get("status", 0), headers))
                load.bytes += size
        return load


def sign_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    with page.expect_navigation():
        page.locator("form button[type=submit]").click()
    if "/accounts/login/" in page.url:
        raise SystemExit(f"{username} could not sign in at {base}")


def measure(
    browser: Any, base: str, path: str, *, warm: bool, username: str, password: str, conditions: dict[str, Any]
) -> Load:
    """One load of `path` under `conditions` in a fresh context, signed in: cold (no cache) or warm (opened before)."""
    context = browser.new_context(locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh")
    try:
        page = context.new_page()
        sign_in(page, base, username, password)
        network = Network(page)
        if warm:
            network.emulate(None, cache=True)
            network.load(base + path)
            network.emulate(conditions, cache=True)
        else:
            network.emulate(conditions, cache=False)
        return network.load(base + path)
    finally:
        context.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_make_run(var_dir: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update({"HOST": "127.0.0.1", "PORT": str(port), "BDTX_VAR_DIR": str(var_dir)})
    log = open(var_dir / "make-run.log", "wb")  # noqa: SIM115 (kept open for the server's life)
    server = subprocess.Popen(
        ["bash", "scripts/run.sh"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    deadline = time.monotonic() + 600  # the demo provinces take a minute or two to load
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"scripts/run.sh stopped (exit {server.returncode}): see {var_dir / 'make-run.log'}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return server, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.5)
    _stop(server)
    raise SystemExit("scripts/run.sh did not answer within 10 minutes")


def _stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values) / 1000:5.2f} s ({min(values) / 1000:.2f} – {max(values) / 1000:.2f})"


def report(name: str, loads: list[Load], *, detail: bool) -> None:
    sizes = [x.bytes for x in loads]
    print(
        f"  {name:14} {statistics.median(sizes) / 1000:7.1f} kB in {loads[0].count:2} requests"
        f"   first paint {_ms([x.first_paint_ms for x in loads])}"
        f"   DOM ready {_ms([x.dom_ready_ms for x in loads])}"
        f"   load {_ms([x.load_ms for x in loads])}"
    )
    if detail:
        for r in loads[0].requests:
            print(f"      {r.bytes / 1000:7.1f} kB  {r.headers.get('content-encoding', '-'):4}  {r.url}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running BDTX with the demo loaded (default: start scripts/run.sh)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", choices=sorted(PROFILES), default="slow-3g")
    parser.add_argument("--user", default=TEACHER)
    parser.add_argument("--password", default=DEMO_PASSWORD)
    args = parser.parse_args()

    from playwright.sync_api import sync_playwright

    server = None
    tmp = tempfile.TemporaryDirectory(prefix="bdtx-bench-net-")
    try:
        if args.url:
            base = args.url.rstrip("/")
        else:
            print("starting scripts/run.sh (make run) …", flush=True)
            server, base = _start_make_run(Path(tmp.name))
        conditions = PROFILES[args.profile]
        print(f"{base}, signed in as {args.user}, network {args.profile}: {conditions}")
        print(f"medians of {args.runs} runs (range); times from the start of the navigation")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for name, path in PAGES:
                for warm in (False, True):
                    loads = [
                        measure(
                            browser,
                            base,
                            path,
                            warm=warm,
                            username=args.user,
                            password=args.password,
                            conditions=conditions,
                        )
                        for _ in range(args.runs)
                    ]
                    report(f"{name} {'warm' if warm else 'cold'}", loads, detail=not warm)
            browser.close()
    finally:
        if server is not None:
            _stop(server)
        tmp.cleanup()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
