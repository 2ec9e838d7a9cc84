"""Attendance: the roster marked by the organiser or a trainer, the learner's QR check-in (window, grace
period, enrolment, idempotence), the threshold kept as data, scope (404) and permission (403) of every
page, and constant query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bdtx.accounts.models import ROLE_PERMISSIONS, Role
from bdtx.core.models import AuditLog
from bdtx.core.scope import SYSTEM, Perm
from bdtx.training import attendance
from bdtx.training.models import (
    Attendance,
    AttendanceRule,
    CohortSession,
    Enrolment,
    EnrolmentStatus,
    Trainer,
)
from bdtx.training.services import enrolment_bulk_from_plans, enrolment_withdraw

from .conftest import approve, cohort, staff

pytestmark = pytest.mark.django_db

SESSION_PAGES = ["training:attendance", "training:attendance_qr", "training:attendance_qr_image"]


def _session(c, *, start_in: timedelta = timedelta(minutes=5), hours: int = 4) -> CohortSession:  # type: ignore[no-untyped-def]
    start = timezone.now() + start_in
    return CohortSession.objects.create(
        cohort=c, venue="Hội trường Sở", starts_at=start, ends_at=start + timedelta(hours=hours)
    )


@pytest.fixture
def room(world, mods):  # type: ignore[no-untyped-def]
    """A cohort of the Sở of province A with teacher_a1 and three colleagues enrolled, and a session
    starting in five minutes."""
    approve(world.people["teacher_a1"], world.u("th_a1"), mods.gv)
    for p in staff(world.u("th_a1"), 3):
        approve(p, world.u("th_a1"), mods.gv)
    c = cohort(world, mods, institution=world.u("cs_dt"))
    enrolment_bulk_from_plans(scope=SYSTEM, cohort=c)
    return c, _session(c)


def _enrolment(world, c, key: str = "teacher_a1") -> Enrolment:  # type: ignore[no-untyped-def]
    return Enrolment.objects.select_related("person", "unit").get(cohort=c, person=world.people[key])


def _url(name: str, s: CohortSession) -> str:
    return reverse(name, kwargs={"uuid": s.uuid})


def _check_in_url(s: CohortSession) -> str:
    return reverse("training:check_in", kwargs={"token": attendance.check_in_token(s)})


# --- the roster ----------------------------------------------------------------------------------


def test_the_organiser_marks_a_row_and_every_change_is_audited(world, room, login):
    c, s = room
    e = _enrolment(world, c)
    client = login(world.users["so_a"])
    url = _url("training:attendance", s)
    r = client.get(url)
    assert r.status_code == 200 and e.person.full_name in r.content.decode()
    assert client.post(url, {"enrolment": str(e.uuid), "mark": "absent"}).status_code == 302
    assert Attendance.objects.get(session=s, enrolment=e).mark == "absent"
    client.post(url, {"enrolment": str(e.uuid), "mark": "absent"})  # the same mark: nothing written
    assert AuditLog.objects.filter(action="attendance.mark").count() == 1
    r = client.post(url, {"enrolment": str(e.uuid), "mark": "excused"}, headers={"HX-Request": "true"})
    text = r.content.decode()
    assert r.status_code == 200 and "<html" not in text and f'id="row-{e.uuid}"' in text
    assert 'data-mark="excused"' in text
    entry = AuditLog.objects.filter(action="attendance.mark").order_by("-pk").first()
    assert entry.changes == {"mark": ["absent", "excused"]} and entry.actor_id == world.users["so_a"].pk
    assert AuditLog.objects.filter(action="attendance.mark").count() == 2


def test_a_mark_is_refused_for_a_learner_not_in_the_cohort_and_for_an_unknown_mark(world, room, login):
    c, s = room
    e = _enrolment(world, c)
    client = login(world.users["so_a"])
    url = _url("training:attendance", s)
    assert client.post(url, {"enrolment": str(e.uuid), "mark": "asleep"}).status_code == 302
    enrolment_withdraw(scope=SYSTEM, enrolment=e, reason="Chuyển công tác")
    assert client.post(url, {"enrolment": str(e.uuid), "mark": "present"}).status_code == 404
    other = Enrolment.objects.exclude(cohort=c).first()  # the world's cohort of province A
    assert client.post(url, {"enrolment": str(other.uuid), "mark": "present"}).status_code == 404
    assert not Attendance.objects.filter(session=s).exists()


def test_the_roster_lists_enrolled_learners_by_the_vietnamese_sort_key(world, room, login):
    c, s = room
    gone = Enrolment.objects.filter(cohort=c).exclude(person=world.people["teacher_a1"]).first()
    enrolment_withdraw(scope=SYSTEM, enrolment=gone, reason="Nghỉ")
    rows = list(attendance.roster(session=s))
    assert [r.person.sort_key for r in rows] == sorted(r.person.sort_key for r in rows)
    assert gone.pk not in {r.pk for r in rows} and len(rows) == 3


# --- the QR check-in -----------------------------------------------------------------------------


def test_the_learner_checks_in_once_by_the_qr_link(world, room, login):
    c, s = room
    client = login(world.users["teacher_a1"])
    r = client.get(_check_in_url(s))
    assert r.status_code == 200 and 'id="check-in-result"' in r.content.decode()
    a = Attendance.objects.get(session=s, enrolment=_enrolment(world, c))
    assert (a.mark, a.source, a.marked_by_id) == ("present", "check_in", world.users["teacher_a1"].pk)
    assert AuditLog.objects.filter(action="attendance.check_in", object_uuid=a.uuid).count() == 1
    r = client.get(_check_in_url(s))  # a second scan changes nothing
    assert r.status_code == 200 and Attendance.objects.filter(session=s).count() == 1
    assert AuditLog.objects.filter(action="attendance.check_in").count() == 1


def test_a_check_in_after_the_grace_period_is_late_and_the_grace_period_is_data(world, room):
    c, _s = room
    s = _session(c, start_in=-timedelta(minutes=20))
    scope = _scope(world, "teacher_a1")
    assert attendance.attendance_check_in(scope=scope, token=attendance.check_in_token(s)).attendance.mark == "late"
    AttendanceRule.objects.update(late_after_minutes=30)
    s2 = _session(c, start_in=-timedelta(minutes=20))
    assert attendance.attendance_check_in(scope=scope, token=attendance.check_in_token(s2)).attendance.mark == "present"


def test_a_check_in_does_not_overwrite_the_trainers_mark(world, room):
    c, s = room
    attendance.attendance_mark(scope=SYSTEM, session=s, enrolment=_enrolment(world, c), mark="excused")
    result = attendance.attendance_check_in(scope=_scope(world, "teacher_a1"), token=attendance.check_in_token(s))
    assert not result.created and Attendance.objects.get(session=s).mark == "excused"


def _scope(world, key: str):  # type: ignore[no-untyped-def]
    from bdtx.accounts.selectors import scope_for_user

    return scope_for_user(world.users[key])


@pytest.mark.parametrize(
    ("start_in", "hours"),
    [(timedelta(hours=2), 4), (-timedelta(hours=5), 4), (timedelta(minutes=31), 1)],
    ids=["too-early", "over", "just-before-the-window"],
)
def test_outside_the_window_the_check_in_writes_nothing(world, room, login, start_in, hours):
    c, _s = room
    s = _session(c, start_in=start_in, hours=hours)
    r = login(world.users["teacher_a1"]).get(_check_in_url(s))
    assert r.status_code == 403 and "chỉ mở điểm danh từ" in r.content.decode()
    assert not Attendance.objects.filter(session=s).exists()
    assert not AuditLog.objects.filter(action="attendance.check_in").exists()


def test_only_enrolled_learners_check_in(world, room, login):
    c, s = room
    for user in ("mentor_a1", "so_a", "norole"):
        r = login(world.users[user]).get(_check_in_url(s))
        assert r.status_code == 403 and "Bạn không có tên trong lớp" in r.content.decode(), user
    enrolment_withdraw(scope=SYSTEM, enrolment=_enrolment(world, c), reason="Nghỉ ốm dài ngày")
    assert login(world.users["teacher_a1"]).get(_check_in_url(s)).status_code == 403
    assert not Attendance.objects.filter(session=s).exists()


def test_a_forged_or_outdated_link_is_refused(world, room, login):
    c, s = room
    client = login(world.users["teacher_a1"])
    token = attendance.check_in_token(s)
    r = client.get(reverse("training:check_in", kwargs={"token": token[:-2] + "xx"}))
    assert r.status_code == 403 and "không hợp lệ" in r.content.decode()
    other = _session(c)  # a token of one session does not check in at another
    assert attendance.session_from_token(attendance.check_in_token(other)) == other != s
    CohortSession.objects.filter(pk=s.pk).update(starts_at=s.starts_at + timedelta(minutes=1))
    assert client.get(reverse("training:check_in", kwargs={"token": token})).status_code == 403
    assert not Attendance.objects.filter(session=s).exists()


def test_signed_out_the_check_in_link_asks_to_sign_in_first(room, client):
    _c, s = room
    r = client.get(_check_in_url(s))
    assert r.status_code == 302 and r["Location"].startswith(reverse("accounts:login"))
    assert not Attendance.objects.filter(session=s).exists()


# --- the threshold -------------------------------------------------------------------------------


def test_the_threshold_counts_present_and_late_against_the_rules_share(world, room):
    c, s = room
    sessions = [s, *(_session(c, start_in=timedelta(days=d)) for d in range(1, 5))]  # 5 sessions: 80% = 4
    e = _enrolment(world, c)
    for one, mark in zip(sessions, ["present", "late", "present", "excused", "absent"], strict=True):
        attendance.attendance_mark(scope=SYSTEM, session=one, enrolment=e, mark=mark)
    row = attendance.enrolment_attendance(cohort=c).get(pk=e.pk)
    assert (row.attended, row.required, row.threshold_met) == (3, 4, False)  # excused is not attended
    attendance.attendance_mark(scope=SYSTEM, session=sessions[4], enrolment=e, mark="present")
    assert attendance.enrolment_attendance(cohort=c).get(pk=e.pk).threshold_met
    AttendanceRule.objects.update(min_share=100)
    assert not attendance.enrolment_attendance(cohort=c).get(pk=e.pk).threshold_met
    summary = attendance.cohort_attendance(cohort=c)
    assert (summary.enrolled, summary.required, summary.met, len(summary.sessions)) == (4, 5, 0, 5)
    assert summary.sessions[0].present == 1 and summary.sessions[3].excused == 1


def test_the_rule_names_its_source_and_says_what_is_to_verify(mods):
    rule = attendance.attendance_rule_for(mods.year)
    assert rule is not None and rule.min_share == 80 and rule.source
    assert "Cần xác minh" in rule.verification_note


def test_the_cohort_page_and_the_roster_show_the_threshold(world, room, login):
    c, s = room
    attendance.attendance_mark(scope=SYSTEM, session=s, enrolment=_enrolment(world, c), mark="present")
    client = login(world.users["so_a"])
    text = client.get(reverse("training:detail", kwargs={"uuid": c.uuid})).content.decode()
    assert 'id="cohort-attendance"' in text and 'data-count="attendance-met">1<' in text
    assert 'data-count="attendance-enrolled">4<' in text and _url("training:attendance_qr", s) in text
    text = client.get(_url("training:attendance", s)).content.decode()
    assert "1/1" in text and "text-bg-success" in text


# --- who may do what -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", SESSION_PAGES)
@pytest.mark.parametrize("user", ["so_b", "xa_a1", "principal_a1", "teacher_a1", "mentor_a1", "norole"])
def test_a_session_outside_the_scope_answers_404(world, room, login, name, user):
    _c, s = room
    client = login(world.users[user])
    assert client.get(_url(name, s)).status_code == 404
    assert client.post(_url(name, s)).status_code in (404, 405)


def test_inside_the_scope_without_the_permission_answers_403(world, room, login, monkeypatch):
    c, s = room
    weaker = ROLE_PERMISSIONS[Role.DEPARTMENT_STAFF] - {Perm.TRAINING_VIEW, Perm.TRAINING_MANAGE}
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.DEPARTMENT_STAFF, weaker)
    client = login(world.users["so_a"])
    for name in SESSION_PAGES:
        assert client.get(_url(name, s)).status_code == 403, name
    e = _enrolment(world, c)
    assert client.post(_url("training:attendance", s), {"enrolment": str(e.uuid), "mark": "present"}).status_code == 403
    assert not Attendance.objects.filter(session=s).exists()


def test_the_institution_sees_the_roster_but_neither_marks_nor_shows_the_qr(world, room, login):
    c, s = room
    client = login(world.users["institution"])
    r = client.get(_url("training:attendance", s))
    assert r.status_code == 200 and "mark-form" not in r.content.decode()
    e = _enrolment(world, c)
    assert client.post(_url("training:attendance", s), {"enrolment": str(e.uuid), "mark": "present"}).status_code == 403
    assert client.get(_url("training:attendance_qr", s)).status_code == 403
    assert client.get(_url("training:attendance_qr_image", s)).status_code == 403


def test_a_trainer_with_a_staff_record_takes_attendance_of_their_cohort_only(world, room, login, mods):
    c, s = room
    client = login(world.users["mentor_a1"])
    assert client.get(_url("training:attendance", s)).status_code == 404
    Trainer.objects.create(
        cohort=c, person=world.people["mentor_a1"], full_name="x", degree="master", years_experience=3
    )
    r = client.get(_url("training:attendance", s))
    assert r.status_code == 200 and "mark-form" in r.content.decode()
    e = _enrolment(world, c)
    assert client.post(_url("training:attendance", s), {"enrolment": str(e.uuid), "mark": "late"}).status_code == 302
    assert Attendance.objects.get(session=s, enrolment=e).marked_by_id == world.users["mentor_a1"].pk
    assert client.get(_url("training:attendance_qr", s)).status_code == 200
    other = _session(cohort(world, mods, name="Lớp khác", module=mods.ql))
    assert client.get(_url("training:attendance", other)).status_code == 404


def test_the_qr_page_shows_our_own_svg_of_the_signed_link(world, room, login):
    _c, s = room
    client = login(world.users["so_a"])
    r = client.get(_url("training:attendance_qr", s))
    text = r.content.decode()
    assert r.status_code == 200 and _url("training:attendance_qr_image", s) in text
    assert attendance.check_in_token(s) in text and "<script" not in text.split("<main")[-1]
    img = client.get(_url("training:attendance_qr_image", s))
    assert img.status_code == 200 and img["Content-Type"] == "image/svg+xml"
    assert img.content.lstrip().startswith(b"<svg") and b"<script" not in img.content and b"style" not in img.content


# --- constant queries ----------------------------------------------------------------------------


def _queries(client, url: str, method: str = "get", **kw) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as ctx:
        r = getattr(client, method)(url, **kw)
        assert r.status_code in (200, 302)
    return len(ctx.captured_queries)


def test_pages_take_the_same_queries_for_a_small_and_a_bigger_cohort(world, mods, login):
    for p in staff(world.u("th_a1"), 2):
        approve(p, world.u("th_a1"), mods.gv)
    small = cohort(world, mods, name="Nhỏ")
    enrolment_bulk_from_plans(scope=SYSTEM, cohort=small)
    for unit, n in (("th_a1", 15), ("thcs_a2", 15)):
        for p in staff(world.u(unit), n):
            approve(p, world.u(unit), mods.ql)
    big = cohort(world, mods, name="Lớn", module=mods.ql)
    enrolment_bulk_from_plans(scope=SYSTEM, cohort=big)
    pages = {}
    for c in (small, big):
        sessions = [_session(c), _session(c, start_in=timedelta(days=1))]
        for e in Enrolment.objects.filter(cohort=c, status=EnrolmentStatus.ENROLLED)[:20]:
            attendance.attendance_mark(scope=SYSTEM, session=sessions[0], enrolment=e, mark="present")
        pages[c.pk] = sessions[0]
    assert Enrolment.objects.filter(cohort=big).count() == 30
    client = login(world.users["so_a"])
    for name in SESSION_PAGES:
        assert _queries(client, _url(name, pages[small.pk])) == _queries(client, _url(name, pages[big.pk])), name
    detail = [reverse("training:detail", kwargs={"uuid": c.uuid}) for c in (small, big)]
    assert _queries(client, detail[0]) == _queries(client, detail[1])
    marks = []
    for c in (small, big):
        e = Enrolment.objects.filter(cohort=c).order_by("-pk").first()
        data = {"enrolment": str(e.uuid), "mark": "late"}
        marks.append(
            _queries(
                client, _url("training:attendance", pages[c.pk]), "post", data=data, headers={"HX-Request": "true"}
            )
        )
    assert marks[0] == marks[1]


def test_at_the_end_the_rest_are_marked_absent_in_one_go_and_marks_set_stay(world, room, login):
    c, s = room
    e = _enrolment(world, c)
    attendance.attendance_check_in(scope=_scope(world, "teacher_a1"), token=attendance.check_in_token(s))
    client = login(world.users["so_a"])
    url = _url("training:attendance", s)
    assert 'id="rest-form"' in client.get(url).content.decode()
    with CaptureQueriesContext(connection) as ctx:
        n = attendance.attendance_mark_unmarked(scope=_scope(world, "so_a"), session=s)
    assert n == 3 and len(ctx.captured_queries) <= 14  # not a query per learner (6 recompute completion)
    assert Attendance.objects.get(session=s, enrolment=e).mark == "present"
    assert Attendance.objects.filter(session=s, mark="absent").count() == 3
    entry = AuditLog.objects.get(action="attendance.mark_rest")
    assert entry.changes == {"mark": [None, "absent"], "learners": [None, 3]} and entry.object_uuid == s.uuid
    assert client.post(url, {"rest": "absent"}).status_code == 302  # nothing left: no second entry
    assert AuditLog.objects.filter(action="attendance.mark_rest").count() == 1
    r = login(world.users["institution"]).post(url, {"rest": "absent"})
    assert r.status_code == 403
