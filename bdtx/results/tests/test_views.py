"""Pages of the year results: outside the scope 404, inside without the permission 403; the school
computes and proposes from its page, the authority recognises or returns from its list, corrects a
recognised result with a reason; reasons read in Vietnamese; constant query counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bdtx.accounts.models import RoleAssignment
from bdtx.core.models import AuditLog
from bdtx.core.scope import SYSTEM
from bdtx.results.compute import results_compute
from bdtx.results.models import ResultStatus, YearResult
from bdtx.results.services import results_propose, results_recognise
from bdtx.results.templatetags.results_tags import reason_texts
from bdtx.training.tests.conftest import approve, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(world, mods):  # type: ignore[no-untyped-def]
    people = staff(world.u("th_a1"), 2)
    for p in people:
        approve(p, world.u("th_a1"), mods.gv)
    results_compute(scope=SYSTEM, unit=world.u("th_a1"), school_year=mods.year)
    return people


@pytest.fixture
def unit_viewer(world):  # type: ignore[no-untyped-def]
    """A user whose role covers th_a1 but gives no right over results (sees units only)."""
    user = world.users["institution"]
    RoleAssignment.objects.create(user=user, unit=world.u("th_a1"), role="institution_staff")
    return user


def _unit_url(world, mods, key: str = "th_a1") -> str:  # type: ignore[no-untyped-def]
    return reverse("results:unit", kwargs={"uuid": world.u(key).uuid}) + f"?year={mods.year.pk}"


def _result(person, mods) -> YearResult:  # type: ignore[no-untyped-def]
    return YearResult.objects.get(person=person, school_year=mods.year)


# --- reasons in words --------------------------------------------------------------------------------------


def test_reasons_read_in_vietnamese():
    reasons = [
        {"code": "item", "title": "Mô đun 4"},
        {"code": "score", "what": "Bài thu hoạch", "value": "4.99"},
        {"code": "empty_plan"},
        {"code": "no_scores"},
        {"code": "mentor_hours", "hours": "39.2", "needed": "40"},
        {"code": "component_missing", "what": "Điểm nội dung bồi dưỡng 2"},
    ]
    assert reason_texts(reasons) == [
        "Chưa hoàn thành: Mô đun 4",
        "Bài thu hoạch: 4,99 dưới điểm đạt",
        "Kế hoạch được duyệt không có nội dung nào",
        "Chưa có điểm đánh giá nào trong năm học",
        "Tiết quy đổi của giáo viên cốt cán: 39,2 trên 40 tiết còn thiếu",
        "Chưa có điểm: Điểm nội dung bồi dưỡng 2",
    ]


# --- the school's page -----------------------------------------------------------------------------------


def test_the_principal_sees_the_schools_results_with_reasons(world, mods, school, login):
    r = login(world.users["principal_a1"]).get(_unit_url(world, mods))
    assert r.status_code == 200
    html = r.content.decode()
    assert all(p.full_name in html for p in school)
    assert "Chưa hoàn thành: Mô đun thử 4" in html
    assert 'id="propose"' in html and 'id="recognise"' not in html
    assert 'id="count-total">2<' in html


def test_the_menu_page_opens_the_principals_own_school(world, mods, school, login):
    r = login(world.users["principal_a1"]).get(reverse("results:school") + f"?year={mods.year.pk}")
    assert r.status_code == 200 and world.u("th_a1").name in r.content.decode()


def test_the_schools_page_is_404_outside_the_scope(world, mods, school, login):
    client = login(world.users["principal_b1"])
    assert client.get(_unit_url(world, mods)).status_code == 404
    assert client.post(_unit_url(world, mods), {"action": "propose"}).status_code == 404
    assert client.get(reverse("results:school") + f"?unit={world.u('th_a1').uuid}").status_code == 404


def test_the_schools_page_is_403_without_the_permission(world, mods, school, login, unit_viewer):
    assert login(unit_viewer).get(_unit_url(world, mods)).status_code == 403
    assert login(world.users["teacher_a1"]).get(reverse("results:school")).status_code == 403
    # the school does not recognise its own results
    r = login(world.users["principal_a1"]).post(_unit_url(world, mods), {"action": "recognise"})
    assert r.status_code == 403


def test_the_school_filters_by_status(world, mods, school, login):
    YearResult.objects.filter(person=school[0]).update(status=ResultStatus.PROPOSED)
    r = login(world.users["principal_a1"]).get(_unit_url(world, mods) + "&status=proposed")
    html = r.content.decode()
    assert school[0].full_name in html and school[1].full_name not in html


def test_the_school_proposes_from_its_page(world, mods, school, login):
    client = login(world.users["principal_a1"])
    r = client.post(_unit_url(world, mods), {"action": "propose"})
    assert r.status_code == 302
    assert {_result(p, mods).status for p in school} == {ResultStatus.PROPOSED}
    assert "đề nghị công nhận 2 kết quả" in client.get(r["Location"]).content.decode()


def test_proposing_nothing_is_a_message_not_an_error(world, mods, login):
    client = login(world.users["principal_a1"])
    r = client.post(_unit_url(world, mods), {"action": "propose"}, follow=True)
    assert r.status_code == 200 and "Không có kết quả nào đã tính" in r.content.decode()


def test_the_office_recognises_and_returns_from_the_schools_page(world, mods, school, login, scope_of):
    results_propose(scope=scope_of("principal_a1"), school=world.u("th_a1"), school_year=mods.year)
    client = login(world.users["xa_a1"])
    html = client.get(_unit_url(world, mods)).content.decode()
    assert 'id="recognise"' in html and 'id="return"' in html
    client.post(_unit_url(world, mods), {"action": "return", "comment": "Thiếu điểm"})
    assert {_result(p, mods).return_comment for p in school} == {"Thiếu điểm"}
    results_propose(scope=scope_of("principal_a1"), school=world.u("th_a1"), school_year=mods.year)
    client.post(_unit_url(world, mods), {"action": "recognise"})
    assert {_result(p, mods).status for p in school} == {ResultStatus.RECOGNISED}


def test_after_an_action_the_list_drops_its_status_filter_and_shows_the_results(world, mods, school, login, scope_of):
    """Recognising from the list filtered on "proposed" empties that filter: back to the whole list."""
    results_propose(scope=scope_of("principal_a1"), school=world.u("th_a1"), school_year=mods.year)
    client = login(world.users["xa_a1"])
    r = client.post(_unit_url(world, mods) + "&status=proposed&page=1", {"action": "recognise"})
    assert "status=" not in r["Location"] and "page=" not in r["Location"] and f"year={mods.year.pk}" in r["Location"]
    html = client.get(r["Location"]).content.decode()
    assert all(p.full_name in html for p in school)
    filtered = client.get(_unit_url(world, mods) + "&status=proposed").content.decode()
    assert "Không có kết quả nào khớp với bộ lọc." in filtered


def _people(world, mods, n: int) -> None:  # type: ignore[no-untyped-def]
    for p in staff(world.u("th_a1"), n):
        approve(p, world.u("th_a1"), mods.gv)
    results_compute(scope=SYSTEM, unit=world.u("th_a1"), school_year=mods.year)


def _count(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["unit", "recognise"])
def test_the_pages_take_as_many_queries_for_2_people_as_for_12(world, mods, login, page):
    client = login(world.users["xa_a1"])
    url = _unit_url(world, mods) if page == "unit" else reverse("results:recognise") + f"?year={mods.year.pk}"
    _people(world, mods, 2)
    client.get(url)  # warm the caches (the session, the translations)
    few = _count(client, url)
    _people(world, mods, 10)
    assert YearResult.objects.filter(school_year=mods.year).count() == 12
    assert _count(client, url) == few


# --- the authority's list ----------------------------------------------------------------------------------


def test_the_office_sees_the_schools_waiting_for_it_first(world, mods, school, login, scope_of):
    other = staff(world.u("thpt_a"), 1)[0]  # recognised by the Sở, not by xa_a1
    approve(other, world.u("thpt_a"), mods.gv)
    results_compute(scope=SYSTEM, unit=world.u("thpt_a"), school_year=mods.year)
    results_propose(scope=scope_of("principal_a1"), school=world.u("th_a1"), school_year=mods.year)
    html = login(world.users["xa_a1"]).get(reverse("results:recognise") + f"?year={mods.year.pk}").content.decode()
    assert world.u("th_a1").name in html and world.u("thpt_a").name not in html
    so = login(world.users["so_a"]).get(reverse("results:recognise") + f"?year={mods.year.pk}").content.decode()
    assert so.index(world.u("th_a1").name) < so.index(world.u("thpt_a").name)  # waiting first


def test_the_authoritys_list_is_403_for_a_school(world, login):
    for user in ("principal_a1", "teacher_a1", "norole"):
        assert login(world.users[user]).get(reverse("results:recognise")).status_code == 403


def test_another_province_sees_none_of_these_schools(world, mods, school, login, scope_of):
    results_propose(scope=scope_of("principal_a1"), school=world.u("th_a1"), school_year=mods.year)
    html = login(world.users["so_b"]).get(reverse("results:recognise") + f"?year={mods.year.pk}").content.decode()
    assert world.u("th_a1").name not in html


# --- one result ---------------------------------------------------------------------------------------------


@pytest.fixture
def recognised(world, mods, school, scope_of):  # type: ignore[no-untyped-def]
    results_propose(scope=scope_of("principal_a1"), school=world.u("th_a1"), school_year=mods.year)
    results_recognise(scope=scope_of("xa_a1"), school=world.u("th_a1"), school_year=mods.year)
    return _result(school[0], mods)


def _detail(r: YearResult) -> str:
    return reverse("results:detail", kwargs={"uuid": r.uuid})


def test_the_result_page_is_404_outside_and_403_without_the_permission(world, mods, recognised, login, unit_viewer):
    assert login(world.users["principal_b1"]).get(_detail(recognised)).status_code == 404
    assert login(world.users["principal_b1"]).post(_detail(recognised)).status_code == 404
    assert login(unit_viewer).get(_detail(recognised)).status_code == 403
    # the school sees it but does not correct it
    client = login(world.users["principal_a1"])
    html = client.get(_detail(recognised)).content.decode()
    assert 'id="correct-form"' not in html
    assert client.post(_detail(recognised), {"category": "hoan_thanh", "reason": "x"}).status_code == 403


def test_the_office_corrects_a_recognised_result_with_a_reason(world, mods, recognised, login):
    client = login(world.users["xa_a1"])
    r = client.post(_detail(recognised), {"category": "hoan_thanh", "reason": ""})
    assert r.status_code == 200 and not _result(recognised.person, mods).completed  # reason required
    r = client.post(_detail(recognised), {"category": "hoan_thanh", "reason": "Chấm phúc khảo"})
    assert r.status_code == 302
    assert _result(recognised.person, mods).completed
    html = client.get(_detail(recognised)).content.decode()
    assert "Sửa kết quả BDTX đã công nhận" in html and "Chấm phúc khảo" in html
    assert 'id="result-reasons"' not in html  # completed now: no reason why not
    assert AuditLog.objects.filter(action="results.correct", object_uuid=recognised.uuid).count() == 1


def test_a_computed_result_has_no_correction_form(world, mods, school, login):
    client = login(world.users["xa_a1"])
    r = _result(school[0], mods)
    assert 'id="correct-form"' not in client.get(_detail(r)).content.decode()
    assert client.post(_detail(r), {"category": "hoan_thanh", "reason": "x"}).status_code == 403


def test_the_result_page_takes_constant_queries(world, mods, recognised, login):
    client = login(world.users["xa_a1"])
    client.post(_detail(recognised), {"category": "hoan_thanh", "reason": "Lần 1"})
    client.get(_detail(recognised))
    few = _count(client, _detail(recognised))
    client.post(_detail(recognised), {"category": "khong_hoan_thanh", "reason": "Lần 2"})
    assert _count(client, _detail(recognised)) == few
