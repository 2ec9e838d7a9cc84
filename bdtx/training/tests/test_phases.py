"""A schedule entered by hand (issue 9: "other shapes can be entered"): phases of any kind, in order,
without overlap, inside the school year; removal keeps the sessions; scope 404 / 403; audited."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from bdtx.core.models import AuditLog
from bdtx.core.scope import SYSTEM
from bdtx.training.models import CohortPhase, PhaseKind
from bdtx.training.phases import phase_add, phase_remove

from .conftest import cohort

pytestmark = pytest.mark.django_db


@pytest.fixture
def bare(world, mods):  # type: ignore[no-untyped-def]
    """A cohort made without a template: no phases yet."""
    return cohort(world, mods, template=None, starts_on=None)


def test_phases_of_any_shape_follow_their_dates(world, bare, scope_of):
    s = scope_of("so_a")
    phase_add(scope=s, cohort=bare, kind=PhaseKind.IN_PERSON, starts_on=date(2027, 1, 10), ends_on=date(2027, 1, 12))
    phase_add(scope=s, cohort=bare, kind=PhaseKind.SELF_STUDY, starts_on=date(2027, 1, 1), ends_on=date(2027, 1, 9))
    rows = list(CohortPhase.objects.filter(cohort=bare).order_by("position").values_list("kind", "days"))
    assert rows == [(PhaseKind.SELF_STUDY, 9), (PhaseKind.IN_PERSON, 3)]
    assert AuditLog.objects.filter(action="cohort.phase_add").count() == 2


@pytest.mark.parametrize(
    ("a", "b"),
    [
        (date(2027, 1, 12), date(2027, 1, 10)),  # ends before it starts
        (date(2027, 1, 11), date(2027, 1, 20)),  # overlaps the in-person days
        (date(2027, 6, 25), date(2027, 7, 5)),  # runs past the school year
    ],
)
def test_a_phase_out_of_order_overlapping_or_outside_the_year_is_refused(world, bare, scope_of, a, b):
    s = scope_of("so_a")
    phase_add(scope=s, cohort=bare, kind=PhaseKind.IN_PERSON, starts_on=date(2027, 1, 10), ends_on=date(2027, 1, 12))
    with pytest.raises(ValidationError):
        phase_add(scope=s, cohort=bare, kind=PhaseKind.ASSIGNMENTS, starts_on=a, ends_on=b)


def test_a_single_day_phase_and_the_last_day_of_the_year_are_accepted(world, bare, scope_of):
    year = bare.school_year
    p = phase_add(scope=scope_of("so_a"), cohort=bare, kind="in_person", starts_on=year.ends_on, ends_on=year.ends_on)
    assert p.days == 1


def test_only_the_organiser_edits_the_schedule(world, bare, scope_of):
    with pytest.raises(PermissionDenied):
        phase_add(
            scope=scope_of("institution"),
            cohort=bare,
            kind="in_person",
            starts_on=date(2027, 1, 1),
            ends_on=date(2027, 1, 2),
        )
    p = phase_add(scope=SYSTEM, cohort=bare, kind="in_person", starts_on=date(2027, 1, 1), ends_on=date(2027, 1, 2))
    with pytest.raises(PermissionDenied):
        phase_remove(scope=scope_of("principal_a1"), phase=p)
    phase_remove(scope=scope_of("so_a"), phase=p)
    assert not CohortPhase.objects.filter(cohort=bare).exists()


def test_the_cohort_page_adds_and_removes_phases(world, bare, client, login):
    login(world.users["so_a"])
    url = reverse("training:phase_add", args=[bare.uuid])
    r = client.post(url, {"kind": "self_study", "starts_on": "2027-03-01", "ends_on": "2027-03-07"}, follow=True)
    assert 'id="phase-form"' in r.content.decode() and "07/03/2027" in r.content.decode()
    r = client.post(url, {"kind": "in_person", "starts_on": "2027-03-05", "ends_on": "2027-03-06"}, follow=True)
    assert CohortPhase.objects.filter(cohort=bare).count() == 1  # the overlap is refused with a message
    r = client.post(reverse("training:phase_remove", args=[bare.uuid, 0]))
    assert r.status_code == 302 and not CohortPhase.objects.filter(cohort=bare).exists()


def test_the_schedule_views_answer_404_outside_and_403_inside_without_the_right(world, bare, client, login):
    data = {"kind": "self_study", "starts_on": "2027-03-01", "ends_on": "2027-03-07"}
    login(world.users["so_b"])
    assert client.post(reverse("training:phase_add", args=[bare.uuid]), data).status_code == 404
    assert client.post(reverse("training:phase_remove", args=[bare.uuid, 0])).status_code == 404
    login(world.users["ministry"])  # sees every cohort, organises none
    assert client.post(reverse("training:phase_add", args=[bare.uuid]), data).status_code == 403
