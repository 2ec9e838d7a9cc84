"""Background work of the import app. Tasks receive ids only; the services rebuild the scope."""

from django.conf import settings
from django.tasks import task
from django.utils import translation

from bdtx.imports import services
from bdtx.imports.models import ImportJob


def _language(job_id: int) -> str:
    lang = ImportJob.objects.filter(pk=job_id).values_list("language", flat=True).first()
    return lang or settings.LANGUAGE_CODE


def _expire_abandoned() -> None:
    """Before a job, mark failed those a dead worker left running (a restarted worker cleans up)."""
    with translation.override(settings.LANGUAGE_CODE):
        services.import_jobs_expire()


@task
def import_validate(job_id: int) -> None:
    """Check an uploaded file (and write it when it is clean)."""
    _expire_abandoned()
    with translation.override(_language(job_id)):
        services.import_job_validate(job_id=job_id)


@task
def import_run(job_id: int, only_valid: bool) -> None:
    """Write a checked file the user confirmed."""
    _expire_abandoned()
    with translation.override(_language(job_id)):
        services.import_job_run(job_id=job_id, only_valid=only_valid)
