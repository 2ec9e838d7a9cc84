"""Self-assessment, colleagues' opinions and the evaluation: the rules each write enforces."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from bdtx.core.models import AuditLog
from bdtx.core.scope import SYSTEM
from bdtx.core.selectors import school_year_current
from bdtx.core.tests.factories import EmploymentFactory
from bdtx.people.models import Employment, StaffType
from bdtx.standards import services
from bdtx.standards.models import Assessment, CriterionRating, Level, PeerOpinion
from bdtx.standards.services import SelfRating
from bdtx.standards.tests.conftest import as_person, entries, framework, levels_of, scope_of

pytestmark = pytest.mark.django_db
T, K, D, CD = Level.EXCELLENT, Level.GOOD, Level.MET, Level.NOT_MET


# --- self-assessment ----------------------------------------------------------------------------


def test_a_teacher_gets_the_teachers_standard_and_a_draft_on_first_save(world, self_assess):
    a = self_assess("teacher_a1", None, submit=False, c1=T)
    assert a.framework.code == "tt20_2018_gvpt"
    assert a.status == Assessment.Status.DRAFT and a.self_result is None
    assert a.unit == world.u("th_a1")
    assert CriterionRating.objects.get(assessment=a, criterion__number=1).self_level == T


def test_a_principal_gets_the_principals_standard(world, self_assess):
    assert self_assess("principal_a1", K).framework.code == "tt14_2018_hieutruong"


def test_a_preschool_teacher_gets_the_preschool_standard(world):
    emp = EmploymentFactory(unit=world.u("th_a1"), school_level="MN", staff_type=StaffType.TEACHER)
    a = services.assessment_save_self(
        scope=as_person(emp.person),
        person=emp.person,
        school_year=school_year_current(),
        ratings=entries(framework("tt26_2018_gvmn"), K),
    )
    a = services.assessment_submit(scope=as_person(emp.person), assessment=a)
    assert a.framework.code == "tt26_2018_gvmn" and a.self_result == K


def test_submitting_computes_the_self_rating_by_the_rule(submitted):
    assert submitted.status == Assessment.Status.SUBMITTED
    assert submitted.self_result == K
    assert submitted.submitted_at is not None


def test_a_draft_keeps_the_rating_empty_until_every_criterion_is_rated(self_assess):
    a = self_assess("teacher_a1", T, submit=False, c15=None)
    assert a.self_result is None
    a = self_assess("teacher_a1", T, submit=False)
    assert a.self_result == T and a.status == Assessment.Status.DRAFT


def test_submitting_with_a_criterion_not_rated_is_refused_and_the_draft_stays(self_assess):
    with pytest.raises(ValidationError, match="7"):
        self_assess("teacher_a1", T, c7=None)
    a = Assessment.objects.get()
    assert a.status == Assessment.Status.DRAFT and a.submitted_at is None


def test_a_submitted_self_assessment_can_no_longer_be_changed_nor_submitted_again(submitted, self_assess):
    with pytest.raises(ValidationError):
        self_assess("teacher_a1", T, submit=False)
    with pytest.raises(ValidationError):
        services.assessment_submit(scope=as_person(submitted.person), assessment=submitted)
    submitted.refresh_from_db()
    assert submitted.self_result == K


def test_someone_without_a_job_this_year_cannot_self_assess(world):
    Employment.objects.filter(person=world.people["teacher_a1"]).delete()
    with pytest.raises(ValidationError):
        services.assessment_save_self(
            scope=as_person(world.people["teacher_a1"]),
            person=world.people["teacher_a1"],
            school_year=school_year_current(),
            ratings={},
        )


def test_evidence_is_kept_as_text_link_and_stored_file(world, tt20):
    c3 = tt20.standards.get(number=2).criteria.get(number=3)
    a = services.assessment_save_self(
        scope=as_person(world.people["teacher_a1"]),
        person=world.people["teacher_a1"],
        school_year=school_year_current(),
        ratings={
            c3.pk: SelfRating(
                level=T,
                evidence_text="  Chuyên đề cấp trường  ",
                evidence_link="https://example.edu.vn/chuyen-de",
                evidence_file=SimpleUploadedFile("giao-an.pdf", b"%PDF-1.4 demo"),
            )
        },
    )
    r = a.ratings.get(criterion=c3)
    assert r.evidence_text == "Chuyên đề cấp trường"
    assert r.evidence_link == "https://example.edu.vn/chuyen-de"
    assert r.evidence_file.read() == b"%PDF-1.4 demo"


def test_saving_and_submitting_are_audited_with_the_rating_change(world, self_assess):
    self_assess("teacher_a1", K, submit=False)
    a = self_assess("teacher_a1", K)
    log = AuditLog.objects.filter(object_uuid=a.uuid)
    assert list(log.order_by("id").values_list("action", flat=True)) == [
        "assessment.save",
        "assessment.save",
        "assessment.submit",
    ]
    assert log.get(action="assessment.submit").changes["status"] == ["draft", "submitted"]
    assert log.first().unit_path == world.u("th_a1").path


# --- colleagues' opinions -----------------------------------------------------------------------


def test_a_colleague_of_the_same_school_adds_an_opinion(world, submitted):
    op = services.opinion_add(
        scope=as_person(world.people["colleague_a1"]), assessment=submitted, text="Nhiệt tình, chủ động."
    )
    assert PeerOpinion.objects.get() == op
    assert AuditLog.objects.filter(action="assessment.opinion", object_uuid=submitted.uuid).exists()


def test_a_teacher_of_another_school_cannot_give_an_opinion(world, submitted):
    with pytest.raises(PermissionDenied):
        services.opinion_add(scope=as_person(world.people["teacher_a2"]), assessment=submitted, text="x")


def test_nobody_gives_an_opinion_on_their_own_self_assessment(world, submitted):
    with pytest.raises(ValidationError):
        services.opinion_add(scope=as_person(world.people["teacher_a1"]), assessment=submitted, text="x")


def test_opinions_wait_for_the_submission(world, self_assess):
    draft = self_assess("teacher_a1", K, submit=False)
    with pytest.raises(ValidationError):
        services.opinion_add(scope=as_person(world.people["colleague_a1"]), assessment=draft, text="x")


def test_an_empty_opinion_is_refused(world, submitted):
    with pytest.raises(ValidationError):
        services.opinion_add(scope=as_person(world.people["colleague_a1"]), assessment=submitted, text="  ")


# --- evaluation ---------------------------------------------------------------------------------


def test_the_principal_evaluates_a_teacher_and_the_rule_gives_the_result(world, submitted, tt20):
    user = world.users["principal_a1"]
    a = services.assessment_evaluate(
        scope=scope_of(user),
        assessment=submitted,
        levels=levels_of(tt20, T, c14=K, c15=K, c1=K, c2=K, c8=K),  # 10 of 15 at Tốt, key all Tốt
        comment="Đạt chuẩn mức tốt.",
    )
    assert a.status == Assessment.Status.EVALUATED
    assert a.principal_result == T and a.self_result == K
    assert a.evaluated_by == user
    assert a.ratings.get(criterion__number=14).principal_level == K
    entry = AuditLog.objects.get(action="assessment.evaluate", object_uuid=a.uuid)
    assert entry.changes["principal_result"] == [None, T]


def test_the_evaluation_needs_every_criterion(world, submitted, tt20):
    user = world.users["principal_a1"]
    with pytest.raises(ValidationError):
        services.assessment_evaluate(scope=scope_of(user), assessment=submitted, levels=levels_of(tt20, T, c9=None))
    submitted.refresh_from_db()
    assert submitted.status == Assessment.Status.SUBMITTED


def test_a_draft_cannot_be_evaluated(world, self_assess, tt20):
    draft = self_assess("teacher_a1", K, submit=False)
    user = world.users["principal_a1"]
    with pytest.raises(PermissionDenied):
        services.assessment_evaluate(scope=scope_of(user), assessment=draft, levels=levels_of(tt20, K))


@pytest.mark.parametrize("evaluator", ["principal_a2", "principal_b1", "teacher_a1", "ministry"])
def test_only_the_teachers_own_principal_evaluates_them(world, submitted, tt20, evaluator):
    user = world.users[evaluator]
    with pytest.raises(PermissionDenied):
        services.assessment_evaluate(scope=scope_of(user), assessment=submitted, levels=levels_of(tt20, K))


def test_the_principal_is_evaluated_by_the_managing_office_not_by_the_school(world, self_assess, tt14):
    own = self_assess("principal_a1", K)
    school = world.users["principal_a1"]
    with pytest.raises(PermissionDenied):
        services.assessment_evaluate(scope=scope_of(school), assessment=own, levels=levels_of(tt14, T))
    office = world.users["xa_a1"]  # the commune now managing th_a1
    a = services.assessment_evaluate(scope=scope_of(office), assessment=own, levels=levels_of(tt14, T))
    assert a.principal_result == T


def test_nobody_evaluates_their_own_assessment(world, submitted, tt20):
    from bdtx.accounts.models import Role
    from bdtx.accounts.services import role_assign

    teacher = world.users["teacher_a1"]
    role_assign(scope=SYSTEM, user=teacher, unit=world.u("th_a1"), role=Role.SCHOOL_ADMIN)
    with pytest.raises(PermissionDenied):
        services.assessment_evaluate(scope=scope_of(teacher), assessment=submitted, levels=levels_of(tt20, T))


def test_an_office_above_the_school_does_not_evaluate_its_teachers(world, submitted, tt20):
    office = world.users["xa_a1"]
    with pytest.raises(PermissionDenied):
        services.assessment_evaluate(scope=scope_of(office), assessment=submitted, levels=levels_of(tt20, K))


def test_the_audit_log_names_the_standards_actions_in_words(submitted):
    entry = AuditLog.objects.filter(action="assessment.submit").get()
    assert entry.action_label != "assessment.submit"


def test_nobody_writes_or_hands_in_another_persons_self_assessment(world, self_assess):
    draft = self_assess("teacher_a1", K, submit=False)
    principal = scope_of(world.users["principal_a1"])
    with pytest.raises(PermissionDenied):
        services.assessment_submit(scope=principal, assessment=draft)
    with pytest.raises(PermissionDenied):
        services.assessment_save_self(
            scope=as_person(world.people["colleague_a1"]),
            person=world.people["teacher_a1"],
            school_year=school_year_current(),
            ratings={},
        )
    draft.refresh_from_db()
    assert draft.status == Assessment.Status.DRAFT


def test_an_opinion_needs_a_person_to_write_it(world, submitted):
    with pytest.raises(PermissionDenied):
        services.opinion_add(scope=SYSTEM, assessment=submitted, text="Ai viết?")
