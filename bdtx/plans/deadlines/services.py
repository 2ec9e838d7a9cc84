"""Writes of deadlines: a unit's own date for its subtree, never later than its authorities'."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.core.services import audit_record
from bdtx.organisations.models import Unit
from bdtx.plans.deadlines import selectors
from bdtx.plans.models import Deadline, DeadlineKind


@transaction.atomic
def deadline_set(
    *, scope: Scope, unit: Unit, school_year: SchoolYear, kind: str, due_on: date, source: str = ""
) -> Deadline:
    """Set (or change) the date `unit` gives its subtree for `kind` in that year.

    A unit may only set kinds that concern the levels below it, and never a date later than the one
    its authorities set (the regulation's default counting as the ministry's). Needs DEADLINES_MANAGE
    held at `unit` itself: a unit's own staff set its dates.
    """
    if not scope.holds_at(Perm.DEADLINES_MANAGE, unit):
        raise PermissionDenied
    if kind not in DeadlineKind.values:
        raise ValidationError({"kind": _("Choose what the deadline is for.")})
    if not selectors.may_set_deadline(unit, kind):
        raise ValidationError(
            {"kind": _("%(unit)s does not set this deadline: it concerns a level above it.") % {"unit": unit.name}}
        )
    earliest, latest = date(school_year.start_year - 1, 7, 1), date(school_year.start_year + 1, 6, 30)
    if not earliest <= due_on <= latest:
        raise ValidationError(
            {
                "due_on": _("Choose a date between %(a)s and %(b)s.")
                % {"a": earliest.strftime("%d/%m/%Y"), "b": latest.strftime("%d/%m/%Y")}
            }
        )
    above = selectors.deadline_above(unit=unit, school_year=school_year, kind=kind)
    if above is not None and due_on > above.due_on:
        raise ValidationError(
            {
                "due_on": _(
                    "%(who)s set %(date)s for this deadline: a unit below may only set the same or an earlier date."
                )
                % {
                    "who": above.set_by.name if above.set_by else above.source,
                    "date": above.due_on.strftime("%d/%m/%Y"),
                }
            }
        )
    deadline = Deadline.objects.filter(unit=unit, school_year=school_year, kind=kind).first()
    before = deadline.due_on.isoformat() if deadline else None
    if deadline is None:
        deadline = Deadline(unit=unit, school_year=school_year, kind=kind)
    deadline.due_on = due_on
    deadline.source = source.strip()[:255]
    deadline.save()
    audit_record(
        actor_id=scope.user_id,
        action="deadline.set",
        obj=deadline,
        unit_path=unit.path,
        changes={"kind": [None, kind], "due_on": [before, due_on.isoformat()]},
        note=deadline.source,
    )
    return deadline


@transaction.atomic
def deadline_delete(*, scope: Scope, deadline: Deadline) -> None:
    """Remove a unit's own date: the date of its authorities applies again (DEADLINES_MANAGE over the unit)."""
    scope.require(Perm.DEADLINES_MANAGE, deadline.unit.path)
    audit_record(
        actor_id=scope.user_id,
        action="deadline.delete",
        obj=deadline,
        unit_path=deadline.unit.path,
        changes={"due_on": [deadline.due_on.isoformat(), None]},
    )
    deadline.delete()
