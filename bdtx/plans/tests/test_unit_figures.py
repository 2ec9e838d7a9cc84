import copy
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from bdtx.core.selectors import school_year_current
from bdtx.plans.models import PlanStatus, UnitPlan
from bdtx.plans.unit import documents as unit_documents
from bdtx.plans.unit.figures import (
    FIGURES_VERSION,
    Figures,
    Headcount,
    MonthTally,
    PlanLine,
    Tally,
    UnitCounts,
    UnitPlanFigures,
)
from bdtx.plans.unit.selectors import LiveCoverage, figures_view

# A school's plan and an office's plan as compiled before the figures were typed (JSON version 1).
OLD_SCHOOL = {
    "version": 1,
    "source": "personal_plans",
    "year": 2026,
    "schools": 1,
    "staff": {"total": 5, "GV": 4, "CBQL": 1},
    "planned": {"total": 4, "GV": 3, "CBQL": 1},
    "programmes": {
        "BD03": {"people": 4, "items": 7, "periods": 140},
        "BD01": {"people": 4, "items": 4, "periods": 160},
    },
    "lines": {
        "c:6f0c7a52-1111-4c1e-9a55-0d0e2b7c0001": {
            "programme": "BD01",
            "kind": "content",
            "code": "",
            "catalog": "",
            "title": "Nội dung BD01 năm học",
            "hours": 40,
            "people": 4,
            "periods": 160,
            "female": 3,
            "minority": 3,
            "difficult": 4,
            "from": "",
            "to": "",
            "forms": {"ban_tap_trung": 2, "tap_trung": 1, "tu_xa": 1},
        },
        "m:6f0c7a52-2222-4c1e-9a55-0d0e2b7c0002": {
            "programme": "BD03",
            "kind": "module",
            "code": "GVPT5",
            "catalog": "GVPT",
            "title": "Tư vấn và hỗ trợ học sinh trong hoạt động giáo dục và dạy học",
            "hours": 20,
            "people": 3,
            "periods": 60,
            "female": 2,
            "minority": 2,
            "difficult": 3,
            "from": "2026-09",
            "to": "2026-11",
            "forms": {"ban_tap_trung": 2, "tu_xa": 1},
        },
        "m:6f0c7a52-3333-4c1e-9a55-0d0e2b7c0003": {
            "programme": "BD03",
            "kind": "module",
            "code": "GVPT4",
            "catalog": "GVPT",
            "title": "Xây dựng kế hoạch dạy học",
            "hours": 20,
            "people": 2,
            "periods": 40,
            "female": 1,
            "minority": 1,
            "difficult": 2,
            "from": "2026-10",
            "to": "2026-10",
            "forms": {"tu_xa": 2},
        },
    },
    "forms": {
        "tu_xa": {"people": 3, "items": 4, "periods": 120},
        "ban_tap_trung": {"people": 2, "items": 4, "periods": 120},
    },
    "months": {
        "2026-09": {"people": 2, "items": 4},
        "2026-10": {"people": 3, "items": 6},
        "2026-11": {"people": 2, "items": 3},
    },
    "unscheduled": 4,
}

_EMPTY_FIGURES = {
    "schools": 0,
    "staff": {"total": 0, "GV": 0, "CBQL": 0},
    "planned": {"total": 0, "GV": 0, "CBQL": 0},
    "programmes": {},
    "lines": {},
    "forms": {},
    "months": {"2026-09": {"people": 0, "items": 0}},
    "unscheduled": 0,
}

OLD_OFFICE = {
    **copy.deepcopy(OLD_SCHOOL),
    "source": "children",
    "schools": 2,
    "units": {"total": 3, "draft": 0, "submitted": 1, "returned": 0, "approved": 1, "missing": 1},
    "pending": {**copy.deepcopy(_EMPTY_FIGURES), "schools": 1, "planned": {"total": 6, "GV": 5, "CBQL": 1}},
}


# --- adding figures up -------------------------------------------------------------------------


def test_a_line_counted_twice_adds_its_numbers_and_spans_both_periods_of_time():
    a = PlanLine(
        programme="BD03",
        kind="module",
        code="GVPT4",
        catalog="GVPT",
        title="Mô đun 4",
        hours=20,
        people=2,
        periods=40,
        female=1,
        minority=0,
        difficult=2,
        first_month="2026-10",
        last_month="2026-11",
        forms={"tu_xa": 2},
    )
    b = PlanLine(
        programme="BD03",
        kind="module",
        code="GVPT4",
        catalog="GVPT",
        title="Mô đun 4 (tên khác)",
        hours=30,
        people=3,
        periods=90,
        female=2,
        minority=1,
        difficult=0,
        first_month="2026-09",
        last_month="2026-10",
        forms={"tap_trung": 1, "tu_xa": 2},
    )
    s = a + b
    assert (s.people, s.periods, s.female, s.minority, s.difficult) == (5, 130, 3, 1, 2)
    assert s.hours == 30  # periods per person: the larger, not the sum
    assert (s.first_month, s.last_month) == ("2026-09", "2026-11")  # the earliest start, the latest end
    assert s.title == "Mô đun 4"  # texts keep the first
    assert s.forms == {"tu_xa": 4, "tap_trung": 1}
    assert (b + a).title == "Mô đun 4 (tên khác)" and (b + a).hours == 30


def test_a_line_without_months_does_not_blank_the_months_of_the_other():
    dated = PlanLine(programme="BD02", first_month="2027-01", last_month="2027-02")
    undated = PlanLine(programme="BD02")
    assert ((dated + undated).first_month, (dated + undated).last_month) == ("2027-01", "2027-02")
    assert ((undated + dated).first_month, (undated + dated).last_month) == ("2027-01", "2027-02")
    assert ((undated + undated).first_month, (undated + undated).last_month) == ("", "")


def test_empty_texts_take_the_first_text_that_is_not_empty():
    a = PlanLine(programme="BD01", kind="content", title="")
    b = PlanLine(programme="BD01", kind="content", code="X", catalog="C", title="Nội dung")
    s = a + b
    assert (s.code, s.catalog, s.title) == ("X", "C", "Nội dung")


def test_figures_add_up_field_by_field_keeping_keys_of_either_in_order():
    a = Figures(
        schools=1,
        staff=Headcount(5, 4, 1),
        planned=Headcount(3, 2, 1),
        programmes={"BD01": Tally(3, 3, 120)},
        lines={"c:x": PlanLine(programme="BD01", people=3, hours=40, first_month="2026-10", last_month="2026-10")},
        forms={"tu_xa": Tally(1, 2, 60)},
        months={"2026-09": MonthTally(0, 0), "2026-10": MonthTally(3, 3)},
        unscheduled=2,
    )
    b = Figures(
        schools=2,
        staff=Headcount(7, 6, 1),
        planned=Headcount(6, 5, 1),
        programmes={"BD03": Tally(4, 6, 120), "BD01": Tally(6, 6, 240)},
        lines={"c:x": PlanLine(programme="BD01", people=6, hours=40, first_month="2026-09", last_month="2026-09")},
        forms={"tap_trung": Tally(6, 6, 240)},
        months={"2026-10": MonthTally(1, 2), "2026-11": MonthTally(4, 4)},
        unscheduled=1,
    )
    s = a + b
    assert (s.schools, s.staff, s.planned, s.unscheduled) == (3, Headcount(12, 10, 2), Headcount(9, 7, 2), 3)
    assert s.programmes == {"BD01": Tally(9, 9, 360), "BD03": Tally(4, 6, 120)}
    assert list(s.programmes) == ["BD01", "BD03"]
    line = s.lines["c:x"]
    assert (line.people, line.hours, line.first_month, line.last_month) == (9, 40, "2026-09", "2026-10")
    assert s.forms == {"tu_xa": Tally(1, 2, 60), "tap_trung": Tally(6, 6, 240)}
    assert list(s.months.items()) == [
        ("2026-09", MonthTally(0, 0)),
        ("2026-10", MonthTally(4, 5)),
        ("2026-11", MonthTally(4, 4)),
    ]
    assert a.lines["c:x"].people == 3 and a.programmes == {"BD01": Tally(3, 3, 120)}  # the parts are untouched


def test_a_sum_starts_from_every_month_of_the_year_and_adds_only_the_figures():
    office = UnitPlanFigures.from_json(OLD_OFFICE)
    total = sum([office, office], Figures.empty(["2026-07", "2026-08", "2026-09"]))
    assert type(total) is Figures  # the units and pending figures of a plan are not summed
    assert list(total.months) == ["2026-07", "2026-08", "2026-09", "2026-10", "2026-11"]
    assert total.months["2026-09"] == MonthTally(4, 8) and total.months["2026-07"] == MonthTally(0, 0)
    assert total.planned == Headcount(8, 6, 2) and total.schools == 4


# --- the stored JSON ---------------------------------------------------------------------------


def test_a_school_plan_stored_before_the_figures_were_typed_reads_into_them():
    f = UnitPlanFigures.from_json(OLD_SCHOOL)
    assert (f.version, f.source, f.year, f.schools) == (1, "personal_plans", 2026, 1)
    assert f.staff == Headcount(total=5, teachers=4, managers=1)
    assert f.planned == Headcount(total=4, teachers=3, managers=1)
    assert f.programmes["BD03"] == Tally(people=4, items=7, periods=140)
    line = f.lines["m:6f0c7a52-2222-4c1e-9a55-0d0e2b7c0002"]
    assert (line.kind, line.code, line.hours, line.people, line.female, line.minority, line.difficult) == (
        "module",
        "GVPT5",
        20,
        3,
        2,
        2,
        3,
    )
    assert (line.first_month, line.last_month, line.forms) == ("2026-09", "2026-11", {"ban_tap_trung": 2, "tu_xa": 1})
    assert f.forms["tu_xa"] == Tally(3, 4, 120)
    assert list(f.months) == ["2026-09", "2026-10", "2026-11"] and f.months["2026-10"] == MonthTally(3, 6)
    assert f.unscheduled == 4
    assert f.units is None and f.pending is None


def test_an_office_plan_stored_before_reads_its_units_and_pending_figures():
    f = UnitPlanFigures.from_json(OLD_OFFICE)
    assert f.source == "children" and f.schools == 2
    assert f.units == UnitCounts(total=3, draft=0, submitted=1, returned=0, approved=1, missing=1)
    assert f.pending is not None and type(f.pending) is Figures
    assert (f.pending.schools, f.pending.planned.total, f.pending.months["2026-09"]) == (1, 6, MonthTally(0, 0))


@pytest.mark.parametrize("stored", [OLD_SCHOOL, OLD_OFFICE], ids=["school", "office"])
def test_stored_figures_are_written_back_exactly_as_they_were_read(stored):
    again = UnitPlanFigures.from_json(stored).to_json()
    assert again == stored
    assert json.dumps(again, ensure_ascii=False) == json.dumps(stored, ensure_ascii=False)  # the same key order


def test_figures_round_trip_through_json():
    f = UnitPlanFigures.of(
        Figures(
            schools=3,
            staff=Headcount(9, 7, 2),
            planned=Headcount(8, 6, 2),
            programmes={"BD02": Tally(8, 8, 320)},
            lines={"t:BD02:Nội dung": PlanLine(programme="BD02", kind="content", title="Nội dung", forms={"tu_xa": 8})},
            forms={"tu_xa": Tally(8, 8, 320)},
            months={"2027-01": MonthTally(8, 8)},
            unscheduled=0,
        ),
        source="children",
        year=2026,
        units=UnitCounts(total=4, approved=3, missing=1),
        pending=Figures(schools=1, planned=Headcount(2, 2, 0)),
    )
    assert UnitPlanFigures.from_json(json.loads(json.dumps(f.to_json()))) == f
    school = UnitPlanFigures.of(Figures(schools=1), source="personal_plans", year=2026)
    assert "units" not in school.to_json() and "pending" not in school.to_json()
    assert UnitPlanFigures.from_json(school.to_json()) == school


def test_missing_keys_of_an_old_or_hand_made_row_read_as_zero_or_empty():
    assert UnitPlanFigures.from_json({}) == UnitPlanFigures()
    assert UnitPlanFigures.from_json({"staff": {}}).staff == Headcount(0, 0, 0)
    f = UnitPlanFigures.from_json({"lines": {"c:x": {"programme": "BD01", "title": "Nội dung"}}, "year": None})
    assert f.lines["c:x"] == PlanLine(programme="BD01", title="Nội dung")
    assert f.year is None and f.version == FIGURES_VERSION and f.units is None


def test_the_unit_counts_name_every_plan_status():
    assert set(UnitCounts().by_status()) == {*PlanStatus.values, "missing"}
    counts = UnitCounts.of(total=5, by_status={PlanStatus.SUBMITTED: 2, PlanStatus.APPROVED: 1})
    assert counts == UnitCounts(total=5, submitted=2, approved=1, missing=2)


# --- UnitPlan.figures --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_stored_plan_reads_and_writes_its_figures(world):
    plan = UnitPlan.objects.create(unit=world.u("xa_a1"), school_year=school_year_current(), totals=OLD_OFFICE)
    plan = UnitPlan.objects.get(pk=plan.pk)
    assert plan.figures == UnitPlanFigures.from_json(OLD_OFFICE) and plan.figures.units.approved == 1
    plan.figures = UnitPlanFigures.of(plan.figures.core, source="children", year=2026)
    plan.save()
    plan.refresh_from_db()
    assert "units" not in plan.totals and plan.totals["planned"] == OLD_OFFICE["planned"]
    assert UnitPlan(totals={}).figures == UnitPlanFigures()


@pytest.mark.django_db
def test_an_old_stored_plan_shows_on_its_page_and_in_its_document(world, login):
    plan = UnitPlan.objects.create(
        unit=world.u("xa_a1"), school_year=school_year_current(), totals=OLD_OFFICE, compiled_at=timezone.now()
    )
    r = login(world.users["xa_a1"]).get(reverse("plans:unit_plan", args=[plan.uuid]))
    assert r.status_code == 200
    view = r.context["figures"]
    assert [p.code for p in view.programmes] == ["BD01", "BD03"]  # in the programmes' order
    assert [line.code for line in view.programmes[1].lines] == ["GVPT4", "GVPT5"]  # modules by code
    assert view.planned.managers == 1 and view.units.approved == 1 and view.pending.planned.total == 6
    assert "Tư vấn và hỗ trợ học sinh" in r.text and 'id="pending"' in r.text
    context = unit_documents.unit_plan_context(plan)
    assert (context["staff_total"], context["staff_gv"], context["staff_cbql"], context["planned_total"]) == (
        5,
        4,
        1,
        4,
    )
    assert "1/3 đơn vị trực thuộc (2 trường)" in context["coverage"]
    assert context["programmes"][1]["lines"][1]["time"] == "09/2026 – 11/2026"


def test_the_view_lists_forms_and_months_with_bars_against_the_busiest_month():
    view = figures_view(UnitPlanFigures.from_json(OLD_SCHOOL))
    assert [(f.code, f.people) for f in view.forms] == [("tu_xa", 3), ("ban_tap_trung", 2)]
    assert [(m.label, m.pct) for m in view.months] == [("09/2026", 67), ("10/2026", 100), ("11/2026", 67)]
    line = view.programmes[1].lines[1]
    assert (line.from_label, line.to_label) == ("09/2026", "11/2026")
    assert [(f.code, f.people) for f in line.form_list] == [("tu_xa", 1), ("ban_tap_trung", 2)]
    assert line.module_uuid == "6f0c7a52-2222-4c1e-9a55-0d0e2b7c0002"


def test_month_bars_and_live_coverage_round_halves_up():
    """1 of 8 is 12.5 %: 13, as a Vietnamese report writes it (Python's round() gave 12)."""
    months = {"2026-09": MonthTally(people=1), "2026-10": MonthTally(people=8), "2026-11": MonthTally(people=3)}
    view = figures_view(UnitPlanFigures(months=months))
    assert [m.pct for m in view.months] == [13, 100, 38]
    assert LiveCoverage(approved=1, in_scope=8).percent == 13
    assert LiveCoverage(approved=0, in_scope=0).percent == 0
