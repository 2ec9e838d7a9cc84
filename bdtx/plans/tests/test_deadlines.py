"""Deadlines: the regulation's defaults, earlier dates set by authorities for their subtree, the
effective date of a unit, refusals, and late plans."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.accounts.selectors import scope_for_user
from bdtx.core.models import AuditLog, SchoolYear
from bdtx.core.scope import SYSTEM, Perm
from bdtx.plans.deadlines import services
from bdtx.plans.deadlines.selectors import deadline_for, deadline_index_for_scope
from bdtx.plans.due import due_next
from bdtx.plans.models import Deadline, DeadlineDefault, DeadlineKind, PersonalPlan, PlanStatus, UnitPlan
from bdtx.plans.personal.selectors import PlanFilter, personal_plan_counts, personal_plan_list
from bdtx.regimes.models import Regime

from .conftest import YEAR

pytestmark = pytest.mark.django_db

P = DeadlineKind.PERSONAL_PLAN
S = DeadlineKind.SCHOOL_PLAN


def set_(world, key, due, kind=P, year=YEAR):  # type: ignore[no-untyped-def]
    return services.deadline_set(
        scope=SYSTEM, unit=world.u(key), school_year=SchoolYear.of(year), kind=kind, due_on=due
    )


def test_the_defaults_of_tt_19_2019_are_data_loaded_by_a_migration():
    rows = {d.kind: (d.day, d.month, d.first_year) for d in DeadlineDefault.objects.all()}
    assert rows == {
        P: (31, 5, 2020),
        S: (30, 6, 2020),
        DeadlineKind.OFFICE_PLAN: (31, 7, 2020),
        DeadlineKind.PROVINCE_PLAN: (31, 8, 2020),
        # the yearly results report (migration 0011): office → Sở 25/6, Sở → Bộ 30/6; school → office has
        # no default, each office sets it
        DeadlineKind.OFFICE_RESULTS: (25, 6, 2020),
        DeadlineKind.PROVINCE_RESULTS: (30, 6, 2020),
    }


def test_without_any_authority_date_the_default_applies_before_the_year_begins(world):
    d = deadline_for(unit=world.u("th_a1"), school_year=SchoolYear.of(YEAR), kind=P)
    assert d.due_on == date(YEAR, 5, 31) and d.set_by is None and "19/2019" in d.source


def test_no_default_before_the_regime_of_tt_19(world):
    assert deadline_for(unit=world.u("th_a1"), school_year=SchoolYear.of(2015), kind=P) is None


def test_a_provinces_earlier_date_applies_to_every_school_under_it(world):
    set_(world, "so_a", date(YEAR, 5, 15), kind=S)
    for key in ("th_a1", "thcs_a2", "thpt_a"):
        d = deadline_for(unit=world.u(key), school_year=SchoolYear.of(YEAR), kind=S)
        assert (d.due_on, d.set_by) == (date(YEAR, 5, 15), world.u("so_a"))
    assert deadline_for(unit=world.u("th_b1"), school_year=SchoolYear.of(YEAR), kind=S).due_on == date(YEAR, 6, 30)


def test_the_earliest_date_on_the_way_up_wins(world):
    set_(world, "so_a", date(YEAR, 5, 20))
    set_(world, "xa_a1", date(YEAR, 5, 10))
    assert deadline_for(unit=world.u("th_a1"), school_year=SchoolYear.of(YEAR), kind=P).due_on == date(YEAR, 5, 10)
    assert deadline_for(unit=world.u("thcs_a2"), school_year=SchoolYear.of(YEAR), kind=P).due_on == date(YEAR, 5, 20)
    # the province later moves its date before the commune's: the province's now applies
    set_(world, "so_a", date(YEAR, 5, 5))
    d = deadline_for(unit=world.u("th_a1"), school_year=SchoolYear.of(YEAR), kind=P)
    assert (d.due_on, d.set_by) == (date(YEAR, 5, 5), world.u("so_a"))


def test_a_later_date_than_an_authority_above_is_refused(world):
    set_(world, "so_a", date(YEAR, 5, 15), kind=S)
    with pytest.raises(ValidationError) as exc:
        set_(world, "xa_a1", date(YEAR, 5, 20), kind=S)
    expected = _("%(who)s set %(date)s for this deadline: a unit below may only set the same or an earlier date.") % {
        "who": world.u("so_a").name,
        "date": "15/05/2026",
    }
    assert exc.value.message_dict["due_on"] == [expected]
    set_(world, "xa_a1", date(YEAR, 5, 15), kind=S)  # the same date is allowed


def test_a_later_date_than_the_regulations_default_is_refused_below_the_ministry(world):
    with pytest.raises(ValidationError):
        set_(world, "so_a", date(YEAR, 6, 1))


def test_the_ministrys_own_date_replaces_the_default_for_its_year(world):
    set_(world, "bo", date(YEAR, 6, 15))
    assert deadline_for(unit=world.u("th_b1"), school_year=SchoolYear.of(YEAR), kind=P).due_on == date(YEAR, 6, 15)
    set_(world, "so_a", date(YEAR, 6, 10))  # later than the default, earlier than the ministry's
    assert deadline_for(unit=world.u("th_a1"), school_year=SchoolYear.of(YEAR), kind=P).due_on == date(YEAR, 6, 10)


def test_a_unit_sets_only_the_deadlines_of_the_levels_below_it(world):
    with pytest.raises(ValidationError):
        set_(world, "xa_a1", date(YEAR, 7, 15), kind=DeadlineKind.OFFICE_PLAN)
    with pytest.raises(ValidationError):
        set_(world, "th_a1", date(YEAR, 5, 1))
    with pytest.raises(ValidationError):
        set_(world, "so_a", date(YEAR, 8, 1), kind=DeadlineKind.PROVINCE_PLAN)
    set_(world, "so_a", date(YEAR, 7, 15), kind=DeadlineKind.OFFICE_PLAN)


def test_a_date_far_from_the_school_year_is_refused(world):
    with pytest.raises(ValidationError):
        set_(world, "so_a", date(YEAR - 2, 5, 31))


def test_setting_again_changes_the_date_and_is_audited(world):
    set_(world, "so_a", date(YEAR, 5, 20))
    set_(world, "so_a", date(YEAR, 5, 18))
    assert Deadline.objects.get(unit=world.u("so_a"), kind=P).due_on == date(YEAR, 5, 18)
    assert AuditLog.objects.filter(action="deadline.set").count() == 2


def test_removing_a_date_brings_back_the_one_above(world):
    d = set_(world, "so_a", date(YEAR, 5, 20))
    services.deadline_delete(scope=SYSTEM, deadline=d)
    assert deadline_for(unit=world.u("th_a1"), school_year=SchoolYear.of(YEAR), kind=P).due_on == date(YEAR, 5, 31)


# --- late plans -----------------------------------------------------------------------------------


def _plan(world, key, status, decided_on=None):  # type: ignore[no-untyped-def]
    return PersonalPlan.objects.create(
        person=world.people[key],
        unit=world.u("th_a1") if key != "teacher_a2" else world.u("thcs_a2"),
        school_year_id=YEAR,
        regime=Regime.objects.for_year(SchoolYear.of(YEAR)),
        status=status,
        decided_at=timezone.make_aware(datetime.combine(decided_on, datetime.min.time()).replace(hour=9))
        if decided_on
        else None,
    )


def test_the_effective_date_computed_by_the_database_equals_deadline_for(world):
    set_(world, "so_a", date(YEAR, 5, 20))
    set_(world, "xa_a1", date(YEAR, 5, 10))
    scope = scope_for_user(world.users["so_a"])
    index = deadline_index_for_scope(scope=scope, kind=P, school_year=SchoolYear.of(YEAR))
    for key in ("th_a1", "thcs_a2", "thpt_a", "so_a", "xa_a2"):
        unit = world.u(key)
        assert (
            index.for_path(unit.path).due_on == deadline_for(unit=unit, school_year=SchoolYear.of(YEAR), kind=P).due_on
        )
    rows = personal_plan_list(scope=scope, f=PlanFilter(school_year=SchoolYear.of(YEAR)))
    assert {(r.unit.code, r.due_on) for r in rows} == {("TH-A1", date(YEAR, 5, 10)), ("THCS-A2", date(YEAR, 5, 20))}


def test_a_plan_approved_after_its_deadline_or_not_approved_past_it_is_late(world):
    set_(world, "xa_a1", date(YEAR, 5, 10))
    _plan(world, "teacher_a1", PlanStatus.APPROVED, decided_on=date(YEAR, 5, 10))  # on the day: on time
    _plan(world, "mentor_a1", PlanStatus.APPROVED, decided_on=date(YEAR, 5, 11))  # a day late
    _plan(world, "colleague_a1", PlanStatus.SUBMITTED)  # today is past 10/05/2026
    # principal_a1 has no plan: missing and late
    scope = scope_for_user(world.users["principal_a1"])
    late = {
        r.person_id for r in personal_plan_list(scope=scope, f=PlanFilter(school_year=SchoolYear.of(YEAR), late=True))
    }
    assert late == {world.people[k].pk for k in ("mentor_a1", "colleague_a1", "principal_a1")}
    counts = personal_plan_counts(scope=scope, school_year=SchoolYear.of(YEAR))
    assert (counts.total, counts.approved, counts.submitted, counts.missing, counts.late) == (
        4,
        2,
        1,
        1,
        3,
    )


def test_nothing_is_late_before_the_deadline(world):
    _plan(world, "colleague_a1", PlanStatus.SUBMITTED)
    scope = scope_for_user(world.users["principal_a1"])
    assert personal_plan_counts(scope=scope, school_year=SchoolYear.of(YEAR)).late == 4  # 31/05/2026 has passed
    set_(world, "bo", timezone.localdate() + timedelta(days=1))  # the ministry extends the year's date
    assert personal_plan_counts(scope=scope, school_year=SchoolYear.of(YEAR)).late == 0


def test_due_next_shows_the_teachers_overdue_plan_and_next_years(world):
    teacher = world.users["teacher_a1"]
    items = due_next(scope=scope_for_user(teacher), person=world.people["teacher_a1"], school_year=SchoolYear.of(YEAR))
    assert [(i.deadline.school_year.pk, i.late, i.mine) for i in items] == [(YEAR, True, True), (YEAR + 1, False, True)]


def test_due_next_drops_a_plan_approved_on_time(world):
    set_(world, "xa_a1", date(YEAR, 5, 10))
    _plan(world, "teacher_a1", PlanStatus.APPROVED, decided_on=date(YEAR, 5, 1))
    items = due_next(
        scope=scope_for_user(world.users["teacher_a1"]),
        person=world.people["teacher_a1"],
        school_year=SchoolYear.of(YEAR),
    )
    assert [i.deadline.school_year.pk for i in items] == [YEAR + 1]


def test_due_next_counts_a_schools_plans_not_yet_approved(world):
    _plan(world, "teacher_a1", PlanStatus.APPROVED, decided_on=date(YEAR, 5, 1))
    scope = scope_for_user(world.users["principal_a1"])
    assert scope.has(Perm.PLANS_APPROVE, world.u("th_a1").path)
    items = due_next(scope=scope, person=None, school_year=SchoolYear.of(YEAR))
    (item,) = [i for i in items if i.deadline.school_year.pk == YEAR and i.deadline.kind == P]
    assert (item.unit, item.outstanding, item.late) == (world.u("th_a1"), 3, True)


def test_due_next_shows_the_units_own_plan_until_it_is_submitted_on_time(world):
    scope = scope_for_user(world.users["xa_a1"])
    set_(world, "bo", timezone.localdate() + timedelta(days=10), kind=DeadlineKind.OFFICE_PLAN)

    def office_items():  # type: ignore[no-untyped-def]
        return [
            i
            for i in due_next(scope=scope, person=None, school_year=SchoolYear.of(YEAR))
            if i.deadline.kind == DeadlineKind.OFFICE_PLAN and i.deadline.school_year.pk == YEAR
        ]

    (item,) = office_items()
    assert (item.unit, item.late, item.done) == (world.u("xa_a1"), False, False)
    UnitPlan.objects.create(
        unit=world.u("xa_a1"), school_year_id=YEAR, status=PlanStatus.SUBMITTED, submitted_at=timezone.now()
    )
    assert office_items() == []


def test_due_next_gives_a_province_the_coming_dates_without_counting_its_people(world):
    scope = scope_for_user(world.users["so_a"])
    items = [i for i in due_next(scope=scope, person=None, school_year=SchoolYear.of(YEAR)) if i.deadline.kind == P]
    assert [(i.deadline.school_year.pk, i.outstanding, i.late) for i in items] == [(YEAR + 1, None, False)]


def test_only_a_units_own_staff_set_its_dates_and_nobody_outside_removes_them(world):
    from django.core.exceptions import PermissionDenied

    year_end = date(YEAR, 5, 20)
    with pytest.raises(PermissionDenied):  # the department does not set a commune's own date
        services.deadline_set(
            scope=scope_for_user(world.users["so_a"]),
            unit=world.u("xa_a1"),
            school_year=SchoolYear.of(YEAR),
            kind=DeadlineKind.PERSONAL_PLAN,
            due_on=year_end,
        )
    d = services.deadline_set(
        scope=scope_for_user(world.users["xa_a1"]),
        unit=world.u("xa_a1"),
        school_year=SchoolYear.of(YEAR),
        kind=DeadlineKind.PERSONAL_PLAN,
        due_on=year_end,
    )
    with pytest.raises(PermissionDenied):
        services.deadline_delete(scope=scope_for_user(world.users["so_b"]), deadline=d)
    assert Deadline.objects.filter(pk=d.pk).exists()


def test_the_results_report_of_a_year_is_due_in_june_after_it(world):
    """Year 2026-2027 is reported in June 2027 (year_offset 1): the commune to the Sở by 25/6."""
    d = deadline_for(unit=world.u("xa_a1"), school_year=SchoolYear.of(YEAR), kind=DeadlineKind.OFFICE_RESULTS)
    assert d.due_on == date(YEAR + 1, 6, 25) and d.set_by is None
    assert (
        deadline_for(unit=world.u("th_a1"), school_year=SchoolYear.of(YEAR), kind=DeadlineKind.SCHOOL_RESULTS) is None
    )
