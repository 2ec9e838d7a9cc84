"""TEMIS results imports become jobs of the one import pipeline (imports.ImportJob, kind "temis").

Every TemisImport row is copied with its uuid (audit entries keep pointing at it), its kept file
(the same stored name), its unit, school year, counts and problems; what the levels are moves to
the job's options. 0005 then drops the old table.
"""

from django.db import migrations

STATUS = {"checked": "validated", "done": "done", "failed": "failed"}
STATUS_BACK = {"done": "done", "failed": "failed"}
PROBLEM_KEYS = ("row", "col", "column", "key", "value", "code", "message", "severity")


def copy_temis_imports(apps, schema_editor):
    db = schema_editor.connection.alias
    TemisImport = apps.get_model("standards", "TemisImport")
    ImportJob = apps.get_model("imports", "ImportJob")
    for old in TemisImport.objects.using(db).order_by("pk").iterator():
        problems = [
            {"row": 0, "col": "", "column": "", "key": "", "value": "", "code": "", "severity": "error", **p}
            for p in old.problems
        ]
        job = ImportJob.objects.using(db).create(
            uuid=old.uuid,
            kind="temis",
            created_by_id=old.created_by_id,
            unit_id=old.unit_id,
            school_year_id=old.school_year_id,
            original_filename=old.original_filename,
            file=old.file.name,
            options={"levels_are": old.levels_are},
            status=STATUS.get(old.status, "failed"),
            progress=100,
            total_rows=old.total_rows,
            valid_rows=old.valid_rows,
            error_count=old.error_count,
            warning_count=old.warning_count,
            created_count=old.created_count,
            updated_count=old.updated_count,
            problems=[{k: p[k] for k in PROBLEM_KEYS} for p in problems],
            message=old.message,
            started_at=old.created_at,
            finished_at=old.finished_at,
        )
        ImportJob.objects.using(db).filter(pk=job.pk).update(created_at=old.created_at, updated_at=old.updated_at)


def copy_back(apps, schema_editor):
    db = schema_editor.connection.alias
    TemisImport = apps.get_model("standards", "TemisImport")
    ImportJob = apps.get_model("imports", "ImportJob")
    jobs = ImportJob.objects.using(db).filter(kind="temis")
    for job in jobs.order_by("pk"):
        old = TemisImport.objects.using(db).create(
            uuid=job.uuid,
            created_by_id=job.created_by_id,
            unit_id=job.unit_id,
            school_year_id=job.school_year_id,
            levels_are=job.options.get("levels_are", "principal"),
            original_filename=job.original_filename,
            file=job.file.name,
            status=STATUS_BACK.get(job.status, "checked"),
            total_rows=job.total_rows,
            valid_rows=job.valid_rows,
            error_count=job.error_count,
            warning_count=job.warning_count,
            created_count=job.created_count,
            updated_count=job.updated_count,
            problems=job.problems,
            message=job.message,
            finished_at=job.finished_at,
        )
        TemisImport.objects.using(db).filter(pk=old.pk).update(created_at=job.created_at, updated_at=job.updated_at)
    jobs.delete()


class Migration(migrations.Migration):

    dependencies = [
        ("standards", "0003_temis_import"),
        ("imports", "0002_one_job_model_for_every_import"),
    ]

    operations = [migrations.RunPython(copy_temis_imports, copy_back)]
