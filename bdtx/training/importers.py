"""The LMS results import: progress, pass and score of a cohort's learners from the file an LMS
exports (.xlsx or .csv, kept as uploaded and read by the worker: `core.importing.csvfile`), through the shared
pipeline (`bdtx.imports`): every row checked with its row, column and message, nothing written
unless the file is clean or the user confirms its valid rows, large files in the background.

The job belongs to one cohort (its `options`). `prepare` reads the cohort's active learners once
(one query) into lookups by LMS username, e-mail and ID number, so checking a row touches no
database; a row naming nobody enrolled in the cohort is an error. The ID number is sensitive: it
is matched, never written into a message, and its cell is hidden like the staff import's.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any, Protocol

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bdtx.core.importing.base import Checked, Field, FileProblem, Importer, JobInfo, Problem, Written
from bdtx.core.importing.parsing import Layout, RawRow, as_date, as_digits, as_text, normalise_header
from bdtx.core.scope import Perm, Scope
from bdtx.core.text import fold
from bdtx.organisations.models import Unit, UnitKind
from bdtx.training.lms import ResultIn, lms_can_exchange, lms_results_import, username_uuid
from bdtx.training.models import (
    ACTIVE_STATUSES,
    AssessmentComponent,
    Assessor,
    Cohort,
    CompletionListStatus,
    Enrolment,
    EnrolmentStatus,
)
from bdtx.training.scores import ScoreIn, can_assess, parse_score, scores_import

KEY = "lms_results"

FIELDS = [
    Field("stt", exact=("stt", "tt", "so tt", "no")),
    Field(
        "username",
        exact=("username", "user name", "lms username", "login", "account", "tai khoan", "ten dang nhap"),
        contains=("ten dang nhap", "tai khoan lms", "username"),
    ),
    Field("email", exact=("email", "e mail", "mail", "thu dien tu", "dia chi email"), contains=("email", "e mail")),
    Field(
        "personal_id",
        exact=("cccd", "so cccd", "cmnd", "so cmnd", "so dinh danh", "id number", "personal id"),
        contains=("cccd", "cmnd", "dinh danh"),
    ),
    Field("full_name", exact=("ho va ten", "ho ten", "full name", "name", "hoc vien")),
    Field(
        "progress",
        exact=("tien do", "progress", "ti le hoan thanh", "ty le hoan thanh", "completion", "hoan thanh"),
        contains=("tien do", "progress", "ti le hoan thanh", "ty le hoan thanh"),
    ),
    Field(
        "passed",
        exact=("ket qua", "dat", "passed", "result", "danh gia", "status", "trang thai", "dat khong dat"),
        contains=("ket qua", "danh gia"),
    ),
    Field("score", exact=("diem", "score", "grade", "diem lms", "diem so", "lms score"), contains=("diem",)),
    Field(
        "date",
        exact=("ngay", "date", "ngay hoan thanh", "completed on", "last activity", "hoat dong cuoi"),
        contains=("ngay hoan thanh", "hoat dong cuoi", "ngay cap nhat"),
    ),
]
REQUIRED = frozenset({"username", "email", "personal_id"})
_PASSED = {"dat", "passed", "pass", "x", "1", "co", "yes", "true", "hoan thanh", "completed"}
_FAILED = {"khong dat", "chua dat", "failed", "fail", "0", "khong", "no", "false", "chua hoan thanh"}


class LearnerLookup(Protocol):
    """A cohort's learners by LMS username (person uuid hex), e-mail and ID number → enrolment id."""

    by_username: dict[str, int]
    by_email: dict[str, list[int]]
    by_personal_id: dict[str, int]


def learner_lookups(
    cohort: Cohort, statuses: Iterable[str]
) -> tuple[dict[str, int], dict[str, list[int]], dict[str, int]]:
    """The lookups of `LearnerLookup` for the cohort's learners of these statuses (one query)."""
    by_username: dict[str, int] = {}
    by_email: dict[str, list[int]] = {}
    by_pid: dict[str, int] = {}
    rows = (
        Enrolment.objects.filter(cohort=cohort, status__in=list(statuses))
        .annotate(email_l=Lower("person__email"))
        .values_list("pk", "person__uuid", "email_l", "person__personal_id")
    )
    for pk, pu, em, pid in rows.iterator(chunk_size=5000):
        by_username[pu.hex] = pk
        if em:
            by_email.setdefault(em, []).append(pk)
        if pid:
            by_pid[pid] = pk
    return by_username, by_email, by_pid


@dataclass
class LmsContext:
    cohort: Cohort
    layout: Layout
    by_username: dict[str, int]  # person uuid hex → enrolment id
    by_email: dict[str, list[int]]
    by_personal_id: dict[str, int]
    today: datetime


@dataclass
class CheckedResult(Checked[ResultIn]):
    enrolment_id: int | None = None


def _progress(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int | float):
        number = Decimal(str(value))
        if 0 < number <= 1 and isinstance(value, float) and number != number.to_integral_value():
            number *= 100  # a percentage cell: 0.85
    else:
        text = as_text(value).strip().rstrip("%").strip().replace(",", ".")
        number = Decimal(text)
    if not 0 <= number <= 100:
        raise ValueError(value)
    return int(number.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _score(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise ValueError(value)
    text = as_text(value).strip().replace(",", ".")
    number = Decimal(text)
    if not 0 <= number <= 10:
        raise ValueError(value)
    return number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def match_learner(raw: RawRow, ctx: LearnerLookup, bad: Any, problems: list[Problem]) -> int | None:
    """The enrolment a row names by LMS username, e-mail or ID number (the first that names a learner
    of the cohort wins), or None with the problem reported through `bad(key, code, message)`."""
    username = raw.text("username").strip()
    email = raw.text("email").strip().lower()
    pid = as_digits(raw.values.get("personal_id")) if raw.values.get("personal_id") not in (None, "") else ""
    enrolment: int | None = None
    if not (username or email or pid):
        bad("", "learner.missing", _("The row names no learner: give the LMS username, the e-mail or the ID number."))
    elif username and username_uuid(username) is None:
        bad("username", "username.invalid", _("This is not an LMS username given by this system."))
    else:
        # the first identifier given that names a learner of the cohort wins
        if username:
            enrolment = ctx.by_username.get(username_uuid(username).hex)  # type: ignore[union-attr]
        if enrolment is None and email:
            found = ctx.by_email.get(email, [])
            if len(found) > 1:
                bad("email", "email.ambiguous", _("Several learners of this cohort have this e-mail."))
            enrolment = found[0] if len(found) == 1 else None
        if enrolment is None and pid:
            enrolment = ctx.by_personal_id.get(pid)
        if enrolment is None and not problems:
            key = "username" if username else "email" if email else "personal_id"
            bad(
                key,
                "learner.not_enrolled",
                _("No learner enrolled in this cohort has this LMS username, e-mail or ID number."),
            )
    return enrolment


def check_row(raw: RawRow, ctx: LmsContext) -> CheckedResult:
    """One row → the result to write, or the problems found (all of them)."""
    problems: list[Problem] = []

    def bad(key: str, code: str, message: str) -> None:
        value = "" if key == "personal_id" else raw.text(key)[:200]
        problems.append(Problem(raw.number, key, value, code, message))

    enrolment = match_learner(raw, ctx, bad, problems)

    values: dict[str, Any] = {}
    if text := raw.text("progress").strip():
        try:
            values["progress"] = _progress(raw.values.get("progress"))
        except (ValueError, InvalidOperation):
            bad("progress", "progress.invalid", _("The progress is a percentage from 0 to 100."))
    if text := raw.text("passed").strip():
        folded = fold(text).strip()
        if folded in _PASSED:
            values["passed"] = True
        elif folded in _FAILED:
            values["passed"] = False
        else:
            bad("passed", "passed.invalid", _("Write “Đạt” or “Không đạt”."))
    if raw.text("score").strip():
        try:
            values["score"] = _score(raw.values.get("score"))
        except (ValueError, InvalidOperation):
            bad("score", "score.invalid", _("The score is a number from 0 to 10."))
    recorded = ctx.today
    if raw.text("date").strip():
        try:
            d = as_date(raw.values.get("date"))
        except ValueError:
            bad("date", "date.invalid", _("The date is written dd/mm/yyyy."))
        else:
            if d is not None:
                if d > ctx.today.date():
                    bad("date", "date.future", _("The date is in the future."))
                recorded = timezone.make_aware(datetime.combine(d, time(12)))
    if not values and not any(p.key in ("progress", "passed", "score") for p in problems):
        bad("", "result.missing", _("The row has no progress, result or score."))
    for key in raw.undecodable:
        bad(key, "text.undecodable", _("The text could not be read (unknown encoding)."))
    if problems or enrolment is None:
        return CheckedResult(raw.number, None, problems, enrolment)
    record = ResultIn(enrolment_id=enrolment, recorded_at=recorded, reference="", **values)
    return CheckedResult(raw.number, record, [], enrolment)


class CohortJob:
    """What the importers of a cohort's file share: the cohort chosen on its page, kept in the job's
    options (its uuid and name), checked against what the importer allows over it."""

    # A cohort's file names its learners (matched by username, e-mail or ID number): the cohort
    # comes from its page, not from a unit or a year asked on the import form.
    permission = Perm.TRAINING_VIEW
    required_any = REQUIRED
    sensitive_keys = frozenset({"personal_id"})
    sensitive_file = True
    asks_unit = False
    asks_school_year = False

    def cohort_allowed(self, scope: Scope, cohort: Cohort) -> bool:
        raise NotImplementedError

    def clean_options(self, data: Any, *, scope: Scope) -> dict[str, Any]:
        cohort = data.get("cohort")
        if not isinstance(cohort, Cohort):
            cohort = Cohort.objects.select_related("organiser", "institution").filter(uuid=cohort).first()
        if cohort is None:
            raise ValidationError(_("The cohort no longer exists."))
        if not self.cohort_allowed(scope, cohort):
            raise PermissionDenied
        return {"cohort": str(cohort.uuid), "cohort_name": cohort.name}

    def describe(self, job: JobInfo) -> str:
        return str(job.options.get("cohort_name", ""))

    def upload_note(self, job: JobInfo) -> str:
        return str(job.options.get("cohort_name", ""))


class LmsImportOptionsForm(forms.Form):
    """The cohort, named by the link of the cohort's LMS page (`?cohort=<uuid>`)."""

    cohort = forms.UUIDField(
        widget=forms.HiddenInput, error_messages={"required": gettext_lazy("Start from the LMS page of the cohort.")}
    )


class LmsResultsImporter(CohortJob, Importer[LmsContext, ResultIn]):
    """LMS progress and results of one cohort's learners (from the cohort's LMS page)."""

    key = KEY
    accepts_csv = True  # the platforms export .csv as often as .xlsx
    label = gettext_lazy("LMS results")
    title = gettext_lazy("Import LMS results (.xlsx, .csv)")
    fields = FIELDS
    no_table_message = gettext_lazy(
        "No table of LMS results was found: the first 15 rows of every sheet were searched for a header row "
        "with columns such as “Tên đăng nhập”, “Email”, “Tiến độ”, “Kết quả”, “Điểm”."
    )
    created_label = gettext_lazy("results recorded")
    updated_label = gettext_lazy("results updated")
    upload_action = "lms_import.upload"
    confirm_action = "lms_import.confirm"
    write_action = "lms.import"

    def check_permission(self, scope: Scope, unit: Any) -> None:
        if not (scope.has(Perm.TRAINING_MANAGE, unit.path) or scope.holds_at(Perm.TRAINING_VIEW, unit)):
            raise PermissionDenied

    def unit_choices(self, scope: Scope) -> QuerySet[Unit]:
        """The offices that organise cohorts, and the institutions whose own staff the viewer is: a
        job belongs to the first (its cohort comes from the cohort's LMS page)."""
        manage = Unit.objects.visible_to(scope, Perm.TRAINING_MANAGE).values("pk")
        institutions = Unit.objects.filter(pk__in=scope.units_with(Perm.TRAINING_VIEW), kind=UnitKind.INSTITUTION)
        return Unit.objects.filter(Q(pk__in=manage) | Q(pk__in=institutions.values("pk"))).order_by("depth", "name")

    def options_form(self, data: Any = None, *, initial: Mapping[str, Any] | None = None) -> forms.Form:
        return LmsImportOptionsForm(data, initial={"cohort": (initial or {}).get("cohort")})

    def cohort_allowed(self, scope: Scope, cohort: Cohort) -> bool:
        return lms_can_exchange(scope, cohort)

    def result_link(self, job: JobInfo) -> tuple[str, str]:
        return reverse("training:lms", kwargs={"uuid": job.options["cohort"]}), str(_("See the cohort's LMS results"))

    def _cohort(self, job: JobInfo) -> Cohort:
        c = job.options.get("cohort")
        cohort = Cohort.objects.select_related("organiser", "institution").filter(uuid=str(c)).first() if c else None
        if cohort is None:
            raise FileProblem(_("The cohort no longer exists."))
        return cohort

    def prepare(self, job: JobInfo, scope: Scope, layout: Layout) -> LmsContext:
        cohort = self._cohort(job)
        if not lms_can_exchange(scope, cohort):
            raise FileProblem(_("You may no longer exchange LMS data for this cohort."))
        by_username, by_email, by_pid = learner_lookups(cohort, ACTIVE_STATUSES)
        return LmsContext(cohort, layout, by_username, by_email, by_pid, timezone.now())

    def check_row(self, raw: RawRow, ctx: LmsContext) -> CheckedResult:
        return check_row(raw, ctx)

    def check_file(self, rows: list[Checked[ResultIn]], ctx: LmsContext) -> None:
        seen: dict[int, int] = {}
        for c in rows:
            e = getattr(c, "enrolment_id", None)
            if e is None:
                continue
            first = seen.setdefault(e, c.row)
            if first != c.row:
                message = _("The same learner appears again: row %(r)s is theirs too.") % {"r": first}
                c.reject(Problem(c.row, "", "", "learner.duplicate", message))

    def write(self, job: JobInfo, records: list[ResultIn], *, scope: Scope) -> Written:
        cohort = self._cohort(job)
        results = [
            ResultIn(
                enrolment_id=r.enrolment_id,
                recorded_at=r.recorded_at,
                reference=f"{job.uuid}",
                progress=r.progress,
                passed=r.passed,
                score=r.score,
            )
            for r in records
        ]
        try:
            n = lms_results_import(scope=scope, cohort=cohort, results=results)
        except PermissionDenied:
            raise FileProblem(_("You may no longer exchange LMS data for this cohort.")) from None
        return Written(n, 0, note=_("%(n)s LMS results") % {"n": n})


# --- scores (bdtx/training/scores.py) ---------------------------------------------------------------

SCORES_KEY = "scores"
# The learner's columns (as the LMS import names them); one column per component comes from the cohort.
SCORE_LEARNER_FIELDS = [f for f in FIELDS if f.key in ("stt", "username", "email", "personal_id", "full_name")]


@dataclass
class ScoresContext:
    cohort: Cohort
    layout: Layout
    by_username: dict[str, int]
    by_email: dict[str, list[int]]
    by_personal_id: dict[str, int]
    locked: set[int]  # enrolments whose completion list is approved
    components: dict[str, tuple[int, str]]  # field key → (component id, name)


@dataclass
class CheckedScores(Checked[list[ScoreIn]]):
    enrolment_id: int | None = None


def component_key(component_id: int) -> str:
    return f"c{component_id}"


def check_scores_row(raw: RawRow, ctx: ScoresContext) -> CheckedScores:
    """One row → the learner's scores to write (an empty row of scores writes nothing), or its problems."""
    problems: list[Problem] = []

    def bad(key: str, code: str, message: str) -> None:
        value = "" if key == "personal_id" else raw.text(key)[:200]
        problems.append(Problem(raw.number, key, value, code, message))

    enrolment = match_learner(raw, ctx, bad, problems)
    if enrolment is not None and enrolment in ctx.locked:
        bad(
            "",
            "learner.locked",
            _("The completion list of this learner is approved: correct the score in the grid, with the reason."),
        )
    scores: list[ScoreIn] = []
    for key, (component_id, name) in ctx.components.items():
        if not raw.text(key).strip():
            continue
        try:
            value = parse_score(raw.values.get(key))
        except ValueError:
            bad(key, "score.invalid", _("“%(component)s”: the score is a number from 0 to 10.") % {"component": name})
            continue
        if enrolment is not None:
            scores.append(ScoreIn(enrolment_id=enrolment, component_id=component_id, value=value))
    for key in raw.undecodable:
        bad(key, "text.undecodable", _("The text could not be read (unknown encoding)."))
    if problems or enrolment is None:
        return CheckedScores(raw.number, None, problems, enrolment)
    return CheckedScores(raw.number, scores, [], enrolment)


class ScoresImportOptionsForm(forms.Form):
    """The cohort, named by the link of the cohort's scores page (`?cohort=<uuid>`)."""

    cohort = forms.UUIDField(
        widget=forms.HiddenInput, error_messages={"required": gettext_lazy("Start from the scores page of the cohort.")}
    )


class ScoresImporter(CohortJob, Importer[ScoresContext, list[ScoreIn]]):
    """Scores of one cohort's learners, one column per assessed component (from the cohort's scores page)."""

    key = SCORES_KEY
    label = gettext_lazy("Scores")
    title = gettext_lazy("Import scores (.xlsx)")
    fields = SCORE_LEARNER_FIELDS
    no_table_message = gettext_lazy(
        "No table of scores was found: the first 15 rows of every sheet were searched for a header row with "
        "“Tên đăng nhập”, “Email” or “Số CCCD” and one column per component named as on the scores page. "
        "Download the cohort's template from its scores page."
    )
    created_label = gettext_lazy("scores entered")
    updated_label = gettext_lazy("scores changed")
    upload_action = "score_import.upload"
    confirm_action = "score_import.confirm"
    write_action = "score.import"

    def check_permission(self, scope: Scope, unit: Any) -> None:
        if not scope.has(Perm.TRAINING_ASSESS, unit.path):
            raise PermissionDenied

    def unit_choices(self, scope: Scope) -> QuerySet[Unit]:
        """The units where the viewer assesses (an organiser, an institution); the job belongs to the
        cohort's organiser or institution, taken from the cohort's scores page."""
        return Unit.objects.filter(pk__in=scope.units_with(Perm.TRAINING_ASSESS)).order_by("depth", "name")

    def options_form(self, data: Any = None, *, initial: Mapping[str, Any] | None = None) -> forms.Form:
        return ScoresImportOptionsForm(data, initial={"cohort": (initial or {}).get("cohort")})

    def cohort_allowed(self, scope: Scope, cohort: Cohort) -> bool:
        return can_assess(scope, cohort)

    def result_link(self, job: JobInfo) -> tuple[str, str]:
        return reverse("training:scores", kwargs={"uuid": job.options["cohort"]}), str(_("See the cohort's scores"))

    def _cohort(self, job: JobInfo) -> Cohort:
        c = job.options.get("cohort")
        cohort = (
            Cohort.objects.select_related("organiser", "institution", "school_year").filter(uuid=str(c)).first()
            if c
            else None
        )
        if cohort is None:
            raise FileProblem(_("The cohort no longer exists."))
        return cohort

    def _components(self, job: JobInfo) -> list[tuple[int, str]]:
        c = job.options.get("cohort")
        return list(
            AssessmentComponent.objects.filter(cohort__uuid=str(c))
            .exclude(assessed_by=Assessor.LMS)
            .order_by("position", "id")
            .values_list("pk", "name")
        )

    def fields_for(self, job: JobInfo) -> list[Field]:
        """The learner's columns, and one per component the LMS does not score, named as the component
        ("Điểm …" in front of the name is understood too)."""
        extra = []
        for pk, name in self._components(job):
            norm = normalise_header(name)
            extra.append(Field(component_key(pk), exact=(norm, f"diem {norm}"), label=name))
        return [*SCORE_LEARNER_FIELDS, *extra]

    def layout_problems(self, layout: Layout, ctx: ScoresContext) -> list[Problem]:
        if any(layout.has(k) for k in ctx.components):
            return []
        row = layout.header_rows[-1] if layout.header_rows else 0
        names = ", ".join(f"“{name}”" for _pk, name in ctx.components.values())
        return [
            Problem(
                row,
                "",
                "",
                "column.missing",
                _("The file has no column of scores: name one column as a component of the cohort (%(names)s).")
                % {"names": names},
            )
        ]

    def prepare(self, job: JobInfo, scope: Scope, layout: Layout) -> ScoresContext:
        cohort = self._cohort(job)
        if not can_assess(scope, cohort):
            raise FileProblem(_("You may no longer enter the scores of this cohort."))
        by_username, by_email, by_pid = learner_lookups(cohort, [EnrolmentStatus.ENROLLED])
        locked = set(
            Enrolment.objects.filter(
                cohort=cohort, status=EnrolmentStatus.ENROLLED, completion_list__status=CompletionListStatus.APPROVED
            ).values_list("pk", flat=True)
        )
        components = {component_key(pk): (pk, name) for pk, name in self._components(job)}
        return ScoresContext(cohort, layout, by_username, by_email, by_pid, locked, components)

    def check_row(self, raw: RawRow, ctx: ScoresContext) -> CheckedScores:
        return check_scores_row(raw, ctx)

    def check_file(self, rows: list[Checked[list[ScoreIn]]], ctx: ScoresContext) -> None:
        seen: dict[int, int] = {}
        for c in rows:
            e = getattr(c, "enrolment_id", None)
            if e is None:
                continue
            first = seen.setdefault(e, c.row)
            if first != c.row:
                message = _("The same learner appears again: row %(r)s is theirs too.") % {"r": first}
                c.reject(Problem(c.row, "", "", "learner.duplicate", message))

    def write(self, job: JobInfo, records: list[list[ScoreIn]], *, scope: Scope) -> Written:
        cohort = self._cohort(job)
        flat = [s for row in records for s in row]
        try:
            created, updated = scores_import(scope=scope, cohort=cohort, scores=flat)
        except PermissionDenied:
            raise FileProblem(_("You may no longer enter the scores of this cohort.")) from None
        except ValidationError as e:
            raise FileProblem(" ".join(e.messages)) from None
        return Written(created, updated, note=_("%(n)s scores") % {"n": created + updated})
