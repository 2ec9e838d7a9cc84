"""Questions and interactions: who may ask, read and answer (404 outside, 403 inside without a part),
the six kinds of interaction each message counts as, the counts per group, school and cohort, the
questions flagged after the rule's days, files checked by content and served through the scope, and
constant query counts."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bdtx.accounts.models import ROLE_PERMISSIONS, Role
from bdtx.core.models import AuditLog
from bdtx.core.scope import SYSTEM, Perm, Scope
from bdtx.core.tests.test_uploads import HTML, PNG
from bdtx.home.selectors import waiting_for
from bdtx.people.models import Employment, StaffType
from bdtx.training import questions as q
from bdtx.training.models import (
    Enrolment,
    EnrolmentStatus,
    Question,
    QuestionMessage,
    QuestionRule,
    SupportGroup,
    Trainer,
)
from bdtx.training.services import enrolment_bulk_from_plans, groups_split

from .conftest import approve, cohort, staff

pytestmark = pytest.mark.django_db


def learner_scope(person) -> Scope:  # type: ignore[no-untyped-def]
    return Scope(user_id=None, person_id=person.pk)


@pytest.fixture
def klass(world, mods):  # type: ignore[no-untyped-def]
    """A cohort of the Sở of province A assessed by the institution: the world's teacher and three
    colleagues of th_a1 in one group led by mentor_a1; the teacher has asked a question."""
    approve(world.people["teacher_a1"], world.u("th_a1"), mods.gv)
    for p in staff(world.u("th_a1"), 3):
        approve(p, world.u("th_a1"), mods.gv)
    c = cohort(world, mods, institution=world.u("cs_dt"), starts_on=date.today() + timedelta(days=3))
    enrolment_bulk_from_plans(scope=SYSTEM, cohort=c)
    groups_split(scope=SYSTEM, cohort=c)
    group = SupportGroup.objects.get(cohort=c)
    assert group.mentor == world.people["mentor_a1"]
    question = q.question_ask(
        scope=learner_scope(world.people["teacher_a1"]),
        cohort=c,
        title="Kế hoạch bài dạy theo mẫu nào?",
        body="Em chưa rõ phụ lục IV.",
    )
    return c, question


# --- services: the six kinds ---------------------------------------------------------------------


def test_a_question_goes_to_the_core_teacher_and_is_audited(world, klass):
    _c, question = klass
    first = question.messages.get()
    assert (first.role, first.kind) == ("learner", "gv_cc")
    assert question.group is not None and question.answered_at is None
    assert AuditLog.objects.filter(action="question.ask", object_uuid=question.uuid).exists()


def test_each_reply_counts_as_the_interaction_of_who_writes_to_whom(world, klass, scope_of):
    c, question = klass
    peer = Enrolment.objects.filter(cohort=c).exclude(person=world.people["teacher_a1"]).first()
    m = q.question_reply(scope=learner_scope(peer.person), question=question, body="Mình dùng mẫu của trường.")
    assert (m.role, m.kind) == ("learner", "gv_gv")
    question.refresh_from_db()
    assert question.answered_at is None  # a fellow learner's reply does not answer it

    m = q.question_reply(scope=scope_of("mentor_a1"), question=question, body="Theo Công văn 5512.")
    assert (m.role, m.kind) == ("mentor", "gv_cc")
    question.refresh_from_db()
    assert question.answered_at is not None

    m = q.question_reply(scope=scope_of("teacher_a1"), question=question, body="Em cảm ơn.")
    assert m.kind == "gv_cc"  # back to the core teacher who answered

    m = q.question_reply(scope=scope_of("institution"), question=question, body="Bổ sung: xem phụ lục IV.")
    assert (m.role, m.kind) == ("trainer", "gv_bcv")
    m = q.question_reply(scope=scope_of("teacher_a1"), question=question, body="Em đã rõ.")
    assert m.kind == "gv_bcv"  # the learner answering the trainer who wrote last
    q.question_reply(scope=scope_of("institution"), question=question, body="Thầy cốt cán bổ sung giúp.")
    m = q.question_reply(scope=scope_of("mentor_a1"), question=question, body="Vâng ạ.")
    assert m.kind == "gv_bcv"  # the core teacher answering a trainer: core teacher ↔ trainer
    m = q.question_reply(scope=scope_of("teacher_a1"), question=question, body="Em cảm ơn.")
    assert m.kind == "gv_cc"
    assert AuditLog.objects.filter(action="question.reply", object_uuid=question.uuid).count() == 8


def test_a_managers_thread_counts_on_the_managers_side(world, mods):
    (manager,) = staff(world.u("th_a1"), 1, staff_type=StaffType.MANAGER)
    approve(manager, world.u("th_a1"), mods.ql)
    c = cohort(world, mods, module=mods.ql, name="Lớp CBQL")
    enrolment_bulk_from_plans(scope=SYSTEM, cohort=c)
    question = q.question_ask(scope=learner_scope(manager), cohort=c, title="Hỏi", body="Nội dung")
    # no group, so no core teacher: the question goes to the trainers
    assert question.messages.get().kind == "ql_bcv"
    assert q.classify(audience=StaffType.MANAGER, writer="mentor", counterpart="learner") == "ql_cc"
    assert q.classify(audience=StaffType.MANAGER, writer="learner", counterpart="learner") == "ql_ql"


def test_only_an_enrolled_learner_asks(world, klass, scope_of):
    c, _q = klass
    for user in ("mentor_a1", "so_a"):
        with pytest.raises(PermissionDenied):
            q.question_ask(scope=scope_of(user), cohort=c, title="Hỏi", body="x")
    e = Enrolment.objects.get(cohort=c, person=world.people["teacher_a1"])
    Enrolment.objects.filter(pk=e.pk).update(status=EnrolmentStatus.WITHDRAWN)
    with pytest.raises(PermissionDenied):
        q.question_ask(scope=scope_of("teacher_a1"), cohort=c, title="Hỏi", body="x")


def test_a_file_is_judged_by_its_content(world, klass, scope_of):
    _c, question = klass
    with pytest.raises(ValidationError):
        q.question_reply(
            scope=scope_of("teacher_a1"),
            question=question,
            body="Tệp",
            upload=SimpleUploadedFile("bai.pdf", HTML),
        )
    assert question.messages.count() == 1
    m = q.question_reply(
        scope=scope_of("teacher_a1"), question=question, body="Ảnh", upload=SimpleUploadedFile("anh.png", PNG)
    )
    assert m.filename == "anh.png" and m.file.name.startswith("questions/")


# --- reads: counts and flags ----------------------------------------------------------------------


def test_interactions_are_counted_per_cohort_school_and_group(world, klass, scope_of):
    c, question = klass
    q.question_reply(scope=scope_of("mentor_a1"), question=question, body="Trả lời")
    q.question_reply(scope=scope_of("institution"), question=question, body="Bổ sung")
    year = c.school_year
    for by, key in (
        (q.By.COHORT, "question__cohort__name"),
        (q.By.SCHOOL, "question__unit__name"),
        (q.By.GROUP, "question__group__name"),
    ):
        rows = list(q.interaction_counts(scope=scope_of("so_a"), school_year=year, by=by, cohort=c))
        assert len(rows) == 1, by
        assert (rows[0]["gv_cc"], rows[0]["gv_bcv"], rows[0]["total"]) == (2, 1, 3), by
        assert rows[0][key] in (c.name, world.u("th_a1").name, "Nhóm 1"), by
    # another province counts nothing of it
    assert not [r for r in q.interaction_counts(scope=scope_of("so_b"), school_year=year) if r["gv_cc"] == 2]


def test_a_question_unanswered_past_the_rules_days_is_flagged(world, klass, scope_of):
    c, question = klass
    rule = QuestionRule.objects.in_force(c.school_year).get()
    assert rule.verification_note  # no official figure: marked for an administrator to check
    assert q.cohort_waiting(cohort=c) == q.Waiting(waiting=1, overdue=0, days=rule.answer_within_days)
    Question.objects.filter(pk=question.pk).update(
        created_at=timezone.now() - timedelta(days=rule.answer_within_days + 1)
    )
    assert q.cohort_waiting(cohort=c).overdue == 1
    mentor = world.people["mentor_a1"]
    assert q.mentor_waiting(person_id=mentor.pk, school_year=c.school_year).overdue == 1
    lines = waiting_for(scope=scope_of("mentor_a1"), person=mentor, school_year=c.school_year)
    assert any("1" in w.text and w.url == reverse("training:my_groups") and w.tone == "danger" for w in lines)
    q.question_reply(scope=scope_of("mentor_a1"), question=question, body="Trả lời")
    assert q.cohort_waiting(cohort=c).waiting == 0
    lines = waiting_for(scope=scope_of("mentor_a1"), person=mentor, school_year=c.school_year)
    assert not any(w.url == reverse("training:my_groups") for w in lines)


# --- pages ---------------------------------------------------------------------------------------


def _pages(c, question):  # type: ignore[no-untyped-def]
    return [
        reverse("training:questions", kwargs={"uuid": c.uuid}),
        reverse("training:question", kwargs={"uuid": question.uuid}),
    ]


@pytest.mark.parametrize("user", ["so_b", "principal_b1", "norole", "principal_a2", "xa_a1"])
def test_questions_outside_the_scope_answer_404(world, klass, login, user):
    c, question = klass
    client = login(world.users[user])
    for url in _pages(c, question):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"title": "x", "body": "y"}).status_code == 404, url
    assert question.messages.count() == 1


def test_a_learner_cannot_read_another_cohorts_questions(world, klass, login):
    other = Question.objects.get(cohort__organiser=world.u("so_a"), cohort__programme="BD02")
    client = login(world.users["teacher_a1"])
    assert client.get(reverse("training:question", kwargs={"uuid": other.uuid})).status_code == 404
    assert client.get(reverse("training:questions", kwargs={"uuid": other.cohort.uuid})).status_code == 404


def test_inside_without_a_part_in_the_questions_answers_403(world, klass, login, monkeypatch):
    c, question = klass
    # a learner on the cohort's waiting list (or withdrawn) reaches it, but does not read its questions
    Enrolment.objects.filter(cohort=c, person=world.people["teacher_a1"]).update(status=EnrolmentStatus.WAITING)
    client = login(world.users["teacher_a1"])
    for url in _pages(c, question):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"title": "x", "body": "y"}).status_code == 403, url
    # the organiser without the training permissions
    weaker = ROLE_PERMISSIONS[Role.DEPARTMENT_STAFF] - {Perm.TRAINING_VIEW, Perm.TRAINING_MANAGE}
    monkeypatch.setitem(ROLE_PERMISSIONS, Role.DEPARTMENT_STAFF, weaker)
    client = login(world.users["so_a"])
    for url in _pages(c, question):
        assert client.get(url).status_code == 403, url
    assert client.get(reverse("training:interactions")).status_code == 403
    assert question.messages.count() == 1


def test_a_core_teacher_reads_only_their_groups_questions(world, klass, login):
    c, question = klass
    (other_mentor,) = staff(world.u("th_a1"), 1, mentor=True)
    group2 = SupportGroup.objects.create(cohort=c, number=2, name="Nhóm 2", mentor=other_mentor)
    Question.objects.filter(pk=question.pk).update(group=group2)
    client = login(world.users["mentor_a1"])
    assert client.get(reverse("training:question", kwargs={"uuid": question.uuid})).status_code == 403
    r = client.get(reverse("training:questions", kwargs={"uuid": c.uuid}))
    assert r.status_code == 200 and question.title not in r.content.decode()


def test_learners_read_every_question_of_their_cohort_and_ask_from_the_page(world, klass, login):
    c, question = klass
    peer = Enrolment.objects.filter(cohort=c).exclude(person=world.people["teacher_a1"]).first()
    from bdtx.core.tests.factories import UserFactory

    user = UserFactory(username="peer")
    peer.person.user = user
    peer.person.save(update_fields=["user"])
    client = login(user)
    url = reverse("training:questions", kwargs={"uuid": c.uuid})
    r = client.get(url)
    assert r.status_code == 200 and question.title in r.content.decode() and 'id="ask-form"' in r.content.decode()
    r = client.post(url, {"title": "Nộp bài thu hoạch ở đâu?", "body": "Trên LMS hay nộp giấy?"})
    assert r.status_code == 302
    asked = Question.objects.get(title="Nộp bài thu hoạch ở đâu?")
    assert asked.enrolment == peer and asked.group == peer.group


def test_the_core_teacher_answers_and_the_file_is_served_through_the_scope(world, klass, login):
    _c, question = klass
    client = login(world.users["mentor_a1"])
    url = reverse("training:question", kwargs={"uuid": question.uuid})
    assert client.get(url).status_code == 200
    r = client.post(url, {"body": "Dùng phụ lục IV.", "file": SimpleUploadedFile("mau.png", PNG)})
    assert r.status_code == 302
    question.refresh_from_db()
    assert question.answered_at is not None
    m = question.messages.exclude(file="").get()
    file_url = reverse("training:question_file", kwargs={"uuid": m.uuid})
    assert file_url in client.get(url).content.decode() and "/media/" not in client.get(url).content.decode()
    response = login(world.users["teacher_a1"]).get(file_url)
    assert (response["Content-Type"], response["X-Content-Type-Options"]) == ("image/png", "nosniff")
    assert login(world.users["so_b"]).get(file_url).status_code == 404
    client = login(world.users["mentor_a1"])  # one test client: each login() switches its user
    r = client.post(url, {"body": "Tệp", "file": SimpleUploadedFile("trang.pdf", HTML)})
    assert r.status_code == 200 and question.messages.count() == 2  # refused, said on the form


def test_the_organiser_sees_the_flags_and_the_interactions(world, klass, login):
    c, _question = klass
    client = login(world.users["so_a"])
    r = client.get(reverse("training:detail", kwargs={"uuid": c.uuid}))
    assert 'id="cohort-questions-waiting"' in r.content.decode()
    r = client.get(reverse("training:interactions"), {"by": "group", "cohort": str(c.uuid)})
    text = r.content.decode()
    assert r.status_code == 200 and "Nhóm 1" in text
    r = login(world.users["mentor_a1"]).get(reverse("training:my_groups"))
    assert "data-waiting" in r.content.decode()
    # the institution assessing it sees the interactions; a learner does not
    assert login(world.users["institution"]).get(reverse("training:interactions")).status_code == 200
    assert login(world.users["teacher_a1"]).get(reverse("training:interactions")).status_code == 403
    r = login(world.users["teacher_a1"]).get(reverse("training:interactions"), {"cohort": str(c.uuid)})
    assert r.status_code == 403


def test_a_cohort_trainer_with_a_staff_record_answers(world, klass, scope_of):
    c, question = klass
    (trainer_person,) = staff(world.u("thpt_a"), 1, level="THPT")
    Trainer.objects.create(cohort=c, person=trainer_person, full_name="x", degree="master", years_experience=5)
    m = q.question_reply(scope=learner_scope(trainer_person), question=question, body="Trả lời")
    assert (m.role, m.kind) == ("trainer", "gv_bcv")


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200, url
    return len(ctx.captured_queries)


def test_pages_take_the_same_queries_for_a_small_and_a_larger_cohort(world, mods, login, scope_of):
    a = cohort(world, mods, name="Nhỏ")
    b = cohort(world, mods, name="Lớn", module=mods.ql)
    learners = {a: staff(world.u("th_a1"), 2), b: staff(world.u("thcs_a2"), 25, level="THCS")}
    for c, people in learners.items():
        for p in people:
            approve(p, Employment.objects.filter(person=p).get().unit, c.module)
        enrolment_bulk_from_plans(scope=SYSTEM, cohort=c)
        groups_split(scope=SYSTEM, cohort=c)
        for i, p in enumerate(people):
            question = q.question_ask(scope=learner_scope(p), cohort=c, title=f"Câu {i}", body="Nội dung")
            q.question_reply(scope=scope_of("so_a"), question=question, body="Trả lời")
            q.question_reply(scope=learner_scope(p), question=question, body="Cảm ơn")
    client = login(world.users["so_a"])
    pages = lambda c: [  # noqa: E731
        reverse("training:questions", kwargs={"uuid": c.uuid}),
        reverse("training:question", kwargs={"uuid": Question.objects.filter(cohort=c).first().uuid}),
        reverse("training:interactions") + f"?cohort={c.uuid}&by=group",
        reverse("training:interactions") + f"?cohort={c.uuid}&by=school",
        reverse("training:detail", kwargs={"uuid": c.uuid}),
    ]
    for few, many in zip(pages(a), pages(b), strict=True):
        assert _queries(client, few) == _queries(client, many), few
    assert QuestionMessage.objects.filter(question__cohort=b).count() == 75
    # a learner of each cohort reads the list of every question of their cohort in as many queries
    from bdtx.core.tests.factories import UserFactory

    counts = []
    for c, people in learners.items():
        user = UserFactory()
        people[0].user = user
        people[0].save(update_fields=["user"])
        counts.append(_queries(login(user), reverse("training:questions", kwargs={"uuid": c.uuid})))
    assert counts[0] == counts[1]
