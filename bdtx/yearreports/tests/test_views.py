"""The board, a unit's report, filing and deciding through the pages, the exports; scope: outside
the viewer's tree 404, inside without the permission 403."""

import io
import zipfile

import docx
import pytest
from django.urls import reverse
from docx.enum.section import WD_ORIENT
from python_calamine import CalamineWorkbook

from bdtx.yearreports.figures import Groups
from bdtx.yearreports.models import ReportStatus, YearReport

from .conftest import result

pytestmark = pytest.mark.django_db
YEAR = 2026


def url(name: str, unit, year: int = YEAR) -> str:  # type: ignore[no-untyped-def]
    return reverse(f"yearreports:{name}", kwargs={"uuid": unit.uuid, "year": year})


GETS = ["report", "xlsx", "docx"]
POSTS = ["file", "decide"]


@pytest.mark.parametrize("name", GETS + POSTS)
def test_a_unit_outside_the_viewers_tree_is_not_found(world, login, name) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["principal_b1"])
    target = url(name, world.u("th_a1"))
    response = client.post(target) if name in POSTS else client.get(target)
    assert response.status_code == 404


@pytest.mark.parametrize("name", GETS + POSTS)
def test_a_role_inside_the_tree_without_the_right_may_not_see_reports(world, login, name) -> None:  # type: ignore[no-untyped-def]
    """The training institution sees its own unit, but not reports."""
    client = login(world.users["institution"])
    target = url(name, world.u("cs_dt"))
    response = client.post(target) if name in POSTS else client.get(target)
    assert response.status_code == 403


def test_the_board_of_a_unit_outside_is_not_found_and_without_the_right_forbidden(world, login) -> None:  # type: ignore[no-untyped-def]
    board = reverse("yearreports:board")
    assert login(world.users["principal_b1"]).get(f"{board}?unit={world.u('xa_a1').uuid}").status_code == 404
    assert login(world.users["teacher_a1"]).get(board).status_code == 403
    assert login(world.users["institution"]).get(f"{board}?unit={world.u('cs_dt').uuid}").status_code == 403


def test_the_ministry_sees_but_does_not_file_a_schools_report(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["ministry"])
    assert client.get(url("report", world.u("th_a1"))).status_code == 200
    assert client.post(url("file", world.u("th_a1"))).status_code == 403
    assert not YearReport.objects.filter(unit=world.u("th_a1")).exists()


def test_a_principal_may_not_decide_their_own_report(world, login) -> None:  # type: ignore[no-untyped-def]
    client = login(world.users["principal_a1"])
    client.post(url("file", world.u("th_a1")))
    response = client.post(url("decide", world.u("th_a1")), {"decision": "accept"})
    assert response.status_code == 403
    assert YearReport.objects.get(unit=world.u("th_a1")).status == ReportStatus.FILED


def test_a_communes_report_is_decided_by_the_so_it_is_filed_to_not_by_the_ministry(tree, world, login) -> None:  # type: ignore[no-untyped-def]
    from bdtx.accounts.selectors import scope_for_user
    from bdtx.yearreports import services as svc

    commune = tree.u("xa_t1")
    svc.year_report_file(
        scope=scope_for_user(tree.users["xa_t1"]), unit=commune, school_year=tree.year, incomplete_ok=True
    )
    board = reverse("yearreports:board") + f"?unit={tree.u('so_t').uuid}&year={YEAR}"

    ministry = login(world.users["ministry"])  # reports.decide over the whole country, above the Sở
    assert 'id="decide-form"' not in ministry.get(url("report", commune)).content.decode()
    assert "Xem xét" not in ministry.get(board).content.decode()  # "Review": the board's rows just open
    assert ministry.post(url("decide", commune), {"decision": "accept", "comment": ""}).status_code == 403
    assert YearReport.objects.get(unit=commune).status == ReportStatus.FILED

    so = login(tree.users["so_t"])
    assert 'id="decide-form"' in so.get(url("report", commune)).content.decode()
    assert "Xem xét" in so.get(board).content.decode()
    assert so.post(url("decide", commune), {"decision": "accept", "comment": ""}).status_code == 302
    assert YearReport.objects.get(unit=commune).status == ReportStatus.ACCEPTED


def test_file_return_refile_accept_through_the_pages(tree, login) -> None:  # type: ignore[no-untyped-def]
    s1 = tree.u("s1")
    school = login(tree.users["hieutruong_s1"])
    page = school.get(url("report", s1))
    assert page.status_code == 200
    assert 'id="file-form"' in page.content.decode()
    school.post(url("file", s1))
    report = YearReport.objects.get(unit=s1)
    assert report.status == ReportStatus.FILED

    office = login(tree.users["xa_t1"])
    office.post(url("decide", s1), {"decision": "return", "comment": ""})
    report.refresh_from_db()
    assert report.status == ReportStatus.FILED  # a return needs a comment
    office.post(url("decide", s1), {"decision": "return", "comment": "Thiếu số liệu CBQL."})
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED

    assert 'id="decide-form"' not in office.get(url("report", s1)).content.decode()  # nothing to decide now
    school = login(tree.users["hieutruong_s1"])
    assert "Thiếu số liệu CBQL." in school.get(url("report", s1)).content.decode()
    school.post(url("file", s1))
    office = login(tree.users["xa_t1"])
    office.post(url("decide", s1), {"decision": "accept", "comment": ""})
    report.refresh_from_db()
    assert report.status == ReportStatus.ACCEPTED

    board = office.get(reverse("yearreports:board") + f"?unit={tree.u('xa_t1').uuid}&year={YEAR}")
    html = board.content.decode()
    assert board.status_code == 200
    assert s1.name in html and tree.u("s2").name in html
    filtered = office.get(reverse("yearreports:board") + f"?unit={tree.u('xa_t1').uuid}&year={YEAR}&status=missing")
    assert s1.name not in filtered.content.decode() and tree.u("s2").name in filtered.content.decode()


def test_the_page_shows_how_today_differs_from_what_was_filed(tree, login) -> None:  # type: ignore[no-untyped-def]
    school = login(tree.users["hieutruong_s1"])
    school.post(url("file", tree.u("s1")))
    result(tree, "p3", True)
    page = school.get(url("report", tree.u("s1")))
    assert page.context["changed"] is True
    completed = next(d for d in page.context["diff_rows"] if d.label == "Hoàn thành")
    assert (completed.filed.total, completed.today.total) == (1, 2)


def test_the_report_page_takes_a_constant_number_of_queries(tree, login, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client = login(tree.users["so_t"])
    client.get(url("report", tree.u("so_t")))
    with django_assert_max_num_queries(40):
        assert client.get(url("report", tree.u("so_t"))).status_code == 200
    with django_assert_max_num_queries(40):
        assert client.get(reverse("yearreports:board") + f"?unit={tree.u('so_t').uuid}").status_code == 200


def test_the_board_and_report_cost_the_same_queries_for_two_schools_as_for_one(tree, login) -> None:  # type: ignore[no-untyped-def]
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bdtx.summaries.services import refresh_all

    client = login(tree.users["so_t"])
    refresh_all()  # the summaries current: what a page costs then

    def count(path: str) -> int:
        client.get(path)  # warm: the school year and the session
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        return len(ctx)

    board = reverse("yearreports:board") + "?unit={}"
    # xa_t1 has two schools below it, xa_t2 one
    assert count(board.format(tree.u("xa_t1").uuid)) == count(board.format(tree.u("xa_t2").uuid))
    assert count(url("report", tree.u("xa_t1"))) == count(url("report", tree.u("xa_t2")))


def test_the_xlsx_holds_the_filed_figures(tree, login) -> None:  # type: ignore[no-untyped-def]
    school = login(tree.users["hieutruong_s1"])
    school.post(url("file", tree.u("s1")))
    response = school.get(url("xlsx", tree.u("s1")))
    assert response.status_code == 200
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = book.get_sheet_by_index(0).to_python()
    total = next(r for r in rows if str(r[0]).strip() == "Tổng số cán bộ, giáo viên")
    assert [int(v) for v in total[1:6]] == [4, 3, 2, 1, 3]  # people in the five groups
    assert int(total[6]) == 1  # completed


def test_the_docx_is_a_report_with_the_units_figures(tree, login) -> None:  # type: ignore[no-untyped-def]
    school = login(tree.users["hieutruong_s1"])
    school.post(url("file", tree.u("s1")))
    response = school.get(url("docx", tree.u("s1")))
    assert response.status_code == 200
    xml = zipfile.ZipFile(io.BytesIO(response.content)).read("word/document.xml").decode()
    assert "BÁO CÁO" in xml and "Mô đun một" in xml and tree.u("s1").name.upper() in xml
    assert "{{" not in xml and "{%" not in xml


def test_a_units_page_links_to_its_report_and_the_board_below(world, login) -> None:  # type: ignore[no-untyped-def]
    so = world.u("so_a")
    page = login(world.users["so_a"]).get(reverse("home:unit", kwargs={"uuid": so.uuid}) + f"?year={YEAR}")
    html = page.content.decode()
    assert url("report", so) in html
    assert f"{reverse('yearreports:board')}?unit={so.uuid}&amp;year={YEAR}" in html
    school = world.u("th_a1")
    institution = login(world.users["institution"]).get(reverse("home:unit", kwargs={"uuid": world.u("cs_dt").uuid}))
    assert 'id="year-report"' not in institution.content.decode()
    principal = login(world.users["principal_a1"]).get(reverse("home:unit", kwargs={"uuid": school.uuid}))
    assert (
        url("report", school) in principal.content.decode()
        and "year-reports-board-link" not in principal.content.decode()
    )


ALL_STAFF = "Tổng số cán bộ, giáo viên"


def _docx_row(content: bytes, label: str) -> list[str]:
    document = docx.Document(io.BytesIO(content))
    for table in document.tables:
        for row in table.rows:
            texts = [c.text.strip() for c in row.cells]
            if label in texts:
                return texts[texts.index(label) + 1 :]
    raise AssertionError(label)


@pytest.mark.parametrize(("viewer", "groups"), [("so_t", ["3", "2", "1", "3"]), ("ministry", ["<5", "x", "x", "<5"])])
def test_small_groups_are_suppressed_for_the_ministry_not_the_so(tree, world, login, viewer, groups) -> None:  # type: ignore[no-untyped-def]
    """s1 has 4 people: 3 women, 2 of an ethnic minority, 1 minority woman, 3 in a difficult area. The
    Sở sees ethnicity and every figure; the ministry does not, and sees "<5" on the page, in the .xlsx
    and in the .docx, and "x" for the ethnicity cells of a row of 4 people (totals stay); the filed
    snapshot keeps the true figures."""
    s1 = tree.u("s1")
    login(tree.users["hieutruong_s1"]).post(url("file", s1))
    client = login(tree.users[viewer] if viewer in tree.users else world.users[viewer])

    page = client.get(url("report", s1))
    assert [str(c) for c in page.context["outcome_rows"][0].people_cells] == ["4", *groups]
    assert ('id="suppression-note"' in page.content.decode()) is (viewer == "ministry")

    book = CalamineWorkbook.from_filelike(io.BytesIO(client.get(url("xlsx", s1)).content))
    total = next(r for r in book.get_sheet_by_index(0).to_python() if str(r[0]).strip() == ALL_STAFF)
    assert [str(v).removesuffix(".0") for v in total[1:6]] == ["4", *groups]

    assert _docx_row(client.get(url("docx", s1)).content, ALL_STAFF)[:5] == ["4", *groups]
    assert YearReport.objects.get(unit=s1).figures.overall.people == Groups(4, 3, 2, 1, 3)


def test_the_docx_is_a4_across_so_that_its_tables_have_room(tree, login) -> None:  # type: ignore[no-untyped-def]
    content = login(tree.users["hieutruong_s1"]).get(url("docx", tree.u("s1"))).content
    section = docx.Document(io.BytesIO(content)).sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (29.7, 21.0)
    text_width = section.page_width - section.left_margin - section.right_margin
    for table in docx.Document(io.BytesIO(content)).tables[1:-1]:  # the figures, between header and signature
        assert round(sum(c.width.cm for c in table.rows[0].cells), 2) <= round(text_width / 360000, 2)  # EMU per cm
        assert table.rows[0].cells[1].width.cm >= 6  # the labels' column: a module's title on two lines


def test_the_committed_template_is_what_the_builder_makes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bdtx.yearreports.documents import TEMPLATE
    from bdtx.yearreports.management.commands.build_year_report_template import build

    assert build(tmp_path / "t.docx").read_bytes() == TEMPLATE.read_bytes()
