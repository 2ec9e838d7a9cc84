"""Reads of personal plans, always through the viewer's scope.

The rules these pages show (periods per programme) are data: the regime of the year and the
province's split of programmes 01 and 02.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    F,
    FilteredRelation,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bdtx.catalog.models import Module, ProgrammeContent
from bdtx.catalog.selectors import content_for as catalog_content_for
from bdtx.catalog.selectors import effective_hours, focus_modules_for, with_effective_hours
from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope, ancestor_paths
from bdtx.core.search import matches, search_q
from bdtx.organisations.models import Unit
from bdtx.organisations.selectors import province_of
from bdtx.people.models import Audience, Employment, EmploymentStatus, Person, person_search_rank
from bdtx.people.selectors import units_under_in_year
from bdtx.plans.deadlines.selectors import deadline_index_for_scope
from bdtx.plans.models import (
    DeadlineKind,
    PersonalPlan,
    PlanEvent,
    PlanItem,
    PlanStatus,
)
from bdtx.regimes.models import Programme, Regime
from bdtx.regimes.selectors import hours_for

MISSING = "missing"  # the list's status of a person employed this year who has no plan yet
EDITABLE = (PlanStatus.DRAFT, PlanStatus.RETURNED)  # the person may still change the plan


def employment_for(*, person: Person, school_year: SchoolYear) -> Employment | None:
    """Where and as what the person works in that school year (None: not on a staff list)."""
    return Employment.objects.filter(person=person, school_year=school_year).select_related("unit").first()


def audience_of(employment: Employment) -> str:
    return Audience.for_staff(staff_type=employment.staff_type, school_level=employment.school_level)


@dataclass(frozen=True)
class RequiredHours:
    """Periods a person must plan in one school year, per programme, with where the rule comes from."""

    regime: Regime
    bd01: int
    bd02: int
    bd03: int
    split_by: str = ""  # the province's decision when it shifted periods between 01 and 02

    @property
    def total(self) -> int:
        return self.bd01 + self.bd02 + self.bd03

    def for_programme(self, programme: str) -> int:
        return {"BD01": self.bd01, "BD02": self.bd02, "BD03": self.bd03}[str(programme)]


def required_hours(*, unit: Unit, school_year: SchoolYear) -> RequiredHours:
    """The regime's periods for the year, with the province's split of 01 and 02 when it made one
    (`bdtx.regimes.hours_for`); programme 03 never moves. Regime.DoesNotExist when no
    regime covers the year."""
    h = hours_for(unit=unit, school_year=school_year)
    return RequiredHours(h["regime"], h["bd01"], h["bd02"], h["bd03"], h["shift"].decision if h["shift"] else "")


def content_for(*, unit: Unit, school_year: SchoolYear, audience: str, school_level: str) -> list[ProgrammeContent]:
    """Programme 01 and 02 topics that apply to a person of this audience and level at `unit`."""
    by_programme = catalog_content_for(unit=unit, school_year=school_year, audience=audience, school_level=school_level)
    return [c for p in (Programme.BD01, Programme.BD02) for c in by_programme.get(p, [])]


def focus_modules(
    *, unit: Unit, school_year: SchoolYear, audience: str, school_level: str
) -> tuple[list[Module], Unit | None]:
    """The focus modules the province above `unit` chose for the year, most wanted first, and the
    province (to name it when explaining a recommendation)."""
    modules = focus_modules_for(unit=unit, school_year=school_year, audience=audience, school_level=school_level)
    return modules, (province_of(unit) if modules else None)


def modules_done_before(*, person: Person, school_year: SchoolYear) -> set[int]:
    """Ids of the modules the person completed in school years before `school_year`.

    Stand-in until completion records exist (the results issue): a module counts as completed when
    it was in the person's APPROVED personal plan of an earlier school year. Replace this body with
    a read of the completion records; its callers (recommendations, catalog search) stay as they are.
    """
    return set(
        PlanItem.objects.filter(
            plan__person=person,
            plan__school_year_id__lt=school_year,
            plan__status=PlanStatus.APPROVED,
            module__isnull=False,
        ).values_list("module_id", flat=True)
    )


def modules_offered(*, employment: Employment, school_year: SchoolYear) -> QuerySet[Module]:
    """Modules in force that year for the person's audience and school level (empty levels: every
    level of the audience), each with the periods it counts for the person (`effective_hours`: the
    ministry's, else their province's)."""
    level = employment.school_level
    qs = (
        Module.objects.in_force(school_year)
        .filter(audience=audience_of(employment))
        .filter(Q(levels="") | Q(levels__contains=f",{level},"))
        .select_related("catalog")
        .prefetch_related("criteria")
    )
    return with_effective_hours(qs, unit=employment.unit, school_year=school_year)


def modules_hours(*, modules: Iterable[Module], unit: Unit, school_year: SchoolYear) -> dict[int, int]:
    """Module id → the periods it counts for a person of `unit` in the year (modules without
    periods left out), in one query."""
    ids = [m.pk for m in modules]
    if not ids:
        return {}
    hours = effective_hours(paths=ancestor_paths(unit.path), school_year=school_year)
    qs = Module.objects.filter(pk__in=ids).annotate(hours=hours)
    return {pk: h for pk, h in qs.values_list("pk", "hours") if h is not None}


def module_search(*, employment: Employment, school_year: SchoolYear, q: str = "", limit: int = 30) -> list[Module]:
    """Modules the person may choose, matching `q` on code or title without regard to diacritics.

    A catalog holds a few dozen modules per audience, so matching in Python costs nothing and
    keeps 'ung dung cong nghe' finding 'Ứng dụng công nghệ'.
    """
    found = []
    for m in modules_offered(employment=employment, school_year=school_year):
        if matches(q, f"{m.code} {m.title}"):
            found.append(m)
            if len(found) >= limit:
                break
    return found


def plan_for(*, person: Person, school_year: SchoolYear) -> PersonalPlan | None:
    return (
        PersonalPlan.objects.filter(person=person, school_year=school_year)
        .select_related("person", "unit", "regime", "school_year", "decided_by")
        .first()
    )


def plan_get(*, scope: Scope, uuid: str) -> PersonalPlan:
    """One plan the viewer may see: their own, or one in their subtree (DoesNotExist → 404)."""
    return (
        PersonalPlan.objects.visible_to(scope)
        .select_related("person", "unit", "regime", "school_year", "decided_by")
        .get(uuid=uuid)
    )


def plan_items(*, plan: PersonalPlan) -> list[PlanItem]:
    """The plan's lines, each with the periods it counts (`counted_hours`).

    A module's line counts the module's periods for the person while the plan can change (the
    ministry's, else those of the plan's province: they follow the Sở's changes), None when it has
    none (chưa có số tiết); once submitted, the periods the line was submitted with."""
    qs = plan.items.select_related("module", "module__catalog", "content")
    if plan.status in EDITABLE:
        live = effective_hours(paths=ancestor_paths(plan.unit.path), school_year=plan.school_year, through="module")
        counted: Any = Case(When(module__isnull=True, then=F("hours")), default=live)
    else:
        counted = F("hours")
    return list(qs.annotate(counted_hours=counted).order_by("programme", "pk"))  # type: ignore[no-redef]


def plan_events(*, plan: PersonalPlan) -> list[PlanEvent]:
    """The plan's history, oldest first; each step reads with its audit label (`PlanEvent.label`)."""
    return list(plan.events.select_related("actor", "actor__person"))


@dataclass(frozen=True)
class ProgrammeHours:
    programme: str
    label: str
    planned: int
    required: int
    without_periods: int = 0  # lines of modules without periods: counted nowhere, shown as such

    @property
    def ok(self) -> bool:
        return self.planned == self.required

    @property
    def missing(self) -> int:
        return max(self.required - self.planned, 0)


def plan_hours(*, items: list[PlanItem], required: RequiredHours) -> list[ProgrammeHours]:
    """Planned against required periods for each programme."""
    labels = dict(Programme.choices)
    return [
        ProgrammeHours(
            programme=p,
            label=str(labels[p]),
            planned=sum(i.counted_hours or 0 for i in items if i.programme == p),
            required=required.for_programme(p),
            without_periods=sum(1 for i in items if i.programme == p and i.counted_hours is None),
        )
        for p in Programme.values
    ]


@dataclass(frozen=True)
class PlanFilter:
    school_year: SchoolYear
    unit: Unit | None = None
    status: str = ""  # a PlanStatus, or MISSING
    late: bool = False
    q: str = ""


def _plan_rows(*, scope: Scope, school_year: SchoolYear, unit: Unit | None) -> QuerySet[Any]:
    """Everyone employed in the year under the viewer's PLANS_VIEW subtrees, with their plan joined
    (status `missing` when they have none) and their deadline and lateness computed by the database."""
    index = deadline_index_for_scope(scope=scope, kind=DeadlineKind.PERSONAL_PLAN, school_year=school_year)
    today = timezone.localdate()
    qs = (
        Employment.objects.visible_to(scope, Perm.PLANS_VIEW)
        .filter(school_year=school_year)
        .annotate(plan=FilteredRelation("person__plans", condition=Q(person__plans__school_year=F("school_year"))))
        .filter(Q(status=EmploymentStatus.WORKING) | Q(plan__isnull=False))
        .annotate(
            plan_status=Coalesce(F("plan__status"), Value(MISSING)),
            plan_uuid=F("plan__uuid"),
            plan_decided_on=TruncDate("plan__decided_at"),
            plan_submitted_at=F("plan__submitted_at"),
            due_on=index.case("unit__path"),
        )
        .annotate(
            is_late=Case(
                When(Q(plan_status=PlanStatus.APPROVED, plan_decided_on__gt=F("due_on")), then=Value(True)),
                When(Q(~Q(plan_status=PlanStatus.APPROVED), due_on__lt=today), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
    )
    if unit is not None:
        qs = qs.filter(unit__in=units_under_in_year(unit=unit, school_year=school_year).values("pk"))
    return qs


def personal_plan_list(*, scope: Scope, f: PlanFilter) -> QuerySet[Any]:
    """One row per person employed in the year: their plan's status (or missing), deadline, lateness."""
    qs = _plan_rows(scope=scope, school_year=f.school_year, unit=f.unit).select_related("person", "unit")
    if f.status:
        qs = qs.filter(plan_status=f.status)
    if f.late:
        qs = qs.filter(is_late=True)
    if f.q:
        # a name searched: the best matches first, wherever they work (`person_search_rank`)
        qs = qs.filter(search_q(f.q, "person__search_text"))
        return qs.order_by(person_search_rank(f.q, "person__"), "unit__name", "person__sort_key", "pk")
    return qs.order_by("unit__name", "person__sort_key", "pk")


STATUS_LABELS = {**dict(PlanStatus.choices), MISSING: _("No plan yet")}


def label_statuses(rows: Iterable[Employment]) -> None:
    """Give each row of `personal_plan_list` the label of its status (`.plan_status_label`)."""
    for e in rows:
        e.plan_status_label = STATUS_LABELS.get(e.plan_status, e.plan_status)  # type: ignore[attr-defined]


STATUS_KEYS = [PlanStatus.DRAFT, PlanStatus.SUBMITTED, PlanStatus.RETURNED, PlanStatus.APPROVED, MISSING]


def _count_fields() -> dict[str, Count]:
    fields = {"total": Count("pk"), "late": Count("pk", filter=Q(is_late=True))}
    for s in STATUS_KEYS:
        fields[str(s)] = Count("pk", filter=Q(plan_status=s))
    return fields


@dataclass(frozen=True)
class PersonalPlanCounts:
    """The people on the staff lists of a year by the status of their personal plan ('missing':
    none yet), and how many of them are late."""

    total: int
    draft: int
    submitted: int
    returned: int
    approved: int
    missing: int
    late: int


def personal_plan_counts(*, scope: Scope, school_year: SchoolYear, unit: Unit | None = None) -> PersonalPlanCounts:
    """Counts by status (and late) in one query."""
    r = _plan_rows(scope=scope, school_year=school_year, unit=unit).aggregate(**_count_fields())
    return PersonalPlanCounts(
        total=r["total"],
        draft=r[PlanStatus.DRAFT],
        submitted=r[PlanStatus.SUBMITTED],
        returned=r[PlanStatus.RETURNED],
        approved=r[PlanStatus.APPROVED],
        missing=r[MISSING],
        late=r["late"],
    )


def personal_plan_by_unit(*, scope: Scope, f: PlanFilter) -> QuerySet:
    """Counts by status per school (dicts), the units with people missing or late first: who has
    not submitted yet, for an office."""
    qs = _plan_rows(scope=scope, school_year=f.school_year, unit=f.unit)
    if f.q:
        qs = qs.filter(search_q(f.q, "unit__search_text"))
    return (
        qs.values("unit_id", "unit__name", "unit__uuid")
        .annotate(**_count_fields())
        .order_by(F("late").desc(), F(MISSING).desc(), "unit__name")
    )


def plan_required_hours(*, plan: PersonalPlan) -> RequiredHours:
    return required_hours(unit=plan.unit, school_year=plan.school_year)


def plan_problems(*, plan: PersonalPlan, items: list[PlanItem] | None = None) -> list[str]:
    """Everything that keeps the plan from being submitted, in words for the person: periods per
    programme and in total against the regime (and the province's split), modules that do not fit
    the person, are not in force, or have no periods."""
    items = plan_items(plan=plan) if items is None else items
    required = plan_required_hours(plan=plan)
    problems = [
        _(
            "Module %(code)s has no periods yet (neither the ministry's catalog nor your province gives any): "
            "it cannot count toward programme 03. Remove it, or wait until the Sở sets its periods."
        )
        % {"code": i.module.code}
        for i in items
        if i.module is not None and i.counted_hours is None
    ]
    for row in plan_hours(items=items, required=required):
        if row.ok:
            continue
        if row.programme == Programme.BD03 and row.planned < row.required:
            problems.append(
                _("Programme 03: choose modules for %(n)s more periods (%(need)s periods are required).")
                % {"n": row.required - row.planned, "need": row.required}
            )
        elif row.programme == Programme.BD03:
            problems.append(
                _("Programme 03 has %(have)s periods: remove modules to reach exactly %(need)s.")
                % {"have": row.planned, "need": row.required}
            )
        else:
            problems.append(
                _("%(programme)s: the plan has %(have)s periods, %(need)s are required this year.")
                % {"programme": row.label, "have": row.planned, "need": row.required}
            )
    total = sum(i.counted_hours or 0 for i in items)
    if total != required.total:
        problems.append(
            _("In total the plan has %(have)s periods; %(need)s are required.")
            % {"have": total, "need": required.total}
        )
    emp = employment_for(person=plan.person, school_year=plan.school_year)
    offered = (
        set(modules_offered(employment=emp, school_year=plan.school_year).values_list("pk", flat=True))
        if emp
        else set()
    )
    for item in items:
        if item.module is not None and item.module_id not in offered:
            problems.append(
                _("Module %(code)s is not offered to you this year (other audience or level, or not in force).")
                % {"code": item.module.code}
            )
    return problems
