"""The dashboard pages: who may open them, drill-down, small cells hidden from non-sensitive roles on
the page and in the .xlsx."""

import io

import pytest
from python_calamine import CalamineWorkbook

from bdtx.dashboards.tests.conftest import YEAR


def url(unit, table: str = "") -> str:  # type: ignore[no-untyped-def]
    if table:
        return f"/dashboards/{unit.uuid}/xlsx/?table={table}&year={YEAR}"
    return f"/dashboards/{unit.uuid}/?year={YEAR}"


def xlsx_rows(response) -> list[list[object]]:  # type: ignore[no-untyped-def]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()


@pytest.mark.parametrize(
    ("user", "unit", "status"),
    [
        ("so_a", "so_a", 200),
        ("so_a", "th_a1", 200),
        ("xa_a1", "xa_a1", 200),
        ("xa_a1", "th_a1", 200),
        ("principal_a1", "th_a1", 200),
        ("ministry", "bo", 200),
        ("ministry", "thcs_a2", 200),
        ("so_b", "so_a", 404),  # outside the scope
        ("so_b", "th_a1", 404),
        ("xa_a1", "thcs_a2", 404),  # a sibling commune's school
        ("principal_a1", "xa_a1", 404),  # above the school
        ("teacher_a1", "th_a1", 404),  # a learner sees no unit
        ("institution", "cs_dt", 403),  # inside, without reports.view
    ],
)
def test_who_may_open_a_dashboard(world, login, user, unit, status):
    client = login(world.users[user])
    assert client.get(url(world.u(unit))).status_code == status
    assert client.get(url(world.u(unit), "groups")).status_code == status


def test_dashboards_opens_the_viewers_own_unit(world, login):
    response = login(world.users["xa_a1"]).get("/dashboards/")
    assert response.status_code == 200
    assert response.context["d"].unit == world.u("xa_a1")
    ministry = login(world.users["ministry"]).get("/dashboards/?year=2025")
    assert ministry.context["d"].unit == world.u("bo")
    assert ministry.context["year"].pk == 2025


@pytest.mark.parametrize("user", ["teacher_a1", "mentor_a1", "institution", "norole"])
def test_dashboards_is_forbidden_without_reports_view(world, login, user):
    assert login(world.users[user]).get("/dashboards/").status_code == 403


def test_an_unknown_table_is_not_found(world, login):
    assert login(world.users["so_a"]).get(url(world.u("so_a"), "nothing")).status_code == 404


def test_an_office_drills_down_to_its_schools_and_a_school_lists_its_people(world, login):
    client = login(world.users["xa_a1"])
    page = client.get(url(world.u("xa_a1"))).content.decode()
    assert f'href="/dashboards/{world.u("th_a1").uuid}/?year={YEAR}"' in page
    assert world.u("th_a1").name in page
    school = client.get(url(world.u("th_a1"))).content.decode()
    teacher = world.people["teacher_a1"]
    assert f'href="/records/{teacher.uuid}/"' in school
    assert 'id="table-people"' in school
    # the way back up
    assert f'href="/dashboards/{world.u("xa_a1").uuid}/?year={YEAR}"' in school


def test_a_chart_draws_from_data_on_the_page_and_chart_js_is_vendored(world, login, town):
    page = login(world.users["so_a"]).get(url(town.commune)).content.decode()
    assert 'data-chart="chart-data-units"' in page
    assert 'id="chart-data-units" type="application/json"' in page
    assert "vendor/chartjs/chart.umd.min.js" in page
    assert "cdn" not in page.lower()


def _unit_groups(client, unit):  # type: ignore[no-untyped-def]
    rows = xlsx_rows(client.get(url(unit, "unit_groups")))
    header = rows.index(next(r for r in rows if r and r[0] == "Đơn vị"))
    return {r[0]: r[1:] for r in rows[header + 1 :]}


def test_a_sensitive_role_sees_small_group_counts(world, login, town):
    client = login(world.users["so_a"])
    page = client.get(url(town.commune)).content.decode()
    assert "&lt;5" not in page
    by_unit = _unit_groups(client, town.commune)
    # total, women, minority, minority women, difficult area
    assert by_unit[town.schools[0].name] == [3, 3, 3, 3, 0]


def test_the_ministry_sees_under_five_instead_of_small_group_counts(world, login, town):
    client = login(world.users["ministry"])
    page = client.get(url(town.commune)).content.decode()
    assert "&lt;5" in page
    assert 'id="suppression-note"' in page
    by_unit = _unit_groups(client, town.commune)
    # 3 people, all minority women: women "<5", the ethnicity cells "x" ("<5" of 3 would say some are)
    assert by_unit[town.schools[0].name] == [3, "<5", "x", "x", 0]
    # 6 of 6 of a minority would give everyone's ethnicity away: hidden; the women's 6 stays
    assert by_unit["Tổng"][:4] == [6, 6, "x", "x"]
    # the chart gets no value for a hidden cell
    groups = client.get(url(town.schools[0])).content.decode()
    assert '"data": [null, null, null, null, null, null]' in groups


def test_the_ministry_sees_a_unit_whose_minority_count_one_cell_would_give_away_hidden(world, login, town):
    from bdtx.dashboards.tests.conftest import add_person

    school = town.schools[1]
    for _ in range(3):
        add_person(school, minority=True)  # 6 minority women at school 2; school 1 keeps 3 (<5)
    for s in town.schools:  # and 6 others in each, so that no school is nearly all of a minority
        for _ in range(6):
            add_person(s)
    client = login(world.users["ministry"])
    by_unit = _unit_groups(client, town.commune)
    # the commune's total (9) minus school 2 (6) would give school 1's 3: school 2's cell is hidden too
    assert by_unit[town.schools[0].name][:3] == [9, 9, "<5"]
    assert by_unit[town.schools[1].name][2] == "x"
    assert by_unit["Tổng"][2] == 9


def test_every_table_downloads(world, login, town):
    client = login(world.users["xa_a1"])
    for key in ("units", "unit_groups", "groups", "modules", "months"):
        response = client.get(url(world.u("xa_a1"), key))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    response = client.get(url(world.u("th_a1"), "people"))
    names = [r[0] for r in xlsx_rows(response)]
    assert world.people["teacher_a1"].full_name in names


def test_a_unit_without_anyone_counted_is_listed_with_zeros_and_an_institution_is_not(world, login, town):
    from bdtx.core.scope import SYSTEM
    from bdtx.organisations.services import unit_create

    unit_create(scope=SYSTEM, kind="school", name="Trường Mầm non Trống", code="MN-TRONG", parent=town.commune)
    page = login(world.users["so_a"]).get(url(world.u("so_a"))).content.decode()
    assert world.u("xa_a2").name in page  # a commune with one teacher
    assert world.u("cs_dt").name not in page  # the Sở's training institution
    commune = login(world.users["so_a"]).get(url(town.commune)).content.decode()
    assert "Trường Mầm non Trống" in commune
