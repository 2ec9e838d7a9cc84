"""Scores of a cohort (issue 9): each module's assessed components (the LMS's multiple-choice test,
the practice work — bài thu hoạch —, a research exercise…) scored on the 10-point scale and passed
at the pass mark of the regime of the cohort's school year (`Regime.pass_mark`).

Who does what:
- the organisers (TRAINING_MANAGE over the organiser) add and remove a cohort's components;
- the assessors — TRAINING_ASSESS over the organiser or over the assessing institution — enter
  scores in the grid or import them from .xlsx (`importers.ScoresImporter`); everyone who sees the
  cohort's training reads them;
- a learner hands in practice work for their own enrolment (every submission kept);
- the learner's core teacher (their group's mentor) grades the latest submission of a component the
  core teacher assesses: the score, a comment, the `Score` of the component and the core teacher's
  completion mark (`completion.signal_write`), passed at the pass mark.

Every change is audited, one entry per changed score; after the managing office approved the
learner's completion list a change needs a reason (`completion.correction_reason`), kept as the
entry's note. Reads are constant-query: a page of the grid is the components, the page of learners
(with their LMS state as subqueries) and one query for their scores.
"""

import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from bdtx.core import uploads
from bdtx.core.exporters import TextWriter, new_workbook
from bdtx.core.models import AuditLog
from bdtx.core.scope import Perm, Scope
from bdtx.core.services import audit_record
from bdtx.regimes.selectors import regime_for_year_or_none
from bdtx.training.completion import can_mark_mentor, correction_reason, is_locked, signal_write
from bdtx.training.hooks import learning_changed
from bdtx.training.lms import with_lms_state
from bdtx.training.models import (
    AssessmentComponent,
    Assessor,
    Cohort,
    ComponentKind,
    Enrolment,
    EnrolmentStatus,
    PracticeWork,
    Score,
    ScoreSource,
    SignalSource,
)

# What a learner may hand in: documents and pictures (judged by their content, `uploads.upload_accept`).
PRACTICE_FILE_TYPES = frozenset({"pdf", "docx", "xlsx", "pptx", "png", "jpeg", "office97"})
PRACTICE_KINDS = (ComponentKind.PRACTICE, ComponentKind.RESEARCH)
SCALE_MAX = Decimal(10)
CENT = Decimal("0.01")


# --- who may do what ----------------------------------------------------------------------------


def can_view_scores(scope: Scope, cohort: Cohort) -> bool:
    """Those who see training over the organiser or the assessing institution."""
    return cohort.viewed_by(scope)


def can_assess(scope: Scope, cohort: Cohort) -> bool:
    """TRAINING_ASSESS over the organiser (the organisers), or over the assessing institution (its staff)."""
    if scope.has(Perm.TRAINING_ASSESS, cohort.organiser.path):
        return True
    return cohort.institution is not None and scope.has(Perm.TRAINING_ASSESS, cohort.institution.path)


def can_manage_components(scope: Scope, cohort: Cohort) -> bool:
    return cohort.managed_by(scope)


def pass_mark_for(cohort: Cohort) -> Decimal | None:
    """The pass mark of the regime in force in the cohort's school year (None when no regime covers it)."""
    regime = regime_for_year_or_none(cohort.school_year)
    return regime.pass_mark if regime is not None else None


def parse_score(text: Any) -> Decimal:
    """A score as typed or read from a cell: "7,5" (Vietnamese decimal comma) or "7.5", from 0 to 10,
    rounded to hundredths. ValueError for anything else."""
    if isinstance(text, bool):
        raise ValueError(text)
    raw = str(text).strip().replace(",", ".") if not isinstance(text, int | float) else str(text)
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite() or not 0 <= value <= SCALE_MAX:
        raise ValueError(text)
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def score_text(value: Decimal | None) -> str:
    """A score as the audit log and the inputs keep it: "7.50" → "7.5", "8.00" → "8"."""
    if value is None:
        return ""
    return f"{value.normalize():f}"


# --- components ---------------------------------------------------------------------------------


def component_list(*, cohort: Cohort) -> list[AssessmentComponent]:
    """The cohort's components in order, each with `scored` (how many scores it has): one query."""
    return list(
        AssessmentComponent.objects.filter(cohort=cohort)
        .annotate(scored=Count("scores"))
        .annotate(handed_in=Exists(PracticeWork.objects.filter(component=OuterRef("pk"))))
        .order_by("position", "id")
    )


@transaction.atomic
def component_add(*, scope: Scope, cohort: Cohort, kind: str, name: str, assessed_by: str) -> AssessmentComponent:
    """The organiser adds an assessed component to the cohort (a unique name; the LMS assesses only its test)."""
    if not can_manage_components(scope, cohort):
        raise PermissionDenied
    name = name.strip()
    if kind not in ComponentKind.values or assessed_by not in Assessor.values:
        raise ValidationError(_("Choose the kind of the component and who assesses it."))
    if not name:
        raise ValidationError(_("Give the component a name."))
    if assessed_by == Assessor.LMS and kind != ComponentKind.LMS_TEST:
        raise ValidationError(_("The LMS assesses only its multiple-choice test."))
    if AssessmentComponent.objects.filter(cohort=cohort, name__iexact=name).exists():
        raise ValidationError(_("The cohort already has a component named “%(name)s”.") % {"name": name})
    last = AssessmentComponent.objects.filter(cohort=cohort).order_by("-position").values_list("position", flat=True)
    component = AssessmentComponent.objects.create(
        cohort=cohort, position=(last.first() or 0) + 1, kind=kind, name=name, assessed_by=assessed_by
    )
    audit_record(
        actor_id=scope.user_id,
        action="component.add",
        obj=cohort,
        object_repr=f"{cohort.name}: {name}",
        unit_path=cohort.organiser.path,
        changes={"kind": [None, kind], "assessed_by": [None, assessed_by]},
    )
    return component


@transaction.atomic
def component_remove(*, scope: Scope, component: AssessmentComponent) -> None:
    """The organiser removes a component nobody has a score or a handed-in work for."""
    cohort = component.cohort
    if not can_manage_components(scope, cohort):
        raise PermissionDenied
    if Score.objects.filter(component=component).exists() or PracticeWork.objects.filter(component=component).exists():
        raise ValidationError(
            _("“%(name)s” has scores or handed-in work: it cannot be removed.") % {"name": component.name}
        )
    audit_record(
        actor_id=scope.user_id,
        action="component.remove",
        obj=cohort,
        object_repr=f"{cohort.name}: {component.name}",
        unit_path=cohort.organiser.path,
        changes={"kind": [component.kind, None], "assessed_by": [component.assessed_by, None]},
    )
    component.delete()


def component_get(*, cohort: Cohort, pk: int) -> AssessmentComponent:
    return AssessmentComponent.objects.select_related("cohort", "cohort__organiser").get(cohort=cohort, pk=pk)


# --- the grid -----------------------------------------------------------------------------------


def grid_learners(*, cohort: Cohort) -> QuerySet[Enrolment]:
    """The cohort's enrolled learners, by name the Vietnamese way (given name first), with school,
    group, completion list (the lock) and the LMS state (`lms_score`…) as subqueries."""
    qs = Enrolment.objects.filter(cohort=cohort, status=EnrolmentStatus.ENROLLED).select_related(
        "person", "unit", "group", "completion_list"
    )
    return with_lms_state(qs.order_by("person__sort_key", "id"))


@dataclass
class Cell:
    component: AssessmentComponent
    value: Decimal | None
    editable: bool
    below: bool  # under the pass mark
    source: str = ""

    @property
    def text(self) -> str:
        return score_text(self.value)

    @property
    def name(self) -> str:
        return f"c{self.component.pk}"


@dataclass
class GridRow:
    enrolment: Enrolment
    cells: list[Cell]
    locked: bool
    errors: list[str] = field(default_factory=list)


def grid_rows(
    *, enrolments: Sequence[Enrolment], components: Sequence[AssessmentComponent], pass_mark: Decimal | None, edit: bool
) -> list[GridRow]:
    """Rows of the grid for these learners (one page): one query for their scores. An LMS-assessed
    component shows the LMS's latest score, read-only."""
    scores: dict[tuple[int, int], Score] = {
        (s.enrolment_id, s.component_id): s
        for s in Score.objects.filter(enrolment__in=[e.pk for e in enrolments], component__in=components)
    }
    rows = []
    for e in enrolments:
        cells = []
        for c in components:
            source: str
            if c.assessed_by == Assessor.LMS:
                value, source, editable = getattr(e, "lms_score", None), ScoreSource.LMS, False
            else:
                s = scores.get((e.pk, c.pk))
                value, source, editable = (s.value, s.source, edit) if s else (None, "", edit)
            below = value is not None and pass_mark is not None and value < pass_mark
            cells.append(Cell(component=c, value=value, editable=editable, below=below, source=source))
        rows.append(GridRow(enrolment=e, cells=cells, locked=is_locked(e)))
    return rows


def _repr(enrolment: Enrolment, component: AssessmentComponent) -> str:
    return f"{enrolment.person.full_name} — {enrolment.cohort.name}: {component.name}"


def _write_score(
    *,
    scope: Scope,
    enrolment: Enrolment,
    component: AssessmentComponent,
    value: Decimal | None,
    source: str,
    note: str,
    audit_source: str = AuditLog.Source.WEB,
) -> bool:
    """Set (or clear, with None) one score and audit the change; the same value again writes nothing."""
    old = Score.objects.select_for_update().filter(enrolment=enrolment, component=component).first()
    before = old.value if old is not None else None
    if before == value:
        return False
    if value is None:
        assert old is not None
        old.delete()
    else:
        Score.objects.update_or_create(
            enrolment=enrolment,
            component=component,
            defaults={"value": value, "source": source, "entered_by_id": scope.user_id, "entered_at": timezone.now()},
        )
    audit_record(
        actor_id=scope.user_id,
        action="score.set",
        obj=enrolment,
        object_repr=_repr(enrolment, component),
        unit_path=enrolment.unit.path,
        changes={"score": [score_text(before) or None, score_text(value) or None], "source": [None, source]},
        note=note,
        source=audit_source,
    )
    return True


def _check_target(scope: Scope, enrolment: Enrolment, component: AssessmentComponent) -> None:
    cohort = enrolment.cohort
    if not can_assess(scope, cohort):
        raise PermissionDenied
    if component.cohort_id != cohort.pk:
        raise ValidationError(_("This component is not one of the cohort's."))
    if component.assessed_by == Assessor.LMS:
        raise ValidationError(_("“%(component)s” is scored by the LMS.") % {"component": component.name})
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ValidationError(_("This learner is not enrolled in the cohort."))


def _bad_value(enrolment: Enrolment, component: AssessmentComponent, text: str) -> str:
    return _("%(name)s, “%(component)s”: “%(value)s” is not a score from 0 to 10 (write 7,5 or 7.5).") % {
        "name": enrolment.person.full_name,
        "component": component.name,
        "value": text[:20],
    }


@transaction.atomic
def score_set(
    *,
    scope: Scope,
    enrolment: Enrolment,
    component: AssessmentComponent,
    value: Decimal | str | None,
    reason: str = "",
    source: str = ScoreSource.GRID,
) -> bool:
    """An assessor sets (or, with None or "", clears) one learner's score of a component. A text is
    read as typed ("7,5" or "7.5"). Audited with the correction reason once the list is approved.
    Returns whether anything changed."""
    _check_target(scope, enrolment, component)
    if isinstance(value, str):
        text = value.strip()
        try:
            value = parse_score(text) if text else None
        except ValueError:
            raise ValidationError(_bad_value(enrolment, component, text)) from None
    elif value is not None:
        try:
            value = parse_score(value)
        except ValueError:
            raise ValidationError(_bad_value(enrolment, component, str(value))) from None
    current = Score.objects.filter(enrolment=enrolment, component=component).values_list("value", flat=True).first()
    if current == value:
        return False
    note = correction_reason(enrolment=enrolment, reason=reason)
    _write_score(scope=scope, enrolment=enrolment, component=component, value=value, source=source, note=note)
    learning_changed(Enrolment.objects.filter(pk=enrolment.pk))
    return True


@transaction.atomic
def scores_set_row(
    *,
    scope: Scope,
    enrolment: Enrolment,
    values: Mapping[AssessmentComponent, str],
    reason: str = "",
) -> int:
    """One row of the grid: every value is checked first (each bad one named by learner and component);
    nothing is written unless all are good. Returns the scores changed."""
    errors: list[str] = []
    parsed: dict[AssessmentComponent, Decimal | None] = {}
    for component, text in values.items():
        _check_target(scope, enrolment, component)
        text = text.strip()
        try:
            parsed[component] = parse_score(text) if text else None
        except ValueError:
            errors.append(_bad_value(enrolment, component, text))
    if errors:
        raise ValidationError(errors)
    current = dict(
        Score.objects.filter(enrolment=enrolment, component__in=list(parsed)).values_list("component_id", "value")
    )
    changed = {c: v for c, v in parsed.items() if current.get(c.pk) != v}
    if not changed:
        return 0
    note = correction_reason(enrolment=enrolment, reason=reason)
    for component, value in changed.items():
        _write_score(
            scope=scope, enrolment=enrolment, component=component, value=value, source=ScoreSource.GRID, note=note
        )
    learning_changed(Enrolment.objects.filter(pk=enrolment.pk))
    return len(changed)


@dataclass(frozen=True)
class ScoreIn:
    """One score an imported file gives."""

    enrolment_id: int
    component_id: int
    value: Decimal


@transaction.atomic
def scores_import(*, scope: Scope, cohort: Cohort, scores: Sequence[ScoreIn]) -> tuple[int, int]:
    """Write the scores of an imported file (checked by the importer: learners of `cohort` whose list
    is not approved, components of the cohort not scored by the LMS). One audit entry per changed
    score, tagged as import, in bulk. Returns (created, updated)."""
    if not can_assess(scope, cohort):
        raise PermissionDenied
    ids = {s.enrolment_id for s in scores}
    enrolments = {
        e.pk: e
        for e in Enrolment.objects.filter(cohort=cohort, pk__in=ids, status=EnrolmentStatus.ENROLLED).select_related(
            "person", "unit", "completion_list"
        )
    }
    components = {c.pk: c for c in AssessmentComponent.objects.filter(cohort=cohort).exclude(assessed_by=Assessor.LMS)}
    if any(s.enrolment_id not in enrolments or s.component_id not in components for s in scores):
        raise PermissionDenied
    if any(is_locked(e) for e in enrolments.values()):
        raise ValidationError(_("A learner's completion list is approved: correct their score in the grid."))
    existing = {
        (s.enrolment_id, s.component_id): s
        for s in Score.objects.select_for_update().filter(enrolment_id__in=ids, component__in=list(components))
    }
    now = timezone.now()
    new: list[Score] = []
    changed: list[Score] = []
    entries: list[AuditLog] = []
    for s in scores:
        old = existing.get((s.enrolment_id, s.component_id))
        if old is not None and old.value == s.value:
            continue
        e, c = enrolments[s.enrolment_id], components[s.component_id]
        entries.append(
            AuditLog(
                actor_id=scope.user_id,
                action="score.set",
                source=AuditLog.Source.IMPORT,
                object_type=e._meta.label_lower,
                object_uuid=e.uuid,
                object_repr=f"{e.person.full_name} — {cohort.name}: {c.name}"[:255],
                unit_path=e.unit.path,
                changes={
                    "score": [score_text(old.value) if old else None, score_text(s.value)],
                    "source": [None, ScoreSource.IMPORT],
                },
            )
        )
        if old is None:
            new.append(
                Score(
                    enrolment_id=s.enrolment_id,
                    component_id=s.component_id,
                    value=s.value,
                    source=ScoreSource.IMPORT,
                    entered_by_id=scope.user_id,
                    entered_at=now,
                )
            )
        else:
            old.value, old.source, old.entered_by_id, old.entered_at = s.value, ScoreSource.IMPORT, scope.user_id, now
            changed.append(old)
    Score.objects.bulk_create(new, batch_size=2000)
    Score.objects.bulk_update(changed, ["value", "source", "entered_by", "entered_at"], batch_size=2000)
    AuditLog.objects.bulk_create(entries, batch_size=2000)
    if new or changed:
        learning_changed(Enrolment.objects.filter(pk__in={s.enrolment_id for s in (*new, *changed)}))
    return len(new), len(changed)


# --- the template to fill in -------------------------------------------------------------------


def scores_template_xlsx(*, cohort: Cohort) -> bytes:
    """The scores import's template for the cohort: its enrolled learners (LMS username, name, e-mail,
    school) and one column per component the LMS does not score, with the scores already entered.
    Every text stays text (a name starting with "=" is not a formula: `TextWriter`)."""
    components = [c for c in component_list(cohort=cohort) if c.assessed_by != Assessor.LMS]
    learners = list(grid_learners(cohort=cohort))
    current = {
        (s.enrolment_id, s.component_id): s.value
        for s in Score.objects.filter(enrolment__cohort=cohort, component__in=components)
    }
    head = [_("No."), _("LMS username"), _("Full name"), _("E-mail"), _("Unit")]
    widths = [6, 34, 28, 28, 32]
    with tempfile.TemporaryDirectory() as tmp:
        path = f"{tmp}/scores.xlsx"
        wb = new_workbook(path, constant_memory=True, tmpdir=tmp)
        cells = TextWriter(wb)
        ws = wb.add_worksheet(_("Scores")[:31])
        bold = cells.format({"bold": True, "text_wrap": True})
        text = cells.format({"num_format": "@"})
        number = cells.format({"num_format": "0.00"})
        for c, (title, width) in enumerate(
            zip([*head, *(x.name for x in components)], [*widths, *[14] * len(components)], strict=True)
        ):
            ws.set_column(c, c, width)
            cells.write_string(ws, 0, c, str(title), bold)
        for r, e in enumerate(learners, start=1):
            ws.write_number(r, 0, r)
            cells.write_string(ws, r, 1, e.person.uuid.hex, text)
            cells.write_string(ws, r, 2, str(e.person.full_name))
            if e.person.email:
                cells.write_string(ws, r, 3, e.person.email, text)
            cells.write_string(ws, r, 4, e.unit.name)
            for i, comp in enumerate(components):
                value = current.get((e.pk, comp.pk))
                if value is not None:
                    ws.write_number(r, len(head) + i, float(value), number)
        wb.close()
        with open(path, "rb") as f:
            return f.read()


# --- practice work ------------------------------------------------------------------------------


def _practice_reach_q(scope: Scope) -> Q:
    """Enrolments whose practice work the viewer reaches: in their scope (their own, their units'),
    in the cohorts they see, or in the groups they lead as core teacher."""
    cohorts = Cohort.objects.visible_to(scope).values("pk")
    q = Q(pk__in=Enrolment.objects.visible_to(scope).values("pk")) | Q(cohort__in=cohorts)
    if scope.person_id:
        q |= Q(group__mentor_id=scope.person_id)
    return q


def practice_enrolment_get(*, scope: Scope, uuid: str) -> Enrolment:
    """An enrolment whose practice work the viewer may reach (DoesNotExist otherwise: a 404)."""
    return (
        Enrolment.objects.filter(_practice_reach_q(scope))
        .select_related(
            "person",
            "unit",
            "group",
            "completion_list",
            "cohort",
            "cohort__organiser",
            "cohort__institution",
            "cohort__school_year",
            "cohort__module",
        )
        .get(uuid=uuid)
    )


def practice_work_get(*, scope: Scope, uuid: str) -> PracticeWork:
    reach = Enrolment.objects.filter(_practice_reach_q(scope)).values("pk")
    return (
        PracticeWork.objects.filter(enrolment__in=reach)
        .select_related("enrolment", "enrolment__cohort", "enrolment__cohort__organiser", "enrolment__group")
        .select_related("enrolment__cohort__institution", "enrolment__person", "enrolment__unit", "component")
        .get(uuid=uuid)
    )


def is_mentor_of(scope: Scope, enrolment: Enrolment) -> bool:
    return can_mark_mentor(scope, enrolment)


def can_see_practice(scope: Scope, enrolment: Enrolment) -> bool:
    """The learner, their core teacher, and those who see the cohort's training or the learner's school's."""
    if scope.acts_for(enrolment.person_id) or is_mentor_of(scope, enrolment):
        return True
    return can_view_scores(scope, enrolment.cohort) or scope.has(Perm.TRAINING_VIEW, enrolment.unit.path)


def practice_components(*, cohort: Cohort) -> list[AssessmentComponent]:
    """The components a learner hands work in for (practice work, research exercise)."""
    return list(AssessmentComponent.objects.filter(cohort=cohort, kind__in=PRACTICE_KINDS).order_by("position", "id"))


def practice_list(*, enrolment: Enrolment) -> list[PracticeWork]:
    """Every submission of the learner, newest first, with its component and grader."""
    return list(
        PracticeWork.objects.filter(enrolment=enrolment)
        .select_related("component", "graded_by")
        .order_by("-created_at", "-id")
    )


def latest_works(works: Sequence[PracticeWork]) -> dict[int, PracticeWork]:
    """{component id: its latest submission} of a learner's submissions (newest first)."""
    out: dict[int, PracticeWork] = {}
    for w in works:
        out.setdefault(w.component_id, w)
    return out


def with_practice_state(qs: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Enrolments with `practice_handed_in` (submissions) and `practice_to_grade` (True when the
    latest submission of a core teacher's component is not graded): subqueries, no query per row."""
    latest_mentor = PracticeWork.objects.filter(
        enrolment=OuterRef(OuterRef("pk")), component__assessed_by=Assessor.MENTOR
    ).order_by("-created_at", "-id")
    return qs.annotate(
        practice_handed_in=Exists(PracticeWork.objects.filter(enrolment=OuterRef("pk"))),
        practice_to_grade=Exists(
            PracticeWork.objects.filter(pk=Subquery(latest_mentor.values("pk")[:1]), graded_at__isnull=True)
        ),
    )


def _store(work: PracticeWork, upload: UploadedFile) -> None:
    name = PurePath(upload.name or "bai-thu-hoach").name
    work.filename = name[:255]
    work.file.save(name, upload, save=False)


@transaction.atomic
def practice_submit(
    *, scope: Scope, enrolment: Enrolment, component: AssessmentComponent, upload: UploadedFile, note: str = ""
) -> PracticeWork:
    """A learner hands in practice work for their own enrolment (kept with every earlier submission)."""
    if not scope.acts_for(enrolment.person_id):
        raise PermissionDenied
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ValidationError(_("You are no longer enrolled in this cohort."))
    if component.cohort_id != enrolment.cohort_id or component.kind not in PRACTICE_KINDS:
        raise ValidationError(_("Work is handed in for a practice or research component of your cohort."))
    uploads.upload_accept(upload, allowed=PRACTICE_FILE_TYPES, max_bytes=settings.EVIDENCE_MAX_BYTES)
    work = PracticeWork(enrolment=enrolment, component=component, note=note.strip()[:500])
    _store(work, upload)
    work.save()
    audit_record(
        actor_id=scope.user_id,
        action="practice.submit",
        obj=work,
        object_repr=_repr(enrolment, component),
        unit_path=enrolment.unit.path,
        changes={"file": [None, work.filename]},
    )
    return work


@transaction.atomic
def practice_grade(*, scope: Scope, work: PracticeWork, score: Decimal | str, comment: str, reason: str = "") -> Score:
    """The learner's core teacher grades the latest submission of a component they assess: the work's
    score and comment, the component's `Score` (from the practice work) and the core teacher's mark
    of the module — passed at the regime's pass mark — which recomputes completion."""
    enrolment = Enrolment.objects.select_related(
        "person", "unit", "group", "completion_list", "cohort", "cohort__school_year"
    ).get(pk=work.enrolment_id)
    component = work.component
    if not is_mentor_of(scope, enrolment):
        raise PermissionDenied
    if component.assessed_by != Assessor.MENTOR:
        raise ValidationError(_("“%(component)s” is not assessed by the core teacher.") % {"component": component.name})
    if enrolment.status != EnrolmentStatus.ENROLLED:
        raise ValidationError(_("This learner is not enrolled in the cohort."))
    latest = PracticeWork.objects.filter(enrolment=enrolment, component=component).order_by("-created_at", "-id")
    if latest.values_list("pk", flat=True).first() != work.pk:
        raise ValidationError(_("A newer submission was handed in: grade that one."))
    try:
        value = parse_score(score)
    except ValueError:
        raise ValidationError(_bad_value(enrolment, component, str(score))) from None
    pass_mark = pass_mark_for(enrolment.cohort)
    if pass_mark is None:
        raise ValidationError(_("No regime covers the school year of this cohort: there is no pass mark."))
    note = correction_reason(enrolment=enrolment, reason=reason)
    before, before_comment = work.score, work.comment
    work.score, work.comment = value, comment.strip()
    work.graded_by_id, work.graded_at = scope.user_id, timezone.now()
    work.save(update_fields=["score", "comment", "graded_by", "graded_at", "updated_at"])
    row, _created = Score.objects.update_or_create(
        enrolment=enrolment,
        component=component,
        defaults={
            "value": value,
            "source": ScoreSource.PRACTICE,
            "entered_by_id": scope.user_id,
            "entered_at": work.graded_at,
        },
    )
    changes: dict[str, Any] = {"score": [score_text(before) or None, score_text(value)]}
    if before_comment != work.comment:
        changes["comment"] = [before_comment or None, work.comment or None]
    audit_record(
        actor_id=scope.user_id,
        action="practice.grade",
        obj=work,
        object_repr=_repr(enrolment, component),
        unit_path=enrolment.unit.path,
        changes=changes,
        note=note,
    )
    signal_write(
        scope=scope,
        enrolment=enrolment,
        party=Assessor.MENTOR,
        passed=value >= pass_mark,
        source=SignalSource.PRACTICE,
        reason=note,
    )
    learning_changed(Enrolment.objects.filter(pk=enrolment.pk))
    return row


__all__ = [
    "PRACTICE_FILE_TYPES",
    "Cell",
    "GridRow",
    "ScoreIn",
    "can_assess",
    "can_manage_components",
    "can_see_practice",
    "can_view_scores",
    "component_add",
    "component_get",
    "component_list",
    "component_remove",
    "grid_learners",
    "grid_rows",
    "is_locked",
    "is_mentor_of",
    "latest_works",
    "parse_score",
    "pass_mark_for",
    "practice_components",
    "practice_enrolment_get",
    "practice_grade",
    "practice_list",
    "practice_submit",
    "practice_work_get",
    "score_set",
    "scores_import",
    "scores_set_row",
    "scores_template_xlsx",
    "with_practice_state",
]
