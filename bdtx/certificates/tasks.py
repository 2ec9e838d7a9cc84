"""Background work of the certificates app. Tasks receive ids only and rebuild the scope."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.tasks import task
from django.utils import translation

from bdtx.accounts.selectors import scope_for_user
from bdtx.certificates import services
from bdtx.certificates.models import IssueJob


@task
def certificates_issue_task(job_id: int) -> None:
    """Issue a unit's certificates for a year and draw their PDF files (`services.issue_job_run`)."""
    job = IssueJob.objects.get(pk=job_id)
    user = get_user_model().objects.filter(pk=job.created_by_id).first() if job.created_by_id else None
    if user is None:
        IssueJob.objects.filter(pk=job_id).update(status=IssueJob.Status.FAILED, error="no user")
        return
    with translation.override(job.language or settings.LANGUAGE_CODE):
        services.issue_job_run(job_id=job_id, scope=scope_for_user(user))
