"""A .csv read for the importers that take one: any of the usual separators, UTF-8 or Windows-1258,
bounded by the import limits, and only counted (never parsed) by the upload's sniff."""

import io

import pytest

from bdtx.core import uploads
from bdtx.core.importing import bounds, csvfile
from bdtx.core.importing.base import FileProblem

LIMITS = bounds.Limits(max_inflated=10**6, max_rows=4, max_cells=12, max_cell_chars=8)


@pytest.mark.parametrize("sep", [",", ";", "\t"])
def test_rows_come_out_as_strings_whatever_the_separator(sep: str) -> None:
    text = "\ufeff" + sep.join(["Tên", "Điểm", "Ghi chú"]) + "\n" + sep.join(["An", "9,5" if sep != "," else "9", ""])
    rows, facts = csvfile.read_rows(io.BytesIO(text.encode()), limits=LIMITS)
    assert rows[0] == ["Tên", "Điểm", "Ghi chú"] and rows[1][2] == ""
    assert (facts.rows, facts.sheets[0].columns, facts.inflated) == (2, 3, len(text.encode()))


def test_a_quoted_cell_keeps_its_separator_and_line_break() -> None:
    rows, _facts = csvfile.read_rows(io.BytesIO(b'a,b\n"x,y","1\n2"\n'), limits=LIMITS)
    assert rows == [["a", "b"], ["x,y", "1\n2"]]


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"a\n" * 5, "có hơn 4 dòng"),
        (b"a,b,c,d,e\n" * 3, "có hơn 12 ô"),
        (b"a,123456789\n", "(khoảng dòng 1)"),
    ],
    ids=["rows", "cells", "cell"],
)
def test_each_limit_stops_the_read_with_its_message(content: bytes, expected: str) -> None:
    with pytest.raises(FileProblem) as e:
        csvfile.read_rows(io.BytesIO(content), limits=LIMITS)
    assert expected in str(e.value)


def test_the_sniff_counts_lines_within_its_budget_and_says_when_it_saw_all() -> None:
    small = csvfile.inspect(io.BytesIO(b"a\nb\nc"), budget=100)
    big = csvfile.inspect(io.BytesIO(b"a\n" * 100), budget=10)
    assert (small.complete, small.rows) == (True, 3)
    assert big.complete is False


@pytest.mark.parametrize(
    ("content", "text"),
    [(b"a;b\n1;2\n", True), ("Tên;Điểm".encode("cp1258", errors="ignore"), True), (b"a\x00b", False)],
)
def test_text_is_utf8_or_windows_1258_without_nul_bytes(content: bytes, text: bool) -> None:
    source = io.BytesIO(content)
    assert csvfile.is_text(source, uploads.sniff(source)) is text


def test_a_web_page_or_a_program_is_never_text() -> None:
    for content in (b"<html><body>x</body></html>", b"MZ\x90\x00program"):
        source = io.BytesIO(content)
        assert csvfile.is_text(source, uploads.sniff(source)) is False
