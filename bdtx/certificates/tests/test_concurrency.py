"""Two processes issuing certificates of the same issuer and year at the same moment, on PostgreSQL:
the numbers are exactly 1..N, none shared, none skipped (the series row is locked in the transaction
that inserts each certificate)."""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from bdtx.certificates.models import Certificate
from bdtx.certificates.tests.conftest import teachers

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = """
import os, sys, time
import django
django.setup()
from bdtx.certificates.services import certificates_issue
from bdtx.core.models import SchoolYear
from bdtx.core.scope import SYSTEM
from bdtx.organisations.models import Unit
unit, year = Unit.objects.get(pk=int(sys.argv[1])), SchoolYear.objects.get(pk=int(sys.argv[2]))
time.sleep(max(0.0, float(sys.argv[3]) - time.time()))
print(certificates_issue(scope=SYSTEM, unit=unit, school_year=year))
"""


def _database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "", safe="") + (f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else "")
    host = s["HOST"] or "127.0.0.1"
    return f"postgres://{auth}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_two_processes_issuing_at_once_share_no_number_and_skip_none(world):
    if connection.vendor != "postgresql":
        pytest.skip("row locks between processes: PostgreSQL (scripts/with-postgres.sh)")
    issuer = world.u("so_a")
    teachers(world.u("th_a1"), 15, by=issuer)
    teachers(world.u("thcs_a2"), 15, by=issuer)
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "PYTHONPATH": str(ROOT),
    }
    start = time.time() + 3
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", SCRIPT, str(world.u(school).pk), "2025", str(start)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for school in ("th_a1", "thcs_a2")
    ]
    outputs = [p.communicate(timeout=120) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], [err for _out, err in outputs]
    assert [int(out.strip()) for out, _err in outputs] == [15, 15]
    rows = list(Certificate.objects.filter(issuer__unit=issuer).order_by("sequence").values_list("sequence", "unit_id"))
    assert [seq for seq, _unit in rows] == list(range(1, 31))
    numbers = list(Certificate.objects.filter(issuer__unit=issuer).values_list("number", flat=True))
    assert len(set(numbers)) == 30
