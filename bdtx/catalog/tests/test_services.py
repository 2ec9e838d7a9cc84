"""Who writes programme content, focus modules, materials and catalogs, and what is refused."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from bdtx.catalog import services
from bdtx.catalog.models import Catalog, FocusModule, Material, ProgrammeContent
from bdtx.catalog.tests.conftest import YEAR, module
from bdtx.core.models import AuditLog, SchoolYear
from bdtx.regimes.models import Programme

pytestmark = pytest.mark.django_db


def _add(world, scope_of, user, unit, programme, **kw):
    data = {"title": "Chủ đề", "hours": 10, **kw}
    return services.content_create(
        scope=scope_of(user),
        unit=world.u(unit),
        school_year=SchoolYear.of(YEAR),
        programme=programme,
        **data,
    )


# --- programme content -------------------------------------------------------------------------


def test_the_ministry_enters_bd01_topics_in_order_and_each_is_audited(world, scope_of):
    a = _add(world, scope_of, "ministry", "bo", Programme.BD01, title="  Chủ  trương năm học ", school_level="TH")
    b = _add(world, scope_of, "ministry", "bo", Programme.BD01, title="Chương trình GDPT 2018")
    assert (a.title, a.position, b.position) == ("Chủ trương năm học", 1, 2)
    entry = AuditLog.objects.get(action="content.create", object_uuid=a.uuid)
    assert entry.unit_path == world.u("bo").path and entry.changes["hours"] == [None, 10]


def test_a_department_enters_its_provinces_bd02(world, scope_of):
    item = _add(world, scope_of, "so_a", "so_a", Programme.BD02, title="Giáo dục địa phương")
    assert item.unit == world.u("so_a") and item.programme == Programme.BD02


@pytest.mark.parametrize(
    ("user", "unit", "programme"),
    [
        ("so_a", "so_a", Programme.BD01),  # a province does not set programme 01
        ("ministry", "bo", Programme.BD02),  # the ministry does not set programme 02
        ("so_a", "xa_a1", Programme.BD02),  # nor does a commune
    ],
)
def test_each_programme_belongs_to_its_authority(world, scope_of, user, unit, programme):
    with pytest.raises(ValidationError):
        _add(world, scope_of, user, unit, programme)


@pytest.mark.parametrize(
    ("user", "unit", "programme"),
    [
        ("so_b", "so_a", Programme.BD02),
        ("ministry", "so_a", Programme.BD02),
        ("principal_a1", "so_a", Programme.BD02),
        ("so_a", "bo", Programme.BD01),
        ("teacher_a1", "bo", Programme.BD01),
    ],
)
def test_only_the_authoritys_own_staff_write_its_content(world, scope_of, user, unit, programme):
    with pytest.raises(PermissionDenied):
        _add(world, scope_of, user, unit, programme)
    assert not ProgrammeContent.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"), [("hours", 0), ("hours", 121), ("title", "  "), ("school_level", "DH"), ("audience", "X")]
)
def test_malformed_topics_are_refused(world, scope_of, field, value):
    with pytest.raises(ValidationError) as err:
        _add(world, scope_of, "so_a", "so_a", Programme.BD02, **{field: value})
    assert field in err.value.message_dict


def test_preschool_topics_are_not_for_general_school_teachers(world, scope_of):
    with pytest.raises(ValidationError):
        _add(world, scope_of, "so_a", "so_a", Programme.BD02, school_level="MN", audience="GVPT")


def test_a_topic_is_changed_and_deleted_with_audit(world, scope_of):
    item = _add(world, scope_of, "so_a", "so_a", Programme.BD02)
    services.content_update(scope=scope_of("so_a"), item=item, hours=15)
    assert ProgrammeContent.objects.get(pk=item.pk).hours == 15
    assert AuditLog.objects.get(action="content.update").changes == {"hours": [10, 15]}
    with pytest.raises(PermissionDenied):
        services.content_delete(scope=scope_of("so_b"), item=item)
    services.content_delete(scope=scope_of("so_a"), item=item)
    assert not ProgrammeContent.objects.exists()
    assert AuditLog.objects.filter(action="content.delete", object_uuid=item.uuid).exists()


# --- focus modules -----------------------------------------------------------------------------


def test_a_department_picks_seed_003s_focus_modules(world, scope_of):
    for priority, code in enumerate(["MĐ 04", "MĐ 05", "MĐ 09"], start=1):
        services.focus_module_add(
            scope=scope_of("so_a"),
            unit=world.u("so_a"),
            school_year=SchoolYear.of(YEAR),
            module=module("GDPT2018-GV-QD4660", code),
            priority=priority,
        )
    assert list(FocusModule.objects.values_list("module__code", "priority")) == [
        ("MĐ 04", 1),
        ("MĐ 05", 2),
        ("MĐ 09", 3),
    ]
    assert AuditLog.objects.filter(action="focus_module.add").count() == 3


def test_a_focus_module_is_picked_once_per_level_and_year(world, scope_of):
    kw = {"scope": scope_of("so_a"), "unit": world.u("so_a"), "school_year": SchoolYear.of(YEAR), "school_level": "MN"}
    services.focus_module_add(module=module("GVMN-TT12-2019", "GVMN 04"), **kw)
    with pytest.raises(ValidationError):
        services.focus_module_add(module=module("GVMN-TT12-2019", "GVMN 04"), **kw)


def test_a_preschool_module_is_not_a_focus_module_for_primary_schools(world, scope_of):
    with pytest.raises(ValidationError):
        services.focus_module_add(
            scope=scope_of("so_a"),
            unit=world.u("so_a"),
            school_year=SchoolYear.of(YEAR),
            module=module("GVMN-TT12-2019", "GVMN 04"),
            school_level="TH",
        )


def test_a_module_not_in_force_is_not_a_focus_module(world, scope_of):
    with pytest.raises(ValidationError):
        services.focus_module_add(
            scope=scope_of("so_a"),
            unit=world.u("so_a"),
            school_year=SchoolYear.of(2019),
            module=module("GVPT-TT17-2019", "GVPT 01"),
        )


@pytest.mark.parametrize("user", ["so_b", "ministry", "principal_a1"])
def test_only_the_departments_staff_pick_its_focus_modules(world, scope_of, user):
    with pytest.raises(PermissionDenied):
        services.focus_module_add(
            scope=scope_of(user),
            unit=world.u("so_a"),
            school_year=SchoolYear.of(YEAR),
            module=module("GVPT-TT17-2019", "GVPT 01"),
        )


# --- materials ---------------------------------------------------------------------------------


def test_the_ministry_adds_a_file_kept_in_storage_and_a_province_adds_a_link(world, scope_of):
    gvpt01 = module("GVPT-TT17-2019", "GVPT 01")
    pdf = services.material_add(
        scope=scope_of("ministry"),
        module=gvpt01,
        kind=Material.Kind.FILE,
        title="Tài liệu mô đun",
        upload=SimpleUploadedFile("tai lieu.pdf", b"%PDF-1.4 ..."),
    )
    link = services.material_add(
        scope=scope_of("so_a"),
        module=gvpt01,
        kind=Material.Kind.VIDEO,
        title="Bài giảng",
        url="https://www.youtube.com/watch?v=abc",
    )
    assert pdf.unit == world.u("bo") and pdf.original_filename == "tai lieu.pdf"
    assert pdf.file.storage.exists(pdf.file.name)
    assert link.unit == world.u("so_a") and link.position == 2
    assert AuditLog.objects.filter(action="material.add").count() == 2


@pytest.mark.parametrize(
    ("kind", "kw", "field"),
    [("file", {}, "file"), ("link", {}, "url"), ("video", {}, "url"), ("link", {"url": "https://a.vn"}, "title")],
)
def test_a_material_needs_its_file_or_address_and_a_title(world, scope_of, kind, kw, field):
    title = "" if field == "title" else "Tài liệu"
    with pytest.raises(ValidationError) as err:
        services.material_add(
            scope=scope_of("ministry"),
            module=module("GVPT-TT17-2019", "GVPT 01"),
            kind=kind,
            title=title,
            **kw,
        )
    assert field in err.value.message_dict


def test_schools_and_teachers_do_not_add_materials(world, scope_of):
    with pytest.raises(PermissionDenied):
        services.material_add(
            scope=scope_of("principal_a1"),
            module=module("GVPT-TT17-2019", "GVPT 01"),
            kind="link",
            title="X",
            url="https://a.vn",
        )


def test_a_province_cannot_remove_the_ministrys_material_but_the_ministry_removes_the_file_too(
    world, scope_of, django_capture_on_commit_callbacks
):
    material = services.material_add(
        scope=scope_of("ministry"),
        module=module("GVPT-TT17-2019", "GVPT 01"),
        kind="file",
        title="Tài liệu",
        upload=SimpleUploadedFile("a.pdf", b"%PDF"),
    )
    with pytest.raises(PermissionDenied):
        services.material_remove(scope=scope_of("so_a"), material=material)
    storage, name = material.file.storage, material.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.material_remove(scope=scope_of("ministry"), material=material)
    assert not Material.objects.exists() and not storage.exists(name)


# --- modules and catalogs ----------------------------------------------------------------------


def test_an_administrator_corrects_a_module_and_links_criteria(world, scope_of):
    gvpt03 = module("GVPT-TT17-2019", "GVPT 03")
    criterion = gvpt03.criteria.get()
    services.module_update(
        scope=scope_of("sysadmin"),
        module=gvpt03,
        hours_total=20,
        hours_theory=8,
        hours_practice=12,
        confidence="verified",
        criteria=[criterion],
    )
    gvpt03.refresh_from_db()
    assert (gvpt03.hours_total, gvpt03.confidence) == (20, "verified")
    changes = AuditLog.objects.get(action="module.update").changes
    assert changes["hours_total"] == [None, 20] and "criteria" not in changes


def test_module_hours_must_add_up(world, scope_of):
    with pytest.raises(ValidationError):
        services.module_update(
            scope=scope_of("sysadmin"),
            module=module("GVPT-TT17-2019", "GVPT 01"),
            hours_theory=10,
        )


def test_only_national_catalog_managers_correct_modules_and_catalogs(world, scope_of):
    with pytest.raises(PermissionDenied):
        services.module_update(scope=scope_of("so_a"), module=module("GVPT-TT17-2019", "GVPT 01"), hours_total=20)
    with pytest.raises(PermissionDenied):
        services.catalog_update(scope=scope_of("so_a"), catalog=Catalog.objects.get(code="QLPT-TT18-2019"), name="X")


def test_a_completed_catalog_loses_its_incomplete_note(world, scope_of):
    catalog = Catalog.objects.get(code="QLPT-TT18-2019")
    assert not catalog.is_complete
    services.catalog_update(scope=scope_of("ministry"), catalog=catalog, completeness_note="")
    catalog.refresh_from_db()
    assert catalog.is_complete
