"""Training delivery: cohorts (đợt / lớp bồi dưỡng) with their schedule, trainers, learners enrolled
from approved personal plans, and core teachers' support groups (seed 003, Cao Bằng 1395/SGDĐT-ĐTBD).

A cohort belongs to the unit that organises it (a Sở, a commune or district office, a school): it is
scoped by the organiser's path. The training institution that assesses it sees it too.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from bdtx.core.models import BaseModel, InForceQuerySet, VersionedByYear, year_range_constraint
from bdtx.core.scope import Perm, Scope, ScopedQuerySet, path_within_q
from bdtx.people.models import StaffType
from bdtx.plans.models import Form
from bdtx.regimes.models import Programme


class CohortStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class PhaseKind(models.TextChoices):
    SELF_STUDY = "self_study", _("Self-study on the LMS")
    IN_PERSON = "in_person", _("In person")
    ASSIGNMENTS = "assignments", _("Self-study and assignments on the LMS")


class ScheduleTemplate(models.Model):
    """A shape of schedule a cohort can be made from: its phases and their lengths in days, kept as
    data and naming its source (the 7-2-7 model of seed 003)."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=255)
    # [{"kind": "self_study", "days": 7}, {"kind": "in_person", "days": 2}, ...] in order
    phases = models.JSONField(_("phases"))
    source = models.CharField(_("source"), max_length=500)
    active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("schedule template")
        verbose_name_plural = _("schedule templates")

    def __str__(self) -> str:
        return self.name


class CohortQuerySet(ScopedQuerySet):
    scope_path_field = "organiser__path"

    def visible_to(self, scope: Scope, permission: str | None = None) -> "CohortQuerySet":
        """Cohorts organised in the scope's subtrees, and those a training institution of the scope assesses."""
        vendor = self._vendor()
        paths = scope.paths(permission)
        return self.filter(
            path_within_q("organiser__path", paths, vendor) | path_within_q("institution__path", paths, vendor)
        )


class Cohort(BaseModel):
    """One đợt / lớp bồi dưỡng: a module (programme 03) or a content topic (01, 02) for one school year."""

    school_year = models.ForeignKey("core.SchoolYear", on_delete=models.PROTECT, related_name="+")
    organiser = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=255)
    programme = models.CharField(_("programme"), max_length=4, choices=Programme.choices, default=Programme.BD03)
    module = models.ForeignKey(
        "catalog.Module", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("module")
    )
    content_title = models.CharField(_("content topic"), max_length=500, blank=True)
    form = models.CharField(_("form"), max_length=16, choices=Form.choices, default=Form.BLENDED)
    capacity = models.PositiveIntegerField(_("capacity"))
    institution = models.ForeignKey(
        "organisations.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("assessing training institution"),
    )
    # A training institution acting for the organiser (issue 9): its own staff organise the cohort —
    # schedule, enrolment from the organiser's approved plans, groups, attendance — as the organiser's do.
    institution_organises = models.BooleanField(_("the institution organises it for the organiser"), default=False)
    status = models.CharField(_("status"), max_length=8, choices=CohortStatus.choices, default=CohortStatus.DRAFT)
    template = models.ForeignKey(
        ScheduleTemplate, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("template")
    )

    objects = CohortQuerySet.as_manager()

    class Meta:
        ordering = ["-school_year", "name", "id"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.CheckConstraint(
                condition=Q(programme=Programme.BD03, module__isnull=False) | ~Q(programme=Programme.BD03),
                name="cohort_bd03_has_module",
            ),
        ]
        indexes = [models.Index(fields=["school_year", "module"], name="cohort_year_module")]

    def __str__(self) -> str:
        return self.name

    def viewed_by(self, scope: Scope) -> bool:
        """Who sees the cohort's training: training viewers over the organiser or the assessing institution."""
        if scope.has(Perm.TRAINING_VIEW, self.organiser.path):
            return True
        return self.institution is not None and scope.has(Perm.TRAINING_VIEW, self.institution.path)

    def managed_by(self, scope: Scope) -> bool:
        """Who organises the cohort: training managers over the organiser and, when the assessing
        institution acts for the organiser, that institution's own staff (not an authority above it)."""
        if scope.has(Perm.TRAINING_MANAGE, self.organiser.path):
            return True
        return (
            self.institution_organises
            and self.institution is not None
            and scope.holds_at(Perm.TRAINING_ASSESS, self.institution)
        )

    @property
    def subject(self) -> str:
        """What is taught: the module, or the content topic."""
        return str(self.module) if self.module_id else self.content_title


class CohortPhase(models.Model):
    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="phases")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=PhaseKind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    days = models.PositiveSmallIntegerField(_("days"))

    class Meta:
        ordering = ["cohort", "position"]
        verbose_name = _("phase")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="phase_dates_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y}"


class CohortSessionQuerySet(ScopedQuerySet):
    scope_path_field = "cohort__organiser__path"


class CohortSession(BaseModel):
    """An in-person session: where and when."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="sessions")
    phase = models.ForeignKey(CohortPhase, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions")
    venue = models.CharField(_("venue"), max_length=255)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))

    objects = CohortSessionQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("in-person session")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="session_times_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.venue} {self.starts_at:%d/%m/%Y %H:%M}"


class Degree(models.TextChoices):
    NONE = "none", _("No degree")
    COLLEGE = "college", _("College (cao đẳng)")
    BACHELOR = "bachelor", _("Bachelor (đại học)")
    MASTER = "master", _("Master (thạc sĩ)")
    DOCTOR = "doctor", _("Doctor (tiến sĩ)")


DEGREE_RANK = {d: i for i, d in enumerate(Degree.values)}


class Enforcement(models.TextChoices):
    REFUSE = "refuse", _("Refuse a trainer who does not qualify")
    WARN = "warn", _("Accept with a warning")


class SourcedRule(VersionedByYear):
    """A training rule kept as data for a span of school years, with the text it comes from and what
    is still to be checked against the circulars (shown to administrators)."""

    source = models.CharField(_("legal source"), max_length=255)
    verification_note = models.TextField(_("still to be checked"), blank=True)

    class Meta:
        abstract = True
        ordering = ["first_year"]

    def __str__(self) -> str:
        return f"{self.source} ({self.years_label})"


class TrainerRule(SourcedRule):
    """What a trainer (báo cáo viên / giảng viên) must have, by regulation and school year."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    min_degree = models.CharField(_("lowest degree"), max_length=16, choices=Degree.choices, default=Degree.NONE)
    min_years_experience = models.PositiveSmallIntegerField(
        _("years of BDTX experience"), null=True, blank=True, help_text=_("Empty: no minimum.")
    )
    requires_it_skills = models.BooleanField(_("IT skills required"), default=False)
    enforcement = models.CharField(
        _("when a trainer does not qualify"), max_length=8, choices=Enforcement.choices, default=Enforcement.WARN
    )

    objects = InForceQuerySet["TrainerRule"].as_manager()

    class Meta(SourcedRule.Meta):
        verbose_name = _("trainer rule")
        verbose_name_plural = _("trainer rules")
        constraints = [year_range_constraint("trainer_rule_year_range")]


class TrainerRole(models.TextChoices):
    REPORTER = "reporter", _("Presenter (báo cáo viên)")
    LECTURER = "lecturer", _("Lecturer (giảng viên)")


class Trainer(BaseModel):
    """A trainer of a cohort, with the qualification checked against the trainer rule of its year."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="trainers")
    # Trainers of a training institution have no staff record (they are not BDTX learners): the name
    # is kept here; `person` links one who has.
    person = models.ForeignKey("people.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    full_name = models.CharField(_("full name"), max_length=255)
    role = models.CharField(_("role"), max_length=16, choices=TrainerRole.choices, default=TrainerRole.REPORTER)
    degree = models.CharField(_("degree"), max_length=16, choices=Degree.choices)
    years_experience = models.PositiveSmallIntegerField(_("years of BDTX experience"))
    it_skills = models.BooleanField(_("IT skills"), default=False)
    # What the rule found lacking when the trainer was added ([] = qualifies), and under which rule.
    shortfalls = models.JSONField(default=list, blank=True)
    rule = models.ForeignKey(TrainerRule, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["cohort", "full_name", "id"]
        verbose_name = _("trainer")
        verbose_name_plural = _("trainers")

    def __str__(self) -> str:
        return self.full_name

    @property
    def qualifies(self) -> bool:
        return not self.shortfalls


class MentorRule(SourcedRule):
    """Core teachers' support groups: the largest group, and how supported learners convert into the
    core teacher's own periods (seed 003: a group of 50 learners = at least 40 tiết quy đổi)."""

    max_group_size = models.PositiveSmallIntegerField(_("largest group"))
    learners_per_block = models.PositiveSmallIntegerField(_("learners"))
    hours_per_block = models.PositiveSmallIntegerField(_("periods counted for them"))
    # the programme of the core teacher's own plan the tiết quy đổi stand for (their chosen modules);
    # empty: they are shown but do not count towards the year result
    counts_towards = models.CharField(
        _("counts towards"), max_length=4, choices=Programme.choices, blank=True, default=Programme.BD03
    )

    objects = InForceQuerySet["MentorRule"].as_manager()

    class Meta(SourcedRule.Meta):
        verbose_name = _("core teacher rule")
        verbose_name_plural = _("core teacher rules")
        constraints = [
            year_range_constraint("mentor_rule_year_range"),
            models.CheckConstraint(
                condition=Q(max_group_size__gt=0, learners_per_block__gt=0), name="mentor_rule_positive"
            ),
        ]


class SupportGroupQuerySet(ScopedQuerySet):
    scope_path_field = "cohort__organiser__path"


class SupportGroup(BaseModel):
    """A group of a cohort's learners supported by one core teacher (giáo viên / CBQL cốt cán)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="groups")
    number = models.PositiveIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=100)
    mentor = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="mentored_groups",
        verbose_name=_("core teacher"),
    )

    objects = SupportGroupQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "number"]
        verbose_name = _("support group")
        verbose_name_plural = _("support groups")
        constraints = [models.UniqueConstraint(fields=["cohort", "number"], name="group_number_per_cohort")]

    def __str__(self) -> str:
        return self.name


class EnrolmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Enrolled")
    WAITING = "waiting", _("Waiting list")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    MOVED = "moved", _("Moved to another cohort")


ACTIVE_STATUSES = (EnrolmentStatus.ENROLLED, EnrolmentStatus.WAITING)


class EnrolmentQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"
    scope_person_field = "person_id"

    def active(self) -> "EnrolmentQuerySet":
        return self.filter(status__in=ACTIVE_STATUSES)


class Enrolment(BaseModel):
    """A learner in a cohort. Module and school year are the cohort's, kept here so that the database
    itself refuses a second active enrolment of a person in the same module and year."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="enrolments")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="enrolments")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")  # the learner's school
    school_year = models.ForeignKey("core.SchoolYear", on_delete=models.PROTECT, related_name="+")
    module = models.ForeignKey("catalog.Module", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=16, choices=EnrolmentStatus.choices, default=EnrolmentStatus.ENROLLED
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    group = models.ForeignKey(
        SupportGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="members", verbose_name=_("group")
    )
    # The three-way completion (bdtx/training/completion.py): recomputed from the LMS's result, the
    # core teacher's and the institution's marks and the attendance threshold, set-based.
    completed = models.BooleanField(_("module completed"), default=False)
    completion_checked_at = models.DateTimeField(null=True, blank=True, editable=False)  # when it last changed
    # the completion list it was sent to its managing office in (locked once approved)
    completion_list = models.ForeignKey(
        "CompletionList", null=True, blank=True, on_delete=models.SET_NULL, related_name="enrolments"
    )

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "id"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "module", "school_year"],
                condition=Q(status__in=ACTIVE_STATUSES, module__isnull=False),
                name="one_active_enrolment_per_module_year",
            ),
            models.UniqueConstraint(
                fields=["cohort", "person"],
                condition=Q(status__in=ACTIVE_STATUSES),
                name="one_active_enrolment_per_cohort",
            ),
        ]
        indexes = [
            models.Index(fields=["cohort", "status"], name="enrolment_cohort_status"),
            models.Index(fields=["person", "school_year"], name="enrolment_person_year"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} → {self.cohort_id} ({self.status})"


# --- attendance at in-person sessions ------------------------------------------------------------


class AttendanceMark(models.TextChoices):
    PRESENT = "present", _("Present")
    LATE = "late", _("Arrived late")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


# What counts as having attended a session, for the threshold.
ATTENDED_MARKS = (AttendanceMark.PRESENT, AttendanceMark.LATE)


class AttendanceSource(models.TextChoices):
    ROSTER = "roster", _("Roster")
    CHECK_IN = "check_in", _("QR check-in")


class AttendanceRule(SourcedRule):
    """How attendance at in-person sessions is judged: the share of a cohort's sessions a learner must
    attend (present or late), when the QR check-in opens, and after how long an arrival is late."""

    min_share = models.PositiveSmallIntegerField(_("sessions to attend (percent)"))
    opens_minutes_before = models.PositiveSmallIntegerField(_("check-in opens (minutes before the start)"))
    late_after_minutes = models.PositiveSmallIntegerField(_("late after (minutes from the start)"))
    # no circular gives these figures: the source names a practice, not a legal text
    source = models.CharField(_("source"), max_length=255)

    objects = InForceQuerySet["AttendanceRule"].as_manager()

    class Meta(SourcedRule.Meta):
        verbose_name = _("attendance rule")
        verbose_name_plural = _("attendance rules")
        constraints = [
            year_range_constraint("attendance_rule_year_range"),
            models.CheckConstraint(condition=Q(min_share__lte=100), name="attendance_rule_share_percent"),
        ]


# --- questions and interactions ------------------------------------------------------------------


class QuestionRule(SourcedRule):
    """How long a learner's question may wait for an answer from their core teacher or a trainer
    before it is flagged to the core teacher and the organiser."""

    answer_within_days = models.PositiveSmallIntegerField(_("days to answer"))

    objects = InForceQuerySet["QuestionRule"].as_manager()

    class Meta(SourcedRule.Meta):
        verbose_name = _("question rule")
        verbose_name_plural = _("question rules")
        constraints = [
            year_range_constraint("question_rule_year_range"),
            models.CheckConstraint(condition=Q(answer_within_days__gt=0), name="question_rule_positive"),
        ]


class EnrolmentScopedQuerySet(ScopedQuerySet):
    """Rows of a learner's enrolment: scoped by the learner's school, and the learner's own."""

    scope_path_field = "enrolment__unit__path"
    scope_person_field = "enrolment__person_id"


class Attendance(BaseModel):
    """A learner's mark at one in-person session, from the roster or the learner's own QR check-in."""

    session = models.ForeignKey(CohortSession, on_delete=models.CASCADE, related_name="attendance")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="attendance")
    mark = models.CharField(_("attendance"), max_length=8, choices=AttendanceMark.choices)
    source = models.CharField(_("source"), max_length=8, choices=AttendanceSource.choices)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = EnrolmentScopedQuerySet.as_manager()

    class Meta:
        ordering = ["session", "id"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "enrolment"], name="one_attendance_per_session"),
        ]
        indexes = [models.Index(fields=["enrolment", "mark"], name="attendance_enrolment_mark")]

    def __str__(self) -> str:
        return f"{self.enrolment_id} @ {self.session_id}: {self.mark}"


class WriterRole(models.TextChoices):
    LEARNER = "learner", _("Learner")
    MENTOR = "mentor", _("Core teacher")
    TRAINER = "trainer", _("Trainer or organiser")


class InteractionKind(models.TextChoices):
    """The six interactions seed 003 asks to monitor (Cao Bằng 1395/SGDĐT-ĐTBD, 3.2). The third of
    each side counts exchanges with a trainer (báo cáo viên): the seed writes it "giáo viên với báo
    cáo viên" for teachers and "cán bộ quản lý cốt cán với báo cáo viên" for managers."""

    TEACHER_TEACHER = "gv_gv", _("Teacher ↔ teacher")
    TEACHER_MENTOR = "gv_cc", _("Teacher ↔ core teacher")
    TEACHER_TRAINER = "gv_bcv", _("Teacher or core teacher ↔ trainer")
    MANAGER_MANAGER = "ql_ql", _("Manager ↔ manager")
    MANAGER_MENTOR = "ql_cc", _("Manager ↔ core manager")
    MANAGER_TRAINER = "ql_bcv", _("Manager or core manager ↔ trainer")


class QuestionQuerySet(ScopedQuerySet):
    scope_path_field = "cohort__organiser__path"


class Question(BaseModel):
    """A learner's question in a cohort: the thread's head. Its text is the first message."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="questions")
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="questions")
    # the asker's group when asking (the core teacher who should answer), and their school
    group = models.ForeignKey(SupportGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="questions")
    unit = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    # the asker's staff type (GV or CBQL): which side of the monitored interactions the thread is on
    audience = models.CharField(max_length=4, choices=StaffType.choices, default=StaffType.TEACHER)
    title = models.CharField(_("question"), max_length=200)
    # the first reply of the core teacher or a trainer (a fellow learner's reply does not answer it)
    answered_at = models.DateTimeField(null=True, blank=True)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        indexes = [
            models.Index(fields=["cohort", "answered_at"], name="question_cohort_answered"),
            models.Index(fields=["group", "answered_at"], name="question_group_answered"),
        ]

    def __str__(self) -> str:
        return self.title


class QuestionMessageQuerySet(ScopedQuerySet):
    scope_path_field = "question__cohort__organiser__path"


class QuestionMessage(BaseModel):
    """One message of a thread, classified when written into one of the six monitored interactions
    (kept, so that counting is one grouped query)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey("auth.User", null=True, on_delete=models.SET_NULL, related_name="+")
    author_name = models.CharField(max_length=255)
    role = models.CharField(max_length=8, choices=WriterRole.choices)
    kind = models.CharField(max_length=8, choices=InteractionKind.choices)
    body = models.TextField(_("message"))
    file = models.FileField(_("attached file"), upload_to="questions/%Y/", blank=True, max_length=255)
    filename = models.CharField(max_length=255, blank=True)

    objects = QuestionMessageQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["question", "created_at"], name="qmessage_question_created")]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.body[:40]}"


# --- LMS exchange (issue 9) ---------------------------------------------------------------------


class LmsQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


class Lms(BaseModel):
    """A learning management system run by others (seed 003: accounts issued by a provider) that
    pushes xAPI statements for the cohorts organised under `unit` (a Sở: its province).

    It authenticates with a bearer token shown once when made; only its SHA-256 is kept."""

    name = models.CharField(_("name"), max_length=255)
    unit = models.ForeignKey(
        "organisations.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("serves the cohorts of")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    active = models.BooleanField(_("active"), default=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = LmsQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("LMS")
        verbose_name_plural = _("LMSs")

    def __str__(self) -> str:
        return self.name


class LmsStatement(models.Model):
    """An xAPI statement an LMS pushed and the system accepted, kept as received. The statement id is
    unique per LMS: a statement sent again is recognised and not written twice."""

    lms = models.ForeignKey(Lms, on_delete=models.PROTECT, related_name="statements")
    statement_id = models.UUIDField()
    verb = models.CharField(max_length=16)
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")
    raw = models.JSONField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_at", "id"]
        constraints = [models.UniqueConstraint(fields=["lms", "statement_id"], name="lms_statement_once")]

    def __str__(self) -> str:
        return f"{self.lms_id}:{self.statement_id}"


class LmsSource(models.TextChoices):
    IMPORT = "import", _("Imported file")
    XAPI = "xapi", _("xAPI statement")


class LmsResult(models.Model):
    """One result received for a learner of a cohort: a history, one row per file row or statement.
    Each row carries the learner's whole LMS state after it (a statement saying only "passed" keeps
    the progress and score of the row before), so the latest row (highest id) is the current state."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="lms_results")
    progress = models.PositiveSmallIntegerField(_("progress (%)"), null=True, blank=True)
    passed = models.BooleanField(_("passed on the LMS"), null=True, blank=True)
    score = models.DecimalField(_("LMS score"), max_digits=4, decimal_places=2, null=True, blank=True)
    source = models.CharField(_("source"), max_length=8, choices=LmsSource.choices)
    recorded_at = models.DateTimeField(_("recorded at"))  # when the LMS says it happened
    received_at = models.DateTimeField(auto_now_add=True)
    statement = models.ForeignKey(LmsStatement, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reference = models.CharField(max_length=100, blank=True)  # "<import job uuid>:<row>" or the statement id

    class Meta:
        ordering = ["enrolment", "id"]
        verbose_name = _("LMS result")
        verbose_name_plural = _("LMS results")
        constraints = [
            models.CheckConstraint(
                condition=Q(progress__isnull=True) | Q(progress__lte=100), name="lms_result_progress_percent"
            ),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=10), name="lms_result_score_0_10"
            ),
        ]
        indexes = [models.Index(fields=["enrolment", "-id"], name="lms_result_latest")]

    def __str__(self) -> str:
        return f"{self.enrolment_id}: {self.progress}% {self.passed}"


# --- scores and the three-way completion (issue 9) ------------------------------------------------


class ComponentKind(models.TextChoices):
    LMS_TEST = "lms_test", _("Multiple-choice test on the LMS")
    PRACTICE = "practice", _("Practice work (bài thu hoạch)")
    RESEARCH = "research", _("Research exercise")
    OTHER = "other", _("Other assessment")


class Assessor(models.TextChoices):
    LMS = "lms", _("The LMS")
    MENTOR = "mentor", _("The core teacher")
    INSTITUTION = "institution", _("The training institution")


class AssessmentComponent(models.Model):
    """One assessed component of a cohort's module, scored on the 10-point scale; passed at the pass
    mark of the regime of the cohort's school year (`Regime.pass_mark`)."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="components")
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("kind"), max_length=16, choices=ComponentKind.choices)
    name = models.CharField(_("name"), max_length=200)
    assessed_by = models.CharField(_("assessed by"), max_length=16, choices=Assessor.choices)

    class Meta:
        ordering = ["cohort", "position", "id"]
        verbose_name = _("assessed component")
        verbose_name_plural = _("assessed components")
        constraints = [models.UniqueConstraint(fields=["cohort", "name"], name="component_name_per_cohort")]

    def __str__(self) -> str:
        return self.name


# The components a new cohort starts with (the organiser adds or removes others): seed 003 assesses a
# module by the LMS's automatic test and the core teacher's grading of the practice work; a programme
# 01/02 content is assessed by its bài thu hoạch, graded by the institution (or the organiser).
DEFAULT_COMPONENTS: dict[bool, list[tuple[str, str | Promise, str]]] = {
    True: [
        (ComponentKind.LMS_TEST, _("Multiple-choice test on the LMS"), Assessor.LMS),
        (ComponentKind.PRACTICE, _("Practice work (bài thu hoạch)"), Assessor.MENTOR),
    ],
    False: [(ComponentKind.PRACTICE, _("Practice work (bài thu hoạch)"), Assessor.INSTITUTION)],
}


class ScoreSource(models.TextChoices):
    GRID = "grid", _("Entered in the grid")
    IMPORT = "import", _("Imported file")
    PRACTICE = "practice", _("Practice work graded")
    LMS = "lms", _("From the LMS")


class Score(models.Model):
    """A learner's current score for one component (every change is in the audit log)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="scores")
    component = models.ForeignKey(AssessmentComponent, on_delete=models.CASCADE, related_name="scores")
    value = models.DecimalField(_("score"), max_digits=4, decimal_places=2)
    source = models.CharField(_("source"), max_length=8, choices=ScoreSource.choices)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entered_at = models.DateTimeField(_("entered at"))

    objects = EnrolmentScopedQuerySet.as_manager()

    class Meta:
        ordering = ["enrolment", "component"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "component"], name="one_score_per_component"),
            models.CheckConstraint(condition=Q(value__gte=0, value__lte=10), name="score_0_10"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id}/{self.component_id}: {self.value}"


class PracticeWork(BaseModel):
    """A file a learner handed in for a practice component (bài thu hoạch). Every submission is kept;
    the latest one is graded by the learner's core teacher, with a comment."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="practice_works")
    component = models.ForeignKey(AssessmentComponent, on_delete=models.PROTECT, related_name="+")
    file = models.FileField(_("file"), upload_to="practice/%Y/", max_length=255)
    filename = models.CharField(max_length=255)
    note = models.CharField(_("note"), max_length=500, blank=True)
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=2, null=True, blank=True)
    comment = models.TextField(_("core teacher's comment"), blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    graded_at = models.DateTimeField(null=True, blank=True)

    objects = EnrolmentScopedQuerySet.as_manager()

    class Meta:
        ordering = ["enrolment", "-created_at", "-id"]
        verbose_name = _("practice work")
        verbose_name_plural = _("practice work")
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__gte=0, score__lte=10), name="practice_score_0_10"
            ),
        ]
        indexes = [models.Index(fields=["enrolment", "graded_at"], name="practice_enrolment_graded")]

    def __str__(self) -> str:
        return self.filename


class SignalSource(models.TextChoices):
    MANUAL = "manual", _("Marked by hand")
    SCORES = "scores", _("From the scores")
    PRACTICE = "practice", _("From the graded practice work")
    IMPORT = "import", _("Imported file")


class CompletionSignal(models.Model):
    """The core teacher's or the training institution's mark of a learner's module (the LMS's mark is
    its latest `LmsResult`). One current row per party; every change is in the audit log."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="signals")
    party = models.CharField(_("marked by"), max_length=16, choices=Assessor.choices)
    passed = models.BooleanField(_("passed"))
    source = models.CharField(_("source"), max_length=8, choices=SignalSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"))

    objects = EnrolmentScopedQuerySet.as_manager()

    class Meta:
        ordering = ["enrolment", "party"]
        verbose_name = _("completion mark")
        verbose_name_plural = _("completion marks")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "party"], name="one_signal_per_party"),
            models.CheckConstraint(condition=~Q(party=Assessor.LMS), name="signal_not_lms"),
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} {self.party}: {self.passed}"


class CompletionListStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class CompletionListQuerySet(ScopedQuerySet):
    scope_path_field = "office__path"

    def visible_to(self, scope: Scope, permission: str | None = None) -> "CompletionListQuerySet":
        """The office's own lists, and the lists of the cohorts the scope organises."""
        vendor = self._vendor()
        paths = scope.paths(permission)
        return self.filter(
            path_within_q("office__path", paths, vendor) | path_within_q("cohort__organiser__path", paths, vendor)
        )


class CompletionList(BaseModel):
    """The completion list of a cohort for one managing office: the learners of the schools it
    manages (the commune or district office for its schools, the Sở for the schools it manages
    directly). The organiser sends it; the office approves it, which locks it: a change after that
    needs a reason and is audited."""

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="completion_lists")
    office = models.ForeignKey("organisations.Unit", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=12, choices=CompletionListStatus.choices, default=CompletionListStatus.SUBMITTED
    )
    learners = models.PositiveIntegerField(_("learners"), default=0)
    completed = models.PositiveIntegerField(_("completed"), default=0)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)

    objects = CompletionListQuerySet.as_manager()

    class Meta:
        ordering = ["cohort", "office__name", "id"]
        verbose_name = _("completion list")
        verbose_name_plural = _("completion lists")
        constraints = [models.UniqueConstraint(fields=["cohort", "office"], name="one_completion_list_per_office")]

    def __str__(self) -> str:
        return f"{self.cohort_id} / {self.office_id}: {self.status}"

    @property
    def locked(self) -> bool:
        return self.status == CompletionListStatus.APPROVED


class EvidenceKind(models.TextChoices):
    OBSERVATION = "observation", _("Lesson observation")
    PRODUCT = "product", _("Product of teaching")


class ApplicationEvidence(BaseModel):
    """Evidence, recorded by the school, that a completed module is applied in teaching (TT 17/2022:
    a lesson observation or a product)."""

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(_("kind"), max_length=16, choices=EvidenceKind.choices)
    observed_on = models.DateField(_("date"))
    description = models.TextField(_("description"))
    file = models.FileField(_("file"), upload_to="evidence/%Y/", blank=True, max_length=255)
    filename = models.CharField(max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = EnrolmentScopedQuerySet.as_manager()

    class Meta:
        ordering = ["enrolment", "-observed_on", "-id"]
        verbose_name = _("evidence of application")
        verbose_name_plural = _("evidence of application")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.observed_on:%d/%m/%Y}"
