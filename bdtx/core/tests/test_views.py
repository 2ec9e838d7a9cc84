import pytest
from django.urls import reverse

from bdtx.core.models import AuditLog
from bdtx.core.scope import SYSTEM

pytestmark = pytest.mark.django_db


def test_audit_log_shows_entries_of_own_subtree_only(world, login):
    r = login(world.users["so_b"]).get(reverse("core:audit"))
    assert r.status_code == 200
    paths = {e.unit_path for e in r.context["page_obj"]}
    assert paths and all(p.startswith(world.u("so_b").path) for p in paths)


def test_audit_log_is_forbidden_to_teachers(world, login):
    assert login(world.users["teacher_a1"]).get(reverse("core:audit")).status_code == 403


def test_audit_entries_record_who_and_what_changed(world, login):
    teacher = world.people["teacher_a1"]
    login(world.users["principal_a1"]).post(
        reverse("people:edit", args=[teacher.uuid]),
        {
            "family_name": teacher.family_name,
            "middle_name": "",
            "given_name": teacher.given_name,
            "gender": teacher.gender,
            "personal_id": teacher.personal_id,
            "date_of_birth": teacher.date_of_birth.strftime("%d/%m/%Y"),
        },
    )
    entry = AuditLog.objects.get(action="person.update")
    assert entry.actor == world.users["principal_a1"]
    assert entry.changes["middle_name"] == [teacher.middle_name, ""]
    r = login(world.users["principal_a1"]).get(reverse("core:audit"))
    assert entry in list(r.context["page_obj"])


def test_audit_log_filters_by_object(world, login):
    school = world.u("th_a1")
    r = login(world.users["so_a"]).get(reverse("core:audit"), {"object": str(school.uuid)})
    assert {e.object_uuid for e in r.context["page_obj"]} == {school.uuid}
    assert {e.action for e in r.context["page_obj"]} == {"unit.create", "unit.move"}


def test_audit_entries_show_readable_actions_and_field_names(world):
    from django.utils import translation

    from bdtx.core.models import AuditLog
    from bdtx.people.services import person_update

    teacher = world.people["teacher_a1"]
    person_update(scope=SYSTEM, person=teacher, unit_path=world.u("th_a1").path, given_name="Hoà")
    entry = AuditLog.objects.get(action="person.update")
    with translation.override("en"):
        assert entry.action_label == "Person changed"
        assert entry.change_rows() == [("given name", entry.changes["given_name"][0], "Hoà")]
    with translation.override("vi"):
        assert entry.change_rows()[0][0] == "tên"
