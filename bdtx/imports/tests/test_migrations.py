"""A database of before the one import pipeline migrates forward without losing an import.

The migrations run in a process of their own on a SQLite file of their own (the data migrations
of the other apps write to the default database, which must not be the test database): it is
brought to the state before (imports 0001, catalog 0005, standards 0003), filled with the three
kinds of import jobs as the old code left them, migrated to the end — and back again. The
process prints what it found as JSON; the test checks it.
"""

import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
BEFORE = [("imports", "0001_initial"), ("catalog", "0005_module_criteria"), ("standards", "0003_temis_import")]
CATALOG_UUID = "11111111-1111-4111-8111-111111111111"
TEMIS_UUID = "22222222-2222-4222-8222-222222222222"
STAFF_UUID = "33333333-3333-4333-8333-333333333333"
LONG_AGO = datetime(2025, 9, 5, 7, 30, tzinfo=UTC)


def _migrate(connection, targets):  # type: ignore[no-untyped-def]
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _old_jobs(apps) -> None:  # type: ignore[no-untyped-def]
    """One job of each kind, written as the code before the pipeline wrote them."""
    Unit = apps.get_model("organisations", "Unit")
    User = apps.get_model("auth", "User")
    Catalog = apps.get_model("catalog", "Catalog")
    AuditLog = apps.get_model("core", "AuditLog")
    bo = Unit.objects.create(kind="ministry", name="Bộ", code="BGDDT", path="/1/", depth=0)
    school = Unit.objects.create(kind="school", name="Trường", code="TH-1", path="/1/2/", depth=1, parent=bo)
    user = User.objects.create(username="admin")
    gvpt = Catalog.objects.get(code="GVPT-TT17-2019")
    new = Catalog.objects.create(code="GVPT-2027", name="GVPT", circular="TT 99", audience="GVPT", first_year=2027)
    old = apps.get_model("catalog", "CatalogImport").objects.create(
        uuid=CATALOG_UUID,
        created_by=user,
        catalog=gvpt,
        new_code="GVPT-2027",
        new_name="GVPT",
        new_circular="TT 99",
        new_first_year=2027,
        created_catalog=new,
        original_filename="danh muc.xlsx",
        file="catalog-imports/2025/danh_muc.xlsx",
        status="done",
        total_rows=3,
        valid_rows=2,
        error_count=1,
        created_count=2,
        errors=[{"row": 5, "column": "D", "header": "Số tiết", "value": "20,5", "message": "Số tiết là số nguyên"}],
    )
    apps.get_model("catalog", "CatalogImport").objects.filter(pk=old.pk).update(created_at=LONG_AGO)
    apps.get_model("standards", "TemisImport").objects.create(
        uuid=TEMIS_UUID,
        created_by=user,
        unit=school,
        school_year_id=2025,
        levels_are="self",
        original_filename="temis.xlsx",
        file="temis/2025/09/temis.xlsx",
        status="checked",
        total_rows=4,
        valid_rows=3,
        error_count=1,
        warning_count=1,
        problems=[
            {
                "row": 7,
                "key": "c15",
                "col": "S",
                "column": "Tiêu chí 15",
                "value": "Giỏi",
                "message": "m1",
                "severity": "error",
            },
            {
                "row": 6,
                "key": "personal_id",
                "col": "D",
                "column": "CCCD",
                "value": "1",
                "message": "m2",
                "severity": "warning",
            },
        ],
    )
    apps.get_model("imports", "ImportJob").objects.create(
        uuid=STAFF_UUID,
        kind="staff",
        created_by=user,
        unit=school,
        school_year_id=2025,
        original_filename="ds.xlsx",
        file="imports/2025/09/ds.xlsx",
        status="validated",
        error_count=1,
        errors=[
            {"row": 8, "col": "H", "column": "Số CCCD", "key": "personal_id", "value": "1", "code": "c", "message": "m"}
        ],
    )
    AuditLog.objects.create(action="catalog.import", object_type="catalog.catalogimport", object_uuid=CATALOG_UUID)


def _job(j) -> dict[str, object]:  # type: ignore[no-untyped-def]
    return {
        "kind": j.kind,
        "status": j.status,
        "unit": j.unit.code,
        "school_year": j.school_year_id,
        "file": j.file.name,
        "created_by": j.created_by.username,
        "created_at": j.created_at.isoformat(),
        "counts": [j.total_rows, j.valid_rows, j.error_count, j.warning_count, j.created_count],
        "options": j.options,
        "problems": j.problems,
    }


def scenario() -> dict[str, object]:
    """Run in the process of its own: before → fill → forward → back."""
    import django

    django.setup()
    from django.db import connection

    _old_jobs(_migrate(connection, BEFORE))
    apps = _migrate(connection, None)
    forward = {str(j.uuid): _job(j) for j in apps.get_model("imports", "ImportJob").objects.all()}
    new_catalog = apps.get_model("catalog", "Catalog").objects.get(code="GVPT-2027")
    audit = apps.get_model("core", "AuditLog").objects.get(action="catalog.import")
    tables = connection.introspection.table_names()
    apps = _migrate(connection, BEFORE)
    catalog = apps.get_model("catalog", "CatalogImport").objects.get()
    temis = apps.get_model("standards", "TemisImport").objects.get()
    return {
        "forward": forward,
        "new_catalog": str(new_catalog.uuid),
        "audit_uuid": str(audit.object_uuid),
        "old_tables_left": sorted({"catalog_catalogimport", "standards_temisimport"} & set(tables)),
        "catalog_back": [
            str(catalog.uuid),
            catalog.status,
            catalog.new_code,
            catalog.created_catalog.code,
            catalog.errors[0]["column"],
            catalog.created_at.isoformat(),
        ],
        "temis_back": [str(temis.uuid), temis.status, temis.levels_are, temis.problems[1]["severity"]],
        "jobs_back": [str(u) for u in apps.get_model("imports", "ImportJob").objects.values_list("uuid", flat=True)],
    }


def test_old_catalog_and_temis_imports_become_import_jobs_and_come_back(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"BDTX_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    run = subprocess.run(
        [sys.executable, __file__], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.splitlines()[-1])
    jobs = result["forward"]
    assert set(jobs) == {CATALOG_UUID, TEMIS_UUID, STAFF_UUID}

    catalog = jobs[CATALOG_UUID]
    assert (catalog["kind"], catalog["status"], catalog["unit"], catalog["school_year"]) == (
        "catalog",
        "done",
        "BGDDT",
        None,
    )
    assert (catalog["file"], catalog["created_by"], catalog["created_at"]) == (
        "catalog-imports/2025/danh_muc.xlsx",
        "admin",
        LONG_AGO.isoformat(),
    )
    assert catalog["counts"] == [3, 2, 1, 0, 2]
    assert catalog["options"]["catalog_code"] == "GVPT-TT17-2019"
    assert catalog["options"]["created_catalog"] == result["new_catalog"]
    assert catalog["options"]["new_version"] == {
        "code": "GVPT-2027",
        "name": "GVPT",
        "circular": "TT 99",
        "first_year": 2027,
    }
    assert catalog["problems"] == [
        {
            "row": 5,
            "col": "D",
            "column": "Số tiết",
            "key": "",
            "value": "20,5",
            "code": "",
            "message": "Số tiết là số nguyên",
            "severity": "error",
        }
    ]

    temis = jobs[TEMIS_UUID]
    assert (temis["kind"], temis["status"], temis["unit"], temis["school_year"]) == ("temis", "validated", "TH-1", 2025)
    assert (temis["options"], temis["file"], temis["counts"]) == (
        {"levels_are": "self"},
        "temis/2025/09/temis.xlsx",
        [4, 3, 1, 1, 0],
    )
    assert [(p["row"], p["col"], p["code"], p["severity"]) for p in temis["problems"]] == [
        (7, "S", "", "error"),
        (6, "D", "", "warning"),
    ]

    staff = jobs[STAFF_UUID]
    assert (staff["problems"][0]["severity"], staff["problems"][0]["code"]) == ("error", "c")
    assert result["old_tables_left"] == []
    assert result["audit_uuid"] == CATALOG_UUID  # the audit entry names a job that is still there

    assert result["catalog_back"] == [CATALOG_UUID, "done", "GVPT-2027", "GVPT-2027", "D", LONG_AGO.isoformat()]
    assert result["temis_back"] == [TEMIS_UUID, "checked", "self", "warning"]
    assert result["jobs_back"] == [STAFF_UUID]


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    print(json.dumps(scenario()))
