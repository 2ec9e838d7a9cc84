"""Background work of the summaries app."""

from django.tasks import task

from bdtx.summaries import services


@task
def summaries_refresh_task(job_id: int) -> None:
    """Bring the summaries under a unit up to date (`services.job_run`)."""
    services.job_run(job_id=job_id)
