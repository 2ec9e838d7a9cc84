"""Writes of training delivery: cohorts from a schedule template, trainers checked against the rule
of the year, learners enrolled in bulk from approved personal plans, and core teachers' groups.

Enrolment and group splitting are set operations: one query reads the candidates as tuples, the
writes go in batches (`bulk_insert_values`; one UPDATE per support group), never a query per learner.
"""

from collections import defaultdict, deque
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from bdtx.catalog.models import Module
from bdtx.core.bulk import bulk_insert_values
from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope, ancestor_paths
from bdtx.core.services import audit_record, diff, snapshot
from bdtx.organisations.models import SchoolLevel, Unit, UnitKind
from bdtx.people.models import Audience, Employment, EmploymentStatus, Person, StaffType
from bdtx.plans.models import PersonalPlan, PlanItem, PlanStatus
from bdtx.regimes.models import Programme
from bdtx.training.completion import completion_recompute, is_locked
from bdtx.training.models import (
    ACTIVE_STATUSES,
    DEFAULT_COMPONENTS,
    DEGREE_RANK,
    AssessmentComponent,
    Cohort,
    CohortPhase,
    CohortSession,
    CohortStatus,
    Degree,
    Enforcement,
    Enrolment,
    EnrolmentStatus,
    PhaseKind,
    ScheduleTemplate,
    SupportGroup,
    Trainer,
    TrainerRule,
)
from bdtx.training.selectors import mentor_rule_for, trainer_rule_for, trainer_staff

BATCH = 5000


def _require_manage(scope: Scope, cohort: Cohort) -> None:
    if not cohort.managed_by(scope):
        raise PermissionDenied


# --- cohorts -------------------------------------------------------------------------------------

COHORT_FIELDS = [
    "name",
    "programme",
    "module",
    "content_title",
    "form",
    "capacity",
    "institution",
    "institution_organises",
    "status",
]


def _check_cohort(
    *, school_year: SchoolYear, programme: str, module: Module | None, content_title: str, institution: Unit | None
) -> None:
    if programme == Programme.BD03:
        if module is None:
            raise ValidationError(_("A programme 03 cohort teaches a module: choose one."))
        if not Module.objects.in_force(school_year).filter(pk=module.pk).exists():
            raise ValidationError(_("This module is not offered in the school year %(y)s.") % {"y": school_year.label})
    elif module is not None or not content_title.strip():
        raise ValidationError(_("A programme 01 or 02 cohort teaches a content topic: write it, without a module."))
    if institution is not None and institution.kind != UnitKind.INSTITUTION:
        raise ValidationError(_("The assessing unit must be a training institution."))


def phases_from_template(template: ScheduleTemplate, starts_on: date) -> list[tuple[str, date, date, int]]:
    """(kind, from, to, days) of each phase of the template, one after the other from `starts_on`."""
    out = []
    day = starts_on
    for phase in template.phases:
        days = int(phase["days"])
        out.append((str(phase["kind"]), day, day + timedelta(days=days - 1), days))
        day += timedelta(days=days)
    return out


@transaction.atomic
def cohort_create(
    *,
    scope: Scope,
    organiser: Unit,
    school_year: SchoolYear,
    name: str,
    programme: str,
    module: Module | None = None,
    content_title: str = "",
    form: str,
    capacity: int,
    institution: Unit | None = None,
    template: ScheduleTemplate | None = None,
    starts_on: date | None = None,
    institution_organises: bool = False,
) -> Cohort:
    """A cohort organised by `organiser`; with a template and a start date, its phases follow the template.
    A training institution's staff create one for the authority it belongs to, organising it for them
    (`institution_organises`)."""
    if institution_organises and institution is None:
        raise ValidationError(_("Choose the training institution that organises the cohort."))
    acting = (
        institution_organises
        and institution is not None
        and scope.holds_at(Perm.TRAINING_ASSESS, institution)
        and institution.path.startswith(organiser.path)
    )
    if not (scope.has(Perm.TRAINING_MANAGE, organiser.path) or acting):
        raise PermissionDenied
    _check_cohort(
        school_year=school_year,
        programme=programme,
        module=module,
        content_title=content_title,
        institution=institution,
    )
    if template is not None and starts_on is None:
        raise ValidationError(_("Give the first day to build the schedule from the template."))
    cohort = Cohort.objects.create(
        school_year=school_year,
        organiser=organiser,
        name=name.strip(),
        programme=programme,
        module=module,
        content_title=content_title.strip(),
        form=form,
        capacity=capacity,
        institution=institution,
        institution_organises=institution_organises,
        template=template,
    )
    AssessmentComponent.objects.bulk_create(
        AssessmentComponent(cohort=cohort, position=i, kind=kind, name=str(name), assessed_by=by)
        for i, (kind, name, by) in enumerate(DEFAULT_COMPONENTS[cohort.programme == Programme.BD03])
    )
    if template is not None and starts_on is not None:
        CohortPhase.objects.bulk_create(
            CohortPhase(cohort=cohort, position=i, kind=kind, starts_on=a, ends_on=b, days=days)
            for i, (kind, a, b, days) in enumerate(phases_from_template(template, starts_on))
        )
    audit_record(
        actor_id=scope.user_id,
        action="cohort.create",
        obj=cohort,
        unit_path=organiser.path,
        changes=diff({}, {**snapshot(cohort, COHORT_FIELDS), "school_year": school_year.pk}),
        note=template.code if template else "",
    )
    return cohort


@transaction.atomic
def cohort_update(*, scope: Scope, cohort: Cohort, **fields: Any) -> Cohort:
    """Change a cohort's name, form, capacity, assessing institution, status (not its year or organiser)."""
    _require_manage(scope, cohort)
    unknown = set(fields) - {
        "name",
        "form",
        "capacity",
        "institution",
        "institution_organises",
        "status",
        "content_title",
    }
    if unknown:
        raise TypeError(f"cohort_update cannot change {sorted(unknown)}")
    before = snapshot(cohort, COHORT_FIELDS)
    for k, v in fields.items():
        setattr(cohort, k, v.strip() if isinstance(v, str) else v)
    _check_cohort(
        school_year=cohort.school_year,
        programme=cohort.programme,
        module=cohort.module,
        content_title=cohort.content_title,
        institution=cohort.institution,
    )
    if cohort.status not in CohortStatus.values:
        raise ValidationError(_("Unknown status."))
    if cohort.institution_organises and cohort.institution is None:
        raise ValidationError(_("Choose the training institution that organises the cohort."))
    cohort.save()
    audit_record(
        actor_id=scope.user_id,
        action="cohort.update",
        obj=cohort,
        unit_path=cohort.organiser.path,
        changes=diff(before, snapshot(cohort, COHORT_FIELDS)),
    )
    return cohort


@transaction.atomic
def session_add(*, scope: Scope, cohort: Cohort, venue: str, starts_at: Any, ends_at: Any) -> CohortSession:
    """An in-person session of the cohort, attached to the in-person phase it falls in (if any)."""
    _require_manage(scope, cohort)
    if ends_at <= starts_at:
        raise ValidationError(_("A session ends after it starts."))
    day = starts_at.date()
    phase = (
        CohortPhase.objects.filter(cohort=cohort, kind=PhaseKind.IN_PERSON, starts_on__lte=day, ends_on__gte=day)
        .order_by("position")
        .first()
    )
    session = CohortSession.objects.create(
        cohort=cohort, phase=phase, venue=venue.strip(), starts_at=starts_at, ends_at=ends_at
    )
    audit_record(
        actor_id=scope.user_id,
        action="cohort.session_add",
        obj=session,
        object_repr=f"{cohort.name}: {session}",
        unit_path=cohort.organiser.path,
        changes=diff({}, snapshot(session, ["venue", "starts_at", "ends_at"])),
    )
    return session


# --- trainers ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Qualification:
    """What a trainer lacks under the rule of the year ([] = qualifies)."""

    rule: TrainerRule | None
    shortfalls: list[str]

    @property
    def qualifies(self) -> bool:
        return not self.shortfalls

    @property
    def refused(self) -> bool:
        return bool(self.shortfalls) and self.rule is not None and self.rule.enforcement == Enforcement.REFUSE


def trainer_qualification(
    *, school_year: SchoolYear, degree: str, years_experience: int, it_skills: bool
) -> Qualification:
    """Check a trainer against the rule in force in the school year (none in force: nothing to check)."""
    rule = trainer_rule_for(school_year)
    if rule is None:
        return Qualification(rule=None, shortfalls=[])
    lacks = []
    if DEGREE_RANK.get(degree, 0) < DEGREE_RANK[rule.min_degree]:
        lacks.append(_("degree below %(d)s") % {"d": Degree(rule.min_degree).label})
    if rule.min_years_experience is not None and years_experience < rule.min_years_experience:
        lacks.append(_("fewer than %(n)s years of BDTX experience") % {"n": rule.min_years_experience})
    if rule.requires_it_skills and not it_skills:
        lacks.append(_("no IT skills"))
    return Qualification(rule=rule, shortfalls=lacks)


@transaction.atomic
def trainer_add(
    *,
    scope: Scope,
    cohort: Cohort,
    role: str,
    degree: str,
    years_experience: int,
    it_skills: bool,
    full_name: str = "",
    person: Person | None = None,
) -> tuple[Trainer, Qualification]:
    """Add a trainer. Under a rule that refuses, one who does not qualify is refused (ValidationError
    naming what is lacking); under one that warns, added with the shortfalls kept.

    A trainer linked to a staff record (`person`) takes its name from it, and must work in the
    cohort's school year under the organiser (`trainer_staff`: the subtree the organiser manages),
    once per cohort; a training institution's trainer has no staff record and gives `full_name`."""
    _require_manage(scope, cohort)
    if person is not None:
        if not trainer_staff(cohort=cohort).filter(person=person).exists():
            raise ValidationError(
                _("%(name)s does not work under %(unit)s in the school year %(y)s: choose a trainer from its staff.")
                % {"name": person.full_name, "unit": cohort.organiser.name, "y": cohort.school_year.label}
            )
        if Trainer.objects.filter(cohort=cohort, person=person).exists():
            raise ValidationError(_("%(name)s is already a trainer of this cohort.") % {"name": person.full_name})
        full_name = person.full_name
    if not full_name.strip():
        raise ValidationError(_("Write the trainer's full name, or link a staff record."))
    q = trainer_qualification(
        school_year=cohort.school_year, degree=degree, years_experience=years_experience, it_skills=it_skills
    )
    if q.refused:
        assert q.rule is not None
        raise ValidationError(
            _("%(name)s does not meet %(source)s: %(lacks)s.")
            % {"name": full_name, "source": q.rule.source, "lacks": "; ".join(q.shortfalls)}
        )
    trainer = Trainer.objects.create(
        cohort=cohort,
        person=person,
        full_name=full_name.strip(),
        role=role,
        degree=degree,
        years_experience=years_experience,
        it_skills=it_skills,
        shortfalls=q.shortfalls,
        rule=q.rule,
    )
    audit_record(
        actor_id=scope.user_id,
        action="trainer.add",
        obj=trainer,
        object_repr=f"{cohort.name}: {trainer.full_name}",
        unit_path=cohort.organiser.path,
        changes=diff({}, snapshot(trainer, ["full_name", "person", "role", "degree", "years_experience", "it_skills"])),
        note="; ".join(q.shortfalls),
    )
    return trainer, q


# --- enrolment from plans ------------------------------------------------------------------------


@dataclass(frozen=True)
class EnrolFilters:
    unit: Unit | None = None  # under this unit (inside the organiser's subtree)
    level: str = ""  # SchoolLevel
    staff_type: str = ""  # StaffType: GV or CBQL


@dataclass(frozen=True)
class EnrolmentPreview:
    eligible: int  # approved plans holding the cohort's module or programme, within the filters
    in_this_cohort: int  # of them, already active here
    elsewhere: int  # of them, already active in another cohort of the same module and year
    to_enrol: int
    to_wait: int
    places_left: int


def _employment_q(year: SchoolYear, f: EnrolFilters) -> Q:
    if not f.level and not f.staff_type:
        return Q()
    emp = Employment.objects.filter(person=OuterRef("person_id"), school_year=year)
    if f.staff_type:
        emp = emp.filter(staff_type=f.staff_type)
    if f.level:
        emp = emp.filter(Q(school_level=f.level) | Q(school_level="", unit__levels__contains=f",{f.level},"))
    return Q(Exists(emp))


def _candidates(cohort: Cohort, f: EnrolFilters) -> QuerySet[PersonalPlan]:
    """Approved plans of the year under the organiser (and the filter unit) holding what the cohort teaches."""
    items = PlanItem.objects.filter(plan=OuterRef("pk"))
    items = items.filter(module=cohort.module) if cohort.module_id else items.filter(programme=cohort.programme)
    qs = PersonalPlan.objects.within(cohort.organiser.path).filter(
        Exists(items), school_year=cohort.school_year, status=PlanStatus.APPROVED
    )
    if f.unit is not None:
        qs = qs.within(f.unit.path)
    return qs.filter(_employment_q(cohort.school_year, f))


def _active_elsewhere_q(cohort: Cohort) -> tuple[Q, Q]:
    """(already active in this cohort, already active in another cohort of the same module and year)."""
    here = Enrolment.objects.filter(cohort=cohort, person=OuterRef("person_id"), status__in=ACTIVE_STATUSES)
    if cohort.module_id:
        other = Enrolment.objects.filter(
            person=OuterRef("person_id"),
            module_id=cohort.module_id,
            school_year_id=cohort.school_year_id,
            status__in=ACTIVE_STATUSES,
        ).exclude(cohort=cohort)
    else:
        other = Enrolment.objects.none()
    return Q(Exists(here)), Q(Exists(other))


def _check_filters(scope: Scope, cohort: Cohort, f: EnrolFilters) -> None:
    _require_manage(scope, cohort)
    if f.unit is not None and not f.unit.path.startswith(cohort.organiser.path):
        raise ValidationError(_("Learners come from the organiser's own units."))
    if f.level and f.level not in SchoolLevel.values:
        raise ValidationError(_("Unknown school level."))
    if f.staff_type and f.staff_type not in StaffType.values:
        raise ValidationError(_("Unknown staff type."))


def _places_left(cohort: Cohort) -> int:
    enrolled = Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ENROLLED).count()
    return max(cohort.capacity - enrolled, 0)


def enrolment_preview(*, scope: Scope, cohort: Cohort, filters: EnrolFilters = EnrolFilters()) -> EnrolmentPreview:
    """What `enrolment_bulk_from_plans` would do, counted in one query, nothing written."""
    _check_filters(scope, cohort, filters)
    here, other = _active_elsewhere_q(cohort)
    c = _candidates(cohort, filters).aggregate(
        eligible=Count("pk"),
        in_this_cohort=Count("pk", filter=here),
        elsewhere=Count("pk", filter=other & ~here),
    )
    new = c["eligible"] - c["in_this_cohort"] - c["elsewhere"]
    left = _places_left(cohort)
    return EnrolmentPreview(
        eligible=c["eligible"],
        in_this_cohort=c["in_this_cohort"],
        elsewhere=c["elsewhere"],
        to_enrol=min(new, left),
        to_wait=max(new - left, 0),
        places_left=left,
    )


@dataclass(frozen=True)
class EnrolmentResult:
    enrolled: int
    waiting: int


@transaction.atomic
def enrolment_bulk_from_plans(
    *, scope: Scope, cohort: Cohort, filters: EnrolFilters = EnrolFilters()
) -> EnrolmentResult:
    """Enrol the learners whose approved plan holds the cohort's module (or programme), within the
    filters, who are not active in a cohort of the same module and year already. Places go in the
    order the plans were approved; past the capacity, learners go on the waiting list. Set-based:
    one query reads (person, unit) pairs, the rows are inserted in batches."""
    _check_filters(scope, cohort, filters)
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()  # one bulk enrolment at a time per cohort
    here, other = _active_elsewhere_q(cohort)
    pairs = (
        _candidates(cohort, filters)
        .exclude(here | other)
        .order_by("decided_at", "pk")
        .values_list("person_id", "unit_id")
    )
    left = _places_left(cohort)
    enrolled = waiting = 0
    rows: list[dict[str, Any]] = []

    def flush() -> None:
        bulk_insert_values(Enrolment, rows)
        rows.clear()

    for person_id, unit_id in pairs.iterator(chunk_size=BATCH):
        status = EnrolmentStatus.ENROLLED if enrolled < left else EnrolmentStatus.WAITING
        if status == EnrolmentStatus.ENROLLED:
            enrolled += 1
        else:
            waiting += 1
        rows.append(
            {
                "cohort_id": cohort.pk,
                "person_id": person_id,
                "unit_id": unit_id,
                "school_year_id": cohort.school_year_id,
                "module_id": cohort.module_id,
                "status": str(status),
                "reason": "",
                "group_id": None,
            }
        )
        if len(rows) >= BATCH:
            flush()
    flush()
    audit_record(
        actor_id=scope.user_id,
        action="enrolment.bulk",
        obj=cohort,
        unit_path=cohort.organiser.path,
        changes={"enrolled": [None, enrolled], "waiting": [None, waiting]},
        note=(filters.unit.name if filters.unit else "")
        + (f" {filters.level}" if filters.level else "")
        + (f" {filters.staff_type}" if filters.staff_type else ""),
    )
    return EnrolmentResult(enrolled=enrolled, waiting=waiting)


def _promote_waiting(cohort: Cohort) -> int:
    """Fill free places from the waiting list, first come first served."""
    left = _places_left(cohort)
    if not left:
        return 0
    ids = list(
        Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.WAITING)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)[:left]
    )
    return Enrolment.objects.filter(pk__in=ids).update(status=EnrolmentStatus.ENROLLED)


@transaction.atomic
def enrolment_withdraw(*, scope: Scope, enrolment: Enrolment, reason: str) -> Enrolment:
    """Withdraw a learner with a reason; a place freed goes to the first on the waiting list."""
    cohort = enrolment.cohort
    _require_manage(scope, cohort)
    if not reason.strip():
        raise ValidationError(_("Give the reason."))
    if enrolment.status not in ACTIVE_STATUSES:
        raise ValidationError(_("This learner is no longer in the cohort."))
    if is_locked(enrolment):
        raise ValidationError(_("The managing office has approved this learner's completion: they stay in the cohort."))
    before = snapshot(enrolment, ["status", "reason"])
    enrolment.status, enrolment.reason, enrolment.group = EnrolmentStatus.WITHDRAWN, reason.strip(), None
    enrolment.save(update_fields=["status", "reason", "group", "updated_at"])
    completion_recompute(enrolments=Enrolment.objects.filter(pk=enrolment.pk))  # never completed; its list follows
    _promote_waiting(cohort)
    audit_record(
        actor_id=scope.user_id,
        action="enrolment.withdraw",
        obj=enrolment,
        object_repr=f"{enrolment.person.full_name} — {cohort.name}",
        unit_path=enrolment.unit.path,
        changes=diff(before, snapshot(enrolment, ["status", "reason"])),
    )
    return enrolment


@transaction.atomic
def enrolment_move(*, scope: Scope, enrolment: Enrolment, to: Cohort, reason: str) -> Enrolment:
    """Move a learner to another cohort of the same module (or programme) and year, with a reason:
    the old enrolment is kept as moved, a new one starts (enrolled, or waiting when the other is full)."""
    cohort = enrolment.cohort
    _require_manage(scope, cohort)
    _require_manage(scope, to)
    if not reason.strip():
        raise ValidationError(_("Give the reason."))
    if enrolment.status not in ACTIVE_STATUSES:
        raise ValidationError(_("This learner is no longer in the cohort."))
    if is_locked(enrolment):
        raise ValidationError(_("The managing office has approved this learner's completion: they stay in the cohort."))
    if to.pk == cohort.pk or to.school_year_id != cohort.school_year_id or to.module_id != cohort.module_id:
        raise ValidationError(_("Move a learner only to another cohort of the same module and school year."))
    if to.programme != cohort.programme:
        raise ValidationError(_("Move a learner only to another cohort of the same module and school year."))
    enrolment.status, enrolment.reason, enrolment.group = EnrolmentStatus.MOVED, reason.strip(), None
    enrolment.save(update_fields=["status", "reason", "group", "updated_at"])
    completion_recompute(enrolments=Enrolment.objects.filter(pk=enrolment.pk))
    status = EnrolmentStatus.ENROLLED if _places_left(to) else EnrolmentStatus.WAITING
    new = Enrolment.objects.create(
        cohort=to,
        person=enrolment.person,
        unit=enrolment.unit,
        school_year_id=to.school_year_id,
        module_id=to.module_id,
        status=status,
        reason=reason.strip(),
    )
    _promote_waiting(cohort)
    audit_record(
        actor_id=scope.user_id,
        action="enrolment.move",
        obj=new,
        object_repr=f"{enrolment.person.full_name}: {cohort.name} → {to.name}",
        unit_path=enrolment.unit.path,
        changes={"from": [None, cohort.name], "to": [None, to.name]},
        note=reason.strip()[:255],
    )
    return new


# --- core teachers' groups -----------------------------------------------------------------------


def _audiences(cohort: Cohort) -> tuple[set[str], bool | None]:
    """Staff types and preschool-or-not of the core teachers fit for the cohort's module (its audience)."""
    audience = cohort.module.audience if cohort.module_id and cohort.module else ""
    if not audience:
        return {str(StaffType.TEACHER), str(StaffType.MANAGER)}, None
    staff = {str(StaffType.MANAGER)} if audience in (Audience.QLMN, Audience.QLPT) else {str(StaffType.TEACHER)}
    return staff, audience in (Audience.GVMN, Audience.QLMN)


def _mentor_pool(cohort: Cohort) -> dict[str, deque[int]]:
    """Core teachers fit for the cohort (same year, working, right audience, in the organiser's
    subtree), indexed by every ancestor path of their school: the deepest shared path is the nearest."""
    staff, preschool = _audiences(cohort)
    emp = Employment.objects.within(cohort.organiser.path).filter(
        school_year_id=cohort.school_year_id,
        is_mentor=True,
        status=EmploymentStatus.WORKING,
        staff_type__in=staff,
    )
    if preschool is True:
        emp = emp.filter(Q(school_level=SchoolLevel.MN) | Q(school_level="", unit__levels__contains=",MN,"))
    elif preschool is False:
        emp = emp.exclude(school_level=SchoolLevel.MN).exclude(school_level="", unit__levels=",MN,")
    pool: dict[str, deque[int]] = defaultdict(deque)
    for person_id, path in emp.order_by("unit__path", "person__sort_key").values_list("person_id", "unit__path"):
        for p in reversed(ancestor_paths(path)):
            pool[p].append(person_id)
    return pool


def _pack(rows: list[tuple[int, int, str]], size: int) -> list[list[tuple[int, int, str]]]:
    """Cut (enrolment, unit, path) rows, sorted by school then name, into groups of at most `size`,
    starting a new group rather than splitting a school that fits in one."""
    groups: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    i = 0
    while i < len(rows):
        unit = rows[i][1]
        j = i
        while j < len(rows) and rows[j][1] == unit:
            j += 1
        school = rows[i:j]
        if len(current) + len(school) > size and current and len(school) <= size:
            groups.append(current)
            current = []
        for r in school:
            if len(current) == size:
                groups.append(current)
                current = []
            current.append(r)
        i = j
    if current:
        groups.append(current)
    return groups


@dataclass(frozen=True)
class SplitResult:
    groups: int
    learners: int
    without_mentor: int


@transaction.atomic
def groups_split(*, scope: Scope, cohort: Cohort) -> SplitResult:
    """Split the cohort's enrolled learners into support groups anew: by school then name, at most the
    rule's group size, a school kept whole where it fits; each group led by the nearest free core
    teacher of the right audience (same school, then commune or district, then province). Groups are
    rebuilt from scratch (changes by hand are lost); a core teacher leads one group of a cohort."""
    _require_manage(scope, cohort)
    rule = mentor_rule_for(cohort.school_year)
    if rule is None:
        raise ValidationError(_("No core teacher rule is in force in this school year."))
    Cohort.objects.select_for_update().filter(pk=cohort.pk).first()
    Enrolment.objects.filter(cohort=cohort, group__isnull=False).update(group=None)  # rewrite no row for nothing
    SupportGroup.objects.filter(cohort=cohort).delete()
    rows = list(
        Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ENROLLED)
        .order_by("unit__path", "unit_id", "person__sort_key", "pk")
        .values_list("pk", "unit_id", "unit__path")
    )
    packs = _pack(rows, rule.max_group_size)
    mentors = _mentors_nearest(packs, _mentor_pool(cohort))
    groups = [
        SupportGroup(cohort=cohort, number=n, name=_("Group %(n)s") % {"n": n}, mentor_id=mentors[n - 1])
        for n in range(1, len(packs) + 1)
    ]
    SupportGroup.objects.bulk_create(groups, batch_size=1000)
    ids = dict(SupportGroup.objects.filter(cohort=cohort).values_list("number", "pk"))
    for n, pack in enumerate(packs, start=1):  # one UPDATE per group (at most the rule's size), none per learner
        Enrolment.objects.filter(pk__in=[r[0] for r in pack]).update(group_id=ids[n])
    without = sum(1 for g in groups if g.mentor_id is None)
    audit_record(
        actor_id=scope.user_id,
        action="group.split",
        obj=cohort,
        unit_path=cohort.organiser.path,
        changes={"groups": [None, len(groups)], "learners": [None, len(rows)], "without_mentor": [None, without]},
    )
    return SplitResult(groups=len(groups), learners=len(rows), without_mentor=without)


def _mentors_nearest(packs: list[list[tuple[int, int, str]]], pool: dict[str, deque[int]]) -> list[int | None]:
    """A core teacher for each group, nearest first for all groups at once: every group takes one from
    its own school before any group looks one level up (the commune or district), and so on; a core
    teacher leads one group."""
    chains = [list(reversed(ancestor_paths(pack[0][2]))) for pack in packs]
    chosen: list[int | None] = [None] * len(packs)
    used: set[int] = set()
    for k in range(max((len(c) for c in chains), default=0)):
        for i, chain in enumerate(chains):
            if chosen[i] is not None or k >= len(chain):
                continue
            q = pool.get(chain[k])
            while q and q[0] in used:
                q.popleft()
            if q:
                chosen[i] = q.popleft()
                used.add(chosen[i])  # type: ignore[arg-type]
    return chosen


@transaction.atomic
def group_member_move(*, scope: Scope, enrolment: Enrolment, group: SupportGroup) -> Enrolment:
    """Move an enrolled learner to another group of the same cohort, by hand (a group may then pass
    the rule's size: the organiser decides)."""
    _require_manage(scope, enrolment.cohort)
    if group.cohort_id != enrolment.cohort_id:
        raise ValidationError(_("The group belongs to another cohort."))
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ValidationError(_("Only enrolled learners belong to groups."))
    before = enrolment.group.name if enrolment.group else None
    enrolment.group = group
    enrolment.save(update_fields=["group", "updated_at"])
    audit_record(
        actor_id=scope.user_id,
        action="group.member_move",
        obj=enrolment,
        object_repr=f"{enrolment.person.full_name} — {enrolment.cohort.name}",
        unit_path=enrolment.unit.path,
        changes={"from": [None, before], "to": [None, group.name]},
    )
    return enrolment
