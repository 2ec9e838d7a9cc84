"""Demo of training delivered (after `bdtx.demo.training`): the teachers' cohort of module 4 ran in
October (7-2-7 from 5/10: its two in-person days on 12–13/10), so it has what such a cohort has by now —
attendance at its sessions, LMS results, the core teachers' and CĐSP Cao Bằng's marks, questions
answered and not, and its completion lists sent to the managing offices: the Sở's own list and the
other communes' approved, xã Hòa An's waiting for the office (the demo account `xa`) to approve.

Deterministic (a seeded random draw), idempotent (a cohort with LMS results is left as it is).
Learners' LMS results and the lists go through the services; the marks of hundreds of learners are
written in bulk, as an import would, and completion recomputed once.
"""

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from bdtx.accounts.selectors import scope_for_user
from bdtx.core.bulk import bulk_insert_values
from bdtx.core.selectors import school_year_current
from bdtx.demo.cao_bang import PROVINCE_CODE as CAO_BANG
from bdtx.demo.training import RAN
from bdtx.training import completion
from bdtx.training.lms import ResultIn, lms_results_import
from bdtx.training.models import (
    ApplicationEvidence,
    Assessor,
    Attendance,
    AttendanceSource,
    Cohort,
    CohortPhase,
    CohortSession,
    CohortStatus,
    CompletionSignal,
    Enrolment,
    EnrolmentStatus,
    LmsResult,
    PhaseKind,
    Question,
    QuestionMessage,
    SignalSource,
    WriterRole,
)
from bdtx.training.questions import classify
from bdtx.training.services import cohort_update

WAITING_OFFICE = "UBND xã Hòa An"  # its list waits for the demo office account `xa`
QUESTIONS = [
    ("Cách xây dựng kế hoạch bài dạy theo chủ đề?", "Thầy cô xem lại mục 2.3 của tài liệu và mẫu phụ lục 4.", 6),
    ("Bài thu hoạch nộp bản Word hay PDF?", "Nộp bản PDF, tối đa 20 MB.", 9),
    ("Em chưa xem được video bài 3 trên LMS", "Thầy cô đăng nhập lại và chọn trình duyệt Chrome.", 11),
    ("Có cần ghi tiết quy đổi vào kế hoạch cá nhân không?", "", 4),
    ("Khi nào có kết quả đánh giá của cơ sở bồi dưỡng?", "", 1),
]


def _cohort(year_id: int) -> Cohort | None:
    return (
        Cohort.objects.filter(
            school_year_id=year_id, organiser__code=CAO_BANG, module__catalog__code=RAN[0], module__code=RAN[1]
        )
        .select_related("organiser", "school_year", "institution")
        .first()
    )


@transaction.atomic
def delivery_demo_load() -> int:
    """What the cohort that ran has by now; returns its learners (0 when already there)."""
    year = school_year_current()
    cohort = _cohort(year.pk)
    if cohort is None or LmsResult.objects.filter(enrolment__cohort=cohort).exists():
        return 0
    rnd = random.Random(4)
    so = scope_for_user(User.objects.get(username="so"))
    learners = list(
        Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ENROLLED)
        .select_related("person", "unit", "group")
        .order_by("id")
    )
    sessions = _schedule(cohort)
    _attendance(sessions, learners, rnd)
    finished = datetime.combine(sessions[-1].ends_at.date() + timedelta(days=7), time(20), tzinfo=UTC)
    # LMS results of the file the operator sent: most passed, a few failed, some still in progress
    results = []
    for e in learners:
        draw = rnd.random()
        passed = True if draw < 0.93 else (False if draw < 0.96 else None)
        score = Decimal(rnd.randint(50 if passed else 20, 100 if passed else 49)) / 10 if passed is not None else None
        progress = 100 if passed is not None else rnd.randint(40, 90)
        results.append(
            ResultIn(e.pk, finished, "demo:lms", progress=progress, passed=passed, score=score),
        )
    lms_results_import(scope=so, cohort=cohort, results=results)
    # the core teachers' and CĐSP's marks, as their grading and the institution's import leave them
    marked = {"source": SignalSource.MANUAL, "recorded_at": finished + timedelta(days=2)}
    have = set(CompletionSignal.objects.filter(enrolment__cohort=cohort).values_list("enrolment_id", "party"))
    rows = []
    for e in learners:
        for party, share in ((Assessor.MENTOR, 0.95), (Assessor.INSTITUTION, 0.93)):
            if (e.pk, party) not in have and rnd.random() < share:
                rows.append({"enrolment_id": e.pk, "party": party, "passed": rnd.random() > 0.03, **marked})
    bulk_insert_values(CompletionSignal, rows)
    completion.completion_recompute(enrolments=Enrolment.objects.filter(cohort=cohort))
    _questions(cohort, learners)
    lists = completion.completion_lists_send(scope=so, cohort=cohort)
    for lst in lists:
        if lst.office.name != WAITING_OFFICE:
            completion.completion_list_approve(scope=so, completion_list=lst)
    _evidence(cohort)
    cohort_update(scope=so, cohort=cohort, status=CohortStatus.CLOSED)
    return len(learners)


def _schedule(cohort: Cohort) -> list[CohortSession]:
    """A morning session on each of the cohort's in-person days, in the institution's hall."""
    tz = timezone.get_current_timezone()
    days = [
        p.starts_on + timedelta(days=i)
        for p in CohortPhase.objects.filter(cohort=cohort, kind=PhaseKind.IN_PERSON)
        for i in range(p.days)
    ]
    return [
        CohortSession.objects.create(
            cohort=cohort,
            venue="Hội trường Trường CĐSP Cao Bằng",
            starts_at=datetime.combine(d, time(7, 30), tzinfo=tz),
            ends_at=datetime.combine(d, time(11, 30), tzinfo=tz),
        )
        for d in days
    ]


def _attendance(sessions: list[CohortSession], learners: list[Enrolment], rnd: random.Random) -> None:
    rows = []
    for s in sessions:
        for e in learners:
            draw = rnd.random()
            mark = "present" if draw < 0.9 else "late" if draw < 0.96 else "excused" if draw < 0.98 else "absent"
            checked_in = mark in ("present", "late") and draw < 0.6
            source = AttendanceSource.CHECK_IN if checked_in else AttendanceSource.ROSTER
            rows.append(Attendance(session=s, enrolment=e, mark=mark, source=source))
    Attendance.objects.bulk_create(rows, batch_size=2000)


def _questions(cohort: Cohort, learners: list[Enrolment]) -> None:
    """A few threads: answered by the core teacher, and two waiting (one for more than 3 days)."""
    asking = [e for e in learners if e.group is not None and e.group.mentor is not None][: len(QUESTIONS)]
    now = timezone.now()
    for e, (title, answer, days_ago) in zip(asking, QUESTIONS, strict=False):
        assert e.group is not None and e.group.mentor is not None
        asked = now - timedelta(days=days_ago)
        q = Question.objects.create(
            cohort=cohort,
            enrolment=e,
            group=e.group,
            unit=e.unit,
            title=title,
            answered_at=asked + timedelta(hours=5) if answer else None,
        )
        Question.objects.filter(pk=q.pk).update(created_at=asked)
        # the module 4 cohort is the teachers' (GV): learner ↔ core teacher on the teachers' side
        kind = classify(audience=q.audience, writer=WriterRole.LEARNER, counterpart=WriterRole.MENTOR)
        QuestionMessage.objects.create(
            question=q, author_name=e.person.full_name, role=WriterRole.LEARNER, kind=kind, body=title
        )
        if answer:
            QuestionMessage.objects.create(
                question=q, author_name=e.group.mentor.full_name, role=WriterRole.MENTOR, kind=kind, body=answer
            )


def _evidence(cohort: Cohort) -> None:
    """The school of a learner on an approved list records a lesson observation."""
    e = (
        Enrolment.objects.filter(cohort=cohort, completed=True, completion_list__status="approved")
        .select_related("unit")
        .order_by("id")
        .first()
    )
    if e is None:
        return
    ApplicationEvidence.objects.create(
        enrolment=e,
        kind="observation",
        observed_on=date(cohort.school_year.start_year, 11, 18),
        description="Dự giờ tiết Tự nhiên và Xã hội lớp 3: kế hoạch bài dạy xây dựng theo mô đun 4, xếp loại Tốt.",
    )
