"""The catalog importer: every row is checked first, nothing is written unless clean or confirmed."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bdtx.catalog.exporters import catalog_xlsx
from bdtx.catalog.importers import parse_hours
from bdtx.catalog.models import Catalog, Confidence, Module
from bdtx.catalog.selectors import catalog_modules_for_export
from bdtx.catalog.services import NewVersion
from bdtx.catalog.tests.conftest import catalog_file, module
from bdtx.core.models import AuditLog, SchoolYear
from bdtx.imports.models import ImportJob

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("value", "expected"), [(20, 20), (20.0, 20), ("12", 12), ("", None), (None, None), (0, 0)])
def test_periods_are_read_as_whole_numbers(value, expected):
    assert parse_hours(value) == expected


@pytest.mark.parametrize("value", [20.5, "20,5", "hai mươi", -1, 1000, True])
def test_periods_that_are_not_whole_numbers_are_refused(value):
    with pytest.raises(ValueError):
        parse_hours(value)


def test_a_clean_file_completes_the_catalog_at_once_and_is_audited(world, upload_catalog):
    content = catalog_file(
        [
            [
                1,
                "GVPT 02",
                "Xây dựng phong cách của giáo viên cơ sở giáo dục phổ thông trong bối cảnh hiện nay",
                20,
                8,
                12,
                "2",
            ],
            [2, "GVPT 16", "Mô đun mới", 20, 10, 10, "3, 4"],
        ]
    )
    job = upload_catalog(content)
    assert job.status == ImportJob.Status.DONE
    assert (job.total_rows, job.valid_rows, job.created_count, job.updated_count) == (2, 2, 1, 1)
    gvpt02 = module("GVPT-TT17-2019", "GVPT 02")
    assert (gvpt02.hours_total, gvpt02.hours_theory, gvpt02.hours_practice) == (20, 8, 12)
    assert gvpt02.confidence == Confidence.VERIFIED  # it was verified; a blank confidence keeps it
    new = module("GVPT-TT17-2019", "GVPT 16")
    assert new.confidence == Confidence.VERIFIED and new.audience == "GVPT"
    assert sorted(c.number for c in new.criteria.all()) == [3, 4]
    assert new.search_text == "gvpt 16 mo dun moi"
    actions = list(AuditLog.objects.filter(source=AuditLog.Source.IMPORT).values_list("action", flat=True))
    assert sorted(actions) == ["catalog.import", "module.create", "module.update"]
    assert job.file.name  # the upload is kept


def test_an_unverified_module_stays_unverified_unless_the_file_says_otherwise(world, upload_catalog):
    upload_catalog(catalog_file([[1, "GVPT 03", "Phát triển chuyên môn của bản thân", 20, 8, 12, "3"]]))
    assert module("GVPT-TT17-2019", "GVPT 03").confidence == Confidence.UNVERIFIED
    content = catalog_file(
        [[1, "GVPT 03", "Phát triển chuyên môn của bản thân", 20, 8, 12, "3", "đã xác minh"]],
        header=["STT", "Mã mô đun", "Tên mô đun", "Số tiết", "Lý thuyết", "Thực hành", "Tiêu chí", "Độ tin cậy"],
    )
    upload_catalog(content)
    assert module("GVPT-TT17-2019", "GVPT 03").confidence == Confidence.VERIFIED


BAD_ROWS = [
    [1, "GVPT 01", "Nâng cao phẩm chất đạo đức nhà giáo trong bối cảnh hiện nay", 20, 8, 12, "1"],  # fine
    [2, "GVPT 02", "Tiêu đề", "20,5", 8, 12, "2"],  # hours not whole
    [3, "GVPT 03", "Tiêu đề", 20, 8, 10, "3"],  # 8 + 10 ≠ 20
    [4, "GVPT 04", "", 20, 8, 12, "4"],  # no title
    [5, "GVPT 05", "Tiêu đề", 20, 8, 12, "16"],  # TT 20/2018 has 15 criteria
    [6, "GVPT 01", "Trùng mã", 20, 8, 12, "1"],  # the code again
    [7, "", "Không có mã", 20, 8, 12, ""],
]


def test_bad_rows_are_reported_by_row_and_column_and_nothing_is_written(world, upload_catalog):
    before = list(Module.objects.order_by("pk").values_list("pk", "title", "hours_total", "updated_at"))
    job = upload_catalog(catalog_file(BAD_ROWS))
    assert job.status == ImportJob.Status.VALIDATED
    assert (job.total_rows, job.valid_rows) == (7, 1)
    found = {(e["row"], e["col"]) for e in job.problems}
    # header on Excel row 3, data from row 4: A=STT B=code C=title D=periods E=theory F=practice G=criteria
    assert found == {(5, "D"), (6, "D"), (7, "C"), (8, "G"), (9, "B"), (10, "B")}
    assert all(e["message"] for e in job.problems)
    assert list(Module.objects.order_by("pk").values_list("pk", "title", "hours_total", "updated_at")) == before


def test_an_unknown_audience_and_level_are_reported(world, upload_catalog):
    header = ["STT", "Mã mô đun", "Tên mô đun", "Đối tượng", "Cấp học"]
    rows = [[1, "GVPT 01", "Tiêu đề", "Học sinh", "TH"], [2, "GVPT 02", "Tiêu đề", "GVPT", "Đại học"]]
    job = upload_catalog(catalog_file(rows, header=header))
    assert {(e["row"], e["col"]) for e in job.problems} == {(4, "D"), (5, "E")}


def test_a_module_of_another_audience_does_not_enter_the_catalog(world, upload_catalog):
    header = ["STT", "Mã mô đun", "Tên mô đun", "Đối tượng"]
    job = upload_catalog(catalog_file([[1, "QLPT 01", "Quản trị", "QLPT"]], header=header))
    assert job.valid_rows == 0 and job.problems[0]["col"] == "D"


def test_the_user_may_write_only_the_valid_rows(world, upload_catalog, confirm_catalog):
    job = upload_catalog(catalog_file(BAD_ROWS))
    job = confirm_catalog(job, only_valid=True)
    assert job.status == ImportJob.Status.DONE and job.updated_count == 1
    assert module("GVPT-TT17-2019", "GVPT 01").hours_total == 20
    assert module("GVPT-TT17-2019", "GVPT 03").hours_total is None


def test_a_file_with_errors_is_not_written_without_choosing_the_valid_rows(world, upload_catalog, confirm_catalog):
    job = upload_catalog(catalog_file(BAD_ROWS))
    with pytest.raises(ValidationError):
        confirm_catalog(job, only_valid=False)
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.VALIDATED


def test_check_only_waits_for_confirmation(world, upload_catalog, confirm_catalog):
    job = upload_catalog(
        catalog_file([[1, "QLPT 01", "Xây dựng kế hoạch phát triển nhà trường", 20, 8, 12, ""]]),
        "QLPT-TT18-2019",
        check_only=True,
    )
    assert job.status == ImportJob.Status.VALIDATED and not Module.objects.filter(code="QLPT 01").exists()
    confirm_catalog(job, only_valid=False)
    assert module("QLPT-TT18-2019", "QLPT 01").hours_total == 20


def test_the_empty_qlpt_catalog_is_filled_with_criteria_of_the_principals_standard(world, upload_catalog):
    rows = [[1, "QLPT 01", "Đạo đức nghề nghiệp của người quản lý", 20, 8, 12, "1"]]
    job = upload_catalog(catalog_file(rows), "QLPT-TT18-2019")
    assert job.status == ImportJob.Status.DONE, job.problems
    criterion = module("QLPT-TT18-2019", "QLPT 01").criteria.get()
    assert criterion.standard.framework.audience == "QLPT"


def test_a_file_that_is_not_a_catalog_fails_with_a_message(world, upload_catalog):
    from bdtx.core.tests.xlsx import build_xlsx

    job = upload_catalog(build_xlsx([["Họ và tên", "Ngày sinh", "Giới tính"], ["Nguyễn Văn A", "01/01/1990", "Nam"]]))
    assert job.status == ImportJob.Status.FAILED and job.message


def test_an_exported_catalog_imports_back_unchanged(world, upload_catalog):
    catalog = Catalog.objects.get(code="GVPT-TT17-2019")
    before = list(catalog.modules.order_by("code").values_list("code", "title", "hours_total", "confidence", "source"))
    links = sorted(catalog.modules.values_list("code", "criteria__number"))
    job = upload_catalog(catalog_xlsx(catalog, catalog_modules_for_export(catalog=catalog)))
    assert job.status == ImportJob.Status.DONE, job.problems
    assert (job.created_count, job.updated_count) == (0, 15)
    after = list(catalog.modules.order_by("code").values_list("code", "title", "hours_total", "confidence", "source"))
    assert after == before
    assert sorted(catalog.modules.values_list("code", "criteria__number")) == links
    assert not AuditLog.objects.filter(action="module.update").exists()  # nothing changed, nothing to audit


def test_a_new_circular_creates_a_new_catalog_and_ends_the_old_one(world, upload_catalog):
    rows = [[1, "GVPT 01", "Đạo đức nhà giáo (chương trình mới)", 30, 10, 20, "1"]]
    job = upload_catalog(
        catalog_file(rows),
        new_version=NewVersion(code="GVPT-2027", name="", circular="Thông tư 99/2027/TT-BGDĐT", first_year=2027),
    )
    assert job.status == ImportJob.Status.DONE, job.problems
    old = Catalog.objects.get(code="GVPT-TT17-2019")
    new = Catalog.objects.get(code="GVPT-2027")
    assert (old.last_year, new.first_year, new.last_year, new.audience) == (2026, 2027, None, "GVPT")
    assert new.name == old.name and job.options["created_catalog"] == str(new.uuid)
    assert Module.objects.in_force(SchoolYear.of(2026)).filter(catalog=old).count() == 15
    assert list(
        Module.objects.in_force(SchoolYear.of(2027)).filter(audience="GVPT", code="GVPT 01").values_list("hours_total")
    ) == [(30,)]


def test_a_new_version_must_start_later_and_have_a_new_code(world, upload_catalog):
    with pytest.raises(ValidationError) as err:
        upload_catalog(
            catalog_file([[1, "GVPT 01", "X", 20, 8, 12, ""]]),
            new_version=NewVersion(code="GVMN-TT12-2019", name="", circular="TT", first_year=2019),
        )
    assert set(err.value.message_dict) == {"new_code", "new_first_year"}
    assert not ImportJob.objects.exists()


@pytest.mark.parametrize("user", ["so_a", "principal_a1", "teacher_a1"])
def test_only_national_catalog_managers_import(world, upload_catalog, user):
    with pytest.raises(PermissionDenied):
        upload_catalog(catalog_file([[1, "GVPT 01", "X", 20, 8, 12, ""]]), user=user)


def test_an_appendix_with_periods_under_a_merged_header_is_read(world, upload_catalog):
    from bdtx.core.tests.xlsx import build_xlsx

    rows = [
        ["PHỤ LỤC"],
        [],
        ["TT", "Mã mô đun", "Tên mô đun", "Thời lượng (tiết)", None, None],
        [None, None, None, "LT", "TH", "Tổng"],
        ["I", "PHẨM CHẤT NHÀ GIÁO", None, None, None, None],
        [1, "GVPT 02", "Xây dựng phong cách của giáo viên cơ sở giáo dục phổ thông trong bối cảnh hiện nay", 8, 12, 20],
    ]
    content = build_xlsx(rows, merges=[(2, 3, 2, 5, "Thời lượng (tiết)")])
    job = upload_catalog(content)
    assert job.status == ImportJob.Status.DONE, job.problems
    gvpt02 = module("GVPT-TT17-2019", "GVPT 02")
    assert (gvpt02.hours_theory, gvpt02.hours_practice, gvpt02.hours_total) == (8, 12, 20)
