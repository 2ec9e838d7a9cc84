"""Audit actions on accounts and roles (registered from `AccountsConfig.ready`)."""

from django.utils.translation import gettext_lazy as _

from bdtx.core.audit import AuditAction

ROLE_FIELDS = {"user": _("user"), "unit": _("unit"), "active": _("in force")}

ACTIONS = [
    AuditAction("role.assign", _("Role given"), fields=ROLE_FIELDS),
    AuditAction("role.revoke", _("Role taken away"), fields=ROLE_FIELDS),
    AuditAction("account.create", _("Account created"), fields={"username": _("username")}),
    AuditAction(
        "account.unlock",
        _("Account unlocked"),
        fields={"username": _("username"), "failed_logins": _("failed sign-ins")},
    ),
    AuditAction(
        "account.password_reset",
        _("Password reset to a one-time password"),
        fields={
            "username": _("username"),
            "must_change_password": _("must change the password at the next sign-in"),
            "failed_logins": _("failed sign-ins"),
        },
    ),
]
