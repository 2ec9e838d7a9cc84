import io
import zipfile
from datetime import date

import pytest
from docx import Document
from lxml import etree
from python_calamine import CalamineWorkbook

from bdtx.accounts.selectors import scope_for_user
from bdtx.core.selectors import school_year_current
from bdtx.plans.tests.unit_fixtures import *  # noqa: F403
from bdtx.plans.tests.unit_fixtures import plan_for
from bdtx.plans.unit import documents as unit_documents
from bdtx.plans.unit.services import unit_plan_compile

pytestmark = pytest.mark.django_db


def compiled(world, user="principal_a1", unit="th_a1"):
    scope = scope_for_user(world.users[user])
    return unit_plan_compile(scope=scope, unit=world.u(unit), school_year=school_year_current())


def docx_text(content: bytes) -> str:
    doc = Document(io.BytesIO(content))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def test_plan_docx_holds_the_unit_the_year_the_modules_and_the_principal(world, catalogue):
    plan_for(world.people["teacher_a1"], world.u("th_a1"), catalogue, modules=(0, 2))
    text = docx_text(unit_documents.unit_plan_docx(plan=compiled(world)))
    year = school_year_current()
    assert "TRƯỜNG TIỂU HỌC ĐÔNG" in text and "UBND XÃ ĐÔNG" in text  # the unit under its parent
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    assert f"năm học {year.label}" in text and "KẾ HOẠCH" in text
    assert catalogue.modules[0].title in text and catalogue.modules[2].title in text
    assert catalogue.modules[1].title not in text
    assert "HIỆU TRƯỞNG" in text and world.people["principal_a1"].full_name in text
    assert "Số:" in text and "/KH-TH-A1" in text and "Nơi nhận:" in text
    assert "từ 5 điểm trở lên" in text  # the pass mark of the regime
    assert "{{" not in text and "{%" not in text


def test_plan_docx_keeps_ampersands_and_angle_brackets_as_text(world, catalogue):
    world.u("th_a1").name = "Trường TH A & B <Số 1>"
    world.u("th_a1").save()
    plan_for(world.people["teacher_a1"], world.u("th_a1"), catalogue, modules=(2,))  # its title has & and <>
    content = unit_documents.unit_plan_docx(plan=compiled(world))
    with zipfile.ZipFile(io.BytesIO(content)) as z:
        etree.fromstring(z.read("word/document.xml"))  # well-formed XML
    text = docx_text(content)
    assert "TRƯỜNG TH A & B <SỐ 1>" in text and "Trường TH A & B <Số 1>" in text
    assert catalogue.modules[2].title in text


def test_office_plan_docx_sums_the_schools_and_is_signed_for_the_committee(world, tree):
    from bdtx.plans.unit.services import unit_plan_approve, unit_plan_submit

    plan = unit_plan_submit(incomplete_ok=True, scope=scope_for_user(world.users["principal_a1"]), plan=compiled(world))
    unit_plan_approve(scope=scope_for_user(world.users["xa_a1"]), plan=plan)
    text = docx_text(unit_documents.unit_plan_docx(plan=compiled(world, "xa_a1", "xa_a1")))
    # Decree 30/2020: the commune heads its own documents; it is not "under" the Sở.
    assert "ỦY BAN NHÂN DÂN XÃ ĐÔNG" in text and "SỞ GD&ĐT TỈNH AN" not in text
    assert "TM. ỦY BAN NHÂN DÂN" in text and "CHỦ TỊCH" in text
    assert f"đã có kế hoạch cá nhân được phê duyệt: {tree.approved['th_a1']} người" in text
    assert "1/2 đơn vị trực thuộc" in text


def test_place_of_issue_is_the_commune_or_province_without_its_title(world):
    year = school_year_current()
    assert unit_documents.place_name(world.u("th_a1"), year) == "Đông"
    assert unit_documents.place_name(world.u("so_a"), year) == "An"
    assert unit_documents.place_name(world.u("thpt_a"), year) == "An"
    assert unit_documents.place_name(world.u("bo"), year) == "Hà Nội"


def test_dates_are_written_with_leading_zeros_for_small_days_and_january_february():
    assert unit_documents.vn_date_parts(date(2026, 2, 5)) == {"day": "05", "month": "02", "year": "2026"}
    assert unit_documents.vn_date_parts(date(2026, 11, 23)) == {"day": "23", "month": "11", "year": "2026"}


def test_participant_list_opens_with_one_row_per_person_and_module(world, catalogue):
    th = world.u("th_a1")
    plan_for(world.people["teacher_a1"], th, catalogue, modules=(0, 1))
    plan_for(world.people["colleague_a1"], th, catalogue, modules=(1,))
    plan_for(world.people["mentor_a1"], th, catalogue, modules=(0,), status="submitted")  # not approved
    content, count = unit_documents.participants_xlsx(unit=th, school_year=school_year_current(), sensitive=False)
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    data = rows[4:]
    assert count == len(data) == 3
    assert [r[0] for r in data] == [1, 2, 3]
    names = {r[1] for r in data}
    assert names == {world.people["teacher_a1"].full_name, world.people["colleague_a1"].full_name}
    assert data[0][-2].startswith(catalogue.modules[0].code)  # sorted by module
    assert all(r[3] == th.name for r in data)


def test_committed_template_is_what_the_builder_makes(tmp_path):
    from bdtx.plans.management.commands.build_plan_template import build

    assert build(tmp_path / "t.docx").read_bytes() == unit_documents.TEMPLATE.read_bytes()


def test_the_provinces_plan_is_headed_by_the_provincial_committee_and_signed_by_name(world, tree):
    from bdtx.organisations.services import unit_letterhead_update

    unit_letterhead_update(
        scope=scope_for_user(world.users["so_a"]), unit=world.u("so_a"), signer_name="Hoàng Văn Thắng"
    )
    text = docx_text(unit_documents.unit_plan_docx(plan=compiled(world, "so_a", "so_a")))
    assert "ỦY BAN NHÂN DÂN TỈNH AN" in text and "SỞ GIÁO DỤC VÀ ĐÀO TẠO" in text
    assert "BỘ GIÁO DỤC VÀ ĐÀO TẠO" not in text.split("CỘNG HÒA")[0]  # not above the Sở in its letterhead
    assert "GIÁM ĐỐC" in text and "Hoàng Văn Thắng" in text
