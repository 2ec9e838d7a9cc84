"""The three-way completion (issue 9, seed 003 3.3): each signal missing, the attendance threshold,
the institution's mark from the scores at the pass mark, the lists sent to each managing office, the
office's approval and the lock after it, evidence of application; scope (404 outside, 403 inside
without the right) and constant queries of every page."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bdtx.core.models import AuditLog
from bdtx.core.scope import SYSTEM
from bdtx.plans.models import PersonalPlan
from bdtx.training import completion as c
from bdtx.training.lms import ResultIn, lms_results_import
from bdtx.training.models import (
    ApplicationEvidence,
    AssessmentComponent,
    Assessor,
    Attendance,
    CohortSession,
    CompletionList,
    CompletionListStatus,
    CompletionSignal,
    Enrolment,
    EnrolmentStatus,
    Score,
    ScoreSource,
    SignalSource,
)
from bdtx.training.services import enrolment_bulk_from_plans, groups_split

from .conftest import approve, cohort, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw(world, mods):  # type: ignore[no-untyped-def]
    """A cohort of the Sở of province A assessed by the institution cs_dt: three learners of th_a1
    (managed by the commune xa_a1) and two of thpt_a (managed by the Sở directly), in groups."""
    a1 = [world.people["teacher_a1"], *staff(world.u("th_a1"), 2)]
    thpt = staff(world.u("thpt_a"), 2, level="THPT")
    for p in a1:
        approve(p, world.u("th_a1"), mods.gv)
    for p in thpt:
        approve(p, world.u("thpt_a"), mods.gv)
    co = cohort(world, mods, institution=world.u("cs_dt"), starts_on=date.today() + timedelta(days=3))
    enrolment_bulk_from_plans(scope=SYSTEM, cohort=co)
    groups_split(scope=SYSTEM, cohort=co)
    return co


def _e(co, person):  # type: ignore[no-untyped-def]
    return Enrolment.objects.select_related("cohort", "unit", "group", "completion_list", "person").get(
        cohort=co, person=person
    )


def _lms(co, e, passed=True):  # type: ignore[no-untyped-def]
    lms_results_import(
        scope=SYSTEM,
        cohort=co,
        results=[ResultIn(enrolment_id=e.pk, recorded_at=timezone.now(), reference="t", passed=passed)],
    )


def _mark(e, party, passed=True, reason=""):  # type: ignore[no-untyped-def]
    c.signal_write(scope=SYSTEM, enrolment=e, party=party, passed=passed, source=SignalSource.MANUAL, reason=reason)


def _all_three(co, e):  # type: ignore[no-untyped-def]
    _lms(co, e)
    _mark(e, Assessor.MENTOR)
    _mark(e, Assessor.INSTITUTION)


def _completed(e) -> bool:  # type: ignore[no-untyped-def]
    return Enrolment.objects.get(pk=e.pk).completed


# --- the rule ---------------------------------------------------------------------------------------


def test_a_module_is_completed_only_when_all_three_marked_it_passed(world, cw):
    e = _e(cw, world.people["teacher_a1"])
    _lms(cw, e)
    assert not _completed(e)  # the LMS alone
    _mark(e, Assessor.MENTOR)
    assert not _completed(e)  # the institution still missing
    _mark(e, Assessor.INSTITUTION)
    assert _completed(e)


@pytest.mark.parametrize("missing", ["lms", "mentor", "institution"])
def test_each_missing_signal_keeps_the_module_open(world, cw, missing):
    e = _e(cw, world.people["teacher_a1"])
    if missing != "lms":
        _lms(cw, e)
    for party in (Assessor.MENTOR, Assessor.INSTITUTION):
        if party != missing:
            _mark(e, party)
    assert not _completed(e)
    rows = c.completion_rows(cohort=cw, missing=missing)
    assert e.pk in {r.pk for r in rows}


def test_a_signal_turned_to_not_passed_undoes_completion(world, cw):
    e = _e(cw, world.people["teacher_a1"])
    _all_three(cw, e)
    assert _completed(e)
    _lms(cw, e, passed=False)  # the LMS's latest result is what counts
    assert not _completed(e)


def test_the_attendance_threshold_feeds_completion(world, cw):
    """5 sessions at 80 %: 4 attended completes, 3 does not."""
    e = _e(cw, world.people["teacher_a1"])
    start = timezone.now() - timedelta(days=10)
    sessions = [
        CohortSession.objects.create(
            cohort=cw,
            venue="Hội trường",
            starts_at=start + timedelta(days=i),
            ends_at=start + timedelta(days=i, hours=3),
        )
        for i in range(5)
    ]
    for s in sessions[:3]:
        Attendance.objects.create(session=s, enrolment=e, mark="present", source="roster")
    Attendance.objects.create(session=sessions[3], enrolment=e, mark="absent", source="roster")
    _all_three(cw, e)
    assert not _completed(e)
    Attendance.objects.filter(session=sessions[3], enrolment=e).update(mark="late")  # late counts as attended
    c.completion_recompute(enrolments=Enrolment.objects.filter(pk=e.pk))
    assert _completed(e)
    row = c.completion_rows(cohort=cw).get(pk=e.pk)
    assert (row.attended, row.required) == (4, 4)


def test_withdrawn_learners_are_never_completed(world, cw):
    e = _e(cw, world.people["teacher_a1"])
    _all_three(cw, e)
    Enrolment.objects.filter(pk=e.pk).update(status=EnrolmentStatus.WITHDRAWN)
    c.completion_recompute(enrolments=Enrolment.objects.filter(cohort=cw))
    assert not _completed(e)


def test_each_signal_keeps_its_source_and_time(world, cw):
    e = _e(cw, world.people["teacher_a1"])
    _all_three(cw, e)
    row = c.completion_rows(cohort=cw).get(pk=e.pk)
    assert row.lms_source == "import" and row.lms_at is not None
    assert row.mentor_source == SignalSource.MANUAL and row.institution_at is not None


def test_recomputation_is_set_based_and_writes_only_what_changes(world, cw, django_assert_max_num_queries):
    for e in Enrolment.objects.filter(cohort=cw).select_related("cohort", "unit", "group", "completion_list")[:2]:
        _all_three(cw, e)
    Enrolment.objects.filter(cohort=cw).update(completed=False)
    # the cohorts, their sessions, the years, a year's rule, then two UPDATEs, then the year results
    # told (the people concerned, their results not yet recognised) — whatever the size
    with django_assert_max_num_queries(8):
        assert c.completion_recompute(enrolments=Enrolment.objects.filter(cohort=cw)) == 2
    assert c.completion_recompute(enrolments=Enrolment.objects.filter(cohort=cw)) == 0


# --- the institution's mark from the scores ----------------------------------------------------------


def _score(e, component, value):  # type: ignore[no-untyped-def]
    Score.objects.update_or_create(
        enrolment=e,
        component=component,
        defaults={"value": Decimal(value), "source": ScoreSource.GRID, "entered_at": timezone.now()},
    )


def test_the_institution_marks_passed_those_whose_scores_reach_exactly_the_pass_mark(world, cw, scope_of):
    research = AssessmentComponent.objects.create(
        cohort=cw, position=5, kind="research", name="Bài tập nghiên cứu", assessed_by=Assessor.INSTITUTION
    )
    practice = AssessmentComponent.objects.get(cohort=cw, kind="practice")
    at5, below, partial = (_e(cw, p) for p in cw.enrolments.order_by("id").values_list("person", flat=True)[:3])
    for e, values in ((at5, ("5.00", "5.00")), (below, ("4.99", "9"))):
        _score(e, practice, values[0])
        _score(e, research, values[1])
    _score(partial, practice, "8")  # no research score yet
    n = c.completion_mark_from_scores(scope=scope_of("institution"), cohort=cw)
    assert n == 1
    marked = set(
        CompletionSignal.objects.filter(party=Assessor.INSTITUTION, passed=True).values_list("enrolment", flat=True)
    )
    assert marked == {at5.pk}
    assert CompletionSignal.objects.get(enrolment=at5).source == SignalSource.SCORES
    assert AuditLog.objects.filter(action="completion.mark_scores").exists()


def test_only_the_assessing_institution_marks_its_pass(world, cw, scope_of):
    e = _e(cw, world.people["teacher_a1"])
    with pytest.raises(PermissionDenied):
        c.completion_mark(scope=scope_of("principal_a1"), enrolment=e, party=Assessor.INSTITUTION, passed=True)
    c.completion_mark(scope=scope_of("institution"), enrolment=e, party=Assessor.INSTITUTION, passed=True)
    with pytest.raises(ValidationError):
        c.completion_mark(scope=scope_of("institution"), enrolment=e, party=Assessor.LMS, passed=True)


def test_only_the_learners_core_teacher_marks_the_core_teachers_pass(world, cw, scope_of):
    e = _e(cw, world.people["teacher_a1"])
    with pytest.raises(PermissionDenied):
        c.completion_mark(scope=scope_of("institution"), enrolment=e, party=Assessor.MENTOR, passed=True)


# --- lists, approval, lock ----------------------------------------------------------------------------


def test_the_lists_go_to_each_schools_managing_office(world, cw, scope_of):
    lists = c.completion_lists_send(scope=scope_of("so_a"), cohort=cw)
    offices = {lst.office_id: lst.learners for lst in lists}
    assert offices == {world.u("xa_a1").pk: 3, world.u("so_a").pk: 2}  # the commune for th_a1, the Sở for THPT
    assert all(lst.status == CompletionListStatus.SUBMITTED for lst in lists)
    with pytest.raises(PermissionDenied):
        c.completion_lists_send(scope=scope_of("institution"), cohort=cw)


def test_approval_locks_the_list_and_a_correction_needs_a_reason(world, cw, scope_of):
    e = _e(cw, world.people["teacher_a1"])
    _all_three(cw, e)
    c.completion_lists_send(scope=scope_of("so_a"), cohort=cw)
    lst = CompletionList.objects.get(cohort=cw, office=world.u("xa_a1"))
    with pytest.raises(PermissionDenied):
        c.completion_list_approve(scope=scope_of("principal_a1"), completion_list=lst)
    lst = c.completion_list_approve(scope=scope_of("xa_a1"), completion_list=lst)
    assert lst.locked and (lst.learners, lst.completed) == (3, 1)
    e = _e(cw, world.people["teacher_a1"])
    assert c.is_locked(e)
    # a new LMS result does not change what the office approved
    _lms(cw, e, passed=False)
    assert _completed(e)
    with pytest.raises(ValidationError):
        c.completion_mark(scope=scope_of("institution"), enrolment=e, party=Assessor.INSTITUTION, passed=False)
    c.completion_mark(
        scope=scope_of("institution"), enrolment=e, party=Assessor.INSTITUTION, passed=False, reason="Chấm lại"
    )
    assert not _completed(e)
    entry = AuditLog.objects.filter(action="completion.mark").latest("id")
    assert entry.note == "Chấm lại"
    assert CompletionList.objects.get(pk=lst.pk).completed == 0  # the list's count follows the correction
    with pytest.raises(ValidationError):  # approved once
        c.completion_list_approve(scope=scope_of("xa_a1"), completion_list=lst)


def test_a_returned_list_needs_a_reason_and_goes_again(world, cw, scope_of):
    c.completion_lists_send(scope=scope_of("so_a"), cohort=cw)
    lst = CompletionList.objects.get(cohort=cw, office=world.u("xa_a1"))
    with pytest.raises(ValidationError):
        c.completion_list_return(scope=scope_of("xa_a1"), completion_list=lst, reason=" ")
    c.completion_list_return(scope=scope_of("xa_a1"), completion_list=lst, reason="Thiếu điểm bài thu hoạch")
    assert CompletionList.objects.get(pk=lst.pk).status == CompletionListStatus.RETURNED
    c.completion_lists_send(scope=scope_of("so_a"), cohort=cw)
    assert CompletionList.objects.get(pk=lst.pk).status == CompletionListStatus.SUBMITTED


def test_an_approved_list_is_not_sent_again(world, cw, scope_of):
    c.completion_lists_send(scope=scope_of("so_a"), cohort=cw)
    for lst in CompletionList.objects.filter(cohort=cw):
        c.completion_list_approve(scope=SYSTEM, completion_list=lst)
    with pytest.raises(ValidationError):
        c.completion_lists_send(scope=scope_of("so_a"), cohort=cw)


# --- evidence of application ------------------------------------------------------------------------------


def test_the_school_records_evidence_for_a_completed_module_only(world, cw, scope_of):
    e = _e(cw, world.people["teacher_a1"])
    kw = {"kind": "observation", "observed_on": date(2026, 11, 20), "description": "Dự giờ tiết Toán lớp 4"}
    with pytest.raises(ValidationError):
        c.evidence_add(scope=scope_of("principal_a1"), enrolment=e, **kw)
    _all_three(cw, e)
    e = _e(cw, world.people["teacher_a1"])
    with pytest.raises(PermissionDenied):
        c.evidence_add(scope=scope_of("principal_a2"), enrolment=e, **kw)
    ev = c.evidence_add(scope=scope_of("principal_a1"), enrolment=e, **kw)
    assert ev.recorded_by_id == world.users["principal_a1"].pk
    hostile = SimpleUploadedFile("bai.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf")
    with pytest.raises(ValidationError):
        c.evidence_add(scope=scope_of("principal_a1"), enrolment=e, upload=hostile, **kw)
    with pytest.raises(ValidationError):
        c.evidence_add(
            scope=scope_of("principal_a1"), enrolment=e, **{**kw, "observed_on": date.today() + timedelta(days=2)}
        )


# --- pages ----------------------------------------------------------------------------------------------------


def test_completion_pages_outside_the_scope_answer_404(world, cw, login, scope_of, client):
    c.completion_lists_send(scope=scope_of("so_a"), cohort=cw)
    lst = CompletionList.objects.get(cohort=cw, office=world.u("xa_a1"))
    e = _e(cw, world.people["teacher_a1"])
    ev = ApplicationEvidence.objects.create(
        enrolment=e,
        kind="product",
        observed_on=date(2026, 11, 1),
        description="x",
        file=SimpleUploadedFile("a.txt", b"x"),
    )
    login(world.users["so_b"])
    assert client.get(reverse("training:completion", args=[cw.uuid])).status_code == 404
    assert client.get(reverse("training:completion_list", args=[lst.uuid])).status_code == 404
    assert client.post(reverse("training:completion_list", args=[lst.uuid]), {"action": "approve"}).status_code == 404
    assert client.get(reverse("training:evidence_add", args=[e.uuid])).status_code == 404
    assert client.get(reverse("training:evidence_file", args=[ev.uuid])).status_code == 404


def test_completion_pages_inside_the_scope_without_the_right_answer_403(world, cw, login, scope_of, client):
    c.completion_lists_send(scope=scope_of("so_a"), cohort=cw)
    lst = CompletionList.objects.get(cohort=cw, office=world.u("xa_a1"))
    e = _e(cw, world.people["teacher_a1"])
    login(world.users["institution"])  # sees the cohort it assesses, does not organise it
    assert client.post(reverse("training:completion", args=[cw.uuid]), {"action": "send"}).status_code == 403
    login(world.users["ministry"])  # sees the list, does not approve it
    assert client.get(reverse("training:completion_list", args=[lst.uuid])).status_code == 200
    assert client.post(reverse("training:completion_list", args=[lst.uuid]), {"action": "approve"}).status_code == 403
    assert client.get(reverse("training:completion_lists")).status_code == 403
    assert client.get(reverse("training:evidence_add", args=[e.uuid])).status_code == 403
    login(world.users["teacher_a1"])
    assert client.get(reverse("training:evidence")).status_code == 403
    login(world.users["so_a"])
    assert (
        client.post(reverse("training:completion", args=[cw.uuid]), {"action": "from_scores"}).status_code == 403
    )  # the institution assesses this cohort, not its organiser


def test_the_office_approves_from_its_page_and_the_learner_sees_the_module_completed(
    world, cw, login, scope_of, client
):
    e = _e(cw, world.people["teacher_a1"])
    _all_three(cw, e)
    login(world.users["so_a"])
    r = client.post(reverse("training:completion", args=[cw.uuid]), {"action": "send"}, follow=True)
    assert "UBND xã Đông" in r.content.decode()
    lst = CompletionList.objects.get(cohort=cw, office=world.u("xa_a1"))
    login(world.users["xa_a1"])
    page = client.get(reverse("training:completion_lists")).content.decode()
    assert cw.name in page
    r = client.post(reverse("training:completion_list", args=[lst.uuid]), {"action": "approve"}, follow=True)
    assert 'data-status="approved"' in r.content.decode()
    login(world.users["teacher_a1"])
    home = client.get("/").content.decode()
    assert 'data-completion="approved"' in home and "UBND xã Đông" in home


def test_the_institution_marks_a_learner_from_the_completion_page(world, cw, login, client):
    e = _e(cw, world.people["teacher_a1"])
    login(world.users["institution"])
    url = reverse("training:completion", args=[cw.uuid])
    r = client.post(url, {"action": "mark", "enrolment": str(e.uuid), "passed": "1"})
    assert r.status_code == 302
    assert CompletionSignal.objects.get(enrolment=e, party=Assessor.INSTITUTION).passed is True
    page = client.get(url + "?missing=lms").content.decode()
    assert e.person.full_name in page


def test_the_completion_page_runs_a_constant_number_of_queries(world, mods, login, scope_of, client):
    def count(n: int) -> int:
        people = staff(world.u("th_a1"), n)
        for p in people:
            approve(p, world.u("th_a1"), mods.gv if n < 5 else mods.ql)
        co = cohort(world, mods, name=f"Lớp {n}", module=mods.gv if n < 5 else mods.ql)
        enrolment_bulk_from_plans(scope=SYSTEM, cohort=co)
        groups_split(scope=SYSTEM, cohort=co)
        for e in Enrolment.objects.filter(cohort=co).select_related("cohort", "unit", "group", "completion_list"):
            _all_three(co, e)
        c.completion_lists_send(scope=scope_of("so_a"), cohort=co)
        login(world.users["so_a"])
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("training:completion", args=[co.uuid])).status_code == 200
        lst = CompletionList.objects.filter(cohort=co).first()
        with CaptureQueriesContext(connection) as ctx2:
            assert client.get(reverse("training:completion_list", args=[lst.uuid])).status_code == 200
        return len(ctx.captured_queries) + len(ctx2.captured_queries)

    assert count(2) == count(12)


def test_the_evidence_pages_record_and_serve_a_file(world, cw, login, client):
    e = _e(cw, world.people["teacher_a1"])
    _all_three(cw, e)
    login(world.users["principal_a1"])
    assert e.person.full_name in client.get(reverse("training:evidence")).content.decode()
    pdf = SimpleUploadedFile("san-pham.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    r = client.post(
        reverse("training:evidence_add", args=[e.uuid]),
        {"kind": "product", "observed_on": "2026-11-20", "description": "Giáo án STEM", "upload": pdf},
    )
    assert r.status_code == 302
    ev = ApplicationEvidence.objects.get(enrolment=e)
    r = client.get(reverse("training:evidence_file", args=[ev.uuid]))
    assert r.status_code == 200 and "san-pham.pdf" in r["Content-Disposition"]


def test_lms_results_arriving_recompute_completion(world, cw):
    e = _e(cw, world.people["teacher_a1"])
    _mark(e, Assessor.MENTOR)
    _mark(e, Assessor.INSTITUTION)
    assert not _completed(e)
    _lms(cw, e)
    assert _completed(e)
    assert datetime.now().year >= 2026


def test_a_learner_on_an_approved_list_is_neither_withdrawn_nor_moved(world, cw, mods, scope_of):
    from bdtx.training.services import enrolment_move, enrolment_withdraw

    other = cohort(world, mods, name="Lớp mô đun 4 — đợt 2")
    c.completion_lists_send(scope=scope_of("so_a"), cohort=cw)
    lst = CompletionList.objects.get(cohort=cw, office=world.u("xa_a1"))
    c.completion_list_approve(scope=scope_of("xa_a1"), completion_list=lst)
    e = _e(cw, world.people["teacher_a1"])
    with pytest.raises(ValidationError):
        enrolment_withdraw(scope=scope_of("so_a"), enrolment=e, reason="Nghỉ")
    with pytest.raises(ValidationError):
        enrolment_move(scope=scope_of("so_a"), enrolment=e, to=other, reason="Gần nhà")


def test_a_core_teachers_plan_page_shows_their_tiet_quy_doi(world, cw, mods, client, login):
    from bdtx.training.models import SupportGroup

    group = SupportGroup.objects.filter(cohort=cw, mentor__isnull=False).select_related("mentor").first()
    assert group is not None
    mentor_unit = group.mentor.employments.select_related("unit").first().unit
    plan = PersonalPlan.objects.filter(person=group.mentor, school_year=mods.year).first() or approve(
        group.mentor, mentor_unit, mods.ql
    )
    login(world.users["so_a"])
    page = client.get(reverse("plans:detail", args=[plan.uuid])).content.decode()
    assert 'id="plan-mentor-hours"' in page
    learners = Enrolment.objects.filter(group__mentor=group.mentor, status=EnrolmentStatus.ENROLLED).count()
    assert f"{learners} học viên" in page
    other = PersonalPlan.objects.get(person=world.people["teacher_a1"], school_year=mods.year)
    assert 'id="plan-mentor-hours"' not in client.get(reverse("plans:detail", args=[other.uuid])).content.decode()


def test_a_sent_lists_counts_follow_lms_results_and_withdrawals(world, cw, scope_of):
    """The counts a list shows (lists page, cohort page) stay those of its learners as data arrives."""
    from bdtx.training.services import enrolment_withdraw

    c.completion_lists_send(scope=scope_of("so_a"), cohort=cw)
    e = _e(cw, world.people["teacher_a1"])
    _mark(e, Assessor.MENTOR)
    _mark(e, Assessor.INSTITUTION)
    _lms(cw, e)  # the third mark arrives by an LMS file
    lst = CompletionList.objects.get(cohort=cw, office=world.u("xa_a1"))
    assert (lst.learners, lst.completed) == (3, 1)
    other = _e(cw, staff_of(cw, exclude=e))
    enrolment_withdraw(scope=scope_of("so_a"), enrolment=other, reason="Nghỉ hưu")
    assert CompletionList.objects.get(pk=lst.pk).learners == 2


def staff_of(co, *, exclude):  # type: ignore[no-untyped-def]
    """Another learner of the cohort's list at th_a1."""
    return (
        Enrolment.objects.filter(cohort=co, unit__code="TH-A1", status=EnrolmentStatus.ENROLLED)
        .exclude(pk=exclude.pk)
        .values_list("person", flat=True)
        .first()
    )
