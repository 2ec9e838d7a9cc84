"""Every figure of the results report against the small province of conftest.py, counted by hand."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from bdtx.summaries.services import refresh_all
from bdtx.training.models import Enrolment
from bdtx.yearreports.figures import Groups, Outcome, Participation, ReportFigures
from bdtx.yearreports.selectors import OutcomeRow, PartRow, live_figures

pytestmark = pytest.mark.django_db

G = Groups  # total, women, ethnic minority, ethnic-minority women, difficult area
ZERO = Groups()


def test_a_schools_figures_are_those_counted_by_hand(tree) -> None:  # type: ignore[no-untyped-def]
    f = live_figures(unit=tree.u("s1"), school_year=tree.year)
    # p1 (woman, Kinh, completed), p2 (woman, Tày, not completed), p5 (woman, no ethnicity, on leave,
    # no result) are GV; the school is in a difficult area and none of them has a post value of their
    # own. p4 left the service; p6 worked here only the year before.
    assert f.cells["GV|TH|public"] == Outcome(
        people=G(3, 3, 1, 1, 3), completed=G(1, 1, 0, 0, 1), not_completed=G(1, 1, 1, 1, 1)
    )
    assert f.cells["GV|TH|public"].no_result == G(1, 1, 0, 0, 1)
    # p3 (man, ethnic minority, manager) whose post is not in a difficult area although the school is
    assert f.cells["CBQL|TH|public"] == Outcome(people=G(1, 0, 1, 0, 0))
    assert set(f.cells) == {"GV|TH|public", "CBQL|TH|public"}
    assert f.overall == Outcome(people=G(4, 3, 2, 1, 3), completed=G(1, 1, 0, 0, 1), not_completed=G(1, 1, 1, 1, 1))

    # BD01: p1 completed (p4 left, p5 withdrew)
    assert f.programmes["BD01"].enrolled == G(1, 1, 0, 0, 1)
    assert f.programmes["BD01"].completed == G(1, 1, 0, 0, 1)
    # BD02: p2 (one of two cohorts not completed) and p3 (completed)
    assert f.programmes["BD02"].enrolled == G(2, 1, 2, 1, 1)
    assert f.programmes["BD02"].completed == G(1, 0, 1, 0, 0)
    assert f.programmes["BD02"].not_completed == G(1, 1, 1, 1, 1)
    # BD03: p1 (M1 done, M2 not) and p2 (M1 not): nobody completed all their modules
    assert f.programmes["BD03"].enrolled == G(2, 2, 1, 1, 2)
    assert f.programmes["BD03"].completed == ZERO

    m1, m2 = (str(tree.modules[k].uuid) for k in ("M1", "M2"))
    assert set(f.modules) == {m1, m2}
    assert f.modules[m1].enrolled == G(2, 2, 1, 1, 2)
    assert f.modules[m1].completed == G(1, 1, 0, 0, 1)
    assert (f.modules[m1].code, f.modules[m1].title, f.modules[m1].catalog) == ("M1", "Mô đun một", "TEST-YR")
    assert f.modules[m2].enrolled == G(1, 1, 0, 0, 1)
    assert f.modules[m2].completed == ZERO
    assert f.modules[m2].not_completed == G(1, 1, 0, 0, 1)


def test_a_private_school_and_a_post_in_a_difficult_area(tree) -> None:  # type: ignore[no-untyped-def]
    f = live_figures(unit=tree.u("s2"), school_year=tree.year)
    everything = G(1, 1, 1, 1, 1)  # q1: woman, Tày, her own post in a difficult area
    assert f.cells == {"GV|THCS|private": Outcome(people=everything, completed=everything)}
    assert f.programmes["BD03"].enrolled == f.programmes["BD03"].completed == everything
    assert set(f.programmes) == {"BD03"}
    assert f.modules[str(tree.modules["M1"].uuid)].completed == everything


def test_a_person_counts_where_they_work_that_year(tree) -> None:  # type: ignore[no-untyped-def]
    f = live_figures(unit=tree.u("s3"), school_year=tree.year)
    # q2 (man, Kinh, completed) and p6 (woman, Tày, no result this year; at s1 the year before)
    assert f.cells == {"GV|TH|public": Outcome(people=G(2, 1, 1, 1, 0), completed=G(1, 0, 0, 0, 0))}
    assert f.modules[str(tree.modules["M2"].uuid)].enrolled == G(1, 1, 1, 1, 0)
    assert f.programmes["BD03"].completed == G(1, 1, 1, 1, 0)


def test_the_figures_of_a_level_are_the_sum_of_its_schools(tree) -> None:  # type: ignore[no-untyped-def]
    schools = [live_figures(unit=tree.u(k), school_year=tree.year) for k in ("s1", "s2", "s3")]
    office = live_figures(unit=tree.u("xa_t1"), school_year=tree.year)
    province = live_figures(unit=tree.u("so_t"), school_year=tree.year)
    assert office.to_json() == (schools[0] + schools[1]).to_json()
    assert province.to_json() == ReportFigures.total_of(schools).to_json()
    assert province.overall.people == G(7, 5, 4, 3, 4)


def test_live_figures_take_a_constant_number_of_queries(tree) -> None:  # type: ignore[no-untyped-def]
    refresh_all()  # the summaries current: what a read costs then
    with CaptureQueriesContext(connection) as small:
        live_figures(unit=tree.u("s3"), school_year=tree.year)
    with CaptureQueriesContext(connection) as big:
        live_figures(unit=tree.u("so_t"), school_year=tree.year)
    # the path, the changed schools (none), the summaries added up, the module titles
    assert len(small) == len(big) == 4


def test_recomputing_the_changed_schools_takes_a_constant_number_of_queries(tree) -> None:  # type: ignore[no-untyped-def]
    refresh_all()
    Enrolment.objects.filter(unit=tree.u("s3")).update(completed=False)  # one school changed
    with CaptureQueriesContext(connection) as one:
        live_figures(unit=tree.u("so_t"), school_year=tree.year)
    Enrolment.objects.update(completed=True)  # every school changed
    with CaptureQueriesContext(connection) as every:
        live_figures(unit=tree.u("so_t"), school_year=tree.year)
    assert len(one) == len(every)


def test_figures_read_back_from_their_json(tree) -> None:  # type: ignore[no-untyped-def]
    f = live_figures(unit=tree.u("so_t"), school_year=tree.year)
    assert ReportFigures.from_json(f.to_json()) == f
    assert ReportFigures.from_json({}) == ReportFigures()


def test_completion_percents_round_halves_up() -> None:
    """1 of 8 is 12.5 %: 13, as a Vietnamese report writes it (Python's round() gave 12)."""
    eight, one, three = G(total=8), G(total=1), G(total=3)
    assert OutcomeRow("", Outcome(people=eight, completed=one)).percent == 13
    assert OutcomeRow("", Outcome(people=eight, completed=three)).percent == 38
    assert PartRow("", Participation(enrolled=eight, completed=one)).percent == 13
    assert PartRow("", Participation()).percent == 0
