"""Catalog imports become jobs of the one import pipeline (imports.ImportJob, kind "catalog").

Every CatalogImport row is copied with its uuid (audit entries keep pointing at it), its kept file
(the same stored name), its counts and its problems; 0007 then drops the old table. A catalog
import belongs to the ministry unit, like the right to make one.
"""

from django.db import migrations

STATUS = {"checked": "validated", "done": "done", "failed": "failed"}
STATUS_BACK = {"done": "done", "failed": "failed"}


def _national_unit(Unit, db):  # noqa: N803 — a historical model
    units = Unit.objects.using(db).order_by("depth", "pk")
    return units.filter(kind="ministry", dissolved_on__isnull=True).first() or units.first()


def _problem(e):
    return {
        "row": e.get("row", 0),
        "col": e.get("column", ""),
        "column": e.get("header", ""),
        "key": "",
        "value": e.get("value", ""),
        "code": "",
        "message": e.get("message", ""),
        "severity": "error",
    }


def copy_catalog_imports(apps, schema_editor):
    db = schema_editor.connection.alias
    CatalogImport = apps.get_model("catalog", "CatalogImport")
    ImportJob = apps.get_model("imports", "ImportJob")
    Unit = apps.get_model("organisations", "Unit")
    old_jobs = list(CatalogImport.objects.using(db).select_related("catalog", "created_catalog").order_by("pk"))
    if not old_jobs:
        return
    unit = _national_unit(Unit, db)
    if unit is None:
        raise RuntimeError("Catalog imports exist but there is no unit to attach them to: create the ministry first.")
    for old in old_jobs:
        catalog = old.catalog
        options = {
            "catalog": str(catalog.uuid),
            "catalog_code": catalog.code,
            "catalog_name": catalog.name,
            "catalog_circular": catalog.circular,
            "catalog_first_year": catalog.first_year,
            "new_version": (
                {
                    "code": old.new_code,
                    "name": old.new_name,
                    "circular": old.new_circular,
                    "first_year": old.new_first_year,
                }
                if old.new_circular
                else None
            ),
        }
        if old.created_catalog_id:
            options["created_catalog"] = str(old.created_catalog.uuid)
        job = ImportJob.objects.using(db).create(
            uuid=old.uuid,
            kind="catalog",
            created_by_id=old.created_by_id,
            unit=unit,
            school_year=None,
            original_filename=old.original_filename,
            file=old.file.name,
            options=options,
            status=STATUS.get(old.status, "failed"),
            progress=100,
            total_rows=old.total_rows,
            valid_rows=old.valid_rows,
            error_count=old.error_count,
            created_count=old.created_count,
            updated_count=old.updated_count,
            problems=[_problem(e) for e in old.errors],
            message=old.message,
            started_at=old.created_at,
            finished_at=old.finished_at,
        )
        ImportJob.objects.using(db).filter(pk=job.pk).update(created_at=old.created_at, updated_at=old.updated_at)


def copy_back(apps, schema_editor):
    db = schema_editor.connection.alias
    CatalogImport = apps.get_model("catalog", "CatalogImport")
    Catalog = apps.get_model("catalog", "Catalog")
    ImportJob = apps.get_model("imports", "ImportJob")
    jobs = ImportJob.objects.using(db).filter(kind="catalog")
    catalogs = {str(c.uuid): c for c in Catalog.objects.using(db).all()}
    for job in jobs.order_by("pk"):
        o = job.options
        catalog = catalogs.get(o.get("catalog"))
        if catalog is None:
            continue  # its catalog is gone: the old table cannot hold it
        new = o.get("new_version") or {}
        old = CatalogImport.objects.using(db).create(
            uuid=job.uuid,
            created_by_id=job.created_by_id,
            catalog=catalog,
            new_code=new.get("code", ""),
            new_name=new.get("name", ""),
            new_circular=new.get("circular", ""),
            new_first_year=new.get("first_year"),
            created_catalog=catalogs.get(o.get("created_catalog")),
            original_filename=job.original_filename,
            file=job.file.name,
            status=STATUS_BACK.get(job.status, "checked"),
            total_rows=job.total_rows,
            valid_rows=job.valid_rows,
            error_count=job.error_count,
            created_count=job.created_count,
            updated_count=job.updated_count,
            errors=[
                {
                    "row": p.get("row", 0),
                    "column": p.get("col", ""),
                    "header": p.get("column", ""),
                    "value": p.get("value", ""),
                    "message": p.get("message", ""),
                }
                for p in job.problems
            ],
            message=job.message,
            finished_at=job.finished_at,
        )
        CatalogImport.objects.using(db).filter(pk=old.pk).update(created_at=job.created_at, updated_at=job.updated_at)
    jobs.delete()


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0005_module_criteria"),
        ("imports", "0002_one_job_model_for_every_import"),
        ("organisations", "0002_unit_search_text"),
    ]

    operations = [migrations.RunPython(copy_catalog_imports, copy_back)]
