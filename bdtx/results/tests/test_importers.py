"""The historic results import (TT 26/2012 years): people found by staff code, ID number or name and
birth date; every row checked with its row, column and reason; the regime of the year grades the
scores (its boundaries as the regime's data round them); TT 19/2019 years refused; results computed
here kept; a second import of the same file updates instead of adding."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from bdtx.core.importing.parsing import RawRow
from bdtx.core.models import AuditLog, SchoolYear
from bdtx.core.tests.xlsx import build_xlsx
from bdtx.imports.models import ImportJob
from bdtx.imports.tests.jobs import run_confirm, run_upload
from bdtx.regimes.models import Regime
from bdtx.results.importers import parse_school_year
from bdtx.results.models import ResultSource, ResultStatus, YearResult

pytestmark = pytest.mark.django_db

HEADER = [
    "STT",
    "Mã cán bộ",
    "Họ và tên",
    "Ngày sinh",
    "Số CCCD",
    "Năm học",
    "Điểm ND1",
    "Điểm ND2",
    "Điểm ND3",
    "ĐTB",
    "Xếp loại",
]


def results_file(*rows: list[object], header: list[str] = HEADER) -> bytes:
    titles = [["PHÒNG GD&ĐT"], ["KẾT QUẢ BDTX CÁC NĂM HỌC 2015-2019"], []]
    return build_xlsx([*titles, header, *rows])


@pytest.fixture
def upload(world):  # type: ignore[no-untyped-def]
    def _upload(content: bytes, *, user: str = "xa_a1", unit: str = "th_a1") -> ImportJob:
        return run_upload(
            kind="historic_results", content=content, user=world.users[user], unit=world.u(unit), school_year=None
        )

    return _upload


def confirm(world, job: ImportJob) -> ImportJob:  # type: ignore[no-untyped-def]
    return run_confirm(job, user=world.users["xa_a1"], only_valid=bool(job.error_count))


def problems(job: ImportJob) -> dict[int, list[tuple[str, str, str]]]:
    out: dict[int, list[tuple[str, str, str]]] = {}
    for p in job.problems:
        out.setdefault(p["row"], []).append((p["key"], p["code"], p["severity"]))
    return out


def result(person, year: int) -> YearResult:  # type: ignore[no-untyped-def]
    return YearResult.objects.get(person=person, school_year_id=year)


@pytest.mark.parametrize(
    ("text", "year"),
    [("2017-2018", 2017), ("2017 – 2018", 2017), ("2017/2018", 2017), ("2017-18", 2017), (2017, 2017), (2017.0, 2017)],
)
def test_school_years_are_read_in_the_ways_offices_write_them(text, year):
    assert parse_school_year(text) == year


@pytest.mark.parametrize("text", ["2017-2019", "17-18", "năm 2017", ""])
def test_anything_else_is_not_a_school_year(text):
    with pytest.raises(ValueError):
        parse_school_year(text)


def test_good_rows_are_imported_and_bad_rows_get_their_reason(world, upload):
    teacher, colleague, principal = (
        world.people["teacher_a1"],
        world.people["colleague_a1"],
        world.people["principal_a1"],
    )
    job = upload(
        results_file(
            [1, "teacher_a1", None, None, None, "2017-2018", 9, 9, "9; 9", None, "Giỏi"],  # 5
            [2, None, colleague.full_name, colleague.date_of_birth, None, 2018, "8", "8", "7; 8", "7,8", "Khá"],  # 6
            [3, None, "Người Lạ Mặt", date(1980, 1, 1), None, "2017-2018", 8, 8, 8, None, None],  # 7 unknown
            [4, "teacher_a1", None, None, None, "2016-2017", 11, 8, 8, None, None],  # 8 bad score
            [5, None, colleague.full_name, colleague.date_of_birth, None, "2021-2022", 8, 8, 8, None, None],  # 9
            [6, None, None, None, principal.personal_id, "2017-2018", None, None, None, None, "Xuất sắc"],  # 10
            [7, None, None, None, principal.personal_id, "2018-2019", None, None, None, "6,2", "TB"],  # 11
        )
    )
    assert job.status == ImportJob.Status.VALIDATED
    found = problems(job)
    assert found[7] == [("full_name", "person.unknown", "error")]
    assert found[8] == [("nd1", "score.invalid", "error")]
    assert found[9] == [("school_year", "year.not_historic", "error")]
    assert found[10] == [("classification", "classification.unknown", "error")]
    assert {5, 6, 11}.isdisjoint(found)
    stored = {p["row"]: p for p in job.problems}
    assert stored[8]["col"] == "G" and stored[8]["value"] == "11" and "0" in stored[8]["message"]
    job = confirm(world, job)
    assert job.status == ImportJob.Status.DONE and (job.created_count, job.updated_count) == (3, 0)
    a = result(teacher, 2017)
    assert (a.category, a.label, a.completed, a.average) == ("gioi", "Giỏi", True, Decimal("9.0"))
    assert (a.source, a.status, a.recognised_unit) == (ResultSource.IMPORTED, ResultStatus.RECOGNISED, world.u("th_a1"))
    assert a.components == {"nd1": "9.00", "nd2": "9.00", "nd3": ["9.00", "9.00"]}
    assert a.regime.code == "TT26-2012" and a.unit == world.u("th_a1") and a.plan is None
    b = result(colleague, 2018)
    assert (b.category, b.average) == ("kha", Decimal("7.8"))
    c = result(principal, 2018)
    assert (c.category, c.label, c.average, c.components) == ("trung_binh", "Trung bình", Decimal("6.20"), {})
    assert AuditLog.objects.filter(action="results.import").count() == 3
    assert AuditLog.objects.filter(action="results.history_import").exists()


@pytest.mark.parametrize(
    ("nd3", "average", "category"),
    [
        ("8.82", "8.9", "kha"),  # 26.82 / 3 = 8.94 → 8.9
        ("8.85", "9.0", "gioi"),  # 8.95 → 9.0: the regime rounds the average to one decimal
        ("8.97", "9.0", "gioi"),  # 8.99 → 9.0
        ("9", "9.0", "gioi"),
    ],
)
def test_the_average_is_classified_by_the_regimes_thresholds_and_rounding(world, upload, nd3, average, category):
    job = upload(results_file([1, "teacher_a1", None, None, None, "2017-2018", 9, 9, nd3, None, None]))
    assert job.status == ImportJob.Status.DONE, job.problems
    r = result(world.people["teacher_a1"], 2017)
    assert (r.average, r.category) == (Decimal(average), category)


def test_a_component_under_seven_keeps_a_high_average_from_gioi(world, upload):
    job = upload(results_file([1, "teacher_a1", None, None, None, "2017-2018", 10, 10, "6.9; 10", None, None]))
    assert job.status == ImportJob.Status.DONE, job.problems
    assert result(world.people["teacher_a1"], 2017).category == "kha"


def test_a_classification_that_disagrees_with_the_scores_is_a_warning_and_the_scores_decide(world, upload):
    job = upload(results_file([1, "teacher_a1", None, None, None, "2017-2018", 9, 9, 9, "9", "Khá"]))
    assert problems(job)[5] == [("classification", "classification.differs", "warning")]
    job = confirm(world, job)
    assert result(world.people["teacher_a1"], 2017).category == "gioi"


def test_one_column_per_module_is_read_as_nd3(world, upload):
    header = ["STT", "Mã cán bộ", "Năm học", "ND1", "ND2", "ND3 - MĐ1", "ND3 - MĐ2", "ND3 - MĐ3"]
    job = upload(results_file([1, "teacher_a1", "2015-2016", 7, 7, 6, 8, None], header=header))
    assert job.status == ImportJob.Status.DONE, job.problems
    r = result(world.people["teacher_a1"], 2015)
    assert r.components["nd3"] == ["6.00", "8.00"] and r.category == "kha"


def test_importing_the_same_file_again_updates_the_results(world, upload):
    content = results_file([1, "teacher_a1", None, None, None, "2017-2018", 9, 9, 9, None, None])
    assert upload(content).created_count == 1
    again = upload(content)
    assert (again.status, again.created_count, again.updated_count) == (ImportJob.Status.DONE, 0, 1)
    assert YearResult.objects.filter(person=world.people["teacher_a1"]).count() == 1


def test_a_result_computed_here_is_never_replaced(world, upload):
    teacher = world.people["teacher_a1"]
    sy = SchoolYear.of(2018)
    YearResult.objects.create(
        person=teacher,
        school_year=sy,
        unit=world.u("th_a1"),
        regime=Regime.objects.for_year(sy),
        category="kha",
        label="Khá",
        completed=True,
    )
    job = upload(results_file([1, "teacher_a1", None, None, None, "2018-2019", 9, 9, 9, None, None]))
    assert problems(job)[5] == [("school_year", "result.computed", "error")]
    assert result(teacher, 2018).source == ResultSource.COMPUTED


def test_the_same_person_and_year_twice_is_an_error_on_the_second_row(world, upload):
    row = [1, "teacher_a1", None, None, None, "2017-2018", 9, 9, 9, None, None]
    job = upload(results_file(row, [2, *row[1:]]))
    assert problems(job) == {6: [("school_year", "result.duplicate", "error")]}


def test_people_of_another_school_are_not_found(world, upload):
    job = upload(
        results_file([1, "teacher_a1", None, None, None, "2017-2018", 9, 9, 9, None, None]), unit="thcs_a2", user="so_a"
    )
    assert problems(job)[5] == [("staff_code", "person.unknown", "error")]


@pytest.mark.parametrize("user", ["teacher_a1", "principal_a1"])
def test_only_an_authority_that_recognises_results_imports_them(world, upload, user):
    """Imported results are recorded as recognised: a teacher, and a school for its own people, may not."""
    with pytest.raises(PermissionDenied):
        upload(results_file([1, "teacher_a1", None, None, None, "2017", 9, 9, 9, None, None]), user=user)


def test_the_template_downloads_and_its_example_row_is_skipped(world, login, upload):
    r = login(world.users["xa_a1"]).get(reverse("imports:template", args=["historic_results"]))
    assert r.status_code == 200 and r.content[:2] == b"PK"
    job = upload(r.content)
    # the header is found, and its only row is the example, skipped: no rows to import
    assert job.status == ImportJob.Status.FAILED and job.message == "Bảng không có dòng nào dưới dòng tiêu đề."


def test_rows_are_checked_without_the_database(world):
    """The raw-row check is pure once the context is gathered (the pipeline's contract)."""
    from bdtx.results.importers import historic_context

    ctx = historic_context(unit=world.u("th_a1"))
    from bdtx.results.importers import check_row

    checked = check_row(
        RawRow(9, {"staff_code": "TEACHER_A1", "school_year": "2013-2014", "classification": "kht"}), ctx
    )
    assert checked.valid and checked.record is not None and checked.record.category == "khong_hoan_thanh"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Giỏi", "gioi"),
        ("GIỎI", "gioi"),
        ("Loại Khá", "kha"),
        ("kha", "kha"),
        ("TB", "trung_binh"),
        ("Trung bình", "trung_binh"),
        ("Không hoàn thành", "khong_hoan_thanh"),
        ("Chưa hoàn thành", "khong_hoan_thanh"),
    ],
)
def test_classifications_are_read_as_offices_write_them(text, code):
    from bdtx.results.importers import CLASS_WORDS, words

    assert CLASS_WORDS[words(text)] == code


def test_headers_without_diacritics_are_recognised(world, upload):
    header = ["TT", "Ho va ten", "Ngay sinh", "Nam hoc", "Diem ND1", "Diem ND2", "Diem ND3", "Xep loai"]
    colleague = world.people["colleague_a1"]
    job = upload(
        results_file([1, colleague.full_name, colleague.date_of_birth, "2014-2015", 6, 6, 6, "TB"], header=header)
    )
    assert job.status == ImportJob.Status.DONE, job.problems
    assert result(colleague, 2014).category == "trung_binh"
