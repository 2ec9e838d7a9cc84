"""A cohort's schedule entered by hand: phases of any shape (self-study on the LMS, in person,
self-study with assignments) besides the 7-2-7 template (issue 9: "other shapes can be entered").
Phases follow one another without overlapping, inside the cohort's school year."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from bdtx.core.scope import Scope
from bdtx.core.services import audit_record
from bdtx.training.models import Cohort, CohortPhase, PhaseKind


def _require_manage(scope: Scope, cohort: Cohort) -> None:
    if not cohort.managed_by(scope):
        raise PermissionDenied


def _renumber(cohort: Cohort) -> None:
    """Positions follow the dates (two UPDATEs per phase at most; a cohort has a handful)."""
    for i, pk in enumerate(
        CohortPhase.objects.filter(cohort=cohort).order_by("starts_on", "id").values_list("pk", flat=True)
    ):
        CohortPhase.objects.filter(pk=pk).update(position=i)


@transaction.atomic
def phase_add(*, scope: Scope, cohort: Cohort, kind: str, starts_on: date, ends_on: date) -> CohortPhase:
    """A phase from `starts_on` to `ends_on` (both days included)."""
    _require_manage(scope, cohort)
    if kind not in PhaseKind.values:
        raise ValidationError(_("Choose the kind of phase."))
    if ends_on < starts_on:
        raise ValidationError(_("A phase ends on or after the day it starts."))
    year = cohort.school_year
    if starts_on < year.starts_on or ends_on > year.ends_on:
        raise ValidationError(
            _("A phase lies inside the school year (%(a)s–%(b)s).")
            % {"a": f"{year.starts_on:%d/%m/%Y}", "b": f"{year.ends_on:%d/%m/%Y}"}
        )
    clash = (
        CohortPhase.objects.select_for_update()
        .filter(cohort=cohort, starts_on__lte=ends_on, ends_on__gte=starts_on)
        .order_by("starts_on")
        .first()
    )
    if clash is not None:
        raise ValidationError(_("It overlaps the phase %(phase)s.") % {"phase": clash})
    phase = CohortPhase.objects.create(
        cohort=cohort, position=0, kind=kind, starts_on=starts_on, ends_on=ends_on, days=(ends_on - starts_on).days + 1
    )
    _renumber(cohort)
    audit_record(
        actor_id=scope.user_id,
        action="cohort.phase_add",
        obj=cohort,
        unit_path=cohort.organiser.path,
        changes={"kind": [None, kind], "from": [None, f"{starts_on:%d/%m/%Y}"], "to": [None, f"{ends_on:%d/%m/%Y}"]},
    )
    return phase


def phase_get(*, cohort: Cohort, position: int) -> CohortPhase:
    """A phase of a cohort the caller already resolved in the viewer's scope (DoesNotExist otherwise)."""
    return CohortPhase.objects.select_related("cohort__organiser", "cohort__institution").get(
        cohort=cohort, position=position
    )


@transaction.atomic
def phase_remove(*, scope: Scope, phase: CohortPhase) -> None:
    """Remove a phase; in-person sessions held in it stay, no longer attached to a phase."""
    cohort = phase.cohort
    _require_manage(scope, cohort)
    changes = {
        "kind": [phase.kind, None],
        "from": [f"{phase.starts_on:%d/%m/%Y}", None],
        "to": [f"{phase.ends_on:%d/%m/%Y}", None],
    }
    phase.delete()
    _renumber(cohort)
    audit_record(
        actor_id=scope.user_id,
        action="cohort.phase_remove",
        obj=cohort,
        unit_path=cohort.organiser.path,
        changes=changes,
    )
