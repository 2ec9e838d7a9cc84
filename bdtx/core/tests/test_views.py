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


def test_the_audit_log_hides_sensitive_reads_unless_asked_and_filters_by_who_action_and_date(world, login):
    from datetime import timedelta

    from django.utils import timezone

    from bdtx.core.models import AuditLog

    so_a = world.u("so_a")
    AuditLog.objects.create(actor=world.users["so_a"], action="sensitive.read", unit_path=so_a.path, object_repr="X")
    old = AuditLog.objects.create(actor=world.users["xa_a1"], action="unit.update", unit_path=so_a.path)
    AuditLog.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=40))
    c = login(world.users["so_a"])
    default = {e.action for e in c.get(reverse("core:audit")).context["page_obj"]}
    assert "sensitive.read" not in default and "unit.create" in default
    reads = {e.action for e in c.get(reverse("core:audit"), {"reads": "only"}).context["page_obj"]}
    assert reads == {"sensitive.read"}
    by_user = c.get(reverse("core:audit"), {"who": "xa_a1", "reads": "all"}).context["page_obj"]
    assert {e.actor for e in by_user} == {world.users["xa_a1"]}
    since = (timezone.localdate() - timedelta(days=10)).strftime("%d/%m/%Y")
    recent = list(c.get(reverse("core:audit"), {"since": since, "action": "unit.update"}).context["page_obj"])
    assert old not in recent
    until = (timezone.localdate() - timedelta(days=30)).strftime("%d/%m/%Y")
    assert list(c.get(reverse("core:audit"), {"until": until, "action": "unit.update"}).context["page_obj"]) == [old]
    # a bad date is left out and says so; the page still answers
    r = c.get(reverse("core:audit"), {"since": "31/02/2026"})
    assert r.status_code == 200 and r.context["form"].errors
