"""Role assignments (user × unit × role), failed logins, and passwords that must be changed.

What each role may do is the matrix `ROLE_PERMISSIONS`; where it may do it is the subtree of the
unit the role is held at (`Scope`). Learners and mentors see only their own records.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bdtx.core.models import BaseModel
from bdtx.core.scope import Perm, ScopedQuerySet
from bdtx.organisations.models import Unit, UnitKind


class Role(models.TextChoices):
    LEARNER = "learner", _("Teacher / manager (learner)")
    MENTOR = "mentor", _("Core teacher (mentor)")
    SCHOOL_ADMIN = "school_admin", _("School administrator")
    OFFICE_STAFF = "office_staff", _("Education office staff")
    DEPARTMENT_STAFF = "department_staff", _("Department of Education staff")
    MINISTRY_STAFF = "ministry_staff", _("Ministry staff")
    INSTITUTION_STAFF = "institution_staff", _("Training institution staff")
    SYSTEM_ADMIN = "system_admin", _("System administrator")


_OFFICE = {
    Perm.ROLES_MANAGE,
    Perm.PASSWORDS_RESET,  # whoever manages the accounts of a unit may give them one-time passwords
    Perm.UNITS_VIEW,
    Perm.PEOPLE_VIEW,
    Perm.PEOPLE_MANAGE,
    Perm.PEOPLE_IMPORT,
    Perm.PEOPLE_EXPORT,
    Perm.SENSITIVE_VIEW,
    Perm.AUDIT_VIEW,
    Perm.PLANS_VIEW,
    Perm.PLANS_APPROVE,
    Perm.STANDARDS_VIEW,
    Perm.STANDARDS_EVALUATE,  # principals evaluate teachers; offices evaluate principals
    # Every level organises training for its own subtree: the Sở, the commune or district office, a
    # school (school-based cohorts).
    Perm.TRAINING_VIEW,
    Perm.TRAINING_MANAGE,
    Perm.TRAINING_ASSESS,  # an organiser enters the scores of its cohorts (and assesses when no institution does)
    Perm.REPORTS_VIEW,
    Perm.REPORTS_FILE,  # every level files its own reports to the level above
}
# The managing office (`TRAINING_APPROVE`) approves the completion lists of its schools (a commune or
# district office, the Sở for the schools it manages directly); a school does not approve its own.
_AUTHORITY = {Perm.DEADLINES_MANAGE, Perm.CONTENT_MANAGE}
# The managing authority recognises its schools' year results and issues their certificates.
_RECOGNISE = {Perm.TRAINING_APPROVE, Perm.RESULTS_RECOGNISE, Perm.CERTIFICATES_ISSUE}
# A level above accepts or returns the reports its children filed (the office its schools', the Sở its
# offices', the ministry the Sở's).
_DECIDE_REPORTS = {Perm.REPORTS_DECIDE}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.LEARNER: frozenset(),
    Role.MENTOR: frozenset(),
    Role.SCHOOL_ADMIN: frozenset(_OFFICE),
    Role.OFFICE_STAFF: frozenset(_OFFICE | _RECOGNISE | _DECIDE_REPORTS | {Perm.DEADLINES_MANAGE}),
    Role.DEPARTMENT_STAFF: frozenset(
        _OFFICE | _AUTHORITY | _RECOGNISE | _DECIDE_REPORTS | {Perm.UNITS_MANAGE, Perm.CATALOG_MANAGE}
    ),
    # The ministry sees national figures and lists but not individuals' sensitive data.
    Role.MINISTRY_STAFF: frozenset(
        {Perm.UNITS_VIEW, Perm.PEOPLE_VIEW, Perm.PEOPLE_EXPORT, Perm.AUDIT_VIEW, Perm.PLANS_VIEW, Perm.PLANS_APPROVE}
        | {Perm.STANDARDS_VIEW, Perm.CATALOG_MANAGE, Perm.TRAINING_VIEW, Perm.REPORTS_VIEW}
        | _AUTHORITY
        | _DECIDE_REPORTS
    ),
    # A training institution sees the cohorts it assesses (`CohortQuerySet.visible_to`).
    Role.INSTITUTION_STAFF: frozenset({Perm.UNITS_VIEW, Perm.TRAINING_VIEW, Perm.TRAINING_ASSESS}),
    Role.SYSTEM_ADMIN: frozenset(
        _OFFICE | _AUTHORITY | _RECOGNISE | _DECIDE_REPORTS | {Perm.UNITS_MANAGE, Perm.CATALOG_MANAGE}
    ),
}

# Where each role can be held. A grantor may give a role only at a unit inside their subtree and
# only if the role's permissions are a subset of their own there (no escalation).
ROLE_UNIT_KINDS: dict[str, frozenset[str]] = {
    Role.LEARNER: frozenset({UnitKind.SCHOOL, UnitKind.CENTRE}),
    Role.MENTOR: frozenset({UnitKind.SCHOOL, UnitKind.CENTRE}),
    Role.SCHOOL_ADMIN: frozenset({UnitKind.SCHOOL, UnitKind.CENTRE}),
    Role.OFFICE_STAFF: frozenset({UnitKind.DISTRICT, UnitKind.COMMUNE}),
    Role.DEPARTMENT_STAFF: frozenset({UnitKind.DEPARTMENT}),
    Role.MINISTRY_STAFF: frozenset({UnitKind.MINISTRY}),
    Role.INSTITUTION_STAFF: frozenset({UnitKind.INSTITUTION}),
    Role.SYSTEM_ADMIN: frozenset({UnitKind.MINISTRY}),
}

# Units whose people get their accounts at the unit itself. A school's or a centre's staff have staff
# records and get accounts from them; a training institution's staff are not BDTX learners and have
# none, so the authority that contracts it creates their accounts from the institution's page.
ACCOUNT_AT_UNIT_KINDS = frozenset({UnitKind.INSTITUTION})

# Roles whose grant covers only the holder's own records, not the unit's subtree.
SELF_ONLY_ROLES = frozenset({Role.LEARNER, Role.MENTOR})


class RoleAssignmentQuerySet(ScopedQuerySet):
    scope_path_field = "unit__path"


class RoleAssignment(BaseModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    active = models.BooleanField(default=True)

    objects = RoleAssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"], name="one_role_per_user_unit")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.unit}"


class FailedLogin(models.Model):
    """One failed sign-in attempt, kept for throttling (a day at most).

    `user` is the account the name belonged to, when it belonged to one: only those rows lock an
    account. A success, a password reset or an unlock detaches the account's rows (user → null),
    so they no longer lock it but still count against the address they came from.
    """

    username = models.CharField(max_length=150, db_index=True)  # as typed
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="failed_logins"
    )
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("failed login")


class PasswordResetRequest(models.Model):
    """One request for a password-reset mail (per account mailed, or one with no account), kept an
    hour or so for rate limiting."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    ip = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("password-reset request")


class PasswordChangeRequired(models.Model):
    """The account's password is a one-time one an authority gave (`account_password_reset_by_authority`):
    until its holder sets their own, every page sends them to the change form
    (`PasswordChangeRequiredMiddleware`). The row goes when they change it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="password_change_required"
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    issued_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("password to change")
