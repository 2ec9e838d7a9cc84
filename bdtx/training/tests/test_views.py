"""Pages of training delivery: scope (404 outside), permission (403 inside without it), the enrol and
groups flows, the learner's card and the core teacher's page, and constant query counts."""

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bdtx.accounts.models import ROLE_PERMISSIONS, Role
from bdtx.core.models import AuditLog
from bdtx.core.scope import SYSTEM, Perm
from bdtx.training.models import Cohort, Enrolment, EnrolmentStatus, SupportGroup, Trainer
from bdtx.training.services import enrolment_bulk_from_plans, groups_split

from .conftest import approve, cohort, staff

pytestmark = pytest.mark.django_db

COHORT_PAGES = ["training:detail", "training:enrol", "training:groups", "training:edit"]
MANAGE_POSTS = ["training:trainer_add", "training:session_add", "training:enrol", "training:groups", "training:edit"]


@pytest.fixture
def full(world, mods):  # type: ignore[no-untyped-def]
    """A cohort of the Sở of province A with 4 learners of th_a1 (the world's teacher among them),
    split into groups; and a cohort of province B."""
    approve(world.people["teacher_a1"], world.u("th_a1"), mods.gv)
    for p in staff(world.u("th_a1"), 3):
        approve(p, world.u("th_a1"), mods.gv)
    c = cohort(world, mods, institution=world.u("cs_dt"), starts_on=date.today() + timedelta(days=3))
    enrolment_bulk_from_plans(scope=SYSTEM, cohort=c)
    groups_split(scope=SYSTEM, cohort=c)
    b = cohort(world, mods, organiser="so_b", name="Lớp tỉnh Bình")
    return c, b


def test_the_list_shows_the_cohorts_of_the_scope_only(world, full, login):
    c, b = full
    r = login(world.users["so_a"]).get(reverse("training:list"))
    assert r.status_code == 200
    text = r.content.decode()
    assert c.name in text and b.name not in text
    r = login(world.users["so_a"]).get(reverse("training:list"), {"form": "tu_xa"}, headers={"HX-Request": "true"})
    assert c.name not in r.content.decode() and "<html" not in r.content.decode()


@pytest.mark.parametrize("user", ["teacher_a1", "mentor_a1", "norole"])
def test_people_without_training_rights_get_403_on_the_list_and_the_form(world, login, user):
    client = login(world.users[user])
    assert client.get(reverse("training:list")).status_code == 403
    assert client.get(reverse("training:new")).status_code == 403


def test_the_institution_sees_the_list_of_what_it_assesses(world, full, login):
    c, _b = full
    r = login(world.users["institution"]).get(reverse("training:list"))
    assert r.status_code == 200 and c.name in r.content.decode()


def test_creating_a_blended_cohort_from_the_7_2_7_template(world, mods, login):
    client = login(world.users["so_a"])
    assert client.get(reverse("training:new")).status_code == 200
    from bdtx.training.models import ScheduleTemplate

    r = client.post(
        reverse("training:new"),
        {
            "year": mods.year.pk,
            "organiser": world.u("so_a").pk,
            "name": "Mô đun 4 — đợt 1",
            "programme": "BD03",
            "module": mods.gv.pk,
            "form": "ban_tap_trung",
            "capacity": 200,
            "institution": world.u("cs_dt").pk,
            "template": ScheduleTemplate.objects.get(code="7-2-7").pk,
            "starts_on": "2026-12-01",
        },
    )
    c = Cohort.objects.get(name="Mô đun 4 — đợt 1")
    assert r.status_code == 302 and r["Location"] == reverse("training:detail", kwargs={"uuid": c.uuid})
    assert c.phases.count() == 3 and c.organiser == world.u("so_a")
    r = client.get(r["Location"])
    assert "08/12/2026" in r.content.decode()  # the in-person days


def test_an_organiser_cannot_pick_a_unit_it_does_not_organise(world, mods, login):
    r = login(world.users["xa_a1"]).post(
        reverse("training:new"),
        {"organiser": world.u("so_a").pk, "name": "x", "programme": "BD03", "module": mods.gv.pk,
         "form": "tu_xa", "capacity": 5},
    )  # fmt: skip
    assert r.status_code == 200 and not Cohort.objects.filter(name="x").exists()


@pytest.mark.parametrize("name", COHORT_PAGES)
@pytest.mark.parametrize("user", ["so_b", "xa_a1", "principal_a1", "teacher_a1", "mentor_a1", "norole"])
def test_a_cohort_outside_the_scope_answers_404(world, full, login, name, user):
    c, _b = full
    assert login(world.users[user]).get(reverse(name, kwargs={"uuid": c.uuid})).status_code == 404


@pytest.mark.parametrize("name", MANAGE_POSTS)
def test_posting_outside_the_scope_answers_404(world, full, login, name):
    c, _b = full
    assert login(world.users["so_b"]).post(reverse(name, kwargs={"uuid": c.uuid})).status_code == 404


def test_the_assessing_institution_views_but_does_not_manage(world, full, login):
    c, _b = full
    client = login(world.users["institution"])
    assert client.get(reverse("training:detail", kwargs={"uuid": c.uuid})).status_code == 200
    assert client.get(reverse("training:groups", kwargs={"uuid": c.uuid})).status_code == 200
    assert client.get(reverse("training:enrol", kwargs={"uuid": c.uuid})).status_code == 403
    assert client.get(reverse("training:edit", kwargs={"uuid": c.uuid})).status_code == 403
    for name in MANAGE_POSTS:
        assert client.post(reverse(name, kwargs={"uuid": c.uuid})).status_code == 403, name
    e = Enrolment.objects.filter(cohort=c).first()
    # it sees the learners of the cohorts it assesses (on their pages), but does not organise them
    assert client.post(reverse("training:enrolment_withdraw", kwargs={"uuid": e.uuid})).status_code == 403


def test_inside_the_scope_without_the_permission_answers_403(world, full, login, monkeypatch):
    c, _b = full
    weaker = ROLE_PERMISSIONS[Role.DEPARTMENT_STAFF] - {Perm.TRAINING_VIEW, Perm.TRAINING_MANAGE}
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.DEPARTMENT_STAFF, weaker)
    client = login(world.users["so_a"])
    assert client.get(reverse("training:list")).status_code == 403
    for name in COHORT_PAGES:
        assert client.get(reverse(name, kwargs={"uuid": c.uuid})).status_code == 403, name
    for name in MANAGE_POSTS:
        assert client.post(reverse(name, kwargs={"uuid": c.uuid})).status_code == 403, name
    e = Enrolment.objects.filter(cohort=c).first()
    for name in ("training:enrolment_withdraw", "training:enrolment_group", "training:enrolment_move"):
        assert client.post(reverse(name, kwargs={"uuid": e.uuid}), {"reason": "x"}).status_code == 403


def test_enrol_shows_the_counts_then_enrols_on_confirming(world, mods, login):
    for p in staff(world.u("th_a1"), 3):
        approve(p, world.u("th_a1"), mods.gv)
    for p in staff(world.u("thcs_a2"), 2, level="THCS"):
        approve(p, world.u("thcs_a2"), mods.gv)
    c = cohort(world, mods, capacity=4)
    client = login(world.users["so_a"])
    url = reverse("training:enrol", kwargs={"uuid": c.uuid})
    r = client.get(url)
    text = r.content.decode()
    assert 'data-count="eligible">5<' in text and 'data-count="to_wait">1<' in text
    assert not Enrolment.objects.filter(cohort=c).exists()  # the preview writes nothing
    r = client.get(url, {"unit": str(world.u("xa_a2").uuid)})
    assert 'data-count="eligible">2<' in r.content.decode()
    r = client.post(url, {"unit": str(world.u("xa_a2").uuid)})
    assert r.status_code == 302
    assert Enrolment.objects.filter(cohort=c, status=EnrolmentStatus.ENROLLED).count() == 2
    client.post(url)
    assert Enrolment.objects.filter(cohort=c, status=EnrolmentStatus.ENROLLED).count() == 4
    assert Enrolment.objects.filter(cohort=c, status=EnrolmentStatus.WAITING).count() == 1


def test_trainers_are_added_with_their_qualification_badge(world, full, login):
    c, _b = full
    client = login(world.users["so_a"])
    url = reverse("training:trainer_add", kwargs={"uuid": c.uuid})
    r = client.post(url, {"full_name": "Lò Văn An", "role": "reporter", "degree": "none", "years_experience": 5})
    assert r.status_code == 200 and not Trainer.objects.exists()  # refused under TT 17/2022: no degree
    r = client.post(
        url,
        {"full_name": "Lò Văn An", "role": "reporter", "degree": "master", "years_experience": 1, "it_skills": "on"},
    )
    assert r.status_code == 302
    r = client.get(reverse("training:detail", kwargs={"uuid": c.uuid}))
    assert "Lò Văn An" in r.content.decode() and "text-bg-success" in r.content.decode()


def test_sessions_are_added_to_the_schedule(world, full, login):
    c, _b = full
    client = login(world.users["so_a"])
    day = c.phases.get(kind="in_person").starts_on
    r = client.post(
        reverse("training:session_add", kwargs={"uuid": c.uuid}),
        {"venue": "Hội trường Sở", "starts_at": f"{day}T07:30", "ends_at": f"{day}T11:00"},
    )
    assert r.status_code == 302
    assert c.sessions.get().phase.kind == "in_person"


def test_groups_page_splits_moves_and_withdraws(world, full, login):
    c, _b = full
    client = login(world.users["so_a"])
    url = reverse("training:groups", kwargs={"uuid": c.uuid})
    r = client.get(url)
    assert r.status_code == 200 and world.people["mentor_a1"].full_name in r.content.decode()
    assert client.post(url).status_code == 302
    assert AuditLog.objects.filter(action="group.split", object_uuid=c.uuid).count() == 2
    g1 = SupportGroup.objects.get(cohort=c)
    g2 = SupportGroup.objects.create(cohort=c, number=2, name="Nhóm 2")
    e = Enrolment.objects.filter(cohort=c).first()
    r = client.post(reverse("training:enrolment_group", kwargs={"uuid": e.uuid}), {"group": str(g2.uuid)})
    assert r.status_code == 302
    e.refresh_from_db()
    assert e.group == g2 != g1
    client.post(reverse("training:enrolment_withdraw", kwargs={"uuid": e.uuid}), {"reason": ""})
    e.refresh_from_db()
    assert e.status == EnrolmentStatus.ENROLLED  # no reason, no withdrawal
    client.post(reverse("training:enrolment_withdraw", kwargs={"uuid": e.uuid}), {"reason": "Chuyển công tác"})
    e.refresh_from_db()
    assert e.status == EnrolmentStatus.WITHDRAWN and e.reason == "Chuyển công tác"


def test_the_learner_sees_the_cohort_and_what_comes_next_on_the_landing_page(world, full, login):
    c, _b = full
    r = login(world.users["teacher_a1"]).get(reverse("home:home"))
    text = r.content.decode()
    assert 'id="my-cohorts"' in text and c.name in text
    assert "data-next-step" in text and world.people["mentor_a1"].full_name in text
    r = login(world.users["principal_a2"]).get(reverse("home:home"))
    assert 'id="my-cohorts"' not in r.content.decode()


def test_the_core_teacher_sees_the_learners_of_their_groups(world, full, login):
    c, _b = full
    r = login(world.users["mentor_a1"]).get(reverse("training:my_groups"))
    text = r.content.decode()
    assert world.people["teacher_a1"].full_name in text and c.name in text
    assert ('id="mentor-hours"' in text and "3,2" in text) or "3.2" in text  # 4 learners × 40 / 50
    r = login(world.users["mentor_a1"]).get(reverse("home:home"))
    assert 'id="home-mentor-hours"' in r.content.decode()  # the periods on the landing page too
    r = login(world.users["teacher_a1"]).get(reverse("training:my_groups"))
    assert r.status_code == 200 and 'id="no-groups"' in r.content.decode()
    assert world.people["mentor_a1"].full_name not in r.content.decode().split('id="no-groups"')[1]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_pages_take_the_same_queries_for_a_small_and_a_larger_cohort(world, mods, login):
    small = staff(world.u("th_a1"), 2)
    for p in small:
        approve(p, world.u("th_a1"), mods.gv)
    a = cohort(world, mods, name="Nhỏ")
    enrolment_bulk_from_plans(scope=SYSTEM, cohort=a)
    groups_split(scope=SYSTEM, cohort=a)
    big_mods = mods.ql
    for unit, n in (("th_a1", 30), ("thcs_a2", 30), ("thpt_a", 30)):
        for p in staff(world.u(unit), n, mentor=False):
            approve(p, world.u(unit), big_mods)
    staff(world.u("thcs_a2"), 2, mentor=True, staff_type="CBQL")
    from bdtx.training.models import MentorRule

    MentorRule.objects.update(max_group_size=20)
    b = cohort(world, mods, name="Lớn", module=big_mods)
    enrolment_bulk_from_plans(scope=SYSTEM, cohort=b)
    groups_split(scope=SYSTEM, cohort=b)
    assert b.groups.count() >= 5
    client = login(world.users["so_a"])
    for name in COHORT_PAGES:
        few = _queries(client, reverse(name, kwargs={"uuid": a.uuid}))
        many = _queries(client, reverse(name, kwargs={"uuid": b.uuid}))
        assert few == many, name
    assert _queries(client, reverse("training:list")) <= 12


def test_the_organiser_edits_capacity_and_status(world, full, login):
    c, _b = full
    client = login(world.users["so_a"])
    url = reverse("training:edit", kwargs={"uuid": c.uuid})
    assert client.get(url).status_code == 200
    r = client.post(url, {"name": c.name, "form": "tu_xa", "capacity": 10, "status": "open"})
    assert r.status_code == 302
    c.refresh_from_db()
    assert (c.form, c.capacity, c.status, c.institution) == ("tu_xa", 10, "open", None)
    assert AuditLog.objects.filter(action="cohort.update", object_uuid=c.uuid).exists()


def test_a_learner_is_moved_to_another_cohort_of_the_module_with_a_reason(world, full, login, mods):
    c, _b = full
    other = cohort(world, mods, name="Đợt 2")
    client = login(world.users["so_a"])
    r = client.get(reverse("training:groups", kwargs={"uuid": c.uuid}))
    assert "Đợt 2" in r.content.decode()
    e = Enrolment.objects.filter(cohort=c, person=world.people["teacher_a1"]).get()
    url = reverse("training:enrolment_move", kwargs={"uuid": e.uuid})
    client.post(url, {"to": str(other.uuid), "reason": ""})
    e.refresh_from_db()
    assert e.status == EnrolmentStatus.ENROLLED
    assert client.post(url, {"to": str(other.uuid), "reason": "Gần nhà hơn"}).status_code == 302
    e.refresh_from_db()
    assert e.status == EnrolmentStatus.MOVED
    assert Enrolment.objects.get(cohort=other, person=world.people["teacher_a1"]).status == EnrolmentStatus.ENROLLED
    assert login(world.users["so_b"]).post(url).status_code == 404
