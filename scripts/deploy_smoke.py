"""Requests to a freshly deployed BDTX, sent as the reverse proxy of docs/deploy.md sends them.

    python scripts/deploy_smoke.py http://127.0.0.1:8000 bdtx.example.vn

Every request carries what nginx adds (Host, X-Forwarded-Proto: https, X-Forwarded-For). The
script signs in through the login form (with its CSRF token) as demo users, opens the landing
page, the staff list, the plan pages and every static file those pages name, and checks the
security headers. It exits 1 on any 5xx, any missing static file or any failed expectation, and
prints one line per request. Standard library only: it runs with any Python 3.12.
"""

import http.client
import re
import sys
from dataclasses import dataclass, field
from html import unescape
from urllib.parse import urlencode, urljoin, urlsplit

DEMO_PASSWORD = "bdtx-demo-2025"  # bdtx/demo/province.py
CLIENT = "198.51.100.23"  # the address nginx saw


@dataclass
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def header(self, name: str) -> str:
        return self.headers.get(name, "")


@dataclass
class Browser:
    """A cookie jar and the proxy's headers; Secure cookies are kept as the browser would over HTTPS."""

    base: str
    host: str
    cookies: dict[str, str] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    seen_static: set[str] = field(default_factory=set)

    def request(self, method: str, path: str, *, data: dict[str, str] | None = None, https: bool = True) -> Answer:
        parts = urlsplit(self.base)
        conn = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port or 80, timeout=30)
        headers = {"Host": self.host, "X-Forwarded-For": CLIENT, "Accept-Language": "vi"}
        if https:
            headers["X-Forwarded-Proto"] = "https"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"https://{self.host}"  # CSRF over HTTPS checks the origin
            headers["Referer"] = f"https://{self.host}{path}"
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        answer = Answer(r.status, r.headers, r.read())
        conn.close()
        for cookie in r.headers.get_all("Set-Cookie") or []:
            name, _, rest = cookie.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        print(f"{method:4} {path:60} {answer.status}")
        if answer.status >= 500:
            self.problems.append(f"{method} {path} → {answer.status}")
        return answer

    def expect(self, condition: bool, what: str) -> None:
        if not condition:
            self.problems.append(what)
            print(f"     FAILED: {what}")

    def page(self, path: str, *, status: int = 200) -> Answer:
        """GET a page, check its status and headers, and fetch every static file it names."""
        r = self.request("GET", path)
        self.expect(r.status == status, f"GET {path} → {r.status}, expected {status}")
        if r.status == 200 and "text/html" in r.header("Content-Type"):
            csp = r.header("Content-Security-Policy")
            self.expect("script-src 'self'" in csp and "frame-ancestors 'none'" in csp, f"{path}: no strict CSP")
            self.expect("max-age=" in r.header("Strict-Transport-Security"), f"{path}: no HSTS header")
            for ref in re.findall(r"""(?:href|src)="(/static/[^"]+)\"""", r.text):
                self.static(unescape(ref))
        return r

    def static(self, path: str) -> None:
        if path in self.seen_static:
            return
        self.seen_static.add(path)
        r = self.request("GET", path)
        self.expect(r.status == 200, f"static file {path} → {r.status}")
        self.expect("max-age=315360000" in r.header("Cache-Control") or not _hashed(path), f"{path}: not cached long")

    def sign_in(self, username: str) -> None:
        self.cookies.clear()
        form = self.page("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
        self.expect(token is not None and "csrftoken" in self.cookies, "the login form has no CSRF token")
        data = {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token.group(1) if token else ""}
        r = self.request("POST", "/accounts/login/", data=data)
        self.expect(r.status == 302 and urlsplit(r.header("Location")).path == "/", f"{username} did not sign in")
        self.expect("sessionid" in self.cookies, f"{username}: no session cookie")
        secure = [c for c in r.headers.get_all("Set-Cookie") or [] if c.startswith("sessionid=")]
        self.expect(bool(secure) and "Secure" in secure[0] and "HttpOnly" in secure[0], "session cookie not Secure")


def _hashed(path: str) -> bool:
    return re.search(r"\.[0-9a-f]{12}\.\w+$", path) is not None


def main(base: str, host: str) -> int:
    b = Browser(base=base, host=host)

    # Plain HTTP is sent to HTTPS; the schema and uploads are not public; there is no /media/ route.
    r = b.request("GET", "/accounts/login/", https=False)
    b.expect(r.status == 301 and r.header("Location").startswith(f"https://{host}/"), "HTTP is not redirected")
    b.expect(b.request("GET", "/api/schema/").status == 403, "the API schema answers without signing in")
    b.expect(b.request("GET", "/media/imports/x.xlsx").status == 404, "/media/ is served")
    r = b.request("GET", "/")
    b.expect(r.status == 302 and "/accounts/login/" in r.header("Location"), "the landing page is public")

    # A principal: landing page, staff list, the unit plans, personal plans; a teacher: their plan.
    b.sign_in("hieutruong")
    b.page("/")
    b.page("/people/")
    board = b.page("/plans/board/")
    b.page("/plans/")
    b.page("/accounts/users/")
    unit_link = re.search(r'href="(/units/[0-9a-f-]{36}/)"', b.page("/units/").text)
    if unit_link:
        b.page(unit_link.group(1))
    b.expect("/static/bdtx/bdtx." in board.text, "the pages do not name the hashed bdtx.css/bdtx.js")
    b.sign_in("giaovien")
    b.page("/plans/mine/")
    b.page("/standards/mine/")
    b.page(urljoin("/", "/django-admin/login/"))

    css = [p for p in b.seen_static if p.startswith("/static/bdtx/bdtx.") and p.endswith(".css")]
    b.expect(bool(css) and all(_hashed(p) for p in css), "bdtx.css is not served under a hashed name")
    print(f"{len(b.seen_static)} static files checked")
    if b.problems:
        print("deploy check FAILED:", *b.problems, sep="\n  ")
        return 1
    print("deploy check: every request answered as expected")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
