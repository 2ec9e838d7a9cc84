"""Benchmark: the peak memory and time of hostile uploads, in the web request and in the worker.

Run from the project root:  .venv/bin/python bench/upload_bounds.py [--only NAME] [--limit-gb 8]

It writes the hostile workbooks of `bdtx/core/tests/hostile.py` (a 200 MB cell in a 205 KB file,
a 500 MB shared strings table, 1,040,000 rows, a table reaching column XFD) and, for each, runs
two fresh Python processes with the dev settings (the production caps):

- web: what the upload request does with the file — `upload_check`, then the check pass right
  away when the upload decides the file is small;
- worker: what the background check does — `read_table` and every row it yields.

Each prints the peak resident memory above what the process held before (ru_maxrss), the time,
and how it ended (the message of a refused file). A process is given `--limit-gb` of address
space at most, so a runaway parse fails instead of swapping the machine.
"""

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHILD = r"""
import json, os, resource, sys, time
limit = int(float(sys.argv[3]) * 2**30)
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
import django
django.setup()
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from bdtx.core.importing.base import FileProblem
from bdtx.core.importing.parsing import read_table
from bdtx.people.importers import StaffImporter
from bdtx.imports.services import upload_check
from django.core.exceptions import ValidationError

translation.activate("vi")
mode, path = sys.argv[1], sys.argv[2]
content = open(path, "rb").read()
importer = StaffImporter()


def check(fh):
    table = read_table(fh, importer.fields, required_any=importer.required_any)
    return sum(1 for _ in table.rows)


base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t = time.perf_counter()
outcome = ""
try:
    upload = SimpleUploadedFile("danh-sach.xlsx", content)
    if mode == "web":
        found = upload_check(upload)
        inline = getattr(found, "inline", None)
        if inline is None:  # before the bounds: the rows the sheet declares decided
            inline = found is not None and found <= settings.IMPORT_BACKGROUND_ROWS
        if inline:
            outcome = f"checked in the request: {check(upload)} rows"
        else:
            outcome = "queued for the worker"
    else:
        outcome = f"checked: {check(upload)} rows"
except (FileProblem, ValidationError) as e:
    outcome = "refused: " + " ".join(getattr(e, "messages", [str(e)]))
except MemoryError:
    outcome = "MemoryError (address space limit reached)"
peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base) / 1024
print(json.dumps({"peak_mb": round(peak), "seconds": round(time.perf_counter() - t, 1), "outcome": outcome[:300]}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="one file: huge_cell, shared_strings, many_rows, wide_sparse")
    parser.add_argument("--limit-gb", type=float, default=8)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from bdtx.core.tests import hostile

    files = {
        "huge_cell": ("a 200 MB cell", lambda: hostile.huge_cell_xlsx(200 * 2**20)),
        "shared_strings": ("500,000 shared strings of 1,000 characters", hostile.shared_strings_bomb_xlsx),
        "many_rows": ("1,040,000 rows", lambda: hostile.many_rows_xlsx(1_040_000)),
        "wide_sparse": ("2,000 rows reaching column XFD", lambda: hostile.wide_sparse_xlsx(2000)),
    }
    with tempfile.TemporaryDirectory(prefix="bdtx-bounds-") as tmp:
        for name, (label, build) in files.items():
            if args.only and name != args.only:
                continue
            path = Path(tmp) / f"{name}.xlsx"
            path.write_bytes(build())
            print(f"{name}: {label}, {path.stat().st_size / 1024:.0f} KB")
            for mode in ("web", "worker"):
                done = subprocess.run(
                    [sys.executable, "-c", CHILD, mode, str(path), str(args.limit_gb)],
                    cwd=ROOT,
                    capture_output=True,
                    text=True,
                    check=False,
                )
                lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
                if lines:
                    r = json.loads(lines[-1])
                    print(f"  {mode:6} peak +{r['peak_mb']:>5} MB  {r['seconds']:>6} s  {r['outcome']}")
                else:
                    tail = (done.stderr.strip().splitlines() or ["?"])[-1]
                    print(f"  {mode:6} died (exit {done.returncode}): {tail[:200]}")


if __name__ == "__main__":
    main()
