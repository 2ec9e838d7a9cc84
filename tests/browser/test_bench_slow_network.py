"""bench/slow_network.py keeps working as the code moves: it starts `make run`'s script, signs in as the
demo teacher and prints its figures (nothing is timed here; the faster of its two profiles)."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_slow_network_benchmark_measures_both_pages_cold_and_warm(tmp_path):
    drop = ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    run = subprocess.run(
        [sys.executable, "bench/slow_network.py", "--runs", "1", "--profile", "fast-3g"],
        cwd=ROOT,
        env={**env, "TMPDIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    for line in ("landing cold", "landing warm", "plan cold", "plan warm"):
        assert re.search(rf"{line} +[\d.]+ kB in +\d+ requests +first paint", run.stdout), run.stdout
    assert re.search(r"gzip +http://127\.0\.0\.1:\d+/static/vendor/bootstrap/bootstrap\.min\.\w{12}\.css", run.stdout)
