"""Writes to personal plans. Each checks the scope it is given, runs in a transaction, checks the
rules of the regime of its year, records a PlanEvent for each workflow step and one audit entry.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.catalog.models import Module
from bdtx.catalog.selectors import module_effective_hours
from bdtx.core.models import AuditLog, SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.core.services import audit_record
from bdtx.people.models import Employment, Person
from bdtx.plans.models import Form, PersonalPlan, PlanEvent, PlanItem, PlanStatus
from bdtx.plans.notifications import personal_plan_decided
from bdtx.plans.personal import selectors
from bdtx.plans.personal.selectors import EDITABLE, plan_items, plan_problems, plan_required_hours
from bdtx.regimes.models import Programme, Regime

# Title of the programme 01/02 line of a plan while the authority has not published its topics:
# plans say "per the ministry's / the Sở's guidance" until then (data, in the documents' language).
PENDING_CONTENT_TITLES = {
    Programme.BD01: "Nội dung bồi dưỡng 01 theo hướng dẫn của Bộ GD&ĐT",
    Programme.BD02: "Nội dung bồi dưỡng 02 theo hướng dẫn của Sở GD&ĐT",
}


def _employment(person: Person, school_year: SchoolYear) -> Employment:
    emp = selectors.employment_for(person=person, school_year=school_year)
    if emp is None:
        raise ValidationError(
            _("You are not on a staff list for this school year: ask your school to add you before making a plan.")
        )
    return emp


def _event(plan: PersonalPlan, actor_id: int | None, action: str, comment: str = "") -> None:
    PlanEvent.objects.create(plan=plan, actor_id=actor_id, action=action, comment=comment)


def _audit(plan: PersonalPlan, actor_id: int | None, action: str, changes: dict | None = None, note: str = "") -> None:
    audit_record(actor_id=actor_id, action=action, obj=plan, unit_path=plan.unit.path, changes=changes or {}, note=note)


def _require_owner(plan: PersonalPlan, scope: Scope) -> None:
    """Only the person writes their plan."""
    if not scope.acts_for(plan.person_id):
        raise PermissionDenied


def _require_editable(plan: PersonalPlan) -> None:
    if plan.status not in EDITABLE:
        raise ValidationError(
            _("This plan is %(status)s: it can no longer be changed.") % {"status": plan.get_status_display()}
        )


def _sync_content(plan: PersonalPlan, emp: Employment, required: selectors.RequiredHours) -> None:
    """Programme 01 and 02 lines follow the content the ministry and the province published; while
    none is published, one line per programme stands for it with the required periods. Choices of
    form and months on lines that stay are kept."""
    contents = selectors.content_for(
        unit=plan.unit,
        school_year=plan.school_year,
        audience=selectors.audience_of(emp),
        school_level=emp.school_level,
    )
    existing = list(plan.items.filter(programme__in=[Programme.BD01, Programme.BD02]))
    for programme in (Programme.BD01, Programme.BD02):
        mine = [i for i in existing if i.programme == programme]
        wanted = [c for c in contents if c.programme == programme]
        if wanted:
            by_content = {i.content_id: i for i in mine if i.content_id}
            for item in mine:
                if item.content_id not in {c.pk for c in wanted}:
                    item.delete()
            for c in wanted:
                line = by_content.get(c.pk)
                if line is None:
                    PlanItem.objects.create(plan=plan, programme=programme, content=c, title=c.title, hours=c.hours)
                elif (line.title, line.hours) != (c.title, c.hours):
                    line.title, line.hours = c.title, c.hours
                    line.save(update_fields=["title", "hours"])
        else:
            hours = required.for_programme(programme)
            keep = next((i for i in mine if i.content_id is None), None)
            for item in mine:
                if item is not keep:
                    item.delete()
            if keep is not None:
                if keep.hours != hours:
                    keep.hours = hours
                    keep.save(update_fields=["hours"])
            elif hours:
                PlanItem.objects.create(
                    plan=plan, programme=programme, title=PENDING_CONTENT_TITLES[programme], hours=hours
                )


def _sync_module_hours(plan: PersonalPlan) -> None:
    """Module lines take the periods their module counts now (the ministry's, else the province's:
    the Sở may have set or changed them since the line was added). A module left without periods
    keeps its line as it is; `plan_problems` names it and keeps the plan from being submitted."""
    for item in plan_items(plan=plan):
        if item.module_id is not None and item.counted_hours is not None and item.counted_hours != item.hours:
            item.hours = item.counted_hours
            item.save(update_fields=["hours"])


@transaction.atomic
def plan_start(*, scope: Scope, person: Person, school_year: SchoolYear) -> PersonalPlan:
    """Create the person's plan for the year with programme 01 and 02 included (or return it).

    Only the person starts their own plan.
    """
    if not scope.acts_for(person.pk):
        raise PermissionDenied
    existing = PersonalPlan.objects.filter(person=person, school_year=school_year).first()
    if existing is not None:
        return existing
    emp = _employment(person, school_year)
    try:
        required = selectors.required_hours(unit=emp.unit, school_year=school_year)
    except Regime.DoesNotExist:
        raise ValidationError(_("No BDTX regime covers this school year yet.")) from None
    plan = PersonalPlan.objects.create(
        person=person, unit=emp.unit, school_year=school_year, regime=required.regime, status=PlanStatus.DRAFT
    )
    _sync_content(plan, emp, required)
    _event(plan, scope.user_id, "plan.create")
    _audit(plan, scope.user_id, "plan.create", {"status": [None, plan.status]})
    return plan


def _month_in_year(value: date | None, school_year: SchoolYear) -> bool:
    if value is None:
        return True
    return school_year.starts_on.replace(day=1) <= value <= school_year.ends_on


def _check_months(plan: PersonalPlan, start_month: date | None, end_month: date | None) -> None:
    errors = {}
    for field, value in (("start_month", start_month), ("end_month", end_month)):
        if not _month_in_year(value, plan.school_year):
            errors[field] = _("Choose a month of the school year %(year)s.") % {"year": plan.school_year}
    if not errors and start_month and end_month and end_month < start_month:
        errors["end_month"] = _("The last month comes before the first.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def plan_module_add(
    *,
    scope: Scope,
    plan: PersonalPlan,
    module: Module,
    form: str = Form.BLENDED,
    start_month: date | None = None,
    end_month: date | None = None,
    reason: str = "",
) -> PlanItem:
    """Add a programme 03 module to the plan after checking it suits the person this year."""
    plan = PersonalPlan.objects.select_for_update().select_related("person", "unit").get(pk=plan.pk)
    _require_owner(plan, scope)
    _require_editable(plan)
    emp = _employment(plan.person, plan.school_year)
    if plan.items.filter(module=module).exists():
        raise ValidationError(_("Module %(code)s is already in your plan.") % {"code": module.code})
    if not Module.objects.in_force(plan.school_year).filter(pk=module.pk).exists():
        raise ValidationError(_("Module %(code)s is not in force in this school year.") % {"code": module.code})
    if module.audience != selectors.audience_of(emp):
        raise ValidationError(
            _("Module %(code)s is for %(audience)s.") % {"code": module.code, "audience": module.get_audience_display()}
        )
    if module.levels and f",{emp.school_level}," not in module.levels:
        raise ValidationError(_("Module %(code)s is not for your school level.") % {"code": module.code})
    hours = module_effective_hours(module=module, unit=plan.unit, school_year=plan.school_year)
    if hours is None:
        raise ValidationError(
            _("The periods of module %(code)s are not known yet, so it cannot count toward programme 03.")
            % {"code": module.code}
        )
    bd03 = plan_required_hours(plan=plan).bd03
    have = sum(i.counted_hours or 0 for i in plan_items(plan=plan) if i.programme == Programme.BD03)
    if have + hours > bd03:
        raise ValidationError(
            _(
                "Programme 03 has %(need)s periods and your plan already has %(have)s: module %(code)s "
                "(%(n)s periods) would go over. Remove a module first."
            )
            % {"need": bd03, "have": have, "code": module.code, "n": hours}
        )
    if form not in Form.values:
        raise ValidationError({"form": _("Choose a form of training.")})
    _check_months(plan, start_month, end_month)
    item = PlanItem.objects.create(
        plan=plan,
        programme=Programme.BD03,
        module=module,
        title=module.title,
        hours=hours,
        form=form,
        start_month=start_month,
        end_month=end_month,
        reason=reason[:500],
    )
    _audit(plan, scope.user_id, "plan.item_add", {"module": [None, module.code], "hours": [None, item.hours]})
    return item


@transaction.atomic
def plan_item_update(
    *,
    scope: Scope,
    plan: PersonalPlan,
    item: PlanItem,
    form: str,
    start_month: date | None,
    end_month: date | None,
) -> PlanItem:
    """Change the form of training and the planned months of one line."""
    _require_owner(plan, scope)
    _require_editable(plan)
    if item.plan_id != plan.pk:
        raise PermissionDenied
    if form not in Form.values:
        raise ValidationError({"form": _("Choose a form of training.")})
    _check_months(plan, start_month, end_month)
    before = {"form": item.form, "start_month": item.start_month, "end_month": item.end_month}
    item.form, item.start_month, item.end_month = form, start_month, end_month
    item.save(update_fields=["form", "start_month", "end_month"])
    after = {"form": item.form, "start_month": item.start_month, "end_month": item.end_month}
    changes = {k: [str(before[k] or ""), str(after[k] or "")] for k in after if before[k] != after[k]}
    if changes:
        _audit(plan, scope.user_id, "plan.item_update", changes, note=item.title[:100])
    return item


@transaction.atomic
def plan_item_remove(*, scope: Scope, plan: PersonalPlan, item: PlanItem) -> None:
    """Take a programme 03 module out of the plan (programme 01 and 02 lines follow the content)."""
    _require_owner(plan, scope)
    _require_editable(plan)
    if item.plan_id != plan.pk:
        raise PermissionDenied
    if item.programme != Programme.BD03:
        raise ValidationError(_("Programme 01 and 02 lines come from the content of the year and stay in the plan."))
    code = item.module.code if item.module else item.title
    item.delete()
    _audit(plan, scope.user_id, "plan.item_remove", {"module": [code, None]})


@transaction.atomic
def plan_refresh_content(*, scope: Scope, plan: PersonalPlan) -> None:
    """Bring programme 01 and 02 lines up to date with the published content."""
    plan = PersonalPlan.objects.select_for_update().select_related("person", "unit").get(pk=plan.pk)
    _require_owner(plan, scope)
    _require_editable(plan)
    _sync_content(plan, _employment(plan.person, plan.school_year), plan_required_hours(plan=plan))
    _sync_module_hours(plan)


@transaction.atomic
def plan_submit(*, scope: Scope, plan: PersonalPlan) -> PersonalPlan:
    """The person sends their plan to the school; refused with every problem listed."""
    plan = PersonalPlan.objects.select_for_update().select_related("person", "unit").get(pk=plan.pk)
    _require_owner(plan, scope)
    _require_editable(plan)
    _sync_content(plan, _employment(plan.person, plan.school_year), plan_required_hours(plan=plan))
    _sync_module_hours(plan)
    problems = plan_problems(plan=plan)
    if problems:
        raise ValidationError(problems)
    before = plan.status
    plan.status = PlanStatus.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.save(update_fields=["status", "submitted_at", "updated_at"])
    _event(plan, scope.user_id, "plan.submit")
    _audit(plan, scope.user_id, "plan.submit", {"status": [before, plan.status]})
    return plan


def _decide(
    *, scope: Scope, plan: PersonalPlan, allowed_from: tuple[str, ...], to: str, action: str, comment: str
) -> PersonalPlan:
    """The school (PLANS_APPROVE over the plan's unit) decides; never the person on their own plan."""
    plan = PersonalPlan.objects.select_for_update().select_related("person", "unit").get(pk=plan.pk)
    scope.require(Perm.PLANS_APPROVE, plan.unit.path)
    if scope.is_person(plan.person_id) or (scope.user_id is not None and plan.person.user_id == scope.user_id):
        raise ValidationError(_("You cannot decide on your own plan: the school or the office above does."))
    if plan.status not in allowed_from:
        raise ValidationError(
            _("This plan is %(status)s: that step is not possible now.") % {"status": plan.get_status_display()}
        )
    before = plan.status
    plan.status = to
    plan.decided_at = timezone.now()
    plan.decided_by_id = scope.user_id
    plan.comment = comment
    plan.save(update_fields=["status", "decided_at", "decided_by", "comment", "updated_at"])
    _event(plan, scope.user_id, action, comment)
    _audit(plan, scope.user_id, action, {"status": [before, plan.status]}, note=comment[:255])
    personal_plan_decided(plan)
    return plan


@transaction.atomic
def plan_approve(*, scope: Scope, plan: PersonalPlan, comment: str = "") -> PersonalPlan:
    """The school approves a submitted plan (PLANS_APPROVE over the plan's unit)."""
    return _decide(
        scope=scope,
        plan=plan,
        allowed_from=(PlanStatus.SUBMITTED,),
        to=PlanStatus.APPROVED,
        action="plan.approve",
        comment=comment.strip(),
    )


@transaction.atomic
def plan_return(*, scope: Scope, plan: PersonalPlan, comment: str) -> PersonalPlan:
    """The school sends a submitted plan back to the person with what to change."""
    if not comment.strip():
        raise ValidationError({"comment": _("Say what should change in the plan.")})
    return _decide(
        scope=scope,
        plan=plan,
        allowed_from=(PlanStatus.SUBMITTED,),
        to=PlanStatus.RETURNED,
        action="plan.return",
        comment=comment.strip(),
    )


@transaction.atomic
def plan_reopen(*, scope: Scope, plan: PersonalPlan, comment: str) -> PersonalPlan:
    """The school reopens an approved plan so the person can change it (it must be approved again)."""
    if not comment.strip():
        raise ValidationError({"comment": _("Say why the plan is reopened.")})
    return _decide(
        scope=scope,
        plan=plan,
        allowed_from=(PlanStatus.APPROVED,),
        to=PlanStatus.RETURNED,
        action="plan.reopen",
        comment=comment.strip(),
    )


@transaction.atomic
def plan_copies_create(
    *, scope: Scope, exemplar: PersonalPlan, copies: list[tuple[Employment, str]], comment: str = ""
) -> int:
    """Give each (employment, status) the exemplar's lines in a plan of that status, in bulk: for
    loaders (the demo) that fill a province with plans made like one the services checked. The
    system only; a status other than draft needs an exemplar that can be submitted. Each plan gets
    the events of the steps it went through; one audit entry records the batch."""
    if not scope.is_system:
        raise PermissionDenied
    statuses = {status for _job, status in copies}
    if statuses - {PlanStatus.DRAFT} and plan_problems(plan=exemplar):
        raise ValidationError(_("The exemplar plan cannot be submitted: its copies can only be drafts."))
    now = timezone.now()
    plans = [
        PersonalPlan(
            person_id=job.person_id,
            unit_id=job.unit_id,
            school_year_id=exemplar.school_year_id,
            regime_id=exemplar.regime_id,
            status=status,
            submitted_at=now if status != PlanStatus.DRAFT else None,
            decided_at=now if status in (PlanStatus.APPROVED, PlanStatus.RETURNED) else None,
            comment=comment if status == PlanStatus.RETURNED else "",
        )
        for job, status in copies
    ]
    PersonalPlan.objects.bulk_create(plans, batch_size=500)
    lines = list(exemplar.items.order_by("pk"))
    PlanItem.objects.bulk_create(
        [
            PlanItem(
                plan=plan,
                programme=line.programme,
                content_id=line.content_id,
                module_id=line.module_id,
                title=line.title,
                hours=line.hours,
                form=line.form,
                start_month=line.start_month,
                end_month=line.end_month,
                reason=line.reason,
            )
            for plan in plans
            for line in lines
        ],
        batch_size=1000,
    )
    events = []
    for plan in plans:  # the steps each plan went through, as the services above record them
        events.append(PlanEvent(plan=plan, actor_id=scope.user_id, action="plan.create"))
        if plan.status != PlanStatus.DRAFT:
            events.append(PlanEvent(plan=plan, actor_id=scope.user_id, action="plan.submit"))
        if plan.status == PlanStatus.APPROVED:
            events.append(PlanEvent(plan=plan, actor_id=scope.user_id, action="plan.approve"))
        elif plan.status == PlanStatus.RETURNED:
            events.append(PlanEvent(plan=plan, actor_id=scope.user_id, action="plan.return", comment=comment))
    PlanEvent.objects.bulk_create(events, batch_size=1000)
    audit_record(
        actor_id=scope.user_id,
        action="plan.copies_create",
        obj=exemplar,
        changes={"plans": [None, len(plans)]},
        source=AuditLog.Source.SYSTEM,
    )
    return len(plans)
