"""A standard whose criteria are not all recorded gives provisional ratings, said as such (and why)
on the self-assessment, evaluation, record and list pages and in the export; a rating recorded
before a criterion was added stays provisional until that criterion is rated."""

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from bdtx.core.importing.parsing import match_field, normalise_header
from bdtx.core.scope import SYSTEM
from bdtx.people.models import Employment
from bdtx.standards import selectors, services
from bdtx.standards.importers import FIELDS
from bdtx.standards.models import Criterion, Level
from bdtx.standards.tests.conftest import framework, levels_of

pytestmark = pytest.mark.django_db
T, K, D, CD = Level.EXCELLENT, Level.GOOD, Level.MET, Level.NOT_MET
BANNER = "Xếp loại theo chuẩn này hiện chỉ là tạm tính."


@pytest.fixture
def preschool(world, user_for):  # type: ignore[no-untyped-def]
    """colleague_a1 teaches preschool (TT 26/2018), with an account; criterion 12 is not recorded."""
    Employment.objects.filter(person=world.people["colleague_a1"]).update(school_level="MN")
    Criterion.objects.filter(standard__framework__code="tt26_2018_gvmn", number=12).delete()
    return user_for("colleague_a1")


@pytest.fixture
def provisional(preschool, self_assess):  # type: ignore[no-untyped-def]
    """Her self-assessment on the 14 criteria recorded: 10 of the 15 of the circular at Tốt."""
    a = self_assess("colleague_a1", K, **{f"c{n}": T for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 10)})
    assert a.framework.code == "tt26_2018_gvmn" and a.ratings.count() == 14
    return a


def _rows(content: bytes) -> tuple[list, list]:
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    return rows[3], rows[4:]


def test_the_self_assessment_page_says_the_rating_is_provisional_and_why(world, login, preschool):
    client = login(preschool)
    html = client.get(reverse("standards:mine")).content.decode()
    assert 'id="framework-incomplete"' in html and BANNER in html
    assert "Tiêu chí 12 của Thông tư 26/2018/TT-BGDĐT chưa được nhập vào hệ thống" in html
    assert 'id="criterion-12"' not in html and 'id="criterion-15"' in html
    assert 'id="complete-criteria"' not in html  # a teacher cannot complete the standard

    tt26 = framework("tt26_2018_gvmn")
    data = {f"level_{cid}": str(lvl) for cid, lvl in levels_of(tt26, T).items()} | {"framework": str(tt26.uuid)}
    preview = client.post(reverse("standards:preview"), data).content.decode()
    assert 'id="rating-provisional-badge"' in preview and "tạm tính" in preview
    assert "Xếp loại tạm tính: tiêu chí 12 của Thông tư 26/2018/TT-BGDĐT" in preview
    assert "15 tiêu chí" in preview


def test_the_record_and_the_evaluation_say_the_self_rating_is_provisional(world, login, preschool, provisional):
    record = login(preschool).get(reverse("standards:detail", args=[provisional.uuid]))
    html = record.content.decode()
    assert record.context["gaps"].self_result == (12,)
    assert BANNER in html and html.count(">tạm tính</span>") == 1  # the self-assessed rating, not the evaluation
    assert 'id="result-provisional"' not in html  # the banner says why: the standard lacks criterion 12
    assert 'id="complete-criteria"' not in html
    by_ministry = login(world.users["ministry"]).get(reverse("standards:detail", args=[provisional.uuid]))
    assert 'id="complete-criteria"' in by_ministry.content.decode()  # who may complete the standard is sent there

    evaluate = login(world.users["principal_a1"]).get(reverse("standards:evaluate", args=[provisional.uuid]))
    html = evaluate.content.decode()
    assert evaluate.status_code == 200
    assert BANNER in html and html.count(">tạm tính</span>") >= 2  # the self-assessed rating and the live one


def test_the_list_marks_provisional_ratings_and_counts_them(world, login, provisional, submitted):
    r = login(world.users["principal_a1"]).get(reverse("standards:list"))
    html = r.content.decode()
    assert r.context["counts"].provisional == 1  # teacher_a1's TT 20 rating is final
    assert 'id="provisional-count"' in html and "1 bản đánh giá có xếp loại tạm tính" in html
    assert html.count('title="Được tính khi chưa đủ các tiêu chí của thông tư') == 1


def test_the_export_marks_the_provisional_rating_and_says_why(world, login, provisional, submitted):
    header, rows = _rows(login(world.users["principal_a1"]).get(reverse("standards:export")).content)
    why = header.index("Ghi chú tạm tính")
    by_name = {row[header.index("Họ và tên")]: row for row in rows}
    hers = by_name[world.people["colleague_a1"].full_name]
    assert hers[header.index("Mức tự đánh giá")] == "Tốt (tạm tính)"
    assert hers[header.index("Xếp loại")] == "T"  # the column the TEMIS import reads stays a level
    assert hers[why].startswith("Xếp loại tạm tính: kết quả này chưa tính tiêu chí 12 của Thông tư 26/2018")
    final = by_name[world.people["teacher_a1"].full_name]
    assert final[why] == "" and final[header.index("Mức tự đánh giá")] == "Khá"


def test_the_exports_new_column_is_not_read_by_the_temis_import(world, login, submitted):
    header, _ = _rows(login(world.users["principal_a1"]).get(reverse("standards:export")).content)
    read_as = {h: match_field(normalise_header(h), FIELDS) for h in header}
    assert read_as["Ghi chú tạm tính"] is None
    assert [h for h, key in read_as.items() if key == "rating"] == ["Xếp loại"]


def test_a_rating_given_before_a_criterion_was_added_stays_provisional_until_it_is_rated(
    world, login, preschool, provisional
):
    tt26 = framework("tt26_2018_gvmn")
    services.criterion_save(
        scope=SYSTEM,
        framework=tt26,
        number=12,
        standard_number=4,
        title="Thực hiện quyền trẻ em",
        source="Điều 7 Thông tư 26/2018/TT-BGDĐT",
        confidence="unverified",
    )
    assert selectors.framework_completeness(tt26).complete
    mine = login(preschool).get(reverse("standards:detail", args=[provisional.uuid]))
    assert mine.context["gaps"].self_result == (12,)
    html = mine.content.decode()
    assert BANNER not in html  # the standard is complete now; this rating is not
    assert 'id="result-provisional"' in html and "chưa tính tiêu chí 12" in html
    evaluate = login(world.users["principal_a1"]).get(reverse("standards:evaluate", args=[provisional.uuid]))
    assert 'id="self-provisional"' in evaluate.content.decode()
    r = login(world.users["principal_a1"]).get(reverse("standards:list"))
    assert r.context["counts"].provisional == 1


def test_a_complete_standard_shows_no_provisional_mark(world, login, user_for, submitted):
    for user in ("teacher_a1", "principal_a1"):
        html = login(world.users[user]).get(reverse("standards:detail", args=[submitted.uuid])).content.decode()
        assert "tạm tính" not in html
    html = login(world.users["principal_a1"]).get(reverse("standards:list")).content.decode()
    assert "tạm tính" not in html
    html = login(user_for("teacher_a2")).get(reverse("standards:mine")).content.decode()
    assert 'id="criterion-15"' in html and "tạm tính" not in html
