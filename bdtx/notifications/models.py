"""What a person was told (`Notification`) and how they want to be told (`NotificationPreference`)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from bdtx.core.models import BaseModel
from bdtx.notifications.kinds import MAX_CODE_LENGTH


class Notification(BaseModel):
    """One event told to one user. (user, kind, event_key) is unique: the same event never notifies
    the same person twice, however often the service or the reminder run repeats it."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=MAX_CODE_LENGTH)
    event_key = models.CharField(max_length=200)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("text"), blank=True)
    url = models.CharField(max_length=500, blank=True)  # a path inside the site
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Rows the user switched off in the app are still written (so a rerun never tells them later),
    # but hidden: only the e-mail goes out, if they want it.
    in_app = models.BooleanField(default=True)
    # Waiting for the background worker to e-mail it (the user wants this kind by e-mail); the worker
    # clears it before sending, so a retried task never sends the same row twice.
    email_pending = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "event_key"], name="one_notification_per_event"),
        ]
        indexes = [
            models.Index(
                fields=["user", "created_at"], condition=models.Q(in_app=True), name="notification_user_inbox"
            ),
            models.Index(
                fields=["user"], condition=models.Q(in_app=True, read_at__isnull=True), name="notification_unread"
            ),
            models.Index(fields=["id"], condition=models.Q(email_pending=True), name="notification_email_pending"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind} {self.event_key}"


class NotificationPreference(models.Model):
    """A user's choice for one kind; no row means the kind's defaults."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=MAX_CODE_LENGTH)
    in_app = models.BooleanField(_("in the app"), default=True)
    email = models.BooleanField(_("by e-mail"), default=True)

    class Meta:
        verbose_name = _("notification preference")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}"
