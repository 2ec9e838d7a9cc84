"""Audit actions of training delivery (registered from `TrainingConfig.ready`)."""

from django.utils.translation import gettext_lazy as _

from bdtx.core.audit import AuditAction, ValueFormat, school_year_label
from bdtx.plans.models import Form
from bdtx.training.models import CohortStatus, Degree, EnrolmentStatus, InteractionKind, TrainerRole, WriterRole

COUNTS = {
    "enrolled": _("enrolled"),
    "waiting": _("on the waiting list"),
    "groups": _("groups"),
    "without_mentor": _("groups without a core teacher"),
    "learners": _("learners"),
    "from": _("from"),
    "to": _("to"),
}
COHORT_VALUES: dict[str, ValueFormat] = {
    "form": Form.choices,
    "status": CohortStatus.choices,
    "school_year": school_year_label,
}
TRAINER_VALUES: dict[str, ValueFormat] = {"role": TrainerRole.choices, "degree": Degree.choices}
ENROLMENT_VALUES: dict[str, ValueFormat] = {"status": EnrolmentStatus.choices}
QUESTION_FIELDS = {
    "kind": _("interaction"),
    "role": _("written as"),
    "file": _("attached file"),
    "answered": _("answered"),
}
QUESTION_VALUES: dict[str, ValueFormat] = {"kind": InteractionKind.choices, "role": WriterRole.choices}

ACTIONS = [
    AuditAction("cohort.create", _("Cohort created"), values=COHORT_VALUES),
    AuditAction("cohort.update", _("Cohort changed"), values=COHORT_VALUES),
    AuditAction("cohort.session_add", _("In-person session added to a cohort")),
    AuditAction(
        "trainer.add",
        _("Trainer added to a cohort"),
        fields={"person": _("linked staff record")},
        values=TRAINER_VALUES,
    ),
    AuditAction("enrolment.bulk", _("Learners enrolled from approved plans"), fields=COUNTS),
    AuditAction("enrolment.withdraw", _("Learner withdrawn from a cohort"), values=ENROLMENT_VALUES),
    AuditAction("enrolment.move", _("Learner moved to another cohort"), fields=COUNTS),
    AuditAction("group.split", _("Cohort split into support groups"), fields=COUNTS),
    AuditAction("group.member_move", _("Learner moved to another support group"), fields=COUNTS),
    AuditAction("question.ask", _("Question asked in a cohort"), fields=QUESTION_FIELDS, values=QUESTION_VALUES),
    AuditAction("question.reply", _("Reply to a question"), fields=QUESTION_FIELDS, values=QUESTION_VALUES),
]

# --- attendance (bdtx/training/attendance.py) ---
from bdtx.training.models import AttendanceMark  # noqa: E402

ATTENDANCE_FIELDS = {"mark": _("attendance"), "learners": _("learners")}
ATTENDANCE_VALUES: dict[str, ValueFormat] = {"mark": AttendanceMark.choices}
ACTIONS += [
    AuditAction(
        "attendance.mark", _("Attendance marked on the roster"), fields=ATTENDANCE_FIELDS, values=ATTENDANCE_VALUES
    ),
    AuditAction(
        "attendance.check_in", _("Learner checked in by QR code"), fields=ATTENDANCE_FIELDS, values=ATTENDANCE_VALUES
    ),
    AuditAction(
        "attendance.mark_rest",
        _("Learners without a mark given the same mark"),
        fields=ATTENDANCE_FIELDS,
        values=ATTENDANCE_VALUES,
    ),
]

# --- LMS exchange (issue 9) ---
from bdtx.core.importing.audit import ONLY_VALID, SUMMARY_FIELDS  # noqa: E402

ACTIONS += [
    AuditAction("lms.create", _("LMS registered (token issued)")),
    AuditAction(
        "lms.xapi",
        _("LMS statements received"),
        fields={"statements": _("statements recorded"), "repeated": _("statements already received")},
    ),
    AuditAction("lms_import.upload", _("LMS results file uploaded")),
    AuditAction("lms_import.confirm", _("LMS results import confirmed"), notes=(ONLY_VALID,)),
    AuditAction(
        "lms.import",
        _("LMS results file imported"),
        fields={**SUMMARY_FIELDS, "created": _("results recorded"), "updated": _("results updated")},
    ),
]

# --- scores and completion (bdtx/training/scores.py, completion.py) ---
from bdtx.training.models import Assessor, CompletionListStatus, EvidenceKind, SignalSource  # noqa: E402

COMPLETION_FIELDS = {
    "party": _("marked by"),
    "passed": _("passed"),
    "source": _("source"),
    "learners": _("learners"),
    "completed": _("completed"),
    "status": _("status"),
}
COMPLETION_VALUES: dict[str, ValueFormat] = {
    "party": Assessor.choices,
    "source": SignalSource.choices,
    "status": CompletionListStatus.choices,
}
ACTIONS += [
    AuditAction(
        "completion.mark_scores", _("Learners whose scores reach the pass mark marked passed"), fields=COMPLETION_FIELDS
    ),
    AuditAction("completion.send", _("Completion list sent to the managing office"), fields=COMPLETION_FIELDS),
    AuditAction("completion.approve", _("Completion list approved"), fields=COMPLETION_FIELDS),
    AuditAction("completion.return", _("Completion list returned")),
    AuditAction("evidence.add", _("Evidence of application recorded"), values={"kind": EvidenceKind.choices}),
    AuditAction(
        "completion.mark", _("Module marked passed or not passed"), fields=COMPLETION_FIELDS, values=COMPLETION_VALUES
    ),
]

# --- scores and practice work (bdtx/training/scores.py) ---
from bdtx.training.models import ComponentKind, ScoreSource  # noqa: E402

SCORE_FIELDS = {
    "score": _("score"),
    "source": _("source"),
    "kind": _("kind"),
    "assessed_by": _("assessed by"),
    "file": _("file"),
    "comment": _("core teacher's comment"),
}
SCORE_VALUES: dict[str, ValueFormat] = {
    "source": ScoreSource.choices,
    "kind": ComponentKind.choices,
    "assessed_by": Assessor.choices,
}
ACTIONS += [
    AuditAction("component.add", _("Assessed component added to a cohort"), fields=SCORE_FIELDS, values=SCORE_VALUES),
    AuditAction(
        "component.remove", _("Assessed component removed from a cohort"), fields=SCORE_FIELDS, values=SCORE_VALUES
    ),
    AuditAction("score.set", _("Score entered or changed"), fields=SCORE_FIELDS, values=SCORE_VALUES),
    AuditAction("practice.submit", _("Practice work handed in"), fields=SCORE_FIELDS, values=SCORE_VALUES),
    AuditAction("practice.grade", _("Practice work graded"), fields=SCORE_FIELDS, values=SCORE_VALUES),
    AuditAction("score_import.upload", _("Scores file uploaded")),
    AuditAction("score_import.confirm", _("Scores import confirmed"), notes=(ONLY_VALID,)),
    AuditAction(
        "score.import",
        _("Scores file imported"),
        fields={**SUMMARY_FIELDS, "created": _("scores entered"), "updated": _("scores changed")},
    ),
]

# --- a schedule entered by hand (bdtx/training/phases.py) ---
from bdtx.training.models import PhaseKind  # noqa: E402

PHASE_FIELDS = {"kind": _("phase"), "from": _("from"), "to": _("to")}
ACTIONS += [
    AuditAction(
        "cohort.phase_add",
        _("Phase added to a cohort's schedule"),
        fields=PHASE_FIELDS,
        values={"kind": PhaseKind.choices},
    ),
    AuditAction(
        "cohort.phase_remove",
        _("Phase removed from a cohort's schedule"),
        fields=PHASE_FIELDS,
        values={"kind": PhaseKind.choices},
    ),
]

# --- LMS administration (bdtx/training/lms.py) ---
ACTIONS += [
    AuditAction("lms.deactivate", _("LMS deactivated (token refused)")),
    AuditAction("lms.activate", _("LMS reactivated (token accepted again)")),
    AuditAction("lms.rotate", _("LMS token replaced (the old one refused)")),
]
