"""Fixtures of the survey tests: the Sở's cohort of the test world, learners with accounts enrolled
in it, a published questionnaire and a survey open today."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.utils import timezone

from bdtx.accounts.models import Role
from bdtx.accounts.services import role_assign
from bdtx.core.scope import SYSTEM
from bdtx.core.tests.factories import EmploymentFactory, UserFactory
from bdtx.people.models import Person
from bdtx.surveys.models import QuestionKind, Questionnaire, QuestionnaireStatus, Survey
from bdtx.surveys.services import QuestionSpec, questionnaire_create, survey_attach
from bdtx.training.models import Cohort, Enrolment, SupportGroup


@pytest.fixture
def cohort(world) -> Cohort:  # type: ignore[no-untyped-def]
    return Cohort.objects.select_related("organiser", "institution").get(organiser=world.u("so_a"))


@pytest.fixture
def enrol(world, cohort) -> Callable[..., list[Person]]:  # type: ignore[no-untyped-def]
    """enrol(n, unit="th_a1", **person fields) → n new learners with accounts, enrolled in the cohort."""
    group = SupportGroup.objects.get(cohort=cohort, number=1)

    def _enrol(n: int, unit: str = "th_a1", **person: object) -> list[Person]:
        out = []
        for _i in range(n):
            p = EmploymentFactory(unit=world.u(unit), **{f"person__{k}": v for k, v in person.items()}).person
            user = UserFactory()
            role_assign(scope=SYSTEM, user=user, unit=world.u(unit), role=Role.LEARNER)
            Person.objects.filter(pk=p.pk).update(user=user, email=f"{user.username}@example.org")
            p.refresh_from_db()
            Enrolment.objects.create(
                cohort=cohort, person=p, unit=world.u(unit), school_year=cohort.school_year, group=group
            )
            out.append(p)
        return out

    return _enrol


@pytest.fixture
def questionnaire(world) -> Questionnaire:  # type: ignore[no-untyped-def]
    """One satisfaction question, a choice, an open question."""
    return questionnaire_create(
        scope=SYSTEM,
        owner=None,
        title="Phiếu thử",
        status=QuestionnaireStatus.PUBLISHED,
        questions=[
            QuestionSpec(QuestionKind.LIKERT5, "Tôi hài lòng với mô đun.", counts_for_satisfaction=True),
            QuestionSpec(QuestionKind.SINGLE, "Thiết bị?", choices=("Điện thoại", "Máy tính")),
            QuestionSpec(QuestionKind.OPEN, "Góp ý?", required=False),
        ],
    )


@pytest.fixture
def survey(world, cohort, questionnaire, scope_of) -> Survey:  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return survey_attach(
        scope=scope_of("so_a"),
        cohort=cohort,
        questionnaire=questionnaire,
        opens_on=today - timedelta(days=1),
        closes_on=today + timedelta(days=7),
    )
