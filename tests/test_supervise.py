"""`make run` supervises its background worker (scripts/supervise.sh): a worker that dies is started
again and the terminal says so; stopping the supervisor stops the worker."""

import os
import signal
import subprocess
import time
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "supervise.sh"


def _wait_for(predicate, timeout: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_a_worker_that_dies_is_started_again_and_the_restart_is_said(tmp_path):
    starts = tmp_path / "starts"
    worker = f"echo started >> {starts}; exit 3"  # a worker that dies at once, again and again
    supervisor = subprocess.Popen(
        ["bash", str(SCRIPT), "background worker", "sh", "-c", worker],
        env={**os.environ, "RESTART_DELAY": "0.1"},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert _wait_for(lambda: starts.exists() and len(starts.read_text().splitlines()) >= 3)
    finally:
        supervisor.send_signal(signal.SIGTERM)
        _, err = supervisor.communicate(timeout=10)
    assert "supervise: the background worker (pid " in err and "stopped (exit 3); starting it again in 0.1 s." in err
    assert supervisor.returncode == 0


def test_a_worker_killed_mid_task_comes_back_and_stopping_the_supervisor_stops_it(tmp_path):
    pids = tmp_path / "pids"
    worker = f"echo $$ >> {pids}; exec sleep 60"
    supervisor = subprocess.Popen(
        ["bash", str(SCRIPT), "background worker", "sh", "-c", worker],
        env={**os.environ, "RESTART_DELAY": "0.1"},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert _wait_for(lambda: pids.exists() and pids.read_text().strip())
        first = int(pids.read_text().split()[0])
        os.kill(first, signal.SIGKILL)  # as the kernel's OOM killer or `kill -9` would
        assert _wait_for(lambda: len(pids.read_text().split()) == 2)
        second = int(pids.read_text().split()[1])
        assert second != first
    finally:
        supervisor.send_signal(signal.SIGTERM)
        _, err = supervisor.communicate(timeout=10)
    assert "stopped (exit 137); starting it again" in err
    assert _wait_for(lambda: not Path(f"/proc/{second}").exists() or _zombie(second), timeout=5)


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except OSError:
        return True
