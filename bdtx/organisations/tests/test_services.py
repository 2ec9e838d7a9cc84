from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bdtx.core.models import AuditLog, SchoolYear
from bdtx.core.scope import SYSTEM
from bdtx.organisations.models import Unit, UnitKind
from bdtx.organisations.selectors import parent_on, units_under_on
from bdtx.organisations.services import unit_create, unit_move, unit_update

pytestmark = pytest.mark.django_db


def _year_end(y: int) -> date:
    return SchoolYear.objects.get(pk=y).ends_on


def test_school_moved_in_2025_rolls_up_through_old_district_for_2024_and_new_commune_for_2025(world):
    school, district, commune = world.u("th_a1"), world.u("phong_a"), world.u("xa_a1")
    assert parent_on(unit=school, day=_year_end(2024)) == district
    assert parent_on(unit=school, day=_year_end(2025)) == commune
    assert school in units_under_on(unit=district, day=_year_end(2024))
    assert school not in units_under_on(unit=district, day=_year_end(2025))
    assert school in units_under_on(unit=commune, day=_year_end(2025))
    assert school not in units_under_on(unit=commune, day=_year_end(2024))
    # The province sees it in both years, through either parent.
    assert school in units_under_on(unit=world.u("so_a"), day=_year_end(2024))
    assert school in units_under_on(unit=world.u("so_a"), day=_year_end(2025))


def test_current_path_follows_the_move_and_the_move_is_audited(world):
    school = world.u("th_a1")
    assert school.path == f"{world.u('xa_a1').path}{school.pk}/"
    assert AuditLog.objects.filter(action="unit.move", object_uuid=school.uuid).exists()


def test_moving_a_unit_moves_its_whole_subtree(world):
    commune = world.u("xa_a1")
    unit_move(scope=SYSTEM, unit=commune, new_parent=world.u("so_b"), effective=date(2026, 7, 1))
    school = Unit.objects.get(pk=world.u("th_a1").pk)
    assert school.path.startswith(world.u("so_b").path)
    assert school in units_under_on(unit=world.u("so_a"), day=date(2026, 6, 30))
    assert school not in units_under_on(unit=world.u("so_a"), day=date(2026, 7, 1))


def test_a_unit_cannot_move_under_its_own_subtree(world):
    with pytest.raises(ValidationError):
        unit_move(scope=SYSTEM, unit=world.u("so_a"), new_parent=world.u("th_a1"), effective=date(2026, 7, 1))


def test_only_the_ministry_stands_without_parent(db):
    with pytest.raises(ValidationError):
        unit_create(scope=SYSTEM, kind=UnitKind.SCHOOL, name="Trường mồ côi", code="X1", parent=None)
    with pytest.raises(ValidationError):
        unit_create(scope=SYSTEM, kind=UnitKind.INSTITUTION, name="Trường Đại học mồ côi", code="X3", parent=None)
    assert not Unit.objects.filter(code__in=["X1", "X3"]).exists()


def test_a_training_institution_belongs_to_a_department_or_the_ministry(world):
    for parent in ("xa_a1", "th_a1", "cs_dt"):
        with pytest.raises(ValidationError):
            unit_create(
                scope=SYSTEM,
                kind=UnitKind.INSTITUTION,
                name="Trường Đại học",
                code=f"DH-{parent}",
                parent=world.u(parent),
            )
    national = unit_create(
        scope=SYSTEM, kind=UnitKind.INSTITUTION, name="Học viện QLGD", code="HV", parent=world.u("bo")
    )
    provincial = unit_create(
        scope=SYSTEM, kind=UnitKind.INSTITUTION, name="Trường CĐ", code="CD", parent=world.u("so_b")
    )
    assert national.path == f"{world.u('bo').path}{national.pk}/" and national.depth == 1
    assert provincial.path == f"{world.u('so_b').path}{provincial.pk}/" and provincial.depth == 2
    assert parent_on(unit=provincial, day=date(2026, 1, 1)) == world.u("so_b")


def test_a_training_institution_moves_only_to_a_department_or_the_ministry(world):
    institution = world.u("cs_dt")
    with pytest.raises(ValidationError):
        unit_move(scope=SYSTEM, unit=institution, new_parent=world.u("xa_a1"), effective=date(2026, 7, 1))
    unit_move(scope=SYSTEM, unit=institution, new_parent=world.u("so_b"), effective=date(2026, 7, 1))
    assert Unit.objects.get(pk=institution.pk).path == f"{world.u('so_b').path}{institution.pk}/"


def test_subtree_query_is_one_query_whatever_the_depth(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert len(list(Unit.objects.within(world.u("so_a").path))) == 8


def test_a_dissolved_district_leaves_the_tree_but_keeps_its_history(world):
    district, province = world.u("phong_a"), world.u("so_a")
    assert district in units_under_on(unit=province, day=_year_end(2024))
    assert district not in units_under_on(unit=province, day=_year_end(2025))


def test_a_department_cannot_create_move_or_change_units_of_another_province(world, scope_of):
    so_a = scope_of("so_a")
    with pytest.raises(PermissionDenied):
        unit_create(scope=so_a, kind=UnitKind.SCHOOL, name="Trường lạ", code="X2", parent=world.u("xa_b1"))
    with pytest.raises(PermissionDenied):
        unit_update(scope=so_a, unit=world.u("th_b1"), name="Đổi tên")
    with pytest.raises(PermissionDenied):
        unit_move(scope=so_a, unit=world.u("th_a1"), new_parent=world.u("xa_b1"), effective=date(2026, 7, 1))
    assert Unit.objects.get(pk=world.u("th_b1").pk).name == "Trường Tiểu học Bắc"


def test_a_principal_cannot_change_their_own_school_record_in_the_tree(world, scope_of):
    with pytest.raises(PermissionDenied):
        unit_update(scope=scope_of("principal_a1"), unit=world.u("th_a1"), name="Đổi tên")


def test_a_department_manages_units_of_its_own_province(world, scope_of):
    unit = unit_create(
        scope=scope_of("so_a"), kind=UnitKind.SCHOOL, name="Trường mới", code="X3", parent=world.u("xa_a2")
    )
    entry = AuditLog.objects.get(action="unit.create", object_uuid=unit.uuid)
    assert entry.actor == world.users["so_a"] and unit.path.startswith(world.u("xa_a2").path)
