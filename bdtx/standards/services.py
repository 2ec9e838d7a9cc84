"""Writes of the standards app: self-assessment, colleagues' opinions, the principal's evaluation,
the assessments of an imported TEMIS results file, and the standards themselves completed from
the circulars' text. Every write validates, runs in a transaction and leaves one audit entry (per
assessment) in it; the overall ratings come from `rating_compute`, i.e. the RatingRule rows.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.core import uploads
from bdtx.core.models import AuditLog, SchoolYear
from bdtx.core.scope import Perm, Scope
from bdtx.core.services import audit_record, diff, snapshot
from bdtx.core.text import nfc
from bdtx.organisations.models import Unit
from bdtx.organisations.selectors import require_national
from bdtx.people.models import Employment, Person
from bdtx.standards import selectors
from bdtx.standards.models import (
    Assessment,
    Confidence,
    Criterion,
    CriterionRating,
    Framework,
    Level,
    LevelsAre,
    PeerOpinion,
    Standard,
)
from bdtx.standards.rating import RatingOutcome, framework_criteria, framework_rules, rating_explain


def _outcome(assessment: Assessment, field: str) -> RatingOutcome:
    levels = dict(assessment.ratings.values_list("criterion_id", field))
    return rating_explain(framework=assessment.framework, levels=levels)


# --- self-assessment ----------------------------------------------------------------------------


@dataclass
class SelfRating:
    """What a person enters for one criterion."""

    level: int | None
    evidence_text: str = ""
    evidence_link: str = ""
    evidence_file: UploadedFile | None = None
    clear_file: bool = False


@transaction.atomic
def assessment_save_self(
    *,
    scope: Scope,
    person: Person,
    school_year: SchoolYear,
    ratings: Mapping[int, SelfRating],
) -> Assessment:
    """Save the person's self-assessment for the year as a draft (started on first save) with the
    overall rating computed as far as it can be (None until every criterion is rated).

    Only the person writes their own self-assessment.
    """
    if not scope.acts_for(person.pk):
        raise PermissionDenied
    employment = Employment.objects.filter(person=person, school_year=school_year).select_related("unit").first()
    if employment is None:
        raise ValidationError(_("You have no job recorded for this school year: ask your school to add it."))
    assessment = Assessment.objects.select_for_update().filter(person=person, school_year=school_year).first()
    if assessment is None:
        framework = selectors.framework_for_employment(employment)
        if framework is None:
            raise ValidationError(_("No professional standard applies to your job this school year."))
        assessment = Assessment.objects.create(
            person=person, school_year=school_year, unit=employment.unit, framework=framework
        )
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError(_("This self-assessment has been submitted and can no longer be changed."))
    criteria = {c.pk: c for c in framework_criteria(assessment.framework)}
    if unknown := set(ratings) - set(criteria):
        raise ValueError(f"criteria {sorted(unknown)} are not criteria of {assessment.framework.code}")
    for entry in ratings.values():
        if entry.evidence_file is not None:  # by its content, whatever its name says
            uploads.upload_accept(
                entry.evidence_file, allowed=uploads.EVIDENCE_TYPES, max_bytes=settings.EVIDENCE_MAX_BYTES
            )
    existing = {r.criterion_id: r for r in assessment.ratings.all()}
    for cid, entry in ratings.items():
        rating = existing.get(cid) or CriterionRating(assessment=assessment, criterion_id=cid)
        rating.self_level = entry.level
        rating.evidence_text = entry.evidence_text.strip()
        rating.evidence_link = entry.evidence_link.strip()
        if entry.evidence_file is not None:
            rating.evidence_file.save(entry.evidence_file.name or "evidence", entry.evidence_file, save=False)
        elif entry.clear_file:
            rating.evidence_file = ""
        rating.save()
    before = assessment.self_result
    assessment.self_result = _outcome(assessment, "self_level").level
    assessment.save()
    audit_record(
        actor_id=scope.user_id,
        action="assessment.save",
        obj=assessment,
        unit_path=assessment.unit.path,
        changes={"self_result": [before, assessment.self_result]} if before != assessment.self_result else {},
        note=f"{assessment.framework.circular}: {sum(1 for r in ratings.values() if r.level)} criteria rated",
    )
    return assessment


@transaction.atomic
def assessment_submit(*, scope: Scope, assessment: Assessment) -> Assessment:
    """Hand in a draft: every criterion must be rated; the overall rating is computed by the rule.

    Only the person hands in their own self-assessment.
    """
    assessment = Assessment.objects.select_for_update().select_related("unit", "framework").get(pk=assessment.pk)
    if not scope.acts_for(assessment.person_id):
        raise PermissionDenied
    if assessment.status != Assessment.Status.DRAFT:
        raise ValidationError(_("This self-assessment has already been submitted."))
    outcome = _outcome(assessment, "self_level")
    if outcome.level is None:
        raise ValidationError(outcome.reason)
    before = {"status": assessment.status, "self_result": assessment.self_result}
    assessment.self_result = outcome.level
    assessment.status = Assessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.save()
    after = {"status": assessment.status, "self_result": assessment.self_result}
    audit_record(
        actor_id=scope.user_id,
        action="assessment.submit",
        obj=assessment,
        unit_path=assessment.unit.path,
        changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
        note=assessment.framework.circular,
    )
    return assessment


# --- colleagues' opinions -----------------------------------------------------------------------


@transaction.atomic
def opinion_add(*, scope: Scope, assessment: Assessment, text: str) -> PeerOpinion:
    """A colleague's opinion on a submitted self-assessment (same school, same school year): the
    author is the person the scope acts for."""
    author = Person.objects.filter(pk=scope.person_id).first() if scope.person_id else None
    if author is None:
        raise PermissionDenied
    text = text.strip()
    if not text:
        raise ValidationError(_("Write your opinion first."))
    if author.pk == assessment.person_id:
        raise ValidationError(_("Colleagues give opinions on your self-assessment; you cannot give one yourself."))
    same_school = Employment.objects.filter(
        person=author, school_year_id=assessment.school_year_id, unit_id=assessment.unit_id
    ).exists()
    if not same_school:
        raise PermissionDenied
    if assessment.status != Assessment.Status.SUBMITTED:
        raise ValidationError(_("Opinions are collected between the submission and the principal's evaluation."))
    opinion = PeerOpinion.objects.create(assessment=assessment, author=author, text=text)
    audit_record(
        actor_id=scope.user_id,
        action="assessment.opinion",
        obj=assessment,
        unit_path=assessment.unit.path,
        note=f"{author.full_name}"[:255],
    )
    return opinion


# --- the principal's (or the office's) evaluation -----------------------------------------------


@transaction.atomic
def assessment_evaluate(
    *,
    scope: Scope,
    assessment: Assessment,
    levels: Mapping[int, int | None],
    comment: str = "",
) -> Assessment:
    """The evaluator's level for each criterion and the overall rating by the same rule.

    The principal evaluates the school's teachers; the office above evaluates the principal
    (`selectors.evaluator_unit`); nobody evaluates themself.
    """
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("unit", "unit__parent", "framework")
        .get(pk=assessment.pk)
    )
    if not selectors.assessment_access(scope=scope, assessment=assessment).evaluate:
        raise PermissionDenied
    if assessment.status not in (Assessment.Status.SUBMITTED, Assessment.Status.EVALUATED):
        raise ValidationError(_("Only a submitted self-assessment can be evaluated."))
    criteria = {c.pk: c for c in framework_criteria(assessment.framework)}
    if unknown := set(levels) - set(criteria):
        raise ValueError(f"criteria {sorted(unknown)} are not criteria of {assessment.framework.code}")
    outcome = rating_explain(
        framework=assessment.framework,
        levels=levels,
        criteria=list(criteria.values()),
        rules=framework_rules(assessment.framework),
    )
    if outcome.level is None:
        raise ValidationError(outcome.reason)
    existing = {r.criterion_id: r for r in assessment.ratings.all()}
    changed = []
    for cid, level in levels.items():
        rating = existing.get(cid) or CriterionRating(assessment=assessment, criterion_id=cid)
        if rating.principal_level != level:
            changed.append(criteria[cid].number)
        rating.principal_level = level
        rating.save()
    before = {"status": assessment.status, "principal_result": assessment.principal_result}
    assessment.principal_result = outcome.level
    assessment.principal_comment = comment.strip()
    assessment.status = Assessment.Status.EVALUATED
    assessment.evaluated_by_id = scope.user_id
    assessment.evaluated_at = timezone.now()
    assessment.save()
    after = {"status": assessment.status, "principal_result": assessment.principal_result}
    audit_record(
        actor_id=scope.user_id,
        action="assessment.evaluate",
        obj=assessment,
        unit_path=assessment.unit.path,
        changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
        note=(_("criteria changed: %(list)s") % {"list": ", ".join(map(str, changed))}) if changed else "",
    )
    return assessment


# --- TEMIS results (the rows come from `standards.importers.TemisImporter`) ------------------------


@dataclass
class AssessmentRow:
    """One checked row of a TEMIS results file: whose levels, which standard, the computed rating."""

    row: int
    person_id: int
    unit_id: int
    framework_id: int
    levels: dict[int, int]  # criterion id → level
    outcome: RatingOutcome
    file_rating: Level | None


def assessment_import_check_permission(scope: Scope, unit: Unit) -> None:
    """Results are imported by those who import staff and see the standards there (403 otherwise)."""
    scope.require(Perm.PEOPLE_IMPORT, unit.path)
    scope.require(Perm.STANDARDS_VIEW, unit.path)


@transaction.atomic
def assessment_bulk_import(
    *,
    scope: Scope,
    unit: Unit,
    school_year_id: int,
    rows: list[AssessmentRow],
    levels_are: str,
    filename: str,
) -> tuple[int, int]:
    """Create or update one assessment per row, as the principal's evaluation or the self-assessment,
    with one audit entry (an import) each. Returns (created, updated)."""
    assessment_import_check_permission(scope, unit)
    now = timezone.now()
    principal = levels_are == LevelsAre.PRINCIPAL
    by_person = {r.person_id: r for r in rows}
    existing = {
        a.person_id: a
        for a in Assessment.objects.select_for_update().filter(
            school_year_id=school_year_id, person_id__in=list(by_person)
        )
    }
    created = updated = 0
    for record in rows:
        a = existing.get(record.person_id)
        if a is None:
            a = Assessment(person_id=record.person_id, school_year_id=school_year_id)
            created += 1
        else:
            updated += 1
        before = {"status": a.status, "self_result": a.self_result, "principal_result": a.principal_result}
        if a.pk and a.framework_id != record.framework_id:
            a.ratings.all().delete()  # levels of another standard do not carry over
        a.unit_id = record.unit_id
        a.framework_id = record.framework_id
        a.source = Assessment.Source.TEMIS
        if principal:
            a.principal_result = record.outcome.level
            a.status = Assessment.Status.EVALUATED
            a.evaluated_by_id = scope.user_id
            a.evaluated_at = now
            a.submitted_at = a.submitted_at or now
        else:
            a.self_result = record.outcome.level
            if a.status == Assessment.Status.DRAFT:
                a.status = Assessment.Status.SUBMITTED
            a.submitted_at = now
        a.save()
        ratings = {r.criterion_id: r for r in a.ratings.all()} if a.pk else {}
        to_create, to_update = [], []
        for cid, level in record.levels.items():
            rating = ratings.get(cid)
            if rating is None:
                rating = CriterionRating(assessment=a, criterion_id=cid)
                to_create.append(rating)
            else:
                to_update.append(rating)
            if principal:
                rating.principal_level = level
            else:
                rating.self_level = level
        CriterionRating.objects.bulk_create(to_create)
        CriterionRating.objects.bulk_update(to_update, ["principal_level" if principal else "self_level"])
        after = {"status": a.status, "self_result": a.self_result, "principal_result": a.principal_result}
        file_rating = Level(record.file_rating).label if record.file_rating else "—"
        audit_record(
            actor_id=scope.user_id,
            action="assessment.import",
            obj=a,
            object_repr=str(a),
            unit_path=unit.path,
            source=AuditLog.Source.IMPORT,
            changes={k: [before[k], after[k]] for k in after if before[k] != after[k]},
            note=f"{filename} row {record.row}; file rating: {file_rating}"[:255],
        )
    return created, updated


# --- the standards: criteria completed from the circular's text ---------------------------------

CRITERION_FIELDS = ["title", "is_key", "source", "confidence"]
FRAMEWORK_FIELDS = ["criteria_count", "completeness_note"]


@transaction.atomic
def criterion_save(
    *,
    scope: Scope,
    framework: Framework,
    number: int,
    standard_number: int,
    title: str,
    source: str,
    confidence: str,
    is_key: bool = False,
    standard_title: str = "",
) -> Criterion:
    """Record criterion `number` of the framework as the circular words it: a criterion still
    missing is added (under its standard, created with `standard_title` when it is not recorded
    yet), a recorded one corrected. Every criterion names its source and how far it was checked.

    National data: CATALOG_MANAGE over the ministry. Ratings computed before a criterion was
    added stay provisional until it is rated (`selectors.assessment_result_gaps`).
    """
    unit = require_national(scope, Perm.CATALOG_MANAGE)
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    title, source, standard_title = nfc(title), nfc(source), nfc(standard_title)
    errors: dict[str, str] = {}
    if number < 1:
        errors["number"] = _("Criteria are numbered from 1.")
    elif framework.criteria_count and number > framework.criteria_count:
        errors["number"] = _("The circular has %(n)d criteria, numbered from 1 to %(n)d.") % {
            "n": framework.criteria_count
        }
    if not title:
        errors["title"] = _("Write the criterion's title as the circular gives it.")
    if not source:
        errors["source"] = _(
            "Say where the wording comes from: the article of the circular, or the page it was read on."
        )
    if confidence not in Confidence.values:
        errors["confidence"] = _("Say how far the wording was checked.")
    standard = Standard.objects.filter(framework=framework, number=standard_number).first()
    if standard is None and not standard_title:
        errors["standard_title"] = _("Standard %(n)d is not recorded yet: give its title.") % {"n": standard_number}
    if standard_number < 1:
        errors["standard_number"] = _("Give the number of the standard the criterion belongs to.")
    if errors:
        raise ValidationError(errors)
    changes: dict[str, list[object]] = {}
    if standard is None:
        standard = Standard.objects.create(framework=framework, number=standard_number, title=standard_title)
        changes["standard_title"] = [None, standard.title]
    elif standard_title and standard_title != standard.title:
        changes["standard_title"] = [standard.title, standard_title]
        standard.title = standard_title
        standard.save(update_fields=["title"])
    criterion = (
        Criterion.objects.filter(standard__framework=framework, number=number).select_related("standard").first()
    )
    added = criterion is None
    if criterion is None:
        criterion = Criterion(number=number, standard=standard)
        before: dict[str, object] = {"number": None, "standard": None}
    else:
        before = {**snapshot(criterion, CRITERION_FIELDS), "standard": criterion.standard.number}
    criterion.standard = standard
    criterion.title, criterion.is_key, criterion.source, criterion.confidence = title, is_key, source, confidence
    criterion.save()
    after = {**snapshot(criterion, CRITERION_FIELDS), "standard": standard.number}
    if added:
        after = {"number": number, **after}
    changes = {**diff(before, after), **changes}
    if changes:
        audit_record(
            actor_id=scope.user_id,
            action="criterion.add" if added else "criterion.update",
            obj=criterion,
            object_repr=f"{framework.circular}: {criterion}",
            unit_path=unit.path,
            changes=changes,
        )
    return criterion


@transaction.atomic
def framework_update(
    *, scope: Scope, framework: Framework, criteria_count: int | None, completeness_note: str
) -> Framework:
    """How many criteria the circular has, and what the recorded data still lacks (national data)."""
    unit = require_national(scope, Perm.CATALOG_MANAGE)
    framework = Framework.objects.select_for_update().get(pk=framework.pk)
    recorded = Criterion.objects.filter(standard__framework=framework).count()
    if criteria_count is not None and criteria_count < recorded:
        raise ValidationError(
            {
                "criteria_count": _("%(n)d criteria are recorded already: the circular cannot have fewer.")
                % {"n": recorded}
            }
        )
    before = snapshot(framework, FRAMEWORK_FIELDS)
    framework.criteria_count = criteria_count
    framework.completeness_note = completeness_note.strip()
    framework.save(update_fields=FRAMEWORK_FIELDS)
    changes = diff(before, snapshot(framework, FRAMEWORK_FIELDS))
    if changes:
        audit_record(
            actor_id=scope.user_id, action="framework.update", obj=framework, unit_path=unit.path, changes=changes
        )
    return framework
