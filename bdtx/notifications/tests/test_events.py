"""Each event the services tell: a personal plan returned or approved (to its person), a unit plan
returned or approved (to the unit's deciders), a question answered (to the learner who asked), a
completion list returned or approved (to whoever sent it)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from bdtx.core.models import SchoolYear
from bdtx.notifications.models import Notification
from bdtx.plans.models import PersonalPlan, PlanStatus, UnitPlan
from bdtx.plans.personal import services as personal
from bdtx.plans.unit import services as unit_services
from bdtx.regimes.models import Regime
from bdtx.training import completion
from bdtx.training import questions as q
from bdtx.training.models import CompletionList
from bdtx.training.tests.conftest import mods  # noqa: F401 (a fixture)
from bdtx.training.tests.test_questions import klass, learner_scope  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def _submitted_plan(world) -> PersonalPlan:  # type: ignore[no-untyped-def]
    year = SchoolYear.of(2026)
    return PersonalPlan.objects.create(
        person=world.people["teacher_a1"],
        unit=world.u("th_a1"),
        school_year=year,
        regime=Regime.objects.for_year(year),
        status=PlanStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )


def test_a_returned_plan_tells_its_person_with_what_to_change(world, scope_of):
    plan = _submitted_plan(world)
    personal.plan_return(scope=scope_of("principal_a1"), plan=plan, comment="Thêm mô đun 20 tiết")
    n = Notification.objects.get()
    assert (n.user, n.kind) == (world.users["teacher_a1"], "plan.returned")
    assert n.title == "Kế hoạch BDTX năm học 2026-2027 của bạn đã bị trả lại"
    assert n.body == "Nội dung cần sửa: Thêm mô đun 20 tiết"
    assert n.url == reverse("plans:detail", kwargs={"uuid": plan.uuid})


def test_returned_again_after_a_resubmission_tells_again_and_approval_too(world, scope_of):
    plan = _submitted_plan(world)
    personal.plan_return(scope=scope_of("principal_a1"), plan=plan, comment="Sửa lần 1")
    PersonalPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.SUBMITTED)
    personal.plan_return(scope=scope_of("principal_a1"), plan=plan, comment="Sửa lần 2")
    PersonalPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.SUBMITTED)
    personal.plan_approve(scope=scope_of("principal_a1"), plan=plan)
    kinds = list(Notification.objects.order_by("id").values_list("kind", flat=True))
    assert kinds == ["plan.returned", "plan.returned", "plan.approved"]
    assert Notification.objects.get(kind="plan.approved").body == ""


def test_a_unit_plan_decision_tells_the_units_deciders(world, scope_of):
    plan = UnitPlan.objects.create(
        unit=world.u("th_a1"), school_year=SchoolYear.of(2026), status=PlanStatus.SUBMITTED, submitted_at=timezone.now()
    )
    unit_services.unit_plan_return(scope=scope_of("xa_a1"), plan=plan, comment="Bổ sung số liệu")
    n = Notification.objects.get()
    assert (n.user, n.kind) == (world.users["principal_a1"], "unit_plan.returned")
    assert "Trường Tiểu học Đông" in n.title and n.body == "Nội dung cần sửa: Bổ sung số liệu"
    UnitPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.SUBMITTED)
    unit_services.unit_plan_approve(scope=scope_of("xa_a1"), plan=plan)
    assert set(Notification.objects.values_list("user__username", "kind")) == {
        ("principal_a1", "unit_plan.returned"),
        ("principal_a1", "unit_plan.approved"),
    }


def test_the_first_answer_tells_the_asker_once(world, klass, scope_of):  # noqa: F811
    _c, question = klass
    q.question_reply(scope=scope_of("teacher_a1"), question=question, body="Em bổ sung thêm.")
    assert not Notification.objects.exists()  # the asker's own reply answers nothing
    q.question_reply(scope=scope_of("mentor_a1"), question=question, body="Theo Công văn 5512.")
    q.question_reply(scope=scope_of("institution"), question=question, body="Xem thêm phụ lục IV.")
    n = Notification.objects.get()
    assert (n.user, n.kind) == (world.users["teacher_a1"], "question.answered")
    assert n.title == "Câu hỏi của bạn đã được trả lời: Kế hoạch bài dạy theo mẫu nào?"
    assert n.url == reverse("training:question", kwargs={"uuid": question.uuid})


def test_a_completion_list_decision_tells_who_sent_it(world, scope_of):
    lst = CompletionList.objects.get(cohort__organiser=world.u("so_a"))
    CompletionList.objects.filter(pk=lst.pk).update(submitted_by=world.users["so_a"])
    completion.completion_list_return(scope=scope_of("so_a"), completion_list=lst, reason="Thiếu điểm")
    n = Notification.objects.get()
    assert (n.user, n.kind, n.body) == (world.users["so_a"], "completion.returned", "Lý do: Thiếu điểm")
    assert n.url == reverse("training:completion_list", kwargs={"uuid": lst.uuid})
    CompletionList.objects.filter(pk=lst.pk).update(status="submitted")
    completion.completion_list_approve(scope=scope_of("so_a"), completion_list=lst)
    assert Notification.objects.filter(kind="completion.approved", user=world.users["so_a"]).count() == 1
