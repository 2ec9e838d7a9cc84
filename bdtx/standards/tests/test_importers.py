"""TEMIS results import: reading the file, matching people, checking levels, writing in one go."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bdtx.core.models import AuditLog
from bdtx.core.tests.xlsx import build_xlsx, nfd
from bdtx.imports.models import ImportJob
from bdtx.imports.tests.jobs import run_confirm, run_upload
from bdtx.standards.importers import parse_level
from bdtx.standards.models import Assessment, Level

pytestmark = pytest.mark.django_db
T, K, D, CD = Level.EXCELLENT, Level.GOOD, Level.MET, Level.NOT_MET


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Tốt", T),
        ("tốt", T),
        ("TOT", T),
        ("T", T),
        ("Khá", K),
        ("k", K),
        ("Đạt", D),
        ("dat", D),
        ("Đ", D),
        ("Chưa đạt", CD),
        ("CĐ", CD),
        ("cd", CD),
        ("Chưa đạt chuẩn", CD),
        ("Đạt chuẩn mức tốt", T),
        (nfd("Khá"), K),
        ("", None),
        (None, None),
    ],
)
def test_levels_are_read_in_words_or_letters_with_or_without_marks(text, level):
    assert parse_level(text) == level


@pytest.mark.parametrize("text", ["Giỏi", "5", "x"])
def test_anything_else_is_not_a_level(text):
    with pytest.raises(ValueError):
        parse_level(text)


def header(n: int = 15) -> list[str]:
    return [
        "STT",
        "Họ và tên",
        "Ngày sinh",
        "Số CCCD/Mã định danh",
        *(f"Tiêu chí {i}" for i in range(1, n + 1)),
        "Xếp loại",
    ]


def row(stt: int, person, levels: list[str], rating: str, *, pid: bool = True) -> list[object]:
    return [stt, person.full_name, person.date_of_birth, person.personal_id if pid else None, *levels, rating]


def temis_file(*rows: list[object], n: int = 15) -> bytes:
    titles = [
        ["SỞ GD&ĐT TỈNH AN"],
        ["KẾT QUẢ ĐÁNH GIÁ GIÁO VIÊN THEO CHUẨN NGHỀ NGHIỆP"],
        ["Năm học 2026-2027"],
        [],
    ]
    return build_xlsx([*titles, header(n), *rows])


@pytest.fixture
def upload(world):  # type: ignore[no-untyped-def]
    def _upload(
        content: bytes, *, user: str = "principal_a1", unit: str = "th_a1", levels_are: str = "principal", **kw: object
    ) -> ImportJob:
        return run_upload(
            kind="temis",
            content=content,
            user=world.users[user],
            unit=world.u(unit),
            filename="temis.xlsx",
            options={"levels_are": levels_are},
            **kw,
        )

    return _upload


@pytest.fixture
def confirm(world):  # type: ignore[no-untyped-def]
    """confirm(job) → the job after the principal confirmed it (only its valid rows when it has errors)."""
    return lambda job: run_confirm(job, user=world.users["principal_a1"], only_valid=bool(job.error_count))


ALL_K = ["K"] * 15
TEN_T = ["T"] * 10 + ["K"] * 5  # criteria 1-10 Tốt (key 3-7 among them), 11-15 Khá: exactly 2/3 → Tốt


def test_a_clean_file_is_written_at_once_as_the_principals_evaluation(world, upload):
    teacher, colleague = world.people["teacher_a1"], world.people["colleague_a1"]
    job = upload(temis_file(row(1, teacher, TEN_T, "Tốt"), row(2, colleague, ALL_K, "Khá")))
    assert job.status == ImportJob.Status.DONE, job.problems
    assert (job.total_rows, job.valid_rows, job.created_count) == (3 - 1, 2, 2)
    a = Assessment.objects.get(person=teacher)
    assert a.source == Assessment.Source.TEMIS
    assert a.status == Assessment.Status.EVALUATED
    assert a.principal_result == T and a.framework.code == "tt20_2018_gvpt"
    assert a.ratings.count() == 15 and a.ratings.get(criterion__number=12).principal_level == K
    assert Assessment.objects.get(person=colleague).principal_result == K
    with ImportJob.objects.get(pk=job.pk).file.open("rb") as kept:
        assert kept.read(2) == b"PK"  # the upload is kept
    actions = list(AuditLog.objects.values_list("action", flat=True))
    assert actions.count("assessment.import") == 2 and "temis.import" in actions and "temis.upload" in actions


def test_levels_can_be_the_self_assessment(world, upload):
    job = upload(temis_file(row(1, world.people["teacher_a1"], ALL_K, "K")), levels_are="self")
    a = Assessment.objects.get(person=world.people["teacher_a1"])
    assert job.status == ImportJob.Status.DONE
    assert a.status == Assessment.Status.SUBMITTED and a.self_result == K and a.principal_result is None


def test_people_are_matched_by_name_and_date_of_birth_when_the_file_has_no_id(world, upload):
    teacher = world.people["teacher_a1"]
    job = upload(temis_file(row(1, teacher, ALL_K, "Khá", pid=False)))
    assert job.status == ImportJob.Status.DONE
    assert Assessment.objects.filter(person=teacher).exists()


def test_an_unknown_id_falls_back_to_name_and_birth_date_with_a_warning(world, upload, confirm):
    teacher = world.people["teacher_a1"]
    r = row(1, teacher, ALL_K, "Khá")
    r[3] = "001099000001"
    job = upload(temis_file(r))
    assert job.status == ImportJob.Status.VALIDATED  # a warning: the user decides
    assert [(p["row"], p["col"], p["severity"]) for p in job.problems] == [(6, "D", "warning")]
    assert not Assessment.objects.exists()
    confirm(job)
    assert Assessment.objects.filter(person=teacher).exists()


def test_a_rating_that_differs_from_the_computed_one_is_a_warning_and_the_computed_is_kept(world, upload, confirm):
    teacher = world.people["teacher_a1"]
    nine_t = ["T"] * 9 + ["K"] * 6  # 9 of 15 at Tốt: Khá by the rule
    job = upload(temis_file(row(1, teacher, nine_t, "Tốt")))
    assert job.status == ImportJob.Status.VALIDATED
    [p] = job.problems
    assert (p["row"], p["col"], p["severity"], p["value"]) == (6, "T", "warning", "Tốt")
    confirm(job)
    assert Assessment.objects.get(person=teacher).principal_result == K


def test_every_row_is_checked_and_nothing_is_written_while_there_are_errors(world, upload, confirm):
    teacher, colleague, mentor = (world.people[k] for k in ("teacher_a1", "colleague_a1", "mentor_a1"))
    bad_level = ["K"] * 14 + ["Giỏi"]
    empty_level = ["K"] * 7 + [None] + ["K"] * 7
    outsider = world.people["teacher_b1"]  # another province
    job = upload(
        temis_file(
            row(1, teacher, ALL_K, "Khá"),
            row(2, colleague, bad_level, "Khá"),
            row(3, mentor, empty_level, "Khá"),
            row(4, outsider, ALL_K, "Khá"),
        )
    )
    assert job.status == ImportJob.Status.VALIDATED
    assert (job.total_rows, job.valid_rows) == (4, 1)
    errors = {(p["row"], p["col"]) for p in job.problems if p["severity"] == "error"}
    assert errors == {(7, "S"), (8, "L"), (9, "D")}
    assert not Assessment.objects.exists()
    confirm(job)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert list(Assessment.objects.values_list("person", flat=True)) == [teacher.pk]


def test_a_person_twice_in_the_file_is_an_error(world, upload):
    teacher = world.people["teacher_a1"]
    job = upload(temis_file(row(1, teacher, ALL_K, "Khá"), row(2, teacher, ALL_K, "Khá")))
    assert [(p["row"], p["severity"]) for p in job.problems] == [(7, "error")]


def test_a_principal_row_is_read_against_the_principals_eighteen_criteria(world, upload):
    principal, teacher = world.people["principal_a1"], world.people["teacher_a1"]
    twelve_t = ["T"] * 14 + ["K"] * 4  # 1-14 Tốt (key criteria among them): 14 of 18 → Tốt
    job = upload(temis_file(row(1, principal, twelve_t, "Tốt"), row(2, teacher, [*ALL_K, "", "", ""], "Khá"), n=18))
    assert job.status == ImportJob.Status.DONE, job.problems
    a = Assessment.objects.get(person=principal)
    assert a.framework.code == "tt14_2018_hieutruong" and a.principal_result == T and a.ratings.count() == 18


def test_a_teachers_row_with_levels_beyond_their_standard_gets_a_warning(world, upload):
    job = upload(temis_file(row(1, world.people["teacher_a1"], [*ALL_K, "K", "", ""], "Khá"), n=18))
    assert [(p["col"], p["severity"]) for p in job.problems] == [("T", "warning")]


def test_a_file_without_the_columns_of_a_persons_criteria_is_an_error(world, upload):
    job = upload(temis_file(row(1, world.people["teacher_a1"], ["K"] * 12, "Khá"), n=12))
    assert job.valid_rows == 0 and "13, 14, 15" in job.problems[0]["message"]


def test_a_file_that_is_not_a_results_table_fails_with_a_message(world, upload):
    job = upload(build_xlsx([["Danh sách"], ["a", "b", "c"]]))
    assert job.status == ImportJob.Status.FAILED and job.message
    assert not Assessment.objects.exists()


def test_a_header_with_short_criterion_names_and_title_rows_is_recognised(world, upload):
    teacher = world.people["teacher_a1"]
    rows = [
        ["Danh sách"],
        ["TT", "Họ tên", "Ngày tháng năm sinh", "CCCD", *(f"TC{i}" for i in range(1, 16)), "Kết quả xếp loại"],
        [
            1,
            teacher.full_name,
            teacher.date_of_birth.strftime("%d/%m/%Y"),
            teacher.personal_id,
            *["cđ"] + ["đ"] * 14,
            "Chưa đạt",
        ],
    ]
    job = upload(build_xlsx(rows))
    assert job.status == ImportJob.Status.DONE, job.problems
    assert Assessment.objects.get(person=teacher).principal_result == CD


def test_check_only_waits_for_the_confirmation(world, upload):
    job = upload(temis_file(row(1, world.people["teacher_a1"], ALL_K, "Khá")), check_only=True)
    assert job.status == ImportJob.Status.VALIDATED and not job.problems
    assert not Assessment.objects.exists()


def test_an_import_replaces_levels_entered_here_with_a_warning(world, upload, confirm, submitted):
    job = upload(temis_file(row(1, world.people["teacher_a1"], TEN_T, "Tốt")))
    assert [p["severity"] for p in job.problems] == ["warning"]
    confirm(job)
    submitted.refresh_from_db()
    assert (submitted.self_result, submitted.principal_result, submitted.source) == (K, T, "temis")


def test_a_confirmed_file_cannot_be_confirmed_twice(world, upload, confirm):
    job = upload(temis_file(row(1, world.people["teacher_a1"], ALL_K, "Khá")))
    with pytest.raises(ValidationError):
        confirm(job)


@pytest.mark.parametrize(("user", "unit"), [("teacher_a1", "th_a1"), ("ministry", "bo"), ("principal_a2", "th_a1")])
def test_only_those_who_import_staff_and_see_standards_there_may_import(world, upload, user, unit):
    with pytest.raises(PermissionDenied):
        upload(temis_file(), user=user, unit=unit)


def test_a_department_imports_for_a_school_below_it(world, upload):
    job = upload(temis_file(row(1, world.people["teacher_a2"], ALL_K, "Khá")), user="so_a", unit="so_a")
    assert job.status == ImportJob.Status.DONE
    assert Assessment.objects.get().unit == world.u("thcs_a2")


def test_a_birth_date_that_is_not_a_date_is_an_error(world, upload):
    r = row(1, world.people["teacher_a1"], ALL_K, "Khá", pid=False)
    r[2] = "31/02/1980"
    job = upload(temis_file(r))
    assert any(p["col"] == "C" and p["severity"] == "error" for p in job.problems)
