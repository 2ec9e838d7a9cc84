"""No upload can exhaust the server: every workbook is streamed against the import limits before the
reader sees it, in bounded memory, and stops at the first limit with a message naming it."""

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.utils import translation

from bdtx.core import uploads
from bdtx.core.importing import bounds
from bdtx.core.importing.base import FileProblem
from bdtx.core.importing.bounds import Limits, inspect_xlsx
from bdtx.core.tests import hostile
from bdtx.core.tests.xlsx import build_xlsx

ROOT = Path(__file__).resolve().parents[3]
LIMITS = Limits(max_inflated=64 * 2**20, max_rows=5000, max_cells=1_000_000, max_cell_chars=32767)


def _refused(content: bytes, limits: Limits = LIMITS) -> str:
    with translation.override("vi"), pytest.raises(FileProblem) as refused:
        inspect_xlsx(io.BytesIO(content), limits=limits)
    return str(refused.value)


# --- each limit, and its message -----------------------------------------------------------------


def test_a_cell_longer_than_excel_allows_is_refused_at_once():
    message = _refused(hostile.huge_cell_xlsx(5 * 2**20))
    assert "Một ô của trang tính “DS” (khoảng dòng 2) chứa hơn 32.767 ký tự" in message


def test_a_file_that_unpacks_beyond_the_cap_is_refused_with_the_size():
    message = _refused(hostile.shared_strings_bomb_xlsx(count=80_000, length=1000))  # 80 MB of strings
    assert "Khi giải nén, tệp chứa hơn 64 MB" in message


def test_a_million_rows_are_refused_at_the_row_cap_without_unpacking_them_all(monkeypatch):
    content = hostile.many_rows_xlsx(1_040_000)
    unpacked: list[int] = []
    inflate = uploads.zip_inflate

    def counting(source, member, **kw):  # type: ignore[no-untyped-def]
        for chunk in inflate(source, member, **kw):
            unpacked.append(len(chunk))
            yield chunk

    monkeypatch.setattr(uploads, "zip_inflate", counting)
    message = _refused(content)
    assert "Trang tính “DS” có hơn 5.000 dòng; mỗi lần chỉ nhập được tối đa 5.000 dòng" in message
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        whole = sum(i.file_size for i in z.infolist())
    assert sum(unpacked) < whole / 20  # stopped at the cap: about 5,000 of 1,040,000 rows unpacked


def test_a_table_reaching_column_xfd_is_refused_before_the_reader_builds_it():
    message = _refused(hostile.wide_sparse_xlsx(100))
    assert "kéo dài tới cột XFD" in message and "101 dòng" in message


def test_rows_and_columns_are_counted_from_the_cells_and_empty_styled_cells_do_not_count():
    rows = [["STT", "Họ và tên", "Giới tính"], *[[i, f"Người {i}", "Nam"] for i in range(1, 9)]]
    facts = inspect_xlsx(io.BytesIO(build_xlsx(rows)), limits=LIMITS)
    assert (facts.rows, facts.sheets[0].columns, facts.sheets[0].name, facts.complete) == (9, 3, "DS", True)


def test_cells_written_without_references_are_counted_too():
    facts = inspect_xlsx(io.BytesIO(hostile.many_rows_xlsx(300)), limits=LIMITS)
    # At most: the header's 6 referenced columns, then 4 cells a row that follow wherever they may.
    assert facts.rows == 301 and facts.sheets[0].columns == 10


def test_the_sniff_stops_at_its_budget_and_says_it_did_not_see_everything():
    content = hostile.many_rows_xlsx(30_000)  # about 5 MB unpacked
    limits = Limits(max_inflated=64 * 2**20, max_rows=100_000, max_cells=1_000_000, max_cell_chars=32767)
    facts = inspect_xlsx(io.BytesIO(content), limits=limits, budget=16 * 1024)  # stops after a chunk (1 MB)
    assert not facts.complete and 0 < facts.rows < 30_000 and facts.inflated <= 2 * 2**20
    whole = inspect_xlsx(io.BytesIO(content), limits=limits)
    assert whole.complete and whole.rows == 30_001


def test_a_part_inflating_beyond_its_declared_size_is_not_believed():
    """The ZIP directory says 10 bytes; the part inflates to 1 MB: damaged, and never read past its end."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<worksheet>" + b"<x/>" * 2**18 + b"</worksheet>")
    data = bytearray(buf.getvalue())
    name = b"xl/worksheets/sheet1.xml"
    for start in (i for i in range(len(data)) if data.startswith(b"PK\x01\x02", i)):  # the directory's entries
        if data[start + 46 : start + 46 + len(name)] == name:
            data[start + 24 : start + 28] = (10).to_bytes(4, "little")  # its uncompressed size: "10 bytes"
    with translation.override("vi"), pytest.raises(FileProblem) as refused:
        inspect_xlsx(io.BytesIO(bytes(data)), limits=LIMITS)
    assert "Tệp bị hỏng" in str(refused.value)


def test_a_zip_of_a_million_parts_is_refused_from_its_end_record():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for n in range(uploads.MAX_ZIP_MEMBERS + 1):
            z.writestr(f"xl/p{n}.xml", "")
    assert "quá nhiều phần" in _refused(buf.getvalue())


def test_a_sheet_with_a_namespace_prefix_is_measured_like_any_other():
    sheet = (
        b'<x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>'
        + b"".join(b'<x:row r="%d"><x:c r="A%d"><x:v>1</x:v></x:c></x:row>' % (i, i) for i in range(1, 6001))
        + b"</x:sheetData></x:worksheet>"
    )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", sheet)
    assert "có hơn 5.000 dòng" in _refused(buf.getvalue())


def test_what_is_not_a_workbook_is_refused_before_anything_is_unpacked():
    assert "Đây không phải tệp Excel .xlsx" in _refused(b"<html><script>alert(1)</script></html>")


# --- memory: measured in a fresh process ---------------------------------------------------------

_CHILD = r"""
import io, json, resource, sys
import django
django.setup()
from django.utils import translation
from bdtx.core.importing.base import FileProblem
from bdtx.core.importing.parsing import read_table
from bdtx.core.tests import hostile
from bdtx.people.importers import StaffImporter

content = {
    "bomb": lambda: hostile.shared_strings_bomb_xlsx(count=400_000, length=1000),
    "huge_cell": lambda: hostile.huge_cell_xlsx(200 * 2**20),
    "million_rows": lambda: hostile.many_rows_xlsx(1_040_000),
}[sys.argv[1]]()
importer = StaffImporter()
translation.activate("vi")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    table = read_table(io.BytesIO(content), importer.fields, required_any=importer.required_any)
    outcome = f"read {sum(1 for _ in table.rows)} rows"
except FileProblem as e:
    outcome = str(e)
peak = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
print(json.dumps({"compressed_kb": len(content) // 1024, "peak_mb": peak, "outcome": outcome}))
"""


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("bomb", "Khi giải nén, tệp chứa hơn 256 MB"),  # 400 MB of shared strings in a 1 MB file
        ("huge_cell", "chứa hơn 32.767 ký tự"),  # a 200 MB cell in a 200 KB file: 2.4 GB before the bounds
        ("million_rows", "có hơn 200.000 dòng"),  # 1,040,000 rows in 650 KB: 444 MB before the bounds
    ],
)
def test_a_hostile_workbook_is_refused_in_bounded_memory(name, message):
    """The production limits; the reader's process grows by less than 200 MB, whatever the file unpacks to."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.dev", "PYTHONPATH": str(ROOT)}
    for key in ("BDTX_IMPORT_MAX_UNCOMPRESSED_BYTES", "BDTX_IMPORT_MAX_ROWS", "BDTX_IMPORT_MAX_CELLS"):
        env.pop(key, None)
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, name], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert message in result["outcome"], result
    assert result["compressed_kb"] < 2048 and result["peak_mb"] < 200, result


def test_the_limits_come_from_the_settings(settings):
    settings.IMPORT_MAX_ROWS = 7
    assert bounds.Limits.from_settings().max_rows == 7
