"""The year results' workflow: the school proposes its list, the recognising authority (the province's
`RecognitionRule`: the managing unit or the Sở) recognises it or returns it with a comment, and a
recognised result, frozen otherwise, is corrected only by that authority with a reason.

Computed and proposed results are never edited by hand: they are recomputed from the data
(`bdtx.results.compute.results_compute`), which leaves the recognised ones as they are.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.core.models import SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.core.services import audit_record
from bdtx.organisations.models import Unit
from bdtx.results.compute import results_compute
from bdtx.results.models import ResultStatus, YearResult
from bdtx.results.notifications import results_decided
from bdtx.results.selectors import may_recognise, recogniser_of


def _counts(school: Unit, school_year: SchoolYear, status: str) -> tuple[int, int]:
    """(results, completed) of the school's subtree in that status: one aggregate."""
    c = (
        YearResult.objects.within(school.path)
        .filter(school_year=school_year, status=status)
        .order_by()
        .aggregate(n=Count("pk"), completed=Count("pk", filter=Q(completed=True)))
    )
    return c["n"], c["completed"]


@transaction.atomic
def results_propose(*, scope: Scope, school: Unit, school_year: SchoolYear) -> int:
    """The school proposes its list for recognition: its results are recomputed from the data first,
    then every computed result of its subtree becomes proposed. Refused when nothing is computed.
    Returns how many were proposed."""
    if not scope.has(Perm.PLANS_APPROVE, school.path):
        raise PermissionDenied
    results_compute(scope=scope, unit=school, school_year=school_year)
    people, completed = _counts(school, school_year, ResultStatus.COMPUTED)
    if not people:
        raise ValidationError(
            _("No computed result is waiting to be proposed: compute the results first (an approved plan is needed).")
        )
    YearResult.objects.within(school.path).filter(school_year=school_year, status=ResultStatus.COMPUTED).update(
        status=ResultStatus.PROPOSED,
        proposed_by_id=scope.user_id,
        proposed_at=timezone.now(),
        return_comment="",
        updated_at=timezone.now(),
    )
    audit_record(
        actor_id=scope.user_id,
        action="results.propose",
        obj=school,
        unit_path=school.path,
        changes={"people": [None, people], "completed": [None, completed], "school_year": [None, school_year.pk]},
    )
    return people


def _recogniser(scope: Scope, school: Unit, school_year: SchoolYear) -> Unit:
    recogniser = recogniser_of(school=school, school_year=school_year)
    if recogniser is None:
        raise ValidationError(_("No managing unit is known for: %(names)s.") % {"names": school.name})
    if not may_recognise(scope, recogniser):
        raise PermissionDenied
    return recogniser


@transaction.atomic
def results_recognise(*, scope: Scope, school: Unit, school_year: SchoolYear) -> int:
    """The recognising authority recognises every proposed result of the school (one UPDATE): they are
    frozen from now on (never recomputed). Returns how many were recognised."""
    recogniser = _recogniser(scope, school, school_year)
    people, completed = _counts(school, school_year, ResultStatus.PROPOSED)
    if not people:
        raise ValidationError(_("The school has proposed no result to recognise."))
    now = timezone.now()
    YearResult.objects.within(school.path).filter(school_year=school_year, status=ResultStatus.PROPOSED).update(
        status=ResultStatus.RECOGNISED,
        recognised_by_id=scope.user_id,
        recognised_at=now,
        recognised_unit=recogniser,
        return_comment="",
        updated_at=now,
    )
    audit_record(
        actor_id=scope.user_id,
        action="results.recognise",
        obj=school,
        unit_path=school.path,
        changes={
            "people": [None, people],
            "completed": [None, completed],
            "school_year": [None, school_year.pk],
            "recogniser": [None, recogniser.name],
        },
    )
    results_decided(school=school, school_year=school_year, people=people)
    return people


@transaction.atomic
def results_return(*, scope: Scope, school: Unit, school_year: SchoolYear, comment: str) -> int:
    """The recognising authority returns the school's proposal with a comment (required): the proposed
    results become computed again, for the school to correct its data and propose again."""
    _recogniser(scope, school, school_year)
    comment = comment.strip()
    if not comment:
        raise ValidationError(_("Give the reason for returning the results."))
    people, _completed = _counts(school, school_year, ResultStatus.PROPOSED)
    if not people:
        raise ValidationError(_("The school has proposed no result to return."))
    YearResult.objects.within(school.path).filter(school_year=school_year, status=ResultStatus.PROPOSED).update(
        status=ResultStatus.COMPUTED,
        proposed_by_id=None,
        proposed_at=None,
        return_comment=comment,
        updated_at=timezone.now(),
    )
    audit_record(
        actor_id=scope.user_id,
        action="results.return",
        obj=school,
        unit_path=school.path,
        changes={"people": [None, people], "school_year": [None, school_year.pk]},
        note=comment[:255],
    )
    results_decided(school=school, school_year=school_year, people=people, comment=comment)
    return people


@transaction.atomic
def result_correct(*, scope: Scope, result: YearResult, category: str, reason: str) -> YearResult:
    """The authority that recognised a result changes its category (one of its regime's result
    categories), with a reason, kept in the result's note and its audit entry with the old and the
    new values. Only a recognised result is corrected by hand: the others are recomputed from data."""
    r = (
        YearResult.objects.select_for_update(of=("self",))
        .select_related("person", "unit", "regime", "recognised_unit")
        .get(pk=result.pk)
    )
    if r.status != ResultStatus.RECOGNISED or r.recognised_unit is None:
        raise ValidationError(_("Only a recognised result is corrected by hand: the others are recomputed from data."))
    if not scope.has(Perm.RESULTS_RECOGNISE, r.recognised_unit.path):
        raise PermissionDenied
    reason = reason.strip()
    if not reason:
        raise ValidationError(_("Give the reason for this correction."))
    chosen = next((c for c in r.regime.result_categories or [] if c.get("code") == category), None)
    if chosen is None:
        raise ValidationError(_("The regime has no result category “%(c)s”.") % {"c": category})
    old_label, old_completed = r.label, r.completed
    r.category = category
    r.label = chosen.get("label", category)
    r.completed = bool(chosen.get("completed"))
    r.note = reason
    r.save(update_fields=["category", "label", "completed", "note", "updated_at"])
    audit_record(
        actor_id=scope.user_id,
        action="results.correct",
        obj=r,
        object_repr=f"{r.person} — {r.school_year_id}-{r.school_year_id + 1}",
        unit_path=r.unit.path,
        changes={"label": [old_label, r.label], "completed": [old_completed, r.completed]},
        note=reason[:255],
    )
    return r
