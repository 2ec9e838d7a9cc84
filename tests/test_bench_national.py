"""The national benchmark's loader and hand-written SQL keep working as the schema moves: the loader
writes a tiny dataset with COPY on the PostgreSQL test database, and the hand SQL's figures equal the
same definitions computed here from the ORM, person by person (nothing is timed)."""

import dataclasses
import importlib.util
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent


def _national() -> Any:
    spec = importlib.util.spec_from_file_location("bench_national", ROOT / "bench" / "national.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def orm_figures(*, unit: Any, school_year: Any) -> dict[tuple[Any, ...], int]:
    """The report's definitions (bench/national.py `hand_figures`), one person at a time in Python."""
    from bdtx.organisations.models import UnitKind
    from bdtx.people.models import KINH_CODE, Employment
    from bdtx.plans.unit.selectors import IN_SCOPE_STATUSES
    from bdtx.results.models import YearResult
    from bdtx.training.models import Enrolment

    jobs = Employment.objects.filter(
        school_year=school_year,
        status__in=IN_SCOPE_STATUSES,
        unit__kind__in=(UnitKind.SCHOOL, UnitKind.CENTRE),
        unit__path__startswith=unit.path,
    ).select_related("person", "unit")
    results = dict(YearResult.objects.filter(school_year=school_year).values_list("person_id", "completed"))
    out: Counter[tuple[Any, ...]] = Counter()
    groups_of: dict[int, list[str]] = {}
    for job in jobs:
        person = job.person
        w = person.gender == "F"
        m = person.ethnicity_id is not None and person.ethnicity_id != KINH_CODE
        flags = {
            "total": True,
            "women": w,
            "ethnic_minority": m,
            "ethnic_minority_women": w and m,
            "difficult_area": job.in_difficult_area,
        }
        groups = [g for g, yes in flags.items() if yes]
        groups_of[person.pk] = groups
        r = results.get(person.pk)
        outcome = "no_result" if r is None else ("completed" if r else "not_completed")
        for g in groups:
            for o in ("population", outcome):
                out[("population", o, g)] += 1
                out[("split", job.staff_type, job.school_level, job.unit.ownership, o, g)] += 1
    programme: dict[tuple[int, str], list[bool]] = defaultdict(list)
    for e in Enrolment.objects.active().filter(school_year=school_year).select_related("cohort"):
        if e.person_id not in groups_of:
            continue
        programme[(e.person_id, e.cohort.programme)].append(e.completed)
        if e.module_id:
            for g in groups_of[e.person_id]:
                out[("module", e.module_id, "enrolled", g)] += 1
                out[("module", e.module_id, "completed" if e.completed else "not_completed", g)] += 1
    for (person_id, code), done in programme.items():
        for g in groups_of[person_id]:
            out[("programme", code, "enrolled", g)] += 1
            out[("programme", code, "completed" if all(done) else "not_completed", g)] += 1
    return dict(out)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the national benchmark loads with COPY: PostgreSQL only")
def test_the_national_loader_and_the_hand_sql_agree_with_the_orm(db, monkeypatch, capsys):
    from bdtx.core.models import SchoolYear
    from bdtx.organisations.models import Unit
    from bdtx.people.models import Person
    from bdtx.results.selectors import results_summary
    from bdtx.training.models import Enrolment

    national = _national()
    people_before = Person.objects.count()
    loaded = national.load_national(0.0002)  # 2 provinces, 10 schools, 300 people
    assert Person.objects.count() - people_before == 300
    year = SchoolYear.of(loaded.school_year)
    assert Enrolment.objects.filter(person__employments__unit__path__startswith=f"/{loaded.root_id}/").count() > 600
    root = Unit.objects.get(pk=loaded.root_id)
    population = {}
    for unit in (root, Unit.objects.get(pk=loaded.province_ids[0])):
        hand = national.hand_figures(path=unit.path, school_year=loaded.school_year)
        expected = orm_figures(unit=unit, school_year=year)
        assert {k: v for k, v in hand.items() if v} == expected
        # every kind of figure is there and not trivially empty
        population[unit.kind] = expected[("population", "population", "total")]
        kinds = {k[0] for k in expected} | {k[1] for k in expected if k[0] == "programme"}
        assert {"population", "split", "programme", "module", "BD01", "BD02", "BD03"} <= kinds
    assert 0 < population["department"] < population["ministry"] < 300  # some retired, some at an office

    # the comparison with the report: its figures equal the hand SQL's key by key; one wrong fails
    from bdtx.yearreports import selectors
    from bdtx.yearreports.figures import Groups

    assert national._measure(loaded, lambda: "0", lambda: 0.0) == 0
    assert "the same" in capsys.readouterr().out
    real = selectors.live_figures

    def wrong_figures(*, unit: Any, school_year: Any) -> Any:
        live = real(unit=unit, school_year=school_year)
        key, outcome = next(iter(live.cells.items()))
        live.cells[key] = dataclasses.replace(outcome, completed=outcome.completed + Groups(0, 1, 0, 0, 0))
        return live

    monkeypatch.setattr(selectors, "live_figures", wrong_figures)
    assert national._measure(loaded, lambda: "0", lambda: 0.0) == 1
    out = capsys.readouterr().out
    assert "report/hand" in out and "MISMATCH" in out
    # the app reads the rows as its own
    assert results_summary(unit=root, school_year=year).total > 250
    assert Person.objects.filter(pk__gt=0).order_by("-pk").first().sort_key


def test_the_comparison_with_the_report_tells_every_key_that_differs():
    national = _national()
    hand = {("module", 7, "enrolled", "total"): 12, ("module", 7, "completed", "total"): 9, ("y",): 0}
    assert (
        national.keyed_differences(
            hand, {("module", 7, "enrolled", "total"): 12, **{("module", 7, "completed", "total"): 9}}
        )
        == []
    )
    # a zero and an absent key agree; a figure only one side gives does not
    assert national.keyed_differences(hand, {("module", 7, "enrolled", "total"): 12}) == [
        "('module', 7, 'completed', 'total'): hand 9, report 0"
    ]
    assert national.keyed_differences({}, {("x",): 1}) == ["('x',): hand 0, report 1"]
