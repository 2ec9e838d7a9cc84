"""Catalog pages: who may open them (404 outside the scope or for nothing, 403 without the right)."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from bdtx.catalog.models import Catalog, FocusModule, Material, Module, ProgrammeContent
from bdtx.catalog.tests.conftest import XLSX, YEAR, catalog_file, module
from bdtx.imports.models import ImportJob
from bdtx.regimes.models import HoursShift, Programme

pytestmark = pytest.mark.django_db


def _content(world, unit, programme, title, hours=10, **kw):
    return ProgrammeContent.objects.create(
        unit=world.u(unit), school_year_id=YEAR, programme=programme, title=title, hours=hours, **kw
    )


def _material(world, unit, **kw):
    data = {"kind": "link", "title": f"Học liệu của {unit}", "url": "https://hoclieu.example/vn", **kw}
    return Material.objects.create(module=module("GVPT-TT17-2019", "GVPT 01"), unit=world.u(unit), **data)


def _unknown(name):
    return reverse(f"catalog:{name}", kwargs={"uuid": uuid.uuid4()})


# --- module list -------------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["teacher_a1", "principal_b1", "norole", "so_a"])
def test_everyone_signed_in_browses_the_modules_in_force(world, login, user):
    response = login(world.users[user]).get(reverse("catalog:modules"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Nâng cao phẩm chất đạo đức nhà giáo trong bối cảnh hiện nay" in body
    assert response.context["page_obj"].paginator.count == 28


def test_anonymous_visitors_are_sent_to_log_in(client):
    response = client.get(reverse("catalog:modules"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_module_search_ignores_diacritics(world, login):
    response = login(world.users["teacher_a1"]).get(reverse("catalog:modules"), {"q": "ung dung cong nghe"})
    codes = sorted((m.catalog.code, m.code) for m in response.context["page_obj"])
    assert codes == [("GDPT2018-GV-QD4660", "MĐ 09"), ("GDPT2018-QL-QD4660", "MĐ 09"), ("GVPT-TT17-2019", "GVPT 15")]


def test_modules_filter_by_level_and_audience(world, login):
    client = login(world.users["teacher_a1"])
    preschool = client.get(reverse("catalog:modules"), {"level": "MN"}).context["page_obj"]
    assert {m.audience for m in preschool} == {"GVMN", "QLMN"}
    managers = client.get(reverse("catalog:modules"), {"audience": "QLPT"}).context["page_obj"]
    assert {m.catalog.code for m in managers} == {"GDPT2018-QL-QD4660"}


def test_no_module_is_in_force_before_the_tt19_catalogs(world, login):
    response = login(world.users["teacher_a1"]).get(reverse("catalog:modules"), {"year": "2015"})
    assert response.context["page_obj"].paginator.count == 0


def test_confidence_badges_are_for_administrators_only(world, login):
    badge = "text-bg-warning"  # the "unverified" badge
    teacher = login(world.users["teacher_a1"]).get(reverse("catalog:modules")).content.decode()
    admin = login(world.users["sysadmin"]).get(reverse("catalog:modules")).content.decode()
    assert badge in admin and badge not in teacher


def test_the_module_list_takes_the_same_queries_for_few_and_many_modules(world, login, django_assert_max_num_queries):
    client = login(world.users["teacher_a1"])
    client.get(reverse("catalog:modules"))  # warm up the session and the scope
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("catalog:modules"))
    catalog = Catalog.objects.get(code="GVPT-TT17-2019")
    Module.objects.bulk_create(
        [Module(catalog=catalog, code=f"X {i:02d}", title=f"Mô đun {i}", audience="GVPT") for i in range(40)]
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("catalog:modules"))
    assert response.context["page_obj"].paginator.count == 68


# --- module detail and edit --------------------------------------------------------------------


def test_a_teacher_opens_a_module_with_its_criteria_and_materials(world, login):
    _material(world, "bo", title="Tài liệu của Bộ")
    _material(world, "so_a", title="Tài liệu của tỉnh An")
    _material(world, "so_b", title="Tài liệu của tỉnh Bình")
    gvpt01 = module("GVPT-TT17-2019", "GVPT 01")
    body = login(world.users["teacher_a1"]).get(reverse("catalog:module", kwargs={"uuid": gvpt01.uuid})).content
    body = body.decode()
    assert "Đạo đức nhà giáo" in body  # TT 20/2018 criterion 1
    assert "Tài liệu của Bộ" in body and "Tài liệu của tỉnh An" in body
    assert "Tài liệu của tỉnh Bình" not in body
    assert "text-bg-warning" not in body


def test_an_administrator_sees_an_unverified_modules_source_and_its_incomplete_catalog(world, login):
    gvpt03 = module("GVPT-TT17-2019", "GVPT 03")
    body = login(world.users["sysadmin"]).get(reverse("catalog:module", kwargs={"uuid": gvpt03.uuid})).content
    body = body.decode()
    assert "lawnet.vn" in body and escape(gvpt03.catalog.completeness_note) in body


@pytest.mark.parametrize("name", ["module", "module_edit"])
def test_an_unknown_module_is_not_found(world, login, name):
    assert login(world.users["sysadmin"]).get(_unknown(name)).status_code == 404


def test_an_administrator_edits_a_module(world, login):
    gvpt02 = module("GVPT-TT17-2019", "GVPT 02")
    url = reverse("catalog:module_edit", kwargs={"uuid": gvpt02.uuid})
    client = login(world.users["sysadmin"])
    assert client.get(url).status_code == 200
    criterion = gvpt02.criteria.get()
    data = {
        "title": gvpt02.title,
        "hours_total": "20",
        "hours_theory": "8",
        "hours_practice": "12",
        "outcomes": "Hiểu và vận dụng",
        "source": gvpt02.source,
        "confidence": "verified",
        "active": "on",
        "criteria": [str(criterion.pk)],
        "level_choices": ["TH", "THCS"],
    }
    assert client.post(url, data).status_code == 302
    gvpt02.refresh_from_db()
    assert (gvpt02.hours_total, gvpt02.outcomes, gvpt02.levels) == (20, "Hiểu và vận dụng", ",TH,THCS,")


@pytest.mark.parametrize("user", ["so_a", "principal_a1", "teacher_a1"])
def test_others_cannot_edit_modules(world, login, user):
    url = reverse("catalog:module_edit", kwargs={"uuid": module("GVPT-TT17-2019", "GVPT 01").uuid})
    assert login(world.users[user]).get(url).status_code == 403


# --- materials ---------------------------------------------------------------------------------


def test_a_department_adds_a_link_that_its_teachers_open(world, login):
    gvpt01 = module("GVPT-TT17-2019", "GVPT 01")
    response = login(world.users["so_a"]).post(
        reverse("catalog:material_add", kwargs={"uuid": gvpt01.uuid}),
        {"kind": "video", "title": "Bài giảng mẫu", "url": "https://video.example/bai-1"},
    )
    assert response.status_code == 302
    material = Material.objects.get()
    assert material.unit == world.u("so_a")
    opened = login(world.users["teacher_a1"]).get(reverse("catalog:material", kwargs={"uuid": material.uuid}))
    assert opened.status_code == 302 and opened["Location"] == "https://video.example/bai-1"


def test_the_ministry_uploads_a_file_that_everyone_opens(world, login):
    gvpt01 = module("GVPT-TT17-2019", "GVPT 01")
    login(world.users["ministry"]).post(
        reverse("catalog:material_add", kwargs={"uuid": gvpt01.uuid}),
        {"kind": "file", "title": "Tài liệu", "file": SimpleUploadedFile("tai-lieu.pdf", b"%PDF-1.4 noi dung")},
    )
    material = Material.objects.get()
    response = login(world.users["principal_b1"]).get(reverse("catalog:material", kwargs={"uuid": material.uuid}))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 noi dung"


@pytest.mark.parametrize("user", ["so_a", "teacher_a1", "principal_a1"])
def test_another_provinces_material_is_not_found(world, login, user):
    material = _material(world, "so_b")
    client = login(world.users[user])
    assert client.get(reverse("catalog:material", kwargs={"uuid": material.uuid})).status_code == 404
    assert client.post(reverse("catalog:material_remove", kwargs={"uuid": material.uuid})).status_code == 404
    assert Material.objects.exists()


def test_a_province_may_not_remove_the_ministrys_material(world, login):
    material = _material(world, "bo")
    response = login(world.users["so_a"]).post(reverse("catalog:material_remove", kwargs={"uuid": material.uuid}))
    assert response.status_code == 403 and Material.objects.exists()


def test_a_province_removes_its_own_material(world, login):
    material = _material(world, "so_a")
    response = login(world.users["so_a"]).post(reverse("catalog:material_remove", kwargs={"uuid": material.uuid}))
    assert response.status_code == 302 and not Material.objects.exists()


@pytest.mark.parametrize("user", ["principal_a1", "teacher_a1"])
def test_schools_may_not_add_materials(world, login, user):
    gvpt01 = module("GVPT-TT17-2019", "GVPT 01")
    response = login(world.users[user]).post(
        reverse("catalog:material_add", kwargs={"uuid": gvpt01.uuid}),
        {"kind": "link", "title": "X", "url": "https://a.example"},
    )
    assert response.status_code == 403 and not Material.objects.exists()


def test_materials_cannot_be_added_to_an_unknown_module(world, login):
    assert login(world.users["ministry"]).post(_unknown("material_add"), {"kind": "link"}).status_code == 404


# --- catalogs, export, import ------------------------------------------------------------------


def test_administrators_see_the_catalogs_and_which_are_incomplete(world, login):
    body = login(world.users["ministry"]).get(reverse("catalog:catalogs")).content.decode()
    assert "Thông tư 18/2019/TT-BGDĐT" in body and "Chưa có mô đun nào" in body


@pytest.mark.parametrize("user", ["principal_a1", "teacher_a1", "norole", "xa_a1"])
def test_schools_cannot_open_the_catalogs_page_or_export(world, login, user):
    client = login(world.users[user])
    catalog = Catalog.objects.get(code="GVPT-TT17-2019")
    assert client.get(reverse("catalog:catalogs")).status_code == 403
    assert client.get(reverse("catalog:export", kwargs={"uuid": catalog.uuid})).status_code == 403


def test_a_catalog_is_exported_as_xlsx(world, login):
    catalog = Catalog.objects.get(code="GVPT-TT17-2019")
    response = login(world.users["so_a"]).get(reverse("catalog:export", kwargs={"uuid": catalog.uuid}))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert response.content[:2] == b"PK"


@pytest.mark.parametrize("name", ["export", "catalog_edit"])
def test_unknown_catalogs_are_not_found(world, login, name):
    assert login(world.users["sysadmin"]).get(_unknown(name)).status_code == 404


def test_an_administrator_edits_a_catalogs_note(world, login):
    catalog = Catalog.objects.get(code="QLPT-TT18-2019")
    url = reverse("catalog:catalog_edit", kwargs={"uuid": catalog.uuid})
    data = {"name": catalog.name, "circular": catalog.circular, "first_year": "2020", "completeness_note": ""}
    assert login(world.users["sysadmin"]).post(url, data).status_code == 302
    catalog.refresh_from_db()
    assert catalog.is_complete
    assert login(world.users["so_a"]).post(url, data).status_code == 403


def _job_url(name: str, job: ImportJob) -> str:
    return reverse(f"imports:{name}", kwargs={"uuid": job.uuid})


def test_the_catalogs_page_links_each_catalog_to_the_import_page(world, login):
    catalog = Catalog.objects.get(code="GVPT-TT17-2019")
    body = login(world.users["sysadmin"]).get(reverse("catalog:catalogs")).content.decode()
    assert f"{reverse('imports:new', args=['catalog'])}?catalog={catalog.uuid}" in body


def test_an_administrator_uploads_a_file_with_errors_then_imports_its_valid_rows(
    world, login, django_capture_on_commit_callbacks
):
    client = login(world.users["sysadmin"])
    catalog = Catalog.objects.get(code="GVPT-TT17-2019")
    content = catalog_file([[1, "GVPT 01", "Tiêu đề", 20, 8, 12, ""], [2, "GVPT 02", "Tiêu đề", 20, 8, 10, ""]])
    form = client.get(reverse("imports:new", args=["catalog"]) + f"?catalog={catalog.uuid}")
    assert form.context["options"]["catalog"].value() == str(catalog.uuid)  # the catalog page's choice
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("imports:new", args=["catalog"]),
            {"catalog": str(catalog.uuid), "file": SimpleUploadedFile("dm.xlsx", content, content_type=XLSX)},
        )
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == _job_url("detail", job)
    page = client.get(response["Location"])
    assert page.status_code == 200 and 'id="error-table"' in page.content.decode()
    assert client.get(_job_url("file", job)).status_code == 200
    assert job.id in [j.id for j in client.get(reverse("catalog:catalogs")).context["imports"]]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_job_url("confirm", job), {"only_valid": "1"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and module("GVPT-TT17-2019", "GVPT 01").title == "Tiêu đề"


def test_a_file_that_is_not_xlsx_is_refused_on_upload(world, login):
    catalog = Catalog.objects.get(code="GVPT-TT17-2019")
    response = login(world.users["sysadmin"]).post(
        reverse("imports:new", args=["catalog"]),
        {"catalog": str(catalog.uuid), "file": SimpleUploadedFile("dm.csv", b"a,b")},
    )
    assert response.status_code == 200 and "file" in response.context["form"].errors


# Catalog imports belong to the ministry: outside its subtree they are not found (404); a user who
# may import nothing at all is refused first (403).
@pytest.mark.parametrize(("user", "status"), [("so_a", 404), ("principal_a1", 404), ("teacher_a1", 403)])
def test_others_cannot_import_or_see_imports(world, login, upload_catalog, user, status):
    job = upload_catalog(catalog_file([[1, "GVPT 01", "Tiêu đề", 20, 8, 12, ""]]), check_only=True)
    client = login(world.users[user])
    assert client.get(reverse("imports:new", args=["catalog"])).status_code == 403
    for name in ("detail", "file"):
        assert client.get(_job_url(name, job)).status_code == status
    assert client.post(_job_url("confirm", job)).status_code == status
    assert ImportJob.objects.get().status == ImportJob.Status.VALIDATED


# --- programme content -------------------------------------------------------------------------


@pytest.fixture
def content(world):
    return {
        "bd01": _content(world, "bo", Programme.BD01, "Chủ trương của ngành năm học", 40),
        "a": _content(world, "so_a", Programme.BD02, "Lịch sử địa phương tỉnh An", 40),
        "b": _content(world, "so_b", Programme.BD02, "Lịch sử địa phương tỉnh Bình", 40),
    }


@pytest.mark.parametrize("user", ["teacher_a1", "principal_a1", "xa_a1", "so_a"])
def test_people_of_a_province_see_the_ministrys_bd01_and_their_bd02_never_anothers(world, login, content, user):
    body = login(world.users[user]).get(reverse("catalog:content")).content.decode()
    assert "Chủ trương của ngành năm học" in body and "Lịch sử địa phương tỉnh An" in body
    assert "Lịch sử địa phương tỉnh Bình" not in body


def test_the_ministry_sees_every_provinces_bd02(world, login, content):
    body = login(world.users["ministry"]).get(reverse("catalog:content")).content.decode()
    assert "Lịch sử địa phương tỉnh An" in body and "Lịch sử địa phương tỉnh Bình" in body


def test_someone_without_a_role_sees_no_content(world, login, content):
    response = login(world.users["norole"]).get(reverse("catalog:content"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Lịch sử địa phương" not in body and "Chủ trương" not in body


def test_the_page_warns_when_topics_do_not_add_up_to_the_provinces_split(world, login, content):
    client = login(world.users["so_a"])
    assert 'id="hours-warnings"' not in client.get(reverse("catalog:content")).content.decode()
    HoursShift.objects.create(unit=world.u("so_a"), school_year_id=YEAR, bd01_hours=30, bd02_hours=50)
    response = client.get(reverse("catalog:content"))
    gaps = {(g.programme, g.hours, g.expected) for g in response.context["gaps"]}
    assert gaps == {("BD01", 40, 30), ("BD02", 40, 50)}
    assert 'id="hours-warnings"' in response.content.decode()


def test_a_level_filter_checks_that_levels_topics(world, login, content):
    _content(world, "bo", Programme.BD01, "Chương trình lớp 1", 5, school_level="TH")
    response = login(world.users["ministry"]).get(reverse("catalog:content"), {"level": "TH"})
    assert {(g.programme, g.level, g.hours) for g in response.context["gaps"]} == {("BD01", "TH", 45)}


def test_the_content_page_takes_the_same_queries_for_few_and_many_topics(
    world, login, content, django_assert_max_num_queries
):
    client = login(world.users["so_a"])
    client.get(reverse("catalog:content"))
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("catalog:content"))
    for i in range(30):
        _content(world, "so_a", Programme.BD02, f"Chủ đề {i}", 1)
        _content(world, "bo", Programme.BD01, f"Chủ đề Bộ {i}", 1)
    FocusModule.objects.create(
        unit=world.u("so_a"), school_year_id=YEAR, module=module("GDPT2018-GV-QD4660", "MĐ 04"), priority=1
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("catalog:content"))


def test_a_department_adds_edits_and_deletes_its_bd02_topic(world, login):
    client = login(world.users["so_a"])
    assert client.get(reverse("catalog:content_new"), {"programme": "BD02"}).status_code == 200
    response = client.post(
        reverse("catalog:content_new"),
        {"programme": "BD02", "year": str(YEAR), "title": "Giáo dục địa phương", "hours": "20", "school_level": "TH"},
    )
    assert response.status_code == 302
    item = ProgrammeContent.objects.get()
    assert (item.unit, item.programme, item.school_year_id, item.hours) == (world.u("so_a"), "BD02", YEAR, 20)
    edit = reverse("catalog:content_edit", kwargs={"uuid": item.uuid})
    assert client.get(edit).status_code == 200
    client.post(edit, {"title": "Giáo dục địa phương", "hours": "25", "school_level": "TH", "position": "1"})
    assert ProgrammeContent.objects.get().hours == 25
    client.post(reverse("catalog:content_delete", kwargs={"uuid": item.uuid}))
    assert not ProgrammeContent.objects.exists()


def test_the_ministry_adds_a_bd01_topic(world, login):
    response = login(world.users["ministry"]).post(
        reverse("catalog:content_new"), {"programme": "BD01", "title": "Chủ trương", "hours": "40"}
    )
    assert response.status_code == 302 and ProgrammeContent.objects.get().unit == world.u("bo")


@pytest.mark.parametrize(
    ("user", "programme"),
    [("so_a", "BD01"), ("ministry", "BD02"), ("principal_a1", "BD02"), ("teacher_a1", "BD01"), ("xa_a1", "BD02")],
)
def test_content_is_added_only_by_its_authority(world, login, user, programme):
    response = login(world.users[user]).post(
        reverse("catalog:content_new"), {"programme": programme, "title": "X", "hours": "10"}
    )
    assert response.status_code == 403 and not ProgrammeContent.objects.exists()


@pytest.mark.parametrize("user", ["so_a", "principal_a1", "teacher_a1"])
def test_another_provinces_topic_is_not_found(world, login, content, user):
    item = content["b"]
    client = login(world.users[user])
    assert client.get(reverse("catalog:content_edit", kwargs={"uuid": item.uuid})).status_code == 404
    assert client.post(reverse("catalog:content_delete", kwargs={"uuid": item.uuid})).status_code == 404
    assert ProgrammeContent.objects.filter(pk=item.pk).exists()


@pytest.mark.parametrize(("user", "key"), [("so_a", "bd01"), ("teacher_a1", "a"), ("ministry", "a")])
def test_a_visible_topic_of_another_authority_cannot_be_changed(world, login, content, user, key):
    item = content[key]
    client = login(world.users[user])
    assert client.get(reverse("catalog:content_edit", kwargs={"uuid": item.uuid})).status_code == 403
    assert client.post(reverse("catalog:content_delete", kwargs={"uuid": item.uuid})).status_code == 403


def test_a_department_adds_and_removes_a_focus_module(world, login):
    client = login(world.users["so_a"])
    md04 = module("GDPT2018-GV-QD4660", "MĐ 04")
    assert client.get(reverse("catalog:focus_new")).status_code == 200
    response = client.post(
        reverse("catalog:focus_new"), {"module": str(md04.uuid), "priority": "1", "school_level": ""}
    )
    assert response.status_code == 302
    focus = FocusModule.objects.get()
    assert (focus.unit, focus.module, focus.school_year_id) == (world.u("so_a"), md04, YEAR)
    body = login(world.users["teacher_a1"]).get(reverse("catalog:content")).content.decode()
    assert md04.title in body
    login(world.users["so_a"]).post(reverse("catalog:focus_delete", kwargs={"uuid": focus.uuid}))
    assert not FocusModule.objects.exists()


@pytest.mark.parametrize("user", ["ministry", "principal_a1", "teacher_a1", "xa_a1"])
def test_only_departments_pick_focus_modules(world, login, user):
    assert login(world.users[user]).get(reverse("catalog:focus_new")).status_code == 403


def test_another_provinces_focus_module_is_not_found_and_a_visible_one_is_not_removable(world, login):
    md04 = module("GDPT2018-GV-QD4660", "MĐ 04")
    b = FocusModule.objects.create(unit=world.u("so_b"), school_year_id=YEAR, module=md04, priority=1)
    a = FocusModule.objects.create(unit=world.u("so_a"), school_year_id=YEAR, module=md04, priority=1)
    assert login(world.users["so_a"]).post(reverse("catalog:focus_delete", kwargs={"uuid": b.uuid})).status_code == 404
    teacher = login(world.users["teacher_a1"])
    assert teacher.post(reverse("catalog:focus_delete", kwargs={"uuid": a.uuid})).status_code == 403
    assert FocusModule.objects.count() == 2


def test_a_teacher_first_sees_the_content_of_their_own_level(world, login, content):
    _content(world, "bo", Programme.BD01, "Chương trình cấp THCS", 30, school_level="THCS")
    response = login(world.users["teacher_a1"]).get(reverse("catalog:content"))
    assert (response.context["form"]["level"].value(), response.context["form"]["audience"].value()) == ("TH", "GVPT")
    assert "Chương trình cấp THCS" not in response.content.decode()
    everything = login(world.users["teacher_a1"]).get(reverse("catalog:content"), {"level": ""})
    assert "Chương trình cấp THCS" in everything.content.decode()


def test_levels_no_topic_names_are_checked_too(world, login, content):
    _content(world, "bo", Programme.BD01, "Chương trình cấp THCS", 1, school_level="THCS")
    response = login(world.users["ministry"]).get(reverse("catalog:content"))
    gaps = {(g.level, g.hours) for g in response.context["gaps"]}
    assert gaps == {("THCS", 41)}  # MN, TH and THPT have the 40 periods for everyone
