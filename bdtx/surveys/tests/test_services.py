from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bdtx.core.scope import SYSTEM
from bdtx.core.tests.factories import as_person
from bdtx.people.models import Employment, Person
from bdtx.surveys import selectors, services
from bdtx.surveys.models import MIN_RESPONSES, Participation, QuestionKind, Questionnaire, Submission, Survey
from bdtx.training.models import Enrolment, EnrolmentStatus

pytestmark = pytest.mark.django_db


def _answer(survey, person, likert=4, text=""):  # type: ignore[no-untyped-def]
    q1, q2, q3 = survey.questionnaire.questions.order_by("position")
    services.survey_answer(scope=as_person(person), survey=survey, answers={q1.pk: likert, q2.pk: 0, q3.pk: text})


def test_the_default_questionnaire_is_shipped_and_published(db):
    qn = Questionnaire.objects.get(owner=None, title__startswith="Phiếu khảo sát ý kiến học viên")
    kinds = list(qn.questions.values_list("kind", flat=True))
    assert kinds.count(QuestionKind.LIKERT5) == 6 and kinds.count(QuestionKind.OPEN) == 2
    assert qn.questions.filter(counts_for_satisfaction=True).count() == 6 and qn.satisfied_from == 4


def test_a_learner_answers_once(survey, enrol):
    (a,) = enrol(1)
    _answer(survey, a)
    with pytest.raises(ValidationError):
        _answer(survey, a)
    assert Submission.objects.filter(survey=survey).count() == 1
    assert Participation.objects.get(survey=survey, person=a).answered


def test_no_answer_outside_the_window(survey, enrol):
    (a,) = enrol(1)
    today = timezone.localdate()
    Survey.objects.filter(pk=survey.pk).update(opens_on=today + timedelta(days=1), closes_on=today + timedelta(days=5))
    survey.refresh_from_db()
    with pytest.raises(ValidationError):
        _answer(survey, a)
    Survey.objects.filter(pk=survey.pk).update(opens_on=today - timedelta(days=9), closes_on=today - timedelta(days=1))
    survey.refresh_from_db()
    with pytest.raises(ValidationError):
        _answer(survey, a)
    assert not Submission.objects.exists() and not Participation.objects.exists()


def test_only_enrolled_learners_answer(world, survey, enrol):
    with pytest.raises(PermissionDenied):
        _answer(survey, world.people["teacher_b1"])  # another province
    (w,) = enrol(1)
    Enrolment.objects.filter(person=w).update(status=EnrolmentStatus.WAITING)
    with pytest.raises(PermissionDenied):
        _answer(survey, w)
    assert not Submission.objects.exists()


def test_a_required_answer_and_the_range_are_checked(survey, enrol):
    (a,) = enrol(1)
    q1, q2, _q3 = survey.questionnaire.questions.order_by("position")
    with pytest.raises(ValidationError):
        services.survey_answer(scope=as_person(a), survey=survey, answers={q2.pk: 0})
    with pytest.raises(ValidationError):
        services.survey_answer(scope=as_person(a), survey=survey, answers={q1.pk: 6, q2.pk: 0})
    with pytest.raises(ValidationError):
        services.survey_answer(scope=as_person(a), survey=survey, answers={q1.pk: 4, q2.pk: 2})
    assert not Submission.objects.exists() and not Participation.objects.filter(answered=True).exists()


def test_results_are_suppressed_under_five_answers_and_shown_at_five(survey, enrol):
    people = enrol(MIN_RESPONSES + 1)
    for p in people[: MIN_RESPONSES - 1]:
        _answer(survey, p, text="Tốt")
    r = selectors.survey_results(surveys=Survey.objects.filter(pk=survey.pk))
    assert r.suppressed and r.satisfied is None and r.questions == [] and r.open_answers is None
    assert (r.responses, r.enrolled) == (MIN_RESPONSES - 1, MIN_RESPONSES + 2)  # the world's learner too
    _answer(survey, people[MIN_RESPONSES - 1], text="Bổ ích")
    r = selectors.survey_results(surveys=Survey.objects.filter(pk=survey.pk))
    assert not r.suppressed and r.responses == MIN_RESPONSES
    assert r.open_answers == ["Bổ ích", "Tốt", "Tốt", "Tốt", "Tốt"]  # alphabetical, no attribution
    assert r.questions[1].counts == [("Điện thoại", 5), ("Máy tính", 0)]


def test_open_answers_follow_the_vietnamese_alphabet(survey, enrol):
    """D comes before Đ in Vietnamese: folding the diacritics away would put "Đặt" before "Dạy"."""
    for p, text in zip(enrol(5), ("Đặt câu hỏi", "Dạy học", "Bổ ích", "Ôn tập", "Ổn định"), strict=True):
        _answer(survey, p, text=text)
    r = selectors.survey_results(surveys=Survey.objects.filter(pk=survey.pk))
    assert r.open_answers == ["Bổ ích", "Dạy học", "Đặt câu hỏi", "Ổn định", "Ôn tập"]  # letters first, then tones


def test_satisfaction_starts_at_four(survey, enrol):
    people = enrol(5)
    for p, v in zip(people, (3, 3, 4, 5, 1), strict=True):
        _answer(survey, p, likert=v)
    r = selectors.survey_results(surveys=Survey.objects.filter(pk=survey.pk))
    assert r.satisfied == 2 and r.satisfied_rate == pytest.approx(0.4)
    assert r.questions[0].average == pytest.approx(3.2)
    Questionnaire.objects.filter(pk=survey.questionnaire_id).update(satisfied_from=3)  # the rule is data
    assert selectors.survey_results(surveys=Survey.objects.filter(pk=survey.pk)).satisfied == 4


def test_satisfaction_is_the_average_of_the_marked_questions(world, cohort, enrol, scope_of):
    qn = services.questionnaire_create(
        scope=SYSTEM,
        owner=None,
        title="Hai câu",
        status="published",
        questions=[
            services.QuestionSpec(QuestionKind.LIKERT5, "Nội dung", counts_for_satisfaction=True),
            services.QuestionSpec(QuestionKind.LIKERT5, "Tài liệu", counts_for_satisfaction=True),
            services.QuestionSpec(QuestionKind.LIKERT5, "Không tính"),
        ],
    )
    today = timezone.localdate()
    s = services.survey_attach(scope=scope_of("so_a"), cohort=cohort, questionnaire=qn, opens_on=today)
    q1, q2, q3 = qn.questions.order_by("position")
    for p, (x, y) in zip(enrol(5), ((3, 4), (4, 4), (5, 3), (3, 3), (4, 5)), strict=True):
        services.survey_answer(scope=as_person(p), survey=s, answers={q1.pk: x, q2.pk: y, q3.pk: 1})
    assert selectors.survey_results(surveys=Survey.objects.filter(pk=s.pk)).satisfied == 3  # 3.5 is not


def test_reminders_go_to_those_who_have_not_answered_once_a_day(
    world, survey, enrol, scope_of, mailoutbox, django_capture_on_commit_callbacks
):
    a, b, c = enrol(3)
    Person.objects.filter(pk=world.people["teacher_a2"].pk).update(email="")
    _answer(survey, a)
    with django_capture_on_commit_callbacks(execute=True):
        n = services.survey_remind(scope=scope_of("so_a"), survey=survey)
    assert n == 3  # b, c and the world's learner (who has no e-mail address)
    assert sorted(m.to[0] for m in mailoutbox) == sorted([b.email, c.email])
    assert all(str(survey.uuid) in m.body for m in mailoutbox)
    with pytest.raises(ValidationError):
        services.survey_remind(scope=scope_of("so_a"), survey=survey)
    assert len(mailoutbox) == 2
    assert not Participation.objects.get(survey=survey, person=a).reminders
    assert Participation.objects.get(survey=survey, person=b).reminders == 1
    # the next day: again, counted
    Survey.objects.filter(pk=survey.pk).update(reminded_on=timezone.localdate() - timedelta(days=1))
    survey.refresh_from_db()
    services.survey_remind(scope=scope_of("so_a"), survey=survey)
    assert Participation.objects.get(survey=survey, person=b).reminders == 2
    assert Survey.objects.get(pk=survey.pk).reminders == 2
    # a reminded learner still answers, and is not reminded again
    _answer(survey, b)
    assert Participation.objects.get(survey=survey, person=b).answered
    assert b.pk not in selectors.nonrespondents(survey).values_list("person_id", flat=True)


def test_only_the_organisers_remind_and_attach(survey, cohort, questionnaire, scope_of, enrol):
    for who in ("so_b", "ministry", "teacher_a1"):
        with pytest.raises(PermissionDenied):
            services.survey_remind(scope=scope_of(who), survey=survey)
        with pytest.raises(PermissionDenied):
            services.survey_attach(scope=scope_of(who), cohort=cohort, questionnaire=questionnaire)


def test_a_questionnaire_keeps_its_questions_once_answered(survey, enrol, scope_of):
    (a,) = enrol(1)
    _answer(survey, a)
    with pytest.raises(ValidationError):
        services.questionnaire_update(
            scope=SYSTEM,
            questionnaire=survey.questionnaire,
            questions=[services.QuestionSpec(QuestionKind.OPEN, "Khác")],
        )
    with pytest.raises(PermissionDenied):
        services.questionnaire_update(scope=scope_of("so_a"), questionnaire=survey.questionnaire, title="X")


def test_a_unit_keeps_its_own_questionnaires(world, scope_of):
    spec = [services.QuestionSpec(QuestionKind.LIKERT5, "Câu 1", counts_for_satisfaction=True)]
    qn = services.questionnaire_create(scope=scope_of("so_a"), owner=world.u("so_a"), title="Của Sở", questions=spec)
    with pytest.raises(PermissionDenied):
        services.questionnaire_create(scope=scope_of("so_b"), owner=world.u("so_a"), title="X", questions=spec)
    qn = services.questionnaire_update(
        scope=scope_of("so_a"), questionnaire=qn, status="published", questions=spec + spec
    )
    assert qn.version == 2 and qn.questions.count() == 2
    assert qn in selectors.questionnaires_usable(scope=scope_of("so_a"))
    assert qn not in selectors.questionnaires_usable(scope=scope_of("so_b"))


def test_the_breakdown_of_learners_who_did_not_answer(world, survey, enrol):
    women = enrol(2, gender="F", ethnicity_id="01")  # Kinh, at th_a1: a school in a difficult area
    men = enrol(2, unit="thcs_a2", gender="M", ethnicity_id="02")  # a minority, not a difficult area
    _answer(survey, women[0])
    _answer(survey, men[0])
    # a learner whose own post says otherwise than the school
    Employment.objects.filter(person=women[1]).update(difficult_area=False)
    b = selectors.survey_nonrespondents_breakdown(surveys=Survey.objects.filter(pk=survey.pk))
    # left: women[1], men[1] and the world's learner teacher_a2 (a woman at thcs_a2, Kinh or unknown)
    world_learner = Person.objects.get(pk=world.people["teacher_a2"].pk)
    minority_extra = int(bool(world_learner.ethnicity_id) and world_learner.ethnicity_id != "01")
    assert (b.total, b.women, b.minority, b.difficult) == (3, 2, 1 + minority_extra, 0)
