"""The benchmark scripts keep working as the code moves (they print figures; nothing is timed here)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_staff_import_benchmark_runs_on_a_small_file(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    run = subprocess.run(
        [sys.executable, "bench/import_staff.py", "--rows", "300"],
        cwd=ROOT,
        env={**env, "TMPDIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "created 300" in run.stdout and "updated 300" in run.stdout


def test_the_training_benchmark_runs_on_a_few_learners(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    run = subprocess.run(
        [sys.executable, "bench/training_scale.py", "--learners", "300", "--schools", "12"],
        cwd=ROOT,
        env={**env, "TMPDIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "enrolled 285, waiting 15" in run.stdout and "groups split" in run.stdout


def test_the_certificate_benchmark_runs_on_a_few_pages(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    run = subprocess.run(
        [sys.executable, "bench/certificates.py", "--n", "20"],
        cwd=ROOT,
        env={**env, "TMPDIR": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "render_certificates" in run.stdout and "bare ReportLab" in run.stdout and "ratio" in run.stdout
