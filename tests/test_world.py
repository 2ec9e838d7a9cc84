"""The shared world is built once per session: no test sees what another test did to it.

The root conftest runs this module first, in file order and on one xdist worker, so each test
below meets the world right after the one before it changed it.
"""

from datetime import date

import pytest
from django.contrib.auth.models import User

from bdtx.core.models import AuditLog
from bdtx.core.scope import SYSTEM
from bdtx.organisations.models import Unit, UnitKind
from bdtx.organisations.services import unit_create
from bdtx.people.models import Person

# Tests of this module that ran in this process, in order.
RAN: list[str] = []


def test_a_test_changes_the_world_in_the_database_and_in_memory(world):
    so_a = world.u("so_a")
    so_a.name = "Sở đã đổi tên"
    so_a.save()
    world.units["extra"] = unit_create(
        scope=SYSTEM,
        kind=UnitKind.SCHOOL,
        name="Trường thêm",
        code="EXTRA-1",
        parent=so_a,
        valid_from=date(2000, 1, 1),
    )
    world.users["sysadmin"].first_name = "đổi"
    world.people["teacher_a1"].given_name = "Đổi"
    del world.people["teacher_b1"]
    Person.objects.filter(pk=world.people["mentor_a1"].pk).update(given_name="Đổi")
    User.objects.filter(username="norole").delete()
    assert Unit.objects.get(pk=so_a.pk).name == "Sở đã đổi tên"
    RAN.append("changes")


def test_a_test_may_run_without_the_world(db_without_world):
    assert not Unit.objects.exists()
    assert not User.objects.exists()
    assert not Person.objects.exists()
    assert not AuditLog.objects.exists()
    RAN.append("without")


def test_the_next_test_finds_the_world_as_it_was_built(world):
    if RAN != ["changes", "without"]:
        pytest.skip("the tests before this one ran in another xdist worker (run this module with -n 0)")
    assert world.u("so_a").name == "Sở GD&ĐT Tỉnh An"
    assert Unit.objects.get(pk=world.u("so_a").pk).name == "Sở GD&ĐT Tỉnh An"
    assert "extra" not in world.units
    assert not Unit.objects.filter(code="EXTRA-1").exists()
    assert world.users["sysadmin"].first_name == "sysadmin"
    assert world.people["teacher_a1"].given_name == "Đào"
    assert Person.objects.get(pk=world.people["mentor_a1"].pk).given_name == "Hùng"
    assert world.people["teacher_b1"].given_name == "Ngọc"
    assert User.objects.filter(username="norole").exists()
    assert Unit.objects.count() == len(world.units) == 12
