"""`make run` serves the site as production does, on this machine over plain HTTP (issue 8).

Under the development settings it showed Django's technical 404 page instead of the Vietnamese one
and sent the static files uncompressed (about 370 kB for a teacher's first page). Now
scripts/run.sh uses config.settings.local: DEBUG off, static files collected with hashed names and
gzip-compressed copies, served by WhiteNoise and cached for years; no HTTPS redirect, HSTS or
Secure cookies, since it is plain HTTP on this machine.
"""

import gzip
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
COMPRESSED_MANIFEST = "whitenoise.storage.CompressedManifestStaticFilesStorage"


def _env(var_dir: Path, **extra: str) -> dict[str, str]:
    """This machine's environment without the test run's Django settings or database."""
    drop = ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DJANGO_DEBUG")
    env = {k: v for k, v in os.environ.items() if k not in drop and not k.startswith("PYTEST")}
    return {**env, "BDTX_VAR_DIR": str(var_dir), **extra}


SHOW_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "static": settings.STORAGES["staticfiles"]["BACKEND"],
    "finders": settings.WHITENOISE_USE_FINDERS,
    "https": [settings.SECURE_SSL_REDIRECT, settings.SECURE_HSTS_SECONDS, settings.SESSION_COOKIE_SECURE,
              settings.CSRF_COOKIE_SECURE],
    "samesite": settings.SESSION_COOKIE_SAMESITE,
    "key": settings.SECRET_KEY,
}))
"""


def _settings(module: str, env: dict[str, str]) -> dict:
    run = subprocess.run(
        [sys.executable, "-c", SHOW_SETTINGS],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": module},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_the_local_settings_are_productions_over_plain_http_with_a_key_of_their_own(tmp_path):
    local = _settings("config.settings.local", _env(tmp_path))
    assert local["DEBUG"] is False and local["finders"] is False
    assert local["static"] == COMPRESSED_MANIFEST
    assert set(local["ALLOWED_HOSTS"]) == {"127.0.0.1", "localhost", "[::1]"}
    assert local["https"] == [False, 0, False, False]
    assert local["samesite"] == "Lax"
    # Not the published development key; made once, kept in var/ for this user only.
    key_file = tmp_path / "secret_key"
    assert local["key"] == key_file.read_text().strip() and len(local["key"]) > 50
    assert "insecure" not in local["key"] and key_file.stat().st_mode & 0o777 == 0o600
    assert _settings("config.settings.local", _env(tmp_path))["key"] == local["key"]
    assert _settings("config.settings.local", _env(tmp_path, DJANGO_SECRET_KEY="k" * 60))["key"] == "k" * 60

    production = _settings(
        "config.settings.production",
        _env(tmp_path, DJANGO_SECRET_KEY="p" * 60, DJANGO_ALLOWED_HOSTS="bdtx.example.vn"),
    )
    assert production["static"] == local["static"]  # what tests/browser/test_slow_network.py serves


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Accept-Encoding": "gzip", "Accept-Language": "en"})
        r = conn.getresponse()
        body = r.read()
        headers = {k.lower(): v for k, v in r.getheaders()}
    finally:
        conn.close()
    if headers.get("content-encoding") == "gzip":
        body = gzip.decompress(body)
    return r.status, headers, body


def _group_alive(pgid: int) -> bool:
    """Whether any process of the group is still running (zombies waiting to be reaped are not)."""
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def test_make_run_shows_the_vietnamese_404_and_sends_compressed_static_files_cached_for_years(tmp_path):
    port = _free_port()
    log = tmp_path / "make-run.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            ["bash", "scripts/run.sh"],
            cwd=ROOT,
            env=_env(tmp_path / "var", HOST="127.0.0.1", PORT=str(port)),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 300  # migrate, the demo provinces, collectstatic: well under a minute alone
        while True:
            assert server.poll() is None, log.read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)

        status, headers, body = _get(port, "/khong-co-trang-nay/")
        page = body.decode()
        assert status == 404
        assert "Lỗi 404" in page and "Không tìm thấy trang" in page and "Về trang chủ" in page
        assert "URLconf" not in page and "DEBUG = True" not in page  # not Django's technical page

        status, headers, body = _get(port, "/accounts/login/")
        assert status == 200  # plain HTTP, not redirected to HTTPS
        assert headers["content-encoding"] == "gzip"  # bdtx.core.middleware.PageGZipMiddleware
        assert "strict-transport-security" not in headers and "secure" not in headers["set-cookie"].lower()
        static = re.findall(r'(?:href|src)="(/static/[^"]+)"', body.decode())
        assert any(s.endswith(".css") for s in static) and any(s.endswith(".js") for s in static)
        for path in static:
            assert re.search(r"\.[0-9a-f]{12}\.(css|js)$", path), path  # the manifest's hashed names
            status, headers, _ = _get(port, path)
            assert status == 200 and headers["content-encoding"] == "gzip", path
            assert "max-age=315360000" in headers["cache-control"], path

        assert _get(port, "/media/imports/danh-sach.xlsx")[0] == 404  # uploads only through views, never as files
        printed = log.read_text(errors="replace")
        assert f"http://127.0.0.1:{port}/" in printed and "giaovien" in printed and "bdtx-demo-2025" in printed
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)  # as Ctrl-C would, to the whole group
        server.wait(timeout=60)
    deadline = time.monotonic() + 30
    while _group_alive(server.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _group_alive(server.pid), "the worker or gunicorn outlived make run"
