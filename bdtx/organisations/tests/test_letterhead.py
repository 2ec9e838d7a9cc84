"""Letterheads follow Decree 30/2020: the governing body above the unit's own name, and the signer."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from bdtx.core.models import AuditLog
from bdtx.organisations.letterhead import letterhead, place_of
from bdtx.organisations.services import unit_letterhead_update

pytestmark = pytest.mark.django_db


def test_each_kind_of_unit_heads_its_documents_as_the_decree_says(world):
    so = letterhead(world.u("so_a"), parent=world.u("bo"))
    assert (so.governing_body, so.name, so.signer_title) == (
        "ỦY BAN NHÂN DÂN TỈNH AN",
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO",
        "GIÁM ĐỐC",
    )
    commune = letterhead(world.u("xa_a1"), parent=world.u("so_a"))
    assert (commune.governing_body, commune.name) == ("", "ỦY BAN NHÂN DÂN XÃ ĐÔNG")  # not under the Sở
    assert (commune.signer_prefix, commune.signer_title) == ("TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH")
    school = letterhead(world.u("th_a1"), parent=world.u("xa_a1"), head_name="Phạm Văn Đức")
    assert (school.governing_body, school.name) == ("UBND XÃ ĐÔNG", "TRƯỜNG TIỂU HỌC ĐÔNG")
    assert (school.signer_title, school.signer_name) == ("HIỆU TRƯỞNG", "Phạm Văn Đức")
    district = letterhead(world.u("phong_a"), parent=world.u("so_a"))
    assert (district.governing_body, district.name) == ("ỦY BAN NHÂN DÂN HUYỆN CŨ", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO")
    assert letterhead(world.u("bo"), parent=None).governing_body == ""
    # the Sở above a training institution contracts it, it does not head its documents
    college = letterhead(world.u("cs_dt"), parent=world.u("so_a"))
    assert (college.governing_body, college.name, college.signer_title) == (
        "",
        "TRƯỜNG CAO ĐẲNG SƯ PHẠM",
        "HIỆU TRƯỞNG",
    )
    assert place_of("UBND phường Sông Hiến") == "Sông Hiến" and place_of("Sở GD&ĐT Cao Bằng") == "Cao Bằng"


def test_a_unit_sets_its_own_lines_and_the_change_is_audited(world, scope_of):
    unit = unit_letterhead_update(
        scope=scope_of("principal_a1"), unit=world.u("th_a1"), signer_title="KT. HIỆU TRƯỞNG", signer_name="Lê Thị Hồng"
    )
    lh = letterhead(unit, parent=world.u("xa_a1"), head_name="Phạm Văn Đức")
    assert (lh.signer_prefix, lh.signer_title, lh.signer_name) == ("", "KT. HIỆU TRƯỞNG", "Lê Thị Hồng")
    entry = AuditLog.objects.get(action="unit.letterhead", object_uuid=unit.uuid)
    assert entry.actor == world.users["principal_a1"] and entry.changes["signer_name"] == ["", "Lê Thị Hồng"]


def test_nobody_but_the_units_managers_or_an_authority_over_it_changes_its_letterhead(world, scope_of):
    for user, unit in (("principal_a1", "xa_a1"), ("principal_b1", "th_a1"), ("ministry", "th_a1")):
        with pytest.raises(PermissionDenied):
            unit_letterhead_update(scope=scope_of(user), unit=world.u(unit), signer_name="X")
    unit_letterhead_update(scope=scope_of("so_a"), unit=world.u("th_a1"), signer_name="Y")  # UNITS_MANAGE above


def test_the_letterhead_page_previews_and_edits_within_the_scope(world, login):
    url = reverse("organisations:letterhead", args=[world.u("th_a1").uuid])
    assert login(world.users["principal_b1"]).get(url).status_code == 404  # another province
    ministry = login(world.users["ministry"])
    r = ministry.get(url)
    assert r.status_code == 200 and r.context["form"] is None and "UBND XÃ ĐÔNG" in r.text
    assert ministry.post(url, {"signer_name": "X"}).status_code == 403
    principal = login(world.users["principal_a1"])
    r = principal.post(url, {"governing_body": "", "document_name": "", "signer_title": "", "signer_name": "Phạm Đức"})
    assert r.status_code == 302
    world.u("th_a1").refresh_from_db()
    assert world.u("th_a1").signer_name == "Phạm Đức"
    assert login(world.users["teacher_a1"]).get(url).status_code == 404  # a learner sees no unit
